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
from typing import Iterator, List, Optional

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from torch import Tensor

from ...evaluation.functional import l1_error, mse_error, psnr
from ...utils.preprocessing import real_images_and_samples
from .image_inputs import list_inputs
from .latent import (INTERPOLATION_MODES, SeededNormal, check_positive_int,
                     interpolate_codes)
from .loaded_model import LoadedModel
# the loading functions, importable from here as before the split
from .loading import (build_model, find_test_pipeline,  # noqa: F401
                      load_config, load_weights, resolve_channel_order,
                      resolve_device)
from .results import (EncodedBatch, EncodingResult, InterpolationResult,
                      ReconstructionResult)

#: How a stochastic encoder's noise is chosen (see the class docstring).
ENCODER_NOISE = ('random', 'zero')


class AutoEncodingGANInferencer(LoadedModel):
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

    Args: those of :class:`~alpha_gan_plugin.apis.inferencers.loaded_model.
        LoadedModel` (config, checkpoint, device, cfg_options,
        sample_model, channel_order).
    """

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
        for batch in self._iter_encoded(images, seed, batch_size, skip_bad,
                                        encoder_noise):
            codes = batch.codes.float().cpu() if batch.names else \
                torch.empty(0, self.noise_size)
            yield EncodingResult(batch.names, codes, batch.records,
                                 batch.skipped)

    def iter_reconstruct(self, images, seed: int = 0, batch_size: int = 64,
                         skip_bad: bool = False,
                         encoder_noise: str = 'random'
                         ) -> Iterator[ReconstructionResult]:
        """:meth:`reconstruct` batch by batch (see :meth:`iter_encode`)."""
        for batch in self._iter_encoded(images, seed, batch_size, skip_bad,
                                        encoder_noise):
            if not batch.names:
                images = torch.empty(0, *self.image_shape)
                none = torch.empty(0, dtype=torch.float64)
                yield ReconstructionResult(
                    [], images, images.clone(),
                    torch.empty(0, self.noise_size), none, none.clone(),
                    none.clone(), [], batch.skipped)
                continue
            with torch.no_grad():
                recon = self._decode(batch.codes)
            prep = self.model.data_preprocessor
            x01 = prep.destruct(batch.images, batch.samples).double().cpu() \
                / 255.
            r01 = prep.destruct(recon, batch.samples).double().cpu() / 255.
            yield ReconstructionResult(
                names=batch.names,
                inputs=self._rgb(x01.float()),
                reconstructions=self._rgb(r01.float()),
                codes=batch.codes.float().cpu(),
                l1=l1_error(x01, r01),
                mse=mse_error(x01, r01),
                psnr=psnr(x01, r01, 1.),
                records=batch.records,
                skipped=batch.skipped)

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
    def _iter_encoded(self, images, seed: int, batch_size: int,
                      skip_bad: bool,
                      encoder_noise: str) -> Iterator[EncodedBatch]:
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
                yield EncodedBatch([], None, None, None, [], skipped)
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
            yield EncodedBatch([r['name'] for r in records], x, samples,
                               codes, records, skipped)


__all__ = [
    'AutoEncodingGANInferencer', 'ReconstructionResult', 'EncodingResult',
    'InterpolationResult', 'ENCODER_NOISE', 'load_config', 'resolve_device',
    'build_model', 'load_weights', 'find_test_pipeline',
    'resolve_channel_order'
]
