"""alpha-GAN model: phases touch only their network, validation, learning."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict

from alpha_gan_plugin.models import CodeDiscriminator, AlphaGANEncoder
from alpha_gan_plugin.models import AlphaGAN
from alpha_gan_plugin.models.losses import alpha_gan_loss as L
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from helpers import count_phase_calls

NETWORKS = tuple(AlphaGAN.PHASES)


def build(cfg):
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def optim_dict(model, lr=1e-3):
    return OptimWrapperDict(**{
        n: OptimWrapper(torch.optim.Adam(getattr(model, n).parameters(), lr=lr))
        for n in NETWORKS
    })


def batch(n=4, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs = torch.randint(0, 256, (n, 1, size, size), generator=g,
                         dtype=torch.uint8)
    samples = [DataSample(gt_img=imgs[i]) for i in range(n)]
    return dict(inputs={}, data_samples=samples)


def snapshot(model):
    return {n: copy.deepcopy(getattr(model, n).state_dict()) for n in NETWORKS}


def changed(before, model, name):
    now = getattr(model, name).state_dict()
    return any(not torch.equal(before[name][k], now[k])
               for k in now if now[k].dtype.is_floating_point
               and 'running' not in k)


@pytest.mark.parametrize('phase', NETWORKS)
def test_each_phase_changes_only_its_network(tiny_model_cfg, phase):
    torch.manual_seed(0)
    model = build(tiny_model_cfg)
    optims = optim_dict(model)
    real = model.real_images(batch())
    before = snapshot(model)
    logs = model.train_phase(phase, real, optims[phase], steps=2)
    assert logs and all(torch.isfinite(v) for v in logs.values())
    for name in NETWORKS:
        assert changed(before, model, name) == (name == phase), name
        # no gradient leaks into another network's parameters ...
        if name != phase:
            assert all(p.grad is None or not p.grad.any()
                       for p in getattr(model, name).parameters()), name
        # ... nor into its optimizer state
        state = optims[name].optimizer.state
        assert (len(state) > 0) == (name == phase), name
        # every parameter is trainable again after the phase
        assert all(p.requires_grad for p in getattr(model, name).parameters())


def test_train_step_updates_all_four_and_logs(tiny_model_cfg):
    torch.manual_seed(0)
    tiny_model_cfg['train_schedule'] = dict(generator=2)
    model = build(tiny_model_cfg)
    before = snapshot(model)
    logs = model.train_step(batch(), optim_dict(model))
    for name in NETWORKS:
        assert changed(before, model, name), name
    assert set(logs) == {
        'loss_enc_rec', 'loss_enc_code_adv', 'loss_gen_rec',
        'loss_gen_img_adv', 'loss_disc', 'disc_real_prob', 'loss_code_disc',
        'code_kl_estimate'
    }


def test_ema_generator_tracks_generator(tiny_model_cfg):
    torch.manual_seed(0)
    tiny_model_cfg['ema_config'] = dict(momentum=0.25)
    model = build(tiny_model_cfg)
    optims = optim_dict(model)
    key = 'noise2feat.conv.weight'
    model.train_step(batch(), optims)
    # MMagic's EMA copies the generator on its first update ...
    g1 = model.generator.state_dict()[key].clone()
    assert torch.equal(model.generator_ema.module.state_dict()[key], g1)
    model.train_step(batch(seed=1), optims)
    g2 = model.generator.state_dict()[key]
    assert not torch.equal(g1, g2)
    # ... and then averages: ema = (1 - m) * ema + m * gen
    expected = 0.75 * g1 + 0.25 * g2
    torch.testing.assert_close(
        model.generator_ema.module.state_dict()[key], expected)
    # samples through MMagic's forward contract come from the EMA generator
    out = model.val_step(dict(inputs=dict(num_batches=3)))
    assert len(out) == 3 and out[0].sample_model == 'ema'
    assert out[0].fake_img.shape == (1, 16, 16)


def test_forward_encode_reconstruct_shapes(tiny_model_cfg):
    model = build(tiny_model_cfg).eval()
    out = model.val_step(dict(inputs=dict(num_batches=5)))
    assert len(out) == 5 and out[0].fake_img.shape == (1, 16, 16)
    real = model.real_images(batch(3))
    assert real.min() >= -1 and real.max() <= 1
    assert model.encode(real).shape == (3, 8)
    assert model.reconstruct(real).shape == real.shape


def test_stochastic_encoder_samples_posterior(tiny_model_cfg):
    tiny_model_cfg['encoder']['noise_size'] = 4
    model = build(tiny_model_cfg).eval()
    real = model.real_images(batch(3))
    z1, z2 = model.encode(real), model.encode(real)
    assert not torch.allclose(z1, z2)
    eps = torch.randn(3, 4)
    assert torch.equal(model.encode(real, eps), model.encode(real, eps))
    det = AlphaGANEncoder(input_scale=16, latent_size=8, in_channels=1)
    with pytest.raises(ValueError, match='deterministic'):
        det(real, eps)


# ---------------------------------------------------------------------------
# validation: every bad setting named before training starts
# ---------------------------------------------------------------------------
@pytest.mark.parametrize('mutate,match', [
    (lambda c: c.update(foo=1), 'unknown config keys'),
    (lambda c: c.update(generator_steps=2,
                        train_schedule=dict(generator=3)), 'disagree'),
    (lambda c: c.update(train_schedule=dict(generator=1.5)), 'generator'),
    (lambda c: c['loss_config'].update(rec_wieght=1), 'rec_wieght'),
    (lambda c: c['loss_config'].update(image_adv_form='hinge'),
     'image_adv_form'),
    (lambda c: c['loss_config'].update(rec_weight=-1), 'rec_weight'),
    (lambda c: c.update(train_schedule=dict(decoder=1)), 'decoder'),
    (lambda c: c.update(train_schedule=dict(generator=0)), 'generator'),
    (lambda c: c['encoder'].update(latent_size=9), 'latent size'),
    (lambda c: c['code_discriminator'].update(latent_size=7), 'latent size'),
    (lambda c: c['encoder'].update(input_scale=32), 'encoder'),
    (lambda c: c['encoder'].update(in_channels=3), 'encoder'),
    (lambda c: c['discriminator'].update(in_channels=3), 'discriminator'),
    (lambda c: c['discriminator'].update(out_channels=4), 'one logit'),
])
def test_bad_configs_raise_value_error(tiny_model_cfg, mutate, match):
    mutate(tiny_model_cfg)
    with pytest.raises(ValueError, match=match):
        MODELS.build(tiny_model_cfg)


def test_missing_optimizer_named(tiny_model_cfg):
    model = build(tiny_model_cfg)
    optims = optim_dict(model)
    partial = OptimWrapperDict(
        **{n: optims[n] for n in NETWORKS if n != 'code_discriminator'})
    with pytest.raises(ValueError, match="code_discriminator"):
        model.train_step(batch(), partial)


def test_data_of_wrong_size_named(tiny_model_cfg):
    model = build(tiny_model_cfg)
    before = snapshot(model)
    with pytest.raises(ValueError, match='image size'):
        model.train_step(batch(size=32), optim_dict(model))
    assert not any(changed(before, model, n) for n in NETWORKS)


def test_nan_loss_stops_with_network_and_iteration(tiny_model_cfg):
    model = build(tiny_model_cfg)
    optims = optim_dict(model)
    with torch.no_grad():
        model.code_discriminator.mlp[-1].bias.fill_(float('nan'))
    w0 = model.code_discriminator.mlp[0].weight.detach().clone()
    with pytest.raises(FloatingPointError,
                       match='code_discriminator loss is nan at iteration 42'):
        model.train_phase('code_discriminator', model.real_images(batch()),
                          optims['code_discriminator'], curr_iter=41)
    # no update was applied
    assert torch.equal(model.code_discriminator.mlp[0].weight, w0)
    assert len(optims['code_discriminator'].optimizer.state) == 0


# ---------------------------------------------------------------------------
# the code discriminator and the code-adversarial term do their jobs
# ---------------------------------------------------------------------------
def test_code_discriminator_separates_prior_from_shifted_gaussian():
    torch.manual_seed(0)
    dim = 8
    disc = CodeDiscriminator(latent_size=dim, hidden_channels=64,
                             num_layers=2)
    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    shift = torch.full((dim,), 1.0)
    for _ in range(300):
        prior, post = torch.randn(128, dim), torch.randn(128, dim) + shift
        loss = L.code_discriminator_bce(disc(prior), disc(post))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        prior, post = torch.randn(2000, dim), torch.randn(2000, dim) + shift
        acc = ((disc(prior) > 0).float().mean() +
               (disc(post) < 0).float().mean()) / 2
        # Bayes accuracy for means 0 vs 1*ones in 8-d is Phi(sqrt(8)/2)=0.92
    assert acc > 0.85
    # and its logits estimate the log density ratio log p(z)/q(z):
    # for these Gaussians log p/q = -shift.z + |shift|^2/2, so C's logits
    # correlate strongly with it
    z = torch.randn(2000, dim) + shift / 2
    true_ratio = -(z @ shift) + shift.dot(shift) / 2
    with torch.no_grad():
        corr = torch.corrcoef(torch.stack([disc(z).squeeze(1),
                                           true_ratio]))[0, 1]
    assert corr > 0.9


def test_code_adversarial_term_pulls_codes_to_prior():
    torch.manual_seed(0)
    dim = 4
    disc = CodeDiscriminator(latent_size=dim, hidden_channels=64,
                             num_layers=2)
    c_opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    offset = torch.nn.Parameter(torch.full((dim,), 3.0))  # a toy "encoder"
    e_opt = torch.optim.Adam([offset], lr=2e-2)
    for _ in range(400):
        codes = torch.randn(128, dim) + offset
        c_loss = L.code_discriminator_bce(
            disc(torch.randn(128, dim)), disc(codes.detach()))
        c_opt.zero_grad()
        c_loss.backward()
        c_opt.step()
        e_loss = L.code_adversarial_loss(disc(codes), 'ratio')
        e_opt.zero_grad()
        e_loss.backward()
        e_opt.step()
    assert offset.detach().norm() < 0.2 * (3.0 * dim**0.5)


def _packed_batch(imgs, **meta):
    samples = []
    for img in imgs:
        s = DataSample(gt_img=img)
        s.set_metainfo(dict(meta))
        samples.append(s)
    return dict(inputs={}, data_samples=samples)


@pytest.mark.parametrize('channels,pre_kwargs,meta', [
    (1, dict(mean=[127.5], std=[127.5]), {}),
    (3, dict(mean=[10., 20., 30.], std=[50., 60., 70.],
             output_channel_order='RGB'), dict(gt_channel_order='BGR')),
    (3, dict(mean=[0.], std=[255.]), dict(gt_color_type='color')),
])
def test_fast_real_images_equal_mmagic_preprocessor(channels, pre_kwargs,
                                                    meta):
    from mmagic.models import DataPreprocessor
    from alpha_gan_plugin.utils.preprocessing import stacked_gt_images
    g = torch.Generator().manual_seed(channels)
    imgs = torch.randint(0, 256, (6, channels, 8, 8), generator=g,
                         dtype=torch.uint8)
    pre = DataPreprocessor(**pre_kwargs)
    fast = stacked_gt_images(pre, _packed_batch(imgs, **meta))
    full = pre(_packed_batch(imgs, **meta), True)['data_samples'].gt_img
    assert fast is not None
    assert fast.dtype == full.dtype and torch.equal(fast, full)
    if pre_kwargs.get('output_channel_order') == 'RGB':
        # the conversion happened (not a no-op on both sides)
        assert not torch.equal(fast, (imgs.float() - pre.mean) / pre.std)


def test_fast_real_images_leave_unusual_batches_to_mmagic():
    from mmagic.models import DataPreprocessor
    from alpha_gan_plugin.utils.preprocessing import stacked_gt_images
    pre = DataPreprocessor(mean=[127.5], std=[127.5])
    mixed = [torch.zeros(1, 8, 8, dtype=torch.uint8),
             torch.zeros(1, 8, 9, dtype=torch.uint8)]
    assert stacked_gt_images(pre, _packed_batch(mixed)) is None
    with_inputs = dict(_packed_batch([mixed[0]]),
                       inputs=dict(img=[mixed[0]]))
    assert stacked_gt_images(pre, with_inputs) is None


# ---------------------------------------------------------------------------
# the loss module and MMagic's schedule keys
# ---------------------------------------------------------------------------
def test_loss_config_builds_the_registered_loss(tiny_model_cfg):
    model = build(tiny_model_cfg)
    assert type(model.loss).__name__ == 'AlphaGANLoss'
    # every setting in effect is visible where MMagic keeps it
    assert model.loss_config == dict(
        type='AlphaGANLoss', rec_weight=1.0, image_adv_weight=1.0,
        code_adv_weight=1.0, gen_recon_adv_weight=1.0,
        disc_recon_weight=1.0, disc_sample_weight=1.0,
        enc_image_adv_weight=0.0, image_adv_form='nonsaturating',
        code_adv_form='ratio')
    # a loss module without alpha-GAN's per-phase methods is refused
    tiny_model_cfg['loss_config'] = dict(type='AGELoss')
    with pytest.raises(ValueError, match='encoder_loss|discriminator_loss'):
        MODELS.build(tiny_model_cfg)


def test_inherited_foreign_loss_config_names_the_delete_fix(tiny_model_cfg):
    # the loss_config of MMagic's WGAN-GP configs, merged into alpha-GAN's
    tiny_model_cfg['loss_config'].update(loss_weight=10.0, norm_mode='HWC')
    with pytest.raises(ValueError,
                       match=r"\['loss_weight', 'norm_mode'\].*"
                       r'loss_config=dict\(_delete_=True'):
        MODELS.build(tiny_model_cfg)



def test_mmagic_step_keys_set_the_schedule(tiny_model_cfg):
    tiny_model_cfg.update(generator_steps=2, discriminator_steps=3)
    model = build(tiny_model_cfg)
    assert dict(model.train_schedule) == dict(
        encoder=1, generator=2, discriminator=3, code_discriminator=1)
    assert (model.generator_steps, model.discriminator_steps) == (2, 3)
    calls = count_phase_calls(model)
    model.train_step(batch(), optim_dict(model))
    assert calls == dict(encoder=1, generator=2, discriminator=3,
                         code_discriminator=1)
    # the same count in train_schedule is no conflict
    tiny_model_cfg['train_schedule'] = dict(generator=2)
    assert build(tiny_model_cfg).train_schedule['generator'] == 2
