"""Constants and markers shared by the test modules (import as ``helpers``).

Kept out of ``conftest.py`` so that test folders with conftests of their own
do not shadow them.
"""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist'

# a 16x16, 1-channel alpha-GAN (the ``tiny_model_cfg`` fixture deep-copies it)
TINY_MODEL = dict(
    type='AlphaGAN',
    noise_size=8,
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5],
                           std=[127.5]),
    generator=dict(type='DCGANGenerator', output_scale=16, out_channels=1,
                   base_channels=16, noise_size=8),
    discriminator=dict(type='DCGANDiscriminator', input_scale=16,
                       output_scale=4, out_channels=1, in_channels=1,
                       base_channels=8),
    encoder=dict(type='AlphaGANEncoder', input_scale=16, in_channels=1,
                 base_channels=8),
    code_discriminator=dict(type='CodeDiscriminator', hidden_channels=16,
                            num_layers=2),
    loss_config=dict(rec_weight=1.0))


def has_fashion_mnist():
    return os.path.isfile(
        os.path.join(FASHION_MNIST_ROOT, 'train-images-idx3-ubyte.gz'))


needs_fashion_mnist = pytest.mark.skipif(
    not has_fashion_mnist(),
    reason='Debian package dataset-fashion-mnist not installed '
    '(tools/install.sh installs it)')


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _traced_rank(rank, target, dump_after, *args):
    """Run one rank; leave with ``os._exit(0)`` when it returns.

    A rank still running after ``dump_after`` seconds prints every thread's
    stack (into the test's captured output) and exits. Process-group
    teardown is skipped on purpose: with torch 2.1.2, gloo's
    ``destroy_process_group`` hung now and then in these tests when the
    other rank had already left (seen in such a stack dump, about one run
    in five); the results are on the queue before this point, and the
    tools themselves never call it.
    """
    import faulthandler
    import sys
    faulthandler.dump_traceback_later(dump_after, exit=True)
    target(rank, *args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_ranks(target, *args, world=2, timeout=300):
    """Run ``target(rank, port, queue, *args)`` in ``world`` spawned
    processes (torch's ``start_processes``: a rank that raises fails the
    call with its traceback and the others are stopped). Each rank puts one
    ``(rank, result)`` on ``queue``; returns ``{rank: result}``.

    A rank still running 30 s before ``timeout`` dumps its threads' stacks
    and exits; the processes are daemons and are killed when they outlive
    ``timeout``. So a hung rank fails the test, with its stack, instead of
    blocking the interpreter's exit (and with it the whole suite).
    """
    import time

    import torch.multiprocessing as mp
    queue = mp.get_context('spawn').SimpleQueue()
    context = mp.start_processes(_traced_rank,
                                 args=(target, timeout - 30, free_port(),
                                       queue, *args),
                                 nprocs=world, join=False, daemon=True,
                                 start_method='spawn')
    deadline = time.monotonic() + timeout
    try:
        while not context.join(timeout=1):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f'{world} ranks of {target.__name__} still running '
                    f'after {timeout} s')
    finally:
        for p in context.processes:
            if p.is_alive():
                p.kill()
                p.join()
    results = {}
    for _ in range(world):
        assert not queue.empty(), (
            f'ranks {sorted(set(range(world)) - set(results))} of '
            f'{target.__name__} exited without a result')
        rank, result = queue.get()
        results[rank] = result
    return results
