"""Evaluation: metric functions, MMagic metric wrappers and hooks.

Importing this package registers into ``mmagic.registry``:

* METRICS: ``LocalInceptionScore``, ``ClassifierScore``,
  ``SamplePairMSSSIM``, ``ReconstructionMetrics``,
  ``WassersteinCriticDistance``, ``LocalFID``;
* HOOKS: ``MetricsLogHook``.

See ``docs/evaluation.md`` for the protocol.
"""
from . import functional
from .functional import (feature_statistics, frechet_distance,
                         inception_score, ms_ssim, paired_ms_ssim,
                         reconstruction_metrics, sample_pair_ms_ssim,
                         wasserstein_critic_distance)
from .hooks import MetricsLogHook, plot_metric_curves, read_metrics_jsonl
from .metrics import (ClassifierScore, LocalFID, LocalInceptionScore,
                      ReconstructionMetrics, SamplePairMSSSIM,
                      WassersteinCriticDistance, canonical_order)
from .metrics_prdc import PRDC, DomainFID  # noqa: F401 (registers them)
from .networks import (DomainClassifier, FashionMNISTCNN,
                       InceptionClassifier, TorchScriptFeatures,
                       fid_helper_inception_path)

__all__ = [
    'functional', 'feature_statistics', 'frechet_distance',
    'inception_score', 'ms_ssim', 'paired_ms_ssim', 'reconstruction_metrics',
    'sample_pair_ms_ssim', 'wasserstein_critic_distance', 'MetricsLogHook',
    'plot_metric_curves', 'read_metrics_jsonl', 'ClassifierScore', 'LocalFID',
    'LocalInceptionScore', 'ReconstructionMetrics', 'SamplePairMSSSIM',
    'WassersteinCriticDistance', 'canonical_order', 'DomainClassifier',
    'FashionMNISTCNN', 'InceptionClassifier', 'TorchScriptFeatures',
    'fid_helper_inception_path'
]
