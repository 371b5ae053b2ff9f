"""CheckpointCompatibilityHook: one clear error for a checkpoint that does
not fit the model."""
from typing import List

from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ...utils import unwrap
from ..checkpoint_keys import plain_model_state, strip_leading_module


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


@HOOKS.register_module()
class CheckpointCompatibilityHook(Hook):
    """Refuse checkpoints that do not fit the model, with one clear error.

    mmengine loads checkpoints non-strictly: a checkpoint of another model
    (e.g. MMagic's DCGAN, which has no encoder) or of other widths is
    "loaded" with pages of warnings and leaves random weights behind. This
    hook compares names and shapes first (``after_load_checkpoint`` runs
    before the weights are copied) and raises ``ValueError``. Names are
    compared as mmengine's loader will use them, i.e. after
    :class:`PlainCheckpointKeysHook` (when present) has renamed them.

    Args:
        allow_partial: Accept checkpoints with missing/extra tensors (but
            never shape mismatches), e.g. to initialise only some networks.
    """

    priority = 'VERY_HIGH'

    def __init__(self, allow_partial: bool = False):
        self.allow_partial = allow_partial

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('state_dict', checkpoint)
        problems = compatibility_problems(plain_model_state(runner.model),
                                          state)
        if self.allow_partial:
            problems = [p for p in problems if 'other shapes' in p]
        if not problems:
            return
        source = runner.cfg.get('load_from') or 'the checkpoint'
        trained = checkpoint.get('meta', {}).get('experiment_name')
        wrapped = any('.module.' in k for k in state)
        raise ValueError(
            f'{source} does not fit this {type(unwrap(runner.model)).__name__}'
            f' model: {"; ".join(problems)}. It was trained with another '
            f'config{f" (run {trained})" if trained else ""}: use that config '
            f'(or set the same widths, noise_size and image size), or pick a '
            f'checkpoint of this model. To load only the matching networks '
            f'deliberately, add CheckpointCompatibilityHook('
            f'allow_partial=True) to custom_hooks.' +
            (' Its keys carry the ".module." of distributed wrappers: add '
             'PlainCheckpointKeysHook to custom_hooks to load them.'
             if wrapped else ''))
