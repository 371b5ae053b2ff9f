"""alpha-GAN: auto-encoding GAN with an image and a code discriminator."""
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmagic.registry import MODELS
from ...base_models import BaseAutoEncodingGAN, PhaseNets

ModelType = Union[Dict, nn.Module]


@MODELS.register_module()
class AlphaGAN(BaseAutoEncodingGAN):
    """alpha-GAN (Rosca, Lakshminarayanan, Warde-Farley, Mohamed, 2017).

    "Variational Approaches for Auto-Encoding Generative Adversarial
    Networks", https://arxiv.org/abs/1706.04987.

    Four networks, each with its own optimizer and phase, updated one after
    the other in the order encoder, generator, image discriminator, code
    discriminator (this project's order; the README of
    github.com/victor-shepardson/alpha-GAN reports that the paper's authors
    updated the four networks separately). The terms are those of
    :class:`~alpha_gan_plugin.models.losses.AlphaGANLoss`:

    =====================  ===============================================
    network                loss of its phase
    =====================  ===============================================
    encoder (eta)          ``|x - G(E(x))|_1`` and code-adversarial
                           ``adv(C(E(x)))``
    generator (theta)      ``|x - G(E(x))|_1`` and image-adversarial
                           ``adv(D(G(E(x)))) + adv(D(G(z)))``
    discriminator (phi)    ``D(x)`` real; ``D(G(E(x)))``, ``D(G(z))`` fake
    code_discriminator (w) ``C(z)`` real, ``z ~ N(0, I)``; ``C(E(x))`` fake
    =====================  ===============================================

    Everything is computed from logits. Sampling follows MMagic's
    ``BaseGAN`` contract (``val_step`` / ``forward`` with noise inputs return
    ``DataSample`` s with ``fake_img``), so MMagic's metrics and hooks work
    unchanged; :meth:`encode` and :meth:`reconstruct` give the auto-encoder.
    Training, schedule, loss construction and checks live in
    :class:`~alpha_gan_plugin.models.base_models.BaseAutoEncodingGAN`.

    Args:
        generator: Config or module of G; any registered MMagic generator
            taking ``noise`` of shape (N, noise_size) (``DCGANGenerator``...).
        discriminator: Config or module of the image discriminator D,
            returning one logit per image.
        encoder: Config or module of E (e.g. ``AlphaGANEncoder``, stochastic
            with ``noise_size > 0``: the implicit posterior q(z|x)).
        code_discriminator: Config or module of C (e.g.
            ``CodeDiscriminator``), one logit per code.
        **kwargs: ``data_preprocessor``, ``noise_size``, ``ema_config``,
            ``loss_config`` (an ``AlphaGANLoss`` config), ``train_schedule``
            (default one update of each network per iteration),
            ``generator_steps``, ``discriminator_steps``, ``shape_check``:
            see the base class.
    """

    PHASES = dict(
        encoder='encoder_phase_losses',
        generator='generator_phase_losses',
        discriminator='discriminator_phase_losses',
        code_discriminator='code_discriminator_phase_losses')
    DEFAULT_SCHEDULE = dict(
        encoder=1, generator=1, discriminator=1, code_discriminator=1)
    DEFAULT_LOSS = 'AlphaGANLoss'
    SHARED_LOSSES = 'shared_losses'
    DISPLAY_NAME = 'alpha-GAN'

    def __init__(self, generator: ModelType, discriminator: ModelType,
                 encoder: ModelType, code_discriminator: ModelType,
                 **kwargs):
        if discriminator is None:
            raise ValueError('alpha-GAN needs an image discriminator config '
                             '(model.discriminator=dict(type=...))')
        super().__init__(
            generator,
            discriminator,
            networks=dict(encoder=encoder,
                          code_discriminator=code_discriminator),
            **kwargs)

    # -- alternating phases: one forward pass per update ----------------
    def encoder_phase_losses(self, real: Tensor,
                             nets: Optional[PhaseNets] = None
                             ) -> Dict[str, Tensor]:
        """Losses of the encoder's update on a real batch (``nets``:
        :class:`PhaseNets`, default: as the encoder's phase calls them)."""
        nets = nets or self.phase_nets('encoder')
        codes = self.encode_with(nets.encoder, real)
        recon = self.generate_with(nets.generator, codes)
        recon_logits = nets.discriminator(recon) \
            if self.loss.encoder_needs_image_logits else None
        return self.loss.encoder_loss(real, recon,
                                      nets.code_discriminator(codes),
                                      recon_logits)

    def generator_phase_losses(self, real: Tensor,
                               nets: Optional[PhaseNets] = None
                               ) -> Dict[str, Tensor]:
        """Losses of the generator's update on a real batch."""
        nets = nets or self.phase_nets('generator')
        with torch.no_grad():
            codes = self.encode_with(nets.encoder, real)
        recon = self.generate_with(nets.generator, codes)
        samples = self.generate_with(
            nets.generator, self.noise_fn(num_batches=real.shape[0]))
        recon_logits = nets.discriminator(recon) \
            if self.loss.generator_needs_recon_logits else None
        return self.loss.generator_loss(real, recon, recon_logits,
                                        nets.discriminator(samples))

    def discriminator_phase_losses(self, real: Tensor,
                                   nets: Optional[PhaseNets] = None
                                   ) -> Dict[str, Tensor]:
        """Losses of the image discriminator's update on a real batch."""
        nets = nets or self.phase_nets('discriminator')
        with torch.no_grad():
            recon = self.generate_with(
                nets.generator, self.encode_with(nets.encoder, real)) \
                if self.loss.discriminator_needs_recon_logits else None
            samples = self.generate_with(
                nets.generator, self.noise_fn(num_batches=real.shape[0]))
        disc = nets.discriminator
        return self.loss.discriminator_loss(
            disc(real), None if recon is None else disc(recon), disc(samples))

    def code_discriminator_phase_losses(self, real: Tensor,
                                        nets: Optional[PhaseNets] = None
                                        ) -> Dict[str, Tensor]:
        """Losses of the code discriminator's update on a real batch."""
        nets = nets or self.phase_nets('code_discriminator')
        with torch.no_grad():
            codes = self.encode_with(nets.encoder, real)
        prior = self.noise_fn(num_batches=real.shape[0]).to(codes.dtype)
        cdisc = nets.code_discriminator
        return self.loss.code_discriminator_loss(cdisc(prior), cdisc(codes))

    # -- shared mode: every loss from one forward pass -------------------
    def shared_losses(self, real: Tensor,
                      nets: PhaseNets) -> Dict[str, Dict[str, Tensor]]:
        """Every network's losses from one forward pass
        (``update_mode='shared'``; all four networks wrapped in ``nets``).

        ``E(x)``, ``G(E(x))`` and ``G(z)`` are computed once; D scores the
        real batch and both generated batches once (the reconstructions
        only when a term with non-zero weight uses their logits), C the
        prior sample and the codes once. Each logit then serves the losses of both players
        (D's loss and G's adversarial term; C's loss and E's code term); the
        base class takes each network's gradient from its own loss only.
        Noise is drawn in the order: samples' ``z``, then C's prior sample.

        Returns:
            dict: network -> its loss terms.
        """
        codes = self.encode_with(nets.encoder, real)
        recon = self.generate_with(nets.generator, codes)
        samples = self.generate_with(
            nets.generator, self.noise_fn(num_batches=real.shape[0]))
        prior = self.noise_fn(num_batches=real.shape[0]).to(codes.dtype)
        disc, cdisc = nets.discriminator, nets.code_discriminator
        loss = self.loss
        needs_recon = (loss.encoder_needs_image_logits
                       or loss.generator_needs_recon_logits
                       or loss.discriminator_needs_recon_logits)
        real_logits = disc(real)
        recon_logits = disc(recon) if needs_recon else None
        sample_logits = disc(samples)
        code_logits = cdisc(codes)
        return dict(
            encoder=self.loss.encoder_loss(real, recon, code_logits,
                                           recon_logits),
            generator=self.loss.generator_loss(real, recon, recon_logits,
                                               sample_logits),
            discriminator=self.loss.discriminator_loss(
                real_logits, recon_logits, sample_logits),
            code_discriminator=self.loss.code_discriminator_loss(
                cdisc(prior), code_logits))
