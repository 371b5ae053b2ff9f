"""Shared fixtures: MMagic's registries in scope, tiny alpha-GAN configs."""
import copy
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import ROOT  # noqa: E402

if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import alpha_gan_plugin  # noqa: E402,F401
from mmagic.utils import register_all_modules  # noqa: E402

register_all_modules(init_default_scope=True)
torch.set_num_threads(min(2, torch.get_num_threads()))

TINY_MODEL = dict(
    type='AlphaGAN',
    noise_size=8,
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5],
                           std=[127.5]),
    generator=dict(type='DCGANGenerator', output_scale=16, out_channels=1,
                   base_channels=16, noise_size=8),
    discriminator=dict(type='DCGANDiscriminator', input_scale=16,
                       output_scale=4, out_channels=1, in_channels=1,
                       base_channels=8),
    encoder=dict(type='AlphaGANEncoder', input_scale=16, in_channels=1,
                 base_channels=8),
    code_discriminator=dict(type='CodeDiscriminator', hidden_channels=16,
                            num_layers=2),
    loss_config=dict(rec_weight=1.0))


@pytest.fixture
def tiny_model_cfg():
    """A deep copy of a 16x16, 1-channel alpha-GAN model config."""
    return copy.deepcopy(TINY_MODEL)

