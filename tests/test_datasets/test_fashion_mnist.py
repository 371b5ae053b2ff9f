"""FashionMNISTDataset: idx parsing, resizing, MMagic sample format, errors."""

import numpy as np
import pytest

from alpha_gan_plugin.datasets import FashionMNISTDataset, read_idx
from alpha_gan_plugin.datasets.fashion_mnist import resize_images
from helpers import FASHION_MNIST_ROOT, needs_fashion_mnist
from helpers.data_formats import make_root, write_idx


@pytest.mark.parametrize('compress', [True, False])
def test_read_idx_roundtrip(tmp_path, compress):
    arr = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = str(tmp_path / ('a.gz' if compress else 'a'))
    write_idx(path, arr, compress)
    np.testing.assert_array_equal(read_idx(path), arr)


def test_read_idx_rejects_truncated_and_foreign_files(tmp_path):
    path = str(tmp_path / 'a')
    write_idx(path, np.zeros((4, 5), np.uint8), compress=False)
    with open(path, 'rb') as f:
        raw = f.read()
    with open(path, 'wb') as f:
        f.write(raw[:-3])
    with pytest.raises(ValueError, match='truncated'):
        read_idx(path)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + b'0' * 20)
    with pytest.raises(ValueError, match='not an unsigned-byte idx'):
        read_idx(path)


def test_native_size_keeps_pixels_and_labels(tmp_path):
    root, images, labels = make_root(tmp_path)
    ds = FashionMNISTDataset(data_root=root, image_size=28, channels=1)
    assert len(ds) == 5
    info = ds.get_data_info(3)
    np.testing.assert_array_equal(info['gt'][..., 0], images[3])
    assert info['gt_label'] == labels[3]
    assert info['gt'].shape == (28, 28, 1) and info['gt'].dtype == np.uint8


def test_resize_and_rgb(tmp_path):
    root, images, _ = make_root(tmp_path, sub='FashionMNIST/raw')
    ds = FashionMNISTDataset(data_root=root, image_size=32, channels=3,
                             pipeline=[dict(type='PackInputs')])
    out = ds[0]
    img = out['data_samples'].gt_img
    assert tuple(img.shape) == (3, 32, 32)
    # gray replicated to three identical channels
    assert (img[0] == img[1]).all() and (img[1] == img[2]).all()
    # bilinear upsampling keeps the mean brightness within a grey level
    assert abs(img[0].float().mean().item() - images[0].mean()) < 2.0
    # resize_images direct: constant images stay constant
    const = np.full((2, 28, 28), 77, np.uint8)
    assert (resize_images(const, 32, 1) == 77).all()
    assert (resize_images(const, 16, 1) == 77).all()


def test_missing_root_names_both_ways_to_get_the_data(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        FashionMNISTDataset(data_root=str(tmp_path / 'nowhere'))
    msg = str(err.value)
    assert 'apt-get install dataset-fashion-mnist' in msg
    assert 'download=True' in msg


@pytest.mark.parametrize('kwargs,match', [
    (dict(split='val'), 'split'),
    (dict(image_size=7), 'image_size'),
    (dict(channels=2), 'channels'),
    (dict(num_images=6), 'num_images'),
    (dict(colour=True), 'unknown arguments'),
])
def test_bad_arguments(tmp_path, kwargs, match):
    root, _, _ = make_root(tmp_path)
    kwargs.setdefault('num_images', None)
    with pytest.raises(ValueError, match=match):
        FashionMNISTDataset(data_root=root, **kwargs)


@needs_fashion_mnist
def test_debian_package_files():
    train = FashionMNISTDataset(data_root=FASHION_MNIST_ROOT, split='train')
    test = FashionMNISTDataset(data_root=FASHION_MNIST_ROOT, split='test',
                               num_images=100)
    assert len(train) == 60000 and len(test) == 100
    labels = train._labels
    # Fashion-MNIST is balanced: 6000 images of each of the 10 classes
    assert np.bincount(labels).tolist() == [6000] * 10
    assert train.get_data_info(0)['gt'].shape == (32, 32, 1)
