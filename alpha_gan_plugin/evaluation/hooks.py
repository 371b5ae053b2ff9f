"""Hook logging validation metrics to JSON lines and a PNG of curves."""
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmagic.registry import HOOKS


def _to_float(value) -> Optional[float]:
    try:
        value = float(value.item() if hasattr(value, 'item') else value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def read_metrics_jsonl(path: str) -> List[dict]:
    """Records of a ``metrics.jsonl`` file, in order."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def plot_metric_curves(records: List[dict], out_path: str) -> None:
    """One subplot per metric (value vs iteration), written atomically."""
    import matplotlib
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    names = sorted({k for r in records for k in r['metrics']})
    if not names:
        return
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows),
                             squeeze=False)
    for ax, name in zip(axes.flat, names):
        pts = [(r['iter'], r['metrics'][name]) for r in records
               if r['metrics'].get(name) is not None]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker='o', ms=3)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(names):]:
        ax.axis('off')
    fig.tight_layout()
    tmp = f'{out_path}.tmp{os.getpid()}.png'
    fig.savefig(tmp, dpi=80)
    plt.close(fig)
    os.replace(tmp, out_path)


@HOOKS.register_module()
class MetricsLogHook(Hook):
    """Append each validation result to ``<work_dir>/metrics.jsonl`` and
    redraw ``<work_dir>/metric_curves.png``.

    One JSON object per validation: ``{"iter": i, "epoch": e, "metrics":
    {name: value}}`` with ``iter`` the number of finished training
    iterations (0 for a stand-alone test run).  Non-numeric results are
    skipped.  The metrics dict is not modified, so ``CheckpointHook``'s
    ``save_best`` sees the same names (e.g. ``'FID/fid'``, give
    ``rule='less'``).  Priority ``'LOW'`` runs after ``CheckpointHook``.

    Args:
        filename: JSON-lines file name inside ``work_dir``.
        plot_filename: PNG name inside ``work_dir`` (None = no plot).
    """
    priority = 'LOW'

    def __init__(self, filename: str = 'metrics.jsonl',
                 plot_filename: Optional[str] = 'metric_curves.png'):
        self.filename = filename
        self.plot_filename = plot_filename

    @master_only
    def _log(self, runner, metrics: Optional[Dict], mode: str) -> None:
        if not metrics:
            return
        values = {k: _to_float(v) for k, v in metrics.items()}
        values = {k: v for k, v in values.items() if v is not None}
        record = dict(iter=int(runner.iter), epoch=int(runner.epoch),
                      mode=mode, metrics=values)
        path = osp.join(runner.work_dir, self.filename)
        os.makedirs(runner.work_dir, exist_ok=True)
        with open(path, 'a') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()
            os.fsync(f.fileno())
        if self.plot_filename:
            records = [r for r in read_metrics_jsonl(path)
                       if r.get('mode', 'val') == 'val']
            if records:
                plot_metric_curves(
                    records, osp.join(runner.work_dir, self.plot_filename))

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._log(runner, metrics, 'val')

    def after_test_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._log(runner, metrics, 'test')
