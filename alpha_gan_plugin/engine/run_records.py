"""What a training run leaves in its work dir, written and read in one place.

* ``last_checkpoint`` -- mmengine's pointer to the newest checkpoint;
* ``metrics.jsonl`` -- one :func:`metrics_record` per evaluation, appended
  by ``MetricsLogHook`` (and by the comparison for an evaluation it runs
  itself), read by the comparison and its report;
* ``progress.json`` -- the training iteration a run has reached, written by
  ``TrainProgressHook`` and read by the comparison's progress bars.
"""
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional

from ..utils.atomic_files import (atomic_write, atomic_write_json,
                                  atomic_write_text)

LAST_CHECKPOINT = 'last_checkpoint'
METRICS_FILE = 'metrics.jsonl'
PROGRESS_FILE = 'progress.json'


# ----------------------------------------------------------------------
# last_checkpoint
# ----------------------------------------------------------------------
def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``work_dir/last_checkpoint`` names, if that file
    exists (None before the first save)."""
    pointer = osp.join(work_dir, LAST_CHECKPOINT)
    if not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        path = f.read().strip()
    return path if path and osp.isfile(path) else None


def write_last_checkpoint(work_dir: str, checkpoint: str) -> None:
    """Point ``work_dir/last_checkpoint`` at ``checkpoint`` (atomically,
    as mmengine's ``--resume`` reads it)."""
    atomic_write_text(osp.join(work_dir, LAST_CHECKPOINT), checkpoint)


# ----------------------------------------------------------------------
# metrics.jsonl
# ----------------------------------------------------------------------
def _finite_float(value) -> Optional[float]:
    try:
        value = float(value.item() if hasattr(value, 'item') else value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def metrics_record(iteration: int, metrics: Dict, mode: str = 'val',
                   epoch: int = 0,
                   train_seconds: Optional[float] = None) -> dict:
    """One line of ``metrics.jsonl``.

    Args:
        iteration: Finished training iterations (0 for a stand-alone test).
        metrics: Metric name -> value; values that are not finite numbers
            (text, NaN) are left out.
        mode: ``'val'`` (during training) or ``'test'``.
        epoch: Finished training epochs.
        train_seconds: Seconds spent in training iterations so far (as
            ``TrainTimeBudgetHook`` counts them), when known.

    Returns:
        dict: ``{"iter", "epoch", "mode", "metrics": {name: float}}``, plus
        ``"train_seconds"`` when given.
    """
    values = {k: _finite_float(v) for k, v in metrics.items()}
    record = dict(iter=int(iteration), epoch=int(epoch), mode=mode,
                  metrics={k: v for k, v in values.items() if v is not None})
    if train_seconds is not None:
        record['train_seconds'] = float(train_seconds)
    return record


def append_metrics_record(path: str, record: dict) -> None:
    """Append one record to a ``metrics.jsonl`` file and flush it to disk."""
    folder = osp.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, 'a') as f:
        f.write(json.dumps(record) + '\n')
        f.flush()
        os.fsync(f.fileno())


def read_metrics_records(path: str, mode: Optional[str] = None
                         ) -> List[dict]:
    """The records of a ``metrics.jsonl`` file in order (none if the file
    does not exist), only those of ``mode`` when it is given."""
    if not osp.isfile(path):
        return []
    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    if mode is not None:
        records = [r for r in records if r.get('mode', 'val') == mode]
    return records


def write_metrics_records(path: str, records: List[dict]) -> None:
    """Replace a ``metrics.jsonl`` file by ``records`` (atomically)."""
    with atomic_write(path) as f:
        f.writelines(json.dumps(r) + '\n' for r in records)


# ----------------------------------------------------------------------
# progress.json
# ----------------------------------------------------------------------
def write_progress(work_dir: str, iteration: int, max_iters: int) -> None:
    """Record that ``iteration`` of ``max_iters`` training iterations are
    done."""
    atomic_write_json(osp.join(work_dir, PROGRESS_FILE),
                      dict(iter=int(iteration), max_iters=int(max_iters)))


def read_progress(work_dir: str) -> Optional[dict]:
    """``{"iter", "max_iters"}`` of a run, or None before its first
    record."""
    path = osp.join(work_dir, PROGRESS_FILE)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)
