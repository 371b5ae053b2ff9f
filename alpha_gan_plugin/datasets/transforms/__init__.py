"""Data transforms registered into ``mmagic.registry.TRANSFORMS``."""
from .loading import CheckedLoadImageFromFile

__all__ = ['CheckedLoadImageFromFile']
