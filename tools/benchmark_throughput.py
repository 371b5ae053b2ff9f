"""Training throughput of alpha-GAN under MMagic vs. its floors, side by side.

Contenders (each in its own worker process, so peak RSS is its own), for
each ``--modes`` entry (``model.update_mode``: ``alternating``, ``shared``):

* ``alpha-GAN <mode>, MMagic``: the model of ``--config`` and the
  OptimWrapperDict its ``optim_wrapper`` builds; one iteration =
  ``model.train_step``.
* ``alpha-GAN <mode>, pure PyTorch``: the same four networks (built from the
  same config, same initial weights), batch, schedule, losses and Adam
  settings, trained by a hand-written loop with plain ``torch.optim.Adam``:
  that mode's floor. The shared floor computes every loss from one forward
  pass and takes each network's gradient with ``backward(inputs=...)``.
* one contender per ``--baseline`` config (default: MMagic's DCGAN with the
  same generator and discriminator, ``configs/dcgan_fashion_mnist.py``),
  again ``model.train_step``.

``--tiny`` shrinks every network to a few channels (16x16 images), so that
compute is negligible and the table shows the per-iteration overhead of the
MMagic step over its floor in milliseconds (a proxy for a GPU, where Python
and synchronisation dominate small models).

All contenders train on the same fixed batch of real images (data loading is
excluded everywhere) with ``--threads`` intra-op threads. Workers run in
turn, never at the same time: each round gives every contender ``--iters``
iterations, in a rotating order, so slow phases of a busy machine hit all
contenders alike. The table reports the median, minimum and maximum of the
seconds of each timed iteration, and both ratios to the floor (of medians
and of minima: on a shared machine the minimum is the least disturbed). FLOPs per iteration (forward + backward,
optimizer steps excluded) come from ``torch.utils.flop_counter``.

    python tools/benchmark_throughput.py --rounds 7 --iters 5 --threads 2
    python tools/benchmark_throughput.py --tiny --rounds 7 --iters 20
"""
import argparse
import multiprocessing as mp
import os
import os.path as osp
import resource
import statistics
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from throughput_floors import pure_torch_step_fn  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--config',
                   default=osp.join(ROOT, 'configs',
                                    'alpha_gan_fashion_mnist.py'))
    p.add_argument('--baseline', nargs='*',
                   default=[osp.join(ROOT, 'configs',
                                     'dcgan_fashion_mnist.py')],
                   help='configs of other MMagic models to time alongside')
    p.add_argument('--rounds', type=int, default=7)
    p.add_argument('--iters', type=int, default=5,
                   help='iterations per contender per round')
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch-size', type=int, default=None,
                   help='default: the config\'s train batch size')
    p.add_argument('--cfg-options', nargs='+', default=[],
                   help='key=value overrides applied to every config')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--modes', nargs='+', default=['alternating', 'shared'],
                   choices=['alternating', 'shared'],
                   help='alpha-GAN update modes to time, each with its floor')
    p.add_argument('--tiny', action='store_true',
                   help='tiny networks: the per-iteration overhead in ms')
    args = p.parse_args(argv)
    for key in ('rounds', 'iters', 'threads'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key} must be >= 1')
    return args


# ---------------------------------------------------------------------------
# building blocks (run inside the workers)
# ---------------------------------------------------------------------------
def _load_cfg(path, options):
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(path)
    if options:
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='o')(None, ns, options)
        cfg.merge_from_dict(ns.o)
    return cfg


def _setup(threads, seed):
    import warnings
    warnings.filterwarnings('ignore', category=FutureWarning)
    warnings.filterwarnings('ignore', category=DeprecationWarning)
    import torch
    from _common import ensure_importable
    ensure_importable()
    import alpha_gan_plugin  # noqa: F401
    from mmengine.logging import MMLogger
    from mmagic.utils import register_all_modules
    # keep the table readable: no per-parameter init messages
    MMLogger.get_instance('benchmark_throughput', log_level='WARNING')
    register_all_modules(init_default_scope=True)
    torch.set_num_threads(threads)
    torch.manual_seed(seed)


def _real_batch(cfg, batch_size):
    from mmengine.dataset import pseudo_collate
    from mmagic.registry import DATASETS
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    return pseudo_collate([dataset[i] for i in range(batch_size)])


def _build_mmagic(cfg):
    from mmengine.optim import build_optim_wrapper
    from mmagic.registry import MODELS
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    return model, optim


def _mmagic_step_fn(cfg, data):
    from mmengine import MessageHub
    model, optim = _build_mmagic(cfg)
    hub = MessageHub.get_current_instance()
    state = dict(it=0)

    def step():
        hub.update_info('iter', state['it'])
        model.train_step(data, optim)
        state['it'] += 1
    return step


def _rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return float('nan')


#: --tiny: networks of a few channels on 16x16 images (any model of ours).
TINY_OPTIONS = [
    'train_dataloader.dataset.image_size=16',
    'model.generator.output_scale=16', 'model.generator.base_channels=8',
    'model.discriminator.input_scale=16',
    'model.discriminator.base_channels=4',
]
TINY_ENCODER = ['model.encoder.input_scale=16',
                'model.encoder.base_channels=4']
TINY_CODE_DISC = ['model.code_discriminator.hidden_channels=8']


def _worker(conn, kind, cfg_path, options, batch_size, threads, seed,
            warmup, tiny=False):
    """Build one contender, then time blocks of iterations on request."""
    try:
        _setup(threads, seed)
        import torch
        from torch.utils.flop_counter import FlopCounterMode
        cfg = _load_cfg(cfg_path, options)
        if tiny:  # shrink the networks this model has
            extra = list(TINY_OPTIONS)
            if cfg.model.get('discriminator') is None:
                extra = [o for o in extra if 'discriminator' not in o]
            if 'encoder' in cfg.model:
                extra += TINY_ENCODER
            if 'code_discriminator' in cfg.model:
                extra += TINY_CODE_DISC
            cfg = _load_cfg(cfg_path, list(options) + extra)
        bs = batch_size or cfg.train_dataloader.batch_size
        cfg.train_dataloader.batch_size = bs
        data = _real_batch(cfg, bs)
        step = (pure_torch_step_fn if kind == 'torch' else
                _mmagic_step_fn)(cfg, data)
        rss_built = _rss_mb()
        counter = FlopCounterMode(display=False)
        with counter:
            step()
        flops = counter.get_total_flops()
        for _ in range(warmup):
            step()
        conn.send(dict(ok=True, flops=flops, rss_built=rss_built,
                       threads=torch.get_num_threads(), batch=bs))
        while True:
            n = conn.recv()
            if n is None:
                break
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
            conn.send(times)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send(dict(peak_rss=peak))
    except Exception as err:  # report, do not hang the parent
        import traceback
        conn.send(dict(ok=False, error=f'{err}\n{traceback.format_exc()}'))
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# parent: start the workers, interleave, print the table
# ---------------------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    contenders = []
    for mode in args.modes:
        contenders += [
            (f'alpha-GAN {mode}, MMagic train_step', 'mmagic', args.config,
             mode),
            (f'alpha-GAN {mode}, pure PyTorch loop (floor)', 'torch',
             args.config, mode)]
    for path in args.baseline:
        stem = osp.splitext(osp.basename(path))[0]
        contenders.append((f'{stem}, MMagic train_step', 'mmagic', path,
                           None))
    base_opts = list(args.cfg_options)
    ctx = mp.get_context('spawn')
    workers = []
    for name, kind, path, mode in contenders:
        opts = base_opts + ([f'model.update_mode={mode}'] if mode else [])
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=_worker,
            args=(child, kind, path, opts, args.batch_size,
                  args.threads, args.seed, args.warmup, args.tiny),
            daemon=True)
        proc.start()
        workers.append(dict(name=name, conn=parent, proc=proc, times=[],
                            mode=mode, kind=kind))
    for w in workers:
        info = w['conn'].recv()
        if not info.get('ok'):
            for other in workers:
                other['proc'].kill()
            raise RuntimeError(f"{w['name']} failed:\n{info['error']}")
        w.update(info)
    for r in range(args.rounds):
        order = workers[r % len(workers):] + workers[:r % len(workers)]
        for w in order:
            w['conn'].send(args.iters)
            w['times'].extend(w['conn'].recv())
    for w in workers:
        w['conn'].send(None)
        w.update(w['conn'].recv())
        w['proc'].join(timeout=60)

    floors = {w['mode']: w for w in workers if w['kind'] == 'torch'}
    print(f"\nbatch {workers[0]['batch']}, {workers[0]['threads']} threads, "
          f"{'tiny networks, ' if args.tiny else ''}"
          f'{args.rounds} rounds x {args.iters} iterations per contender '
          f'(interleaved, rotating order); statistics over all timed '
          f'iterations; {os.cpu_count()} CPUs, load avg '
          f'{os.getloadavg()[0]:.2f}\n')
    ref = floors.get('alternating') or next(iter(floors.values()))
    print('| contender | ms/iter median | min | max | median vs own floor '
          '| min vs own floor | median vs alternating floor | GFLOP/iter '
          '| peak RSS (MB) |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    med = {id(w): statistics.median(w['times']) for w in workers}
    for w in workers:
        own = floors.get(w['mode'])
        vs_own = f"{med[id(w)] / med[id(own)]:.2f}x" if own else '-'
        vs_min = f"{min(w['times']) / min(own['times']):.2f}x" if own else '-'
        print(f"| {w['name']} | {1e3 * med[id(w)]:.1f} | "
              f"{1e3 * min(w['times']):.1f} | {1e3 * max(w['times']):.1f} | "
              f"{vs_own} | {vs_min} | {med[id(w)] / med[id(ref)]:.2f}x | "
              f"{w['flops'] / 1e9:.2f} | {w['peak_rss']:.0f} |")
    mm = {w['mode']: w for w in workers if w['kind'] == 'mmagic' and
          w['mode']}
    print()
    for mode, w in mm.items():
        over = med[id(w)] - med[id(floors[mode])]
        print(f'alpha-GAN {mode}: MMagic step - floor = {1e3 * over:.2f} '
              f'ms/iter (median)')
    if {'alternating', 'shared'} <= set(mm):
        print(f"shared / alternating (MMagic steps, median): "
              f"{med[id(mm['shared'])] / med[id(mm['alternating'])]:.2f}x")
    for w in workers:
        if w['mode'] is None:
            for mode, a in mm.items():
                print(f"alpha-GAN {mode} / {w['name'].split(',')[0]}: FLOP "
                      f"{a['flops'] / w['flops']:.2f}x, time "
                      f"{med[id(a)] / med[id(w)]:.2f}x")
    return workers


if __name__ == '__main__':
    main()
