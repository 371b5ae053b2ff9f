"""The phase schedule of auto-encoding GANs and its divergence stop."""
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

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


class FiniteLossCheck:
    """The NaN/inf check of one iteration's losses, with one host read.

    Losses are recorded on their device as the updates compute them
    (:meth:`add`); :meth:`raise_if_not_finite` then reads one flag per
    recorded loss from the device in a single transfer (with several
    processes, after one all-reduce of every rank's flags), so an iteration
    synchronises with the host once however many updates it makes. When a
    loss is not finite on any rank, every rank raises ``FloatingPointError``
    naming the first such network (in update order), the rank(s) and the
    iteration, so that no rank is left waiting in the next collective.

    Args:
        model_name: For messages.
        curr_iter: The 0-based training iteration, for messages.
    """

    def __init__(self, model_name: str, curr_iter: int):
        self.model_name = model_name
        self.curr_iter = curr_iter
        self._entries: List[Tuple[str, Tensor, Dict[str, Tensor]]] = []
        self._checked = 0

    def add(self, network: str, loss: Tensor,
            losses: Dict[str, Tensor]) -> None:
        """Record the total ``loss`` of an update of ``network`` and its
        named terms (for the message)."""
        self._entries.append((network, loss.detach(), losses))

    def raise_if_not_finite(self) -> None:
        """Check the losses recorded since the last check (nothing to do,
        and no synchronisation, when there are none)."""
        entries = self._entries[self._checked:]
        self._checked = len(self._entries)
        if not entries:
            return
        bad = torch.stack([~torch.isfinite(loss).all()
                           for _, loss, _ in entries]).float()
        world = get_world_size()
        if world > 1:
            flags = bad.new_zeros(world, len(entries))
            flags[get_rank()] = bad
            all_reduce(flags, op='sum')
        else:
            flags = bad.unsqueeze(0)
        table = flags.tolist()  # the one host read
        for i, (network, loss, losses) in enumerate(entries):
            ranks = [r for r in range(world) if table[r][i]]
            if ranks:
                self._raise(network, loss, losses, ranks, world)

    def _raise(self, network: str, loss: Tensor, losses: Dict[str, Tensor],
               bad_ranks: List[int], world: int) -> None:
        where = '' if world == 1 else (
            f' (not finite on rank(s) {bad_ranks} of {world}; this is rank '
            f'{get_rank()})')
        raise FloatingPointError(
            f'{self.model_name} diverged: the {network} loss is '
            f'{loss.item()}{where} at iteration {self.curr_iter + 1} '
            f'({ {k: float(v) for k, v in losses.items()} }); the run stops '
            f'before any checkpoint holds it. Resume from the last '
            f'checkpoint in the work dir with a lower learning rate for '
            f'{network}.')
