"""The base of metrics computed on image features: samples and real images
mapped to (N, D) float64 features by a network (:class:`~.prdc.PRDC`,
:class:`~.domain_fid.DomainFID`).

Conventions as the other metrics of this package: samples arrive as float
(C, H, W) in [0, 255] (BGR for 3 channels), ``fake_nums`` samples are split
across ranks, ``real_nums`` real images (-1 = all) come from the evaluation
dataloader's dataset through the model's ``data_preprocessor``. Gathered
sample features are put in :func:`~._utils.canonical_order` first, so the
values depend only on the *set* of samples (identical for 1 or N
processes).
"""
from typing import Optional, Sequence

import torch
from mmengine.dist import is_main_process
from torch import Tensor

from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from ._utils import (ImageSetScoring, canonical_order, check_channel_order,
                     fake_images, load_real_images, resolve_num, to_rgb)

#: Name of the domain classifier's feature space in result prefixes.
DOMAIN_SPACE = 'FMNIST-CNN'


class FeatureSpaceMetric(ImageSetScoring, GenerativeMetric):
    """Samples and real images mapped to (N, D) float64 features.

    Subclasses set ``self.net`` (a callable on (N, 3, H, W) RGB [0, 255]
    images) and implement :meth:`real_summary` and :meth:`compute_metrics`.
    :meth:`score_images` (:class:`~.metrics._utils.ImageSetScoring`) scores
    a tensor of images in place of samples.
    """

    def __init__(self, fake_nums: int, real_nums: int, channel_order: str,
                 batch_size: int, order_seed: int, fake_key: Optional[str],
                 sample_model: str, collect_device: str,
                 prefix: Optional[str]):
        super().__init__(fake_nums, real_nums, fake_key, None, False,
                         sample_model, collect_device, prefix)
        if real_nums == 0 or real_nums < -1:
            raise ValueError(f'real_nums={real_nums}: set the number of real '
                             f'images (> 0) or -1 for the whole evaluation '
                             f'dataset')
        if batch_size < 1:
            raise ValueError(f'batch_size={batch_size} must be >= 1')
        self.channel_order = check_channel_order(channel_order)
        self.batch_size = batch_size
        self.order_seed = order_seed
        self.real = None  # set on the main process by prepare()

    def features(self, images: Tensor) -> Tensor:
        """(N, C, H, W) [0, 255] images -> (N, D) float64 features."""
        rgb = to_rgb(images, self.channel_order)
        return torch.cat([self.net(chunk).double()
                          for chunk in rgb.split(self.batch_size)])

    def prepare(self, module, dataloader) -> None:
        """Resolve ``real_nums`` and summarise the real images (main rank)."""
        super().prepare(module, dataloader)
        self.real_nums = resolve_num(self.real_nums, dataloader.dataset,
                                     'real_nums')
        self.check_real_nums()
        if not is_main_process() or self.real is not None:
            return
        self.set_real_images(load_real_images(
            self.data_preprocessor, dataloader.dataset, self.real_nums))

    def set_real_images(self, reals: Tensor) -> None:
        """Compare the samples with ``reals`` ((N, C, H, W) float in
        [0, 255], the channel order of the model's outputs)."""
        self.real = self.real_summary(self.features(reals))

    def check_real_nums(self) -> None:
        """Raise if ``real_nums`` is too small for the metric."""

    def real_summary(self, features: Tensor):
        """What the metric keeps of the real features."""
        raise NotImplementedError

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Extract features of the generated images (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = fake_images(data_samples, self.sample_model, self.fake_key)
        self.fake_results += list(self.features(imgs[:room]).split(1))

    def fake_features(self, results: list) -> Tensor:
        """Gathered (fake_nums, D) sample features in canonical order."""
        assert self.real is not None, 'prepare() was not called'
        feats = torch.cat(list(results)).double()
        assert feats.shape[0] == self.fake_nums, feats.shape
        return feats[canonical_order(feats, self.order_seed)]


