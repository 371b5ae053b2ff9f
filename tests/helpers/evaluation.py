"""Small networks, datasets and a fake model shared by the wrapper tests."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from alpha_gan_plugin.evaluation.domain_classifier import (
    FashionMNISTCNN, save_domain_classifier)

FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist'


class TinyFeatures(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv2d(3, 6, 3, stride=2)

    def forward(self, x):
        return torch.tanh(self.conv(x))  # (N, 6, h, w); averaged by loader


class TinyStyleGANInception(nn.Module):
    """Mimics the StyleGAN Inception TorchScript interface (probabilities)."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(1)
        self.fc = nn.Linear(3 * 4 * 4, 1008)

    def forward(self, x, return_features: bool = False,
                no_output_bias: bool = False):
        h = F.adaptive_avg_pool2d(x / 255., 4).flatten(1)
        logits = self.fc(h) if not no_output_bias else h @ self.fc.weight.t()
        return torch.softmax(logits, dim=1)


def make_files(tmp):
    torch.manual_seed(0)
    clf = FashionMNISTCNN(1, 10).eval()
    clf_path = str(tmp / 'clf.pth')
    save_domain_classifier(clf_path, clf, dict(image_size=32, in_channels=1,
                                               num_classes=10))
    feat_path = str(tmp / 'feat.pt')
    torch.jit.script(TinyFeatures().eval()).save(feat_path)
    sg_path = str(tmp / 'sg_inception.pt')
    torch.jit.script(TinyStyleGANInception().eval()).save(sg_path)
    return dict(clf=clf_path, feat=feat_path, stylegan=sg_path)


def fake_images(n, seed=0, channels=1, size=16):
    g = torch.Generator().manual_seed(seed)
    base = torch.rand(n, channels, size // 4, size // 4, generator=g)
    return F.interpolate(base, size=size, mode='bilinear',
                         align_corners=False) * 255.


def as_samples(imgs):
    return [dict(fake_img=img) for img in imgs]


def feed(metric, imgs, batch):
    """Hand ``imgs`` to ``metric.process`` as model outputs, ``batch`` at a
    time."""
    for i in range(0, len(imgs), batch):
        metric.process(None, as_samples(imgs[i:i + batch]))


def fashion_dataset(split='test', num=40, size=16):
    from mmengine.registry import DefaultScope

    from mmagic.registry import DATASETS
    with DefaultScope.overwrite_default_scope('mmagic'):
        return DATASETS.build(dict(type='FashionMNISTDataset',
                                   data_root=FASHION_MNIST_ROOT,
                                   split=split,
                                   image_size=size, channels=1,
                                   num_images=num,
                                   pipeline=[dict(type='PackInputs')]))


class FakeAutoEncoder(nn.Module):
    """The auto-encoder protocol (``alpha_gan_plugin.utils``) with a
    data_preprocessor and reconstruct(x) = 0.9 x."""

    def __init__(self):
        super().__init__()
        from mmagic.models import DataPreprocessor
        self.data_preprocessor = DataPreprocessor(mean=[127.5], std=[127.5])

    def encode(self, x):
        return x.flatten(1)

    def real_images(self, batch):
        from alpha_gan_plugin.utils.preprocessing import real_images
        return real_images(self.data_preprocessor, batch)

    def reconstruct(self, x, sample_model='orig'):
        assert sample_model == 'orig'
        return 0.9 * x


def loader(dataset, batch_size=8):
    from mmengine.dataset import pseudo_collate
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size,
                                       collate_fn=pseudo_collate)
