"""CheckpointCompatibilityHook: one clear error for a checkpoint that does
not fit the model."""
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ...utils.autoencoder import unwrap
from ..checkpoint_compatibility import compatibility_problems
from ..checkpoint_keys import plain_model_state


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
