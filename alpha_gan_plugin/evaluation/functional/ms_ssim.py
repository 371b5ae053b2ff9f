"""Multi-scale structural similarity (Wang, Simoncelli & Bovik, 2003).

The computation follows the common PyTorch convention of ``pytorch-msssim``
(valid Gaussian filtering, per-channel scores averaged over channels,
2x2 average pooling padded by ``size % 2`` between scales, ReLU on the
contrast-structure and final SSIM terms), so that with the same window and
weights the numbers are interchangeable.

Small images: the 5-scale weights of Wang et al. with an 11-tap window need a
side of at least 161 px.  Instead of refusing smaller images, the number of
scales is reduced deterministically (see :func:`plan_ms_ssim_scales`).
"""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: Scale weights of Wang et al. (2003), finest scale first.
MS_SSIM_WEIGHTS: Tuple[float, ...] = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def gaussian_window(win_size: int, sigma: float,
                    dtype: torch.dtype = torch.float32) -> Tensor:
    """Normalised 1-D Gaussian taps centred on the middle tap.

    Args:
        win_size: Number of taps (odd, >= 1).
        sigma: Standard deviation in pixels (> 0).
        dtype: Output dtype.

    Returns:
        Tensor: Shape (win_size,), sums to 1.
    """
    offsets = torch.arange(win_size, dtype=torch.float64) - (win_size - 1) / 2
    taps = torch.exp(-0.5 * (offsets / sigma)**2)
    return (taps / taps.sum()).to(dtype)


def scale_sides(side: int, num_scales: int) -> Tuple[int, ...]:
    """Side length of each scale, finest first.

    Pooling is 2x2 with ``side % 2`` zero padding, i.e. ``ceil(side / 2)``.
    """
    sides = [side]
    for _ in range(num_scales - 1):
        sides.append(math.ceil(sides[-1] / 2))
    return tuple(sides)


def plan_ms_ssim_scales(height: int,
                        width: int,
                        win_size: int = 11,
                        weights: Optional[Sequence[float]] = None,
                        small_image: str = 'reduce_scales'
                        ) -> Tuple[float, ...]:
    """Scale weights actually used for an image size (the small-image rule).

    Rule: with ``L = len(weights)``, use the largest ``k <= L`` such that the
    coarsest of ``k`` scales (side ``ceil(min(H, W) / 2**(k-1))``) is at least
    ``win_size`` px, and weights ``w[:k] / sum(w[:k])`` (the first ``k``
    weights renormalised to sum to 1).  ``k == L`` for large images, so the
    usual weights are used unchanged.  Examples with the default weights and
    an 11-tap window: 32 px -> 2 scales, 64 px -> 3, 128 px -> 4,
    >= 161 px -> 5.

    Args:
        height: Image height in px.
        width: Image width in px.
        win_size: Gaussian window size.
        weights: Scale weights, finest first (default: :data:`MS_SSIM_WEIGHTS`).
        small_image: ``'reduce_scales'`` applies the rule above;
            ``'error'`` raises instead of dropping any scale.

    Returns:
        tuple: The weights to use, finest first.

    Raises:
        ValueError: If even the finest scale is smaller than the window, or
            ``small_image='error'`` and scales would be dropped.
    """
    weights = tuple(float(w) for w in (weights or MS_SSIM_WEIGHTS))
    if len(weights) == 0 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError(f'ms_ssim weights must be non-negative with a '
                         f'positive sum, got {weights}')
    if win_size < 1 or win_size % 2 == 0:
        raise ValueError(f'ms_ssim win_size must be odd and >= 1, got '
                         f'{win_size}')
    if small_image not in ('reduce_scales', 'error'):
        raise ValueError(f"small_image must be 'reduce_scales' or 'error', "
                         f'got {small_image!r}')
    sides = scale_sides(min(height, width), len(weights))
    k = sum(1 for s in sides if s >= win_size)
    if k == 0:
        raise ValueError(
            f'images of {height}x{width} px are smaller than the MS-SSIM '
            f'window (win_size={win_size}); lower win_size')
    if k < len(weights):
        if small_image == 'error':
            raise ValueError(
                f'{len(weights)}-scale MS-SSIM with win_size={win_size} needs '
                f'a side of at least '
                f'{(win_size - 1) * 2**(len(weights) - 1) + 1} '
                f'px, got {height}x{width}; set small_image="reduce_scales" '
                f'or pass fewer weights')
        total = sum(weights[:k])
        weights = tuple(w / total for w in weights[:k])
    return weights


def _filter(x: Tensor, taps: Tensor) -> Tensor:
    """Separable 'valid' Gaussian filtering of (N, C, H, W)."""
    c = x.shape[1]
    k = taps.numel()
    x = F.conv2d(x, taps.view(1, 1, 1, k).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, taps.view(1, 1, k, 1).repeat(c, 1, 1, 1), groups=c)


def ssim_components(x: Tensor, y: Tensor, data_range: float, taps: Tensor,
                    k1: float = 0.01, k2: float = 0.03
                    ) -> Tuple[Tensor, Tensor]:
    """Per-channel mean SSIM and contrast-structure terms.

    Args:
        x, y: (N, C, H, W) float images in [0, data_range].
        data_range: Dynamic range of the pixel values.
        taps: 1-D Gaussian window.
        k1, k2: SSIM stabilising constants.

    Returns:
        tuple: ``(ssim, cs)``, each of shape (N, C).
    """
    c1 = (k1 * data_range)**2
    c2 = (k2 * data_range)**2
    # SSIM only needs var_x + var_y, so x^2 + y^2 is filtered as one map:
    # four filtered maps instead of the usual five.
    mu_x, mu_y, e_sq, e_xy = (
        _filter(m, taps) for m in (x, y, x * x + y * y, x * y))
    mu_xx, mu_yy, mu_xy = mu_x * mu_x, mu_y * mu_y, mu_x * mu_y
    var_sum, cov = e_sq - mu_xx - mu_yy, e_xy - mu_xy
    cs_map = (2 * cov + c2) / (var_sum + c2)
    ssim_map = (2 * mu_xy + c1) / (mu_xx + mu_yy + c1) * cs_map
    return ssim_map.mean(dim=(2, 3)), cs_map.mean(dim=(2, 3))


def ms_ssim(x: Tensor,
            y: Tensor,
            data_range: float = 255.,
            win_size: int = 11,
            sigma: float = 1.5,
            weights: Optional[Sequence[float]] = None,
            k1: float = 0.01,
            k2: float = 0.03,
            small_image: str = 'reduce_scales',
            reduction: str = 'mean') -> Tensor:
    """Multi-scale SSIM between two image batches.

    Args:
        x, y: (N, C, H, W) float tensors with values in [0, data_range].
        data_range: Dynamic range (255 for [0, 255] images, 1 for [0, 1]).
        win_size: Gaussian window size (odd).
        sigma: Gaussian standard deviation.
        weights: Scale weights, finest first (default: the 5 of Wang et al.).
            Their number is the number of scales before the small-image rule
            of :func:`plan_ms_ssim_scales` is applied.
        k1, k2: SSIM constants.
        small_image: See :func:`plan_ms_ssim_scales`.
        reduction: ``'mean'`` (scalar) or ``'none'`` (shape (N,)).

    Returns:
        Tensor: MS-SSIM in [0, 1]; the mean over channels of the per-channel
        score.
    """
    if x.shape != y.shape or x.dim() != 4:
        raise ValueError(f'ms_ssim needs two (N, C, H, W) tensors of the same '
                         f'shape, got {tuple(x.shape)} and {tuple(y.shape)}')
    if reduction not in ('mean', 'none'):
        raise ValueError(f"reduction must be 'mean' or 'none', got "
                         f'{reduction!r}')
    w = plan_ms_ssim_scales(x.shape[2], x.shape[3], win_size, weights,
                            small_image)
    if not x.is_floating_point():
        x = x.float()
    y = y.to(x.dtype)
    taps = gaussian_window(win_size, sigma, x.dtype).to(x.device)
    terms = []
    for level in range(len(w)):
        ssim, cs = ssim_components(x, y, data_range, taps, k1, k2)
        if level == len(w) - 1:
            terms.append(torch.relu(ssim))
        else:
            terms.append(torch.relu(cs))
            pad = [x.shape[2] % 2, x.shape[3] % 2]
            x = F.avg_pool2d(x, 2, padding=pad)
            y = F.avg_pool2d(y, 2, padding=pad)
    weight = torch.tensor(w, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    score = torch.prod(torch.stack(terms) ** weight, dim=0).mean(dim=1)
    return score.mean() if reduction == 'mean' else score


def random_pairs(num_items: int, num_pairs: int,
                 generator: Optional[torch.Generator] = None) -> Tensor:
    """Random pairs of distinct indices.

    Args:
        num_items: Pool size (>= 2).
        num_pairs: Number of pairs.
        generator: CPU random generator (for reproducibility).

    Returns:
        Tensor: (num_pairs, 2) int64, ``out[:, 0] != out[:, 1]``.
    """
    if num_items < 2:
        raise ValueError(f'need at least 2 images to form pairs, got '
                         f'{num_items}')
    first = torch.randint(num_items, (num_pairs, ), generator=generator)
    # an offset in [1, n-1] guarantees a different second index
    offset = torch.randint(1, num_items, (num_pairs, ), generator=generator)
    return torch.stack([first, (first + offset) % num_items], dim=1)


def sample_pair_ms_ssim(images: Tensor,
                        num_pairs: int,
                        generator: Optional[torch.Generator] = None,
                        batch_size: int = 256,
                        **ms_ssim_kwargs) -> Tensor:
    """Mean MS-SSIM over random pairs of distinct images (a diversity score).

    Lower means more diverse; compare with the same number on real data.

    Args:
        images: (N, C, H, W), values in [0, data_range].
        num_pairs: Number of random pairs (>= 1).
        generator: Random generator choosing the pairs.
        batch_size: Pairs per MS-SSIM call (does not change the result).
        **ms_ssim_kwargs: Forwarded to :func:`ms_ssim`.

    Returns:
        Tensor: Scalar mean MS-SSIM.
    """
    if num_pairs < 1:
        raise ValueError(f'num_pairs must be >= 1, got {num_pairs}')
    pairs = random_pairs(images.shape[0], num_pairs, generator)
    scores = [
        ms_ssim(images[p[:, 0]], images[p[:, 1]], reduction='none',
                **ms_ssim_kwargs) for p in pairs.split(batch_size)
    ]
    return torch.cat(scores).mean()


def paired_ms_ssim(x: Tensor, y: Tensor, batch_size: int = 256,
                   **ms_ssim_kwargs) -> Tensor:
    """Mean MS-SSIM of ``x[i]`` vs ``y[i]`` (e.g. data vs reconstructions).

    Args:
        x, y: (N, C, H, W), values in [0, data_range].
        batch_size: Images per MS-SSIM call (does not change the result).
        **ms_ssim_kwargs: Forwarded to :func:`ms_ssim`.

    Returns:
        Tensor: Scalar mean MS-SSIM.
    """
    if x.shape != y.shape:
        raise ValueError(f'paired_ms_ssim needs equal shapes, got '
                         f'{tuple(x.shape)} and {tuple(y.shape)}')
    scores = [
        ms_ssim(a, b, reduction='none', **ms_ssim_kwargs)
        for a, b in zip(x.split(batch_size), y.split(batch_size))
    ]
    return torch.cat(scores).mean()
