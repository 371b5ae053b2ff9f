"""Bad input and divergence: clear errors, nothing written over."""
import os.path as osp
import re

import cv2
import numpy as np
import pytest

from helpers.data_formats import write_image_folder
from helpers import (FM_CONFIG, ROOT, narrow_run_options, needs_fashion_mnist,
                     tiny_run_options, tool)
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




# -- CelebA-style folders: the GPU configs' checked data ------------------
CELEBA = osp.join(ROOT, 'configs', 'alpha_gan_celeba.py')


def celeba_folders(tmp_path, n_train=16, n_test=16):
    """data/celeba-style train and test folders of JPEG and PNG faces."""
    train = write_image_folder(tmp_path / 'celeba' / 'train', n_train)
    write_image_folder(tmp_path / 'celeba' / 'test', n_test, seed=1)
    return train


def celeba_run(tmp_path, *extra):
    from mmengine.config import Config
    root = tmp_path / 'celeba'
    data = dict(train=dict(data_root=str(root / 'train')),
                val=dict(data_root=str(root / 'test')),
                test=dict(data_root=str(root / 'test')))
    work = tmp_path / 'w'
    train_tool.main([CELEBA, '--work-dir', str(work), '--cfg-options',
                     *narrow_run_options(Config.fromfile(CELEBA), data),
                     *extra])
    return work


def mmagic_64x64_pipeline(tmp_path):
    """The training pipeline of MMagic's unconditional_imgs_64x64.py (the
    dataset base the CelebA config had), read through a config that
    inherits it."""
    from mmengine.config import Config
    path = tmp_path / 'mmagic_64x64.py'
    path.write_text(
        "_base_ = 'mmagic::_base_/datasets/unconditional_imgs_64x64.py'\n")
    return Config.fromfile(str(path)).train_pipeline


def truncate(path, size):
    data = open(path, 'rb').read()[:size]
    with open(path, 'wb') as f:
        f.write(data)


def test_plain_mmagic_folder_crashes_without_naming_the_file(tmp_path):
    """What the CelebA config did before (MMagic's BasicImageDataset and
    its unconditional 64x64 pipeline): a truncated JPEG ends in an
    AttributeError that names no file."""
    paths = celeba_folders(tmp_path, n_train=4)
    bad = paths[2]
    truncate(bad, 100)
    pipeline = mmagic_64x64_pipeline(tmp_path)
    ds = DATASETS.build(dict(type='BasicImageDataset',
                             data_root=str(tmp_path / 'celeba' / 'train'),
                             data_prefix=dict(gt=''), recursive=True,
                             pipeline=pipeline))
    with pytest.raises(AttributeError,
                       match="'NoneType' object has no attribute 'ndim'"
                       ) as info:
        for i in range(len(ds)):
            ds[i]
    assert osp.basename(bad) not in str(info.value)


@pytest.mark.parametrize('problem, match', [
    ('empty', r'1 file\(s\) cannot be read as images: {bad} '),
    ('truncated', r'1 file\(s\) cannot be read as images: {bad} '),
    ('text', r'1 file\(s\) cannot be read as images: {bad} '),
    ('gray', r'1 image\(s\) are not RGB: {bad} \(mode L\)'),
])
def test_celeba_config_names_the_bad_file_before_training(tmp_path, problem,
                                                          match):
    bad = celeba_folders(tmp_path)[2]
    match = match.format(bad=re.escape(bad))
    if problem == 'empty':
        open(bad, 'wb').close()
    elif problem == 'truncated':
        truncate(bad, 100)  # cut inside the JPEG header
    elif problem == 'text':
        with open(bad, 'w') as f:
            f.write('not an image\n')
    else:
        cv2.imwrite(bad, np.full((72, 60), 128, np.uint8))
    with pytest.raises(ValueError, match=match + r".*on_bad_file='skip'"):
        celeba_run(tmp_path)
    assert not list((tmp_path / 'w').rglob('*.pth'))  # before any iteration


def test_file_truncated_after_its_header_is_named_when_read(tmp_path):
    """check='header' (the config's, fast) passes a PNG whose header is
    intact; CheckedLoadImageFromFile names it when it is read, and
    check='decode' names it before training."""
    paths = celeba_folders(tmp_path)
    bad = next(p for p in paths if p.endswith('.png'))
    truncate(bad, 100)
    with pytest.raises(ValueError, match=r'CheckedLoadImageFromFile: '
                       + re.escape(bad) + r' cannot be decoded'):
        celeba_run(tmp_path)
    with pytest.raises(ValueError, match=r'cannot be read as images: '
                       + re.escape(bad)):
        celeba_run(tmp_path, 'train_dataloader.dataset.check=decode')


def test_celeba_config_skips_and_lists_bad_files(tmp_path):
    paths = celeba_folders(tmp_path)
    open(paths[3], 'wb').close()
    truncate(paths[5], 100)
    work = celeba_run(tmp_path, 'train_dataloader.dataset.check=decode',
                      'train_dataloader.dataset.on_bad_file=skip')
    assert osp.isfile(work / 'iter_2.pth')  # trained on the 14 others
    log = next(work.rglob('*.log')).read_text()
    assert 'skipped 2 bad file(s)' in log and '14 image(s) remain' in log
    assert paths[3] in log and paths[5] in log


def test_checked_folder_skip_records_files_and_sorts(tmp_path):
    paths = celeba_folders(tmp_path, n_train=6)
    open(paths[1], 'wb').close()
    ds = DATASETS.build(dict(type='CheckedImageFolderDataset',
                             data_root=str(tmp_path / 'celeba' / 'train'),
                             data_prefix=dict(gt=''), recursive=True,
                             channels=3, on_bad_file='skip'))
    assert list(ds.skipped_files) == [paths[1]]
    assert 'UnidentifiedImageError' in ds.skipped_files[paths[1]]
    # sorted path order, whatever order the file system lists them in
    assert [ds.get_data_info(i)['gt_path'] for i in range(len(ds))] == \
        [p for p in paths if p != paths[1]]
    for p in paths:
        open(p, 'wb').close()
    with pytest.raises(ValueError, match=r'no usable images .*\(6 bad '
                       r'file\(s\) were skipped\)'):
        DATASETS.build(dict(type='CheckedImageFolderDataset',
                            data_root=str(tmp_path / 'celeba' / 'train'),
                            data_prefix=dict(gt=''), recursive=True,
                            on_bad_file='skip'))


def test_checked_loading_step_in_mmagic_pipeline_names_the_file(tmp_path):
    """For MMagic's own configs: swapping type='LoadImageFromFile' for
    'CheckedLoadImageFromFile' in the pipeline names the file."""
    paths = celeba_folders(tmp_path, n_train=4)
    truncate(paths[2], 100)
    open(paths[0], 'wb').close()
    pipeline = mmagic_64x64_pipeline(tmp_path)
    assert pipeline[0]['type'] == 'LoadImageFromFile'
    pipeline[0]['type'] = 'CheckedLoadImageFromFile'
    ds = DATASETS.build(dict(type='BasicImageDataset',
                             data_root=str(tmp_path / 'celeba' / 'train'),
                             data_prefix=dict(gt=''), recursive=True,
                             pipeline=pipeline))
    index = {ds.get_data_info(i)['gt_path']: i for i in range(len(ds))}
    with pytest.raises(ValueError, match=re.escape(paths[2]) +
                       r' cannot be decoded as an image \(the decoder '
                       r'returned no image\)'):
        ds[index[paths[2]]]
    with pytest.raises(ValueError, match=re.escape(paths[0]) +
                       r' cannot be decoded as an image \(error'):
        ds[index[paths[0]]]
    assert ds[index[paths[1]]]['data_samples'].gt_img.shape == (3, 64, 64)


def test_checked_folder_without_images_is_refused(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match=r"no usable images in '.*empty/' "
                       r'.*recursive=False'):
        DATASETS.build(dict(type='CheckedImageFolderDataset',
                            data_root=str(tmp_path / 'empty'),
                            data_prefix=dict(gt='')))
