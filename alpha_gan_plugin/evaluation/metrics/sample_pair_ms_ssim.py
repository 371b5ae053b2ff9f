"""SamplePairMSSSIM: MS-SSIM between pairs of independent samples."""
import math
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.dist import get_world_size
from torch import Tensor

from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from mmagic.registry import METRICS
from .. import functional as Fm
from ._utils import ImageSetScoring, fake_images, gather_rows


@METRICS.register_module()
class SamplePairMSSSIM(ImageSetScoring, GenerativeMetric):
    """Mean MS-SSIM between pairs of independent samples (lower = diverse).

    Consecutive samples form pairs (the leftover of an odd batch is paired
    with the first sample of the next batch), so ``fake_nums / 2`` pairs of
    independent samples are scored.  For images below 161 px the number of
    MS-SSIM scales is reduced (:func:`~..functional.plan_ms_ssim_scales`).

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
        """Pairs each rank scores."""
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

    def _collect_target_results(self, target: str) -> List[Tensor]:
        """All ranks' pair scores, ``num_pairs`` of them (MMagic's version
        counts ``fake_nums`` results, but a result here is a pair)."""
        assert target == 'fake', target
        self._pending = None
        return gather_rows(self.fake_results, self.num_pairs)

    def compute_metrics(self, results: list) -> dict:
        scores = torch.cat(list(results)).view(-1)
        assert scores.numel() == self.num_pairs
        return dict(ms_ssim_pairs=float(scores.mean()))

    def score_images(self, images: Tensor,
                     batch_size: int = 64) -> Dict[str, float]:
        """As :meth:`ImageSetScoring.score_images`; consecutive images
        form the pairs."""
        self._pending = None
        return super().score_images(images, batch_size)
