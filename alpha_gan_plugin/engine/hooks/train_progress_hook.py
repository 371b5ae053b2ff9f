"""TrainProgressHook: the iteration a run has reached, in its work dir."""
import time
from typing import Optional

from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ..run_records import write_progress


@HOOKS.register_module()
class TrainProgressHook(Hook):
    """Keep ``<work_dir>/progress.json`` at the number of finished training
    iterations (``{"iter": i, "max_iters": n}``), for whoever follows the
    run from outside (``tools/compare.py`` draws its progress bars from it).

    The file is rewritten atomically at most every ``min_seconds`` and after
    the last iteration; it draws no random numbers and touches no state of
    the run.

    Args:
        min_seconds: Least time between two writes, >= 0.
    """
    priority = 'VERY_LOW'

    def __init__(self, min_seconds: float = 1.0):
        if isinstance(min_seconds, bool) or not isinstance(
                min_seconds, (int, float)) or min_seconds < 0:
            raise ValueError(f'TrainProgressHook: min_seconds must be a '
                             f'number >= 0, got {min_seconds!r}')
        self.min_seconds = float(min_seconds)
        self._written: Optional[float] = None

    @master_only
    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        now = time.monotonic()
        last = self.is_last_train_iter(runner)
        if not last and self._written is not None and \
                now - self._written < self.min_seconds:
            return
        write_progress(runner.work_dir, runner.iter + 1,
                       runner.train_loop.max_iters)
        self._written = now
