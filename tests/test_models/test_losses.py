"""Each alpha-GAN loss term against values computed by hand."""
import math

import pytest
import torch

from alpha_gan_plugin.models.losses import alpha_gan_loss as L


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


LOGITS = [2.0, -1.0, 0.5, -3.0]


def test_reconstruction_l1_by_hand():
    real = torch.tensor([[[[1.0, -1.0], [0.5, 0.0]]]])
    recon = torch.tensor([[[[0.5, -1.0], [-0.5, 0.25]]]])
    # |0.5| + 0 + |1.0| + |0.25| over 4 elements
    assert L.reconstruction_l1(real, recon).item() == pytest.approx(0.4375)
    with pytest.raises(ValueError, match='shapes differ'):
        L.reconstruction_l1(real, recon[..., :1])


def test_ratio_form_is_minus_log_density_ratio():
    logits = torch.tensor(LOGITS)
    expected = sum(-math.log(sig(x) / (1 - sig(x))) for x in LOGITS) / 4
    assert L.adversarial_loss(logits, 'ratio').item() == pytest.approx(
        expected, abs=1e-6)


def test_nonsaturating_form_is_minus_log_d():
    logits = torch.tensor(LOGITS)
    expected = sum(-math.log(sig(x)) for x in LOGITS) / 4
    assert L.adversarial_loss(logits, 'nonsaturating').item() == \
        pytest.approx(expected, abs=1e-6)


def test_adversarial_forms_are_stable_for_extreme_logits():
    logits = torch.tensor([-200.0, 200.0], requires_grad=True)
    loss = L.adversarial_loss(logits, 'nonsaturating')
    loss.backward()
    # -log sigmoid(-200) = 200 (+ tiny), -log sigmoid(200) ~ 0
    assert loss.item() == pytest.approx(100.0, rel=1e-6)
    assert torch.isfinite(logits.grad).all()


def test_unknown_form_rejected():
    with pytest.raises(ValueError, match="'ratio'"):
        L.adversarial_loss(torch.zeros(2), 'hinge')


def test_generator_losses_push_towards_real():
    # Lower loss for logits that D thinks are more real, in both forms.
    for form in L.ADVERSARIAL_FORMS:
        hi = L.adversarial_loss(torch.tensor([3.0]), form)
        lo = L.adversarial_loss(torch.tensor([-3.0]), form)
        assert hi < lo


def test_discriminator_loss_labels_by_hand():
    real, rec, smp = torch.tensor([2.0]), torch.tensor([-1.0]), \
        torch.tensor([0.5])
    expected = (-math.log(sig(2.0)) - math.log(1 - sig(-1.0)) -
                math.log(1 - sig(0.5)))
    got = L.discriminator_bce(real, rec, smp).item()
    assert got == pytest.approx(expected, abs=1e-6)
    # Swapping real and fake must change the value (labels have direction).
    assert L.discriminator_bce(rec, real, smp).item() != pytest.approx(got)
    with pytest.raises(ValueError):
        L.discriminator_bce(real)


def test_code_discriminator_prior_is_real_posterior_is_fake():
    """Pins the label direction the first arXiv version printed swapped."""
    prior, post = torch.tensor([1.5]), torch.tensor([-0.5])
    expected = -math.log(sig(1.5)) - math.log(1 - sig(-0.5))
    assert L.code_discriminator_bce(prior, post).item() == pytest.approx(
        expected, abs=1e-6)
    # A C that scores prior samples high and encoder codes low is good,
    # so its loss is lower than for the swapped assignment.
    good = L.code_discriminator_bce(torch.tensor([4.0]), torch.tensor([-4.0]))
    bad = L.code_discriminator_bce(torch.tensor([-4.0]), torch.tensor([4.0]))
    assert good < 0.05 < 7.9 < bad


def test_code_adversarial_ratio_is_kl_estimate():
    # If C's logit of encoder codes is log q/p = -0.7, the encoder's term
    # -log C/(1-C) is +0.7 (codes look less like the prior => positive KL).
    post = torch.tensor([-0.7, -0.7])
    assert L.code_adversarial_loss(post, 'ratio').item() == pytest.approx(0.7)
    assert L.code_adversarial_loss(post, 'nonsaturating').item() == \
        pytest.approx(-math.log(sig(-0.7)), abs=1e-6)


def test_image_adversarial_sums_both_kinds():
    rec, smp = torch.tensor([1.0, 2.0]), torch.tensor([-1.0])
    assert L.image_adversarial_loss(rec, smp, 'ratio').item() == \
        pytest.approx(-1.5 + 1.0)


# ---------------------------------------------------------------------------
# the registered loss module
# ---------------------------------------------------------------------------
def test_loss_module_phases_combine_the_pure_functions():
    from mmagic.registry import MODELS
    loss = MODELS.build(dict(type='AlphaGANLoss', rec_weight=3.0,
                             image_adv_weight=0.5, code_adv_weight=2.0,
                             image_adv_form='ratio',
                             code_adv_form='nonsaturating'))
    g = torch.Generator().manual_seed(0)
    real, recon = torch.randn(4, 1, 4, 4, generator=g), torch.randn(
        4, 1, 4, 4, generator=g)
    a, b, c = (torch.randn(4, 1, generator=g) for _ in range(3))
    enc = loss.encoder_loss(real, recon, a)
    assert enc['loss_enc_rec'].item() == pytest.approx(
        3.0 * (real - recon).abs().mean().item(), rel=1e-6)
    assert enc['loss_enc_code_adv'].item() == pytest.approx(
        2.0 * sum(-math.log(sig(x)) for x in a.flatten().tolist()) / 4,
        rel=1e-5)
    gen = loss.generator_loss(real, recon, a, b)
    assert gen['loss_gen_img_adv'].item() == pytest.approx(
        0.5 * (-a.mean() - b.mean()).item(), rel=1e-5)
    disc = loss.discriminator_loss(a, b, c)
    assert disc['loss_disc'].item() == pytest.approx(
        L.discriminator_bce(a, b, c).item())
    assert disc['disc_real_prob'].item() == pytest.approx(
        torch.sigmoid(a).mean().item())
    code = loss.code_discriminator_loss(a, b)
    assert code['loss_code_disc'].item() == pytest.approx(
        L.code_discriminator_bce(a, b).item())
    assert code['code_kl_estimate'].item() == pytest.approx(-b.mean().item())
    assert loss.settings == dict(rec_weight=3.0, image_adv_weight=0.5,
                                 code_adv_weight=2.0, gen_recon_adv_weight=1.0,
                                 disc_recon_weight=1.0, disc_sample_weight=1.0,
                                 enc_image_adv_weight=0.0,
                                 image_adv_form='ratio',
                                 code_adv_form='nonsaturating')
    assert not list(loss.parameters()) and not loss.state_dict()


def test_stream_weights_scale_their_terms_by_hand():
    """The weights of D's streams, of G's reconstruction term and of the
    encoder's image term, against the formulas written out here."""
    from mmagic.registry import MODELS
    loss = MODELS.build(dict(type='AlphaGANLoss', image_adv_weight=2.0,
                             gen_recon_adv_weight=0.25,
                             disc_recon_weight=0.5, disc_sample_weight=3.0,
                             enc_image_adv_weight=4.0,
                             image_adv_form='nonsaturating'))
    g = torch.Generator().manual_seed(1)
    real, recon = torch.randn(4, 1, 4, 4, generator=g), torch.randn(
        4, 1, 4, 4, generator=g)
    a, b, c, d = (torch.randn(4, 1, generator=g) for _ in range(4))

    def mean(f, t):
        return sum(f(x) for x in t.flatten().tolist()) / t.numel()

    def neg_log_sig(x):
        return -math.log(sig(x))

    def neg_log_1m_sig(x):
        return -math.log(1 - sig(x))

    disc = loss.discriminator_loss(a, b, c)['loss_disc'].item()
    assert disc == pytest.approx(
        mean(neg_log_sig, a) + 0.5 * mean(neg_log_1m_sig, b) +
        3.0 * mean(neg_log_1m_sig, c), rel=1e-5)
    gen = loss.generator_loss(real, recon, a, b)['loss_gen_img_adv'].item()
    assert gen == pytest.approx(
        2.0 * (0.25 * mean(neg_log_sig, a) + mean(neg_log_sig, b)),
        rel=1e-5)
    enc = loss.encoder_loss(real, recon, c, d)
    assert enc['loss_enc_img_adv'].item() == pytest.approx(
        4.0 * mean(neg_log_sig, d), rel=1e-5)
    with pytest.raises(ValueError, match='recon_logits'):
        loss.encoder_loss(real, recon, c)
    # weight 0 (the default) adds no term and needs no logits
    plain = MODELS.build(dict(type='AlphaGANLoss'))
    assert set(plain.encoder_loss(real, recon, c)) == {
        'loss_enc_rec', 'loss_enc_code_adv'}
    with pytest.raises(ValueError, match='2 fake batches but 1'):
        L.discriminator_bce(a, b, c, fake_weights=(1.0, ))


@pytest.mark.parametrize('kwargs,match', [
    (dict(loss_weight=10.0, norm_mode='HWC'), r'_delete_=True'),
    (dict(rec_weight=-1), 'rec_weight'),
    (dict(image_adv_weight='1'), 'image_adv_weight'),
    (dict(code_adv_form='hinge'), 'code_adv_form'),
])
def test_loss_module_bad_settings(kwargs, match):
    from mmagic.registry import MODELS
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='AlphaGANLoss', **kwargs))
