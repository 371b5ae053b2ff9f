"""What the metric wrappers share: image checks and conversions, a
content-defined sample order, real images of a dataset, gathering, and
:class:`ImageSetScoring` (a metric's value for a tensor of images)."""
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import all_gather, is_main_process
from torch import Tensor

from ...utils.preprocessing import real_images_and_samples

_RANGE_TOL = 1e-3


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

    Returns:
        Tensor: (N, C, H, W) float on the CPU, checked to lie in [0, 255].
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


def check_channel_order(channel_order: str) -> str:
    """``channel_order`` if it is ``'bgr'`` or ``'rgb'``, else a
    ``ValueError``."""
    if channel_order not in ('bgr', 'rgb'):
        raise ValueError(f"channel_order must be 'bgr' (MMagic's output "
                         f"convention) or 'rgb', got {channel_order!r}")
    return channel_order


def to_rgb(images: Tensor, channel_order: str) -> Tensor:
    """(N, 1|3, H, W) -> (N, 3, H, W) RGB (gray is replicated)."""
    if images.shape[1] == 1:
        return images.expand(-1, 3, -1, -1)
    if images.shape[1] != 3:
        raise ValueError(f'expected 1 or 3 channels, got {images.shape[1]}')
    return images.flip(1) if channel_order == 'bgr' else images


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


def load_real_images(data_preprocessor, dataset, num: int,
                     batch_size: int = 64, start: int = 0) -> Tensor:
    """Images ``start .. start + num - 1`` of ``dataset`` as float [0, 255].

    Images go through the model's ``data_preprocessor`` and back through
    ``destruct``, the path generated images take, so real and fake images
    share value range and channel order.
    """
    out = []
    stop = start + num
    for first in range(start, stop, batch_size):
        items = [dataset[i]
                 for i in range(first, min(stop, first + batch_size))]
        imgs, samples = real_images_and_samples(data_preprocessor,
                                                pseudo_collate(items))
        out.append(data_preprocessor.destruct(imgs, samples).float().cpu())
    return torch.cat(out)


def resolve_num(num: int, dataset, key: str) -> int:
    """``num`` images of ``dataset`` (-1 = all), checked against its size."""
    n = len(dataset)
    if num == -1:
        return n
    if num < 1 or num > n:
        raise ValueError(f'{key}={num} but the dataset holds {n} images; '
                         f'set {key} to 1..{n} or -1 (all)')
    return num


def batched(fn, images: Tensor, batch_size: int) -> Tensor:
    """``fn`` applied to chunks of ``batch_size`` images, concatenated."""
    return torch.cat([fn(chunk) for chunk in images.split(batch_size)])


def gather_rows(results: List[Tensor], size: int) -> List[Tensor]:
    """Every rank's result rows (rank 0's first), the first ``size`` of
    them, as a list of one-row tensors (MMagic's ``GenMetric`` way)."""
    rows = torch.cat(all_gather(torch.cat(results)))[:size]
    if is_main_process() and len(rows) != size:
        raise ValueError(f'gathered {len(rows)} results where {size} were '
                         f'expected')
    return list(rows.split(1))


class ImageSetScoring:
    """For metrics of generated images: :meth:`score_images` scores a tensor
    of images directly, e.g. real images for the value a perfect model would
    get (``alpha_gan_plugin.compare.report``)."""

    def score_images(self, images: Tensor,
                     batch_size: int = 64) -> Dict[str, float]:
        """The metric's values with ``images`` in place of the samples.

        Runs in this process only (nothing is gathered from other ranks).

        Args:
            images: (fake_nums, C, H, W) float in [0, 255], channel order as
                the model outputs them (``channel_order``).
            batch_size: Images per :meth:`process` call.

        Returns:
            dict: ``{'<prefix>/<name>': value}``, as :meth:`evaluate`.
        """
        if len(images) != self.fake_nums:
            raise ValueError(
                f'{type(self).__name__}.score_images got {len(images)} '
                f'images but fake_nums={self.fake_nums}; build the metric '
                f'with fake_nums={len(images)}')
        self.fake_results.clear()
        key = self.fake_key or 'fake_img'
        for chunk in images.split(batch_size):
            self.process(None, [{key: x} for x in chunk])
        results = list(self.fake_results)
        self.fake_results.clear()
        return {f'{self.prefix}/{k}': float(v)
                for k, v in self.compute_metrics(results).items()}
