"""TrainTimeBudgetHook: training stops once its seconds are spent, and the
end-of-run checkpoint and validation still happen."""
import json
import os
import os.path as osp

import pytest
import torch

from helpers import (FM_CONFIG, needs_fashion_mnist, tiny_run_options, tool,
                     without)

train_tool = tool('train')


@needs_fashion_mnist
def test_time_budget_hook_stops_and_counts(tmp_path):
    cfg = tmp_path / 'budget.py'
    cfg.write_text(
        f"_base_ = {FM_CONFIG!r}\n"
        "custom_hooks = [dict(type='TrainTimeBudgetHook', seconds=1e-6),\n"
        "                dict(type='MetricsLogHook', plot_filename=None)]\n")
    work = str(tmp_path / 'run')
    opts = without(tiny_run_options(str(cfg)), 'custom_hooks', 'train_cfg')
    train_tool.main([str(cfg), '--work-dir', work, '--cfg-options', *opts,
                     'train_cfg.max_iters=50', 'train_cfg.val_interval=50'])
    # the budget is spent by the first iteration: it is the last one, and
    # the end-of-run checkpoint and validation still happen
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == [
        'iter_1.pth']
    meta = torch.load(osp.join(work, 'iter_1.pth'))['meta']
    assert meta['train_seconds'] > 0
    records = [json.loads(line) for line in open(
        osp.join(work, 'metrics.jsonl'))]
    assert [r['iter'] for r in records] == [1]
    with pytest.raises(ValueError, match='seconds must be a positive'):
        from alpha_gan_plugin.engine import TrainTimeBudgetHook
        TrainTimeBudgetHook(seconds=0)


class _FakeClock:
    """perf_counter for the hook: each training iteration lasts 1 s."""

    def __init__(self):
        self.now = 0.0
        self.calls = 0

    def __call__(self):
        # before_train_iter reads it, after_train_iter reads it again
        self.calls += 1
        if self.calls % 2 == 0:
            self.now += 1.0
        return self.now


@needs_fashion_mnist
def test_validation_every_training_seconds(tmp_path, monkeypatch):
    from alpha_gan_plugin.engine.hooks import train_time_budget_hook as mod
    monkeypatch.setattr(mod.time, 'perf_counter', _FakeClock())
    cfg = tmp_path / 'timed.py'
    cfg.write_text(
        f"_base_ = {FM_CONFIG!r}\n"
        "custom_hooks = [dict(type='TrainTimeBudgetHook', seconds=7,\n"
        "                     val_every_seconds=2.5),\n"
        "                dict(type='MetricsLogHook', plot_filename=None)]\n")
    work = str(tmp_path / 'run')
    opts = without(tiny_run_options(str(cfg)), 'custom_hooks', 'train_cfg')
    runner = train_tool.main([
        str(cfg), '--work-dir', work, '--cfg-options', *opts,
        'train_cfg.max_iters=100', 'train_cfg.val_interval=1000'])
    records = [json.loads(line) for line in open(
        osp.join(work, 'metrics.jsonl'))]
    # 1 s per iteration: the marks 2.5 and 5.0 are passed after iterations
    # 3 and 5, the 7 s budget ends the run after iteration 7 (its own
    # end-of-run validation); each record carries its training seconds
    assert [(r['iter'], r['train_seconds']) for r in records] == [
        (3, 3.0), (5, 5.0), (7, 7.0)]
    assert all('ms-ssim/avg' in r['metrics'] for r in records)
    # the configured schedule is back after the timed validations
    assert runner.train_loop.dynamic_intervals == [1000]
    with pytest.raises(ValueError, match='val_every_seconds must be'):
        from alpha_gan_plugin.engine import TrainTimeBudgetHook
        TrainTimeBudgetHook(seconds=5, val_every_seconds=-1)


def test_process_clock_counts_cpu_seconds_and_refuses_a_wall_checkpoint(
        monkeypatch):
    from alpha_gan_plugin.engine.hooks import train_time_budget_hook as mod
    monkeypatch.setattr(mod.time, 'process_time', _FakeClock())
    monkeypatch.setattr(mod.time, 'perf_counter',
                        lambda: pytest.fail('the wall clock was read'))
    hook = mod.TrainTimeBudgetHook(seconds=5, clock='process')
    hook.before_train_iter(None, 0)
    assert hook._start == 0.0 and hook._now() == 1.0  # the CPU clock
    ckpt = {}
    hook.before_save_checkpoint(None, ckpt)
    assert ckpt['meta']['train_seconds_clock'] == 'process'
    wall = mod.TrainTimeBudgetHook(seconds=5)
    with pytest.raises(ValueError, match="counted process seconds.*"
                       "clock='process'"):
        wall.after_load_checkpoint(None, ckpt)
    with pytest.raises(ValueError, match="clock='gpu'"):
        mod.TrainTimeBudgetHook(clock='gpu')
