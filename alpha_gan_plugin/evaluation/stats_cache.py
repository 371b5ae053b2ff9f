"""On-disk cache of real-data feature statistics (for FID)."""
import hashlib
import json
import os.path as osp
from typing import Optional, Tuple

import numpy as np

from ..utils.atomic_files import atomic_write


def stats_cache_key(**fields) -> str:
    """SHA-256 over a canonical JSON of everything that affects the stats.

    Callers pass e.g. the digest of the exact real images used (which pins
    dataset identity, split, number of images, pipeline and resize of the
    data set), the feature network's file hash and the network resize.
    """
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_stats(cache_dir: str, key: str
               ) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """``(mu, sigma)`` cached under ``key``, or None."""
    path = osp.join(cache_dir, f'{key}.npz')
    if not osp.isfile(path):
        return None
    with np.load(path) as data:
        return data['mu'], data['sigma']


def save_stats(cache_dir: str, key: str, mu: np.ndarray, sigma: np.ndarray,
               meta: dict) -> str:
    """Write the stats atomically (:func:`~alpha_gan_plugin.utils.
    atomic_write`); returns the file's path."""
    path = osp.join(cache_dir, f'{key}.npz')
    with atomic_write(path, 'wb') as f:
        np.savez(f, mu=mu, sigma=sigma, meta=json.dumps(meta, default=str))
    return path
