"""MetricsLogHook in a real mmengine Runner, next to CheckpointHook's
save_best."""
import glob
import json
import os.path as osp

import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from mmengine.runner import Runner

from alpha_gan_plugin import evaluation
from alpha_gan_plugin.engine.hooks import MetricsLogHook


class ToyModel(BaseModel):
    def __init__(self):
        super().__init__()
        self.w = nn.Linear(1, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        x = torch.stack(inputs).float()
        if mode == 'loss':
            return dict(loss=self.w(x).pow(2).mean())
        return [dict(x=v) for v in x]


class ToyFID(BaseMetric):
    """Reports FID/fid = 1, 3, 2 at the three validations (best: first)."""
    default_prefix = 'FID'
    calls = 0

    def process(self, data_batch, data_samples):
        self.results.append(1)

    def compute_metrics(self, results):
        ToyFID.calls += 1
        return dict(fid=[1.0, 3.0, 2.0][ToyFID.calls - 1], note='text')


def test_metrics_log_hook_with_save_best(tmp_path):
    data = [dict(inputs=torch.tensor([float(i)])) for i in range(4)]
    loader = dict(dataset=data, batch_size=2, num_workers=0,
                  sampler=dict(type='DefaultSampler', shuffle=False),
                  collate_fn=dict(type='pseudo_collate'))
    ToyFID.calls = 0
    runner = Runner(
        model=ToyModel(), work_dir=str(tmp_path), train_dataloader=loader,
        val_dataloader=loader, val_evaluator=[ToyFID()],
        train_cfg=dict(by_epoch=False, max_iters=6, val_interval=2),
        val_cfg=dict(), optim_wrapper=dict(optimizer=dict(type='SGD',
                                                          lr=0.01)),
        default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', interval=2, by_epoch=False,
            save_best='FID/fid', rule='less')),
        custom_hooks=[MetricsLogHook()], default_scope='mmagic')
    runner.train()
    assert evaluation.MetricsLogHook is MetricsLogHook  # documented path
    lines = [json.loads(s) for s in open(osp.join(tmp_path,
                                                  'metrics.jsonl'))]
    assert [r['iter'] for r in lines] == [2, 4, 6]
    assert [r['metrics'] for r in lines] == [{'FID/fid': 1.0},
                                            {'FID/fid': 3.0},
                                            {'FID/fid': 2.0}]
    assert osp.getsize(osp.join(tmp_path, 'metric_curves.png')) > 1000
    best = glob.glob(osp.join(tmp_path, 'best_FID_fid_iter_*.pth'))
    assert [osp.basename(p) for p in best] == ['best_FID_fid_iter_2.pth']
