"""AtomicCheckpointHook: checkpoints written whole or not at all, old ones
removed only after their replacement is complete, NaN weights never saved."""
import os
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook

from helpers import (FM_CONFIG, needs_fashion_mnist, tiny_run_options, tool,
                     without)
from mmagic.registry import HOOKS

train_tool = tool('train')
TINY = tiny_run_options(FM_CONFIG)


def load(path):
    return torch.load(path, map_location='cpu')


def dying_rename(monkeypatch, dies):
    """Make the process "die" (KeyboardInterrupt) while a checkpoint file
    for which ``dies(name)`` holds is being written: its temporary file is
    cut short and never renamed to the final name."""
    real_replace = os.replace

    def replace(src, dst):
        if dies(osp.basename(dst)):
            with open(src, 'r+b') as f:
                f.truncate(100)
            raise KeyboardInterrupt(f'simulated crash while writing {dst}')
        real_replace(src, dst)

    monkeypatch.setattr(os, 'replace', replace)


def temp_files(folder):
    return [f for f in os.listdir(folder) if '.tmp' in f]


def test_crash_during_save_keeps_last_good_checkpoint(tmp_path, monkeypatch,
                                                     one_thread):
    """A save that dies half-way leaves the previous checkpoint in place."""
    opts = [*TINY, 'train_cfg.max_iters=4', 'train_cfg.val_interval=100',
            'default_hooks.checkpoint.interval=2',
            'default_hooks.checkpoint.max_keep_ckpts=1']
    work = str(tmp_path / 'w')
    dying_rename(monkeypatch, lambda name: name == 'iter_4.pth')
    with pytest.raises(KeyboardInterrupt):
        train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                         *opts])
    good = osp.join(work, 'iter_2.pth')
    assert not osp.exists(osp.join(work, 'iter_4.pth'))
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == good
    # max_keep_ckpts=1: mmengine would have deleted iter_2 before saving
    state = load(good)
    assert state['meta']['iter'] == 2
    assert all(torch.isfinite(v).all() for v in state['state_dict'].values()
               if v.is_floating_point())


@needs_fashion_mnist
def test_best_checkpoint_replacement_is_atomic(tmp_path, monkeypatch,
                                               one_thread):
    """save_best: a crash while the new best is written keeps the old one;
    without a crash the old best goes only after the new one exists."""
    from mmengine.hooks import CheckpointHook
    # every evaluation is a new best, so each one replaces the previous
    monkeypatch.setitem(CheckpointHook.rule_map, 'greater',
                        lambda new, old: True)
    opts = [*TINY, 'train_cfg.max_iters=4', 'train_cfg.val_interval=2',
            'default_hooks.checkpoint.interval=100',
            'default_hooks.checkpoint.save_best=ms-ssim/avg',
            'default_hooks.checkpoint.rule=greater']
    best = 'best_ms-ssim_avg_iter_{}.pth'

    work = str(tmp_path / 'clean')
    train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options', *opts])
    assert not osp.exists(osp.join(work, best.format(2)))
    assert load(osp.join(work, best.format(4)))['meta']['iter'] == 4
    assert not temp_files(work)

    work = str(tmp_path / 'crash')
    dying_rename(monkeypatch, lambda name: name == best.format(4))
    with pytest.raises(KeyboardInterrupt):
        train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                         *opts])
    # mmengine would have removed the iteration-2 best before this save
    assert load(osp.join(work, best.format(2)))['meta']['iter'] == 2
    assert not osp.exists(osp.join(work, best.format(4)))


# -- divergence ----------------------------------------------------------
@HOOKS.register_module()
class _PoisonGeneratorHook(Hook):
    """Test helper: NaN into one generator weight after iteration ``at``."""
    priority = 'NORMAL'

    def __init__(self, at=4):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            model = runner.model.module if hasattr(
                runner.model, 'module') else runner.model
            with torch.no_grad():
                next(model.generator.parameters()).view(-1)[0] = float('nan')


@needs_fashion_mnist
def test_nan_weights_are_never_saved(tmp_path):
    cfg = tmp_path / 'poison.py'
    cfg.write_text(f'_base_ = [{FM_CONFIG!r}]\n'
                   f'custom_hooks = [dict(type="_PoisonGeneratorHook", '
                   f'at=4)]\n')
    work = str(tmp_path / 'w')
    opts = without(TINY, 'custom_hooks')
    with pytest.raises(FloatingPointError) as info:
        train_tool.main([str(cfg), '--work-dir', work, '--cfg-options',
                         *opts, 'train_cfg.val_interval=100'])
    msg = str(info.value)
    good = osp.join(work, 'iter_2.pth')
    assert 'non-finite weights in generator' in msg
    assert 'at iteration 4; this checkpoint was NOT saved' in msg
    assert f'Last good checkpoint: {good} (kept)' in msg
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == [
        'iter_2.pth'
    ]
    state = torch.load(good, map_location='cpu')['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values()
               if v.is_floating_point())
