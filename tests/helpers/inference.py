"""Tiny trained checkpoints and image files for the inference tests."""
import gzip
import os
import os.path as osp
import sys

import numpy as np
import torch

from helpers import FASHION_MNIST_ROOT, ROOT, options_dict  # noqa: F401

TOOLS = osp.join(ROOT, 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

CONFIGS = dict(
    alpha_gan=osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py'),
    age=osp.join(ROOT, 'configs', 'age_fashion_mnist.py'),
    dcgan=osp.join(ROOT, 'configs', 'dcgan_fashion_mnist.py'))

# helpers.TINY's 16x16 options, minus the networks a model lacks
_NOT_IN = dict(
    alpha_gan=(),
    age=('model.discriminator', 'model.code_discriminator'),
    dcgan=('model.encoder', 'model.code_discriminator', 'custom_hooks'))


def tiny_options(kind):
    """``--cfg-options`` of a 16x16 tiny run of ``kind`` (a list)."""
    from helpers import TINY
    return [o for o in TINY if not o.startswith(_NOT_IN[kind])]


def train_tiny(kind, work_dir):
    """Train ``kind`` for 4 iterations through tools/train.py; returns the
    final checkpoint's path."""
    import train as train_tool
    train_tool.main([CONFIGS[kind], '--work-dir', work_dir,
                     '--cfg-options', *tiny_options(kind)])
    path = osp.join(work_dir, 'iter_4.pth')
    assert osp.isfile(path), os.listdir(work_dir)
    return path


def fashion_test_images(num):
    """The first ``num`` Fashion-MNIST test images, (num, 28, 28) uint8."""
    path = osp.join(FASHION_MNIST_ROOT, 't10k-images-idx3-ubyte.gz')
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    return np.frombuffer(raw, np.uint8, offset=16)[:num * 784].reshape(
        num, 28, 28)


def write_pngs(folder, arrays, prefix='img'):
    """Save uint8 arrays as PNG files; returns their paths."""
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i, arr in enumerate(arrays):
        p = osp.join(folder, f'{prefix}{i:02d}.png')
        Image.fromarray(arr).save(p)
        paths.append(p)
    return paths


def read_png(path):
    from PIL import Image
    with Image.open(path) as img:
        return np.asarray(img)


def save_untrained(kind, path, options):
    """A checkpoint of a freshly built (untrained) model of ``kind`` with
    config ``options`` (for behaviour that needs no trained weights)."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from mmagic.registry import MODELS
    cfg = Config.fromfile(CONFIGS[kind])
    cfg.merge_from_dict(options)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return path
