"""The phase schedule of auto-encoding GANs and its divergence stop."""
from collections import OrderedDict
from typing import Dict, Optional

import torch
from mmengine.dist import all_reduce, get_rank, get_world_size
from torch import Tensor

from ...utils.validators import reject_unknown_keys


def resolve_schedule(defaults: Dict[str, int], step_keys: Dict[str, str],
                     schedule: Optional[dict], steps: Dict[str, Optional[int]],
                     model_name: str) -> 'OrderedDict[str, int]':
    """Updates per iteration of every network, in update order.

    Args:
        defaults: Every network in update order, with its default count.
        step_keys: MMagic's step keys (``generator_steps``, ...) -> the
            network each one sets.
        schedule: The config's ``train_schedule`` (None = defaults).
        steps: The config's values of the step keys (None = not set).
        model_name: For messages.

    Returns:
        OrderedDict: network -> updates per iteration (ints >= 1).
    """
    schedule = dict(schedule or {})
    reject_unknown_keys(f'{model_name} train_schedule',
                        set(schedule) - set(defaults), defaults,
                        'model.train_schedule')
    for key, value in steps.items():
        if value is None:
            continue
        net = step_keys[key]
        if net in schedule and schedule[net] != value:
            raise ValueError(
                f'{key}={value!r} and train_schedule.{net}={schedule[net]!r} '
                f'disagree: both set the updates per iteration of the {net}; '
                f'set only one of them (an inherited {key} is removed by '
                f'model=dict(_delete_=True, ...) or by setting '
                f'{key}={schedule[net]!r})')
        schedule[net] = value
    table = OrderedDict()
    for name, default in defaults.items():
        count = schedule.get(name, default)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f'train_schedule.{name} must be an int >= 1, '
                             f'got {count!r}')
        table[name] = count
    return table


def stop_if_not_finite(model_name: str, network: str, loss: Tensor,
                       losses: Dict[str, Tensor], curr_iter: int) -> None:
    """Raise ``FloatingPointError`` on every rank when ``loss`` is NaN/inf
    on any rank, so that no rank is left waiting in the next collective
    operation; the message names the network, the rank(s) and the
    iteration."""
    bad = not bool(torch.isfinite(loss.detach()).all())
    world = get_world_size()
    if world > 1:
        flags = torch.zeros(world, dtype=torch.float32, device=loss.device)
        flags[get_rank()] = float(bad)
        all_reduce(flags, op='sum')
        bad_ranks = [int(r) for r in torch.nonzero(flags).flatten().tolist()]
    else:
        bad_ranks = [0] if bad else []
    if not bad_ranks:
        return
    where = '' if world == 1 else (
        f' (not finite on rank(s) {bad_ranks} of {world}; this is rank '
        f'{get_rank()})')
    raise FloatingPointError(
        f'{model_name} diverged: the {network} loss is {loss.item()}{where} '
        f'at iteration {curr_iter + 1} '
        f'({ {k: float(v) for k, v in losses.items()} }); no update was '
        f'applied. Resume from the last checkpoint in the work dir with a '
        f'lower learning rate for {network}.')
