"""Pictures of inference results: grids, strips, GIFs, single files.

All functions take images as (N, C, H, W) float tensors in [0, 1] (RGB or
gray, as the inferencer returns them) and write files atomically
(:func:`~alpha_gan_plugin.utils.atomic_write`).
"""
from typing import List

import numpy as np
import torch
from torch import Tensor

from ...engine.image_grids import make_grid
from ...utils.atomic_files import atomic_write


def grid(images: Tensor, nrow: int, zoom: int = 1) -> np.ndarray:
    """Tile images, ``nrow`` per row, 2 px of black between them.

    Returns:
        np.ndarray: (H', W', 3) uint8 RGB, each pixel repeated ``zoom``
        times in both directions.
    """
    return zoom_array(make_grid(images, nrow, value_range=(0., 1.)), zoom)


def interleave_rows(top: Tensor, bottom: Tensor, nrow: int) -> Tensor:
    """Rows of ``top`` and ``bottom`` alternately, ``nrow`` images each
    (the data-vs-reconstruction layout of the training grids)."""
    if top.shape != bottom.shape:
        raise ValueError(f'interleave_rows: shapes differ, {tuple(top.shape)}'
                         f' vs {tuple(bottom.shape)}')
    rows = []
    for start in range(0, top.shape[0], nrow):
        rows += [top[start:start + nrow], bottom[start:start + nrow]]
    return torch.cat(rows)


def zoom_array(array: np.ndarray, zoom: int) -> np.ndarray:
    """Nearest-neighbour upscaling of an (H, W[, C]) array by an int."""
    if isinstance(zoom, bool) or not isinstance(zoom, int) or zoom < 1:
        raise ValueError(f'zoom must be an int >= 1, got {zoom!r}')
    if zoom == 1:
        return array
    return array.repeat(zoom, axis=0).repeat(zoom, axis=1)


def to_uint8(images: Tensor) -> List[np.ndarray]:
    """Images as uint8 (H, W) gray or (H, W, 3) RGB arrays."""
    arrays = (images.detach().float().cpu().clamp(0, 1) * 255 +
              0.5).to(torch.uint8).permute(0, 2, 3, 1).numpy()
    return [a[..., 0] if a.shape[2] == 1 else a for a in arrays]


def save_png(path: str, array: np.ndarray) -> None:
    """Write an (H, W) or (H, W, 3) uint8 array as a PNG, atomically."""
    from PIL import Image
    with atomic_write(path, 'wb') as f:
        Image.fromarray(array).save(f, format='PNG')


def save_gif(path: str, frames: List[np.ndarray], duration_ms: int,
             loop: bool = True) -> None:
    """Write uint8 frames as an animated GIF, atomically.

    Args:
        path: Output file.
        frames: (H, W) or (H, W, 3) uint8 arrays of one size.
        duration_ms: Display time of each frame.
        loop: Repeat forever.
    """
    from PIL import Image
    if not frames:
        raise ValueError('save_gif: no frames')
    if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) \
            or duration_ms < 1:
        raise ValueError(f'duration_ms must be an int >= 1, got '
                         f'{duration_ms!r}')
    images = [Image.fromarray(f) for f in frames]
    kwargs = dict(loop=0) if loop else {}
    with atomic_write(path, 'wb') as f:
        images[0].save(f, format='GIF', save_all=True,
                       append_images=images[1:], duration=duration_ms,
                       disposal=2, **kwargs)


__all__ = [
    'grid', 'interleave_rows', 'zoom_array', 'to_uint8', 'save_png',
    'save_gif'
]
