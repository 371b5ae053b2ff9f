"""LocalInceptionScore: the Inception Score with a local Inception-v3 file."""
from typing import Optional, Sequence

import torch

from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from mmagic.registry import METRICS
from .. import functional as Fm
from ..networks import InceptionClassifier
from ._utils import (ImageSetScoring, batched, canonical_order,
                     check_channel_order, fake_images, to_rgb)


class LogitScoreMetric(ImageSetScoring, GenerativeMetric):
    """The IS formula over the logits of a classifier (subclasses build the
    classifier in :meth:`build_net` and name the score).

    Args:
        fake_nums: Number of samples.
        splits: IS splits, in [1, fake_nums].
        channel_order: Channel order of 3-channel samples, ``'bgr'``
            (MMagic's) or ``'rgb'``.
        batch_size: Images per network call.
        order_seed: Seed of the canonical sample order (splits).
        fake_key, sample_model, collect_device, prefix: As in MMagic.
    """
    score_name = 'score'

    def __init__(self, fake_nums: int, splits: int = 10,
                 channel_order: str = 'bgr', batch_size: int = 32,
                 order_seed: int = 0, fake_key: Optional[str] = None,
                 sample_model: str = 'ema', collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(fake_nums, 0, fake_key, None, False, sample_model,
                         collect_device, prefix)
        if fake_nums < 1:
            raise ValueError(f'fake_nums must be >= 1, got {fake_nums}')
        if not 1 <= splits <= fake_nums:
            raise ValueError(f'splits={splits} must be in [1, fake_nums='
                             f'{fake_nums}]; lower splits or raise fake_nums')
        self.splits = splits
        self.channel_order = check_channel_order(channel_order)
        self.batch_size = batch_size
        self.order_seed = order_seed
        self.net = self.build_net()

    def build_net(self):
        """The classifier: (N, 3, H, W) RGB [0, 255] -> (N, K) logits."""
        raise NotImplementedError

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Classify the generated images of a batch (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = to_rgb(fake_images(data_samples, self.sample_model,
                                  self.fake_key)[:room], self.channel_order)
        logits = batched(self.net, imgs, self.batch_size).double()
        self.fake_results += list(logits.split(1))

    def compute_metrics(self, results: list) -> dict:
        logits = torch.cat(list(results)).double()
        assert logits.shape[0] == self.fake_nums, logits.shape
        logits = logits[canonical_order(logits, self.order_seed)]
        mean, std = Fm.inception_score(logits, self.splits)
        return {self.score_name: mean, f'{self.score_name}_std': std}


@METRICS.register_module()
class LocalInceptionScore(LogitScoreMetric):
    """Inception Score with a local ImageNet Inception-v3 file.

    Args:
        fake_nums: Number of samples (50000 in the ``is50k`` metric of
            NVlabs/stylegan2-ada-pytorch, ``metrics/metric_main.py``).
        inception_path: torchvision ``inception_v3_google-0cc3c7bd.pth`` or
            StyleGAN ``inception-2015-12-05.pt`` (see
            :class:`~..networks.InceptionClassifier`).  Required.
        **kwargs: ``splits`` (10 in ``is50k``), ``channel_order``,
            ``batch_size``, ``order_seed``, ``fake_key``, ``sample_model``,
            ``collect_device``, ``prefix``: see :class:`LogitScoreMetric`.

    Results: ``is`` (mean over splits) and ``is_std``.  Samples are resized
    bilinearly to 299 px (gray replicated to RGB).
    """
    score_name = 'is'
    default_prefix = 'IS'

    def __init__(self, fake_nums: int, inception_path: Optional[str] = None,
                 **kwargs):
        self.inception_path = inception_path
        super().__init__(fake_nums, **kwargs)

    def build_net(self):
        return InceptionClassifier(self.inception_path, 'inception_path')
