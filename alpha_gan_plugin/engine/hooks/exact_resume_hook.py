"""ExactResumeHook: resumed runs continue bit-identically."""
from typing import List, Optional

from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import CheckpointHook, Hook

from mmagic.registry import HOOKS
from .. import rng_state

#: Key of this hook's record in ``checkpoint['meta']``.
META_KEY = 'exact_resume'


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
            rng_state.restore_rng_state(hook._pending)
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

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        self._captured = rng_state.capture_rng_state()
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
