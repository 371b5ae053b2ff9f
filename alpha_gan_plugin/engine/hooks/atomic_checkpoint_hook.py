"""AtomicCheckpointHook: mmengine's CheckpointHook made crash-safe."""
from collections import OrderedDict
from typing import Dict, List

import torch
import torch.nn as nn
from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, get_file_backend
from mmengine.hooks import CheckpointHook

from mmagic.registry import HOOKS
from ...utils.autoencoder import unwrap
from ..atomic_local_backend import ATOMIC_LOCAL
from ..run_records import last_checkpoint, write_last_checkpoint


def non_finite_tensors(module: nn.Module) -> Dict[str, List[str]]:
    """Names of parameters/buffers holding NaN or inf, by top-level child."""
    bad: Dict[str, List[str]] = OrderedDict()
    for name, tensor in unwrap(module).state_dict().items():
        if torch.is_tensor(tensor) and tensor.is_floating_point() and \
                not bool(tensor.isfinite().all()):
            bad.setdefault(name.split('.')[0], []).append(name)
    return bad


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` with crash-safe saving.

    Same arguments and file names as ``CheckpointHook``; the differences:

    * every checkpoint (periodic, best, last) is written to a hidden
      temporary file in the same folder, fsync-ed and renamed: a crash
      during a save leaves the previous checkpoints and ``last_checkpoint``
      untouched;
    * ``last_checkpoint`` is replaced atomically as well, after the file it
      names is complete;
    * checkpoints beyond ``max_keep_ckpts``, and the previous best of
      ``save_best``, are removed only after the new checkpoint is complete
      (mmengine removes first, so with ``max_keep_ckpts=1`` a crash during
      the save would leave no checkpoint at all);
    * it refuses to save weights holding NaN/inf: ``FloatingPointError``
      naming the model, the networks, the iteration and the last good
      checkpoint (on every rank, so no rank waits for the others).

    How, with mmengine 0.10.7: the files are written through
    :class:`~..atomic_local_backend.AtomicLocalBackend` (set as
    ``backend_args``, mmengine's own way to choose how checkpoints are
    stored), whose ``put`` is atomic and whose ``remove`` waits until this
    hook has seen the replacement complete (after ``before_train``'s
    pruning, each periodic save, and each ``after_val_epoch``). One private
    method is overridden, ``_save_checkpoint_with_step``, because mmengine
    writes ``last_checkpoint`` inside it with a plain ``open(..., 'w')`` and
    has no public step between the save and that write; the override keeps
    mmengine's bookkeeping (``keep_ckpt_ids``, ``last_ckpt`` in the message
    hub), which its ``before_train`` reads back on resume.

    Only local folders are supported (``os.replace`` semantics), so
    ``backend_args`` / ``file_client_args`` cannot be set.
    """

    def __init__(self, *args, **kwargs):
        for key in ('file_client_args', 'backend_args'):
            if kwargs.get(key) not in (None, dict(backend='local')):
                raise ValueError(
                    f'AtomicCheckpointHook writes local files only, got '
                    f'{key}={kwargs[key]!r}; remove {key}, or use '
                    f"default_hooks.checkpoint.type='CheckpointHook' there")
        kwargs.update(file_client_args=None,
                      backend_args=dict(backend=ATOMIC_LOCAL))
        super().__init__(*args, **kwargs)

    def before_train(self, runner) -> None:
        out_dir = self.out_dir or runner.work_dir
        backend = get_file_backend(out_dir)
        if not isinstance(backend, LocalBackend):
            raise ValueError(
                f'AtomicCheckpointHook writes local files only, but the '
                f'checkpoint folder {out_dir!r} uses '
                f'{type(backend).__name__}; use '
                f"default_hooks.checkpoint.type='CheckpointHook' there")
        super().before_train(runner)
        self._remove_replaced()

    def after_val_epoch(self, runner, metrics) -> None:
        super().after_val_epoch(runner, metrics)
        self._remove_replaced()

    def _remove_replaced(self) -> None:
        """Delete the checkpoints mmengine removed while they were being
        replaced, except the current last and best ones."""
        if not is_main_process():
            return
        keep = [self.last_ckpt, getattr(self, 'best_ckpt_path', None),
                *(getattr(self, 'best_ckpt_path_dict', None) or {}).values()]
        self.file_backend.remove_held_back([k for k in keep if k])

    def _outdated_step(self, runner, step: int):
        """Add ``step`` to the kept checkpoints; the step that drops out."""
        keep = self.keep_ckpt_ids if self.max_keep_ckpts > 0 else None
        if keep is None or (keep and keep[-1] == step):
            return None
        outdated = keep.popleft() if len(keep) == self.max_keep_ckpts \
            else None
        keep.append(step)
        runner.message_hub.update_info('keep_ckpt_ids', list(keep))
        return outdated

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        bad = non_finite_tensors(runner.model)
        if bad:
            raise FloatingPointError(
                f'{type(unwrap(runner.model)).__name__} diverged: non-finite '
                f'weights in ' + ', '.join(
                    f'{k} ({len(v)} tensors, e.g. {v[0]})'
                    for k, v in bad.items()) +
                f' at iteration {step}; this checkpoint was NOT saved. Last '
                f'good checkpoint: '
                f'{last_checkpoint(runner.work_dir) or "none yet"} (kept). '
                f'Resume from it with a lower learning rate for those '
                f'networks.')
        outdated = self._outdated_step(runner, step)
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, filename, self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler, meta=meta,
            by_epoch=self.by_epoch, backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        write_last_checkpoint(runner.work_dir, self.last_ckpt)
        if outdated is not None:
            self.file_backend.remove(self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(outdated)))
        self._remove_replaced()
