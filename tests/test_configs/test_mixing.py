"""alpha-GAN mixed into MMagic's own shipped GAN configs (README, "Mixing
alpha-GAN into MMagic's own configs"): plugin import, model type, encoder,
code discriminator and their optimizers; the rest stays MMagic's."""
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import ROOT

import sys
sys.path.insert(0, osp.join(ROOT, 'tools'))
import train as train_tool  # noqa: E402

DCGAN_CELEBA = 'mmagic::dcgan/dcgan_1xb128-300kiters_celeba-cropped-64.py'
# mmengine 0.10.7 accepts only 'pkg::<word>/...' (no '-' in the first
# folder), hence the detour through _base_/.. to wgan-gp/
WGANGP_CELEBA = ('mmagic::_base_/../wgan-gp/'
                 'wgangp_GN_1xb64-160kiters_celeba-cropped-128x128.py')

MIX = '''
_base_ = {base!r}
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

model = dict(
    type='AlphaGAN',
    encoder=dict(type='AlphaGANEncoder', input_scale={size}, in_channels=3,
                 base_channels=8),
    code_discriminator=dict(type='CodeDiscriminator', hidden_channels=16,
                            num_layers=2),
    loss_config={loss_config},
    # only to make the run tiny:
    {networks})
optim_wrapper = dict(
    encoder=dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))),
    code_discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))))
'''

# Only what makes the run tiny: image size, batch, iterations, data, and a
# sample count the tiny folder can feed.
TINY_RUN = '''
_pipeline = [
    dict(type='LoadImageFromFile', key='gt'),
    dict(type='Resize', keys='gt', scale=({size}, {size})),
    dict(type='PackInputs')
]
_loader = dict(batch_size=4, num_workers=0, persistent_workers=False,
               dataset=dict(data_root={root!r}, pipeline=_pipeline))
train_dataloader = _loader
val_dataloader = _loader
test_dataloader = _loader
train_cfg = dict(max_iters={iters}, val_interval=100)
_metrics = [dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=4,
                 sample_model='orig')]
val_evaluator = dict(metrics=_metrics)
test_evaluator = dict(metrics=_metrics)
custom_hooks = []
default_hooks = dict(checkpoint=dict(interval={iters}, save_best=None),
                     logger=dict(interval=1))
'''

DCGAN_NETS = ('noise_size=8, generator=dict(output_scale=16, '
              'base_channels=16), discriminator=dict(input_scale=16, '
              'base_channels=8)')
WGANGP_NETS = ('generator=dict(out_scale=16), '
               'discriminator=dict(in_scale=16)')


@pytest.fixture(scope='module')
def face_folder(tmp_path_factory):
    """A CelebA-style folder: RGB PNG crops of a real photo, two sizes."""
    from skimage import data
    photo = data.astronaut()
    root = tmp_path_factory.mktemp('celeba')
    rng = np.random.default_rng(0)
    for i in range(8):
        y, x = rng.integers(0, 400, size=2)
        crop = photo[y:y + 100, x:x + 100]
        Image.fromarray(crop).resize((64 + 8 * (i % 2), 64)).save(
            root / f'{i:06d}.png')
    return str(root)


def _write(tmp_path, base, networks, root, loss_config, iters):
    cfg = tmp_path / 'mix.py'
    cfg.write_text(
        MIX.format(base=base, size=16, loss_config=loss_config,
                   networks=networks) + TINY_RUN.format(size=16, root=root, iters=iters))
    return str(cfg)


def test_alpha_gan_in_mmagic_dcgan_celeba_config(tmp_path, face_folder):
    cfg = _write(tmp_path, DCGAN_CELEBA, DCGAN_NETS, face_folder,
                 'dict(rec_weight=10.0)', iters=3)
    runner = train_tool.main([cfg, '--work-dir', str(tmp_path / 'w')])
    model = runner.model
    assert type(model).__name__ == 'AlphaGAN' and runner.iter == 3
    # MMagic's networks and optimizer settings, the plugin's additions
    assert type(model.generator).__name__ == 'DCGANGenerator'
    assert set(runner.optim_wrapper.keys()) == {
        'generator', 'discriminator', 'encoder', 'code_discriminator'}
    assert runner.optim_wrapper['generator'].get_lr()['lr'] == [2e-4]
    ckpt = torch.load(str(tmp_path / 'w' / 'iter_3.pth'), map_location='cpu')
    assert any(k.startswith('encoder.') for k in ckpt['state_dict'])


def test_alpha_gan_in_mmagic_wgangp_celeba_config(tmp_path, face_folder):
    # WGAN-GP's loss_config holds gradient-penalty keys alpha-GAN does not
    # read: merged into, it is refused with the _delete_ fix named ...
    cfg = _write(tmp_path, WGANGP_CELEBA, WGANGP_NETS, face_folder,
                 'dict(rec_weight=10.0)', iters=1)
    with pytest.raises(ValueError, match=r"gp_loss_weight.*_delete_=True"):
        train_tool.main([cfg, '--work-dir', str(tmp_path / 'bad')])
    # ... and replaced, it trains; WGAN-GP's discriminator_steps=5 gives the
    # image discriminator 5 updates per iteration
    cfg = _write(tmp_path, WGANGP_CELEBA, WGANGP_NETS, face_folder,
                 'dict(_delete_=True, rec_weight=10.0)', iters=1)
    runner = train_tool.main([cfg, '--work-dir', str(tmp_path / 'w')])
    model = runner.model
    assert type(model.discriminator).__name__ == 'WGANGPDiscriminator'
    assert dict(model.train_schedule) == dict(
        encoder=1, generator=1, discriminator=5, code_discriminator=1)
    assert model.loss_config['rec_weight'] == 10.0
    assert runner.optim_wrapper['discriminator'].get_lr()['lr'] == [1e-4]
    assert runner.iter == 1 and osp.isfile(str(tmp_path / 'w' / 'iter_1.pth'))
