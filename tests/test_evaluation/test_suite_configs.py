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

from _support import make_files
from helpers import ROOT, needs_fashion_mnist

sys.path.insert(0, osp.join(ROOT, 'tools'))
sys.path.insert(0, osp.join(ROOT, 'tests'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402
from test_tools import TINY  # noqa: E402

DATA16 = [o for o in TINY if o.startswith(('train_dataloader',
                                           'val_dataloader',
                                           'test_dataloader'))]
GAN16 = ['model.noise_size=8', 'model.generator.output_scale=16',
         'model.generator.base_channels=16',
         'model.discriminator.input_scale=16',
         'model.discriminator.base_channels=8']
ENC16 = ['model.encoder.input_scale=16', 'model.encoder.base_channels=8',
         'model.code_discriminator.hidden_channels=16',
         'custom_hooks.0.interval=2', 'custom_hooks.0.num_samples=8',
         'custom_hooks.0.num_recons=8']
TRAIN = ['train_cfg.max_iters=2', 'train_cfg.val_interval=100',
         'default_hooks.checkpoint.interval=2']


def suite_options(files, encoder):
    """Small sample counts, test-made networks, 16 px data for the WCD."""
    m = 'test_evaluator.metrics'
    opts = [
        f'{m}.0.fake_nums=16', f'{m}.0.splits=2',
        f'{m}.0.classifier_path={files["clf"]}',
        f'{m}.1.fake_nums=16', f'{m}.1.win_size=3',
        f'{m}.2.fake_nums=32', f'{m}.2.train_real_nums=32',
        f'{m}.2.real_nums=16', f'{m}.2.steps=5', f'{m}.2.base_channels=8',
        f'{m}.2.train_dataset.image_size=16',
        f'{m}.2.train_dataset.num_images=64',
        f'{m}.3.fake_nums=16', f'{m}.3.real_nums=16', f'{m}.3.resize_to=16',
        f'{m}.3.feature_extractor_path={files["feat"]}',
        f'{m}.3.stats_cache_dir=None',
    ]
    if encoder:
        opts += [f'{m}.4.real_nums=16', f'{m}.4.win_size=3']
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
    model = GAN16 + (ENC16 if encoder else [])
    train_tool.main([cfg, '--work-dir', work, '--cfg-options', *DATA16,
                     *model, *TRAIN])
    metrics = test_tool.main([
        cfg, osp.join(work, 'iter_2.pth'), '--work-dir', work,
        '--cfg-options', *DATA16, *model, *suite_options(files, encoder)])
    expected = {'CS/classifier_score', 'CS/classifier_score_std',
                'MS-SSIM-pairs/ms_ssim_pairs', 'WCD/wcd', 'WCD/wcd_train',
                'FID/fid'}
    if encoder:
        expected |= {'Rec/rec_l1', 'Rec/rec_mse', 'Rec/rec_psnr',
                     'Rec/rec_ms_ssim'}
    assert set(metrics) == expected
    assert all(math.isfinite(float(v)) for v in metrics.values())
