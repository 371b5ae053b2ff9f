"""WassersteinCriticDistance: the distance an independent critic measures."""
from typing import Optional, Sequence

import torch
from mmengine.dist import is_main_process
from torch import Tensor

from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
from mmagic.registry import DATASETS, METRICS
from .. import functional as Fm
from ._utils import canonical_order, fake_images, load_real_images, resolve_num


@METRICS.register_module()
class WassersteinCriticDistance(GenerativeMetric):
    """Independent WGAN-GP critic distance (Rosca et al. 2017).

    A fresh :class:`~..functional.DCCritic` is trained on ``train_real_nums``
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
            training (see :func:`~..functional.wasserstein_critic_distance`).
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
        self.real_nums = resolve_num(self.real_nums, dataloader.dataset,
                                     'real_nums')
        dataset = self.train_dataset
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self.train_real_nums = resolve_num(self.train_real_nums, dataset,
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
