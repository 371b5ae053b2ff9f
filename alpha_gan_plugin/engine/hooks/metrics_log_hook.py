"""MetricsLogHook: every evaluation result in a JSON-lines record and a
picture of the curves."""
import os.path as osp
from typing import Dict, List, Optional

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ..plots import panel_figure
from ..run_records import (METRICS_FILE, append_metrics_record,
                           metrics_record, read_metrics_records)


def plot_metric_curves(records: List[dict], out_path: str) -> None:
    """One subplot per metric (value vs iteration), written atomically.

    Args:
        records: Records of :func:`~..run_records.metrics_record`.
        out_path: The picture's file (format from its extension).
    """
    names = sorted({k for r in records for k in r['metrics']})
    if not names:
        return
    with panel_figure(len(names), 3, (4, 3), out_path, dpi=80) as axes:
        for ax, name in zip(axes, names):
            pts = [(r['iter'], r['metrics'][name]) for r in records
                   if r['metrics'].get(name) is not None]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker='o',
                    ms=3)
            ax.set_title(name, fontsize=9)
            ax.set_xlabel('iteration')
            ax.grid(alpha=0.3)


@HOOKS.register_module()
class MetricsLogHook(Hook):
    """Append each validation result to ``<work_dir>/metrics.jsonl`` and
    redraw ``<work_dir>/metric_curves.png``.

    One record per validation (:func:`~..run_records.metrics_record`):
    ``{"iter": i, "epoch": e, "mode": "val"|"test", "metrics": {name:
    value}}`` with ``iter`` the number of finished training iterations (0
    for a stand-alone test run), plus ``"train_seconds"`` when
    ``TrainTimeBudgetHook`` counts them. Non-numeric results are left out. The
    metrics dict is not modified, so ``CheckpointHook``'s ``save_best`` sees
    the same names (e.g. ``'FID/fid'``, give ``rule='less'``). Priority
    ``'LOW'`` runs after ``CheckpointHook``.

    Args:
        filename: JSON-lines file name inside ``work_dir``.
        plot_filename: PNG name inside ``work_dir`` (None = no plot).
    """
    priority = 'LOW'

    def __init__(self, filename: str = METRICS_FILE,
                 plot_filename: Optional[str] = 'metric_curves.png'):
        self.filename = filename
        self.plot_filename = plot_filename

    @master_only
    def _log(self, runner, metrics: Optional[Dict], mode: str) -> None:
        if not metrics:
            return
        path = osp.join(runner.work_dir, self.filename)
        seconds = runner.message_hub.get_info('train_seconds')
        append_metrics_record(
            path, metrics_record(runner.iter, metrics, mode, runner.epoch,
                                 seconds if mode == 'val' else None))
        if self.plot_filename:
            records = read_metrics_records(path, mode='val')
            if records:
                plot_metric_curves(
                    records, osp.join(runner.work_dir, self.plot_filename))

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._log(runner, metrics, 'val')

    def after_test_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._log(runner, metrics, 'test')
