"""PRDC and DomainFID wrappers: values vs the cores, sharding, errors."""
import os

import pytest
import torch

from helpers import run_ranks

from helpers.evaluation import (FakeAutoEncoder, as_samples, fake_images,
                      fashion_dataset, loader, make_files)
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.functional.prdc import \
    precision_recall_density_coverage
from alpha_gan_plugin.evaluation.domain_classifier import DomainClassifier
from alpha_gan_plugin.evaluation.metrics._utils import (load_real_images,
                                                        to_rgb)
from alpha_gan_plugin.evaluation.networks import TorchScriptFeatures
from mmagic.registry import METRICS

KEYS = ('precision', 'recall', 'density', 'coverage')


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    return make_files(tmp_path_factory.mktemp('nets'))


def feed(metric, imgs, batch):
    for i in range(0, len(imgs), batch):
        metric.process(None, as_samples(imgs[i:i + batch]))


def reals_of(dataset, num):
    """The real images the metrics load (through the preprocessor)."""
    return load_real_images(FakeAutoEncoder().data_preprocessor, dataset,
                            num)


def build(cfg, dataset):
    metric = METRICS.build(cfg)
    metric.prepare(FakeAutoEncoder(), loader(dataset))
    return metric


def test_penultimate_features_feed_the_last_layer(files):
    clf = DomainClassifier(files['clf'])
    imgs = fake_images(6, size=32, channels=3)
    feats = clf.penultimate_features(imgs)
    assert feats.shape == (6, 128) and feats.dtype == torch.float64
    assert feats.min() >= 0  # after the ReLU
    logits = clf.net.classifier[-1](feats.float())
    assert torch.allclose(logits, clf(imgs), atol=1e-5)
    # gray input == its replication to RGB (the mean of equal channels)
    gray = fake_images(3, size=16)
    assert torch.allclose(clf.penultimate_features(gray),
                          clf.penultimate_features(to_rgb(gray, 'bgr')),
                          atol=1e-6)


def test_prdc_classifier_values_batching_and_order(files):
    dataset = fashion_dataset(num=40, size=32)
    samples = fake_images(36, seed=3, size=32)
    cfg = dict(type='PRDC', fake_nums=30, real_nums=40, k=3,
               classifier_path=files['clf'])
    results = []
    for batch, imgs in ((4, samples), (7, samples),
                        (30, samples[:30].flip(0))):
        m = build(cfg, dataset)
        feed(m, imgs, batch)  # beyond fake_nums: ignored
        results.append(m.evaluate())
    assert results[0] == results[1] == results[2]
    clf = DomainClassifier(files['clf'])
    real = clf.penultimate_features(reals_of(dataset, 40))
    fake = clf.penultimate_features(samples[:30])
    ref = precision_recall_density_coverage(real, fake, 3)
    assert sorted(results[0]) == sorted(f'PRDC-FMNIST-CNN-k3/{k}'
                                        for k in KEYS)
    for key in KEYS:
        assert results[0][f'PRDC-FMNIST-CNN-k3/{key}'] == pytest.approx(
            ref[key], abs=1e-12), key
    assert 0 < results[0]['PRDC-FMNIST-CNN-k3/coverage'] < 1


def test_prdc_samples_equal_to_the_real_images(files):
    """The real images as samples: 1 for all four (distinct images)."""
    dataset = fashion_dataset(num=40, size=32)
    m = build(dict(type='PRDC', fake_nums=40, k=5,
                   classifier_path=files['clf']), dataset)
    assert m.real_nums == 40  # -1 resolved to the dataset
    feed(m, reals_of(dataset, 40), 40)
    res = m.evaluate()
    assert res == {f'PRDC-FMNIST-CNN-k5/{k}': 1. for k in KEYS}
    # the same through ImageSetScoring.score_images (one batch of 40)
    assert m.score_images(reals_of(dataset, 40), batch_size=40) == res


def test_prdc_torchscript_features_and_prefixes(files):
    dataset = fashion_dataset(num=24, size=16)
    m = build(dict(type='PRDC', fake_nums=20, real_nums=24, k=2,
                   feature_extractor_path=files['feat'], resize_to=16,
                   channel_order='rgb'), dataset)
    samples = fake_images(20, seed=4, size=16)
    feed(m, samples, 8)
    res = m.evaluate()
    net = TorchScriptFeatures(files['feat'], resize_to=16)
    ref = precision_recall_density_coverage(
        net(to_rgb(reals_of(dataset, 24), 'rgb')),
        net(to_rgb(samples, 'rgb')), 2)
    for key in KEYS:
        assert res[f'PRDC-TorchScript-k2/{key}'] == pytest.approx(
            ref[key], abs=1e-12)
    custom = METRICS.build(dict(type='PRDC', fake_nums=20, k=2,
                                feature_extractor_path=files['feat'],
                                prefix='mine'))
    assert custom.prefix == 'mine'
    inception = METRICS.build(dict(type='PRDC', fake_nums=20,
                                   feature_extractor_path='fid_helper'))
    assert inception.prefix == 'PRDC-Inception-k5'
    assert inception.network.resize_to == 299


def test_domain_fid_values(files):
    from torch_fidelity.metric_fid import (fid_features_to_statistics,
                                           fid_statistics_to_metric)
    dataset = fashion_dataset(num=40, size=32)
    reals = reals_of(dataset, 40)
    cfg = dict(type='DomainFID', fake_nums=40, classifier_path=files['clf'])
    m = build(cfg, dataset)
    feed(m, reals, 16)
    res = m.evaluate()
    assert list(res) == ['FID-FMNIST-CNN/fid_fmnist_cnn']
    assert res['FID-FMNIST-CNN/fid_fmnist_cnn'] == pytest.approx(0, abs=1e-6)
    assert m.score_images(reals)['FID-FMNIST-CNN/fid_fmnist_cnn'] == \
        pytest.approx(0, abs=1e-6)
    samples = reals * 0.7 + 30
    values = []
    for batch, imgs in ((9, samples), (40, samples.flip(0))):
        m = build(cfg, dataset)
        feed(m, imgs, batch)
        values.append(m.evaluate()['FID-FMNIST-CNN/fid_fmnist_cnn'])
    # features of a batch may differ in the last bits with its size
    assert values[0] == pytest.approx(values[1], rel=1e-6)
    clf = DomainClassifier(files['clf'])
    f_real = clf.penultimate_features(reals)
    f_fake = clf.penultimate_features(samples)
    assert values[0] == pytest.approx(
        Fm.frechet_distance_from_features(f_real, f_fake), rel=1e-6)
    ref = fid_statistics_to_metric(fid_features_to_statistics(f_real),
                                   fid_features_to_statistics(f_fake), False)
    assert values[0] == pytest.approx(ref['frechet_inception_distance'],
                                      rel=1e-3)
    assert values[0] > 1e-3


def test_bad_settings_raise_value_errors(files, tmp_path):
    clf = files['clf']
    for k in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match=r'k=.*integer >= 1'):
            METRICS.build(dict(type='PRDC', fake_nums=10, k=k,
                               classifier_path=clf))
    with pytest.raises(ValueError, match='k=10 needs fake_nums > k'):
        METRICS.build(dict(type='PRDC', fake_nums=10, k=10,
                           classifier_path=clf))
    with pytest.raises(ValueError, match='k=5 needs real_nums > k'):
        METRICS.build(dict(type='PRDC', fake_nums=10, real_nums=5,
                           classifier_path=clf))
    m = METRICS.build(dict(type='PRDC', fake_nums=10, k=6,
                           classifier_path=clf))
    with pytest.raises(ValueError, match='k=6 needs more than k real.*6'):
        m.prepare(FakeAutoEncoder(), loader(fashion_dataset(num=6)))
    with pytest.raises(ValueError, match='exactly one feature space'):
        METRICS.build(dict(type='PRDC', fake_nums=10))
    with pytest.raises(ValueError, match='exactly one feature space'):
        METRICS.build(dict(type='PRDC', fake_nums=10, classifier_path=clf,
                           feature_extractor_path=files['feat']))
    with pytest.raises(ValueError, match='resize_to=64 applies to '
                       'feature_extractor_path only'):
        METRICS.build(dict(type='PRDC', fake_nums=10, classifier_path=clf,
                           resize_to=64))
    with pytest.raises(ValueError, match='real_nums=0'):
        METRICS.build(dict(type='PRDC', fake_nums=10, real_nums=0,
                           classifier_path=clf))
    with pytest.raises(ValueError, match='distance_batch_size=0'):
        METRICS.build(dict(type='PRDC', fake_nums=10, classifier_path=clf,
                           distance_batch_size=0))
    with pytest.raises(ValueError, match='channel_order'):
        METRICS.build(dict(type='PRDC', fake_nums=10, classifier_path=clf,
                           channel_order='yuv'))
    missing = str(tmp_path / 'none.pth')
    with pytest.raises(FileNotFoundError,
                       match='classifier_path.*train_domain_classifier'):
        METRICS.build(dict(type='PRDC', fake_nums=10,
                           classifier_path=missing))
    with pytest.raises(FileNotFoundError, match='feature_extractor_path'):
        METRICS.build(dict(type='PRDC', fake_nums=10,
                           feature_extractor_path=missing))
    with pytest.raises(ValueError, match='classifier_path.*is not set'):
        METRICS.build(dict(type='DomainFID', fake_nums=10))
    with pytest.raises(FileNotFoundError, match='classifier_path'):
        METRICS.build(dict(type='DomainFID', fake_nums=10,
                           classifier_path=missing))
    with pytest.raises(ValueError, match='FashionMNISTCNN-v1 checkpoint'):
        METRICS.build(dict(type='DomainFID', fake_nums=10,
                           classifier_path=files['feat']))
    with pytest.raises(ValueError, match='fake_nums=1'):
        METRICS.build(dict(type='DomainFID', fake_nums=1,
                           classifier_path=clf))
    with pytest.raises(ValueError, match='real_nums=1'):
        METRICS.build(dict(type='DomainFID', fake_nums=4, real_nums=1,
                           classifier_path=clf))
    m = METRICS.build(dict(type='DomainFID', fake_nums=4,
                           classifier_path=clf))
    with pytest.raises(ValueError, match=r'\[0, 255\].*de-normalise'):
        m.process(None, as_samples(fake_images(2, size=32) / 127.5 - 1))


def test_benchmark_tool_tiny(files, tmp_path):
    """tools/benchmarks/benchmark_domain_fid.py: rows, values vs a direct
    computation."""
    import json

    from helpers import FASHION_MNIST_ROOT, tool
    main = tool('benchmarks/benchmark_domain_fid').main
    out = str(tmp_path / 'bench.json')
    main(['--classifier', files['clf'], '--data-root', FASHION_MNIST_ROOT,
          '--real-nums', '40', '--fake-nums', '30', '--train-offset', '5',
          '--k', '3', '--inception-images', '0', '--batch-size', '8',
          '--json', out])
    with open(out) as f:
        rows = {r['metric']: r for r in json.load(f)['rows']}
    assert sorted(rows) == ['DomainFID', 'PRDC (classifier features)']
    clf = DomainClassifier(files['clf'])
    test = reals_of(fashion_dataset(num=40, size=32), 40)
    train = reals_of(fashion_dataset('train', num=35, size=32), 35)[5:]
    f_test = clf.penultimate_features(test)
    f_train = clf.penultimate_features(train)
    fid = rows['DomainFID']['results']['FID-FMNIST-CNN/fid_fmnist_cnn']
    assert fid == pytest.approx(
        Fm.frechet_distance_from_features(f_test, f_train), rel=1e-6)
    ref = precision_recall_density_coverage(f_test, f_train, 3)
    for key in KEYS:
        assert rows['PRDC (classifier features)']['results'][
            f'PRDC-FMNIST-CNN-k3/{key}'] == pytest.approx(ref[key], abs=1e-12)


# ---------------------------------------------------------------- sharding
FAKE_NUMS = 11  # odd: ranks get ceil(11 / 2) = 6, one sample is dropped


def run_metrics(files, rank, world):
    """Evaluate PRDC and DomainFID on this rank's shard of one sample list."""
    from mmagic.registry import METRICS
    metrics = [
        METRICS.build(dict(type='PRDC', fake_nums=FAKE_NUMS, real_nums=21,
                           k=3, classifier_path=files['clf'])),
        METRICS.build(dict(type='DomainFID', fake_nums=FAKE_NUMS,
                           real_nums=21, classifier_path=files['clf'])),
    ]
    imgs = fake_images(24, seed=5, size=32)
    out = {}
    for m in metrics:
        m.prepare(FakeAutoEncoder(), loader(fashion_dataset(num=21, size=32)))
        q = m.fake_nums_per_device
        shard = imgs[rank * q:(rank + 1) * q]
        for i in range(0, len(shard), 4):
            m.process(None, as_samples(shard[i:i + 4]))
        out.update(m.evaluate())
    return out


def _worker(rank, port, queue, files, world):
    import torch.distributed as dist
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port),
                      RANK=str(rank), WORLD_SIZE=str(world))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    import alpha_gan_plugin  # noqa: F401
    from mmagic.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    queue.put((rank, run_metrics(files, rank, world)))


def test_one_vs_two_processes(files):
    single = run_metrics(files, 0, 1)
    results = run_ranks(_worker, files, 2)
    assert len(single) == 5 and set(single) == set(results[0])
    # PRDC: the same samples' features -> the same decisions
    for key in KEYS:
        assert results[0][f'PRDC-FMNIST-CNN-k3/{key}'] == \
            single[f'PRDC-FMNIST-CNN-k3/{key}']
    for key, value in single.items():
        assert results[0][key] == pytest.approx(value, rel=1e-6, abs=1e-9), \
            key
        assert results[1][key] == results[0][key]  # broadcast to all ranks
