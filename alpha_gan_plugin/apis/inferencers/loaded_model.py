"""A trained model ready for inference: loaded from a config and a
checkpoint (strictly), with what it makes (image shape, channel order) and
the conversions between the generator's range and [0, 1] images."""
import os
import os.path as osp
from typing import Any, Dict, Optional, Union

import numpy as np
import torch
from mmengine.config import Config
from torch import Tensor

from ...utils.autoencoder import is_autoencoder, unwrap
from .image_inputs import ImagePipeline
from .loading import (build_model, find_test_pipeline, load_config,
                      load_weights, resolve_channel_order, resolve_device)
from .pictures import to_uint8


class LoadedModel:
    """A model built from its config with a checkpoint's weights, in eval
    mode on its device (the part of
    :class:`~alpha_gan_plugin.apis.AutoEncodingGANInferencer` that loads).

    The model is built from the config and the checkpoint's weights are
    loaded strictly: a checkpoint of another model or other widths is a
    ``ValueError`` that says what differs
    (:func:`~alpha_gan_plugin.engine.checkpoint_compatibility.
    compatibility_problems`, the check of ``CheckpointCompatibilityHook``).

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
        # the test pipeline is looked up once: for the channel order here
        # and for converting user images later (:attr:`pipeline`)
        try:
            self._test_pipeline = find_test_pipeline(self.cfg)
            missing = None
        except ValueError as err:
            self._test_pipeline, missing = ('', []), err
        self._missing_pipeline = missing
        self.channel_order = resolve_channel_order(
            self.cfg, self.model.data_preprocessor, self.image_shape[0],
            channel_order, self._test_pipeline)
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
            if self._missing_pipeline is not None:
                raise self._missing_pipeline
            key, steps = self._test_pipeline
            self._pipeline = ImagePipeline(steps, self.image_shape,
                                           self.channel_order, key)
        return self._pipeline


__all__ = ['LoadedModel']
