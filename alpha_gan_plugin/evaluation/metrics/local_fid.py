"""LocalFID: the Fréchet distance in the features of a local network."""
import hashlib
import os.path as osp
from typing import Optional, Tuple

import numpy as np
import torch
from torch import Tensor

from mmagic.registry import METRICS
from .. import functional as Fm
from ..networks import TorchScriptFeatures, file_sha256
from ..stats_cache import load_stats, save_stats, stats_cache_key
from ._utils import batched, to_rgb
from .feature_space import FeatureSpaceMetric


@METRICS.register_module()
class LocalFID(FeatureSpaceMetric):
    """Fréchet distance in the feature space of a local TorchScript network.

    Real images and samples are handled by :class:`~.feature_space.
    FeatureSpaceMetric` (``prepare``, ``process``); what the metric keeps of
    the real images (:meth:`real_summary`) is their (mu, sigma), through an
    on-disk cache.

    Args:
        fake_nums: Number of samples (50000 in the ``fid50k_full`` metric
            of NVlabs/stylegan2-ada-pytorch, ``metrics/metric_main.py``).
        feature_extractor_path: TorchScript file, e.g.
            :func:`~..networks.fid_helper_inception_path()` (Inception-v3
            pool3, 2048-d).  Required.
        real_nums: Real images of the evaluation dataloader (-1 = all).
        resize_to: Network input side (bilinear resize, 299 for Inception).
        stats_cache_dir: Where real-data statistics are cached (None = no
            cache).  The key hashes the exact real images used (so dataset,
            split, count, pipeline), the network file's SHA-256, the resize
            and the channel handling.
        channel_order: ``'bgr'`` (MMagic's) or ``'rgb'``.
        batch_size: Images per network call.
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``fid``.
    """
    default_prefix = 'FID'

    def __init__(self, fake_nums: int,
                 feature_extractor_path: Optional[str] = None,
                 real_nums: int = -1, resize_to: int = 299,
                 stats_cache_dir: Optional[str] = osp.join(
                     '~', '.cache', 'alpha_gan_plugin', 'fid_stats'),
                 channel_order: str = 'bgr', batch_size: int = 32,
                 fake_key: Optional[str] = None, sample_model: str = 'ema',
                 collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(fake_nums, real_nums, channel_order, batch_size,
                         0, fake_key, sample_model, collect_device, prefix)
        if fake_nums < 2:
            raise ValueError(f'fake_nums={fake_nums}: FID needs >= 2 samples')
        self.net = TorchScriptFeatures(feature_extractor_path,
                                       'feature_extractor_path', resize_to)
        self.resize_to = resize_to
        self.stats_cache_dir = osp.expanduser(stats_cache_dir) \
            if stats_cache_dir else None
        self.cache_hit: Optional[bool] = None

    @property
    def real_stats(self) -> Optional[Tuple[np.ndarray, np.ndarray]]:
        """(mu, sigma) of the real images, None before :meth:`prepare`."""
        return self.real

    @real_stats.setter
    def real_stats(self, stats: Tuple[np.ndarray, np.ndarray]) -> None:
        self.real = stats

    def features(self, images: Tensor) -> Tensor:
        """(N, C, H, W) [0, 255] images -> (N, D) float64 features."""
        return batched(self.net, to_rgb(images, self.channel_order),
                       self.batch_size)

    def set_real_images(self, reals: Tensor) -> None:
        """Compare the samples with ``reals`` ((N, C, H, W) float in
        [0, 255]), through the statistics cache."""
        self.real = self.real_statistics(reals)

    def real_statistics(self, reals: Tensor) -> Tuple[np.ndarray, np.ndarray]:
        """(mu, sigma) of real images, through the on-disk cache (sets
        :attr:`cache_hit` when a cache is used)."""
        key = stats_cache_key(
            images_sha256=hashlib.sha256(
                reals.float().contiguous().numpy().tobytes()).hexdigest(),
            num_images=len(reals), shape=list(reals.shape[1:]),
            network_sha256=file_sha256(self.net.path),
            resize=f'bilinear-{self.resize_to}-align_corners=False',
            channel_order=self.channel_order, version=1)
        if self.stats_cache_dir:
            cached = load_stats(self.stats_cache_dir, key)
            self.cache_hit = cached is not None
            if cached is not None:
                return cached
        stats = Fm.feature_statistics(self.features(reals))
        if self.stats_cache_dir:
            save_stats(self.stats_cache_dir, key, *stats,
                       meta=dict(num_images=len(reals),
                                 network=self.net.path))
        return stats

    def compute_metrics(self, results: list) -> dict:
        if self.real is None:
            raise ValueError('LocalFID has no real statistics: call prepare() '
                             '(the evaluation loop does) or set_real_images()')
        stats = Fm.feature_statistics(torch.cat(list(results)))
        return dict(fid=Fm.frechet_distance(*self.real, *stats))
