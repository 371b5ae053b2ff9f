"""AGE: Adversarial Generator-Encoder networks, as an MMagic model."""
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmagic.registry import MODELS
from ....utils.autoencoder import unwrap
from ...base_models import BaseAutoEncodingGAN, PhaseNets
from ...losses.age_loss import project_to_sphere

ModelType = Union[Dict, nn.Module]


def _sphere_pre_hook(module, args, kwargs):
    """Forward pre-hook of AGE's generators: project noise onto the sphere.

    AGE's generator is only defined on the unit sphere. Whoever draws the
    noise (MMagic's samplers and metrics, visualisation hooks) usually draws
    ``N(0, I)``; its direction is a uniform sphere sample, so projecting it
    gives the AGE prior. Codes already on the sphere are left unchanged.
    """
    if args and isinstance(args[0], Tensor):
        args = (project_to_sphere(args[0]), ) + tuple(args[1:])
    elif isinstance(kwargs.get('noise'), Tensor):
        kwargs = dict(kwargs, noise=project_to_sphere(kwargs['noise']))
    return args, kwargs


@MODELS.register_module()
class AGE(BaseAutoEncodingGAN):
    """AGE (Ulyanov, Vedaldi, Lempitsky, AAAI 2018).

    "It Takes (Only) Two: Adversarial Generator-Encoder Networks",
    https://arxiv.org/abs/1704.02304. Two networks, an encoder ``e`` and a
    generator ``g``, no discriminator: the encoder is the generator's
    adversary. Latent codes live on the unit sphere (the encoder's output is
    normalised; the prior is uniform on it). The terms are those of
    :class:`~alpha_gan_plugin.models.losses.AGELoss`:

    ==========  ========================================================
    network     loss of its phase
    ==========  ========================================================
    encoder     ``Delta(e(x)) - Delta(e(g(z)))`` and ``|x - g(e(x))|_1``
    generator   ``Delta(e(g(z)))`` and ``||z - e(g(z))||^2``
    ==========  ========================================================

    ``Delta`` is the KL between a diagonal Gaussian fitted to a batch of
    codes and the unit Gaussian, so batches need at least 2 images. Every
    update draws fresh ``z``. Sampling follows MMagic's ``BaseGAN``
    contract, with noise projected onto the sphere (also noise given to
    ``generator`` directly, through a forward pre-hook).

    MMagic's ``discriminator_steps`` sets the encoder's updates per
    iteration (the encoder plays the discriminator's part), and
    ``generator_steps`` the generator's.

    Args:
        generator: Config or module of g (e.g. ``DCGANGenerator``).
        encoder: Config or module of e, deterministic (e.g.
            ``AlphaGANEncoder`` with ``noise_size=0``).
        **kwargs: ``data_preprocessor``, ``noise_size``, ``ema_config``,
            ``loss_config`` (an ``AGELoss`` config), ``train_schedule``
            (default ``dict(encoder=1, generator=2)``), ``generator_steps``,
            ``discriminator_steps``, ``shape_check``: see the base class.
    """

    PHASES = dict(encoder='encoder_phase_losses',
                  generator='generator_phase_losses')
    DEFAULT_SCHEDULE = dict(encoder=1, generator=2)
    DEFAULT_LOSS = 'AGELoss'
    STEP_KEYS = dict(generator_steps='generator',
                     discriminator_steps='encoder')
    NO_SHARED_REASON = (
        'its encoder is the adversary of its generator, so the generator\'s '
        'update must see the encoder after its own update (a forward pass '
        'shared by both would change the game, and saves one generator '
        'forward of a prior batch at most).')
    DISPLAY_NAME = 'AGE'

    def __init__(self, generator: ModelType, encoder: ModelType, **kwargs):
        if 'discriminator' in kwargs:
            raise ValueError(
                "AGE got unknown config keys ['discriminator']: AGE has no "
                'discriminator (its encoder is the adversary). Remove '
                'model.discriminator; if it is inherited from a _base_ '
                "config, replace the model dict: model=dict(_delete_=True, "
                "type='AGE', ...)")
        if isinstance(encoder, dict) and encoder.get('noise_size', 0):
            raise ValueError('AGE needs a deterministic encoder: set '
                             'model.encoder.noise_size=0')
        super().__init__(generator, None, networks=dict(encoder=encoder),
                         **kwargs)
        if getattr(unwrap(self.encoder), 'noise_size', 0):
            raise ValueError('AGE needs a deterministic encoder: set '
                             'model.encoder.noise_size=0')
        gens = [unwrap(self.generator)]
        if self.with_ema_gen:
            gens.append(self.generator_ema.module)
        for gen in gens:
            gen.register_forward_pre_hook(_sphere_pre_hook, with_kwargs=True)

    def noise_fn(self, noise=None, num_batches: int = 1):
        """Prior samples: uniform on the sphere (given noise is projected)."""
        return project_to_sphere(
            super().noise_fn(noise, num_batches=num_batches))

    def encode_with(self, encoder: nn.Module, images: Tensor,
                    noise: Optional[Tensor] = None) -> Tensor:
        """Unit-norm codes ``e(x)`` of preprocessed images, (N, noise_size).

        ``noise`` exists for alpha-GAN's signature; AGE's encoder is
        deterministic, so it must be None.
        """
        if noise is not None:
            raise ValueError('AGE has a deterministic encoder: noise must be '
                             'None')
        return project_to_sphere(encoder(images))

    def encoder_phase_losses(self, real: Tensor,
                             nets: Optional[PhaseNets] = None
                             ) -> Dict[str, Tensor]:
        """Losses of the encoder's update on a real batch (``nets``:
        :class:`PhaseNets`, default: as the encoder's phase calls them)."""
        nets = nets or self.phase_nets('encoder')
        real_codes = self.encode_with(nets.encoder, real)
        recon = self.generate_with(nets.generator, real_codes)
        with torch.no_grad():
            fake = self.generate_with(
                nets.generator, self.noise_fn(num_batches=real.shape[0]))
        return self.loss.encoder_loss(real, recon, real_codes,
                                      self.encode_with(nets.encoder, fake))

    def generator_phase_losses(self, real: Tensor,
                               nets: Optional[PhaseNets] = None
                               ) -> Dict[str, Tensor]:
        """Losses of the generator's update (a batch of prior samples of the
        real batch's size)."""
        nets = nets or self.phase_nets('generator')
        z = self.noise_fn(num_batches=real.shape[0])
        return self.loss.generator_loss(
            z, self.encode_with(nets.encoder,
                                self.generate_with(nets.generator, z)))
