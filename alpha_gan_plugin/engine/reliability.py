"""Hooks that make long (multi-process) training runs safe to interrupt.

* :class:`ExactResumeHook` -- a resumed run continues bit-identically: the
  python / numpy / torch (CPU and CUDA) random states of every rank and the
  train sampler's seed go into each checkpoint and come back on ``--resume``.
* :class:`AtomicCheckpointHook` -- mmengine's ``CheckpointHook`` that writes
  through a temporary file and ``os.replace``, prunes old checkpoints only
  after the new one is complete, and refuses to save non-finite weights.
* :class:`CheckpointCompatibilityHook` -- a checkpoint of another model or
  of other network widths is refused with one clear error instead of a wall
  of size-mismatch warnings.
* :class:`DataShardCheckHook` -- refuses a launch with more processes than
  the data can feed.

``tools/train.py`` and ``tools/test.py`` add them to every run; with
MMagic's own tools list them in ``custom_hooks`` and set
``default_hooks.checkpoint.type='AtomicCheckpointHook'``.
"""
import os
import os.path as osp
import random
from collections import OrderedDict
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_dist_info, is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook, Hook
from mmengine.model import is_model_wrapper

from mmagic.registry import HOOKS

#: Key of this module's record in ``checkpoint['meta']``.
META_KEY = 'exact_resume'


# ----------------------------------------------------------------------
# random states
# ----------------------------------------------------------------------
def capture_rng_state() -> dict:
    """The process's python, numpy and torch (CPU + all CUDA) RNG states."""
    state = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: dict) -> None:
    """Inverse of :func:`capture_rng_state`."""
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state:
        if not torch.cuda.is_available():
            raise ValueError(
                'the checkpoint holds CUDA random states but this run has no '
                'GPU; an exact resume needs the same device type')
        torch.cuda.set_rng_state_all(state['cuda'])


class _RngRestoringIterator:
    """Wraps the train loop's batch iterator.

    Before the batch of iteration ``k + 1`` is fetched, the random state
    captured at the end of iteration ``k`` is put back. Everything that runs
    between two iterations (checkpointing, validation, visualisation) is
    therefore neutral to the training random stream, and a resumed run can
    re-enter that stream at exactly the same point. The first ``skip``
    fetches (mmengine's replay of already-trained batches on resume) pass
    through untouched.
    """

    def __init__(self, inner, hook: 'ExactResumeHook'):
        self.inner = inner
        self.hook = hook

    def __iter__(self):
        return self

    def __next__(self):
        hook = self.hook
        if hook._skip > 0:
            hook._skip -= 1
        elif hook._pending is not None:
            restore_rng_state(hook._pending)
            hook._pending = None
        return next(self.inner)


@HOOKS.register_module()
class ExactResumeHook(Hook):
    """Store and restore every random stream so resumed runs are exact.

    mmengine 0.10.7 restores the weights, optimizers, schedulers, message hub
    and iteration on resume, and replays the sampler (the train loop draws
    ``iter`` batches and drops them, which also replays the dataloader
    workers' random augmentations). It does not restore the global random
    states, which draw the prior samples, the encoder noise and any
    main-process augmentation. This hook:

    * captures each rank's RNG states at the end of every iteration (cheap,
      local) and gathers them to rank 0 on iterations where a checkpoint is
      saved, into ``checkpoint['meta']['exact_resume']``;
    * restores the captured state right before the next batch is fetched, in
      the uninterrupted run as well as in the resumed one (see
      :class:`_RngRestoringIterator`);
    * checks the train sampler's seed, which decides the data order.

    Only iteration-based training (``IterBasedTrainLoop``) is supported.

    Args:
        strict: Raise if a resumed checkpoint has no random states (saved
            without this hook) or came from another number of processes.
            With ``strict=False`` such a run continues with a warning.
    """

    priority = 'HIGHEST'

    def __init__(self, strict: bool = True):
        self.strict = strict
        self._pending: Optional[dict] = None
        self._skip = 0
        self._captured: Optional[dict] = None
        self._captured_step = -1
        self._gathered: Optional[List[dict]] = None
        self._gathered_step = -1
        self._loaded: Optional[dict] = None

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def _sampler(runner):
        loader = runner.train_dataloader
        sampler = getattr(loader, 'sampler', None)
        batch_sampler = getattr(loader, 'batch_sampler', None)
        if batch_sampler is not None and hasattr(batch_sampler, 'sampler'):
            sampler = batch_sampler.sampler
        return sampler

    @staticmethod
    def _will_save(runner) -> bool:
        for hook in runner.hooks:
            if not isinstance(hook, CheckpointHook):
                continue
            if hook.by_epoch:
                return True  # cannot predict cheaply: gather every time
            if hook.every_n_train_iters(runner, hook.interval,
                                        hook.save_begin) or (
                                            hook.save_last and
                                            hook.is_last_train_iter(runner)):
                return True
        return False

    def _gather(self) -> None:
        self._gathered = all_gather_object(self._captured)
        self._gathered_step = self._captured_step

    # -- hooks -----------------------------------------------------------
    def before_train(self, runner) -> None:
        loop = runner.train_loop
        if not hasattr(loop, 'dataloader_iterator'):
            raise ValueError(
                f'ExactResumeHook supports iteration-based training only, '
                f'got {type(loop).__name__}; set train_cfg.by_epoch=False or '
                f'remove the hook')
        if not isinstance(loop.dataloader_iterator, _RngRestoringIterator):
            loop.dataloader_iterator = _RngRestoringIterator(
                loop.dataloader_iterator, self)
        if runner.iter == 0:
            self._loaded = None  # load_from (weights only): nothing to do
            return
        record = self._loaded
        if record is None or record.get('iter') != runner.iter:
            self._complain(
                runner, f'the resumed checkpoint (iteration {runner.iter}) '
                f'holds no random states (it was saved without '
                f'ExactResumeHook), so the run continues but not '
                f'bit-identically')
            return
        rank, world_size = get_dist_info()
        if record['world_size'] != world_size:
            self._complain(
                runner, f'the checkpoint was written by {record["world_size"]}'
                f' process(es) but this run has {world_size}: data shards and '
                f'random streams cannot continue exactly. Resume with '
                f'{record["world_size"]} processes')
            return
        self._restore_sampler_seed(runner, record.get('sampler_seed'))
        self._pending = record['rng'][rank]
        self._skip = runner.iter
        self._loaded = None

    def _complain(self, runner, msg: str) -> None:
        if self.strict:
            raise ValueError(
                f'{msg}; or set ExactResumeHook(strict=False) in custom_hooks '
                f'to continue anyway')
        runner.logger.warning(msg)

    def _restore_sampler_seed(self, runner, seed) -> None:
        sampler = self._sampler(runner)
        current = getattr(sampler, 'seed', None)
        if seed is None or current == seed:
            return
        from mmengine.dataset import InfiniteSampler
        if type(sampler) is InfiniteSampler and \
                runner.train_dataloader.num_workers == 0:
            # The loader has not drawn an index yet: re-seed its order.
            sampler.seed = seed
            sampler.indices = sampler._indices_of_rank()
            runner.logger.info(f'train sampler seed restored to {seed}')
            return
        raise ValueError(
            f'the checkpoint was trained with sampler seed {seed} but this '
            f'run built its sampler with seed {current}; set '
            f'randomness.seed to the checkpoint\'s seed '
            f'({runner.seed if runner.seed is not None else "its meta.seed"})'
            f' so the data order continues')

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        self._captured = capture_rng_state()
        self._captured_step = runner.iter + 1
        self._pending = self._captured
        if self._will_save(runner):
            self._gather()

    def before_val(self, runner) -> None:
        # a best-checkpoint may be saved after validation: all ranks gather
        # the state of the iteration just finished.
        if self._captured is not None and \
                self._gathered_step != self._captured_step and \
                self._captured_step == runner.iter:
            self._gather()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.setdefault('meta', {})
        step = meta.get('iter')
        if self._gathered is None or self._gathered_step != step:
            runner.logger.warning(
                f'checkpoint of iteration {step} is saved without random '
                f'states (saved outside the train loop); resuming from it '
                f'will not be exact')
            return
        sampler = self._sampler(runner)
        meta[META_KEY] = dict(
            iter=step,
            world_size=len(self._gathered),
            rng=self._gathered,
            sampler_seed=getattr(sampler, 'seed', None))

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._loaded = checkpoint.get('meta', {}).get(META_KEY)


# ----------------------------------------------------------------------
# atomic checkpoints
# ----------------------------------------------------------------------
def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file."""
    tmp = osp.join(osp.dirname(path) or '.',
                   f'.{osp.basename(path)}.tmp{os.getpid()}')
    with open(tmp, 'w') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def non_finite_tensors(module: torch.nn.Module) -> Dict[str, List[str]]:
    """Names of parameters/buffers holding NaN or inf, by top-level child."""
    if is_model_wrapper(module):
        module = module.module
    bad: Dict[str, List[str]] = OrderedDict()
    for name, tensor in module.state_dict().items():
        if torch.is_tensor(tensor) and tensor.is_floating_point() and \
                not bool(torch.isfinite(tensor).all()):
            bad.setdefault(name.split('.')[0], []).append(name)
    return bad


def last_good_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``work_dir/last_checkpoint`` points at, if it exists."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        path = f.read().strip()
    return path if path and osp.isfile(path) else None


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` with crash-safe saving.

    Differences (same arguments, same file names):

    * the checkpoint is written to a hidden temporary file in the same
      folder, fsync-ed and renamed with ``os.replace``: a crash during a save
      leaves the previous checkpoints and ``last_checkpoint`` untouched;
    * ``last_checkpoint`` is replaced atomically as well, after the file it
      names is complete;
    * checkpoints beyond ``max_keep_ckpts`` are removed only after the new
      one is in place (mmengine removes first, so with ``max_keep_ckpts=1`` a
      crash during the save would leave no checkpoint at all);
    * it refuses to save weights holding NaN/inf: ``FloatingPointError``
      naming the networks, the iteration and the last good checkpoint;
    * ``save_best``: the new best checkpoint is written the same way and the
      previous best is removed only once the new one is complete (mmengine
      removes it first).

    Only local folders are supported (``os.replace`` semantics).
    """

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if not isinstance(self.file_backend, LocalBackend):
            raise ValueError(
                f'AtomicCheckpointHook writes local files only, but the '
                f'checkpoint folder {self.out_dir!r} uses '
                f'{type(self.file_backend).__name__}; use '
                f"default_hooks.checkpoint.type='CheckpointHook' there")

    def _save_best_checkpoint(self, runner, metrics) -> None:
        """mmengine's best-checkpoint logic with an atomic save and the
        removal of the previous best deferred until the new one exists."""
        if not self.save_best:
            return
        backend = self.file_backend
        deferred: List[str] = []
        real_save = runner.save_checkpoint

        def defer_removal(path):
            deferred.append(str(path))

        def atomic_save(out_dir, filename, *args, **kwargs):
            tmp_name = f'.{filename}.tmp'
            real_save(out_dir, tmp_name, *args, **kwargs)
            if is_main_process():
                tmp = osp.join(out_dir, tmp_name)
                _fsync(tmp)
                os.replace(tmp, osp.join(out_dir, filename))

        backend.remove = defer_removal
        backend.rmtree = defer_removal
        runner.save_checkpoint = atomic_save
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            # drop the instance attributes: the class methods come back
            del backend.remove, backend.rmtree, runner.save_checkpoint
        current = {str(self.best_ckpt_path)} if getattr(
            self, 'best_ckpt_path', None) else set()
        current |= {str(p) for p in (getattr(
            self, 'best_ckpt_path_dict', None) or {}).values()}
        if is_main_process():
            for path in deferred:
                if path not in current and osp.isfile(path):
                    os.remove(path)

    def _save_checkpoint_with_step(self, runner, step, meta):
        bad = non_finite_tensors(runner.model)
        if bad:
            last = last_good_checkpoint(runner.work_dir)
            raise FloatingPointError(
                f'alpha-GAN diverged: non-finite weights in '
                f'{", ".join(f"{k} ({len(v)} tensors, e.g. {v[0]})" for k, v in bad.items())}'  # noqa: E501
                f' at iteration {step}; this checkpoint was NOT saved. Last '
                f'good checkpoint: {last or "none yet"} (kept). Resume from it '
                f'with a lower learning rate for those networks.')
        ckpt_filename = self.filename_tmpl.format(step)
        final = osp.join(self.out_dir, ckpt_filename)
        tmp_name = f'.{ckpt_filename}.tmp'
        outdated = None
        if self.max_keep_ckpts > 0:
            if not (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
                if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                    outdated = self.keep_ckpt_ids.popleft()
                self.keep_ckpt_ids.append(step)
                runner.message_hub.update_info('keep_ckpt_ids',
                                               list(self.keep_ckpt_ids))
        self.last_ckpt = final
        runner.message_hub.update_info('last_ckpt', final)

        runner.save_checkpoint(
            self.out_dir,
            tmp_name,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        tmp = osp.join(self.out_dir, tmp_name)
        _fsync(tmp)
        os.replace(tmp, final)
        try:
            dir_fd = os.open(self.out_dir, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:  # pragma: no cover - e.g. filesystems without dir fds
            pass
        atomic_write_text(osp.join(runner.work_dir, 'last_checkpoint'), final)
        if outdated is not None and outdated != step:
            old = osp.join(self.out_dir, self.filename_tmpl.format(outdated))
            if osp.isfile(old):
                os.remove(old)


# ----------------------------------------------------------------------
# checkpoint / model compatibility
# ----------------------------------------------------------------------
def _strip_prefix(state: dict) -> dict:
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items())


def plain_state_dict_keys(state: dict, model_keys=None,
                          wrapper_prefixes=()) -> 'OrderedDict':
    """Drop the ``.module.`` that per-network DDP wrappers add to names.

    Under ``MMSeparateDistributedDataParallel`` every network is its own DDP
    wrapper, so ``model.state_dict()`` says ``generator.module.x`` where
    mmengine's loader (which unwraps wrappers) expects ``generator.x``.
    ``wrapper_prefixes`` lists known ``'<name>.module.'`` prefixes (saving);
    with ``model_keys`` a key is renamed when only its plain form exists in
    the model (loading older checkpoints).
    """
    out = OrderedDict()
    for key, value in state.items():
        new = key[len('module.'):] if key.startswith('module.') else key
        for prefix in wrapper_prefixes:
            if new.startswith(prefix):
                new = prefix[:-len('module.')] + new[len(prefix):]
                break
        if model_keys is not None and new not in model_keys and \
                '.module.' in new:
            plain = new.replace('.module.', '.', 1)
            if plain in model_keys:
                new = plain
        out[new] = value
    return out


def _wrapper_prefixes(model: torch.nn.Module) -> List[str]:
    root = model.module if is_model_wrapper(model) else model
    prefixes = [f'{name}.module.' for name, m in root.named_modules()
                if name and is_model_wrapper(m)]
    return sorted(prefixes, key=len, reverse=True)


def _groups(keys) -> List[str]:
    return sorted({k.split('.')[0] for k in keys})


def compatibility_problems(model_state: dict, ckpt_state: dict) -> List[str]:
    """Differences between a model's and a checkpoint's state dicts."""
    ckpt_state = _strip_prefix(ckpt_state)
    missing = [k for k in model_state if k not in ckpt_state]
    unexpected = [k for k in ckpt_state if k not in model_state]
    shapes = [(k, tuple(ckpt_state[k].shape), tuple(v.shape))
              for k, v in model_state.items()
              if k in ckpt_state and hasattr(v, 'shape') and
              hasattr(ckpt_state[k], 'shape') and
              tuple(ckpt_state[k].shape) != tuple(v.shape)]
    problems = []
    if shapes:
        k, c, m = shapes[0]
        problems.append(
            f'{len(shapes)} tensors have other shapes (networks '
            f'{_groups(s[0] for s in shapes)}; e.g. {k}: checkpoint {c} vs '
            f'model {m}), i.e. other widths/latent size/image size')
    if missing:
        problems.append(f'{len(missing)} model tensors are missing from the '
                        f'checkpoint (networks {_groups(missing)}; e.g. '
                        f'{missing[0]})')
    if unexpected:
        problems.append(f'{len(unexpected)} checkpoint tensors have no place '
                        f'in the model (networks {_groups(unexpected)}; e.g. '
                        f'{unexpected[0]})')
    return problems


@HOOKS.register_module()
class CheckpointCompatibilityHook(Hook):
    """Refuse checkpoints that do not fit the model, with one clear error.

    mmengine loads checkpoints non-strictly: a checkpoint of another model
    (e.g. MMagic's DCGAN, which has no encoder) or of other widths is
    "loaded" with pages of warnings and leaves random weights behind. This
    hook compares names and shapes first (``after_load_checkpoint`` runs
    before the weights are copied) and raises ``ValueError``.

    Args:
        allow_partial: Accept checkpoints with missing/extra tensors (but
            never shape mismatches), e.g. to initialise only some networks.
    """

    priority = 'VERY_HIGH'

    def __init__(self, allow_partial: bool = False):
        self.allow_partial = allow_partial

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        prefixes = _wrapper_prefixes(runner.model)
        if prefixes and 'state_dict' in checkpoint:
            checkpoint['state_dict'] = plain_state_dict_keys(
                checkpoint['state_dict'], wrapper_prefixes=prefixes)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model_state = model.state_dict()
        plain_keys = set(plain_state_dict_keys(
            model_state, wrapper_prefixes=_wrapper_prefixes(runner.model)))
        key = 'state_dict' if 'state_dict' in checkpoint else None
        state = checkpoint[key] if key else checkpoint
        state = plain_state_dict_keys(state, model_keys=plain_keys)
        if key:
            # mmengine loads this very dict next: hand it the plain names
            checkpoint[key] = state
        problems = compatibility_problems(
            plain_state_dict_keys(
                model_state, wrapper_prefixes=_wrapper_prefixes(
                    runner.model)), state)
        if self.allow_partial:
            problems = [p for p in problems if 'other shapes' in p]
        if not problems:
            return
        source = runner.cfg.get('load_from') or 'the checkpoint'
        trained = checkpoint.get('meta', {}).get('experiment_name')
        raise ValueError(
            f'{source} does not fit this {type(model).__name__} model: '
            f'{"; ".join(problems)}. It was trained with another config'
            f'{f" (run {trained})" if trained else ""}: use that config '
            f'(or set the same widths, noise_size and image size), or pick a '
            f'checkpoint of this model. To load only the matching networks '
            f'deliberately, add CheckpointCompatibilityHook('
            f'allow_partial=True) to custom_hooks.')


# ----------------------------------------------------------------------
# processes vs data
# ----------------------------------------------------------------------
def check_shard_capacity(num_samples: int, world_size: int, batch_size: int,
                         what: str) -> None:
    """Raise ``ValueError`` if ``world_size`` processes cannot each get a
    full batch of distinct samples from ``num_samples``."""
    need = world_size * batch_size
    if world_size > 1 and num_samples < need:
        raise ValueError(
            f'{what} has {num_samples} samples but {world_size} processes x '
            f'batch_size {batch_size} need {need} distinct samples per step: '
            f'launch at most {max(num_samples // batch_size, 1)} processes '
            f'(NPROC of tools/dist_train.sh), or lower the batch_size to '
            f'{max(num_samples // world_size, 1)}, or add data')


@HOOKS.register_module()
class DataShardCheckHook(Hook):
    """Refuse a launch with more processes than the data can feed.

    Every rank must get a full batch of distinct training samples per step;
    for testing, each rank must get at least one sample.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        _, world_size = get_dist_info()
        loader = runner.train_dataloader
        check_shard_capacity(
            len(loader.dataset), world_size, loader.batch_size or 1,
            'train_dataloader.dataset')

    def before_test(self, runner) -> None:
        _, world_size = get_dist_info()
        loaders = getattr(runner.test_loop, 'dataloaders', None) or [
            runner.test_loop.dataloader
        ]
        for loader in loaders:
            check_shard_capacity(
                len(loader.dataset), world_size, 1,
                'test_dataloader.dataset')


# ----------------------------------------------------------------------
# cross-rank consistency
# ----------------------------------------------------------------------
def parameter_digests(module: torch.nn.Module) -> Dict[str, str]:
    """A sha1 of every top-level network's parameters (not buffers)."""
    import hashlib
    if is_model_wrapper(module):
        module = module.module
    digests: Dict[str, 'hashlib._Hash'] = OrderedDict()
    for name, param in module.named_parameters():
        h = digests.setdefault(name.split('.')[0], hashlib.sha1())
        h.update(name.encode())
        h.update(param.detach().cpu().contiguous().numpy().tobytes())
    return OrderedDict((k, v.hexdigest()) for k, v in digests.items())


@HOOKS.register_module()
class ParamSyncCheckHook(Hook):
    """Check that every rank holds the same parameters (a DDP sanity check).

    Every ``interval`` iterations each rank hashes its parameters per
    network; the hashes are gathered and a ``RuntimeError`` names the
    networks whose copies differ (e.g. a network updated outside its DDP
    wrapper). With ``out_file`` rank 0 appends one JSON line per check with
    all ranks' hashes and the dataset indices of their batches.

    Args:
        interval: Check every ``interval`` training iterations.
        out_file: Optional JSON-lines record (for tests and debugging).
    """

    priority = 'LOW'

    def __init__(self, interval: int = 100, out_file: Optional[str] = None):
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'ParamSyncCheckHook.interval must be an int >= '
                             f'1, got {interval!r}')
        self.interval = interval
        self.out_file = out_file

    @staticmethod
    def _indices(data_batch) -> List[int]:
        samples = data_batch.get('data_samples') if isinstance(
            data_batch, dict) else None
        if samples is None:
            return []
        if not isinstance(samples, (list, tuple)):
            samples = [samples[i] for i in range(len(samples))]
        return [int(s.metainfo['sample_idx']) for s in samples
                if 'sample_idx' in s.metainfo]

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        mine = dict(params=parameter_digests(runner.model),
                    samples=self._indices(data_batch))
        ranks = all_gather_object(mine)
        differ = [net for net in mine['params']
                  if len({r['params'][net] for r in ranks}) > 1]
        if self.out_file and is_main_process():
            import json
            with open(self.out_file, 'a') as f:
                f.write(json.dumps(dict(iter=runner.iter + 1,
                                        ranks=ranks)) + '\n')
        if differ:
            raise RuntimeError(
                f'parameters of {differ} differ between ranks after '
                f'iteration {runner.iter + 1}: the processes are out of sync '
                f'(a network updated outside its DistributedDataParallel '
                f'wrapper, or different initial weights)')
