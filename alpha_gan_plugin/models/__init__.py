"""Models, networks and losses, registered into ``mmagic.registry.MODELS``."""
from .base_models import BaseAutoEncodingGAN
from .editors import AGE, AlphaGAN, AlphaGANEncoder, CodeDiscriminator
from .losses import AGELoss, AlphaGANLoss

__all__ = [
    'BaseAutoEncodingGAN', 'AlphaGAN', 'AlphaGANEncoder', 'CodeDiscriminator',
    'AGE', 'AlphaGANLoss', 'AGELoss'
]
