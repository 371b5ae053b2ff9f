"""Constants and markers shared by the test modules (import as ``helpers``).

Kept out of ``conftest.py`` so that test folders with conftests of their own
do not shadow them.
"""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist'


def has_fashion_mnist():
    return os.path.isfile(
        os.path.join(FASHION_MNIST_ROOT, 'train-images-idx3-ubyte.gz'))


needs_fashion_mnist = pytest.mark.skipif(
    not has_fashion_mnist(),
    reason='Debian package dataset-fashion-mnist not installed '
    '(tools/install.sh installs it)')
