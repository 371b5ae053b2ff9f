"""PlainCheckpointKeysHook: checkpoints name networks the same way however
the model is wrapped."""
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ..checkpoint_keys import plain_keys, plain_model_state, wrapper_prefixes


@HOOKS.register_module()
class PlainCheckpointKeysHook(Hook):
    """Save and load state-dict keys without the wrappers' ``.module.``.

    With ``MMSeparateDistributedDataParallel`` (MMagic's wrapper for GANs on
    several GPUs) every network is wrapped on its own and the saved keys
    read ``generator.module.x``; mmengine's loader expects ``generator.x``.
    This hook renames the keys of every saved checkpoint to the plain form,
    and those of a loaded checkpoint (e.g. one saved before this hook) to the
    plain form where the model has it, before mmengine copies the weights.
    A checkpoint is then the same file whatever the process count or wrapper.

    Runs before :class:`CheckpointCompatibilityHook` (priority
    ``'HIGHEST'``), which compares the renamed keys with the model's.
    """

    priority = 'HIGHEST'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        prefixes = wrapper_prefixes(runner.model)
        if prefixes and 'state_dict' in checkpoint:
            checkpoint['state_dict'] = plain_keys(checkpoint['state_dict'],
                                                  prefixes)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'state_dict' in checkpoint:
            checkpoint['state_dict'] = plain_keys(
                checkpoint['state_dict'],
                model_keys=set(plain_model_state(runner.model)))
