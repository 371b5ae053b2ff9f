"""The phase loop shared by the auto-encoding GANs of this plugin."""
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine import MessageHub
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmagic.models.utils import set_requires_grad


def unwrap(module: nn.Module) -> nn.Module:
    """The module inside a distributed wrapper (or the module itself)."""
    return module.module if is_model_wrapper(module) else module


def parse_schedule(schedule: Optional[dict], defaults: Dict[str, int],
                   model_name: str) -> 'OrderedDict[str, int]':
    """Validate a ``train_schedule`` (network -> updates per iteration).

    Args:
        schedule: The config's schedule; missing networks take ``defaults``.
        defaults: Every network in update order, with its default count.
        model_name: For error messages.

    Returns:
        OrderedDict: Updates per iteration, in the order of ``defaults``.
    """
    schedule = dict(schedule or {})
    unknown = set(schedule) - set(defaults)
    if unknown:
        raise ValueError(f'train_schedule has unknown networks '
                         f'{sorted(unknown)}; {model_name} has '
                         f'{tuple(defaults)}')
    table = OrderedDict()
    for name, default in defaults.items():
        steps = schedule.get(name, default)
        if not isinstance(steps, int) or steps < 1:
            raise ValueError(f'train_schedule.{name} must be an int >= 1, '
                             f'got {steps!r}')
        table[name] = steps
    return table


def _non_finite_ranks(loss: Tensor) -> List[int]:
    """Ranks whose ``loss`` is NaN/inf (all ranks learn it, so a divergence
    on one rank stops every rank instead of leaving the others waiting in
    the next collective operation)."""
    bad = not bool(torch.isfinite(loss.detach()).all())
    world = get_world_size()
    if world == 1:
        return [0] if bad else []
    flags = torch.zeros(world, dtype=torch.float32, device=loss.device)
    flags[get_rank()] = float(bad)
    all_reduce(flags, op='sum')
    return [int(r) for r in torch.nonzero(flags).flatten().tolist()]


def stacked_gt_images(preprocessor, data: dict) -> Optional[Tensor]:
    """``gt_img`` of a batch, converted and normalised as MMagic's
    ``DataPreprocessor(data, training=True)`` does, without its per-sample
    bookkeeping.

    The full preprocessor deep-copies its mean/std tensors into the metainfo
    of every sample and rebuilds the batch as a new ``DataSample``: about a
    tenth of an alpha-GAN iteration at 32x32 on a CPU, for metadata that
    training does not read. Here the same channel-order parsing, conversion
    and normalisation methods of the preprocessor are applied to the stacked
    batch, so the values are identical (``tests/test_alpha_gan.py`` checks
    it). The batch is left unchanged.

    Returns:
        Tensor or None: (N, C, H, W) images, or None when the batch or the
        preprocessor is not the plain case (another preprocessor class, a
        fixed ``input_view``, images in ``inputs``, unequal shapes or
        channel orders); the caller then runs the full preprocessor.
    """
    from mmagic.models.data_preprocessors import DataPreprocessor
    if type(preprocessor) is not DataPreprocessor or \
            preprocessor.input_view is not None or \
            'gt_img' not in (preprocessor.data_keys or ()):
        return None
    inputs = data.get('inputs')
    samples = data.get('data_samples')
    if inputs not in (None, {}) or not isinstance(samples, (list, tuple)) \
            or not samples:
        return None
    imgs = [getattr(s, 'gt_img', None) for s in samples]
    if not all(torch.is_tensor(x) and x.dim() == 3 and
               x.shape == imgs[0].shape and x.dtype == imgs[0].dtype
               for x in imgs):
        return None
    orders = {preprocessor._parse_channel_order('gt_img', x, s)
              for x, s in zip(imgs, samples)}
    if len(orders) != 1:
        return None
    batch = torch.stack(imgs).to(preprocessor.mean.device)
    batch, _ = preprocessor._do_conversion(
        batch, orders.pop(), preprocessor.output_channel_order)
    return preprocessor._do_norm(batch, True)


class PhasedTrainingMixin:
    """Train several networks in turn, one optimizer each, per a schedule.

    A model using it (a ``BaseGAN`` subclass) sets :attr:`NETWORKS` (the
    networks in update order; also the ``optim_wrapper`` keys) and
    :attr:`DISPLAY_NAME`, holds ``train_schedule`` (network -> updates per
    iteration), ``_checked_first_batch`` and ``_active_phase``, and
    implements ``_phase_losses(name, real)`` and
    ``_check_train_inputs(real, optim_wrapper)``. Each phase runs its own
    forward pass with the other networks frozen and called unwrapped, so a
    phase's gradients never reach another network's parameters or optimizer
    state, and DDP never waits for a frozen network's gradients.
    """

    NETWORKS: Tuple[str, ...] = ()
    DISPLAY_NAME = 'model'
    _active_phase: Optional[str] = None

    def real_images(self, data: dict) -> Tensor:
        """Normalised real images of a raw dataloader batch.

        MMagic's ``DataPreprocessor`` normalises ``data_samples.gt_img`` only
        in training mode, so it is called with ``training=True`` (which adds
        no randomness: augmentation lives in the dataset pipeline).

        Args:
            data: A collated batch, ``dict(inputs=..., data_samples=...)``.

        Returns:
            Tensor: (N, C, H, W) images in the generator's output range.
        """
        fast = stacked_gt_images(self.data_preprocessor, data)
        if fast is not None:
            return fast
        data = self.data_preprocessor(data, True)
        inputs = data['inputs']
        if isinstance(inputs, Tensor):
            return inputs
        if isinstance(inputs, dict) and 'img' in inputs:
            return inputs['img']
        samples = data.get('data_samples')
        if samples is None or 'gt_img' not in samples:
            raise ValueError('the batch holds no images: the pipeline must '
                             "pack them as 'gt' (end it with PackInputs)")
        return samples.gt_img

    def reconstruct(self,
                    images: Tensor,
                    sample_model: str = 'orig',
                    noise: Optional[Tensor] = None) -> Tensor:
        """Reconstruct preprocessed images, ``G(E(x))``.

        Args:
            images: (N, C, H, W), normalised as the generator's outputs.
            sample_model: ``'orig'`` or ``'ema'`` (the EMA generator).
            noise: Noise of a stochastic encoder (None otherwise).

        Returns:
            Tensor: Reconstructions of the same shape and range.
        """
        if sample_model == 'ema':
            if not self.with_ema_gen:
                raise ValueError("sample_model='ema' but the model has no EMA "
                                 'generator (set ema_config)')
            gen = self.generator_ema
        elif sample_model == 'orig':
            gen = unwrap(self.generator)
        else:
            raise ValueError(f"sample_model must be 'orig' or 'ema', got "
                             f'{sample_model!r}')
        out = gen(noise=self.encode(images, noise), return_noise=False)
        return out['fake_img'] if isinstance(out, dict) else out

    def _generate(self, noise: Tensor) -> Tensor:
        out = self._net('generator')(noise=noise, return_noise=False)
        return out['fake_img'] if isinstance(out, dict) else out

    def _net(self, name: str) -> nn.Module:
        """The network ``name`` as the current phase must call it.

        Only the network being updated is called through its distributed
        wrapper (if any); frozen networks are called unwrapped, so DDP never
        waits for gradients that a frozen network will not produce.
        """
        net = getattr(self, name)
        return net if name == self._active_phase else unwrap(net)

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One iteration: every network updated per ``train_schedule``.

        Args:
            data: A batch from the dataloader (``inputs`` and
                ``data_samples`` with ``gt_img``).
            optim_wrapper: One ``OptimWrapper`` per network.

        Returns:
            dict: Scalars for logging, one group per network.
        """
        real = self.real_images(data)
        if not self._checked_first_batch:
            self._check_train_inputs(real, optim_wrapper)
            self._checked_first_batch = True
        curr_iter = MessageHub.get_current_instance().get_info('iter', 0)
        log_vars: Dict[str, Tensor] = {}
        for name, steps in self.train_schedule.items():
            log_vars.update(
                self.train_phase(name, real, optim_wrapper[name], steps,
                                 curr_iter))
        self._update_ema(curr_iter)
        return log_vars

    def train_phase(self,
                    name: str,
                    real: Tensor,
                    wrapper,
                    steps: int = 1,
                    curr_iter: int = 0) -> Dict[str, Tensor]:
        """Update one network ``steps`` times with the others frozen.

        Args:
            name: One of :attr:`NETWORKS`.
            real: Preprocessed real images (N, C, H, W).
            wrapper: The ``OptimWrapper`` of that network.
            steps: Number of updates.
            curr_iter: Training iteration, for error messages.

        Returns:
            dict: The phase's losses, averaged over its steps.
        """
        if name not in self.NETWORKS:
            raise ValueError(f'unknown network {name!r}; use one of '
                             f'{self.NETWORKS}')
        network = getattr(self, name)
        others = [getattr(self, n) for n in self.NETWORKS if n != name]
        set_requires_grad(others, False)
        self._active_phase = name
        phase_logs: List[Dict[str, Tensor]] = []
        try:
            for _ in range(steps):
                with wrapper.optim_context(network):
                    losses = self._phase_losses(name, real)
                    loss, logs = self.parse_losses(losses)
                bad_ranks = _non_finite_ranks(loss)
                if bad_ranks:
                    world = get_world_size()
                    where = '' if world == 1 else (
                        f' (not finite on rank(s) {bad_ranks} of {world}; '
                        f'this is rank {get_rank()})')
                    raise FloatingPointError(
                        f'{self.DISPLAY_NAME} diverged: the {name} loss is '
                        f'{loss.item()}{where} at iteration {curr_iter + 1} '
                        f'({ {k: float(v) for k, v in losses.items()} }); no '
                        f'update was applied. Resume from the last checkpoint '
                        f'in the work dir with a lower learning rate for '
                        f'{name}.')
                wrapper.update_params(loss)
                logs.pop('loss', None)
                phase_logs.append(logs)
        finally:
            set_requires_grad(others, True)
            self._active_phase = None
        return self.gather_log_vars(phase_logs)

    def _update_ema(self, curr_iter: int) -> None:
        if not self.with_ema_gen:
            return
        gen = unwrap(self.generator)
        if curr_iter + 1 >= self.ema_start:
            self.generator_ema.update_parameters(gen)
            if not self.generator_ema.update_buffers:
                self.generator_ema.sync_buffers(gen)
        else:
            self.generator_ema.sync_parameters(gen)
