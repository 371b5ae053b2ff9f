"""State-dict key names without the marks of distributed wrappers.

Under ``MMSeparateDistributedDataParallel`` every network of a GAN is its own
DDP wrapper, so ``model.state_dict()`` says ``generator.module.x`` where
mmengine's loader (which unwraps wrappers) and a single-process run say
``generator.x``. A whole-model wrapper adds a leading ``module.``.
"""
from collections import OrderedDict
from typing import Iterable, List, Optional

import torch.nn as nn
from mmengine.model import is_model_wrapper

from ..utils.autoencoder import unwrap

_MODULE = 'module.'


def strip_leading_module(state: dict) -> 'OrderedDict':
    """``state`` with the leading ``module.`` of a whole-model wrapper
    removed from its keys (as mmengine's loader does)."""
    return OrderedDict(
        (k[len(_MODULE):] if k.startswith(_MODULE) else k, v)
        for k, v in state.items())


def wrapper_prefixes(model: nn.Module) -> List[str]:
    """The ``'<name>.module.'`` prefixes of the networks of ``model`` that
    are wrapped, longest first."""
    prefixes = [f'{name}.{_MODULE}'
                for name, m in unwrap(model).named_modules()
                if name and is_model_wrapper(m)]
    return sorted(prefixes, key=len, reverse=True)


def plain_keys(state: dict, wrapper_prefixes: Iterable[str] = (),
               model_keys: Optional[set] = None) -> 'OrderedDict':
    """``state`` with the wrappers' ``module.`` parts dropped from its keys.

    Args:
        state: A state dict.
        wrapper_prefixes: Known ``'<name>.module.'`` prefixes (see
            :func:`wrapper_prefixes`); keys starting with one lose its
            ``module.`` (saving a wrapped model).
        model_keys: The plain keys of the model that will load ``state``; a
            key holding ``.module.`` is renamed when only its plain form is
            one of them (loading a checkpoint saved with wrapped names).

    Returns:
        OrderedDict: The same values under the plain keys, in order.
    """
    out = OrderedDict()
    for key, value in strip_leading_module(state).items():
        for prefix in wrapper_prefixes:
            if key.startswith(prefix):
                key = prefix[:-len(_MODULE)] + key[len(prefix):]
                break
        if model_keys is not None and key not in model_keys and \
                f'.{_MODULE}' in key:
            plain = key.replace(f'.{_MODULE}', '.', 1)
            if plain in model_keys:
                key = plain
        out[key] = value
    return out


def plain_model_state(model: nn.Module) -> 'OrderedDict':
    """``model``'s state dict (inside any wrapper) under the keys a
    single-process run gives it."""
    return plain_keys(unwrap(model).state_dict(), wrapper_prefixes(model))
