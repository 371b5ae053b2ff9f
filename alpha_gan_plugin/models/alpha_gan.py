"""alpha-GAN: auto-encoding GAN with an image and a code discriminator."""
from collections import OrderedDict
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmagic.models.base_models import BaseGAN
from mmagic.registry import MODELS
from . import losses as L
from .phased_training import (PhasedTrainingMixin, parse_schedule,
                              unwrap as _unwrap)

ModelType = Union[Dict, nn.Module]

#: Loss-config keys the model reads, with their defaults.
DEFAULT_LOSS_CONFIG = dict(
    rec_weight=1.0,
    image_adv_weight=1.0,
    code_adv_weight=1.0,
    image_adv_form='nonsaturating',
    code_adv_form='ratio',
)

#: The four networks, in the order one training iteration updates them
#: (the paper's Algorithm 1: encoder, generator, image discriminator, code
#: discriminator). The optim_wrapper keys equal these attribute names.
NETWORKS = ('encoder', 'generator', 'discriminator', 'code_discriminator')


@MODELS.register_module()
class AlphaGAN(PhasedTrainingMixin, BaseGAN):
    """alpha-GAN (Rosca, Lakshminarayanan, Warde-Farley, Mohamed, 2017).

    "Variational Approaches for Auto-Encoding Generative Adversarial
    Networks", https://arxiv.org/abs/1706.04987.

    Four networks are trained in turn, each with its own optimizer
    (``optim_wrapper`` keys ``encoder``, ``generator``, ``discriminator``,
    ``code_discriminator``):

    ==================  =====================================================
    phase               loss (each term a function in ``models/losses.py``)
    ==================  =====================================================
    encoder (eta)       ``rec_weight * |x - G(E(x))|_1``
                        ``+ code_adv_weight * code_adv(C(E(x)))``
    generator (theta)   ``rec_weight * |x - G(E(x))|_1``
                        ``+ image_adv_weight * [adv(D(G(E(x)))) + adv(D(G(z)))]``
    discriminator (phi) ``BCE(D(x) -> real, D(G(E(x))) -> fake, D(G(z)) -> fake)``
    code_discr. (w)     ``BCE(C(z) -> real, C(E(x)) -> fake)``, ``z ~ N(0, I)``
    ==================  =====================================================

    ``adv`` is the density-ratio form ``-log D/(1-D)`` (``'ratio'``, paper
    eq. 5) or the non-saturating ``-log D`` (``'nonsaturating'``, eq. 6);
    everything is computed from logits. Each phase does its own forward pass
    with the other networks frozen (``requires_grad=False``), so a phase's
    gradients never reach another network's parameters or optimizer state.
    ``train_schedule`` sets how many updates each network gets per iteration;
    all updates of an iteration see the same real batch and fresh noise.

    Sampling follows MMagic's ``BaseGAN`` contract (``val_step`` / ``forward``
    with noise inputs return ``DataSample`` s with ``fake_img``), so MMagic's
    metrics and ``VisualizationHook`` work unchanged; :meth:`encode` and
    :meth:`reconstruct` give the auto-encoder path.

    Args:
        generator: Config or module of G; any registered MMagic generator
            taking ``noise`` of shape (N, noise_size) (``DCGANGenerator``...).
        discriminator: Config or module of the image discriminator D,
            returning one logit per image.
        encoder: Config or module of E (e.g. ``AlphaGANEncoder``) with a
            ``latent_size`` equal to the generator's ``noise_size``.
        code_discriminator: Config or module of C (e.g. ``CodeDiscriminator``).
        data_preprocessor: MMagic ``DataPreprocessor`` config.
        noise_size: Latent size; taken from the generator when None.
        ema_config: MMagic EMA config for the generator (None = no EMA).
        loss_config: Overrides of :data:`DEFAULT_LOSS_CONFIG`:
            ``rec_weight``, ``image_adv_weight``, ``code_adv_weight`` (floats
            >= 0), ``image_adv_form`` and ``code_adv_form`` (``'ratio'`` or
            ``'nonsaturating'``). Unknown keys raise ``ValueError``.
        train_schedule: Updates per iteration for each of the four networks,
            e.g. ``dict(encoder=1, generator=2, discriminator=1,
            code_discriminator=1)``; missing networks default to 1.
        shape_check: Run a tiny forward pass of all four networks at build
            time to check that latent size, image size and channels agree.
    """

    NETWORKS = NETWORKS
    DISPLAY_NAME = 'alpha-GAN'

    def __init__(self,
                 generator: ModelType,
                 discriminator: ModelType,
                 encoder: ModelType,
                 code_discriminator: ModelType,
                 data_preprocessor: Optional[dict] = None,
                 noise_size: Optional[int] = None,
                 ema_config: Optional[dict] = None,
                 loss_config: Optional[dict] = None,
                 train_schedule: Optional[dict] = None,
                 shape_check: bool = True,
                 **unknown):
        if unknown:
            raise ValueError(
                f'AlphaGAN got unknown config keys {sorted(unknown)}; '
                f'accepted: generator, discriminator, encoder, '
                f'code_discriminator, data_preprocessor, noise_size, '
                f'ema_config, loss_config, train_schedule, shape_check '
                f'(generator_steps / discriminator_steps of other MMagic GANs '
                f'are replaced by train_schedule)')
        if discriminator is None or encoder is None or \
                code_discriminator is None:
            raise ValueError('AlphaGAN needs generator, discriminator, '
                             'encoder and code_discriminator configs')
        self._loss_cfg = self._parse_loss_config(loss_config)
        self.train_schedule = self._parse_schedule(train_schedule)
        super().__init__(
            generator=generator,
            discriminator=discriminator,
            data_preprocessor=data_preprocessor,
            noise_size=noise_size,
            ema_config=ema_config,
            loss_config=None)
        if isinstance(encoder, dict):
            encoder = MODELS.build(
                encoder, default_args=dict(latent_size=self.noise_size))
        if isinstance(code_discriminator, dict):
            code_discriminator = MODELS.build(
                code_discriminator,
                default_args=dict(latent_size=self.noise_size))
        self.encoder = encoder
        self.code_discriminator = code_discriminator
        if shape_check:
            self._check_shapes()
        self._checked_first_batch = False
        self._active_phase: Optional[str] = None

    # ------------------------------------------------------------------
    # configuration
    # ------------------------------------------------------------------
    @staticmethod
    def _parse_loss_config(loss_config: Optional[dict]) -> dict:
        cfg = dict(DEFAULT_LOSS_CONFIG)
        loss_config = dict(loss_config or {})
        unknown = set(loss_config) - set(cfg)
        if unknown:
            raise ValueError(
                f'AlphaGAN loss_config has unknown keys {sorted(unknown)}; '
                f'accepted keys: {sorted(cfg)}')
        cfg.update(loss_config)
        for key in ('rec_weight', 'image_adv_weight', 'code_adv_weight'):
            if not isinstance(cfg[key], (int, float)) or cfg[key] < 0:
                raise ValueError(f'loss_config.{key} must be a number >= 0, '
                                 f'got {cfg[key]!r}')
            cfg[key] = float(cfg[key])
        for key in ('image_adv_form', 'code_adv_form'):
            if cfg[key] not in L.ADVERSARIAL_FORMS:
                raise ValueError(
                    f'loss_config.{key}={cfg[key]!r} is not understood; use '
                    f"'ratio' (density ratio -log D/(1-D), paper eq. 5) or "
                    f"'nonsaturating' (-log D, paper eq. 6)")
        return cfg

    @staticmethod
    def _parse_schedule(schedule: Optional[dict]) -> 'OrderedDict[str, int]':
        return parse_schedule(schedule, dict.fromkeys(NETWORKS, 1), 'alpha-GAN')

    @property
    def loss_settings(self) -> dict:
        """dict: The validated loss settings in use."""
        return dict(self._loss_cfg)

    def _check_shapes(self) -> None:
        """Push two probe codes through G, D, E and C; explain mismatches."""
        gen, disc = _unwrap(self.generator), _unwrap(self.discriminator)
        enc, cdisc = _unwrap(self.encoder), _unwrap(self.code_discriminator)
        for name, net in (('encoder', enc), ('code_discriminator', cdisc)):
            size = getattr(net, 'latent_size', None)
            if size is not None and size != self.noise_size:
                raise ValueError(
                    f'latent size mismatch: {name}.latent_size={size} but the '
                    f'generator noise_size={self.noise_size}; set '
                    f'model.{name}.latent_size (or model.noise_size) so all '
                    f'three agree')
        modes = [(m, m.training) for m in (gen, disc, enc, cdisc)]
        probe_rng = torch.Generator().manual_seed(0)
        try:
            for m, _ in modes:
                m.eval()
            with torch.no_grad():
                z = torch.randn(2, self.noise_size, generator=probe_rng)
                img = gen(noise=z.to(self.device), return_noise=False)
                if isinstance(img, dict):
                    img = img['fake_img']
                try:
                    d_out = disc(img)
                except Exception as err:  # re-raised with the fix named
                    raise ValueError(
                        f'image shape mismatch: the generator makes images of '
                        f'shape {tuple(img.shape[1:])} that the discriminator '
                        f'cannot take ({type(err).__name__}: {err}); make '
                        f'generator output_scale/out_channels match '
                        f'discriminator input_scale/in_channels') from err
                if d_out.numel() != img.shape[0]:
                    raise ValueError(
                        f'the image discriminator must return one logit per '
                        f'image, got shape {tuple(d_out.shape)}; set '
                        f'model.discriminator.out_channels=1')
                try:
                    code = enc(img)
                except ValueError as err:
                    raise ValueError(
                        f'image shape mismatch between generator output '
                        f'{tuple(img.shape[1:])} and encoder: {err}') from err
                if tuple(code.shape) != (2, self.noise_size):
                    raise ValueError(
                        f'the encoder returns codes of shape '
                        f'{tuple(code.shape[1:])}, expected ({self.noise_size},)'
                        f'; set model.encoder.latent_size={self.noise_size}')
                c_out = cdisc(code)
                if c_out.numel() != 2:
                    raise ValueError('the code discriminator must return one '
                                     f'logit per code, got {tuple(c_out.shape)}')
        finally:
            for m, was_training in modes:
                m.train(was_training)
        self._image_shape = tuple(img.shape[1:])

    def _check_train_inputs(self, real: Tensor,
                            optim_wrapper: OptimWrapperDict) -> None:
        missing = [n for n in NETWORKS if n not in optim_wrapper]
        if missing:
            raise ValueError(
                f'optim_wrapper has no optimizer for {missing}; alpha-GAN '
                f'needs one per network: optim_wrapper=dict(constructor='
                f"'MultiOptimWrapperConstructor', encoder=dict(...), "
                f'generator=dict(...), discriminator=dict(...), '
                f'code_discriminator=dict(...))')
        expected = getattr(self, '_image_shape', None)
        if expected is not None and tuple(real.shape[1:]) != expected:
            raise ValueError(
                f'the data gives images of shape {tuple(real.shape[1:])} but '
                f'the networks make/take {expected}; change the dataset '
                f'image size/channels or the networks\' '
                f'output_scale/input_scale/in_channels/out_channels')

    # ------------------------------------------------------------------
    # inference
    # ------------------------------------------------------------------
    def encode(self, images: Tensor, noise: Optional[Tensor] = None) -> Tensor:
        """Sample codes ``z ~ q(z|x)`` of preprocessed images.

        Args:
            images: (N, C, H, W), normalised by the data preprocessor
                (usually [-1, 1]).
            noise: Noise of a stochastic encoder, (N, encoder.noise_size).

        Returns:
            Tensor: Codes, shape (N, noise_size).
        """
        enc = _unwrap(self.encoder)
        if noise is None:
            return enc(images)
        return enc(images, noise)

    # ------------------------------------------------------------------
    # training
    # ------------------------------------------------------------------
    def train_encoder(self, real: Tensor) -> Dict[str, Tensor]:
        """Encoder losses (reconstruction + code-adversarial)."""
        codes = self._net('encoder')(real)
        recon = self._generate(codes)
        cfg = self._loss_cfg
        return dict(
            loss_enc_rec=cfg['rec_weight'] * L.reconstruction_l1(real, recon),
            loss_enc_code_adv=cfg['code_adv_weight'] * L.code_adversarial_loss(
                self._net('code_discriminator')(codes), cfg['code_adv_form']))

    def train_generator_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Generator losses (reconstruction + image-adversarial)."""
        with torch.no_grad():
            codes = self._net('encoder')(real)
        recon = self._generate(codes)
        samples = self._generate(self.noise_fn(num_batches=real.shape[0]))
        disc = self._net('discriminator')
        cfg = self._loss_cfg
        return dict(
            loss_gen_rec=cfg['rec_weight'] * L.reconstruction_l1(real, recon),
            loss_gen_img_adv=cfg['image_adv_weight'] *
            L.image_adversarial_loss(disc(recon), disc(samples),
                                     cfg['image_adv_form']))

    def train_image_discriminator(self, real: Tensor) -> Dict[str, Tensor]:
        """Image discriminator loss: x real; G(E(x)) and G(z) fake."""
        with torch.no_grad():
            recon = self._generate(self._net('encoder')(real))
            samples = self._generate(self.noise_fn(num_batches=real.shape[0]))
        disc = self._net('discriminator')
        real_logits = disc(real)
        return dict(
            loss_disc=L.discriminator_loss(real_logits, disc(recon),
                                           disc(samples)),
            disc_real_prob=torch.sigmoid(real_logits.detach()).mean())

    def train_code_discriminator(self, real: Tensor) -> Dict[str, Tensor]:
        """Code discriminator loss: z ~ N(0, I) real; E(x) fake."""
        with torch.no_grad():
            codes = self._net('encoder')(real)
        prior = self.noise_fn(num_batches=real.shape[0]).to(codes.dtype)
        cdisc = self._net('code_discriminator')
        prior_logits, post_logits = cdisc(prior), cdisc(codes)
        return dict(
            loss_code_disc=L.code_discriminator_loss(prior_logits,
                                                     post_logits),
            # C's own estimate of KL(q||p) per sample, E[log C/(1-C)](z_hat)
            # with the sign flipped: a training diagnostic only.
            code_kl_estimate=(-post_logits.detach()).mean())

    def _phase_losses(self, name: str, real: Tensor) -> Dict[str, Tensor]:
        if name == 'encoder':
            return self.train_encoder(real)
        if name == 'generator':
            return self.train_generator_losses(real)
        if name == 'discriminator':
            return self.train_image_discriminator(real)
        return self.train_code_discriminator(real)

    def train_generator(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError('AlphaGAN trains through train_step')

    def train_discriminator(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError('AlphaGAN trains through train_step')
