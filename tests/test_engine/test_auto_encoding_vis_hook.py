"""AutoEncodingVisHook: grids through MMagic's visualizer backends."""
import glob
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch

from alpha_gan_plugin.engine import AutoEncodingVisHook, make_grid
from alpha_gan_plugin.datasets import FashionMNISTDataset
from mmagic.registry import MODELS, VISUALIZERS
from helpers.data_formats import make_root


def test_make_grid_layout_and_values():
    imgs = torch.stack([torch.full((1, 2, 2), v) for v in (-1.0, 0.0, 1.0)])
    grid = make_grid(imgs, nrow=2, padding=1)
    # 2 rows x 2 columns of 2x2 tiles with 1-pixel padding
    assert grid.shape == (7, 7, 3) and grid.dtype == np.uint8
    assert (grid[1:3, 1:3] == 0).all()          # -1 -> 0
    assert (grid[1:3, 4:6] == 128).all()        # 0 -> 127.5 rounded
    assert (grid[4:6, 1:3] == 255).all()        # 1 -> 255
    assert (grid[4:6, 4:6] == 0).all()          # empty slot stays black
    with pytest.raises(ValueError):
        make_grid(torch.zeros(2, 2, 4, 4), nrow=2)


def test_hook_writes_pngs_and_tensorboard(tmp_path, tiny_model_cfg):
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg)
    model.init_weights()
    root, _, _ = make_root(tmp_path, n=8)
    dataset = FashionMNISTDataset(data_root=root, image_size=16,
                                  pipeline=[dict(type='PackInputs')])
    vis = VISUALIZERS.build(dict(
        type='Visualizer', name=f'vis-{tmp_path.name}',
        save_dir=str(tmp_path / 'vis'),
        vis_backends=[dict(type='VisBackend'),
                      dict(type='TensorboardVisBackend')]))
    runner = SimpleNamespace(model=model, visualizer=vis, iter=9,
                             train_dataloader=SimpleNamespace(dataset=dataset))
    hook = AutoEncodingVisHook(interval=10, num_samples=4, num_recons=4,
                               nrow=2, seed=3)
    hook.before_train(runner)
    hook.draw(runner, step=10)
    samples = glob.glob(str(tmp_path / 'vis' / '**' / 'samples_10.png'),
                        recursive=True)
    recons = glob.glob(str(tmp_path / 'vis' / '**' /
                           'data_vs_reconstruction_10.png'), recursive=True)
    events = glob.glob(str(tmp_path / 'vis' / '**' / 'events.out.*'),
                       recursive=True)
    assert samples and recons and events
    # the PNG shows the generator's output for the fixed noise (seed 3)
    noise = torch.randn(4, 8, generator=torch.Generator().manual_seed(3))
    model.eval()
    with torch.no_grad():
        expected = make_grid(model.generator(noise), nrow=2)
    png = cv2.cvtColor(cv2.imread(samples[0]), cv2.COLOR_BGR2RGB)
    np.testing.assert_array_equal(png, expected)
    # the reconstruction grid's first row is the data itself
    rec_png = cv2.imread(recons[0], cv2.IMREAD_GRAYSCALE)
    first_tile = rec_png[2:18, 2:18]
    np.testing.assert_array_equal(first_tile,
                                  dataset.get_data_info(0)['gt'][..., 0])


def test_hook_refuses_models_without_encoder(tmp_path):
    gan = MODELS.build(dict(
        type='DCGAN', noise_size=8,
        data_preprocessor=dict(type='DataPreprocessor'),
        generator=dict(type='DCGANGenerator', output_scale=16,
                       base_channels=16, noise_size=8),
        discriminator=dict(type='DCGANDiscriminator', input_scale=16,
                           output_scale=4, out_channels=1)))
    runner = SimpleNamespace(model=gan)
    with pytest.raises(ValueError, match='VisualizationHook'):
        AutoEncodingVisHook().before_train(runner)
