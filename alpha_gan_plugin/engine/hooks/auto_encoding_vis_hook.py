"""AutoEncodingVisHook: sample and reconstruction grids during training."""
from typing import Optional, Sequence

import torch
from mmengine.dataset import pseudo_collate
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ...utils.autoencoder import require_autoencoder, unwrap
from ...utils.validators import check_ints
from ..image_grids import generate, make_grid, reconstruction_grid


@HOOKS.register_module()
class AutoEncodingVisHook(Hook):
    """Write a sample grid and a data-vs-reconstruction grid every N iters.

    The samples come from a fixed noise batch, the reconstructions from a
    fixed batch of training images, so consecutive grids are comparable.
    Pictures go through the runner's visualizer, i.e. to every configured vis
    backend (MMagic's ``VisBackend`` writes PNGs under ``<work_dir>/
    <timestamp>/vis_data/vis_image``; ``TensorboardVisBackend`` to
    TensorBoard).

    The reconstruction grid interleaves rows: a row of data, then the row of
    its reconstructions, and so on.

    Args:
        interval: Write every ``interval`` training iterations (and after the
            last one).
        num_samples: Images in the sample grid.
        num_recons: Images in the reconstruction grid (taken from the start
            of the training set, in order).
        nrow: Images per row in both grids.
        seed: Seed of the fixed noise.
        sample_model: ``'orig'`` or ``'ema'`` generator.
        value_range: Range of the generator's outputs.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 500,
                 num_samples: int = 64,
                 num_recons: int = 32,
                 nrow: int = 8,
                 seed: int = 2017,
                 sample_model: str = 'orig',
                 value_range: Sequence[float] = (-1.0, 1.0)):
        check_ints('AutoEncodingVisHook', interval=interval,
                   num_samples=num_samples, num_recons=num_recons, nrow=nrow)
        if sample_model not in ('orig', 'ema'):
            raise ValueError(f"AutoEncodingVisHook: sample_model must be "
                             f"'orig' or 'ema', got {sample_model!r}")
        self.interval = interval
        self.num_samples = num_samples
        self.num_recons = num_recons
        self.nrow = nrow
        self.seed = seed
        self.sample_model = sample_model
        self.value_range = tuple(value_range)
        self._noise: Optional[torch.Tensor] = None
        self._batch = None

    def before_train(self, runner) -> None:
        model = require_autoencoder(
            runner.model, 'AutoEncodingVisHook',
            otherwise="use MMagic's VisualizationHook for plain GANs")
        gen = torch.Generator().manual_seed(self.seed)
        self._noise = torch.randn(
            self.num_samples, model.noise_size, generator=gen)
        dataset = runner.train_dataloader.dataset
        if len(dataset) < self.num_recons:
            raise ValueError(f'AutoEncodingVisHook: num_recons='
                             f'{self.num_recons} but the training set holds '
                             f'{len(dataset)} images')
        self._batch = pseudo_collate(
            [dataset[i] for i in range(self.num_recons)])

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self.draw(runner, runner.iter + 1)

    @torch.no_grad()
    def draw(self, runner, step: int) -> None:
        """Compute and write both grids for training iteration ``step``."""
        model = unwrap(runner.model)
        was_training = model.training
        model.eval()
        try:
            gen = model.generator_ema if self.sample_model == 'ema' else \
                unwrap(model.generator)
            samples = generate(gen, self._noise.to(model.device))
            real = model.real_images(self._batch)
            recon = model.reconstruct(real, sample_model=self.sample_model)
        finally:
            model.train(was_training)
        vis = runner.visualizer
        vis.add_image('samples',
                      make_grid(samples, self.nrow, self.value_range),
                      step=step)
        vis.add_image('data_vs_reconstruction',
                      reconstruction_grid(real, recon, self.nrow,
                                          self.value_range),
                      step=step)
