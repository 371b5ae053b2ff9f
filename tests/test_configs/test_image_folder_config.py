"""configs/alpha_gan_image_folder.py: your own folder of mixed-size JPEG/PNG
images (gray and RGB), a held-out split from the same folder, a few
iterations through tools/train.py."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from helpers import ROOT, tool

CONFIG = osp.join(ROOT, 'configs', 'alpha_gan_image_folder.py')


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp('my_images')
    rng = np.random.default_rng(0)
    for i in range(20):
        h, w = int(rng.integers(20, 90)), int(rng.integers(20, 90))
        arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        img = Image.fromarray(arr)
        if i % 5 == 0:
            img = img.convert('L')
        img.save(root / (f'{i:02d}.jpg' if i % 2 else f'{i:02d}.png'))
    (root / 'notes.txt').write_text('not an image')
    return str(root)


def test_holdout_split_is_deterministic_and_disjoint(folder):
    from alpha_gan_plugin.datasets.image_folder import \
        CheckedImageFolderDataset
    common = dict(data_root=folder, data_prefix=dict(gt=''), pipeline=[],
                  check='header', holdout_every=10)
    train = CheckedImageFolderDataset(split='train', **common)
    held = CheckedImageFolderDataset(split='holdout', **common)
    every = CheckedImageFolderDataset(**common)
    def names_of(ds):
        return [osp.basename(ds.get_data_info(i)['gt_path'])
                for i in range(len(ds))]

    names = names_of(every)
    assert names == [f'{i:02d}.{"jpg" if i % 2 else "png"}'
                     for i in range(20)]
    assert names_of(held) == [
        '09.jpg', '19.jpg']
    train_names = names_of(train)
    assert len(train_names) == 18
    assert not set(train_names) & {'09.jpg', '19.jpg'}
    with pytest.raises(ValueError, match="split must be"):
        CheckedImageFolderDataset(split='test', **common)
    with pytest.raises(ValueError, match='holdout_every'):
        CheckedImageFolderDataset(split='train', **dict(common,
                                                        holdout_every=1))


def test_trains_on_a_folder_of_mixed_images(folder, tmp_path, monkeypatch):
    monkeypatch.setenv('ALPHA_GAN_DATA', folder)
    monkeypatch.setenv('ALPHA_GAN_SIZE', '32')
    monkeypatch.setenv('ALPHA_GAN_CHANNELS', '3')
    work = str(tmp_path / 'work')
    runner = tool('train').main([
        CONFIG, '--work-dir', work, '--cfg-options',
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'train_dataloader.batch_size=4', 'val_dataloader.batch_size=4',
        'model.generator.base_channels=16',
        'model.discriminator.base_channels=8',
        'model.encoder.base_channels=8',
        'model.code_discriminator.hidden_channels=16',
        'val_evaluator.metrics.1.fake_nums=4',
        'custom_hooks.4.num_recons=4', 'custom_hooks.4.num_samples=4'])
    assert osp.isfile(osp.join(work, 'iter_2.pth'))
    assert len(runner.train_dataloader.dataset) == 18
    assert len(runner.val_dataloader.dataset) == 2
    gray = runner.train_dataloader.dataset[0]  # 00.png is gray, 20-90 px
    assert tuple(gray['data_samples'].gt_img.shape) == (3, 32, 32)
    import glob
    import json
    [scalars] = glob.glob(osp.join(work, '*', 'vis_data', 'scalars.json'))
    with open(scalars) as f:
        logged = [json.loads(line) for line in f]
    assert [r['Rec/rec_psnr'] > 0 for r in logged
            if 'Rec/rec_psnr' in r] == [True]


def test_bad_size_is_named(monkeypatch, tmp_path):
    from mmengine.config import Config
    monkeypatch.setenv('ALPHA_GAN_SIZE', '48')
    with pytest.raises(ValueError, match='ALPHA_GAN_SIZE=48'):
        Config.fromfile(CONFIG)
    assert os.environ['ALPHA_GAN_SIZE'] == '48'
