# The runtime of every config of the plugin: MMagic's GAN runtime plus the
# plugin's reliability hooks, so that tools/train.py, MMagic's own
# tools/train.py, `mim train` and a plain `Runner.from_cfg(cfg)` behave the
# same (the tools add nothing this file does not say):
#   - AtomicCheckpointHook: checkpoints written whole (temp file + rename),
#     never one with non-finite weights (replaces mmengine's CheckpointHook);
#   - ExactResumeHook: a resumed run continues bit-exactly (RNG states and
#     the sampler's position are saved with each checkpoint);
#   - PlainCheckpointKeysHook: checkpoint keys without DDP's ".module.";
#   - CheckpointCompatibilityHook: a checkpoint of another model is one
#     clear error, not random weights;
#   - DataShardCheckHook: every rank gets a full batch of distinct images.
# A leaf that sets custom_hooks keeps these with
#   custom_hooks = _base_.custom_hooks + [dict(type='MyHook')]
_base_ = 'mmagic::_base_/gen_default_runtime.py'

custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook'))
custom_hooks = [
    dict(type='ExactResumeHook'),
    dict(type='PlainCheckpointKeysHook'),
    dict(type='CheckpointCompatibilityHook'),
    dict(type='DataShardCheckHook'),
]
