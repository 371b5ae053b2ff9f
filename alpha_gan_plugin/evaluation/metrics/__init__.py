"""MMagic metric wrappers around :mod:`..functional`, one a file,
registered into ``mmagic.registry.METRICS``.

All wrappers follow MMagic's ``GenMetric`` conventions: ``fake_nums`` /
``real_nums``, ``fake_key`` (default ``'fake_img'``), ``sample_model``
(``'ema'``/``'orig'``), ``prefix``.  Images reach ``process`` as MMagic
models emit them after ``DataPreprocessor.destruct``: float (C, H, W) in
[0, 255], 3-channel images in BGR order (``channel_order='bgr'``, MMagic's
convention) and gray images with one channel.

Distributed evaluation: every rank keeps exactly ``fake_nums_per_device``
results; ``GenMetric`` gathers them (rank 0's first), truncates to
``fake_nums`` and the main process computes the metric.  Metrics whose value
depends on the order of the samples (IS splits, the critic's train/test
split) first sort the gathered samples into a canonical, content-defined
order followed by a fixed seeded shuffle, so the value depends only on the
*set* of samples -- identical for 1 or N processes.

The metrics of generated images (all but the reconstruction and critic
metrics) can also score a tensor of images directly:
``metric.score_images(images)`` (:class:`~._utils.ImageSetScoring`).
"""
from ._utils import (ImageSetScoring, canonical_order, check_range_0_255,
                     load_real_images)
from .classifier_score import ClassifierScore
from .domain_fid import DomainFID
from .feature_space import FeatureSpaceMetric
from .inception_score import LocalInceptionScore, LogitScoreMetric
from .local_fid import LocalFID
from .prdc import PRDC
from .reconstruction_metrics import ReconstructionMetrics
from .sample_pair_ms_ssim import SamplePairMSSSIM
from .wasserstein_critic_distance import WassersteinCriticDistance

__all__ = [
    'LocalInceptionScore', 'ClassifierScore', 'SamplePairMSSSIM',
    'ReconstructionMetrics', 'WassersteinCriticDistance', 'LocalFID',
    'PRDC', 'DomainFID', 'FeatureSpaceMetric',
    'LogitScoreMetric', 'ImageSetScoring', 'canonical_order',
    'load_real_images', 'check_range_0_255'
]
