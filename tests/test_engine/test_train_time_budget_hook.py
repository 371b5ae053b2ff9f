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
