"""The Fréchet distance on the Fashion-MNIST classifier's features
(:class:`DomainFID`), a fast FID-like distance that is *not* Inception
FID."""
from typing import Optional

from torch import Tensor

from mmagic.registry import METRICS
from .. import functional as Fm
from ..domain_classifier import DomainClassifier
from .feature_space import DOMAIN_SPACE, FeatureSpaceMetric


@METRICS.register_module()
class DomainFID(FeatureSpaceMetric):
    """Fréchet distance on the Fashion-MNIST classifier's features.

    The FID formula (:func:`~.functional.frechet_distance`: Gaussians fitted
    to the features, unbiased covariances) applied to the 128-d penultimate
    features of the domain classifier
    (:meth:`~.domain_classifier.DomainClassifier.penultimate_features`)
    instead of Inception-v3 pool features.  Its values are *not* comparable
    with Inception FIDs, nor between different classifier checkpoints; the
    default names say so (``FID-FMNIST-CNN/fid_fmnist_cnn``).  About 7 MMAC
    per 32 px image, so all 10,000 test images and 10,000 samples fit a CPU
    evaluation (``tools/benchmarks/benchmark_domain_fid.py``).

    Args:
        fake_nums: Number of samples (>= 2).
        classifier_path: Checkpoint of ``tools/train_domain_classifier.py``.
            Required.
        real_nums: Real images of the evaluation dataloader (-1 = all,
            >= 2).
        channel_order: ``'bgr'`` (MMagic's) or ``'rgb'``.
        batch_size: Images per network call.
        order_seed: Seed of the canonical sample order.
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``fid_fmnist_cnn``.
    """
    default_prefix = f'FID-{DOMAIN_SPACE}'

    def __init__(self, fake_nums: int, classifier_path: Optional[str] = None,
                 real_nums: int = -1, channel_order: str = 'bgr',
                 batch_size: int = 256, order_seed: int = 0,
                 fake_key: Optional[str] = None, sample_model: str = 'ema',
                 collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(fake_nums, real_nums, channel_order, batch_size,
                         order_seed, fake_key, sample_model, collect_device,
                         prefix)
        if fake_nums < 2:
            raise ValueError(f'fake_nums={fake_nums}: the Fréchet distance '
                             f'needs >= 2 samples (covariance)')
        if real_nums == 1:
            raise ValueError('real_nums=1: the Fréchet distance needs >= 2 '
                             'real images (covariance); raise real_nums')
        self.network = DomainClassifier(classifier_path, 'classifier_path')
        self.net = self.network.penultimate_features

    def check_real_nums(self) -> None:
        if self.real_nums < 2:
            raise ValueError(f'real_nums resolves to {self.real_nums}: the '
                             f'Fréchet distance needs >= 2 real images')

    def real_summary(self, features: Tensor):
        return Fm.feature_statistics(features)

    def compute_metrics(self, results: list) -> dict:
        stats = Fm.feature_statistics(self.fake_features(results))
        return dict(fid_fmnist_cnn=Fm.frechet_distance(*self.real, *stats))


__all__ = ['DomainFID', 'DOMAIN_SPACE']
