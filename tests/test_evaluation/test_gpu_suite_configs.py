"""The GPU configs' test_evaluator: the whole suite through tools/test.py.

`python tools/test.py configs/alpha_gan_cifar10.py CKPT` (and the CelebA
configs: alpha-GAN, AGE and the MMagic DCGAN and WGAN-GP baselines) prints
every metric of the plugin's suite. Here with the configs' own data sets,
pipelines and metric lists, on data written in the real formats (CIFAR-10's
python pickles, a CelebA-style image folder), narrow networks, small sample
counts and test-made network files (a feature TorchScript and an
Inception-format TorchScript).
"""
import math
import os.path as osp
import pickle
import sys

import pytest

from helpers.evaluation import make_files
from helpers.data_formats import (without_cifar10_checksums, write_cifar10,
                          write_image_folder)
from helpers import ROOT, metric_options, narrow_run_options

sys.path.insert(0, osp.join(ROOT, 'tools'))
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402

CONFIGS = osp.join(ROOT, 'configs')
#: The data's share of each config: (config, data set, has an encoder).
GPU_CONFIGS = [
    ('alpha_gan_cifar10.py', 'cifar10', True),
    ('alpha_gan_celeba.py', 'celeba', True),
    ('age_celeba.py', 'celeba', True),
    ('dcgan_celeba.py', 'celeba', False),
    ('wgangp_celeba.py', 'celeba', False),
]
SUITE_KEYS = {'FID/fid', 'WCD/wcd', 'WCD/wcd_train',
              'MS-SSIM-pairs/ms_ssim_pairs'}
ENCODER_KEYS = {'Rec/rec_l1', 'Rec/rec_mse', 'Rec/rec_psnr',
                'Rec/rec_ms_ssim'}
IS_KEYS = {'IS/is', 'IS/is_std'}


def _config(path):
    from mmengine.config import Config
    return Config.fromfile(path)


def suite_options(cfg, files):
    """Small sample counts and the test-made networks for every metric of
    the config's test_evaluator (found by type)."""
    def metric(metric_type, **values):
        return metric_options(cfg, 'test_evaluator', metric_type, **values)

    types = {m['type'] for m in cfg.test_evaluator.metrics}
    opts = [
        *metric('LocalFID', fake_nums=16, real_nums=16, resize_to=16,
                feature_extractor_path=files['feat'], stats_cache_dir=None),
        # held-out split of the 40 test images: 16 + 16
        *metric('WassersteinCriticDistance', fake_nums=32,
                train_real_nums=16, real_nums=16, steps=5, base_channels=8),
        *metric('SamplePairMSSSIM', fake_nums=16, win_size=3),
    ]
    if 'ReconstructionMetrics' in types:
        opts += metric('ReconstructionMetrics', real_nums=16, win_size=3)
    if 'LocalInceptionScore' in types:
        opts += metric('LocalInceptionScore', fake_nums=16, splits=2,
                       inception_path=files['stylegan'])
    return opts


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """CIFAR-10 pickles (8 images per training batch, 40 test images) and
    CelebA-style folders (24 training, 40 test images); the loaders'
    settings pointing at them."""
    root = tmp_path_factory.mktemp('data')
    write_cifar10(root, per_batch=8, test=40)
    write_image_folder(root / 'celeba' / 'train', 24, seed=0)
    write_image_folder(root / 'celeba' / 'test', 40, seed=1)
    cifar = dict(data_root=str(root), download=False)
    return dict(
        cifar10=dict(train=cifar, val=cifar, test=cifar),
        celeba=dict(train=dict(data_root=str(root / 'celeba' / 'train')),
                    val=dict(data_root=str(root / 'celeba' / 'test')),
                    test=dict(data_root=str(root / 'celeba' / 'test'))))


def test_cifar10_files_have_the_real_format(tmp_path):
    """Keys are Python 2 strings, as in the real pickles: bytes under
    encoding='bytes', str under MMagic's encoding='latin1'."""
    imgs = write_cifar10(tmp_path, per_batch=2, test=3)
    path = tmp_path / 'cifar10' / 'cifar-10-batches-py' / 'test_batch'
    with open(path, 'rb') as f:
        raw = pickle.load(f, encoding='bytes')
    assert sorted(raw) == [b'batch_label', b'data', b'filenames', b'labels']
    assert raw[b'data'].dtype.name == 'uint8'
    assert raw[b'data'].shape == (3, 3072)
    # rows are the R, then G, then B planes of a 32x32 image
    assert (raw[b'data'][1, :1024].reshape(32, 32) ==
            imgs['test_batch'][1, :, :, 0]).all()
    with open(path, 'rb') as f:
        assert 'data' in pickle.load(f, encoding='latin1')


@pytest.mark.parametrize('config,dataset,encoder', GPU_CONFIGS)
def test_gpu_config_suite_reports_every_metric(tmp_path, monkeypatch, data,
                                               config, dataset, encoder):
    if dataset == 'cifar10':
        without_cifar10_checksums(monkeypatch)
    files = make_files(tmp_path)
    path = osp.join(CONFIGS, config)
    cfg = _config(path)
    work = str(tmp_path / 'run')
    run = narrow_run_options(cfg, data[dataset])
    train_tool.main([path, '--work-dir', work, '--cfg-options', *run])
    metrics = test_tool.main([
        path, osp.join(work, 'iter_2.pth'), '--work-dir', work,
        '--cfg-options', *run, *suite_options(cfg, files)])
    expected = set(SUITE_KEYS)
    if encoder:
        expected |= ENCODER_KEYS
    if dataset == 'cifar10':
        expected |= IS_KEYS
    assert set(metrics) == expected
    assert all(math.isfinite(float(v)) for v in metrics.values())
    if dataset == 'cifar10':
        # the Inception file is one variable; absent, it is named
        missing = str(tmp_path / 'no_inception.pt')
        with pytest.raises(FileNotFoundError,
                           match=r'`inception_path`=.*no_inception\.pt.*'
                           r'inception-2015-12-05'):
            test_tool.main([
                path, osp.join(work, 'iter_2.pth'), '--work-dir', work,
                '--cfg-options', *run, *suite_options(cfg, files),
                *metric_options(cfg, 'test_evaluator', 'LocalInceptionScore',
                                inception_path=missing)])


@pytest.mark.parametrize('config,dataset,encoder', GPU_CONFIGS)
def test_gpu_config_suite_sample_counts(config, dataset, encoder):
    """Literature-scale counts: 50,000 samples for IS (10 splits) and FID,
    FID against every test image, the critic on the held-out split of the
    test images, 5,000 sample pairs, every test image reconstructed;
    validation during training is the pair MS-SSIM of 1,000 samples."""
    cfg = _config(osp.join(CONFIGS, config))
    test = {m['type']: m for m in cfg.test_evaluator.metrics}
    expected = {'LocalFID', 'WassersteinCriticDistance', 'SamplePairMSSSIM'}
    expected |= {'ReconstructionMetrics'} if encoder else set()
    expected |= {'LocalInceptionScore'} if dataset == 'cifar10' else set()
    assert set(test) == expected
    assert (test['LocalFID']['fake_nums'], test['LocalFID']['real_nums']) \
        == (50000, -1)
    critic = test['WassersteinCriticDistance']
    assert critic['train_dataset'] is None and critic['fake_nums'] == 10000
    assert test['SamplePairMSSSIM']['fake_nums'] == 10000
    if encoder:
        assert test['ReconstructionMetrics']['real_nums'] == -1
    if dataset == 'cifar10':
        inception = test['LocalInceptionScore']
        assert (inception['fake_nums'], inception['splits']) == (50000, 10)
        assert inception['inception_path'] == \
            'data/inception/inception-2015-12-05.pt'
        # the Inception Score is first: its file is the one to set
        assert cfg.test_evaluator.metrics[0].type == 'LocalInceptionScore'
        # the metrics read the test split, training the training split
        assert cfg.test_dataloader.dataset.test_mode is True
        assert cfg.train_dataloader.dataset.test_mode is False
    else:
        assert cfg.train_dataloader.dataset.data_root == 'data/celeba/train'
        assert cfg.test_dataloader.dataset.data_root == 'data/celeba/test'
        assert cfg.train_dataloader.dataset.type == \
            'CheckedImageFolderDataset'
    assert [(m['type'], m['fake_nums']) for m in
            cfg.val_evaluator.metrics] == [('SamplePairMSSSIM', 1000)]
