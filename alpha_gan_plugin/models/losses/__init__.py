"""Loss modules (registered in ``mmagic.registry.MODELS``) over pure loss
functions: :class:`AlphaGANLoss` and :class:`AGELoss`."""
from .age_loss import AGELoss
from .alpha_gan_loss import AlphaGANLoss

__all__ = ['AlphaGANLoss', 'AGELoss']
