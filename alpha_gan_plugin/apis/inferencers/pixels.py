"""Pixels of user images: formats, reading, conversion to 8 bits and
fitting to the model's size and channels (used by :mod:`.image_inputs`)."""
import os.path as osp
from typing import Any, List, Tuple

import numpy as np
import torch

#: What counts as one image input: a path, a PIL image, an (H, W) or
#: (H, W, C) uint8 array in RGB order, or a (C, H, W) float tensor in
#: [0, 1], RGB order (a stack (N, C, H, W) counts as N images).
ImageInput = Any

#: File name extensions of image formats (lower case). In a folder, files
#: with other extensions (``notes.txt``, ``.csv`` ...) are skipped and
#: counted; a file with one of these extensions that does not decode is an
#: error (unless bad files are skipped).
IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.bmp',
                    '.gif', '.tif', '.tiff', '.webp', '.ppm', '.pgm',
                    '.pbm', '.pnm', '.tga', '.ico')


def is_image_file(name: str) -> bool:
    """Whether ``name`` has an image format's extension (any case)."""
    return osp.splitext(name)[1].lower() in IMAGE_EXTENSIONS


def to_uint8(arr: np.ndarray, name: str) -> np.ndarray:
    """16-bit and float pixels as 8 bits, by one fixed rule.

    * unsigned 16-bit integers (and Pillow's 32-bit ``I`` images, which is
      how it opens 16-bit files): the full range 0..65535 maps linearly to
      0..255 (``round(v / 257)``); values outside it are an error;
    * floats: the range [0, 1] maps to 0..255 (``round(v * 255)``); values
      outside it (or NaN) are an error, since no scaling would be
      unambiguous;
    * uint8 is returned as is.

    Raises:
        ImageReadError: Values outside the range of their type's rule.
    """
    if arr.dtype == np.uint8:
        return arr
    if arr.dtype.kind in 'iu':
        lo, hi = (int(arr.min()), int(arr.max())) if arr.size else (0, 0)
        if lo < 0 or hi > 65535:
            raise ImageReadError(
                name, f'has integer pixels in [{lo}, {hi}]; 16-bit images '
                f'must lie in [0, 65535] (scaled to 8 bits by v / 257)')
        return np.round(arr.astype(np.float64) / 257).astype(np.uint8)
    if arr.dtype.kind == 'f':
        if not np.isfinite(arr).all() or (arr.size and (
                arr.min() < 0 or arr.max() > 1)):
            raise ImageReadError(
                name, f'has float pixels in [{np.nanmin(arr):g}, '
                f'{np.nanmax(arr):g}]; float images must lie in [0, 1] '
                f'(scaled to 8 bits by v * 255)')
        return np.round(arr.astype(np.float64) * 255).astype(np.uint8)
    raise ImageReadError(name, f'has pixels of type {arr.dtype}; pass uint8, '
                         f'uint16 or float in [0, 1]')


class ImageReadError(ValueError):
    """A user image that cannot be read or used; the message names it."""

    def __init__(self, name: str, reason: str):
        super().__init__(f'{name}: {reason}')
        self.name = name
        self.reason = reason


def read_with_pillow(path: str, channel_order: str) -> np.ndarray:
    """An image file as a uint8 (H, W, 1) gray or (H, W, 3) array.

    Colour images come in ``channel_order`` (``'rgb'`` or ``'bgr'``).

    Raises:
        ImageReadError: The file is not an image Pillow can decode, or has
            more than 8 bits per channel.
    """
    from PIL import Image, ImageOps
    try:
        with Image.open(path) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
    except Exception as err:  # every reader failure means: not usable
        raise ImageReadError(
            path, f'cannot be read as an image ({type(err).__name__}: '
            f'{err}); remove it, re-export it, or skip bad files '
            f'(skip_bad=True, --skip-bad)') from err
    return pil_to_array(img, channel_order, name=path)


def pil_to_array(img, channel_order: str, name: str) -> np.ndarray:
    """A PIL image as a uint8 (H, W, 1) or (H, W, 3) array (see
    :func:`read_with_pillow`)."""
    if img.mode in ('I', 'I;16', 'I;16B', 'I;16L', 'I;16N', 'F'):
        # 16-bit or float gray: to 8 bits by :func:`to_uint8`'s rule
        return to_uint8(np.asarray(img), name)[..., None].copy()
    if img.mode in ('1', 'L', 'LA'):
        arr = np.asarray(img.convert('L'))[..., None]
    else:
        arr = np.asarray(img.convert('RGB'))
        if channel_order == 'bgr':
            arr = arr[..., ::-1]
    return np.array(arr, order='C')  # a writable copy


def in_memory_to_array(item, name: str, channel_order: str) -> np.ndarray:
    """A PIL image, numpy array or tensor as in :func:`pil_to_array`."""
    from PIL import Image
    if isinstance(item, Image.Image):
        return pil_to_array(item, channel_order, name)
    if torch.is_tensor(item):
        if item.dim() != 3 or item.shape[0] not in (1, 3) or \
                not item.is_floating_point():
            raise ImageReadError(
                name, f'a tensor image must be float (C, H, W) with C 1 or 3 '
                f'and values in [0, 1], got {item.dtype} '
                f'{tuple(item.shape)}')
        item = (item.detach().float().cpu().clamp(0, 1) * 255 +
                0.5).to(torch.uint8).permute(1, 2, 0).numpy()
    if not isinstance(item, np.ndarray):
        raise ImageReadError(
            name, f'unsupported input type {type(item).__name__}; pass a '
            f'path, a PIL image, a uint8 array or a float tensor')
    if item.ndim not in (2, 3) or \
            (item.ndim == 3 and item.shape[2] not in (1, 3, 4)):
        raise ImageReadError(
            name, f'an array image must be (H, W) or (H, W, 1|3|4), '
            f'RGB order; got {item.dtype} {item.shape}')
    item = to_uint8(item, name)
    arr = item if item.ndim == 3 else item[..., None]
    if arr.shape[2] == 4:
        arr = arr[..., :3]
    if arr.shape[2] == 3 and channel_order == 'bgr':
        arr = arr[..., ::-1]
    return np.array(arr, order='C')  # a writable copy


def fit_image(img: np.ndarray, size: Tuple[int, int], channels: int,
              channel_order: str) -> Tuple[np.ndarray, List[str]]:
    """Resize ``img`` to ``size`` and convert it to ``channels``.

    Args:
        img: (H, W) or (H, W, C) array (uint8 or float), C in 1..4.
        size: Target (height, width).
        channels: Target channels, 1 or 3.
        channel_order: ``'rgb'`` or ``'bgr'``, order of colour input.

    Returns:
        tuple: The (h, w, channels) array (same dtype) and the list of
        changes made (e.g. ``'resized 28x28->32x32'``, ``'gray->3ch'``).
    """
    import cv2
    notes = []
    if img.ndim == 2:
        img = img[..., None]
    if img.shape[2] == 4:
        img, notes = img[..., :3], notes + ['alpha dropped']
    elif img.shape[2] == 2:
        img, notes = img[..., :1], notes + ['alpha dropped']
    if img.shape[2] == 1 and channels == 3:
        img, notes = np.repeat(img, 3, axis=2), notes + ['gray->3ch']
    elif img.shape[2] == 3 and channels == 1:
        code = cv2.COLOR_RGB2GRAY if channel_order == 'rgb' else \
            cv2.COLOR_BGR2GRAY
        img = cv2.cvtColor(np.ascontiguousarray(img), code)[..., None]
        notes.append('color->gray')
    h, w = img.shape[:2]
    if (h, w) != tuple(size):
        interp = cv2.INTER_AREA if size[0] < h and size[1] < w else \
            cv2.INTER_LINEAR
        out = cv2.resize(np.ascontiguousarray(img), (size[1], size[0]),
                         interpolation=interp)
        img = out[..., None] if out.ndim == 2 else out
        notes.append(f'resized {h}x{w}->{size[0]}x{size[1]}')
    return np.ascontiguousarray(img), notes
