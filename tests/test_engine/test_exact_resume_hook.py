"""ExactResumeHook: kill-and-resume is bit-identical."""
import os
import os.path as osp
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from helpers import (FM_CONFIG, TOOLS, needs_fashion_mnist,
                     tiny_run_options, tool)

train_tool = tool('train')
TINY = tiny_run_options(FM_CONFIG)

N = 24
# Every random stream in play: a stochastic encoder (encoder noise), prior
# samples, shuffled data, plus validation and visualisation between
# iterations, which draw from the same global generators.
OPTS = [
    *TINY, f'train_cfg.max_iters={N}', 'train_cfg.val_interval=8',
    'default_hooks.checkpoint.interval=4',
    'default_hooks.checkpoint.max_keep_ckpts=2', 'model.encoder.noise_size=4'
]


def assert_identical(a, b, where=''):
    if torch.is_tensor(a):
        assert torch.is_tensor(b) and a.dtype == b.dtype and \
            a.shape == b.shape and torch.equal(a, b), where
    elif isinstance(a, np.ndarray):
        assert np.array_equal(a, b), where
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for k in a:
            assert_identical(a[k], b[k], f'{where}.{k}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f'{where}[{i}]')
    else:
        assert a == b, where


def load(path):
    return torch.load(path, map_location='cpu')


@needs_fashion_mnist
@pytest.mark.parametrize('mode_opts', [
    [],
    # the shared step, with an EMA generator (its step count is kept on the
    # host and must be re-read from the checkpoint)
    ['model.update_mode=shared', 'model.ema_config.momentum=0.01'],
], ids=['alternating', 'shared-ema'])
def test_sigkill_and_resume_is_bit_identical(tmp_path, one_thread,
                                             mode_opts):
    OPTS = [*globals()['OPTS'], *mode_opts]
    ref = str(tmp_path / 'ref')
    train_tool.main([FM_CONFIG, '--work-dir', ref, '--cfg-options', *OPTS])

    # the same run in a child process, SIGKILLed at a random moment after
    # its first checkpoint
    work = str(tmp_path / 'killed')
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    child = subprocess.Popen(
        [sys.executable, osp.join(TOOLS, 'train.py'), FM_CONFIG,
         '--work-dir', work, '--cfg-options', *OPTS],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    delay = random.uniform(0.0, 1.0)
    try:
        deadline = time.time() + 240
        while not osp.isfile(osp.join(work, 'last_checkpoint')):
            assert child.poll() is None, 'the child run died on its own'
            assert time.time() < deadline, 'no checkpoint within 240 s'
            time.sleep(0.02)
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert not osp.isfile(osp.join(work, f'iter_{N}.pth')), \
        f'the child finished within {delay:.2f} s; nothing was interrupted'
    with open(osp.join(work, 'last_checkpoint')) as f:
        resumed_from = f.read().strip()
    assert osp.isfile(resumed_from)
    intermediate = load(resumed_from)  # pruned later by max_keep_ckpts

    train_tool.main([FM_CONFIG, '--work-dir', work, '--resume',
                     '--cfg-options', *OPTS])

    a, b = load(osp.join(ref, f'iter_{N}.pth')), load(
        osp.join(work, f'iter_{N}.pth'))
    nets = ('encoder', 'generator', 'discriminator', 'code_discriminator')
    for net in nets:
        assert any(k.startswith(net + '.') for k in a['state_dict'])
    assert_identical(a['state_dict'], b['state_dict'], 'state_dict')
    if mode_opts:
        assert any(k.startswith('generator_ema.') for k in a['state_dict'])
    assert set(a['optimizer']) >= set(nets)
    assert_identical(a['optimizer'], b['optimizer'], 'optimizer')
    assert_identical(a['meta']['exact_resume']['rng'],
                     b['meta']['exact_resume']['rng'], 'rng')
    # the checkpoint the killed run left is the reference's one
    step = intermediate['meta']['iter']
    assert 4 <= step < N and step % 4 == 0
    assert intermediate['meta']['exact_resume']['iter'] == step


@needs_fashion_mnist
def test_resume_without_the_hook_would_differ(tmp_path, one_thread):
    """The hook matters: resuming with RNG restoration disabled diverges."""
    from alpha_gan_plugin.engine import rng_state
    opts = [*OPTS, 'train_cfg.max_iters=8']
    ref = str(tmp_path / 'ref')
    train_tool.main([FM_CONFIG, '--work-dir', ref, '--cfg-options', *opts])
    work = str(tmp_path / 'cut')
    train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                     *OPTS, 'train_cfg.max_iters=4'])
    real = rng_state.restore_rng_state
    calls = []
    try:
        rng_state.restore_rng_state = lambda state: calls.append(1)
        train_tool.main([FM_CONFIG, '--work-dir', work, '--resume',
                         '--cfg-options', *opts])
    finally:
        rng_state.restore_rng_state = real
    assert calls  # the hook would have restored a state
    a, b = load(osp.join(ref, 'iter_8.pth')), load(
        osp.join(work, 'iter_8.pth'))
    assert not torch.equal(a['state_dict']['encoder.to_code.weight'],
                           b['state_dict']['encoder.to_code.weight'])
