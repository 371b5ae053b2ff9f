"""Checkpoints saved by an earlier layout of the package still load and
resume (tests/data/pre_refactor/README.md says how they were made)."""
import os.path as osp
import shutil

import pytest
import torch

from helpers import ROOT, needs_fashion_mnist, tool
from helpers import AGE_CONFIG, AGE_TINY, FM_CONFIG, TINY


DATA = osp.join(ROOT, 'tests', 'data', 'pre_refactor')
train_tool = tool('train')
ALPHA_OPTS = [o for o in TINY if not o.startswith(('train_cfg.max_iters',
                                                   'train_cfg.val_interval'))]
ALPHA_OPTS += ['model.encoder.noise_size=4', 'train_cfg.val_interval=100']
AGE_OPTS = [o for o in AGE_TINY if not o.startswith(('train_cfg.max_iters',
                                                     'train_cfg.val_interval'))]
AGE_OPTS += ['train_cfg.val_interval=100']


@needs_fashion_mnist
@pytest.mark.parametrize('config,opts,name', [
    (FM_CONFIG, ALPHA_OPTS, 'alpha_gan_tiny_iter2.pth'),
    (AGE_CONFIG, AGE_OPTS, 'age_tiny_iter2.pth'),
], ids=['alpha-GAN', 'AGE'])
def test_pre_refactor_checkpoint_resumes(tmp_path, config, opts, name):
    old = osp.join(DATA, name)
    ckpt = str(tmp_path / name)
    shutil.copy(old, ckpt)
    saved = torch.load(old, map_location='cpu')
    work = str(tmp_path / 'run')
    runner = train_tool.main([
        config, '--work-dir', work, '--resume', ckpt, '--cfg-options', *opts,
        'train_cfg.max_iters=3', 'default_hooks.checkpoint.interval=1'
    ])
    # resumed at iteration 2 (one more iteration trained, not a fresh start)
    assert runner.iter == 3
    new = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu')
    assert set(new['state_dict']) == set(saved['state_dict'])
    assert set(new['optimizer']) == set(saved['optimizer'])
    assert new['meta']['exact_resume']['iter'] == 3
    # the weights were loaded, then trained: close to, but not equal to, the
    # saved ones (a fresh initialisation would be far from them)
    changed = 0
    for key, value in saved['state_dict'].items():
        # parameters only: batch-norm running statistics move faster
        if value.is_floating_point() and value.numel() > 1 and \
                '.running_' not in key:
            diff = (new['state_dict'][key] - value).abs().max().item()
            assert diff < 0.05, (key, diff)
            changed += diff > 0
    assert changed > 0
