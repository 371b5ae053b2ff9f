"""Training machinery: hooks (registered into ``mmagic.registry.HOOKS``),
the records a run leaves in its work dir, image grids."""
from .hooks import (AtomicCheckpointHook, AutoEncodingVisHook,
                    CheckpointCompatibilityHook, DataShardCheckHook,
                    ExactResumeHook, MetricsLogHook, ParamSyncCheckHook,
                    PlainCheckpointKeysHook, TrainProgressHook,
                    TrainTimeBudgetHook)
from .image_grids import make_grid

__all__ = [
    'AtomicCheckpointHook', 'AutoEncodingVisHook',
    'CheckpointCompatibilityHook', 'DataShardCheckHook', 'ExactResumeHook',
    'MetricsLogHook', 'ParamSyncCheckHook', 'PlainCheckpointKeysHook',
    'TrainProgressHook', 'TrainTimeBudgetHook', 'make_grid'
]
