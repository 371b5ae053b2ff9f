"""alpha-GAN model and networks, registered into ``mmagic.registry.MODELS``."""
from . import losses
from .alpha_gan import AlphaGAN
from .age import AGE  # noqa: F401
from .code_discriminator import CodeDiscriminator
from .encoder import AlphaGANEncoder

__all__ = ['AlphaGAN', 'AlphaGANEncoder', 'CodeDiscriminator', 'losses']
