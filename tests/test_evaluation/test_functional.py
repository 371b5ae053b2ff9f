"""Core metric functions against independent reference implementations."""
import math

import numpy as np
import pytest
import torch

from alpha_gan_plugin.evaluation.functional import (
    MS_SSIM_WEIGHTS, feature_statistics, frechet_distance, inception_score,
    ms_ssim, paired_ms_ssim, plan_ms_ssim_scales, random_pairs,
    reconstruction_metrics, sample_pair_ms_ssim, wasserstein_critic_distance)


def crop(img, top, left, size):
    return img[..., top:top + size, left:left + size]


def photo_pairs(photos, size):
    """Pairs of real-photo crops: different photos and overlapping crops."""
    a, c, ch, r = (photos[k] for k in ('astronaut', 'coffee', 'chelsea',
                                        'rocket'))
    return [
        (crop(a, 40, 150, size), crop(c, 20, 60, size)),
        (crop(ch, 30, 90, size), crop(r, 100, 200, size)),
        (crop(a, 40, 150, size), crop(a, 43, 152, size)),  # near-duplicate
        (crop(ch, 30, 100, size), crop(ch, 30, 100, size) * 0.8 + 20),
    ]


# ---------------------------------------------------------------- MS-SSIM
@pytest.mark.parametrize('size', [256, 200])
def test_ms_ssim_matches_pytorch_msssim_5_scales(photos, size):
    from pytorch_msssim import ms_ssim as ref_ms_ssim
    for x, y in photo_pairs(photos, size):
        ours = ms_ssim(x, y, data_range=255.)
        ref = ref_ms_ssim(x, y, data_range=255., size_average=True)
        assert abs(ours.item() - ref.item()) < 1e-4, (size, ours, ref)


def test_ms_ssim_matches_pytorch_msssim_custom_window(photos):
    """64 px, 3-tap window: all 5 scales fit, pytorch-msssim accepts it."""
    from pytorch_msssim import ms_ssim as ref_ms_ssim
    for x, y in photo_pairs(photos, 64):
        ours = ms_ssim(x, y, data_range=255., win_size=3, sigma=0.8)
        ref = ref_ms_ssim(x, y, data_range=255., win_size=3, win_sigma=0.8)
        assert abs(ours.item() - ref.item()) < 1e-4


def _reference_reduced_ms_ssim(x, y, weights, win_size=11, sigma=1.5):
    """MS-SSIM composed from pytorch-msssim's per-scale SSIM/CS terms.

    pytorch-msssim's ``ms_ssim`` hard-codes 4 downsamplings in its size check
    (needs > 160 px) even with fewer weights, so for small images the
    reference is its per-scale ``_ssim`` combined by the MS-SSIM formula:
    prod_{j<k} relu(cs_j)^w_j * relu(ssim_k)^w_k, mean over channels.
    (torchmetrics is no reference here: its MS-SSIM averages the last-scale
    SSIM map over the reflect-padded border, e.g. 0.0 vs 0.039 on a pair.)
    """
    import torch.nn.functional as F
    from pytorch_msssim.ssim import _fspecial_gauss_1d, _ssim
    win = _fspecial_gauss_1d(win_size, sigma).to(x.dtype).repeat(
        x.shape[1], 1, 1, 1)
    out = torch.ones(x.shape[:2], dtype=x.dtype)
    for j, w in enumerate(weights):
        ssim_c, cs_c = _ssim(x, y, 255., win, size_average=False)
        last = j == len(weights) - 1
        out = out * torch.relu(ssim_c if last else cs_c)**w
        pad = [s % 2 for s in x.shape[2:]]
        x, y = F.avg_pool2d(x, 2, padding=pad), F.avg_pool2d(y, 2, padding=pad)
    return out.mean()


@pytest.mark.parametrize('size,num_scales', [(32, 2), (48, 3), (64, 3),
                                             (128, 4)])
def test_ms_ssim_small_images_match_reference(photos, size, num_scales):
    """Reduced scales == the MS-SSIM formula with the first k weights."""
    w = plan_ms_ssim_scales(size, size)
    assert len(w) == num_scales
    betas = tuple(v / sum(MS_SSIM_WEIGHTS[:num_scales])
                  for v in MS_SSIM_WEIGHTS[:num_scales])
    assert np.allclose(w, betas)
    values = []
    for x, y in photo_pairs(photos, size):
        ref = _reference_reduced_ms_ssim(x, y, betas).item()
        ours = ms_ssim(x, y, data_range=255.).item()
        assert abs(ours - ref) < 1e-4, (size, ours, ref)
        values.append(ours)
    assert max(values) > 0.3  # not a vacuous comparison of zeros


def test_ms_ssim_scale_rule_golden():
    sizes = {32: 2, 48: 3, 64: 3, 128: 4, 160: 4, 161: 5, 1024: 5}
    for side, k in sizes.items():
        assert len(plan_ms_ssim_scales(side, side)) == k, side
    assert len(plan_ms_ssim_scales(32, 32, win_size=7)) == 3
    assert plan_ms_ssim_scales(256, 256) == MS_SSIM_WEIGHTS
    assert math.isclose(sum(plan_ms_ssim_scales(32, 32)), 1.0)
    with pytest.raises(ValueError, match='small_image'):
        plan_ms_ssim_scales(64, 64, small_image='error')
    with pytest.raises(ValueError, match='lower win_size'):
        plan_ms_ssim_scales(8, 8)
    with pytest.raises(ValueError, match='odd'):
        plan_ms_ssim_scales(64, 64, win_size=4)


def test_ms_ssim_batch_independent_and_identity(photos):
    pairs = photo_pairs(photos, 64)
    x = torch.cat([p[0] for p in pairs])
    y = torch.cat([p[1] for p in pairs])
    batch = ms_ssim(x, y, reduction='none')
    single = torch.cat([ms_ssim(x[i:i + 1], y[i:i + 1], reduction='none')
                        for i in range(len(x))])
    assert torch.allclose(batch, single, atol=1e-10)
    assert torch.allclose(ms_ssim(x, x, reduction='none'),
                          torch.ones(len(x), dtype=x.dtype))
    # ordering of the pairs: near-duplicate crops beat different photos
    assert batch[2] > 0.5 > batch[0]


def test_sample_pair_ms_ssim(photos):
    imgs = torch.cat([crop(p, 50, 50, 32) for p in photos.values()] +
                     [crop(p, 90, 120, 32) for p in photos.values()])
    g1, g2 = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    pairs = random_pairs(len(imgs), 25, g1)
    assert (pairs[:, 0] != pairs[:, 1]).all()
    expected = ms_ssim(imgs[pairs[:, 0]], imgs[pairs[:, 1]])
    got = sample_pair_ms_ssim(imgs, 25, g2, batch_size=4)
    assert torch.allclose(got, expected, atol=1e-12)
    same = imgs[:1].expand(6, -1, -1, -1)
    assert torch.allclose(sample_pair_ms_ssim(same, 5), torch.tensor(1.0,
                          dtype=imgs.dtype))
    assert torch.allclose(paired_ms_ssim(imgs, imgs.flip(0), batch_size=3),
                          ms_ssim(imgs, imgs.flip(0)), atol=1e-12)


# ---------------------------------------------------------------- IS
@pytest.mark.parametrize('n,k,splits', [(1000, 1008, 10), (103, 10, 7)])
def test_inception_score_matches_torch_fidelity(n, k, splits):
    from torch_fidelity.metric_isc import isc_features_to_metric
    g = torch.Generator().manual_seed(n)
    logits = torch.randn(n, k, generator=g) * 3
    ref = isc_features_to_metric(logits, splits=splits, shuffle=False)
    mean, std = inception_score(logits, splits)
    assert abs(mean - ref['inception_score_mean']) < 1e-4
    assert abs(std - ref['inception_score_std']) < 1e-4


def test_inception_score_golden():
    # confident and uniform over K classes -> K; constant -> 1
    assert inception_score(100 * torch.eye(50), 1)[0] == pytest.approx(50)
    mean, std = inception_score(torch.zeros(40, 7), 4)
    assert mean == pytest.approx(1) and std == pytest.approx(0)
    with pytest.raises(ValueError, match='splits'):
        inception_score(torch.zeros(5, 3), 6)


# ---------------------------------------------------------------- FID
def test_frechet_distance_matches_scipy_sqrtm_reference():
    from torch_fidelity.metric_fid import (fid_features_to_statistics,
                                           fid_statistics_to_metric)
    g = torch.Generator().manual_seed(0)
    f1 = torch.randn(500, 64, generator=g, dtype=torch.float64)
    mix = torch.randn(64, 64, generator=g, dtype=torch.float64) * 0.3
    f2 = torch.randn(400, 64, generator=g, dtype=torch.float64) @ mix + 0.5
    mu1, s1 = feature_statistics(f1)
    mu2, s2 = feature_statistics(f2)
    ref_stats = [fid_features_to_statistics(f) for f in (f1, f2)]
    np.testing.assert_allclose(mu1, ref_stats[0]['mu'], rtol=1e-10)
    np.testing.assert_allclose(s2, ref_stats[1]['sigma'], rtol=1e-8,
                               atol=1e-12)
    ref = fid_statistics_to_metric(*ref_stats, verbose=False)
    ours = frechet_distance(mu1, s1, mu2, s2)
    assert ours == pytest.approx(ref['frechet_inception_distance'],
                                 rel=1e-3)
    assert frechet_distance(mu1, s1, mu1, s1) == pytest.approx(0, abs=1e-8)


def test_frechet_distance_golden_1d_and_diagonal():
    # W2^2 of 1-D Gaussians = (m1 - m2)^2 + (s1 - s2)^2
    d = frechet_distance([1.], [[4.]], [3.], [[9.]])
    assert d == pytest.approx(4 + 1)
    d = frechet_distance(np.zeros(3), np.diag([1., 4., 9.]), np.ones(3),
                         np.diag([4., 4., 1.]))
    assert d == pytest.approx(3 + 1 + 0 + 4)


# ---------------------------------------------------------------- recon
def test_reconstruction_metrics_golden():
    x = torch.full((2, 1, 32, 32), 0.5)
    x_hat = x.clone()
    x_hat[0] += 0.1
    x_hat[1, :, :16] -= 0.2
    out = reconstruction_metrics(x, x_hat, data_range=1.)
    assert torch.allclose(out['l1'], torch.tensor([0.1, 0.1],
                                                  dtype=torch.float64))
    assert torch.allclose(out['mse'], torch.tensor([0.01, 0.02],
                                                   dtype=torch.float64))
    assert out['psnr'][0].item() == pytest.approx(20.0)
    assert out['psnr'][1].item() == pytest.approx(10 * math.log10(50))
    assert out['ms_ssim'].shape == (2, )
    assert reconstruction_metrics(x, x)['ms_ssim'].tolist() == [1.0, 1.0]


# ---------------------------------------------------------------- critic
def _blobs(n, seed, shift=0.0, size=16):
    """Random soft discs on a dark background, in [-1, 1]."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size),
                            indexing='ij')
    cy, cx = (torch.rand(2, n, 1, 1, generator=g) * (size - 6) + 3)
    r = torch.rand(n, 1, 1, generator=g) * 3 + 2
    d2 = (yy - cy)**2 + (xx - cx)**2
    img = torch.sigmoid((r**2 - d2) / 2.0) * 2 - 1 + shift
    return img.unsqueeze(1).clamp(-1, 1)


def test_wasserstein_critic_distance_detects_shift_and_collapse():
    kw = dict(steps=80, batch_size=32, base_channels=8, seed=0, lr=1e-3)
    train, test = _blobs(256, 1), _blobs(128, 2)
    same = wasserstein_critic_distance(train, _blobs(256, 3), test,
                                       _blobs(128, 4), **kw)
    shifted = wasserstein_critic_distance(train, _blobs(256, 3, 0.4), test,
                                          _blobs(128, 4, 0.4), **kw)
    # a collapsed generator: every sample (train and fresh) is one image
    mode = _blobs(1, 3)
    collapsed = wasserstein_critic_distance(
        train, mode.expand(256, -1, -1, -1), test,
        mode.expand(128, -1, -1, -1), **kw)
    assert shifted['distance'] > 1.0
    assert collapsed['distance'] > 1.0
    assert abs(same['distance']) < 0.05 * min(shifted['distance'],
                                             collapsed['distance'])
    kw['steps'] = 5
    assert wasserstein_critic_distance(train, train, test, test, **kw) == \
        wasserstein_critic_distance(train, train, test, test, **kw)
    with pytest.raises(ValueError, match='image shape'):
        wasserstein_critic_distance(train, train[:, :, :8, :8], test, test,
                                    **kw)
