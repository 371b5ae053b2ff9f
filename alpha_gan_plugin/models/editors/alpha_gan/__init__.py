"""alpha-GAN: the model, its encoder and its code discriminator."""
from .alpha_gan import AlphaGAN
from .alpha_gan_encoder import AlphaGANEncoder
from .code_discriminator import CodeDiscriminator

__all__ = ['AlphaGAN', 'AlphaGANEncoder', 'CodeDiscriminator']
