"""MMagic's own DCGAN and WGAN-GP as baselines, on alpha-GAN's networks."""
import os
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config

from helpers import ROOT, needs_fashion_mnist, tiny_run_options
from mmagic.registry import MODELS

sys.path.insert(0, osp.join(ROOT, 'tools'))
import train as train_tool  # noqa: E402

CONFIGS = osp.join(ROOT, 'configs')
DCGAN = osp.join(CONFIGS, 'dcgan_fashion_mnist.py')
WGANGP = osp.join(CONFIGS, 'wgangp_fashion_mnist.py')
ALPHA = osp.join(CONFIGS, 'alpha_gan_fashion_mnist.py')

# validation still runs at the end
TINY = {path: tiny_run_options(path, iters=None, val_interval=1000,
                               checkpoint_interval=None)
        for path in (DCGAN, WGANGP)}


@pytest.mark.parametrize('path', [DCGAN, WGANGP])
def test_networks_are_alpha_gans(path):
    """Same generator; same discriminator convs and widths (the WGAN-GP
    critic swaps batch norm for layer norm)."""
    ref = Config.fromfile(ALPHA).model
    cfg = Config.fromfile(path).model
    assert cfg.noise_size == ref.noise_size == 64
    gen, ref_gen = MODELS.build(
        dict(cfg.generator, noise_size=64)), MODELS.build(
            dict(ref.generator, noise_size=64))
    assert [p.shape for p in gen.parameters()] == \
        [p.shape for p in ref_gen.parameters()]
    disc, ref_disc = MODELS.build(cfg.discriminator), MODELS.build(
        ref.discriminator)
    assert [p.shape for p in disc.parameters()] == \
        [p.shape for p in ref_disc.parameters()]
    norms = {type(m).__name__ for m in disc.modules()} & {
        'BatchNorm2d', 'GroupNorm'}
    assert norms == ({'GroupNorm'} if path == WGANGP else {'BatchNorm2d'})


def _gp_loss(model, seed=0):
    torch.manual_seed(seed)
    real = torch.randn(4, 1, 16, 16)
    fake = torch.randn(4, 1, 16, 16)
    d_fake, d_real = model.discriminator(fake), model.discriminator(real)
    torch.manual_seed(seed + 1)  # the interpolation coefficients
    _, logs = model.disc_loss(real, fake, d_fake, d_real)
    return logs['loss_gp']


def _tiny_wgangp(loss_config):
    cfg = Config.fromfile(WGANGP)
    cfg.merge_from_dict(dict(
        model=dict(noise_size=8,
                   generator=dict(output_scale=16, base_channels=16),
                   discriminator=dict(input_scale=16, base_channels=8))))
    cfg.model.loss_config = loss_config
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def test_gradient_penalty_weight_in_effect():
    """WGANGP reads loss_config['loss_weight']; MMagic's own configs write
    'gp_loss_weight', which is silently ignored (the weight stays 10)."""
    assert Config.fromfile(WGANGP).model.loss_config == dict(
        norm_mode='HWC', loss_weight=10.0)
    one = _gp_loss(_tiny_wgangp(dict(norm_mode='HWC', loss_weight=1.0)))
    five = _gp_loss(_tiny_wgangp(dict(norm_mode='HWC', loss_weight=5.0)))
    assert one.item() > 0
    assert five.item() == pytest.approx(5 * one.item(), rel=1e-5)
    # upstream's key has no effect: same penalty as the default weight 10
    upstream = _tiny_wgangp(dict(gp_norm_mode='HWC', gp_loss_weight=50))
    assert upstream.gp_loss_weight == 10
    assert _gp_loss(upstream).item() == pytest.approx(10 * one.item(),
                                                      rel=1e-5)


def _logs(work):
    return ''.join(
        open(osp.join(d, f)).read() for d, _, fs in os.walk(work) for f in fs
        if f.endswith('.log'))


@needs_fashion_mnist
def test_dcgan_trains_two_iterations(tmp_path):
    work = str(tmp_path / 'dcgan')
    train_tool.main([DCGAN, '--work-dir', work, '--cfg-options',
                     *TINY[DCGAN], 'train_cfg.max_iters=2',
                     'default_hooks.checkpoint.interval=2'])
    state = torch.load(osp.join(work, 'iter_2.pth'),
                       map_location='cpu')['state_dict']
    assert state['generator.noise2feat.conv.weight'].shape[0] == 8
    logs = _logs(work)
    assert 'loss_gen' in logs and 'loss_disc_real' in logs
    assert 'ms-ssim/avg' in logs


@needs_fashion_mnist
def test_wgangp_trains_one_generator_round(tmp_path):
    # discriminator_steps=5: the generator's first update is at iteration 5
    work = str(tmp_path / 'wgangp')
    train_tool.main([WGANGP, '--work-dir', work, '--cfg-options',
                     *TINY[WGANGP], 'train_cfg.max_iters=5',
                     'default_hooks.checkpoint.interval=5'])
    assert osp.isfile(osp.join(work, 'iter_5.pth'))
    logs = _logs(work)
    assert 'loss_gp' in logs and 'loss_gen' in logs
