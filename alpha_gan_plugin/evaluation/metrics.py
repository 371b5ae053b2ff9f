"""MMagic metric wrappers around :mod:`.functional`.

All wrappers follow MMagic's ``GenMetric`` conventions: ``fake_nums`` /
``real_nums``, ``fake_key`` (default ``'fake_img'``), ``sample_model``
(``'ema'``/``'orig'``), ``prefix``.  Images reach :meth:`process` as MMagic
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
"""
import math
import os.path as osp
from typing import List, Optional, Sequence

import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import get_world_size, is_main_process
from mmengine.model import is_model_wrapper
from torch import Tensor

from mmagic.evaluation.metrics.base_gen_metric import (GenerativeMetric,
                                                       GenMetric)
from mmagic.registry import DATASETS, METRICS
from . import functional as Fm
from .networks import (DomainClassifier, InceptionClassifier,
                       TorchScriptFeatures, file_sha256)
from .stats_cache import load_stats, save_stats, stats_cache_key

_RANGE_TOL = 1e-3


# ----------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------
def check_range_0_255(images: Tensor, what: str) -> None:
    """Raise if images are not in [0, 255] (e.g. still in [-1, 1])."""
    lo, hi = images.min().item(), images.max().item()
    if lo < -_RANGE_TOL or hi > 255 + _RANGE_TOL:
        raise ValueError(
            f'{what}: expected pixel values in [0, 255] (MMagic models '
            f'return them so after DataPreprocessor.destruct), got '
            f'[{lo:.3g}, {hi:.3g}]. If your model returns [-1, 1] images, '
            f'de-normalise them ((x + 1) * 127.5) before they reach the '
            f'metric, or fix the data_preprocessor mean/std.')


def fake_images(data_samples: Sequence[dict], sample_model: str,
                fake_key: Optional[str]) -> Tensor:
    """Stack the generated images of a batch of model outputs.

    Follows MMagic: ``pred[sample_model]`` if present (``'ema/orig'``
    outputs), then ``pred[fake_key]`` (default ``'fake_img'``).
    """
    key = fake_key or 'fake_img'
    imgs = []
    for pred in data_samples:
        if sample_model in pred:
            pred = pred[sample_model]
        if key not in pred:
            raise ValueError(f'model output has no {key!r} (keys: '
                             f'{sorted(pred.keys())}); set fake_key')
        img = pred[key]
        imgs.append(img.data if hasattr(img, 'data') else img)
    imgs = torch.stack(imgs).float().cpu()
    check_range_0_255(imgs, f'generated images ({key!r})')
    return imgs


def to_rgb(images: Tensor, channel_order: str) -> Tensor:
    """(N, 1|3, H, W) -> (N, 3, H, W) RGB (gray is replicated)."""
    if images.shape[1] == 1:
        return images.expand(-1, 3, -1, -1)
    if images.shape[1] != 3:
        raise ValueError(f'expected 1 or 3 channels, got {images.shape[1]}')
    return images.flip(1) if channel_order == 'bgr' else images


def _check_channel_order(channel_order: str) -> str:
    if channel_order not in ('bgr', 'rgb'):
        raise ValueError(f"channel_order must be 'bgr' (MMagic's output "
                         f"convention) or 'rgb', got {channel_order!r}")
    return channel_order


def canonical_order(rows: Tensor, seed: int = 0) -> Tensor:
    """Permutation putting ``rows`` in an order that depends only on the set.

    Rows are sorted by a fixed random projection of their content, then
    shuffled with a fixed seeded permutation so that contiguous chunks are
    not correlated with content.

    Args:
        rows: (N, ...) tensor.
        seed: Seed of the projection and of the shuffle.

    Returns:
        Tensor: (N,) int64 permutation.
    """
    flat = rows.reshape(rows.shape[0], -1).double()
    g = torch.Generator().manual_seed(seed)
    proj = torch.randn(flat.shape[1], generator=g, dtype=torch.float64)
    order = torch.sort(flat @ proj, stable=True).indices
    return order[torch.randperm(len(order), generator=g)]


def _unwrap(module):
    return module.module if is_model_wrapper(module) else module


def preprocessed_real_images(data_preprocessor, data_batch: dict):
    """Normalised real images of a raw batch + the preprocessed samples.

    ``DataPreprocessor`` normalises ``gt_img`` only with ``training=True``
    (no randomness is added by that flag).
    """
    data = data_preprocessor(data_batch, True)
    inputs, samples = data['inputs'], data.get('data_samples')
    if isinstance(inputs, Tensor):
        imgs = inputs
    elif isinstance(inputs, dict) and 'img' in inputs:
        imgs = inputs['img']
    elif samples is not None and 'gt_img' in samples:
        imgs = samples.gt_img
    else:
        raise ValueError('the real-data batch holds no images: the dataset '
                         'pipeline must pack them (end it with PackInputs)')
    return imgs, samples


def load_real_images(data_preprocessor, dataset, num: int,
                     batch_size: int = 64) -> Tensor:
    """The first ``num`` images of ``dataset`` as float [0, 255].

    Images go through the model's ``data_preprocessor`` and back through
    ``destruct``, the path generated images take, so real and fake images
    share value range and channel order.
    """
    out = []
    for start in range(0, num, batch_size):
        items = [dataset[i] for i in range(start, min(num, start + batch_size))]
        imgs, samples = preprocessed_real_images(data_preprocessor,
                                                 pseudo_collate(items))
        out.append(data_preprocessor.destruct(imgs, samples).float().cpu())
    return torch.cat(out)


def _resolve_num(num: int, dataset, key: str) -> int:
    n = len(dataset)
    if num == -1:
        return n
    if num < 1 or num > n:
        raise ValueError(f'{key}={num} but the dataset holds {n} images; '
                         f'set {key} to 1..{n} or -1 (all)')
    return num


def _batched(fn, images: Tensor, batch_size: int) -> Tensor:
    return torch.cat([fn(chunk) for chunk in images.split(batch_size)])


# ----------------------------------------------------------------------
# Inception score and classifier score
# ----------------------------------------------------------------------
class _LogitScoreMetric(GenerativeMetric):
    """IS formula over the logits of a classifier; see subclasses."""
    score_name = 'score'

    def __init__(self, fake_nums: int, splits: int = 10,
                 channel_order: str = 'bgr', batch_size: int = 32,
                 order_seed: int = 0, fake_key: Optional[str] = None,
                 sample_model: str = 'ema', collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(fake_nums, 0, fake_key, None, False, sample_model,
                         collect_device, prefix)
        if fake_nums < 1:
            raise ValueError(f'fake_nums must be >= 1, got {fake_nums}')
        if not 1 <= splits <= fake_nums:
            raise ValueError(f'splits={splits} must be in [1, fake_nums='
                             f'{fake_nums}]; lower splits or raise fake_nums')
        self.splits = splits
        self.channel_order = _check_channel_order(channel_order)
        self.batch_size = batch_size
        self.order_seed = order_seed
        self.net = self.build_net()

    def build_net(self):
        raise NotImplementedError

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Classify the generated images of a batch (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = to_rgb(fake_images(data_samples, self.sample_model,
                                  self.fake_key)[:room], self.channel_order)
        logits = _batched(self.net, imgs, self.batch_size).double()
        self.fake_results += list(logits.split(1))

    def compute_metrics(self, results: list) -> dict:
        logits = torch.cat(list(results)).double()
        assert logits.shape[0] == self.fake_nums, logits.shape
        logits = logits[canonical_order(logits, self.order_seed)]
        mean, std = Fm.inception_score(logits, self.splits)
        return {self.score_name: mean, f'{self.score_name}_std': std}


@METRICS.register_module()
class LocalInceptionScore(_LogitScoreMetric):
    """Inception Score with a local ImageNet Inception-v3 file.

    Args:
        fake_nums: Number of samples (50000 in the literature).
        inception_path: torchvision ``inception_v3_google-0cc3c7bd.pth`` or
            StyleGAN ``inception-2015-12-05.pt`` (see
            :class:`~.networks.InceptionClassifier`).  Required.
        splits: IS splits (10 in the literature).
        channel_order: Channel order of 3-channel samples, ``'bgr'``
            (MMagic's) or ``'rgb'``.
        batch_size: Images per network call.
        order_seed: Seed of the canonical sample order (splits).
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``is`` (mean over splits) and ``is_std``.  Samples are resized
    bilinearly to 299 px (gray replicated to RGB).
    """
    score_name = 'is'
    default_prefix = 'IS'

    def __init__(self, fake_nums: int, inception_path: Optional[str] = None,
                 **kwargs):
        self.inception_path = inception_path
        super().__init__(fake_nums, **kwargs)

    def build_net(self):
        return InceptionClassifier(self.inception_path, 'inception_path')


@METRICS.register_module()
class ClassifierScore(_LogitScoreMetric):
    """The IS formula over a *domain* classifier (not ImageNet Inception).

    E.g. a Fashion-MNIST CNN trained by ``tools/train_domain_classifier.py``.
    Values are comparable only between runs using the same checkpoint.

    Args:
        fake_nums: Number of samples.
        classifier_path: Checkpoint of the domain classifier.  Required.
        **kwargs: As :class:`LocalInceptionScore`.

    Results: ``classifier_score`` and ``classifier_score_std``.
    """
    score_name = 'classifier_score'
    default_prefix = 'CS'

    def __init__(self, fake_nums: int, classifier_path: Optional[str] = None,
                 **kwargs):
        self.classifier_path = classifier_path
        super().__init__(fake_nums, **kwargs)

    def build_net(self):
        return DomainClassifier(self.classifier_path, 'classifier_path')


# ----------------------------------------------------------------------
# MS-SSIM between pairs of samples (diversity)
# ----------------------------------------------------------------------
@METRICS.register_module()
class SamplePairMSSSIM(GenerativeMetric):
    """Mean MS-SSIM between pairs of independent samples (lower = diverse).

    Consecutive samples form pairs (the leftover of an odd batch is paired
    with the first sample of the next batch), so ``fake_nums / 2`` pairs of
    independent samples are scored.  For images below 161 px the number of
    MS-SSIM scales is reduced (:func:`~.functional.plan_ms_ssim_scales`).

    Args:
        fake_nums: Number of samples, even (``fake_nums / 2`` pairs).
        win_size, sigma, small_image: MS-SSIM settings.
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``ms_ssim_pairs``.
    """
    default_prefix = 'MS-SSIM-pairs'

    def __init__(self, fake_nums: int, win_size: int = 11, sigma: float = 1.5,
                 small_image: str = 'reduce_scales',
                 fake_key: Optional[str] = None, sample_model: str = 'ema',
                 collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(fake_nums, 0, fake_key, None, False, sample_model,
                         collect_device, prefix)
        if fake_nums < 2 or fake_nums % 2:
            raise ValueError(f'fake_nums={fake_nums} must be even and >= 2 '
                             f'(samples are scored in pairs)')
        self.num_pairs = fake_nums // 2
        self.ms_ssim_kwargs = dict(win_size=win_size, sigma=sigma,
                                   small_image=small_image, data_range=255.)
        self._pending: Optional[Tensor] = None

    @property
    def pairs_per_device(self) -> int:
        return math.ceil(self.num_pairs / get_world_size())

    @property
    def fake_nums_per_device(self) -> int:
        """Samples each rank must generate (two per pair)."""
        return 2 * self.pairs_per_device

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Score consecutive sample pairs of the batch (until quota)."""
        room = self.pairs_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = fake_images(data_samples, self.sample_model, self.fake_key)
        if self._pending is not None:
            imgs = torch.cat([self._pending, imgs])
            self._pending = None
        n = min(len(imgs) // 2, room)
        if len(imgs) > 2 * n and n < room:
            self._pending = imgs[2 * n:2 * n + 1]
        if n == 0:
            return
        scores = Fm.ms_ssim(imgs[0:2 * n:2].double(), imgs[1:2 * n:2].double(),
                            reduction='none', **self.ms_ssim_kwargs)
        self.fake_results += list(scores.view(-1, 1).split(1))

    def _collect_target_results(self, target: str) -> Optional[list]:
        assert target == 'fake'
        nums = self.fake_nums
        self.fake_nums = self.num_pairs  # gathered items are pairs
        try:
            return super()._collect_target_results(target)
        finally:
            self.fake_nums = nums
            self._pending = None

    def compute_metrics(self, results: list) -> dict:
        scores = torch.cat(list(results)).view(-1)
        assert scores.numel() == self.num_pairs
        return dict(ms_ssim_pairs=float(scores.mean()))


# ----------------------------------------------------------------------
# reconstructions
# ----------------------------------------------------------------------
@METRICS.register_module()
class ReconstructionMetrics(GenMetric):
    """L1, MSE, PSNR and MS-SSIM of ``model.reconstruct(x)`` vs ``x``.

    Runs over real images of the evaluation dataloader (``real_nums`` of
    them, -1 = all).  The model (from :meth:`prepare`) must have
    ``reconstruct(x)`` taking and returning preprocessed images (e.g. [-1,
    1]); ``sample_model`` is passed on if ``reconstruct`` accepts it.  Data
    and reconstructions are de-normalised with the model's
    ``data_preprocessor.destruct`` (clamped to [0, 255]) and scaled to
    [0, 1]; PSNR is per image (data_range 1) then averaged.

    Results: ``rec_l1``, ``rec_mse``, ``rec_psnr``, ``rec_ms_ssim``.
    """
    default_prefix = 'Rec'
    names = ('l1', 'mse', 'psnr', 'ms_ssim')

    def __init__(self, real_nums: int = -1, win_size: int = 11,
                 sigma: float = 1.5, small_image: str = 'reduce_scales',
                 sample_model: str = 'orig', collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(0, real_nums, None, 'img', sample_model,
                         collect_device, prefix)
        if real_nums == 0 or real_nums < -1:
            raise ValueError(f'real_nums={real_nums}: set the number of real '
                             f'images to reconstruct (>= 1) or -1 for all')
        self.ms_ssim_kwargs = dict(win_size=win_size, sigma=sigma,
                                   small_image=small_image)
        self.module = None

    def prepare(self, module, dataloader) -> None:
        module = _unwrap(module)
        if not callable(getattr(module, 'reconstruct', None)):
            raise ValueError(f'ReconstructionMetrics needs a model with a '
                             f'reconstruct(x) method; {type(module).__name__}'
                             f' has none. Remove the metric from the '
                             f'evaluator of this model.')
        super().prepare(module, dataloader)
        self.real_nums = _resolve_num(self.real_nums, dataloader.dataset,
                                      'real_nums')
        import inspect
        params = inspect.signature(module.reconstruct).parameters
        if 'sample_model' in params:
            self._kwargs = dict(sample_model=self.sample_model)
        elif self.sample_model != 'orig':
            raise ValueError(f'sample_model={self.sample_model!r} but '
                             f'{type(module).__name__}.reconstruct takes no '
                             f"sample_model; set sample_model='orig'")
        else:
            self._kwargs = {}
        self.module = module

    @torch.no_grad()
    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Reconstruct the real images of the batch (until quota)."""
        assert self.module is not None, 'prepare() was not called'
        room = self.real_nums_per_device - len(self.real_results)
        if room <= 0:
            return
        x, samples = preprocessed_real_images(self.data_preprocessor,
                                              data_batch)
        x_hat = self.module.reconstruct(x, **self._kwargs)
        if x_hat.shape != x.shape:
            raise ValueError(f'reconstruct returned {tuple(x_hat.shape)} for '
                             f'inputs {tuple(x.shape)}')
        x01 = self.data_preprocessor.destruct(x, samples).cpu() / 255.
        r01 = self.data_preprocessor.destruct(x_hat, samples).cpu() / 255.
        out = Fm.reconstruction_metrics(x01[:room], r01[:room], 1.,
                                        **self.ms_ssim_kwargs)
        rows = torch.stack([out[k] for k in self.names], dim=1)
        self.real_results += list(rows.split(1))

    def evaluate(self) -> dict:
        """Gather the per-image rows (real results only) and average."""
        results = self._collect_target_results('real')
        metrics = None
        if is_main_process():
            rows = torch.cat(list(results))
            means = rows.mean(dim=0)
            metrics = {f'rec_{k}': float(v) for k, v in zip(self.names, means)}
            if self.prefix:
                metrics = {f'{self.prefix}/{k}': v for k, v in metrics.items()}
        from mmengine.dist import broadcast_object_list
        box = [metrics]
        broadcast_object_list(box)
        self.real_results.clear()
        return box[0]


# ----------------------------------------------------------------------
# Wasserstein critic
# ----------------------------------------------------------------------
@METRICS.register_module()
class WassersteinCriticDistance(GenerativeMetric):
    """Independent WGAN-GP critic distance (Rosca et al. 2017).

    A fresh :class:`~.functional.DCCritic` is trained on ``train_real_nums``
    training images vs ``train_fake_nums`` samples, then the distance
    ``E[f(test)] - E[f(fresh samples)]`` is measured on ``real_nums``
    held-out images of the evaluation dataloader vs the remaining
    ``fake_nums - train_fake_nums`` samples.

    Args:
        fake_nums: Total samples (critic training + evaluation).
        train_dataset: Config of the *training* dataset (same pipeline as
            the evaluation one).  Required.
        train_real_nums: Training images for the critic (-1 = all).
        train_fake_nums: Samples used for training; defaults to
            ``fake_nums // 2``.
        real_nums: Held-out images from the evaluation dataloader (-1 = all).
        steps, batch_size, lr, gp_weight, base_channels, seed: Critic
            training (see :func:`~.functional.wasserstein_critic_distance`).
        order_seed: Seed of the canonical sample order (train/eval split).
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``wcd`` (held-out distance) and ``wcd_train``.
    """
    default_prefix = 'WCD'

    def __init__(self, fake_nums: int, train_dataset: Optional[dict] = None,
                 train_real_nums: int = -1,
                 train_fake_nums: Optional[int] = None, real_nums: int = -1,
                 steps: int = 1000, batch_size: int = 64, lr: float = 1e-4,
                 gp_weight: float = 10., base_channels: int = 32,
                 seed: int = 0, order_seed: int = 0,
                 fake_key: Optional[str] = None, sample_model: str = 'ema',
                 collect_device: str = 'cpu', prefix: Optional[str] = None):
        super().__init__(fake_nums, real_nums, fake_key, None, False,
                         sample_model, collect_device, prefix)
        if train_dataset is None:
            raise ValueError('WassersteinCriticDistance: set train_dataset '
                             '(the config dict of the training split, e.g. '
                             'train_dataloader.dataset) -- the critic is '
                             'trained on it and tested on the evaluation '
                             'dataloader')
        train_fake_nums = fake_nums // 2 if train_fake_nums is None \
            else train_fake_nums
        if not 1 <= train_fake_nums < fake_nums:
            raise ValueError(f'train_fake_nums={train_fake_nums} must be in '
                             f'[1, fake_nums={fake_nums}) so that fresh '
                             f'samples remain for the evaluation')
        self.train_dataset = train_dataset
        self.train_real_nums = train_real_nums
        self.train_fake_nums = train_fake_nums
        self.critic_kwargs = dict(steps=steps, batch_size=batch_size, lr=lr,
                                  gp_weight=gp_weight,
                                  base_channels=base_channels, seed=seed)
        self.order_seed = order_seed
        self.train_real: Optional[Tensor] = None
        self.test_real: Optional[Tensor] = None

    def prepare(self, module, dataloader) -> None:
        super().prepare(module, dataloader)
        self.real_nums = _resolve_num(self.real_nums, dataloader.dataset,
                                      'real_nums')
        dataset = self.train_dataset
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self.train_real_nums = _resolve_num(self.train_real_nums, dataset,
                                            'train_real_nums')
        if is_main_process() and self.train_real is None:
            self.train_real = load_real_images(
                self.data_preprocessor, dataset, self.train_real_nums)
            self.test_real = load_real_images(
                self.data_preprocessor, dataloader.dataset, self.real_nums)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keep the generated images (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = fake_images(data_samples, self.sample_model, self.fake_key)
        self.fake_results += list(imgs[:room].split(1))

    def compute_metrics(self, results: list) -> dict:
        assert self.train_real is not None, 'prepare() was not called'
        fakes = torch.cat(list(results))
        fakes = fakes[canonical_order(fakes, self.order_seed)]
        if fakes.shape[1:] != self.test_real.shape[1:]:
            raise ValueError(f'samples are {tuple(fakes.shape[1:])} but the '
                             f'real images {tuple(self.test_real.shape[1:])}'
                             f'; the datasets must match the model output')

        def scale(x):
            return x / 127.5 - 1

        out = Fm.wasserstein_critic_distance(
            scale(self.train_real), scale(fakes[:self.train_fake_nums]),
            scale(self.test_real), scale(fakes[self.train_fake_nums:]),
            **self.critic_kwargs)
        return dict(wcd=out['distance'], wcd_train=out['train_distance'])


# ----------------------------------------------------------------------
# FID
# ----------------------------------------------------------------------
@METRICS.register_module()
class LocalFID(GenerativeMetric):
    """Fréchet distance in the feature space of a local TorchScript network.

    Args:
        fake_nums: Number of samples (50000 in the literature).
        feature_extractor_path: TorchScript file, e.g.
            :func:`~.networks.fid_helper_inception_path()` (Inception-v3
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
        super().__init__(fake_nums, real_nums, fake_key, None, False,
                         sample_model, collect_device, prefix)
        if fake_nums < 2:
            raise ValueError(f'fake_nums={fake_nums}: FID needs >= 2 samples')
        self.net = TorchScriptFeatures(feature_extractor_path,
                                       'feature_extractor_path', resize_to)
        self.resize_to = resize_to
        self.stats_cache_dir = osp.expanduser(stats_cache_dir) \
            if stats_cache_dir else None
        self.channel_order = _check_channel_order(channel_order)
        self.batch_size = batch_size
        self.real_stats = None
        self.cache_hit: Optional[bool] = None

    def features(self, images: Tensor) -> Tensor:
        """(N, C, H, W) [0, 255] images -> (N, D) float64 features."""
        return _batched(self.net, to_rgb(images, self.channel_order),
                        self.batch_size)

    def prepare(self, module, dataloader) -> None:
        super().prepare(module, dataloader)
        self.real_nums = _resolve_num(self.real_nums, dataloader.dataset,
                                      'real_nums')
        if not is_main_process() or self.real_stats is not None:
            return
        reals = load_real_images(self.data_preprocessor, dataloader.dataset,
                                 self.real_nums)
        self.real_stats = self.real_statistics(reals)

    def real_statistics(self, reals: Tensor):
        """(mu, sigma) of real images, through the on-disk cache."""
        import hashlib
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

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Extract features of the generated images (until quota)."""
        room = self.fake_nums_per_device - len(self.fake_results)
        if room <= 0:
            return
        imgs = fake_images(data_samples, self.sample_model, self.fake_key)
        self.fake_results += list(self.features(imgs[:room]).split(1))

    def compute_metrics(self, results: list) -> dict:
        assert self.real_stats is not None, 'prepare() was not called'
        stats = Fm.feature_statistics(torch.cat(list(results)))
        return dict(fid=Fm.frechet_distance(*self.real_stats, *stats))


__all__: List[str] = [
    'LocalInceptionScore', 'ClassifierScore', 'SamplePairMSSSIM',
    'ReconstructionMetrics', 'WassersteinCriticDistance', 'LocalFID',
    'canonical_order', 'load_real_images', 'check_range_0_255'
]
