"""Bad input and divergence: clear errors, nothing written over."""
import os.path as osp

import cv2
import numpy as np
import pytest

from helpers import (FM_CONFIG, ROOT, needs_fashion_mnist, tiny_run_options,
                     tool)
from mmagic.registry import DATASETS

train_tool = tool('train')
MIXED = osp.join(ROOT, 'configs', 'alpha_gan_mmagic-dcgan_mnist-64x64.py')
TINY = tiny_run_options(FM_CONFIG)


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


# -- model config --------------------------------------------------------
@needs_fashion_mnist
def test_latent_size_mismatch_through_train_tool(tmp_path):
    work = tmp_path / 'w'
    with pytest.raises(ValueError, match=r'latent size mismatch.*'
                       r'model\.encoder\.latent_size'):
        train_tool.main([FM_CONFIG, '--work-dir', str(work), '--cfg-options',
                         *TINY, 'train_cfg.max_iters=2',
                         'train_cfg.val_interval=100',
                         'model.encoder.latent_size=5'])
    assert not list(work.glob('*.pth')) if work.exists() else True


# -- divergence ----------------------------------------------------------
@needs_fashion_mnist
def test_nan_loss_names_network_iteration_and_last_checkpoint(
        tmp_path, monkeypatch):
    from mmengine import MessageHub
    from alpha_gan_plugin.models.losses import alpha_gan_loss as losses
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


