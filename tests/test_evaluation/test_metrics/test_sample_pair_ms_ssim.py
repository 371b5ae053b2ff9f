"""SamplePairMSSSIM: consecutive samples form the pairs, across batches."""
import pytest

from helpers.evaluation import as_samples, fake_images
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.metrics import SamplePairMSSSIM


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


def test_score_images_is_the_evaluated_value():
    imgs = fake_images(10, size=32)
    m = SamplePairMSSSIM(fake_nums=10)
    for lo, hi in ((0, 3), (3, 10)):
        m.process(None, as_samples(imgs[lo:hi]))
    assert SamplePairMSSSIM(fake_nums=10).score_images(imgs, 3) == \
        m.evaluate()
    assert m.fake_nums == 10  # the gathering leaves the settings alone
