"""Training throughput of alpha-GAN under MMagic vs. its floors, side by side.

Contenders (each in its own worker process, so peak RSS is its own):

* ``alpha-GAN, MMagic``: the model of ``--config`` and the OptimWrapperDict
  its ``optim_wrapper`` builds; one iteration = ``model.train_step``.
* ``alpha-GAN, pure PyTorch``: the same four networks (built from the same
  config, same initial weights), batch, schedule, losses and Adam settings,
  trained by a hand-written loop with plain ``torch.optim.Adam``: the floor.
* one contender per ``--baseline`` config (default: MMagic's DCGAN with the
  same generator and discriminator, ``configs/dcgan_fashion_mnist.py``),
  again ``model.train_step``.

All contenders train on the same fixed batch of real images (data loading is
excluded everywhere) with ``--threads`` intra-op threads. Workers run in
turn, never at the same time: each round gives every contender ``--iters``
iterations, in a rotating order, so slow phases of a busy machine hit all
contenders alike. The table reports the median, minimum and maximum of the
seconds of each timed iteration, and both ratios to the floor (of medians
and of minima: on a shared machine the minimum is the least disturbed). FLOPs per iteration (forward + backward,
optimizer steps excluded) come from ``torch.utils.flop_counter``.

    python tools/benchmark_throughput.py --rounds 7 --iters 5 --threads 2
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


def _pure_torch_step_fn(cfg, data):
    """alpha-GAN's iteration written by hand on the same networks."""
    import torch
    import torch.nn.functional as F

    model, _ = _build_mmagic(cfg)  # only for identical networks and init
    E, G = model.encoder, model.generator
    D, C = model.discriminator, model.code_discriminator
    loss_cfg = model.loss_config
    sched = dict(model.train_schedule)
    nets = dict(encoder=E, generator=G, discriminator=D, code_discriminator=C)
    opts = {}
    for name, net in nets.items():
        o = cfg.optim_wrapper[name]['optimizer']
        opts[name] = torch.optim.Adam(net.parameters(), lr=o['lr'],
                                      betas=tuple(o.get('betas',
                                                        (0.9, 0.999))))
    imgs = torch.stack([s.gt_img for s in data['data_samples']]).float()
    mean = torch.tensor(cfg.model.data_preprocessor.mean).view(1, -1, 1, 1)
    std = torch.tensor(cfg.model.data_preprocessor.std).view(1, -1, 1, 1)
    nz = model.noise_size
    w_rec, w_img, w_code = (loss_cfg['rec_weight'],
                            loss_cfg['image_adv_weight'],
                            loss_cfg['code_adv_weight'])

    def adv(logits, form):
        return -logits.mean() if form == 'ratio' else \
            F.softplus(-logits).mean()

    def gen(z):
        return G(z)

    def freeze_all_but(name):
        for n, net in nets.items():
            for p in net.parameters():
                p.requires_grad_(n == name)

    def update(name, loss):
        opts[name].zero_grad(set_to_none=True)
        loss.backward()
        opts[name].step()

    def step():
        x = (imgs - mean) / std
        n = x.shape[0]
        freeze_all_but('encoder')
        for _ in range(sched['encoder']):
            codes = E(x)
            loss = w_rec * (x - gen(codes)).abs().mean() + w_code * adv(
                C(codes), loss_cfg['code_adv_form'])
            update('encoder', loss)
        freeze_all_but('generator')
        for _ in range(sched['generator']):
            with torch.no_grad():
                codes = E(x)
            recon, fake = gen(codes), gen(torch.randn(n, nz))
            loss = w_rec * (x - recon).abs().mean() + w_img * (
                adv(D(recon), loss_cfg['image_adv_form']) +
                adv(D(fake), loss_cfg['image_adv_form']))
            update('generator', loss)
        freeze_all_but('discriminator')
        for _ in range(sched['discriminator']):
            with torch.no_grad():
                recon, fake = gen(E(x)), gen(torch.randn(n, nz))
            loss = F.softplus(-D(x)).mean() + F.softplus(D(recon)).mean() + \
                F.softplus(D(fake)).mean()
            update('discriminator', loss)
        freeze_all_but('code_discriminator')
        for _ in range(sched['code_discriminator']):
            with torch.no_grad():
                codes = E(x)
            loss = F.softplus(-C(torch.randn(n, nz))).mean() + \
                F.softplus(C(codes)).mean()
            update('code_discriminator', loss)
        for net in nets.values():
            for p in net.parameters():
                p.requires_grad_(True)
    return step


def _rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return float('nan')


def _worker(conn, kind, cfg_path, options, batch_size, threads, seed,
            warmup):
    """Build one contender, then time blocks of iterations on request."""
    try:
        _setup(threads, seed)
        import torch
        from torch.utils.flop_counter import FlopCounterMode
        cfg = _load_cfg(cfg_path, options)
        bs = batch_size or cfg.train_dataloader.batch_size
        cfg.train_dataloader.batch_size = bs
        data = _real_batch(cfg, bs)
        step = (_pure_torch_step_fn if kind == 'torch' else
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
    contenders = [('alpha-GAN, MMagic train_step', 'mmagic', args.config),
                  ('alpha-GAN, pure PyTorch loop (floor)', 'torch',
                   args.config)]
    for path in args.baseline:
        stem = osp.splitext(osp.basename(path))[0]
        contenders.append((f'{stem}, MMagic train_step', 'mmagic', path))
    ctx = mp.get_context('spawn')
    workers = []
    for name, kind, path in contenders:
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=_worker,
            args=(child, kind, path, args.cfg_options, args.batch_size,
                  args.threads, args.seed, args.warmup),
            daemon=True)
        proc.start()
        workers.append(dict(name=name, conn=parent, proc=proc, times=[]))
    # build and warm up one after another would be fairer for RSS, but the
    # workers only allocate their own memory; wait for all to be ready
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

    floor = statistics.median(workers[1]['times'])
    print(f"\nbatch {workers[0]['batch']}, {workers[0]['threads']} threads, "
          f'{args.rounds} rounds x {args.iters} iterations per contender '
          f'(interleaved, rotating order); statistics over all timed '
          f'iterations; '
          f'{os.cpu_count()} CPUs, load avg {os.getloadavg()[0]:.2f}\n')
    floor_min = min(workers[1]['times'])
    print('| contender | s/iter median | min | max | median vs floor '
          '| min vs floor | GFLOP/iter | peak RSS (MB) '
          '| RSS after build (MB) |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for w in workers:
        med = statistics.median(w['times'])
        print(f"| {w['name']} | {med:.3f} | {min(w['times']):.3f} | "
              f"{max(w['times']):.3f} | {med / floor:.2f}x | "
              f"{min(w['times']) / floor_min:.2f}x | "
              f"{w['flops'] / 1e9:.2f} | {w['peak_rss']:.0f} | "
              f"{w['rss_built']:.0f} |")
    alpha = workers[0]
    for w in workers[2:]:
        t_ratio = statistics.median(alpha['times']) / statistics.median(
            w['times'])
        print(f"\nFLOP ratio alpha-GAN / {w['name'].split(',')[0]}: "
              f"{alpha['flops'] / w['flops']:.2f}; time ratio: {t_ratio:.2f}")
    return workers


if __name__ == '__main__':
    main()
