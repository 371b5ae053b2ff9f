"""The pictures of a comparison report: metric curves, and the sample and
reconstruction grids of the final checkpoints."""
from typing import List, Optional, Tuple

import numpy as np

from ..engine.image_grids import generate, make_grid, reconstruction_grid
from ..engine.plots import panel_figure
from ..utils.autoencoder import is_autoencoder
from ..utils.preprocessing import real_images
from .reference import build_in_scope, val_dataset


def plot_curves(cmp: dict, summaries: List[dict], columns: List[tuple],
                out_path: str) -> None:
    """Every metric of ``columns`` against training progress, one line per
    model (mean over seeds, min-max band with several seeds; a model keeps
    its colour in every panel, also those it is absent from): training
    seconds when the budget validates by time (``eval_every_seconds``),
    budget iterations otherwise."""
    cols = [c for c in columns
            if any(c[0] in r['metrics'] for s in summaries
                   for r in s['curves'])]
    if not cols:
        return
    every = cmp['budget'].get('eval_every_seconds')
    with panel_figure(len(cols), 3, (4.5, 3.2), out_path, dpi=90) as axes:
        for ax, (key, header, better) in zip(axes, cols):
            for i, model in enumerate(cmp['models']):
                _plot_model_curve(ax, model, key, [
                    s for s in summaries if s['model'] == model['name']],
                    every, color=f'C{i % 10}')
            ax.set_title(f'{header} ({better} is better)', fontsize=9)
            ax.set_xlabel('training seconds' if every else
                          'budget iterations')
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)


def curve_x(record: dict, model: dict, every=None) -> float:
    """Where a metrics record sits on a curve: its training seconds rounded
    to the nearest multiple of ``every`` (so the seeds of a model line up),
    else its iteration in budget iterations."""
    if every:
        if 'train_seconds' not in record:
            raise ValueError('a curve by training seconds needs records '
                             'with train_seconds (MetricsLogHook with '
                             'TrainTimeBudgetHook)')
        return round(record['train_seconds'] / every) * every
    return record['iter'] / model['iter_scale']


def _plot_model_curve(ax, model: dict, key: str, runs: List[dict],
                      every=None, color=None) -> None:
    """One model's curve of metric ``key``: the mean over its runs (seeds)
    at each :func:`curve_x`, with the min-max band of several runs."""
    by_iter = {}
    for s in runs:
        for r in s['curves']:
            if key in r['metrics']:
                x = curve_x(r, model, every)
                by_iter.setdefault(x, []).append(r['metrics'][key])
    if not by_iter:
        return
    xs = sorted(by_iter)
    mean = [sum(by_iter[x]) / len(by_iter[x]) for x in xs]
    line, = ax.plot(xs, mean, marker='o', ms=3, label=model['name'],
                    color=color)
    if len(runs) > 1:
        ax.fill_between(xs, [min(by_iter[x]) for x in xs],
                        [max(by_iter[x]) for x in xs],
                        color=line.get_color(), alpha=0.2)


def image_panels(panels: List[Tuple[str, np.ndarray]], out_path: str,
                 title: str) -> None:
    """Labelled pictures side by side (four a row), written atomically."""
    with panel_figure(len(panels), 4, (4, 4.3), out_path, dpi=100,
                      title=title) as axes:
        for ax, (name, img) in zip(axes, panels):
            ax.imshow(img, interpolation='nearest')
            ax.set_title(name, fontsize=11)
            ax.axis('off')


def model_grids(grids: dict, summary: dict
                ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """(samples, data-vs-reconstruction or None) uint8 RGB grids of a run's
    final checkpoint: the same latent codes (``grids['seed']``) for every
    model, the first test images for the reconstructions."""
    import torch
    from mmengine.dataset import pseudo_collate
    from mmengine.runner import load_checkpoint
    from mmagic.registry import MODELS
    cfg = build_in_scope(summary['config'])
    model = MODELS.build(cfg.model)
    load_checkpoint(model, summary['checkpoint'], map_location='cpu',
                    logger='silent')
    model.eval()
    gen = torch.Generator().manual_seed(grids['seed'])
    z = torch.randn(grids['num_samples'], model.noise_size, generator=gen)
    with torch.no_grad():
        samples = make_grid(generate(model.generator, z), grids['nrow'])
        if not is_autoencoder(model):
            return samples, None
        dataset = val_dataset(cfg)
        batch = pseudo_collate(
            [dataset[i] for i in range(grids['num_recons'])])
        real = real_images(model.data_preprocessor, batch)
        recon = reconstruction_grid(real, model.reconstruct(real),
                                    grids['nrow'])
    return samples, recon
