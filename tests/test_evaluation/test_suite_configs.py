"""The shipped configs' test_evaluator: the whole suite through tools/test.py.

`python tools/test.py configs/alpha_gan_fashion_mnist.py CKPT` evaluates
every metric of the plugin, and the same metric list evaluates MMagic's
DCGAN. Here with tiny networks, 16 px data and test-made weight files (the
real ones are a trained classifier and Inception; see docs/evaluation.md).
"""
import math
import os.path as osp
import sys

import pytest

from helpers.evaluation import make_files
from helpers import (ROOT, metric_options, needs_fashion_mnist,
                     tiny_run_options)

sys.path.insert(0, osp.join(ROOT, 'tools'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402

TRAIN = ['train_cfg.max_iters=2', 'train_cfg.val_interval=100',
         'default_hooks.checkpoint.interval=2']


def suite_options(cfg, files, encoder):
    """Small sample counts and test-made networks; each metric of the
    config's test_evaluator found by its type."""
    def metric(metric_type, **values):
        return metric_options(cfg, 'test_evaluator', metric_type, **values)

    opts = [
        *metric('ClassifierScore', fake_nums=16, splits=2,
                classifier_path=files['clf']),
        *metric('SamplePairMSSSIM', fake_nums=16, win_size=3),
        # held-out split of the 32 test images: 16 + 16
        *metric('WassersteinCriticDistance', fake_nums=32,
                train_real_nums=16, real_nums=16, steps=5, base_channels=8),
        *metric('LocalFID', fake_nums=16, real_nums=16, resize_to=16,
                feature_extractor_path=files['feat'], stats_cache_dir=None),
        *metric('PRDC', fake_nums=16, real_nums=16, k=3,
                classifier_path=files['clf']),
        *metric('DomainFID', fake_nums=16, real_nums=16,
                classifier_path=files['clf']),
    ]
    if encoder:
        opts += metric('ReconstructionMetrics', real_nums=16, win_size=3)
    return opts


@needs_fashion_mnist
@pytest.mark.parametrize('config,encoder', [
    ('alpha_gan_fashion_mnist.py', True),
    ('dcgan_fashion_mnist.py', False),
])
def test_config_suite_reports_every_metric(tmp_path, config, encoder):
    files = make_files(tmp_path)
    cfg = osp.join(ROOT, 'configs', config)
    work = str(tmp_path / 'run')
    tiny = tiny_run_options(cfg, iters=None, checkpoint_interval=None)
    train_tool.main([cfg, '--work-dir', work, '--cfg-options', *tiny,
                     *TRAIN])
    metrics = test_tool.main([
        cfg, osp.join(work, 'iter_2.pth'), '--work-dir', work,
        '--cfg-options', *tiny, *suite_options(cfg, files, encoder)])
    expected = {'CS/classifier_score', 'CS/classifier_score_std',
                'MS-SSIM-pairs/ms_ssim_pairs', 'WCD/wcd', 'WCD/wcd_train',
                'FID/fid', 'FID-FMNIST-CNN/fid_fmnist_cnn'} | {
                    f'PRDC-FMNIST-CNN-k3/{k}' for k in (
                        'precision', 'recall', 'density', 'coverage')}
    if encoder:
        expected |= {'Rec/rec_l1', 'Rec/rec_mse', 'Rec/rec_psnr',
                     'Rec/rec_ms_ssim'}
    assert set(metrics) == expected
    assert all(math.isfinite(float(v)) for v in metrics.values())
