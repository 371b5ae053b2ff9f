"""Shared fixtures: MMagic's registries in scope, tiny alpha-GAN configs,
tiny alpha-GAN, AGE and DCGAN checkpoints (trained once per session, for
the inference tests of test_apis/ and test_tools/)."""
import copy
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import ROOT, TINY_MODEL  # noqa: E402

if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import alpha_gan_plugin  # noqa: E402,F401
from mmagic.utils import register_all_modules  # noqa: E402

register_all_modules(init_default_scope=True)
torch.set_num_threads(min(2, torch.get_num_threads()))


@pytest.fixture
def tiny_model_cfg():
    """A deep copy of a 16x16, 1-channel alpha-GAN model config."""
    return copy.deepcopy(TINY_MODEL)


@pytest.fixture
def one_thread():
    """One intra-op thread for the test (bit-identity needs equal thread
    counts in all runs it compares)."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope='session')
def tiny_checkpoints(tmp_path_factory):
    """``{kind: (config, checkpoint, cfg_options dict)}`` for ``alpha_gan``,
    ``age`` and ``dcgan``, each trained 4 iterations at 16x16 through
    tools/train.py."""
    from helpers import has_fashion_mnist
    from helpers.inference import (CONFIGS, options_dict, tiny_options,
                                   train_tiny)
    if not has_fashion_mnist():
        pytest.skip('Debian package dataset-fashion-mnist not installed')
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
