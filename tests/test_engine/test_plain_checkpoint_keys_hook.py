"""PlainCheckpointKeysHook and engine.checkpoint_keys: checkpoints name the
networks the same way however the model is wrapped."""
from collections import OrderedDict
from types import SimpleNamespace

import torch
import torch.nn as nn
from mmengine.registry import MODEL_WRAPPERS

from alpha_gan_plugin.engine.checkpoint_keys import (plain_keys,
                                                     plain_model_state,
                                                     wrapper_prefixes)
from alpha_gan_plugin.engine.hooks import PlainCheckpointKeysHook


@MODEL_WRAPPERS.register_module()
class _TestOnlyWrapper(nn.Module):
    """Stands in for DDP: a model wrapper holding ``module``."""

    def __init__(self, module):
        super().__init__()
        self.module = module


class TwoNets(nn.Module):
    def __init__(self, wrap):
        super().__init__()
        self.generator = nn.Linear(2, 3)
        self.discriminator = nn.Linear(3, 1)
        if wrap:  # as MMSeparateDistributedDataParallel wraps each network
            self.generator = _TestOnlyWrapper(self.generator)


def test_plain_keys_for_saving_and_loading():
    wrapped = TwoNets(wrap=True)
    assert wrapper_prefixes(wrapped) == ['generator.module.']
    assert list(wrapped.state_dict())[0] == 'generator.module.weight'
    plain = list(plain_model_state(wrapped))
    assert plain == list(TwoNets(wrap=False).state_dict())
    # saving: known prefixes, and a whole-model wrapper's leading module.
    saved = OrderedDict(('module.' + k, v)
                        for k, v in wrapped.state_dict().items())
    assert list(plain_keys(saved, wrapper_prefixes(wrapped))) == plain
    # loading an old checkpoint with wrapped names into a plain model: only
    # keys whose plain form the model has are renamed
    old = OrderedDict([('generator.module.weight', 1),
                       ('other.module.x', 2)])
    assert list(plain_keys(old, model_keys=set(plain))) == [
        'generator.weight', 'other.module.x']


def test_hook_renames_saved_and_loaded_keys():
    model = TwoNets(wrap=True)
    runner = SimpleNamespace(model=model)
    hook = PlainCheckpointKeysHook()
    ckpt = dict(state_dict=model.state_dict())
    hook.before_save_checkpoint(runner, ckpt)
    assert 'generator.weight' in ckpt['state_dict']
    loaded = dict(state_dict=OrderedDict(
        (k, torch.zeros(1)) for k in model.state_dict()))
    hook.after_load_checkpoint(SimpleNamespace(model=TwoNets(wrap=False)),
                               loaded)
    assert list(loaded['state_dict']) == list(
        TwoNets(wrap=False).state_dict())
