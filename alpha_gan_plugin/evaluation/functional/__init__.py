"""Pure tensor-level metric functions (no MMagic, no file access)."""
from .critic import CRITIC_ARCH, DCCritic, wasserstein_critic_distance
from .frechet import (feature_statistics, frechet_distance,
                      frechet_distance_from_features)
from .inception_score import inception_score
from .prdc import knn_radii, precision_recall_density_coverage
from .ms_ssim import (MS_SSIM_WEIGHTS, gaussian_window, ms_ssim,
                      paired_ms_ssim, plan_ms_ssim_scales, random_pairs,
                      sample_pair_ms_ssim)
from .reconstruction import l1_error, mse_error, psnr, reconstruction_metrics

__all__ = [
    'CRITIC_ARCH', 'DCCritic', 'wasserstein_critic_distance',
    'feature_statistics', 'frechet_distance',
    'frechet_distance_from_features', 'inception_score', 'MS_SSIM_WEIGHTS',
    'gaussian_window', 'ms_ssim', 'paired_ms_ssim', 'plan_ms_ssim_scales',
    'random_pairs', 'sample_pair_ms_ssim', 'l1_error', 'mse_error', 'psnr',
    'reconstruction_metrics', 'knn_radii', 'precision_recall_density_coverage'
]
