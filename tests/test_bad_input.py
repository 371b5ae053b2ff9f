"""Bad input and divergence: clear errors, nothing written over."""
import os
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.hooks import Hook

from helpers import ROOT, needs_fashion_mnist
from mmagic.registry import DATASETS, HOOKS, MODELS

TOOLS = osp.join(ROOT, 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
import test as test_tool  # noqa: E402
import train as train_tool  # noqa: E402
from test_tools import FM_CONFIG, FM_TEST_CONFIG, TINY  # noqa: E402

from alpha_gan_plugin.engine.hooks.data_shard_check_hook import (  # noqa: E402,E501
    DataShardCheckHook, check_shard_capacity)

MIXED = osp.join(ROOT, 'configs', 'alpha_gan_mmagic-dcgan_mnist-64x64.py')
TWO_ITERS = [*TINY, 'train_cfg.max_iters=2', 'train_cfg.val_interval=100']


def folder(tmp_path, n=4, size=16, mode='L'):
    root = tmp_path / 'imgs'
    root.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        shape = (size, size) if mode == 'L' else (size, size, 3)
        cv2.imwrite(str(root / f'{i}.png'),
                    rng.integers(0, 256, shape, dtype=np.uint8))
    return root


# -- data --------------------------------------------------------------
def test_missing_image_folder_root_names_the_key(tmp_path):
    work = tmp_path / 'w'
    with pytest.raises(FileNotFoundError,
                       match=r'train_dataloader\.dataset\.data_root'):
        train_tool.main([MIXED, '--work-dir', str(work), '--cfg-options',
                         'train_dataloader.dataset.data_root=/nonexistent'])
    assert not work.exists()  # nothing written


def test_checked_folder_accepts_good_images(tmp_path):
    root = folder(tmp_path)
    ds = DATASETS.build(dict(type='CheckedImageFolderDataset',
                             data_root=str(root), data_prefix=dict(gt=''),
                             image_size=16, channels=1))
    assert len(ds) == 4


@pytest.mark.parametrize('problem, match', [
    ('corrupt', r'cannot be read as images: .*2\.png.*remove or re-export'),
    ('size', r'not 16x16: .*2\.png \(20x20\).*Resize'),
    ('mode', r'not gray \(L\): .*2\.png \(mode RGB\).*convert'),
])
def test_checked_folder_names_the_bad_file(tmp_path, problem, match):
    root = folder(tmp_path)
    bad = root / '2.png'
    if problem == 'corrupt':
        bad.write_bytes(bad.read_bytes()[:40])  # truncated PNG
    elif problem == 'size':
        cv2.imwrite(str(bad), np.zeros((20, 20), np.uint8))
    else:
        cv2.imwrite(str(bad), np.zeros((16, 16, 3), np.uint8) + 7)
    with pytest.raises(ValueError, match=match):
        DATASETS.build(dict(type='CheckedImageFolderDataset',
                            data_root=str(root), data_prefix=dict(gt=''),
                            image_size=16, channels=1))


def test_more_processes_than_data_is_refused():
    check_shard_capacity(64, 2, 8, 'train')  # enough: no error
    check_shard_capacity(4, 1, 8, 'train')  # one process: always fed
    with pytest.raises(ValueError, match=r'launch at most 1 processes '
                       r'\(NPROC.*batch_size to 6'):
        check_shard_capacity(12, 2, 8, 'train_dataloader.dataset')


def test_data_shard_hook_uses_world_size(monkeypatch):
    from alpha_gan_plugin.engine.hooks import data_shard_check_hook as module

    class Loader:
        dataset = list(range(12))
        batch_size = 8

    class FakeRunner:
        train_dataloader = Loader()

    hook = DataShardCheckHook()
    monkeypatch.setattr(module, 'get_dist_info', lambda: (0, 1))
    hook.before_train(FakeRunner())
    monkeypatch.setattr(module, 'get_dist_info', lambda: (0, 2))
    with pytest.raises(ValueError, match='2 processes x batch_size 8'):
        hook.before_train(FakeRunner())


# -- model config --------------------------------------------------------
@needs_fashion_mnist
def test_latent_size_mismatch_through_train_tool(tmp_path):
    work = tmp_path / 'w'
    with pytest.raises(ValueError, match=r'latent size mismatch.*'
                       r'model\.encoder\.latent_size'):
        train_tool.main([FM_CONFIG, '--work-dir', str(work), '--cfg-options',
                         *TWO_ITERS, 'model.encoder.latent_size=5'])
    assert not list(work.glob('*.pth')) if work.exists() else True


# -- checkpoints ---------------------------------------------------------
@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    if not osp.isfile('/usr/share/datasets/fashion-mnist/'
                      'train-images-idx3-ubyte.gz'):
        pytest.skip('Fashion-MNIST not installed')
    work = str(tmp_path_factory.mktemp('tiny') / 'run')
    train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                     *TWO_ITERS])
    return work


@pytest.fixture(scope='module')
def dcgan_ckpt(tmp_path_factory):
    """A checkpoint of MMagic's DCGAN (no encoder, no code discriminator)."""
    model = MODELS.build(dict(
        type='DCGAN', noise_size=8,
        data_preprocessor=dict(type='DataPreprocessor'),
        generator=dict(type='DCGANGenerator', output_scale=16,
                       out_channels=1, base_channels=16, noise_size=8),
        discriminator=dict(type='DCGANDiscriminator', input_scale=16,
                           output_scale=4, out_channels=1, in_channels=1,
                           base_channels=8)))
    path = str(tmp_path_factory.mktemp('dcgan') / 'dcgan.pth')
    torch.save(dict(meta=dict(iter=2), state_dict=model.state_dict()), path)
    return path


def test_test_tool_refuses_dcgan_checkpoint(tiny_run, dcgan_ckpt, tmp_path):
    with pytest.raises(ValueError, match=r'does not fit this AlphaGAN.*'
                       r"missing from the checkpoint \(networks "
                       r"\['code_discriminator', 'encoder'\]"):
        test_tool.main([FM_TEST_CONFIG, dcgan_ckpt, '--work-dir',
                        str(tmp_path), '--cfg-options', *TWO_ITERS])


def test_test_tool_refuses_other_widths(tiny_run, tmp_path):
    ckpt = osp.join(tiny_run, 'iter_2.pth')
    with pytest.raises(ValueError, match=r'tensors have other shapes.*'
                       r'generator.*other widths'):
        test_tool.main([FM_TEST_CONFIG, ckpt, '--work-dir', str(tmp_path),
                        '--cfg-options', *TWO_ITERS,
                        'model.generator.base_channels=32'])


@pytest.mark.parametrize('how', ['resume', 'load_from'])
def test_train_tool_refuses_dcgan_checkpoint(tiny_run, dcgan_ckpt, tmp_path,
                                             how):
    work = tmp_path / 'w'
    args = [FM_CONFIG, '--work-dir', str(work)]
    extra = []
    if how == 'resume':
        args += ['--resume', dcgan_ckpt]
    else:
        extra = [f'load_from={dcgan_ckpt}']
    with pytest.raises(ValueError, match='does not fit this AlphaGAN'):
        train_tool.main([*args, '--cfg-options', *TWO_ITERS, *extra])
    assert not list(work.glob('*.pth'))


def test_matching_checkpoint_still_loads(tiny_run, tmp_path):
    """The check does not get in the way of a good checkpoint."""
    ckpt = osp.join(tiny_run, 'iter_2.pth')
    metrics = test_tool.main([FM_TEST_CONFIG, ckpt, '--work-dir',
                              str(tmp_path), '--cfg-options', *TWO_ITERS])
    assert 0.0 <= float(metrics['ms-ssim/avg']) <= 1.0


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
def test_nan_loss_names_network_iteration_and_last_checkpoint(
        tmp_path, monkeypatch):
    from mmengine import MessageHub
    from alpha_gan_plugin.models import losses
    real = losses.reconstruction_l1

    def poisoned(real_img, recon):
        value = real(real_img, recon)
        it = MessageHub.get_current_instance().get_info('iter', 0)
        return value * float('nan') if it == 2 else value

    monkeypatch.setattr(losses, 'reconstruction_l1', poisoned)
    work = str(tmp_path / 'w')
    with pytest.raises(FloatingPointError) as info:
        train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                         *TINY, 'train_cfg.val_interval=100'])
    msg = str(info.value)
    good = osp.join(work, 'iter_2.pth')
    assert 'encoder loss is nan at iteration 3' in msg
    assert f'Last good checkpoint: {good} (kept' in msg
    assert f'--resume {good}' in msg
    assert osp.isfile(good) and not osp.exists(osp.join(work, 'iter_4.pth'))


@needs_fashion_mnist
def test_nan_weights_are_never_saved(tmp_path):
    cfg = tmp_path / 'poison.py'
    cfg.write_text(f'_base_ = [{FM_CONFIG!r}]\n'
                   f'custom_hooks = [dict(type="_PoisonGeneratorHook", '
                   f'at=4)]\n')
    work = str(tmp_path / 'w')
    opts = [o for o in TINY if not o.startswith('custom_hooks')]
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
