"""Tiny alpha-GAN, AGE and DCGAN checkpoints, trained once per session."""
import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from helpers import has_fashion_mnist  # noqa: E402
from infer_support import options_dict, tiny_options, train_tiny  # noqa: E402


@pytest.fixture(scope='session')
def tiny_checkpoints(tmp_path_factory):
    """``{kind: (config, checkpoint, cfg_options dict)}`` for ``alpha_gan``,
    ``age`` and ``dcgan``, each trained 4 iterations at 16x16 through
    tools/train.py."""
    if not has_fashion_mnist():
        pytest.skip('Debian package dataset-fashion-mnist not installed')
    from infer_support import CONFIGS
    root = tmp_path_factory.mktemp('infer_ckpts')
    out = {}
    for kind in ('alpha_gan', 'age', 'dcgan'):
        ckpt = train_tiny(kind, str(root / kind))
        out[kind] = (CONFIGS[kind], ckpt,
                     options_dict(tiny_options(kind)))
    return out


@pytest.fixture(scope='session')
def inferencers(tiny_checkpoints):
    """One CPU inferencer per tiny checkpoint."""
    from alpha_gan_plugin.apis import AutoEncodingGANInferencer
    return {kind: AutoEncodingGANInferencer(cfg, ckpt, device='cpu',
                                            cfg_options=opts)
            for kind, (cfg, ckpt, opts) in tiny_checkpoints.items()}
