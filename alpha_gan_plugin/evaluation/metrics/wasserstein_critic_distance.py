"""WassersteinCriticDistance: the distance an independent critic measures
(this project's protocol; held-out split by default)."""
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
    """Distance measured by an independent WGAN-GP critic (this project's
    protocol).

    A fresh :class:`~..functional.DCCritic`, trained for this evaluation
    only, learns to separate real images from ``train_fake_nums`` samples;
    it is then scored on *other* real images against the remaining, fresh
    samples: ``wcd = E[f(scoring images)] - E[f(fresh samples)]`` (lower is
    better, about 0 when the samples match the data).  An independent critic
    trained between validation data and samples is the idea of Danihelka et
    al. 2017 (arXiv:1705.05263, abstract); the critic, its training and the
    splits below are this project's choices (``docs/evaluation.md``).

    Where the critic's real images come from is set by ``train_dataset``:

    * ``None`` (default, held-out split): the evaluation dataloader's dataset
      is split into two disjoint parts.  Images ``0 .. train_real_nums - 1``
      train the critic and the next ``real_nums`` images score it.
      ``train_real_nums=-1`` takes the first half (``len // 2``),
      ``real_nums=-1`` every image after the critic's.  Neither part is seen
      by the model in training when the evaluation dataloader reads a
      held-out split (a test split).
    * a dataset config, e.g. ``train_dataloader.dataset``: the critic trains
      on its first ``train_real_nums`` images (-1 = all) and is scored on
      the first ``real_nums`` images of the evaluation dataset (-1 = all).
      With the model's training split the critic learns from the images the
      model was trained on; this was the only protocol before the held-out
      default and stays available as a choice.

    Args:
        fake_nums: Total samples (critic training + scoring).
        train_dataset: ``None`` for the held-out split of the evaluation
            dataset, or the config dict of the dataset the critic trains on
            (same pipeline and image size as the evaluation one).
        train_real_nums: Real images the critic trains on (see above).
        train_fake_nums: Samples the critic trains on; defaults to
            ``fake_nums // 2``.
        real_nums: Real images the critic is scored on (see above).
        steps, batch_size, lr, gp_weight, base_channels, seed: Critic
            training (see :func:`~..functional.wasserstein_critic_distance`).
        order_seed: Seed of the canonical sample order (train/eval split).
        fake_key, sample_model, collect_device, prefix: As in MMagic.

    Results: ``wcd`` (the critic's distance on the scoring images and fresh
    samples) and ``wcd_train`` (the same on the images and samples it was
    trained on).
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
        if train_dataset is not None and not isinstance(train_dataset, dict):
            raise ValueError(
                f'WassersteinCriticDistance: train_dataset must be None (the '
                f'held-out split of the evaluation dataset) or a dataset '
                f'config dict, got {type(train_dataset).__name__}')
        for key, num in (('train_real_nums', train_real_nums),
                         ('real_nums', real_nums)):
            if num == 0 or num < -1:
                raise ValueError(f'WassersteinCriticDistance: {key}={num}; '
                                 f'set it to >= 1 or -1 (see the docstring)')
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

    def _held_out_split(self, dataset) -> tuple:
        """(critic images, first scoring index, scoring images) of the
        evaluation dataset, checked to be disjoint and to fit in it."""
        n = len(dataset)
        train = n // 2 if self.train_real_nums == -1 else self.train_real_nums
        test = n - train if self.real_nums == -1 else self.real_nums
        if train < 1 or test < 1 or train + test > n:
            raise ValueError(
                f'WassersteinCriticDistance (held-out split, train_dataset='
                f'None): train_real_nums={self.train_real_nums} and '
                f'real_nums={self.real_nums} ask for {train} + {test} '
                f'images but the evaluation dataset holds {n}; the two '
                f'parts may not overlap -- lower them so that their sum is '
                f'at most {n}, or set train_dataset to another dataset')
        return train, train, test

    def prepare(self, module, dataloader) -> None:
        super().prepare(module, dataloader)
        eval_set = dataloader.dataset
        if self.train_dataset is None:
            critic_set = eval_set
            self.train_real_nums, first, self.real_nums = \
                self._held_out_split(eval_set)
        else:
            critic_set = DATASETS.build(self.train_dataset)
            self.train_real_nums = resolve_num(
                self.train_real_nums, critic_set, 'train_real_nums')
            self.real_nums = resolve_num(self.real_nums, eval_set,
                                         'real_nums')
            first = 0
        if is_main_process() and self.train_real is None:
            self.train_real = load_real_images(
                self.data_preprocessor, critic_set, self.train_real_nums)
            self.test_real = load_real_images(
                self.data_preprocessor, eval_set, self.real_nums,
                start=first)

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
