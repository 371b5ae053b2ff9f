"""TrainTimeBudgetHook: stop iteration-based training after a budget of
training seconds."""
import time
from typing import Optional

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook

from mmagic.registry import HOOKS


@HOOKS.register_module()
class TrainTimeBudgetHook(Hook):
    """End training once ``seconds`` of training iterations have been spent.

    Only the time inside training iterations counts (from
    ``before_train_iter`` to ``after_train_iter``: data already fetched,
    forward, backward, optimizer steps and the other hooks' per-iteration
    work); validation, checkpoint writing and start-up do not. Models
    compared under the same budget therefore get the same compute, however
    often they are evaluated.

    When the budget is used up, the hook makes the current iteration the last
    one (the loop's ``max_iters`` becomes ``iter + 1``), so everything that
    happens at the end of an iteration-based run still happens: the final
    validation, and the last checkpoint when ``CheckpointHook`` has
    ``save_last=True`` (its default). The configured ``train_cfg.max_iters``
    stays an upper bound.

    The seconds spent are stored in every checkpoint
    (``meta['train_seconds']``) and restored on ``--resume``, so an
    interrupted run continues with what is left of its budget. With several
    processes the ranks stop at the same iteration (their largest elapsed
    time decides).

    Args:
        seconds: The training-time budget, > 0; ``None`` only measures (the
            seconds still go into the checkpoints and the message hub).
    """
    priority = 'HIGH'  # before CheckpointHook (VERY_LOW) sees the last iter

    def __init__(self, seconds: Optional[float] = None):
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(
                seconds, (int, float)) or not seconds > 0):
            raise ValueError(f'TrainTimeBudgetHook: seconds must be a '
                             f'positive number, got {seconds!r}')
        self.seconds = None if seconds is None else float(seconds)
        self.spent = 0.0
        self._start: Optional[float] = None

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self._start is not None:
            self.spent += time.perf_counter() - self._start
            self._start = None
        runner.message_hub.update_info('train_seconds', self.spent)
        if self.seconds is None:
            return
        spent = self.spent
        if get_world_size() > 1:
            t = torch.tensor([spent], dtype=torch.float64)
            all_reduce(t, op='max')
            spent = float(t.item())
        loop = runner.train_loop
        if spent >= self.seconds and runner.iter + 1 < loop.max_iters:
            loop._max_iters = runner.iter + 1

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})['train_seconds'] = self.spent

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.get('meta', {})
        if 'train_seconds' in meta:
            self.spent = float(meta['train_seconds'])
