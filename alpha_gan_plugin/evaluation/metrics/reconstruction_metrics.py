"""ReconstructionMetrics: how well an auto-encoding GAN reconstructs data."""
import inspect
from typing import Optional, Sequence

import torch
from mmengine.dist import broadcast_object_list, is_main_process

from mmagic.evaluation.metrics.base_gen_metric import GenMetric
from mmagic.registry import METRICS
from ...utils.autoencoder import require_autoencoder
from ...utils.preprocessing import real_images_and_samples
from .. import functional as Fm
from ._utils import resolve_num


@METRICS.register_module()
class ReconstructionMetrics(GenMetric):
    """L1, MSE, PSNR and MS-SSIM of ``model.reconstruct(x)`` vs ``x``.

    Runs over real images of the evaluation dataloader (``real_nums`` of
    them, -1 = all).  The model (from :meth:`prepare`) must be an
    auto-encoder (:func:`~alpha_gan_plugin.utils.require_autoencoder`) whose
    ``reconstruct(x)`` takes and returns preprocessed images (e.g. [-1, 1]);
    ``sample_model`` is passed on if ``reconstruct`` accepts it.  Data and
    reconstructions are de-normalised with the model's
    ``data_preprocessor.destruct`` (clamped to [0, 255]) and scaled to
    [0, 1]; PSNR is per image (data_range 1) then averaged.

    Args:
        real_nums: Real images to reconstruct (>= 1, or -1 for all).
        win_size, sigma, small_image: MS-SSIM settings.
        sample_model, collect_device, prefix: As in MMagic.

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
        module = require_autoencoder(
            module, 'ReconstructionMetrics',
            otherwise='remove the metric from the evaluator of this model')
        super().prepare(module, dataloader)
        self.real_nums = resolve_num(self.real_nums, dataloader.dataset,
                                     'real_nums')
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
        x, samples = real_images_and_samples(self.data_preprocessor,
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
        box = [metrics]
        broadcast_object_list(box)
        self.real_results.clear()
        return box[0]
