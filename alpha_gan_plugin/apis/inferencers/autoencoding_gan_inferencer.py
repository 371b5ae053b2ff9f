"""Use a trained (auto-encoding) GAN: sample, encode, decode, reconstruct and
interpolate, from a config and a checkpoint.

Not built on mmengine's ``BaseInferencer``: that base runs one flow,
``__call__(inputs)`` -> ``preprocess`` -> ``model.test_step`` ->
``visualize`` -> ``postprocess``, and loads weights non-strictly (a
checkpoint of another model leaves random weights behind with warnings).
Here there are five operations with different inputs (seeds, codes,
images), none of them ``test_step``, and weights are loaded strictly after
the plugin's compatibility check; the class reuses mmengine's config,
registry and collate pieces and MMagic's transforms and preprocessor
instead.
"""
import copy
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from torch import Tensor

from ...engine.checkpoint_keys import plain_keys
from ...engine.hooks.checkpoint_compatibility_hook import \
    compatibility_problems
from ...evaluation.functional import l1_error, mse_error, psnr
from ...utils import is_autoencoder, real_images_and_samples, unwrap
from .image_inputs import ImagePipeline, list_inputs
from .latent import (INTERPOLATION_MODES, SeededNormal, check_positive_int,
                     interpolate_codes)
from .pictures import to_uint8

#: How a stochastic encoder's noise is chosen (see the class docstring).
ENCODER_NOISE = ('random', 'zero')

#: Channel order of data sets that serve colour arrays themselves (their
#: test pipeline has no loader to read it from).
ARRAY_DATASET_CHANNEL_ORDER = dict(FashionMNISTDataset='rgb', CIFAR10='rgb')


@dataclass
class ReconstructionResult:
    """Images and their reconstructions ``G(E(x))`` (one batch or all).

    Attributes:
        names: Image names (file paths, or ``image_<i>`` for in-memory
            images), in input order.
        inputs: (N, C, H, W) float in [0, 1], RGB order: the images as the
            model sees them (after the config's pipeline and fitting).
        reconstructions: (N, C, H, W) float in [0, 1], RGB order.
        codes: (N, D) codes ``E(x)``.
        l1: (N,) float64 mean absolute error per image, on [0, 1].
        mse: (N,) float64 mean squared error per image, on [0, 1].
        psnr: (N,) float64 PSNR per image in dB (data range 1).
        records: One dict per image: ``name``, ``source_size`` [h, w],
            ``source_channels``, ``notes`` (conversions made).
        skipped: Images skipped as unreadable (``skip_bad=True``):
            ``dict(name, reason)``.
    """

    names: List[str]
    inputs: Tensor
    reconstructions: Tensor
    codes: Tensor
    l1: Tensor
    mse: Tensor
    psnr: Tensor
    records: List[Dict[str, Any]] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)


@dataclass
class EncodingResult:
    """Codes of images (one batch or all).

    Attributes:
        names: Image names, in input order.
        codes: (N, D) float codes ``E(x)``.
        records: As in :class:`ReconstructionResult`.
        skipped: As in :class:`ReconstructionResult`.
    """

    names: List[str]
    codes: Tensor
    records: List[Dict[str, Any]] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)


@dataclass
class InterpolationResult:
    """A path between two codes and its images.

    Attributes:
        codes: (S, D) codes; the first and last are the two ends.
        images: (S, C, H, W) float in [0, 1], RGB order.
        ends: How each end was given (``'seed 3'``, ``'code'``, or the
            image's name).
        mode: ``'linear'`` or ``'slerp'``.
    """

    codes: Tensor
    images: Tensor
    ends: List[str]
    mode: str


class AutoEncodingGANInferencer:
    """Sample, encode, decode, reconstruct and interpolate with a checkpoint.

    Works with the plugin's auto-encoding GANs (``AlphaGAN``, ``AGE``) and,
    for everything that needs no encoder (:meth:`sample`, :meth:`decode`,
    :meth:`interpolate` between seeds or codes), with any MMagic GAN whose
    generator takes ``noise`` (e.g. MMagic's ``DCGAN``, ``WGANGP``).

    The model is built from the config and the checkpoint's weights are
    loaded strictly: a checkpoint of another model or other widths is a
    ``ValueError`` that says what differs (the check of
    :class:`~alpha_gan_plugin.engine.hooks.CheckpointCompatibilityHook`).

    **Images.** User images (files, folders, PIL images, uint8 arrays,
    tensors) of any size, gray or colour, go through the config's own test
    pipeline and the model's data preprocessor, with resizing and channel
    conversion to the model's format (see
    :mod:`~alpha_gan_plugin.apis.inferencers.image_inputs`). Every image
    returned is a float tensor (N, C, H, W) in [0, 1] in RGB order (C = 1
    for gray models), on the CPU; :meth:`to_pil` turns it into PIL images.

    **Randomness.** Everything random comes from private CPU generators
    seeded by ``seed``, one row per image or sample, so results are the
    same for any batch size, the noise is the same on any device, and the
    global random state is left as it was (also while the model is
    built). Prior codes are
    ``N(0, I)`` rows mapped by the model's ``noise_fn`` (AGE: projected on
    the unit sphere). A stochastic alpha-GAN encoder ``E(x, eps)`` gets, with
    ``encoder_noise='random'`` (default), ``eps`` of image ``i`` = row ``i``
    of the stream of ``seed`` (a seeded sample of the implicit posterior,
    as in training and ``ReconstructionMetrics``), or with
    ``encoder_noise='zero'``, ``eps = 0`` (one fixed code per image, the
    same for every seed). Deterministic encoders (the default configs,
    AGE) ignore both.

    **Codes.** For AGE, codes live on the unit sphere: :meth:`encode`
    returns unit codes, and any code given to :meth:`decode` is projected
    onto the sphere by the model, so linear interpolation between AGE codes
    decodes as the normalised path (the same great circle as slerp, at
    another speed).

    Args:
        config: Path of a model config, or a loaded ``Config``.
        checkpoint: Path of a checkpoint saved by the Runner (its
            ``state_dict`` must fit the config's model).
        device: ``'cpu'``, ``'cuda'``, ``'cuda:1'``...; None = ``'cuda'``
            when a GPU is visible, else ``'cpu'``.
        cfg_options: Config overrides (``{'model.noise_size': 8}``), as
            ``--cfg-options`` of the tools.
        sample_model: ``'orig'`` generator or ``'ema'`` (its moving
            average, if the config has ``ema_config``).
        channel_order: ``'rgb'`` or ``'bgr'``: channel order of colour images
            inside the model, only for configs where it cannot be read from
            the preprocessor's ``output_channel_order``, the test pipeline's
            ``LoadImageFromFile`` or a known data set (gray models ignore it).
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: str,
                 device: Optional[str] = None,
                 cfg_options: Optional[dict] = None,
                 sample_model: str = 'orig',
                 channel_order: Optional[str] = None):
        self.cfg = load_config(config, cfg_options)
        self.config_name = config if isinstance(config, str) else \
            getattr(config, 'filename', None) or '<config>'
        self.checkpoint = os.fspath(checkpoint)
        if not osp.isfile(self.checkpoint):
            raise FileNotFoundError(f'checkpoint file {self.checkpoint!r} '
                                    f'not found')
        self.device = resolve_device(device)
        if sample_model not in ('orig', 'ema'):
            raise ValueError(f"sample_model must be 'orig' or 'ema', got "
                             f'{sample_model!r}')
        self.model = build_model(self.cfg)
        load_weights(self.model, self.checkpoint, self.config_name)
        self.model.to(self.device).eval()
        if sample_model == 'ema' and not getattr(self.model, 'with_ema_gen',
                                                 False):
            raise ValueError(
                f"sample_model='ema' but {type(self.model).__name__} of "
                f'{self.config_name} has no EMA generator (no ema_config); '
                f"use sample_model='orig'")
        self.sample_model = sample_model
        self.noise_size = int(self.model.noise_size)
        with torch.no_grad():
            probe = self._decode(torch.zeros(1, self.noise_size,
                                             device=self.device))
        if probe.dim() != 4 or probe.shape[1] not in (1, 3):
            raise ValueError(
                f'the generator of {self.config_name} makes images of shape '
                f'{tuple(probe.shape[1:])}; this inferencer handles (1|3, H, '
                f'W) images')
        self.image_shape = tuple(int(s) for s in probe.shape[1:])
        self.channel_order = resolve_channel_order(
            self.cfg, self.model.data_preprocessor, self.image_shape[0],
            channel_order)
        if self.image_shape[0] == 1 and hasattr(
                self.model.data_preprocessor, '_conversion_warning_raised'):
            # MMagic's DataPreprocessor logs "Cannot convert inputs with
            # 'single' channel order ..." once per model for gray inputs:
            # true and expected for a gray model, and nothing a user can
            # act on. Its own once-only flag is set so it stays quiet.
            self.model.data_preprocessor._conversion_warning_raised = True
        self._pipeline: Optional[ImagePipeline] = None

    # ------------------------------------------------------------------
    # what the model is
    # ------------------------------------------------------------------
    @property
    def has_encoder(self) -> bool:
        """bool: Whether the model can encode images (alpha-GAN, AGE)."""
        return is_autoencoder(self.model)

    @property
    def encoder_noise_size(self) -> int:
        """int: Size of a stochastic encoder's noise, 0 if deterministic."""
        enc = getattr(self.model, 'encoder', None)
        if enc is None or not getattr(unwrap(enc), 'stochastic', False):
            return 0
        return int(unwrap(enc).noise_size)

    def describe(self) -> Dict[str, Any]:
        """The settings that determine the outputs (for result files)."""
        return dict(
            config=self.config_name,
            checkpoint=self.checkpoint,
            model=type(self.model).__name__,
            noise_size=self.noise_size,
            image_shape=list(self.image_shape),
            channel_order=self.channel_order if self.image_shape[0] == 3
            else 'gray',
            sample_model=self.sample_model,
            encoder_noise_size=self.encoder_noise_size,
            device=str(self.device))

    def require_encoder(self, what: str) -> None:
        """``ValueError`` unless the model has an encoder (``what`` names
        the operation that needs it)."""
        if not self.has_encoder:
            raise ValueError(
                f'{what} needs a model with an encoder; '
                f'{type(self.model).__name__} ({self.config_name}) has none. '
                f'This checkpoint can sample, decode codes and interpolate '
                f'between seeds or codes; to encode images use an alpha-GAN '
                f'or AGE checkpoint.')

    # ------------------------------------------------------------------
    # codes -> images
    # ------------------------------------------------------------------
    def prior(self, num: int, seed: int = 0) -> Tensor:
        """``num`` prior codes of ``seed`` (row ``i`` independent of
        ``num``).

        Returns:
            Tensor: (num, D) float32 on the CPU; ``N(0, I)`` rows mapped by
            the model's ``noise_fn`` (AGE: unit rows).
        """
        check_positive_int('num', num)
        noise = SeededNormal(seed, self.noise_size).take(num)
        return self.model.noise_fn(noise=noise.to(self.device)).float().cpu()

    def sample(self, num: int, seed: int = 0, batch_size: int = 64) -> Tensor:
        """``num`` samples ``G(z)`` of the prior codes :meth:`prior` gives.

        Returns:
            Tensor: (num, C, H, W) float in [0, 1], RGB order, CPU.
        """
        return self.decode(self.prior(num, seed), batch_size)

    def decode(self, codes, batch_size: int = 64) -> Tensor:
        """Images ``G(z)`` of codes.

        Args:
            codes: (N, D) tensor or array (a single (D,) code is one row).
            batch_size: Codes per forward pass.

        Returns:
            Tensor: (N, C, H, W) float in [0, 1], RGB order, CPU.
        """
        codes = self.check_codes(codes)
        check_positive_int('batch_size', batch_size)
        out = []
        with torch.no_grad():
            for chunk in codes.split(batch_size):
                out.append(self.to_unit(self._decode(chunk.to(self.device))))
        return torch.cat(out)

    def check_codes(self, codes) -> Tensor:
        """``codes`` as a float32 (N, D) CPU tensor, or a ``ValueError``."""
        if isinstance(codes, np.ndarray):
            codes = torch.from_numpy(np.asarray(codes))
        if not torch.is_tensor(codes):
            raise ValueError(f'codes must be a tensor or numpy array, got '
                             f'{type(codes).__name__}')
        if codes.dim() == 1:
            codes = codes[None]
        if codes.dim() != 2 or codes.shape[1] != self.noise_size or \
                codes.shape[0] < 1:
            raise ValueError(
                f'codes must have shape (N, {self.noise_size}) (the latent '
                f'size of {self.config_name}), got {tuple(codes.shape)}')
        if not codes.is_floating_point() or not torch.isfinite(codes).all():
            raise ValueError('codes must be finite floating-point values')
        return codes.detach().float().cpu()

    # ------------------------------------------------------------------
    # images -> codes -> images
    # ------------------------------------------------------------------
    def encode(self, images, seed: int = 0, batch_size: int = 64,
               encoder_noise: str = 'random') -> Tensor:
        """Codes ``E(x)`` of images.

        Args:
            images: Files, folders, PIL images, arrays or tensors (see
                :func:`~alpha_gan_plugin.apis.inferencers.image_inputs.
                list_inputs`).
            seed: Seed of a stochastic encoder's noise.
            batch_size: Images per forward pass.
            encoder_noise: ``'random'`` or ``'zero'`` (class docstring).

        Returns:
            Tensor: (N, D) float32 on the CPU (AGE: unit rows).
        """
        return torch.cat([r.codes for r in self.iter_encode(
            images, seed, batch_size, encoder_noise=encoder_noise)
            if len(r.names)])

    def reconstruct(self, images, seed: int = 0, batch_size: int = 64,
                    encoder_noise: str = 'random') -> ReconstructionResult:
        """Reconstructions ``G(E(x))`` of images, with per-image errors.

        The errors are those of the plugin's ``ReconstructionMetrics``:
        data and reconstruction mapped back to [0, 255] by the data
        preprocessor (clamped), divided by 255, then L1, MSE and PSNR (data
        range 1) per image.

        Args: as :meth:`encode`.

        Returns:
            ReconstructionResult: For all images.
        """
        parts = [r for r in self.iter_reconstruct(
            images, seed, batch_size, encoder_noise=encoder_noise)
            if len(r.names)]
        return ReconstructionResult(
            names=sum((r.names for r in parts), []),
            **{k: torch.cat([getattr(r, k) for r in parts])
               for k in ('inputs', 'reconstructions', 'codes', 'l1', 'mse',
                         'psnr')},
            records=sum((r.records for r in parts), []))

    def iter_encode(self, images, seed: int = 0, batch_size: int = 64,
                    skip_bad: bool = False,
                    encoder_noise: str = 'random'
                    ) -> Iterator[EncodingResult]:
        """:meth:`encode` batch by batch, loading images lazily (a folder
        of any size in bounded memory).

        Args:
            images: As :meth:`encode`.
            seed: As :meth:`encode`.
            batch_size: As :meth:`encode`.
            skip_bad: Skip unreadable images instead of raising; each is
                listed in ``skipped`` of the batch being filled when it was
                met.
            encoder_noise: As :meth:`encode`.

        Yields:
            EncodingResult: One per batch (the last may hold only skipped
            images).
        """
        for names, x, _, codes, records, skipped in self._iter_encoded(
                images, seed, batch_size, skip_bad, encoder_noise):
            codes = codes.float().cpu() if names else \
                torch.empty(0, self.noise_size)
            yield EncodingResult(names, codes, records, skipped)

    def iter_reconstruct(self, images, seed: int = 0, batch_size: int = 64,
                         skip_bad: bool = False,
                         encoder_noise: str = 'random'
                         ) -> Iterator[ReconstructionResult]:
        """:meth:`reconstruct` batch by batch (see :meth:`iter_encode`)."""
        for names, x, samples, codes, records, skipped in \
                self._iter_encoded(images, seed, batch_size, skip_bad,
                                   encoder_noise):
            if not names:
                images = torch.empty(0, *self.image_shape)
                none = torch.empty(0, dtype=torch.float64)
                yield ReconstructionResult(
                    [], images, images.clone(),
                    torch.empty(0, self.noise_size), none, none.clone(),
                    none.clone(), [], skipped)
                continue
            with torch.no_grad():
                recon = self._decode(codes)
            prep = self.model.data_preprocessor
            x01 = prep.destruct(x, samples).double().cpu() / 255.
            r01 = prep.destruct(recon, samples).double().cpu() / 255.
            yield ReconstructionResult(
                names=names,
                inputs=self._rgb(x01.float()),
                reconstructions=self._rgb(r01.float()),
                codes=codes.float().cpu(),
                l1=l1_error(x01, r01),
                mse=mse_error(x01, r01),
                psnr=psnr(x01, r01, 1.),
                records=records,
                skipped=skipped)

    def interpolate(self, a, b, steps: int = 10, mode: str = 'linear',
                    seed: int = 0,
                    encoder_noise: str = 'random') -> InterpolationResult:
        """Images along a path between two codes.

        Each end is an int (a seed: the code :meth:`prior` gives for it,
        i.e. the first sample of :meth:`sample` with that seed), a code
        ((D,) or (1, D) tensor or array), or one image (path, PIL image,
        (H, W[, C]) uint8 array, (C, H, W) tensor), which is encoded. Two
        images are encoded together as the batch ``[a, b]`` with ``seed``,
        so the ends equal ``reconstruct([a, b], seed=seed)``.

        Args:
            a: Start.
            b: End.
            steps: Images on the path, both ends included (>= 2).
            mode: ``'linear'`` or ``'slerp'`` (spherical; nearly parallel
                codes get the linear path, opposite codes are refused).
            seed: Seed of a stochastic encoder's noise.
            encoder_noise: ``'random'`` or ``'zero'``.

        Returns:
            InterpolationResult: ``steps`` codes and images.
        """
        check_positive_int('steps', steps, low=2)
        if mode not in INTERPOLATION_MODES:
            raise ValueError(f'mode must be one of {INTERPOLATION_MODES}, '
                             f'got {mode!r}')
        ends: List[Optional[Tensor]] = [None, None]
        labels = ['', '']
        image_ends = []
        for i, end in enumerate((a, b)):
            if isinstance(end, bool):
                raise ValueError(f'interpolation end {end!r}: pass a seed '
                                 f'(int), a code or an image')
            if isinstance(end, (int, np.integer)):
                ends[i] = self.prior(1, int(end))[0]
                labels[i] = f'seed {int(end)}'
            elif self._is_code(end):
                ends[i] = self.check_codes(end)[0]
                labels[i] = 'code'
            else:
                image_ends.append(i)
        if image_ends:
            self.require_encoder('interpolating between images')
            given = [(a, b)[i] for i in image_ends]
            parts = list(self.iter_encode(given, seed,
                                          encoder_noise=encoder_noise))
            result = EncodingResult(
                names=sum((p.names for p in parts), []),
                codes=torch.cat([p.codes for p in parts]))
            for i, name, code in zip(image_ends, result.names, result.codes):
                ends[i], labels[i] = code, name
        codes = interpolate_codes(ends[0], ends[1], steps, mode)
        return InterpolationResult(codes, self.decode(codes), labels, mode)

    # ------------------------------------------------------------------
    # pictures
    # ------------------------------------------------------------------
    @staticmethod
    def to_pil(images: Tensor) -> list:
        """(N, C, H, W) images in [0, 1] (RGB or gray) as PIL images."""
        from PIL import Image
        if not torch.is_tensor(images) or images.dim() != 4 or \
                images.shape[1] not in (1, 3):
            raise ValueError('to_pil expects a (N, 1|3, H, W) tensor in '
                             '[0, 1]')
        return [Image.fromarray(a) for a in to_uint8(images)]

    def to_unit(self, x: Tensor) -> Tensor:
        """Generator-range images (normalised as the preprocessor does) to
        [0, 1], RGB order, float32 on the CPU (the preprocessor's
        ``destruct``, clamped)."""
        y = self.model.data_preprocessor.destruct(x, None).float().cpu()
        return self._rgb(y / 255.)

    # ------------------------------------------------------------------
    # internals
    # ------------------------------------------------------------------
    def _rgb(self, y: Tensor) -> Tensor:
        if y.shape[1] == 3 and self.channel_order == 'bgr':
            y = y[:, [2, 1, 0]]
        return y

    def _decode(self, codes: Tensor) -> Tensor:
        if self.sample_model == 'ema':
            gen = self.model.generator_ema
        else:
            gen = unwrap(self.model.generator)
        out = gen(noise=codes, return_noise=False)
        return out['fake_img'] if isinstance(out, dict) else out

    def _is_code(self, end) -> bool:
        if isinstance(end, np.ndarray) and end.dtype != np.uint8:
            return end.ndim in (1, 2) and end.shape[-1] == self.noise_size
        if torch.is_tensor(end):
            return end.dim() == 1 or (end.dim() == 2 and end.shape[0] == 1)
        return False

    @property
    def pipeline(self) -> ImagePipeline:
        """The conversion of user images (built on first use)."""
        if self._pipeline is None:
            key, steps = find_test_pipeline(self.cfg)
            self._pipeline = ImagePipeline(steps, self.image_shape,
                                           self.channel_order, key)
        return self._pipeline

    def _iter_encoded(self, images, seed: int, batch_size: int,
                      skip_bad: bool, encoder_noise: str):
        self.require_encoder('encoding images')
        check_positive_int('batch_size', batch_size)
        if encoder_noise not in ENCODER_NOISE:
            raise ValueError(f'encoder_noise must be one of {ENCODER_NOISE}, '
                             f'got {encoder_noise!r}')
        inputs = list_inputs(images)
        noise_dim = self.encoder_noise_size
        stream = SeededNormal(seed, noise_dim) if noise_dim else None
        for packed, records, skipped in self.pipeline.batches(
                inputs, batch_size, skip_bad):
            if not packed:
                yield [], None, None, None, [], skipped
                continue
            with torch.no_grad():
                x, samples = real_images_and_samples(
                    self.model.data_preprocessor, pseudo_collate(packed))
                kwargs = {}
                if stream is not None:
                    eps = stream.take(len(packed))
                    if encoder_noise == 'zero':
                        eps = torch.zeros_like(eps)
                    kwargs['noise'] = eps.to(x.device, x.dtype)
                codes = self.model.encode(x, **kwargs)
            yield ([r['name'] for r in records], x, samples, codes, records,
                   skipped)


# ----------------------------------------------------------------------
# building
# ----------------------------------------------------------------------
def load_config(config: Union[str, Config],
                cfg_options: Optional[dict] = None) -> Config:
    """A config from a path (or a copy of a ``Config``), with overrides."""
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif isinstance(config, (str, os.PathLike)):
        path = os.fspath(config)
        if not osp.isfile(path):
            raise FileNotFoundError(f'config file {path!r} not found')
        cfg = Config.fromfile(path)
    else:
        raise ValueError(f'config must be a path or an mmengine Config, got '
                         f'{type(config).__name__}')
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise ValueError(f'config {config!r} has no model')
    scope = cfg.get('default_scope', 'mmagic')
    if scope != 'mmagic':
        raise ValueError(f"config default_scope={scope!r}; alpha-gan-plugin "
                         f"models live in MMagic's scope: set "
                         f"default_scope='mmagic'")
    return cfg


def resolve_device(device: Optional[str]) -> torch.device:
    """``device`` as a ``torch.device`` that exists here (None: a GPU when
    one is visible, else the CPU)."""
    if device is None:
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"device {device!r} is not a torch device; use "
                         f"'cpu' or 'cuda'") from err
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise ValueError(f'device {device!r} but no GPU is visible to torch; '
                         f"use device 'cpu'")
    if dev.type not in ('cpu', 'cuda'):
        raise ValueError(f"device {device!r}: use 'cpu' or 'cuda'")
    return dev


def build_model(cfg: Config) -> nn.Module:
    """The config's model, built without touching the global random state
    (parameter initialisation draws from it; its state is restored)."""
    from mmagic.registry import MODELS
    with torch.random.fork_rng(devices=[]), \
            DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    return model


def load_weights(model: nn.Module, checkpoint: str, config_name: str) -> None:
    """Load a Runner checkpoint into ``model``, strictly.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not a checkpoint, or one that does not fit the model
            (names and shapes compared by ``compatibility_problems``).
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint file {checkpoint!r} not found')
    try:
        ckpt = torch.load(checkpoint, map_location='cpu')
    except Exception as err:  # any unpickling failure: not a checkpoint
        raise ValueError(
            f'checkpoint {checkpoint!r} cannot be read by torch.load '
            f'({type(err).__name__}: {err}); pass a .pth file saved by '
            f'tools/train.py') from err
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise ValueError(f'checkpoint {checkpoint!r} holds no state_dict; '
                         f'pass a .pth file saved by tools/train.py')
    model_state = model.state_dict()
    state = plain_keys(state, model_keys=set(model_state))
    problems = compatibility_problems(model_state, state)
    if problems:
        trained = ckpt.get('meta', {}).get('experiment_name') \
            if isinstance(ckpt.get('meta'), dict) else None
        raise ValueError(
            f'checkpoint {checkpoint!r} does not fit the '
            f'{type(model).__name__} model of {config_name}: '
            f'{"; ".join(problems)}. It was trained with another config'
            f'{f" (run {trained})" if trained else ""}: pass that config '
            f'(or the same widths, noise_size and image size through '
            f'cfg_options), or a checkpoint of this config.')
    model.load_state_dict(state, strict=True)


def find_test_pipeline(cfg: Config):
    """``(config key, transforms)`` of the test pipeline (the validation
    one when the config has no test dataloader)."""
    for split in ('test', 'val'):
        loader = cfg.get(f'{split}_dataloader')
        if not isinstance(loader, dict):
            continue
        key, dataset = f'{split}_dataloader.dataset', loader.get('dataset')
        while isinstance(dataset, dict) and 'pipeline' not in dataset and \
                isinstance(dataset.get('dataset'), dict):
            key, dataset = key + '.dataset', dataset['dataset']
        if isinstance(dataset, dict) and 'pipeline' in dataset:
            return key + '.pipeline', list(dataset['pipeline'])
    raise ValueError(
        'the config has no test_dataloader.dataset.pipeline (nor a '
        'val_dataloader one): the inferencer converts images with it; add '
        'the pipeline the model was evaluated with')


def resolve_channel_order(cfg: Config, preprocessor, channels: int,
                          given: Optional[str]) -> str:
    """Channel order (``'rgb'``/``'bgr'``) of colour images in the model.

    In MMagic the model sees colour images in the preprocessor's
    ``output_channel_order`` when set, else in the order the data arrive:
    ``LoadImageFromFile``'s ``channel_order`` (default ``'bgr'``) or the
    data set's (``ARRAY_DATASET_CHANNEL_ORDER``).
    """
    if given is not None and given not in ('rgb', 'bgr'):
        raise ValueError(f"channel_order must be 'rgb' or 'bgr', got "
                         f'{given!r}')
    if channels == 1:
        return given or 'rgb'
    known, source = None, ''
    out = getattr(preprocessor, 'output_channel_order', None)
    if out:
        known, source = out.lower(), 'data_preprocessor.output_channel_order'
    else:
        try:
            key, steps = find_test_pipeline(cfg)
        except ValueError:
            key, steps = '', []
        loaders = [t for t in steps if isinstance(t, dict) and str(
            t.get('type', '')).split('.')[-1] == 'LoadImageFromFile']
        if loaders:
            known = str(loaders[0].get('channel_order', 'bgr')).lower()
            source = f'{key} LoadImageFromFile'
        else:
            dataset = cfg.get('test_dataloader', {}).get('dataset', {}) or {}
            kind = str(dataset.get('type', '')).split('.')[-1]
            if kind in ARRAY_DATASET_CHANNEL_ORDER:
                known = ARRAY_DATASET_CHANNEL_ORDER[kind]
                source = f'data set {kind}'
    if given is not None and known is not None and given != known:
        raise ValueError(f'channel_order={given!r} but the config says '
                         f'{known!r} ({source}); drop channel_order')
    if given is None and known is None:
        raise ValueError(
            'cannot tell the channel order of colour images in this model '
            '(no data_preprocessor.output_channel_order, no '
            'LoadImageFromFile in the test pipeline, unknown data set); pass '
            "channel_order='rgb' or 'bgr' (--channel-order)")
    return given or known


__all__ = [
    'AutoEncodingGANInferencer', 'ReconstructionResult', 'EncodingResult',
    'InterpolationResult', 'ENCODER_NOISE', 'load_config', 'resolve_device',
    'build_model', 'load_weights', 'find_test_pipeline',
    'resolve_channel_order'
]
