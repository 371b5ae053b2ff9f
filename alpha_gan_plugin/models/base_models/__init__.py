"""Base classes of the plugin's models."""
from .base_autoencoding_gan import BaseAutoEncodingGAN, PhaseNets
from .schedule import FiniteLossCheck

__all__ = ['BaseAutoEncodingGAN', 'PhaseNets', 'FiniteLossCheck']
