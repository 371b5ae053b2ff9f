"""update_mode='shared' vs 'alternating': gradients by hand, one host
read per iteration, NaN before any update, AMP (bf16 autocast) on a CPU."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine import MessageHub
from mmengine.optim import build_optim_wrapper

from helpers import (FM_CONFIG, TINY_MODEL, count_phase_calls,
                     needs_fashion_mnist, tiny_run_options, tool)
from mmagic.registry import MODELS
from mmagic.structures import DataSample

NETWORKS = ('encoder', 'generator', 'discriminator', 'code_discriminator')


def build(**overrides):
    cfg = copy.deepcopy(TINY_MODEL)
    cfg.update(overrides)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def optims(model, lr=1e-3, **wrapper):
    return build_optim_wrapper(model, dict(
        constructor='MultiOptimWrapperConstructor',
        **{n: dict(optimizer=dict(type='Adam', lr=lr), **wrapper)
           for n in model.PHASES}))


def batch(n=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs = torch.randint(0, 256, (n, 1, 16, 16), generator=g).float()
    return dict(inputs=dict(img=imgs),
                data_samples=[DataSample(gt_img=im) for im in imgs])


def params(model):
    return {n: [p.detach().clone() for p in getattr(model, n).parameters()]
            for n in NETWORKS}


def changed(before, model, name):
    return any(not torch.equal(a.nan_to_num(), b.detach().nan_to_num())
               for a, b in zip(before[name], getattr(model, name).parameters()))


# ---------------------------------------------------------------------------
# the shared step's gradients, against torch.autograd.grad by hand
# ---------------------------------------------------------------------------
@pytest.mark.parametrize('loss_cfg', [
    dict(rec_weight=2.0),
    dict(rec_weight=0.5, enc_image_adv_weight=0.7, disc_recon_weight=0.3,
         gen_recon_adv_weight=1.5, image_adv_form='ratio'),
    # D never scores the reconstructions: their forward is skipped
    dict(rec_weight=3.0, disc_recon_weight=0.0, gen_recon_adv_weight=0.0),
])
def test_shared_step_gradients_equal_each_networks_own_loss(loss_cfg):
    model = build(update_mode='shared', loss_config=loss_cfg)
    ref = copy.deepcopy(model)
    optim = optims(model)
    grads = {}
    for name in NETWORKS:  # record the gradients instead of stepping
        wrapper = optim[name]
        wrapper.step = (lambda n=name: grads.__setitem__(n, [
            p.grad.detach().clone()
            for p in getattr(model, n).parameters()]))
    data = batch()
    torch.manual_seed(7)
    model.train_step(data, optim)

    # by hand, on the copy, with the same draws in the documented order
    real = ref.real_images(data)
    torch.manual_seed(7)
    E, G = ref.encoder, ref.generator
    D, C = ref.discriminator, ref.code_discriminator
    codes = E(real)
    recon = G(noise=codes, return_noise=False)
    samples = G(noise=ref.noise_fn(num_batches=4), return_noise=False)
    prior = ref.noise_fn(num_batches=4)
    d_real, d_rec, d_smp = D(real), D(recon), D(samples)
    c_code, c_prior = C(codes), C(prior)
    w = dict(rec_weight=1.0, enc_image_adv_weight=0.0, disc_recon_weight=1.0,
             gen_recon_adv_weight=1.0, image_adv_form='nonsaturating')
    w.update(loss_cfg)

    def adv(logits):
        return -logits.mean() if w['image_adv_form'] == 'ratio' else \
            F.softplus(-logits).mean()

    rec = w['rec_weight'] * (real - recon).abs().mean()
    loss_e = rec - c_code.mean() + w['enc_image_adv_weight'] * adv(d_rec)
    loss_g = rec + w['gen_recon_adv_weight'] * adv(d_rec) + adv(d_smp)
    loss_d = F.softplus(-d_real).mean() + w['disc_recon_weight'] * \
        F.softplus(d_rec).mean() + F.softplus(d_smp).mean()
    loss_c = F.softplus(-c_prior).mean() + F.softplus(c_code).mean()
    for name, loss in zip(NETWORKS, (loss_e, loss_g, loss_d, loss_c)):
        expected = torch.autograd.grad(
            loss, list(getattr(ref, name).parameters()), retain_graph=True)
        assert len(expected) == len(grads[name]) > 0
        for got, want in zip(grads[name], expected):
            torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-6)


def test_shared_step_updates_every_network_and_extra_updates_recompute():
    model = build(update_mode='shared',
                  train_schedule=dict(generator=2, discriminator=3))
    calls = count_phase_calls(model)
    before = params(model)
    logs = model.train_step(batch(), optims(model))
    # one shared update of each, then the extra ones as their own phases
    assert calls == dict(encoder=0, generator=1, discriminator=2,
                         code_discriminator=0)
    assert all(changed(before, model, n) for n in NETWORKS)
    assert {'loss_enc_rec', 'loss_gen_img_adv', 'loss_disc',
            'loss_code_disc', 'code_kl_estimate'} <= set(logs)


def test_update_mode_is_checked_and_age_says_why_not_shared():
    with pytest.raises(ValueError, match="update_mode='simultaneous'.*"
                       "'alternating', 'shared'"):
        build(update_mode='simultaneous')
    age = dict(type='AGE', noise_size=8,
               data_preprocessor=TINY_MODEL['data_preprocessor'],
               generator=TINY_MODEL['generator'],
               encoder=dict(TINY_MODEL['encoder'], noise_size=0),
               update_mode='shared')
    with pytest.raises(ValueError, match="update_mode='shared' is not "
                       "available for AGE: its encoder is the adversary"):
        MODELS.build(age)


# ---------------------------------------------------------------------------
# one host synchronisation per iteration
# ---------------------------------------------------------------------------
HOST_READS = ('item', '__bool__', 'tolist', 'cpu', 'numpy', '__float__',
              '__int__')
#: Reads of tensors that stay on the CPU on a GPU machine too, so they
#: never wait for the GPU: torch's Adam step counters (CPU tensors unless
#: ``capturable=True``) and the padding sizes MMagic's data preprocessor
#: compares (metadata of the CPU batch).
CPU_RESIDENT = (osp.join('torch', 'optim', ''),
                osp.join('data_preprocessors', 'data_preprocessor.py'))


def _caller_file():
    import sys
    frame = sys._getframe(2)
    return frame.f_code.co_filename


@pytest.mark.parametrize('mode,schedule', [
    ('alternating', None), ('alternating', dict(generator=2)),
    ('shared', None), ('shared', dict(generator=2, encoder=2))])
def test_train_step_reads_the_host_at_most_once(monkeypatch, mode,
                                                schedule):
    model = build(update_mode=mode, train_schedule=schedule,
                  ema_config=dict(interval=1))
    optim = optims(model)
    data = batch()
    model.train_step(data, optim)  # the first batch's one-off checks
    reads = []
    for name in HOST_READS:
        original = getattr(torch.Tensor, name)

        def counting(self, *args, _name=name, _orig=original, **kwargs):
            caller = _caller_file()
            if not any(part in caller for part in CPU_RESIDENT):
                reads.append((_name, caller))
            return _orig(self, *args, **kwargs)
        monkeypatch.setattr(torch.Tensor, name, counting)
    for it in range(1, 3):
        MessageHub.get_current_instance().update_info('iter', it)
        before = len(reads)
        model.train_step(data, optim)
        assert len(reads) - before <= 1, reads[before:]
    monkeypatch.undo()
    # the finite check's one read, each iteration
    assert [name for name, _ in reads] == ['tolist', 'tolist']


# ---------------------------------------------------------------------------
# divergence
# ---------------------------------------------------------------------------
def test_shared_nan_stops_before_any_update():
    model = build(update_mode='shared')
    optim = optims(model)
    with torch.no_grad():
        model.code_discriminator.mlp[-1].bias.fill_(float('nan'))
    before = params(model)
    MessageHub.get_current_instance().update_info('iter', 11)
    # C's logits of the codes are NaN: the encoder's code term is the first
    # non-finite loss in update order
    with pytest.raises(FloatingPointError,
                       match='encoder loss is nan at iteration 12'):
        model.train_step(batch(), optim)
    assert not any(changed(before, model, n) for n in NETWORKS)
    assert all(len(optim[n].optimizer.state) == 0 for n in NETWORKS)


def test_alternating_nan_names_the_first_network_once_per_iteration():
    model = build()
    optim = optims(model)
    with torch.no_grad():
        model.discriminator.conv_blocks[0].conv.weight.fill_(float('nan')) \
            if hasattr(model.discriminator, 'conv_blocks') else \
            next(model.discriminator.parameters()).fill_(float('nan'))
    MessageHub.get_current_instance().update_info('iter', 3)
    with pytest.raises(FloatingPointError,
                       match='generator loss is nan at iteration 4'):
        model.train_step(batch(), optim)


# ---------------------------------------------------------------------------
# mixed precision: bf16 autocast on a CPU, mmengine's CUDA check patched
# ---------------------------------------------------------------------------
@pytest.fixture
def amp_on_cpu(monkeypatch):
    """mmengine's AmpOptimWrapper refuses to exist without CUDA; pretend
    there is one for its check (autocast then runs on the CPU)."""
    from mmengine.optim.optimizer import amp_optimizer_wrapper as amp
    monkeypatch.setattr(amp, 'is_cuda_available', lambda: True)


@pytest.mark.parametrize('mode', ['alternating', 'shared'])
def test_bf16_autocast_trains_every_network(amp_on_cpu, mode):
    model = build(update_mode=mode)
    optim = optims(model, type='AmpOptimWrapper', dtype='bfloat16',
                   loss_scale=dict(enabled=False))
    seen = []
    d_forward = model.discriminator.forward

    def spy(x, *a, **k):
        out = d_forward(x, *a, **k)
        seen.append(out.dtype)
        return out
    model.discriminator.forward = spy
    before = params(model)
    for it in range(3):
        MessageHub.get_current_instance().update_info('iter', it)
        logs = model.train_step(batch(seed=it), optim)
    assert all(torch.isfinite(v).all() for v in logs.values())
    assert all(changed(before, model, n) for n in NETWORKS)
    assert torch.bfloat16 in seen  # the forward ran under bf16 autocast
    for n in NETWORKS:  # weights stay float32
        assert all(p.dtype == torch.float32
                   for p in getattr(model, n).parameters())


@needs_fashion_mnist
@pytest.mark.parametrize('mode', ['alternating', 'shared'])
def test_train_tool_amp_saves_and_resumes(amp_on_cpu, tmp_path, mode):
    train_tool = tool('train')
    work = str(tmp_path / 'run')
    opts = [*tiny_run_options(FM_CONFIG), f'model.update_mode={mode}',
            'custom_hooks=[]']
    runner = train_tool.main([FM_CONFIG, '--work-dir', work, '--amp',
                              '--amp-dtype', 'bfloat16', '--cfg-options',
                              *opts])
    wrappers = runner.optim_wrapper
    assert {type(wrappers[n]).__name__ for n in NETWORKS} == {
        'AmpOptimWrapper'}
    assert all(wrappers[n].cast_dtype == torch.bfloat16 for n in NETWORKS)
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu')
    assert all(torch.isfinite(v).all() for v in ckpt['state_dict'].values()
               if v.is_floating_point())
    assert all('loss_scaler' in ckpt['optimizer'][n] for n in NETWORKS)
    train_tool.main([FM_CONFIG, '--work-dir', work, '--amp', '--amp-dtype',
                     'bfloat16', '--resume', '--cfg-options', *opts,
                     'train_cfg.max_iters=6'])
    assert torch.load(osp.join(work, 'iter_6.pth'),
                      map_location='cpu')['meta']['iter'] == 6


def test_train_tool_refuses_amp_without_a_gpu(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('a GPU is present')
    with pytest.raises(ValueError, match='--amp needs a GPU'):
        tool('train').main([FM_CONFIG, '--work-dir', str(tmp_path), '--amp'])
