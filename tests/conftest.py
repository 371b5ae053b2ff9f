"""Shared fixtures: MMagic's registries in scope, tiny alpha-GAN configs."""
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
