"""Base classes of the plugin's models."""
from .base_autoencoding_gan import BaseAutoEncodingGAN

__all__ = ['BaseAutoEncodingGAN']
