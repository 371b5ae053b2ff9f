"""DataShardCheckHook: refuse a launch with more processes than the data can
feed."""
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook

from mmagic.registry import HOOKS


def check_shard_capacity(num_samples: int, world_size: int, batch_size: int,
                         what: str) -> None:
    """Raise ``ValueError`` if ``world_size`` processes cannot each get a
    full batch of distinct samples from ``num_samples``."""
    need = world_size * batch_size
    if world_size > 1 and num_samples < need:
        raise ValueError(
            f'{what} has {num_samples} samples but {world_size} processes x '
            f'batch_size {batch_size} need {need} distinct samples per step: '
            f'launch at most {max(num_samples // batch_size, 1)} processes '
            f'(NPROC of tools/dist_train.sh), or lower the batch_size to '
            f'{max(num_samples // world_size, 1)}, or add data')


@HOOKS.register_module()
class DataShardCheckHook(Hook):
    """Refuse a launch with more processes than the data can feed.

    Every rank must get a full batch of distinct training samples per step;
    for testing, each rank must get at least one sample.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        _, world_size = get_dist_info()
        loader = runner.train_dataloader
        check_shard_capacity(
            len(loader.dataset), world_size, loader.batch_size or 1,
            'train_dataloader.dataset')

    def before_test(self, runner) -> None:
        _, world_size = get_dist_info()
        loaders = getattr(runner.test_loop, 'dataloaders', None) or [
            runner.test_loop.dataloader
        ]
        for loader in loaders:
            check_shard_capacity(
                len(loader.dataset), world_size, 1,
                'test_dataloader.dataset')
