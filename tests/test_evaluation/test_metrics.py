"""MMagic wrappers: values vs the core functions, batching, errors."""
import os

import numpy as np
import pytest
import torch

from _support import (FakeAutoEncoder, as_samples, fake_images,
                      fashion_dataset, loader, make_files)
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.metrics import (
    ClassifierScore, LocalFID, LocalInceptionScore, ReconstructionMetrics,
    SamplePairMSSSIM, WassersteinCriticDistance, canonical_order)
from alpha_gan_plugin.evaluation.domain_classifier import DomainClassifier
from alpha_gan_plugin.evaluation.networks import (InceptionClassifier,
                                                  fid_helper_inception_path)


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    return make_files(tmp_path_factory.mktemp('nets'))


def feed(metric, imgs, batch):
    for i in range(0, len(imgs), batch):
        metric.process(None, as_samples(imgs[i:i + batch]))


def test_classifier_score_matches_reference_and_batching(files):
    from torch_fidelity.metric_isc import isc_features_to_metric
    imgs = fake_images(30, size=32)
    results = []
    for batch in (4, 7, 30):
        m = ClassifierScore(fake_nums=24, classifier_path=files['clf'],
                            splits=3)
        feed(m, imgs, batch)  # more images than fake_nums: extra ignored
        results.append(m.evaluate())
    logits = DomainClassifier(files['clf'])(imgs[:24]).double()
    ref = isc_features_to_metric(logits[canonical_order(logits)], splits=3,
                                 shuffle=False)
    for r in results:
        assert r['CS/classifier_score'] == pytest.approx(
            ref['inception_score_mean'], abs=1e-6)
        assert r['CS/classifier_score_std'] == pytest.approx(
            ref['inception_score_std'], abs=1e-6)
    # the canonical order makes the score independent of the sample order
    m = ClassifierScore(fake_nums=24, classifier_path=files['clf'], splits=3)
    feed(m, imgs[:24].flip(0), 5)
    assert m.evaluate()['CS/classifier_score'] == pytest.approx(
        results[0]['CS/classifier_score'], abs=1e-9)


def test_inception_torchvision_state_dict(tmp_path):
    from torchvision.models import inception_v3
    torch.manual_seed(0)
    net = inception_v3(weights=None, aux_logits=True, init_weights=False,
                       transform_input=False).eval()
    path = str(tmp_path / 'inception_v3_random.pth')
    torch.save(net.state_dict(), path)
    m = LocalInceptionScore(fake_nums=4, inception_path=path, splits=2,
                            channel_order='rgb')
    imgs = fake_images(4, channels=3, size=32)
    feed(m, imgs, 4)
    res = m.evaluate()
    with torch.no_grad():
        x = torch.nn.functional.interpolate(imgs, size=(299, 299),
                                            mode='bilinear',
                                            align_corners=False)
        logits = net(x / 127.5 - 1).double()
    ref = Fm.inception_score(logits[canonical_order(logits)], 2)
    assert res['IS/is'] == pytest.approx(ref[0], abs=1e-5)
    assert 1 <= res['IS/is'] <= 1000


def test_inception_stylegan_torchscript(files):
    clf = InceptionClassifier(files['stylegan'])
    assert clf.style == 'stylegan'
    imgs = fake_images(3, channels=3)
    probs = torch.jit.load(files['stylegan'])(
        torch.nn.functional.interpolate(imgs, size=(299, 299),
                                        mode='bilinear', align_corners=False),
        no_output_bias=True)
    assert torch.allclose(clf(imgs).exp(), probs.double(), atol=1e-6)
    # a feature TorchScript is not an Inception classifier
    with pytest.raises(ValueError, match='no_output_bias'):
        InceptionClassifier(files['feat'])


def test_missing_weights_errors(tmp_path, files):
    with pytest.raises(ValueError, match='inception_path.*IMAGENET1K_V1'):
        LocalInceptionScore(fake_nums=10)
    with pytest.raises(FileNotFoundError, match='inception_path'):
        LocalInceptionScore(fake_nums=10,
                            inception_path=str(tmp_path / 'no.pth'))
    with pytest.raises(FileNotFoundError,
                       match='classifier_path.*train_domain_classifier'):
        ClassifierScore(fake_nums=10, classifier_path=str(tmp_path / 'x'))
    with pytest.raises(ValueError, match='feature_extractor_path'):
        LocalFID(fake_nums=10)
    with pytest.raises(ValueError, match='FashionMNISTCNN-v1 checkpoint'):
        ClassifierScore(fake_nums=10, classifier_path=files['feat'])
    assert os.path.isfile(fid_helper_inception_path())


def test_bad_settings_errors(files):
    with pytest.raises(ValueError, match='splits=11'):
        ClassifierScore(fake_nums=10, classifier_path=files['clf'], splits=11)
    with pytest.raises(ValueError, match='even'):
        SamplePairMSSSIM(fake_nums=7)
    with pytest.raises(ValueError, match='channel_order'):
        ClassifierScore(fake_nums=10, classifier_path=files['clf'],
                        channel_order='yuv')
    with pytest.raises(ValueError, match='train_dataset'):
        WassersteinCriticDistance(fake_nums=10)
    with pytest.raises(ValueError, match='train_fake_nums'):
        WassersteinCriticDistance(fake_nums=10, train_dataset={},
                                  train_fake_nums=10)
    m = ClassifierScore(fake_nums=4, classifier_path=files['clf'], splits=2)
    with pytest.raises(ValueError, match=r'\[0, 255\].*de-normalise'):
        m.process(None, as_samples(fake_images(2) / 127.5 - 1))
    m = ReconstructionMetrics(real_nums=41)
    with pytest.raises(ValueError, match='real_nums=41.*holds 40'):
        m.prepare(FakeAutoEncoder(), loader(fashion_dataset()))
    with pytest.raises(ValueError, match='reconstruct'):
        ReconstructionMetrics(real_nums=4).prepare(
            torch.nn.Linear(1, 1), loader(fashion_dataset()))


def test_sample_pair_ms_ssim_pairs_and_carry_over():
    imgs = fake_images(12, size=32)
    m = SamplePairMSSSIM(fake_nums=10)
    for lo, hi in ((0, 3), (3, 7), (7, 12)):  # odd batches carry over
        m.process(None, as_samples(imgs[lo:hi]))
    res = m.evaluate()['MS-SSIM-pairs/ms_ssim_pairs']
    ref = Fm.ms_ssim(imgs[0:10:2].double(), imgs[1:10:2].double(),
                     data_range=255.)
    assert res == pytest.approx(ref.item(), abs=1e-10)
    assert 0 < res < 1


def test_reconstruction_metrics_golden():
    dataset = fashion_dataset(num=20)
    model = FakeAutoEncoder()
    m = ReconstructionMetrics(real_nums=-1)
    dl = loader(dataset, 6)
    m.prepare(model, dl)
    for batch in m.get_metric_sampler(model, dl, [m]):
        m.process(batch, [])
    res = m.evaluate()
    # recon = 0.9 x in [-1, 1]  <=>  0.9 x01 + 0.05 in [0, 1]
    x01 = torch.stack([torch.as_tensor(dataset[i]['data_samples'].gt_img)
                       for i in range(20)]).double() / 255.
    err = 0.1 * x01 - 0.05
    assert res['Rec/rec_l1'] == pytest.approx(err.abs().mean().item(),
                                              abs=1e-6)
    mse = err.pow(2).flatten(1).mean(1)
    assert res['Rec/rec_mse'] == pytest.approx(mse.mean().item(), abs=1e-7)
    assert res['Rec/rec_psnr'] == pytest.approx(
        (-10 * torch.log10(mse)).mean().item(), abs=1e-4)
    ref = Fm.ms_ssim(x01, 0.9 * x01 + 0.05, data_range=1.)
    assert res['Rec/rec_ms_ssim'] == pytest.approx(ref.item(), abs=1e-5)


def test_local_fid_cache_and_value(tmp_path, files):
    dataset = fashion_dataset(num=40)
    model = FakeAutoEncoder()

    def make(real_nums=40):
        return LocalFID(fake_nums=40, feature_extractor_path=files['feat'],
                        real_nums=real_nums, resize_to=16,
                        stats_cache_dir=str(tmp_path / 'cache'))

    m1 = make()
    m1.prepare(model, loader(dataset))
    assert m1.cache_hit is False
    assert len(os.listdir(tmp_path / 'cache')) == 1
    m2 = make()
    m2.prepare(model, loader(dataset))
    assert m2.cache_hit is True
    np.testing.assert_array_equal(m1.real_stats[1], m2.real_stats[1])
    m3 = make(real_nums=30)
    m3.prepare(model, loader(dataset))
    assert m3.cache_hit is False
    assert len(os.listdir(tmp_path / 'cache')) == 2
    # samples == the real images -> 0; shifted samples -> reference value
    reals = torch.stack([torch.as_tensor(dataset[i]['data_samples'].gt_img)
                         for i in range(40)]).float()
    feed(m1, reals, 16)
    assert m1.evaluate()['FID/fid'] == pytest.approx(0, abs=1e-6)
    fakes = (reals * 0.7 + 30)
    feed(m2, fakes, 9)
    from torch_fidelity.metric_fid import (fid_features_to_statistics,
                                           fid_statistics_to_metric)
    f_real, f_fake = m2.features(reals), m2.features(fakes)
    ref = fid_statistics_to_metric(fid_features_to_statistics(f_real),
                                   fid_features_to_statistics(f_fake), False)
    assert m2.evaluate()['FID/fid'] == pytest.approx(
        ref['frechet_inception_distance'], rel=1e-3)


def test_wasserstein_critic_metric_runs_deterministically():
    model = FakeAutoEncoder()
    test_set = fashion_dataset(num=32)
    train_cfg = dict(type='FashionMNISTDataset',
                     data_root='/usr/share/datasets/fashion-mnist',
                     split='train', image_size=16, channels=1, num_images=64,
                     pipeline=[dict(type='PackInputs')])
    vals = []
    for order in (1, -1):
        m = WassersteinCriticDistance(fake_nums=48, train_dataset=train_cfg,
                                      steps=5, batch_size=16, base_channels=4)
        m.prepare(model, loader(test_set))
        feed(m, fake_images(48, size=16).flip(0) if order < 0 else
             fake_images(48, size=16).flip(0).flip(0), 10)
        vals.append(m.evaluate()['WCD/wcd'])
    assert vals[0] == vals[1]  # independent of the sample order
    assert m.train_real.shape == (64, 1, 16, 16)


def test_fid_helper_is_an_explicit_name_for_the_bundled_network():
    from alpha_gan_plugin.evaluation.networks import TorchScriptFeatures
    net = TorchScriptFeatures('fid_helper')
    assert net.path == fid_helper_inception_path()
    with pytest.raises(FileNotFoundError, match="'fid_helper'"):
        TorchScriptFeatures('/nonexistent/fid_helper.pt')
