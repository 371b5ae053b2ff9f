"""Typed results of :class:`AutoEncodingGANInferencer` (dataclasses, never
positional tuples)."""
from dataclasses import dataclass, field
from typing import Any, Dict, List

from torch import Tensor


@dataclass
class EncodedBatch:
    """One batch of user images after the encoder (internal to the
    inferencer; :class:`EncodingResult` and :class:`ReconstructionResult`
    are made from it).

    Attributes:
        names: Image names, in input order (empty for a batch that holds
            only skipped images).
        images: (N, C, H, W) images as the model sees them (normalised),
            or None when ``names`` is empty.
        samples: The preprocessed data samples (for the preprocessor's
            ``destruct``), or None when ``names`` is empty.
        codes: (N, D) codes ``E(x)`` on the model's device, or None.
        records: One dict per image (see :class:`ReconstructionResult`).
        skipped: Images skipped as unreadable in this batch.
    """

    names: List[str]
    images: Any
    samples: Any
    codes: Any
    records: List[Dict[str, Any]] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)


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


__all__ = [
    'EncodedBatch', 'ReconstructionResult', 'EncodingResult',
    'InterpolationResult'
]
