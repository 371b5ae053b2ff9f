"""WassersteinCriticDistance: deterministic, independent of the sample
order; the held-out split (default) and a separate critic dataset."""
import pytest
import torch

from helpers.evaluation import (FakeAutoEncoder, fake_images, fashion_dataset, feed,
                      loader)
from alpha_gan_plugin.evaluation.metrics import (WassersteinCriticDistance,
                                                 load_real_images)

TRAIN_CFG = dict(type='FashionMNISTDataset',
                 data_root='/usr/share/datasets/fashion-mnist',
                 split='train', image_size=16, channels=1, num_images=64,
                 pipeline=[dict(type='PackInputs')])


def test_wasserstein_critic_metric_runs_deterministically():
    model = FakeAutoEncoder()
    test_set = fashion_dataset(num=32)
    vals = []
    for order in (1, -1):
        m = WassersteinCriticDistance(fake_nums=48, train_dataset=TRAIN_CFG,
                                      steps=5, batch_size=16, base_channels=4)
        m.prepare(model, loader(test_set))
        feed(m, fake_images(48, size=16).flip(0) if order < 0 else
             fake_images(48, size=16).flip(0).flip(0), 10)
        vals.append(m.evaluate()['WCD/wcd'])
    assert vals[0] == vals[1]  # independent of the sample order
    assert m.train_real.shape == (64, 1, 16, 16)


def _real(model, dataset, start, num):
    return load_real_images(model.data_preprocessor, dataset, num,
                            start=start)


@pytest.mark.parametrize('train_nums,real_nums,expect', [
    (-1, -1, (20, 20)),   # default: halves of the evaluation dataset
    (12, 8, (12, 8)),
    (30, -1, (30, 10)),   # the scoring part: every image after the critic's
])
def test_held_out_split_is_two_disjoint_parts_of_the_eval_dataset(
        train_nums, real_nums, expect):
    model = FakeAutoEncoder()
    test_set = fashion_dataset(num=40)
    m = WassersteinCriticDistance(fake_nums=8, train_real_nums=train_nums,
                                  real_nums=real_nums, steps=2,
                                  base_channels=4)
    m.prepare(model, loader(test_set))
    n_train, n_test = expect
    assert (m.train_real_nums, m.real_nums) == expect
    # the critic trains on images 0 .. n_train-1 and is scored on the next
    # n_test: exactly those images, no overlap
    assert torch.equal(m.train_real, _real(model, test_set, 0, n_train))
    assert torch.equal(m.test_real, _real(model, test_set, n_train, n_test))
    feed(m, fake_images(8, size=16), 4)
    wcd = m.evaluate()
    assert set(wcd) == {'WCD/wcd', 'WCD/wcd_train'}
    assert all(torch.isfinite(torch.tensor(v)) for v in wcd.values())


def test_held_out_split_refuses_overlap_and_overflow():
    test_set = fashion_dataset(num=40)
    m = WassersteinCriticDistance(fake_nums=8, train_real_nums=30,
                                  real_nums=20)
    with pytest.raises(ValueError, match=r'train_real_nums=30 and real_nums'
                       r'=20 ask for 30 \+ 20 images but the evaluation '
                       r'dataset holds 40.*may not overlap'):
        m.prepare(FakeAutoEncoder(), loader(test_set))
    m = WassersteinCriticDistance(fake_nums=8, train_real_nums=40)
    with pytest.raises(ValueError, match=r'40 \+ 0 images'):
        m.prepare(FakeAutoEncoder(), loader(test_set))


def test_separate_critic_dataset_keeps_the_former_protocol():
    """train_dataset=<config>: the critic trains on that dataset's first
    images and is scored on the first images of the evaluation dataset."""
    from mmagic.registry import DATASETS
    model = FakeAutoEncoder()
    test_set = fashion_dataset(num=32)
    m = WassersteinCriticDistance(fake_nums=8, train_dataset=TRAIN_CFG,
                                  train_real_nums=24, real_nums=16, steps=2,
                                  base_channels=4)
    m.prepare(model, loader(test_set))
    train_set = DATASETS.build(TRAIN_CFG)
    assert torch.equal(m.train_real, _real(model, train_set, 0, 24))
    assert torch.equal(m.test_real, _real(model, test_set, 0, 16))
