"""AGE: loss terms by hand, phase isolation, sampling contract, tiny run."""
import copy
import math
import os
import os.path as osp
import sys

import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict

from helpers import ROOT, needs_fashion_mnist
from alpha_gan_plugin.models import AGE
from alpha_gan_plugin.models.losses import age_loss as A
from mmagic.registry import MODELS
from mmagic.structures import DataSample

NETWORKS = tuple(AGE.PHASES)

sys.path.insert(0, osp.join(ROOT, 'tools'))
import train as train_tool  # noqa: E402

TINY_AGE = dict(
    type='AGE',
    noise_size=8,
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5],
                           std=[127.5]),
    generator=dict(type='DCGANGenerator', output_scale=16, out_channels=1,
                   base_channels=16),
    encoder=dict(type='AlphaGANEncoder', input_scale=16, in_channels=1,
                 base_channels=8),
    loss_config=dict(rec_weight=10.0, latent_rec_weight=4.0),
    train_schedule=dict(encoder=1, generator=2))


# ---------------------------------------------------------------------------
# loss terms, computed by hand
# ---------------------------------------------------------------------------
def test_divergence_by_hand():
    # one dimension, codes 1 and 3: mean 2, ML variance 1
    # KL = (1 + 4) / 2 - log(1) / 2 - 1/2 = 2
    codes = torch.tensor([[1.0], [3.0]])
    assert A.divergence(codes).item() == pytest.approx(2.0, abs=1e-6)
    # the four unit vectors +-e1, +-e2: means 0, variances 1/2 per dimension
    # KL_j = 1/4 + log(2)/2 - 1/2, the same in both dimensions
    codes = torch.tensor([[1.0, 0], [-1, 0], [0, 1], [0, -1]])
    per_dim = 0.25 + 0.5 * math.log(2) - 0.5
    assert A.divergence(codes).item() == pytest.approx(per_dim, abs=1e-6)
    assert A.divergence(codes, 'sum').item() == pytest.approx(
        2 * per_dim, abs=1e-6)
    # the unit Gaussian itself has zero divergence
    mean, var = A.fitted_gaussian_stats(torch.tensor([[-1.0], [1.0]]))
    assert mean.item() == 0 and var.item() == 1
    assert A.divergence(torch.tensor([[-1.0], [1.0]])).item() == \
        pytest.approx(0.0, abs=1e-6)


def test_age_loss_terms_by_hand():
    real = torch.tensor([[1.0], [3.0]])  # Delta = 2
    fake = torch.tensor([[-1.0], [1.0]])  # Delta = 0
    x = torch.tensor([[[[1.0, -1.0]]]])
    x_rec = torch.tensor([[[[0.5, -1.0]]]])  # mean L1 0.25
    loss = MODELS.build(dict(type='AGELoss', rec_weight=2.0,
                             latent_rec_weight=3.0, divergence_weight=0.5))
    # the encoder minimises w * (Delta(real) - Delta(fake)) + lambda * L1
    enc = loss.encoder_loss(x, x_rec, real, fake)
    assert enc['loss_enc_div'].item() == pytest.approx(0.5 * 2.0)
    assert enc['loss_enc_rec'].item() == pytest.approx(2.0 * 0.25)
    assert (enc['kl_real'].item(), enc['kl_fake'].item()) == \
        pytest.approx((2.0, 0.0), abs=1e-6)
    swapped = loss.encoder_loss(x, x_rec, fake, real)
    assert swapped['loss_enc_div'].item() == pytest.approx(-0.5 * 2.0)
    # the generator minimises w * Delta(e(g(z))) + mu * ||z - e(g(z))||^2
    z = torch.tensor([[1.0], [-1.0]])
    gen = loss.generator_loss(z, real)
    assert gen['loss_gen_div'].item() == pytest.approx(0.5 * 2.0)
    # per code: (1 - 1)^2 = 0 and (-1 - 3)^2 = 16 -> mean 8
    assert gen['loss_gen_latent_rec'].item() == pytest.approx(3.0 * 8.0)
    assert loss.settings == dict(rec_weight=2.0, latent_rec_weight=3.0,
                                 divergence_weight=0.5,
                                 divergence_reduction='mean')


def test_latent_reconstruction_and_sphere_by_hand():
    z = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    z_rec = torch.tensor([[0.0, 1.0], [0.0, 1.0]])
    # per code: 2 and 0 -> mean 1; on the sphere 2 - 2 cos
    assert A.latent_reconstruction(z, z_rec).item() == pytest.approx(1.0)
    proj = A.project_to_sphere(torch.tensor([[3.0, 4.0], [0.0, -2.0]]))
    torch.testing.assert_close(proj, torch.tensor([[0.6, 0.8], [0.0, -1.0]]))
    torch.manual_seed(0)
    s = build().noise_fn(num_batches=1000)  # the prior of the model
    torch.testing.assert_close(s.norm(dim=1), torch.ones(1000))
    assert s.mean(0).abs().max() < 0.1  # uniform: centred
    with pytest.raises(ValueError, match='at least 2'):
        A.divergence(torch.ones(1, 4))
    with pytest.raises(ValueError, match='shapes differ'):
        A.latent_reconstruction(z, z[:1])


# ---------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------
def build(cfg=None):
    model = MODELS.build(copy.deepcopy(cfg or TINY_AGE))
    model.init_weights()
    return model


def optim_dict(model, lr=1e-3):
    return OptimWrapperDict(**{
        n: OptimWrapper(
            torch.optim.Adam(getattr(model, n).parameters(), lr=lr))
        for n in NETWORKS
    })


def batch(n=4, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs = torch.randint(0, 256, (n, 1, size, size), generator=g,
                         dtype=torch.uint8)
    return dict(inputs={},
                data_samples=[DataSample(gt_img=imgs[i]) for i in range(n)])


def snapshot(model):
    return {n: copy.deepcopy(getattr(model, n).state_dict()) for n in NETWORKS}


def changed(before, model, name):
    now = getattr(model, name).state_dict()
    return any(not torch.equal(before[name][k], now[k])
               for k in now if now[k].dtype.is_floating_point
               and 'running' not in k)


@pytest.mark.parametrize('phase', NETWORKS)
def test_each_phase_changes_only_its_network(phase):
    torch.manual_seed(0)
    model = build()
    optims = optim_dict(model)
    real = model.real_images(batch())
    before = snapshot(model)
    logs = model.train_phase(phase, real, optims[phase], steps=2)
    assert logs and all(torch.isfinite(v) for v in logs.values())
    for name in NETWORKS:
        assert changed(before, model, name) == (name == phase), name
        if name != phase:
            assert all(p.grad is None or not p.grad.any()
                       for p in getattr(model, name).parameters()), name
        assert (len(optims[name].optimizer.state) > 0) == (name == phase)
        assert all(p.requires_grad for p in getattr(model, name).parameters())


def test_train_step_updates_both_and_logs():
    torch.manual_seed(0)
    model = build()
    before = snapshot(model)
    logs = model.train_step(batch(), optim_dict(model))
    assert all(changed(before, model, n) for n in NETWORKS)
    assert set(logs) == {'loss_enc_div', 'loss_enc_rec', 'kl_real', 'kl_fake',
                         'loss_gen_div', 'loss_gen_latent_rec'}
    # the encoder's divergence term is Delta(e(x)) - Delta(e(g(z)))
    assert logs['loss_enc_div'].item() == pytest.approx(
        (logs['kl_real'] - logs['kl_fake']).item(), abs=1e-5)


def test_encoder_loss_matches_the_pure_functions():
    torch.manual_seed(0)
    model = build()
    real = model.real_images(batch())
    torch.manual_seed(1)
    logs = model.encoder_phase_losses(real)
    # recompute by hand with the same prior sample
    torch.manual_seed(1)
    z = model.noise_fn(num_batches=4)
    with torch.no_grad():
        codes = model.encode(real)
        fake_codes = model.encode(model.generator(noise=z))
        recon = model.generator(noise=codes)
    expected = A.divergence(codes) - A.divergence(fake_codes)
    assert logs['loss_enc_div'].item() == pytest.approx(expected.item(),
                                                        abs=1e-5)
    assert logs['loss_enc_rec'].item() == pytest.approx(
        10.0 * (real - recon).abs().mean().item(), rel=1e-5)


def test_sphere_codes_sampling_and_reconstruction():
    model = build().eval()
    real = model.real_images(batch(3))
    codes = model.encode(real)
    torch.testing.assert_close(codes.norm(dim=1), torch.ones(3))
    assert model.reconstruct(real).shape == real.shape
    with pytest.raises(ValueError, match='deterministic'):
        model.encode(real, torch.randn(3, 4))
    # the generator sees only sphere codes, whoever draws the noise
    z = torch.randn(2, 8)
    with torch.no_grad():
        torch.testing.assert_close(model.generator(noise=3 * z),
                                   model.generator(z))
    prior = model.noise_fn(num_batches=5)
    torch.testing.assert_close(prior.norm(dim=1), torch.ones(5))
    out = model.val_step(dict(inputs=dict(num_batches=2)))
    assert len(out) == 2 and out[0].fake_img.shape == (1, 16, 16)


@pytest.mark.parametrize('mutate,match', [
    (lambda c: c.update(discriminator=dict(type='DCGANDiscriminator')),
     r"unknown config keys \['discriminator'\]"),
    (lambda c: c['loss_config'].update(lamda=1), 'lamda'),
    (lambda c: c['loss_config'].update(rec_weight=-1), 'rec_weight'),
    (lambda c: c['loss_config'].update(divergence_reduction='max'),
     'divergence_reduction'),
    (lambda c: c.update(train_schedule=dict(discriminator=1)),
     'discriminator'),
    (lambda c: c['encoder'].update(latent_size=9), 'latent size'),
    (lambda c: c['encoder'].update(noise_size=4), 'deterministic'),
    (lambda c: c['encoder'].update(input_scale=32), 'encoder'),
])
def test_bad_configs_raise(mutate, match):
    cfg = copy.deepcopy(TINY_AGE)
    mutate(cfg)
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


# ---------------------------------------------------------------------------
# end to end through tools/train.py
# ---------------------------------------------------------------------------
from helpers import AGE_CONFIG  # noqa: E402
from helpers import AGE_TINY as TINY  # noqa: E402


@needs_fashion_mnist
def test_tiny_training_run(tmp_path):
    work = str(tmp_path / 'age')
    train_tool.main([AGE_CONFIG, '--work-dir', work, '--cfg-options', *TINY])
    ckpt = torch.load(osp.join(work, 'iter_2.pth'), map_location='cpu')
    assert set(ckpt['optimizer']) == {'encoder', 'generator'}
    assert not any(k.startswith('discriminator') for k in ckpt['state_dict'])
    pngs = {f for _, _, fs in os.walk(work) for f in fs if f.endswith('.png')}
    assert {'samples_2.png', 'data_vs_reconstruction_2.png'} <= pngs
    logs = ''.join(
        open(osp.join(d, f)).read() for d, _, fs in os.walk(work) for f in fs
        if f.endswith('.log'))
    assert 'loss_gen_latent_rec' in logs and 'ms-ssim/avg' in logs


def test_mmagic_step_keys_set_the_schedule():
    # AGE's encoder is the generator's adversary: discriminator_steps
    cfg = dict(copy.deepcopy(TINY_AGE), generator_steps=3,
               discriminator_steps=2)
    cfg.pop('train_schedule')
    assert dict(build(cfg).train_schedule) == dict(encoder=2, generator=3)
    cfg['train_schedule'] = dict(encoder=1)
    with pytest.raises(ValueError, match='disagree'):
        build(cfg)
