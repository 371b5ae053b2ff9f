"""TrainTimeBudgetHook: stop iteration-based training after a budget of
training seconds, and validate every so many of them."""
import math
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

    With ``val_every_seconds`` the run is also validated each time its
    training seconds pass a multiple of that value (a time-to-quality
    curve). mmengine's ``IterBasedTrainLoop`` takes its validation interval
    from its ``dynamic_milestones`` / ``dynamic_intervals`` after every
    iteration; for that one iteration the hook makes the interval the
    number of finished iterations, so the loop's own validation runs there,
    exactly as it does at ``val_interval``, and the configured schedule is
    put back before the next iteration (set ``train_cfg.val_interval``
    above ``max_iters`` to validate by time only). ``MetricsLogHook``
    records the training seconds of every validation.

    ``clock='process'`` counts this process's CPU seconds
    (``time.process_time``, all its threads) instead of wall-clock seconds:
    with one intra-op thread (``OMP_NUM_THREADS=1``) that is the compute a
    run received, whatever else the machine runs, so budgets of runs made
    side by side on a busy machine stay comparable (coarse sweeps). Wall
    seconds (the default) are what a user waits; compare models that way
    on an idle machine.

    Args:
        seconds: The training-time budget, > 0; ``None`` only measures (the
            seconds still go into the checkpoints and the message hub).
        val_every_seconds: Validate whenever the training seconds pass a
            multiple of this (> 0); None = only by ``val_interval``.
        clock: ``'wall'`` (default) or ``'process'`` (see above).
    """
    priority = 'HIGH'  # before CheckpointHook (VERY_LOW) sees the last iter

    CLOCKS = dict(wall='perf_counter', process='process_time')

    def __init__(self, seconds: Optional[float] = None,
                 val_every_seconds: Optional[float] = None,
                 clock: str = 'wall'):
        if clock not in self.CLOCKS:
            raise ValueError(f'TrainTimeBudgetHook: clock={clock!r} is not '
                             f'understood; use one of {tuple(self.CLOCKS)}')
        self.clock = clock
        for key, value in (('seconds', seconds),
                           ('val_every_seconds', val_every_seconds)):
            if value is not None and (isinstance(value, bool) or
                                      not isinstance(value, (int, float))
                                      or not value > 0):
                raise ValueError(f'TrainTimeBudgetHook: {key} must be a '
                                 f'positive number or None, got {value!r}')
        self.seconds = None if seconds is None else float(seconds)
        self.val_every = None if val_every_seconds is None \
            else float(val_every_seconds)
        self.spent = 0.0
        self._start: Optional[float] = None
        self._schedule = None  # the loop's (milestones, intervals)
        self._mark = 1  # index of the next multiple of val_every to pass

    def _now(self) -> float:
        return getattr(time, self.CLOCKS[self.clock])()

    def _next_mark(self) -> int:
        """Index of the next multiple of ``val_every`` to pass."""
        return math.floor(self.spent / self.val_every) + 1

    def before_train(self, runner) -> None:
        if self.val_every is None:
            return
        loop = runner.train_loop
        if not hasattr(loop, 'dynamic_intervals'):
            raise ValueError(
                f'TrainTimeBudgetHook(val_every_seconds=...) needs an '
                f'iteration-based train loop, got {type(loop).__name__}; set '
                f'train_cfg.by_epoch=False or drop val_every_seconds')
        self._schedule = (loop.dynamic_milestones, loop.dynamic_intervals)
        self._mark = self._next_mark()  # after a resume: the marks left

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        if self._schedule is not None:  # after a timed validation
            loop = runner.train_loop
            loop.dynamic_milestones, loop.dynamic_intervals = self._schedule
        self._start = self._now()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self._start is not None:
            self.spent += self._now() - self._start
            self._start = None
        if self.seconds is None and self.val_every is None:
            runner.message_hub.update_info('train_seconds', self.spent)
            return
        if get_world_size() > 1:  # every rank decides as the slowest one
            t = torch.tensor([self.spent], dtype=torch.float64)
            all_reduce(t, op='max')
            self.spent = float(t.item())
        runner.message_hub.update_info('train_seconds', self.spent)
        loop = runner.train_loop
        if self.val_every is not None and \
                self.spent >= self._mark * self.val_every:
            # validate after this iteration (runner.iter + 1 finished)
            loop.dynamic_milestones, loop.dynamic_intervals = [0], [
                runner.iter + 1]
            self._mark = self._next_mark()
        if self.seconds is not None and self.spent >= self.seconds and \
                runner.iter + 1 < loop.max_iters:
            loop._max_iters = runner.iter + 1

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.setdefault('meta', {})
        meta['train_seconds'] = self.spent
        meta['train_seconds_clock'] = self.clock

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.get('meta', {})
        if 'train_seconds' in meta:
            clock = meta.get('train_seconds_clock', 'wall')
            if clock != self.clock:
                raise ValueError(
                    f'the checkpoint counted {clock} seconds but '
                    f'TrainTimeBudgetHook(clock={self.clock!r}) counts '
                    f'{self.clock} seconds; resume with clock={clock!r}')
            self.spent = float(meta['train_seconds'])
