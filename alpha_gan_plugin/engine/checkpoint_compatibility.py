"""Whether a checkpoint's state dict fits a model: the pure check shared by
:class:`~alpha_gan_plugin.engine.hooks.CheckpointCompatibilityHook` (Runner
loads) and the inferencer's strict loading."""
from typing import List

from .checkpoint_keys import strip_leading_module


def _networks(keys) -> List[str]:
    return sorted({k.split('.')[0] for k in keys})


def compatibility_problems(model_state: dict, ckpt_state: dict) -> List[str]:
    """Differences between a model's and a checkpoint's state dicts, one
    sentence each (empty when the checkpoint fits)."""
    ckpt_state = strip_leading_module(ckpt_state)
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
            f'{_networks(s[0] for s in shapes)}; e.g. {k}: checkpoint {c} vs '
            f'model {m}), i.e. other widths/latent size/image size')
    if missing:
        problems.append(f'{len(missing)} model tensors are missing from the '
                        f'checkpoint (networks {_networks(missing)}; e.g. '
                        f'{missing[0]})')
    if unexpected:
        problems.append(f'{len(unexpected)} checkpoint tensors have no place '
                        f'in the model (networks {_networks(unexpected)}; '
                        f'e.g. {unexpected[0]})')
    return problems
