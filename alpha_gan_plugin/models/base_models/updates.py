"""How the networks of a :class:`~.BaseAutoEncodingGAN` are updated: one
phase at a time (``'alternating'``) or all from one forward pass
(``'shared'``), the networks as an update calls them (:class:`PhaseNets`),
and the EMA generator's update without host reads."""
from contextlib import ExitStack
from typing import Dict, List

import torch.nn as nn
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmagic.models.utils import set_requires_grad
from ...utils.autoencoder import unwrap
from .schedule import FiniteLossCheck


class PhaseNets:
    """The networks of a model as one update calls them.

    Each network is an attribute: the networks being updated through their
    (distributed) wrappers, so their gradients are synchronised; every other
    network as the bare module, which the caller has frozen, so no gradient
    reaches it and DDP never waits for it. ``trained`` names the former.
    """

    def __init__(self, model: nn.Module, trained):
        self.trained = tuple(trained)
        for name in model.PHASES:
            net = getattr(model, name)
            setattr(self, name, net if name in self.trained else unwrap(net))

    def __repr__(self) -> str:
        return f'PhaseNets(trained={self.trained})'


def run_phase(model: nn.Module, name: str, real: Tensor, wrapper, steps: int,
              check: FiniteLossCheck,
              check_each_step: bool = False) -> Dict[str, Tensor]:
    """Update the network ``name`` of ``model`` ``steps`` times with the
    others frozen, each update with its own forward pass; the losses
    are recorded in ``check`` (checked before each update when
    ``check_each_step``). Returns the losses averaged over the steps."""
    if name not in model.PHASES:
        raise ValueError(f'unknown network {name!r}; use one of '
                         f'{tuple(model.PHASES)}')
    phase_losses = getattr(model, model.PHASES[name])
    network = getattr(model, name)
    others = [getattr(model, n) for n in model.PHASES if n != name]
    nets = model.phase_nets(name)
    set_requires_grad(others, False)
    phase_logs: List[Dict[str, Tensor]] = []
    try:
        for _ in range(steps):
            with wrapper.optim_context(network):
                losses = phase_losses(real, nets)
                loss, logs = model.parse_losses(losses)
            check.add(name, loss, losses)
            if check_each_step:
                check.raise_if_not_finite()
            wrapper.update_params(loss)
            logs.pop('loss', None)
            phase_logs.append(logs)
    finally:
        set_requires_grad(others, True)
    return model.gather_log_vars(phase_logs)


def shared_iteration(model: nn.Module, real: Tensor,
                     optim_wrapper: OptimWrapperDict,
                     check: FiniteLossCheck) -> Dict[str, Tensor]:
    """``update_mode='shared'``: every network's loss from one forward
    pass (``SHARED_LOSSES``), each network's gradient from its own loss
    only, the finite check before any update, then one update of each
    network; extra updates of ``train_schedule`` recompute their
    forward (alternating phases), in ``PHASES`` order."""
    names = list(model.PHASES)
    wrappers = [optim_wrapper[n] for n in names]
    with ExitStack() as stack:
        for name, wrapper in zip(names, wrappers):
            stack.enter_context(wrapper.optim_context(getattr(model, name)))
        per_net = getattr(model, model.SHARED_LOSSES)(
            real, model.phase_nets(*names))
    parsed = {}
    for name in names:
        loss, logs = model.parse_losses(per_net[name])
        check.add(name, loss, per_net[name])
        logs.pop('loss', None)
        parsed[name] = (loss, logs)
    extra = {n: c - 1 for n, c in model.train_schedule.items() if c > 1}
    if not extra:  # one check for the iteration, before any update
        check.raise_if_not_finite()
    for i, (name, wrapper) in enumerate(zip(names, wrappers)):
        params = [p for p in getattr(model, name).parameters()
                  if p.requires_grad]
        wrapper.backward(wrapper.scale_loss(parsed[name][0]),
                         inputs=params,
                         retain_graph=i < len(names) - 1)
    for wrapper in wrappers:
        if wrapper.should_update():
            wrapper.step()
            wrapper.zero_grad()
    log_vars: Dict[str, Tensor] = {}
    for name in names:
        logs = [parsed[name][1]]
        if name in extra:
            logs.append(run_phase(model, name, real, optim_wrapper[name],
                                  extra[name], check))
        log_vars.update(model.gather_log_vars(logs) if len(logs) > 1
                        else logs[0])
    return log_vars


def update_ema(model: nn.Module, curr_iter: int) -> None:
    """MMagic's EMA update of the generator, with the EMA's step count
    kept on the host (:func:`_ema_host_steps`): mmengine's
    ``update_parameters`` reads its device-side ``steps`` buffer twice
    per call, two host synchronisations per iteration on a GPU. Same
    arithmetic, same ``steps`` buffer in checkpoints."""
    if not model.with_ema_gen:
        return
    gen = unwrap(model.generator)
    ema = model.generator_ema
    if curr_iter + 1 < model.ema_start:
        ema.sync_parameters(gen)
        return
    steps = _ema_host_steps(model)
    src = gen.state_dict() if ema.update_buffers else dict(
        gen.named_parameters())
    if steps == 0:
        for key, avg in ema.avg_parameters.items():
            avg.data.copy_(src[key].data)
    elif steps % ema.interval == 0:
        for key, avg in ema.avg_parameters.items():
            if avg.dtype.is_floating_point:
                ema.avg_func(avg.data, src[key].data.to(avg.device),
                             ema.steps)
    if not ema.update_buffers:
        ema.sync_buffers(gen)
    ema.steps.add_(1)
    model._ema_steps = (steps + 1, ema.steps, ema.steps._version)


def _ema_host_steps(model: nn.Module) -> int:
    """The EMA's step count, read from its buffer only when something
    other than :func:`update_ema` changed that buffer last (building,
    loading a checkpoint, moving the model: once per run or resume)."""
    known = getattr(model, '_ema_steps', None)
    buf = model.generator_ema.steps
    if known is not None and known[1] is buf and \
            known[2] == buf._version:
        return known[0]
    return int(buf.item())
