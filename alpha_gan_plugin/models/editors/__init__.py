"""Models, one folder each (MMagic's ``models/editors`` layout)."""
from .age import AGE
from .alpha_gan import AlphaGAN, AlphaGANEncoder, CodeDiscriminator

__all__ = ['AlphaGAN', 'AlphaGANEncoder', 'CodeDiscriminator', 'AGE']
