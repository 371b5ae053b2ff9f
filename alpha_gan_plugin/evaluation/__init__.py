"""Evaluation: metric functions and their MMagic metric wrappers.

Importing this package registers into ``mmagic.registry.METRICS``:
``LocalInceptionScore``, ``ClassifierScore``, ``SamplePairMSSSIM``,
``ReconstructionMetrics``, ``WassersteinCriticDistance``, ``LocalFID``,
``PRDC``, ``DomainFID`` (one a file under :mod:`.metrics`). ``MetricsLogHook`` lives in
:mod:`alpha_gan_plugin.engine.hooks` and is re-exported here, where it was
first documented.

See ``docs/evaluation.md`` for the protocol.
"""
from . import functional
from ..engine.hooks.metrics_log_hook import (MetricsLogHook,
                                             plot_metric_curves)
from .domain_classifier import DomainClassifier, FashionMNISTCNN
from .functional import (feature_statistics, frechet_distance,
                         inception_score, ms_ssim, paired_ms_ssim,
                         reconstruction_metrics, sample_pair_ms_ssim,
                         wasserstein_critic_distance)
from .metrics import (PRDC, ClassifierScore, DomainFID, LocalFID,
                      LocalInceptionScore, ReconstructionMetrics,
                      SamplePairMSSSIM, WassersteinCriticDistance,
                      canonical_order)
from .networks import (InceptionClassifier, TorchScriptFeatures,
                       fid_helper_inception_path)

__all__ = [
    'functional', 'feature_statistics', 'frechet_distance',
    'inception_score', 'ms_ssim', 'paired_ms_ssim', 'reconstruction_metrics',
    'sample_pair_ms_ssim', 'wasserstein_critic_distance', 'MetricsLogHook',
    'plot_metric_curves', 'ClassifierScore', 'LocalFID',
    'LocalInceptionScore', 'ReconstructionMetrics', 'SamplePairMSSSIM',
    'WassersteinCriticDistance', 'PRDC', 'DomainFID', 'canonical_order',
    'DomainClassifier',
    'FashionMNISTCNN', 'InceptionClassifier', 'TorchScriptFeatures',
    'fid_helper_inception_path'
]
