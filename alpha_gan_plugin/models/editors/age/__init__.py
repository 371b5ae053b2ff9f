"""AGE (Ulyanov et al. 2018), a baseline of the alpha-GAN comparison."""
from .age import AGE

__all__ = ['AGE']
