"""Settings a metric cannot work with are refused with the key and the fix."""
import pytest
import torch

from helpers.evaluation import (FakeAutoEncoder, as_samples, fake_images,
                      fashion_dataset, loader)
from alpha_gan_plugin.evaluation.metrics import (ClassifierScore,
                                                 ReconstructionMetrics,
                                                 SamplePairMSSSIM,
                                                 WassersteinCriticDistance)


def test_bad_settings_errors(files):
    with pytest.raises(ValueError, match='splits=11'):
        ClassifierScore(fake_nums=10, classifier_path=files['clf'], splits=11)
    with pytest.raises(ValueError, match='even'):
        SamplePairMSSSIM(fake_nums=7)
    with pytest.raises(ValueError, match='channel_order'):
        ClassifierScore(fake_nums=10, classifier_path=files['clf'],
                        channel_order='yuv')
    with pytest.raises(ValueError, match='train_dataset must be None'):
        WassersteinCriticDistance(fake_nums=10, train_dataset='train')
    with pytest.raises(ValueError, match='train_real_nums=0'):
        WassersteinCriticDistance(fake_nums=10, train_real_nums=0)
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
