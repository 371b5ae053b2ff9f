"""WassersteinCriticDistance: deterministic, independent of the sample
order."""
from _support import (FakeAutoEncoder, fake_images, fashion_dataset, feed,
                      loader)
from alpha_gan_plugin.evaluation.metrics import WassersteinCriticDistance


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
