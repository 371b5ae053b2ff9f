"""Fréchet distance between Gaussians fitted to network features (FID)."""
from typing import Tuple

import numpy as np
import scipy.linalg
from torch import Tensor


def feature_statistics(features) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of features, in float64.

    Args:
        features: (N, D) tensor or array, N >= 2.

    Returns:
        tuple: ``mu`` of shape (D,), ``sigma`` of shape (D, D)
        (``np.cov(features, rowvar=False)``, i.e. normalised by N - 1).
    """
    if isinstance(features, Tensor):
        features = features.detach().cpu().double().numpy()
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] < 2:
        raise ValueError(f'features must be (N >= 2, D), got '
                         f'{features.shape}')
    mu = features.mean(axis=0)
    centred = features - mu
    # np.dot(A.T, A) is dispatched to BLAS syrk (half the flops of a gemm)
    sigma = np.dot(centred.T, centred) / (features.shape[0] - 1)
    return mu, sigma


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """Squared Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2).

    ``|mu1 - mu2|^2 + tr(sigma1) + tr(sigma2) - 2 tr((sigma1 sigma2)^(1/2))``.
    The trace of the matrix square root is computed as the sum of the square
    roots of the eigenvalues of ``sqrt(sigma1) sigma2 sqrt(sigma1)`` (a
    symmetric PSD matrix with the same spectrum as ``sigma1 sigma2``), which
    avoids the non-symmetric ``sqrtm`` and its complex round-off.

    Args:
        mu1, mu2: (D,) means.
        sigma1, sigma2: (D, D) symmetric PSD covariances.

    Returns:
        float: The distance (>= 0 up to round-off).
    """
    mu1, mu2 = (np.asarray(m, dtype=np.float64) for m in (mu1, mu2))
    sigma1, sigma2 = (np.asarray(s, dtype=np.float64) for s in (sigma1, sigma2))
    d = mu1.shape[0]
    if mu2.shape != (d, ) or sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f'statistics disagree: mu {mu1.shape}/{mu2.shape}, '
                         f'sigma {sigma1.shape}/{sigma2.shape}')
    evals1, evecs1 = scipy.linalg.eigh(sigma1)
    root1 = (evecs1 * np.sqrt(np.clip(evals1, 0, None))) @ evecs1.T
    inner = root1 @ sigma2 @ root1
    evals = scipy.linalg.eigvalsh((inner + inner.T) / 2)
    tr_covmean = np.sqrt(np.clip(evals, 0, None)).sum()
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2 * tr_covmean)


def frechet_distance_from_features(features1, features2) -> float:
    """FID-style distance between two feature sets, shapes (N1, D), (N2, D)."""
    return frechet_distance(*feature_statistics(features1),
                            *feature_statistics(features2))

