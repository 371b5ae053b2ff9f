"""Grids of images for people to look at: samples, data vs reconstruction."""
import math
from typing import Sequence

import numpy as np
import torch
import torch.nn as nn
from torch import Tensor


def make_grid(images: Tensor, nrow: int, value_range=(-1.0, 1.0),
              padding: int = 2) -> np.ndarray:
    """Tile images into one uint8 RGB picture.

    Args:
        images: (N, C, H, W) with C in {1, 3}, values in ``value_range``.
        nrow: Images per row.
        value_range: The range mapped to [0, 255]; values outside are clipped.
        padding: Pixels of black between tiles.

    Returns:
        np.ndarray: (H', W', 3) uint8, RGB.
    """
    if images.dim() != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f'make_grid expects (N, 1|3, H, W), got '
                         f'{tuple(images.shape)}')
    low, high = value_range
    imgs = ((images.detach().float().cpu() - low) / (high - low)).clamp(0, 1)
    if imgs.shape[1] == 1:
        imgs = imgs.expand(-1, 3, -1, -1)
    n, _, h, w = imgs.shape
    ncol = math.ceil(n / nrow)
    grid = torch.zeros(3, ncol * (h + padding) + padding,
                       nrow * (w + padding) + padding)
    for i in range(n):
        r, c = divmod(i, nrow)
        top, left = padding + r * (h + padding), padding + c * (w + padding)
        grid[:, top:top + h, left:left + w] = imgs[i]
    return (grid.permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)


def generate(generator: nn.Module, noise: Tensor) -> Tensor:
    """Images of an MMagic generator for ``noise`` (N, noise_size)."""
    out = generator(noise=noise, return_noise=False)
    return out['fake_img'] if isinstance(out, dict) else out


def reconstruction_grid(real: Tensor, recon: Tensor, nrow: int,
                        value_range: Sequence[float] = (-1.0, 1.0)
                        ) -> np.ndarray:
    """A grid whose rows alternate: ``nrow`` data images, then their
    reconstructions (same layout as :func:`make_grid`)."""
    rows = []
    for start in range(0, real.shape[0], nrow):
        rows += [real[start:start + nrow], recon[start:start + nrow]]
    return make_grid(torch.cat(rows), nrow, value_range)
