"""The base of the plugin's loss modules."""
from typing import Dict, Tuple

import torch.nn as nn

from ...utils.validators import non_negative_float, reject_unknown_keys


class PhaseLoss(nn.Module):
    """A loss module with one method per network's training phase
    (``<network>_loss``) and settings checked when it is built.

    A subclass lists its settings: ``WEIGHTS`` (numbers >= 0) and
    ``CHOICES`` (setting -> allowed strings), and passes the values it was
    given, plus any unknown config keys, to ``__init__``. The module has no
    parameters, so it adds nothing to checkpoints.
    """

    WEIGHTS: Tuple[str, ...] = ()
    CHOICES: Dict[str, Tuple[str, ...]] = {}

    def __init__(self, settings: dict, unknown: dict):
        super().__init__()
        name = type(self).__name__
        reject_unknown_keys(name, unknown,
                            ('type', *self.WEIGHTS, *self.CHOICES),
                            'model.loss_config')
        for key in self.WEIGHTS:
            setattr(self, key, non_negative_float(name, key, settings[key]))
        for key, allowed in self.CHOICES.items():
            if settings[key] not in allowed:
                raise ValueError(f'{name}: {key}={settings[key]!r} is not '
                                 f'understood; use one of {allowed}')
            setattr(self, key, settings[key])

    @property
    def settings(self) -> dict:
        """dict: The validated settings."""
        return {k: getattr(self, k) for k in (*self.WEIGHTS, *self.CHOICES)}

    def extra_repr(self) -> str:
        return ', '.join(f'{k}={v!r}' for k, v in self.settings.items())
