"""The domain classifier of :class:`~.metrics.ClassifierScore`: a small CNN,
its checkpoint format, and its wrapper for [0, 255] images."""
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from ..utils.atomic_files import atomic_write
from .networks import is_torchscript_file, require_file, resize_bilinear

CLASSIFIER_HOWTO = ('train one with `python tools/train_domain_classifier.py '
                    '--out <path>` and set the path')
DOMAIN_CLASSIFIER_ARCH = 'FashionMNISTCNN-v1'


class FashionMNISTCNN(nn.Module):
    """Small CNN classifier for 32x32 gray images (``FashionMNISTCNN-v1``).

    Three blocks of [3x3 conv (32, 64, 64 channels), BN, ReLU, 2x2 max-pool]
    take 32 px to 4 px, then a 128-unit FC layer with dropout 0.3 and a
    linear layer to ``num_classes``.  Inputs: (N, in_channels, 32, 32) in
    [-1, 1].  About 0.2 M parameters, ~7 MMAC per image.
    """

    def __init__(self, in_channels: int = 1, num_classes: int = 10):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout),
                    nn.ReLU(inplace=True), nn.MaxPool2d(2)]

        self.features = nn.Sequential(*block(in_channels, 32), *block(32, 64),
                                      *block(64, 64))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(inplace=True),
            nn.Dropout(0.3), nn.Linear(128, num_classes))

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, 32, 32) in [-1, 1] -> (N, num_classes) logits."""
        return self.classifier(self.features(x))


def save_domain_classifier(path: str, model: FashionMNISTCNN,
                           meta: dict) -> None:
    """Save weights + metadata atomically (:func:`~alpha_gan_plugin.utils.
    atomic_write`)."""
    payload = dict(arch=DOMAIN_CLASSIFIER_ARCH,
                   state_dict=model.state_dict(), meta=dict(meta))
    with atomic_write(path, 'wb') as f:
        torch.save(payload, f)


class DomainClassifier(nn.Module):
    """A :class:`FashionMNISTCNN` checkpoint wrapped for [0, 255] images.

    The checkpoint (written by ``tools/train_domain_classifier.py``) stores
    ``arch``, ``state_dict`` and ``meta`` (``image_size``, ``in_channels``,
    ``num_classes``, ``test_accuracy``...).  Inputs are converted to the
    classifier's channels (RGB -> mean gray if it is gray), resized bilinearly
    to its size and mapped to [-1, 1].

    Args:
        path: Checkpoint file.
        key: Config key name used in error messages.
    """

    def __init__(self, path: Optional[str], key: str = 'classifier_path'):
        super().__init__()
        path = require_file(path, key, CLASSIFIER_HOWTO)
        if is_torchscript_file(path):
            raise ValueError(f'`{key}`={path!r} is a TorchScript, not a '
                             f'{DOMAIN_CLASSIFIER_ARCH} checkpoint; '
                             f'{CLASSIFIER_HOWTO}.')
        try:
            ckpt = torch.load(path, map_location='cpu', weights_only=True)
        except Exception as err:  # noqa: BLE001 (re-raised with the fix)
            raise ValueError(f'`{key}`={path!r} could not be read as a '
                             f'torch checkpoint ({err}); '
                             f'{CLASSIFIER_HOWTO}.') from err
        if not isinstance(ckpt, dict) or \
                ckpt.get('arch') != DOMAIN_CLASSIFIER_ARCH:
            raise ValueError(f'`{key}`={path!r} is not a '
                             f'{DOMAIN_CLASSIFIER_ARCH} checkpoint; '
                             f'{CLASSIFIER_HOWTO}.')
        self.path = path
        self.meta = ckpt['meta']
        self.net = FashionMNISTCNN(self.meta['in_channels'],
                                   self.meta['num_classes'])
        self.net.load_state_dict(ckpt['state_dict'])
        self.net.eval()

    @torch.no_grad()
    def forward(self, images: Tensor) -> Tensor:
        """(N, 3 or 1, H, W) in [0, 255] -> (N, num_classes) logits."""
        x = images.float()
        if self.meta['in_channels'] == 1 and x.shape[1] == 3:
            x = x.mean(dim=1, keepdim=True)
        x = resize_bilinear(x, self.meta['image_size'])
        return self.net(x / 127.5 - 1)

    @torch.no_grad()
    def penultimate_features(self, images: Tensor) -> Tensor:
        """(N, 3 or 1, H, W) in [0, 255] -> (N, 128) float64 features.

        The input of the last linear layer (after the 128-unit FC layer's
        ReLU; dropout is inactive in eval mode), with the preprocessing of
        :meth:`forward`, so ``net.classifier[-1]`` of them gives the logits.
        """
        x = images.float()
        if self.meta['in_channels'] == 1 and x.shape[1] == 3:
            x = x.mean(dim=1, keepdim=True)
        x = resize_bilinear(x, self.meta['image_size'])
        h = self.net.features(x / 127.5 - 1)
        return self.net.classifier[:-1](h).double()
