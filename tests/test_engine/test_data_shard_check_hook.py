"""DataShardCheckHook: a launch with more processes than the data can feed
is refused."""
import pytest

from alpha_gan_plugin.engine.hooks.data_shard_check_hook import (
    DataShardCheckHook, check_shard_capacity)


def test_more_processes_than_data_is_refused():
    check_shard_capacity(64, 2, 8, 'train')  # enough: no error
    check_shard_capacity(4, 1, 8, 'train')  # one process: always fed
    with pytest.raises(ValueError, match=r'launch at most 1 processes '
                       r'\(NPROC.*batch_size to 6'):
        check_shard_capacity(12, 2, 8, 'train_dataloader.dataset')


def test_data_shard_hook_uses_world_size(monkeypatch):
    from alpha_gan_plugin.engine.hooks import data_shard_check_hook as module

    class Loader:
        dataset = list(range(12))
        batch_size = 8

    class FakeRunner:
        train_dataloader = Loader()

    hook = DataShardCheckHook()
    monkeypatch.setattr(module, 'get_dist_info', lambda: (0, 1))
    hook.before_train(FakeRunner())
    monkeypatch.setattr(module, 'get_dist_info', lambda: (0, 2))
    with pytest.raises(ValueError, match='2 processes x batch_size 8'):
        hook.before_train(FakeRunner())
