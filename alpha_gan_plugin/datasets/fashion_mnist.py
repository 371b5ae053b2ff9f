"""Fashion-MNIST read straight from its idx files, served as MMagic samples."""
import gzip
import os
import os.path as osp
import struct
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmagic.registry import DATASETS

#: Where Debian's ``dataset-fashion-mnist`` package puts the idx files.
DEBIAN_FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist'

_SPLIT_FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}
_SPLIT_SIZES = {'train': 60000, 'test': 10000}

# torchvision's FashionMNIST keeps the same idx files under
# <root>/FashionMNIST/raw/, so a torchvision download is also accepted.
_TORCHVISION_SUBDIR = osp.join('FashionMNIST', 'raw')


def read_idx(path: str) -> np.ndarray:
    """Read an idx file (optionally gzip-compressed) into a numpy array.

    Args:
        path: Path of an ``*-ubyte`` or ``*-ubyte.gz`` file.

    Returns:
        np.ndarray: uint8 array with the shape stored in the file header.

    Raises:
        ValueError: If the file is not an unsigned-byte idx file or is
            truncated.
    """
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    if len(raw) < 4:
        raise ValueError(f'{path} is not an idx file (only {len(raw)} bytes)')
    zero, dtype_code, ndim = struct.unpack('>HBB', raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(
            f'{path} is not an unsigned-byte idx file (magic bytes '
            f'{raw[:4].hex()}, expected 0000 08 0N)')
    header = 4 + 4 * ndim
    shape = struct.unpack('>' + 'I' * ndim, raw[4:header])
    count = int(np.prod(shape))
    if len(raw) - header != count:
        raise ValueError(
            f'{path} is truncated or corrupt: header says shape {shape} '
            f'({count} bytes of data) but the file holds {len(raw) - header}')
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _find_split_file(data_root: str, stem: str) -> Optional[str]:
    for folder in (data_root, osp.join(data_root, _TORCHVISION_SUBDIR)):
        for name in (stem, stem + '.gz'):
            path = osp.join(folder, name)
            if osp.isfile(path):
                return path
    return None


def resize_images(images: np.ndarray, image_size: int,
                  channels: int) -> np.ndarray:
    """Resize a stack of gray images and expand them to ``channels``.

    Args:
        images: uint8 array of shape (N, H, W).
        image_size: Output side length (bilinear, antialiased when shrinking).
        channels: 1 (gray) or 3 (gray replicated to RGB).

    Returns:
        np.ndarray: uint8 array of shape (N, image_size, image_size, channels).
    """
    import cv2
    n, h, w = images.shape
    if (h, w) != (image_size, image_size):
        interp = cv2.INTER_AREA if image_size < min(h, w) else \
            cv2.INTER_LINEAR
        out = np.empty((n, image_size, image_size), dtype=np.uint8)
        for i in range(n):
            out[i] = cv2.resize(
                images[i], (image_size, image_size), interpolation=interp)
        images = out
    images = images[..., None]
    if channels == 3:
        images = np.repeat(images, 3, axis=-1)
    return np.ascontiguousarray(images)


@DATASETS.register_module()
class FashionMNISTDataset(BaseDataset):
    """Fashion-MNIST (Xiao et al., 2017) for unconditional image generation.

    Reads the original idx files from ``data_root`` (Debian's
    ``dataset-fashion-mnist`` package installs them in
    ``/usr/share/datasets/fashion-mnist``; a torchvision download in
    ``<data_root>/FashionMNIST/raw`` works too), resizes the 28x28 gray
    images once to ``image_size`` and serves each as ``results['gt']``:
    a uint8 HxWxC array, the format MMagic's ``LoadImageFromFile`` would
    produce, so the usual MMagic pipelines (``Flip``, ``PackInputs`` ...)
    apply unchanged.

    Args:
        data_root: Folder holding the idx files (``.gz`` or not).
        split: ``'train'`` (60k images) or ``'test'`` (10k images).
        image_size: Side of the square output images, 8..1024.
        channels: 1 for gray or 3 for gray replicated to RGB.
        num_images: Use only the first ``num_images`` images of the split
            (None = all).
        download: When the files are missing, download them with
            ``torchvision.datasets.FashionMNIST`` into ``data_root``
            (needs internet).
        pipeline: MMagic data transforms.
        test_mode: Forwarded to :class:`mmengine.dataset.BaseDataset`.
    """

    METAINFO = dict(
        dataset_name='Fashion-MNIST',
        classes=('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
                 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'))

    def __init__(self,
                 data_root: str = DEBIAN_FASHION_MNIST_ROOT,
                 split: str = 'train',
                 image_size: int = 32,
                 channels: int = 1,
                 num_images: Optional[int] = None,
                 download: bool = False,
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 **kwargs):
        if split not in _SPLIT_FILES:
            raise ValueError(f"FashionMNISTDataset: split must be 'train' or "
                             f"'test', got {split!r}")
        if not isinstance(image_size, int) or not 8 <= image_size <= 1024:
            raise ValueError(f'FashionMNISTDataset: image_size must be an int '
                             f'in [8, 1024], got {image_size!r}')
        if channels not in (1, 3):
            raise ValueError(f'FashionMNISTDataset: channels must be 1 or 3, '
                             f'got {channels!r}')
        if num_images is not None and not (
                isinstance(num_images, int)
                and 0 < num_images <= _SPLIT_SIZES[split]):
            raise ValueError(
                f'FashionMNISTDataset: num_images must be None or an int in '
                f'[1, {_SPLIT_SIZES[split]}] for split {split!r}, got '
                f'{num_images!r}')
        unknown = set(kwargs) - {'metainfo', 'serialize_data', 'lazy_init',
                                 'max_refetch', 'indices', 'filter_cfg'}
        if unknown:
            raise ValueError(f'FashionMNISTDataset got unknown arguments '
                             f'{sorted(unknown)}')
        self.split = split
        self.image_size = image_size
        self.channels = channels
        self.num_images = num_images
        self.download = download
        self._images: Optional[np.ndarray] = None
        self._labels: Optional[np.ndarray] = None
        kwargs.setdefault('serialize_data', False)
        super().__init__(
            data_root=data_root,
            pipeline=list(pipeline),
            test_mode=test_mode,
            **kwargs)

    def _locate_files(self):
        img_stem, label_stem = _SPLIT_FILES[self.split]
        img = _find_split_file(self.data_root, img_stem)
        lab = _find_split_file(self.data_root, label_stem)
        if (img is None or lab is None) and self.download:
            from torchvision.datasets import FashionMNIST
            os.makedirs(self.data_root, exist_ok=True)
            FashionMNIST(self.data_root, train=self.split == 'train',
                         download=True)
            img = _find_split_file(self.data_root, img_stem)
            lab = _find_split_file(self.data_root, label_stem)
        if img is None or lab is None:
            raise FileNotFoundError(
                f'Fashion-MNIST {self.split} files ({img_stem}[.gz], '
                f'{label_stem}[.gz]) not found in data_root='
                f'{self.data_root!r} (nor in its {_TORCHVISION_SUBDIR}/). '
                f'Either install the Debian package (`sudo apt-get install '
                f'dataset-fashion-mnist`, files land in '
                f'{DEBIAN_FASHION_MNIST_ROOT}) and set data_root to it, or '
                f'set download=True in the dataset config (torchvision '
                f'download, needs internet).')
        return img, lab

    def load_data_list(self) -> List[dict]:
        img_path, label_path = self._locate_files()
        images = read_idx(img_path)
        labels = read_idx(label_path)
        if images.ndim != 3 or labels.ndim != 1 or \
                images.shape[0] != labels.shape[0]:
            raise ValueError(
                f'Fashion-MNIST files disagree: images {images.shape} from '
                f'{img_path}, labels {labels.shape} from {label_path}')
        if self.num_images is not None:
            if self.num_images > len(images):
                raise ValueError(
                    f'FashionMNISTDataset: num_images={self.num_images} but '
                    f'{img_path} holds only {len(images)} images; lower '
                    f'num_images or set it to None')
            images = images[:self.num_images]
            labels = labels[:self.num_images]
        self._images = resize_images(images, self.image_size, self.channels)
        self._labels = labels.astype(np.int64)
        self._img_path = img_path
        return [dict(index=i) for i in range(len(self._labels))]

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        i = info['index']
        img = self._images[i].copy()
        info.update(
            gt=img,
            ori_gt_shape=img.shape,
            gt_channel_order='rgb',
            gt_color_type='grayscale' if self.channels == 1 else 'color',
            gt_label=int(self._labels[i]),
            gt_path=f'{self._img_path}#{i}')
        return info
