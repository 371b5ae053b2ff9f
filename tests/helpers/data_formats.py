"""Small data sets in the real on-disk formats of the GPU configs' data
(import as ``data_formats``): CIFAR-10's python pickles and a CelebA-style
folder of JPEG and PNG faces."""
import gzip
import os
import pickle
import struct

import cv2
import numpy as np

CIFAR10_BATCHES = ['data_batch_1', 'data_batch_2', 'data_batch_3',
                   'data_batch_4', 'data_batch_5']
CIFAR10_LABELS = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog',
                  'frog', 'horse', 'ship', 'truck']


class Py2Str(bytes):
    """A Python 2 ``str``, the type of every key and name in CIFAR-10's
    pickles (written by Python 2)."""


class _Py2Pickler(pickle._Pickler):
    """Protocol-2 pickler writing :class:`Py2Str` with the string opcodes of
    Python 2, so Python 3 reads it back as ``str`` under
    ``encoding='latin1'`` (MMagic's ``CIFAR10``) and as ``bytes`` under
    ``encoding='bytes'`` (the data set's own instructions), as it reads the
    real files."""
    dispatch = dict(pickle._Pickler.dispatch)

    def _save_py2str(self, obj):
        data = bytes(obj)
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack('<i', len(data)) +
                       data)
        self.memoize(obj)

    dispatch[Py2Str] = _save_py2str


def _dump(obj, path):
    with open(path, 'wb') as f:
        _Py2Pickler(f, protocol=2).dump(obj)


def cifar10_images(n, seed):
    """(n, 32, 32, 3) uint8 RGB images: smooth random colour fields."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (n, 4, 4, 3)).astype(np.uint8)
    return np.stack([cv2.resize(img, (32, 32)) for img in small])


def write_cifar10(data_root, per_batch=8, test=40, prefix='cifar10'):
    """``<data_root>/<prefix>/cifar-10-batches-py`` as CIFAR-10 ships it:
    ``data_batch_1..5`` and ``test_batch`` (dicts of ``data``, (N, 3072)
    uint8 rows of the R, G and B planes, ``labels``, ``batch_label`` and
    ``filenames``) and ``batches.meta``, with ``per_batch`` images per
    training batch and ``test`` test images (10,000 each in the real set).

    Returns:
        dict: ``{file name: (N, 32, 32, 3) RGB images}``.
    """
    folder = os.path.join(str(data_root), prefix, 'cifar-10-batches-py')
    os.makedirs(folder, exist_ok=True)
    written = {}
    names = CIFAR10_BATCHES + ['test_batch']
    for i, name in enumerate(names):
        n = test if name == 'test_batch' else per_batch
        imgs = cifar10_images(n, seed=i)
        label = ('testing batch 1 of 1' if name == 'test_batch' else
                 f'training batch {i + 1} of 5')
        _dump({
            Py2Str(b'batch_label'): Py2Str(label.encode()),
            Py2Str(b'labels'): [int(k % 10) for k in range(n)],
            Py2Str(b'data'): imgs.transpose(0, 3, 1, 2).reshape(n, 3072),
            Py2Str(b'filenames'): [Py2Str(f'img_{i}_{k}.png'.encode())
                                   for k in range(n)],
        }, os.path.join(folder, name))
        written[name] = imgs
    _dump({
        Py2Str(b'num_cases_per_batch'): 10000,
        Py2Str(b'label_names'): [Py2Str(s.encode()) for s in CIFAR10_LABELS],
        Py2Str(b'num_vis'): 3072,
    }, os.path.join(folder, 'batches.meta'))
    return written


def without_cifar10_checksums(monkeypatch):
    """Let MMagic's ``CIFAR10`` accept test-made files: it compares every
    file with the MD5 of the real one (and would download the real set
    when they differ); the file names stay, the checksums go."""
    from mmagic.datasets import CIFAR10
    for attr in ('train_list', 'test_list'):
        monkeypatch.setattr(CIFAR10, attr,
                            [[name, None] for name, _ in getattr(CIFAR10,
                                                                 attr)])
    monkeypatch.setattr(CIFAR10, 'meta', dict(CIFAR10.meta, md5=None))


def face_like(rng, height=72, width=60):
    """An RGB uint8 image of a bright ellipse on a coloured background."""
    img = np.empty((height, width, 3), np.uint8)
    img[:] = rng.integers(0, 120, 3)
    cv2.ellipse(img, (width // 2, height // 2),
                (width // 3, height * 2 // 5), 0, 0, 360,
                [int(c) for c in rng.integers(120, 256, 3)], -1)
    return img


def write_image_folder(root, n, seed=0, subfolders=2):
    """``n`` face-like images in ``root``, JPEG and PNG alternating, spread
    over ``subfolders`` sub-folders (CelebA's aligned images are JPEG
    files of one folder; mixed formats and nesting test more).

    Returns:
        list: The paths written, in sorted order.
    """
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(n):
        folder = os.path.join(str(root), f'part{i % subfolders}')
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder,
                            f'{i:06d}.' + ('jpg' if i % 2 == 0 else 'png'))
        cv2.imwrite(path, face_like(rng))
        paths.append(path)
    return sorted(paths)


def write_idx(path, array, compress=True):
    """Write ``array`` as an idx file (gzip-compressed if ``compress``)."""
    header = struct.pack('>HBB', 0, 0x08, array.ndim) + struct.pack(
        '>' + 'I' * array.ndim, *array.shape)
    data = header + array.astype(np.uint8).tobytes()
    opener = gzip.open if compress else open
    with opener(path, 'wb') as f:
        f.write(data)


def make_root(tmp_path, n=5, split='train', compress=True, sub=''):
    """A Fashion-MNIST folder of ``n`` random 28x28 images in idx format
    (``(root, images, labels)``)."""
    root = tmp_path / 'fm'
    folder = root / sub if sub else root
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = np.arange(n, dtype=np.uint8) % 10
    stem = 'train' if split == 'train' else 't10k'
    ext = '.gz' if compress else ''
    write_idx(str(folder / f'{stem}-images-idx3-ubyte{ext}'), images, compress)
    write_idx(str(folder / f'{stem}-labels-idx1-ubyte{ext}'), labels, compress)
    return str(root), images, labels
