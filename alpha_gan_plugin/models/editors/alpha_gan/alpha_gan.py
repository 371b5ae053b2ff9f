"""alpha-GAN: auto-encoding GAN with an image and a code discriminator."""
from typing import Dict, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmagic.registry import MODELS
from ...base_models import BaseAutoEncodingGAN

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
        encoder='encoder_losses',
        generator='generator_losses',
        discriminator='discriminator_losses',
        code_discriminator='code_discriminator_losses')
    DEFAULT_SCHEDULE = dict(
        encoder=1, generator=1, discriminator=1, code_discriminator=1)
    DEFAULT_LOSS = 'AlphaGANLoss'
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

    def encoder_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Losses of the encoder's phase on a real batch."""
        codes = self.encode(real)
        return self.loss.encoder_loss(
            real, self._generate(codes),
            self._net('code_discriminator')(codes))

    def generator_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Losses of the generator's phase on a real batch."""
        with torch.no_grad():
            codes = self.encode(real)
        recon = self._generate(codes)
        samples = self._generate(self.noise_fn(num_batches=real.shape[0]))
        disc = self._net('discriminator')
        return self.loss.generator_loss(real, recon, disc(recon),
                                        disc(samples))

    def discriminator_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Losses of the image discriminator's phase on a real batch."""
        with torch.no_grad():
            recon = self._generate(self.encode(real))
            samples = self._generate(self.noise_fn(num_batches=real.shape[0]))
        disc = self._net('discriminator')
        return self.loss.discriminator_loss(disc(real), disc(recon),
                                            disc(samples))

    def code_discriminator_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Losses of the code discriminator's phase on a real batch."""
        with torch.no_grad():
            codes = self.encode(real)
        prior = self.noise_fn(num_batches=real.shape[0]).to(codes.dtype)
        cdisc = self._net('code_discriminator')
        return self.loss.code_discriminator_loss(cdisc(prior), cdisc(codes))
