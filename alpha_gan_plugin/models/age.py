"""AGE: Adversarial Generator-Encoder networks, as an MMagic model."""
from collections import OrderedDict
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmagic.models.base_models import BaseGAN
from mmagic.registry import MODELS
from . import age_losses as A
from . import losses as L
from .phased_training import (PhasedTrainingMixin, parse_schedule,
                              unwrap as _unwrap)

ModelType = Union[Dict, nn.Module]

#: Loss-config keys AGE reads, with their defaults.
DEFAULT_LOSS_CONFIG = dict(
    rec_weight=10.0,  # lambda, on the mean L1 of x - g(e(x))
    latent_rec_weight=8.0,  # mu, on ||z - e(g(z))||^2 per code
    divergence_weight=1.0,  # on every Delta term
    divergence_reduction='mean',  # over latent dimensions ('mean' | 'sum')
)

#: The two networks, in the order one iteration updates them.
NETWORKS = ('encoder', 'generator')


def _sphere_pre_hook(module, args, kwargs):
    """Forward pre-hook of AGE's generators: project noise onto the sphere.

    AGE's generator is only defined on the unit sphere. Whoever draws the
    noise (MMagic's samplers and metrics, visualisation hooks) usually draws
    ``N(0, I)``; its direction is a uniform sphere sample, so projecting it
    gives the AGE prior. Codes already on the sphere are left unchanged.
    """
    if args and isinstance(args[0], Tensor):
        args = (A.project_to_sphere(args[0]), ) + tuple(args[1:])
    elif isinstance(kwargs.get('noise'), Tensor):
        kwargs = dict(kwargs, noise=A.project_to_sphere(kwargs['noise']))
    return args, kwargs


@MODELS.register_module()
class AGE(PhasedTrainingMixin, BaseGAN):
    """AGE (Ulyanov, Vedaldi, Lempitsky, AAAI 2018).

    "It Takes (Only) Two: Adversarial Generator-Encoder Networks",
    https://arxiv.org/abs/1704.02304. Two networks, an encoder ``e`` and a
    generator ``g``, no discriminator. Latent codes live on the unit sphere
    (the encoder's output is normalised; the prior ``Y`` is uniform on it).
    With ``Delta`` the KL between a diagonal Gaussian fitted to a batch of
    codes and the unit Gaussian (``age_losses.divergence``):

    ==========  ===========================================================
    phase       loss (terms in ``models/age_losses.py``)
    ==========  ===========================================================
    encoder     ``w * [Delta(e(x)) - Delta(e(g(z)))]``
                ``+ rec_weight * |x - g(e(x))|_1``  (lambda)
    generator   ``w * Delta(e(g(z)))``
                ``+ latent_rec_weight * ||z - e(g(z))||^2``  (mu)
    ==========  ===========================================================

    ``w`` is ``divergence_weight``. ``train_schedule`` sets the updates per
    iteration (paper: 1 encoder update, then ``n_g`` = 2 or 3 generator
    updates); every update draws fresh ``z``; all updates of an iteration
    see the same real batch. Each phase freezes the other network.

    Sampling follows MMagic's ``BaseGAN`` contract, with noise projected
    onto the sphere (also noise given to ``generator`` directly, through a
    forward pre-hook). :meth:`encode`, :meth:`reconstruct` and
    :meth:`real_images` have alpha-GAN's signatures, so the plugin's hooks
    and metrics work for both models.

    Args:
        generator: Config or module of g (e.g. ``DCGANGenerator``).
        encoder: Config or module of e (e.g. ``AlphaGANEncoder``,
            deterministic) with ``latent_size`` equal to ``noise_size``.
        data_preprocessor: MMagic ``DataPreprocessor`` config.
        noise_size: Latent size M; taken from the generator when None.
        ema_config: MMagic EMA config for the generator.
        loss_config: Overrides of :data:`DEFAULT_LOSS_CONFIG`; unknown keys
            raise ``ValueError``.
        train_schedule: ``dict(encoder=1, generator=2)`` by default.
        shape_check: Probe g and e at build time.
    """

    NETWORKS = NETWORKS
    DISPLAY_NAME = 'AGE'

    def __init__(self,
                 generator: ModelType,
                 encoder: ModelType,
                 data_preprocessor: Optional[dict] = None,
                 noise_size: Optional[int] = None,
                 ema_config: Optional[dict] = None,
                 loss_config: Optional[dict] = None,
                 train_schedule: Optional[dict] = None,
                 shape_check: bool = True,
                 **unknown):
        if unknown:
            raise ValueError(
                f'AGE got unknown config keys {sorted(unknown)}; accepted: '
                f'generator, encoder, data_preprocessor, noise_size, '
                f'ema_config, loss_config, train_schedule, shape_check (AGE '
                f'has no discriminator)')
        if encoder is None:
            raise ValueError('AGE needs an encoder config')
        self._loss_cfg = self._parse_loss_config(loss_config)
        self.train_schedule = self._parse_schedule(train_schedule)
        super().__init__(
            generator=generator,
            discriminator=None,
            data_preprocessor=data_preprocessor,
            noise_size=noise_size,
            ema_config=ema_config,
            loss_config=None)
        if isinstance(encoder, dict):
            encoder = MODELS.build(
                encoder, default_args=dict(latent_size=self.noise_size))
        self.encoder = encoder
        gens = [_unwrap(self.generator)]
        if self.with_ema_gen:
            gens.append(self.generator_ema.module)
        for gen in gens:
            gen.register_forward_pre_hook(_sphere_pre_hook, with_kwargs=True)
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
            raise ValueError(f'AGE loss_config has unknown keys '
                             f'{sorted(unknown)}; accepted: {sorted(cfg)}')
        cfg.update(loss_config)
        for key in ('rec_weight', 'latent_rec_weight', 'divergence_weight'):
            if not isinstance(cfg[key], (int, float)) or cfg[key] < 0:
                raise ValueError(f'loss_config.{key} must be a number >= 0, '
                                 f'got {cfg[key]!r}')
            cfg[key] = float(cfg[key])
        if cfg['divergence_reduction'] not in A.REDUCTIONS:
            raise ValueError(f'loss_config.divergence_reduction must be one '
                             f'of {A.REDUCTIONS}, got '
                             f'{cfg["divergence_reduction"]!r}')
        return cfg

    @staticmethod
    def _parse_schedule(schedule: Optional[dict]) -> 'OrderedDict[str, int]':
        return parse_schedule(schedule, dict(zip(NETWORKS, (1, 2))), 'AGE')

    @property
    def loss_settings(self) -> dict:
        """dict: The validated loss settings in use."""
        return dict(self._loss_cfg)

    def _check_shapes(self) -> None:
        gen, enc = _unwrap(self.generator), _unwrap(self.encoder)
        size = getattr(enc, 'latent_size', None)
        if size is not None and size != self.noise_size:
            raise ValueError(
                f'latent size mismatch: encoder.latent_size={size} but the '
                f'generator noise_size={self.noise_size}; make them agree')
        if getattr(enc, 'noise_size', 0):
            raise ValueError('AGE needs a deterministic encoder: set '
                             'model.encoder.noise_size=0')
        modes = [(m, m.training) for m in (gen, enc)]
        try:
            for m, _ in modes:
                m.eval()
            with torch.no_grad():
                z = A.sample_sphere(2, self.noise_size,
                                    generator=torch.Generator().manual_seed(0))
                img = gen(noise=z.to(self.device), return_noise=False)
                if isinstance(img, dict):
                    img = img['fake_img']
                try:
                    code = enc(img)
                except ValueError as err:
                    raise ValueError(
                        f'image shape mismatch between generator output '
                        f'{tuple(img.shape[1:])} and encoder: {err}') from err
                if tuple(code.shape) != (2, self.noise_size):
                    raise ValueError(
                        f'the encoder returns codes of shape '
                        f'{tuple(code.shape[1:])}, expected '
                        f'({self.noise_size},)')
        finally:
            for m, was_training in modes:
                m.train(was_training)
        self._image_shape = tuple(img.shape[1:])

    def _check_train_inputs(self, real: Tensor,
                            optim_wrapper: OptimWrapperDict) -> None:
        missing = [n for n in NETWORKS if n not in optim_wrapper]
        if missing:
            raise ValueError(
                f'optim_wrapper has no optimizer for {missing}; AGE needs '
                f'optim_wrapper=dict(constructor='
                f"'MultiOptimWrapperConstructor', encoder=dict(...), "
                f'generator=dict(...))')
        if real.shape[0] < 2:
            raise ValueError('AGE fits a Gaussian to each batch of codes: the '
                             'batch size must be >= 2')
        expected = getattr(self, '_image_shape', None)
        if expected is not None and tuple(real.shape[1:]) != expected:
            raise ValueError(
                f'the data gives images of shape {tuple(real.shape[1:])} but '
                f'the networks make/take {expected}')

    # ------------------------------------------------------------------
    # sampling and inference
    # ------------------------------------------------------------------
    def noise_fn(self, noise=None, num_batches: int = 1):
        """Prior samples: uniform on the sphere (given noise is projected)."""
        noise = super().noise_fn(noise, num_batches=num_batches)
        return A.project_to_sphere(noise)

    #: Same contract as alpha-GAN's (normalised real images of a batch).

    def encode(self, images: Tensor, noise: Optional[Tensor] = None) -> Tensor:
        """Codes ``e(x)`` on the unit sphere of preprocessed images.

        Args:
            images: (N, C, H, W), normalised as the generator's outputs.
            noise: Accepted for alpha-GAN's signature; AGE's encoder is
                deterministic, so it must be None.

        Returns:
            Tensor: Unit-norm codes, shape (N, noise_size).
        """
        if noise is not None:
            raise ValueError('AGE has a deterministic encoder: noise must be '
                             'None')
        return A.project_to_sphere(self._net('encoder')(images))

    def _prior(self, num: int) -> Tensor:
        return self.noise_fn(num_batches=num)

    def train_encoder(self, real: Tensor) -> Dict[str, Tensor]:
        """Encoder: max Delta(e(g(z))) - Delta(e(x)); min lambda |x-g(e(x))|_1"""
        cfg = self._loss_cfg
        red = cfg['divergence_reduction']
        real_codes = self.encode(real)
        recon = self._generate(real_codes)
        with torch.no_grad():
            fake = self._generate(self._prior(real.shape[0]))
        fake_codes = self.encode(fake)
        kl_real = A.divergence(real_codes, red)
        kl_fake = A.divergence(fake_codes, red)
        return dict(
            loss_enc_div=cfg['divergence_weight'] * (kl_real - kl_fake),
            loss_enc_rec=cfg['rec_weight'] * L.reconstruction_l1(real, recon),
            kl_real=kl_real.detach(),
            kl_fake=kl_fake.detach())

    def train_generator_losses(self, real: Tensor) -> Dict[str, Tensor]:
        """Generator: min Delta(e(g(z))) + mu ||z - e(g(z))||^2."""
        cfg = self._loss_cfg
        z = self._prior(real.shape[0])
        fake_codes = self.encode(self._generate(z))
        return dict(
            loss_gen_div=cfg['divergence_weight'] *
            A.generator_divergence_loss(fake_codes,
                                        cfg['divergence_reduction']),
            loss_gen_latent_rec=cfg['latent_rec_weight'] *
            A.latent_reconstruction(z, fake_codes))

    def _phase_losses(self, name: str, real: Tensor) -> Dict[str, Tensor]:
        if name == 'encoder':
            return self.train_encoder(real)
        return self.train_generator_losses(real)

    def train_generator(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError('AGE trains through train_step')

    def train_discriminator(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError('AGE has no discriminator')
