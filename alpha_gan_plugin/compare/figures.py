"""The pictures of a comparison report: metric curves, and the sample and
reconstruction grids of the final checkpoints."""
import math
from typing import List, Optional, Tuple

import numpy as np

from ..engine.image_grids import generate, make_grid, reconstruction_grid
from ..utils import atomic_savefig, is_autoencoder, real_images
from .reference import build_in_scope, val_dataset


def _pyplot():
    import matplotlib
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    return plt


def plot_curves(cmp: dict, summaries: List[dict], columns: List[tuple],
                out_path: str) -> None:
    """Every metric of ``columns`` against budget iterations, one line per
    model (mean over seeds, min-max band with several seeds)."""
    cols = [c for c in columns
            if any(c[0] in r['metrics'] for s in summaries
                   for r in s['curves'])]
    if not cols:
        return
    plt = _pyplot()
    ncol = min(3, len(cols))
    nrow = math.ceil(len(cols) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.5 * ncol, 3.2 * nrow),
                             squeeze=False)
    for ax, (key, header, better) in zip(axes.flat, cols):
        for model in cmp['models']:
            runs = [s for s in summaries if s['model'] == model['name']]
            by_iter = {}
            for s in runs:
                for r in s['curves']:
                    if key in r['metrics']:
                        x = r['iter'] / model['iter_scale']
                        by_iter.setdefault(x, []).append(r['metrics'][key])
            if not by_iter:
                continue
            xs = sorted(by_iter)
            mean = [sum(by_iter[x]) / len(by_iter[x]) for x in xs]
            line, = ax.plot(xs, mean, marker='o', ms=3, label=model['name'])
            if len(runs) > 1:
                ax.fill_between(xs, [min(by_iter[x]) for x in xs],
                                [max(by_iter[x]) for x in xs],
                                color=line.get_color(), alpha=0.2)
        ax.set_title(f'{header} ({better} is better)', fontsize=9)
        ax.set_xlabel('budget iterations')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(cols):]:
        ax.axis('off')
    fig.tight_layout()
    atomic_savefig(fig, out_path, dpi=90)
    plt.close(fig)


def panel_figure(panels: List[Tuple[str, np.ndarray]], out_path: str,
                 title: str) -> None:
    """Labelled pictures side by side (four a row), written atomically."""
    plt = _pyplot()
    n = len(panels)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 4.3 * rows),
                             squeeze=False)
    for ax, (name, img) in zip(axes.flat, panels):
        ax.imshow(img, interpolation='nearest')
        ax.set_title(name, fontsize=11)
        ax.axis('off')
    for ax in list(axes.flat)[n:]:
        ax.axis('off')
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    atomic_savefig(fig, out_path, dpi=100)
    plt.close(fig)


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
