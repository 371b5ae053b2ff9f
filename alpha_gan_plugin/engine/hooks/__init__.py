"""The plugin's hooks, one a file, registered into ``mmagic.registry.HOOKS``.

``tools/train.py`` and ``tools/test.py`` add the reliability hooks
(:class:`ExactResumeHook`, :class:`PlainCheckpointKeysHook`,
:class:`CheckpointCompatibilityHook`, :class:`DataShardCheckHook`, and
:class:`AtomicCheckpointHook` in place of ``CheckpointHook``) to every run;
with MMagic's own tools list them in ``custom_hooks`` and set
``default_hooks.checkpoint.type='AtomicCheckpointHook'``.
"""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .auto_encoding_vis_hook import AutoEncodingVisHook
from .checkpoint_compatibility_hook import CheckpointCompatibilityHook
from .data_shard_check_hook import DataShardCheckHook
from .exact_resume_hook import ExactResumeHook
from .metrics_log_hook import MetricsLogHook
from .param_sync_check_hook import ParamSyncCheckHook
from .plain_checkpoint_keys_hook import PlainCheckpointKeysHook
from .train_progress_hook import TrainProgressHook
from .train_time_budget_hook import TrainTimeBudgetHook

__all__ = [
    'AtomicCheckpointHook', 'AutoEncodingVisHook',
    'CheckpointCompatibilityHook', 'DataShardCheckHook', 'ExactResumeHook',
    'MetricsLogHook', 'ParamSyncCheckHook', 'PlainCheckpointKeysHook',
    'TrainProgressHook', 'TrainTimeBudgetHook'
]
