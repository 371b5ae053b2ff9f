"""LocalFID: the statistics cache, values as torch-fidelity computes them,
and the public entry points."""
import os

import numpy as np
import pytest
import torch

from helpers.evaluation import FakeAutoEncoder, fashion_dataset, feed, loader
from alpha_gan_plugin.evaluation.metrics import LocalFID


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


def test_score_images_is_the_evaluated_value(files):
    """The public entry point gives what the evaluation loop gives."""
    dataset = fashion_dataset(num=40)
    reals = torch.stack([torch.as_tensor(dataset[i]['data_samples'].gt_img)
                         for i in range(40)]).float()
    fakes = reals[20:] * 0.7 + 30

    def make():
        return LocalFID(fake_nums=20, feature_extractor_path=files['feat'],
                        resize_to=16, stats_cache_dir=None)

    direct = make()
    with pytest.raises(ValueError, match='set_real_images'):
        direct.score_images(fakes)
    direct.set_real_images(reals[:20])
    looped = make()
    looped.real_stats = direct.real_stats
    feed(looped, fakes, 7)
    assert direct.score_images(fakes) == looped.evaluate()
    with pytest.raises(ValueError, match='fake_nums=20'):
        direct.score_images(fakes[:5])
