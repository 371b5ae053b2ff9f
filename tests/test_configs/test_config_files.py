"""The shipped configs: bases set real keys (no variables of a base leak
into a resolved config), and the runtime is in the config
(configs/_base_/runtime.py), so a plain mmengine Runner gets the plugin's
exact resume and atomic checkpoints without the plugin's tools."""
import glob
import os
import os.path as osp

import pytest
import torch

from helpers import ROOT, needs_fashion_mnist, options_dict, tiny_run_options

CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                         recursive=True)
    if '_base_' not in p.split(os.sep))
#: Names the plugin's bases and leaves use for locals (deleted before the
#: file ends); none may be a key of a resolved config.
LOCALS = {'adam', 'latent_size', 'gp', 'inception_path', 'suite', 'check',
          'classifier'}
LEFTOVER_PREFIXES = ('fm_', 'celeba_', 'cifar10_')
RUNTIME_HOOKS = ['ExactResumeHook', 'PlainCheckpointKeysHook',
                 'CheckpointCompatibilityHook', 'DataShardCheckHook']


def _load(path):
    from mmengine.config import Config
    return Config.fromfile(path)


def _name(path):
    return osp.relpath(path, osp.join(ROOT, 'configs'))


def test_configs_found():
    names = {_name(p) for p in CONFIGS}
    assert {'alpha_gan_fashion_mnist.py', 'alpha_gan_celeba.py',
            'alpha_gan_cifar10.py', 'compare/fashion_mnist.py'} <= names


@pytest.mark.parametrize('path', CONFIGS, ids=_name)
def test_no_base_variables_leak(path):
    keys = set(_load(path))
    leaked = sorted(k for k in keys
                    if k.startswith(LEFTOVER_PREFIXES) or k in LOCALS)
    assert leaked == [], f'{_name(path)} carries {leaked}'


@pytest.mark.parametrize(
    'path', [p for p in CONFIGS if '/compare/' not in p], ids=_name)
def test_runtime_hooks_in_every_model_config(path):
    cfg = _load(path)
    hooks = [h['type'] for h in cfg.custom_hooks]
    assert [h for h in hooks if h in RUNTIME_HOOKS] == RUNTIME_HOOKS, hooks
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'
    assert 'alpha_gan_plugin' in cfg.custom_imports.imports


def test_bases_hold_the_suite_as_real_keys():
    cfg = _load(osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py'))
    types = [m['type'] for m in cfg.test_evaluator.metrics]
    assert types == ['ClassifierScore', 'SamplePairMSSSIM',
                     'WassersteinCriticDistance', 'LocalFID', 'PRDC',
                     'DomainFID', 'ReconstructionMetrics']
    gan = _load(osp.join(ROOT, 'configs', 'dcgan_fashion_mnist.py'))
    assert [m['type'] for m in gan.test_evaluator.metrics] == types[:-1]
    assert gan.train_dataloader == cfg.train_dataloader


def _plain_runner(work_dir, iters, resume=False):
    """``Runner.from_cfg`` on the README's config, tiny, no plugin tool."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    path = osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')
    cfg = Config.fromfile(path)
    cfg.merge_from_dict(options_dict(
        tiny_run_options(path, iters=iters, val_interval=100)))
    cfg.work_dir = str(work_dir)
    cfg.randomness = dict(seed=5)
    cfg.resume = resume
    return Runner.from_cfg(cfg)


@needs_fashion_mnist
def test_plain_runner_has_exact_resume_and_atomic_checkpoints(tmp_path):
    from alpha_gan_plugin.engine.hooks import (AtomicCheckpointHook,
                                               ExactResumeHook)
    straight = _plain_runner(tmp_path / 'straight', iters=4)
    kinds = {type(h) for h in straight.hooks}
    assert {AtomicCheckpointHook, ExactResumeHook} <= kinds
    straight.train()
    # two iterations, then a new Runner resumes to four
    first = _plain_runner(tmp_path / 'resumed', iters=2)
    first.train()
    second = _plain_runner(tmp_path / 'resumed', iters=4, resume=True)
    second.train()
    a = torch.load(tmp_path / 'straight' / 'iter_4.pth', map_location='cpu')
    b = torch.load(tmp_path / 'resumed' / 'iter_4.pth', map_location='cpu')
    assert b['meta']['exact_resume']['iter'] == 4
    for key, value in a['state_dict'].items():
        assert torch.equal(value, b['state_dict'][key]), key
    # atomic: the work dir's pointer names the last file, no temp files
    with open(tmp_path / 'resumed' / 'last_checkpoint') as f:
        assert f.read().strip().endswith('iter_4.pth')
    leftovers = [f for f in os.listdir(tmp_path / 'resumed')
                 if '.tmp' in f]
    assert leftovers == []
