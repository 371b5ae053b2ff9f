"""What the test modules share (import as ``helpers``): constants, markers
and tiny run options here; data files in :mod:`helpers.data_formats`,
fake models and metric feeding in :mod:`helpers.evaluation`, tiny trained
checkpoints for inference in :mod:`helpers.inference`, tiny comparison
configs in :mod:`helpers.compare`.

Kept out of ``conftest.py`` so that test folders with conftests of their own
do not shadow them.
"""
import importlib
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, 'tools')
FASHION_MNIST_ROOT = '/usr/share/datasets/fashion-mnist'
#: The README's main config, and the same with MMagic's MS-SSIM as its only
#: test metric (for tests of tools/test.py: no classifier or Inception).
FM_CONFIG = os.path.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')
FM_TEST_CONFIG = os.path.join(ROOT, 'tests', 'configs',
                              'alpha_gan_fm_ms_ssim.py')


def tool(name: str):
    """The module ``tools/<name>.py`` (e.g. ``tool('train').main(argv)``,
    ``tool('benchmarks/benchmark_prdc')``)."""
    folder, _, module = name.rpartition('/')
    for path in (TOOLS, os.path.join(TOOLS, folder)):
        if path not in sys.path:
            sys.path.insert(0, path)
    return importlib.import_module(module)

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


def _config(path):
    from mmengine.config import Config
    return Config.fromfile(path)


def metric_index(config, evaluator: str, metric_type: str) -> int:
    """Position of the metric of type ``metric_type`` in ``evaluator``
    (``'val_evaluator'`` / ``'test_evaluator'``) of a config file or
    ``Config``; an AssertionError unless there is exactly one."""
    cfg = _config(config) if isinstance(config, str) else config
    found = [i for i, m in enumerate(cfg[evaluator]['metrics'])
             if m['type'] == metric_type]
    assert len(found) == 1, (evaluator, metric_type, found)
    return found[0]


def metric_options(config, evaluator: str, metric_type: str, **values):
    """``--cfg-options`` setting ``values`` on the metric of type
    ``metric_type`` of ``evaluator``, wherever the config lists it."""
    i = metric_index(config, evaluator, metric_type)
    return [f'{evaluator}.metrics.{i}.{k}={v}' for k, v in values.items()]


#: 16 px images in batches of 8: 64 training and 32 test images.
TINY_DATA = [
    'train_dataloader.batch_size=8', 'val_dataloader.batch_size=8',
    'train_dataloader.dataset.image_size=16',
    'train_dataloader.dataset.num_images=64',
    'val_dataloader.dataset.image_size=16',
    'val_dataloader.dataset.num_images=32',
    'test_dataloader.dataset.image_size=16',
    'test_dataloader.dataset.num_images=32',
]
#: 16 px networks, by config key (only those a config has are shrunk).
TINY_NETWORKS = dict(
    generator=['model.noise_size=8', 'model.generator.output_scale=16',
               'model.generator.base_channels=16'],
    discriminator=['model.discriminator.input_scale=16',
                   'model.discriminator.base_channels=8'],
    encoder=['model.encoder.input_scale=16', 'model.encoder.base_channels=8'],
    code_discriminator=['model.code_discriminator.hidden_channels=16'])


def tiny_run_options(config, iters=4, val_interval=None,
                     checkpoint_interval=2):
    """``--cfg-options`` that turn a Fashion-MNIST config of this repo into
    a 16x16 run of seconds on a CPU: small networks (those the config's
    model has), :data:`TINY_DATA`, a logger line per iteration, a small
    AutoEncodingVisHook and 16 samples for MMagic's MS_SSIM (found by type).

    Args:
        config: The config file.
        iters: ``train_cfg.max_iters`` (None: the config's).
        val_interval: ``train_cfg.val_interval`` (None: ``iters``).
        checkpoint_interval: ``default_hooks.checkpoint.interval`` (None:
            the config's).
    """
    cfg = _config(config)
    opts = [o for net, net_opts in TINY_NETWORKS.items()
            if net in cfg.model for o in net_opts]
    opts += TINY_DATA + ['default_hooks.logger.interval=1']
    val_interval = iters if val_interval is None else val_interval
    if iters is not None:
        opts.append(f'train_cfg.max_iters={iters}')
    if val_interval is not None:
        opts.append(f'train_cfg.val_interval={val_interval}')
    if checkpoint_interval is not None:
        opts.append(f'default_hooks.checkpoint.interval={checkpoint_interval}')
    for i, hook in enumerate(cfg.get('custom_hooks') or []):
        if hook['type'] == 'AutoEncodingVisHook':
            opts += [f'custom_hooks.{i}.interval=2',
                     f'custom_hooks.{i}.num_samples=16',
                     f'custom_hooks.{i}.num_recons=8']
    for evaluator in ('val_evaluator', 'test_evaluator'):
        if any(m['type'] == 'MS_SSIM' for m in cfg[evaluator]['metrics']):
            opts += metric_options(cfg, evaluator, 'MS_SSIM', fake_nums=16)
    return opts


def narrow_run_options(cfg, data):
    """``--cfg-options`` for a GPU config (CelebA, CIFAR-10) of this repo
    keeping its image size: narrow networks, batches of 8 read in the main
    process, the data sets' settings in ``data`` (``{split: {key:
    value}}``), 2 iterations validated at the end, small grids and 16
    samples for the validation's SamplePairMSSSIM."""
    opts = [f'model.{net}.base_channels={width}'
            for net, width in (('generator', 32), ('discriminator', 8),
                               ('encoder', 8)) if net in cfg.model]
    if 'code_discriminator' in cfg.model:
        opts.append('model.code_discriminator.hidden_channels=16')
    for split in ('train', 'val', 'test'):
        opts += [f'{split}_dataloader.batch_size=8',
                 f'{split}_dataloader.num_workers=0',
                 f'{split}_dataloader.persistent_workers=False']
        opts += [f'{split}_dataloader.dataset.{k}={v}'
                 for k, v in data[split].items()]
    opts += ['train_cfg.max_iters=2', 'train_cfg.val_interval=2',
             'default_hooks.checkpoint.interval=2',
             'default_hooks.logger.interval=1']
    for i, hook in enumerate(cfg.custom_hooks):
        if hook['type'] == 'AutoEncodingVisHook':
            opts += [f'custom_hooks.{i}.interval=2',
                     f'custom_hooks.{i}.num_samples=8',
                     f'custom_hooks.{i}.num_recons=8']
    opts += metric_options(cfg, 'val_evaluator', 'SamplePairMSSSIM',
                           fake_nums=16, win_size=3)
    return opts


def options_dict(options):
    """``KEY=VALUE`` options as the dict ``--cfg-options`` makes of them
    (values parsed by mmengine's ``DictAction``), e.g. for the
    ``cfg_options`` of a comparison config."""
    from mmengine.config import DictAction
    return {k: DictAction._parse_iterable(v)
            for k, v in (o.split('=', 1) for o in options)}


def without(options, *prefixes):
    """``options`` without those starting with one of ``prefixes``."""
    return [o for o in options if not o.startswith(prefixes)]


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


#: The tiny run options of the README's config (4 iterations, checkpoints
#: at 2 and 4) and of its MS-SSIM test variant.
TINY = tiny_run_options(FM_CONFIG)
TINY_TEST = tiny_run_options(FM_TEST_CONFIG)
#: AGE on Fashion-MNIST and its tiny run options (2 iterations).
AGE_CONFIG = os.path.join(ROOT, 'configs', 'age_fashion_mnist.py')
AGE_TINY = tiny_run_options(AGE_CONFIG, iters=2)


def count_phase_calls(model) -> dict:
    """Wrap every phase method of ``model`` (its ``PHASES``) to count its
    calls; returns the live dict network -> calls."""
    calls = dict.fromkeys(model.PHASES, 0)
    for net, method in model.PHASES.items():
        original = getattr(model, method)

        def counted(real, nets=None, _net=net, _orig=original):
            calls[_net] += 1
            return _orig(real, nets)

        setattr(model, method, counted)
    return calls
