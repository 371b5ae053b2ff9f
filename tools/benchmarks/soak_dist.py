"""Soak test: long 2-process CPU training with periodic evaluation.

Runs ``tools/dist_train.sh`` (torchrun, gloo on CPU) for ``--iters``
iterations (default 2000) with validation every ``--val-interval``
iterations, samples the resident memory (RSS) of every rank once a second,
and prints/writes a JSON summary: RSS of each rank at start (first sample
after training began) and end, peak, growth, wall time and exit code.

    python tools/benchmarks/soak_dist.py --work-dir work_dirs/soak [--iters 2000]
        [--nproc 2] [--val-interval 500] [--tiny] [--out soak.json]

``--tiny`` shrinks the networks to 16x16 (minutes instead of hours on 2
CPU cores). Needs ``psutil``-free Linux (reads /proc).
"""
import argparse
import json
import os
import os.path as osp
import re
import socket
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')
TINY = [
    'model.noise_size=8', 'model.generator.output_scale=16',
    'model.generator.base_channels=16', 'model.discriminator.input_scale=16',
    'model.discriminator.base_channels=8', 'model.encoder.input_scale=16',
    'model.encoder.base_channels=8',
    'model.code_discriminator.hidden_channels=16',
    'train_dataloader.batch_size=8', 'val_dataloader.batch_size=8',
    'test_dataloader.batch_size=8', 'train_dataloader.dataset.image_size=16',
    'val_dataloader.dataset.image_size=16',
    'test_dataloader.dataset.image_size=16',
    'val_evaluator.metrics.0.fake_nums=64',
    'custom_hooks.0.interval=500', 'custom_hooks.0.num_samples=16',
    'custom_hooks.0.num_recons=8'
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024.0
    return float('nan')


def children(pid: int):
    try:
        with open(f'/proc/{pid}/task/{pid}/children') as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def rank_pids(launcher_pid: int):
    """The train.py processes below torchrun, found by their command line."""
    found, stack = [], [launcher_pid]
    while stack:
        pid = stack.pop()
        for child in children(pid):
            stack.append(child)
            try:
                with open(f'/proc/{child}/cmdline', 'rb') as f:
                    cmd = f.read().replace(b'\0', b' ').decode()
            except OSError:
                continue
            if 'train.py' in cmd and 'torch.distributed.run' not in cmd:
                found.append(child)
    return sorted(found)


_ITER = re.compile(rb'Iter\(train\)\s*\[\s*(\d+)\s*/')


def last_logged_iter(log_path: str):
    """The last training iteration in the console log (None before one)."""
    try:
        with open(log_path, 'rb') as f:
            f.seek(max(0, os.path.getsize(log_path) - 20000))
            hits = _ITER.findall(f.read())
    except OSError:
        return None
    return int(hits[-1]) if hits else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--iters', type=int, default=2000)
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--val-interval', type=int, default=500)
    parser.add_argument('--tiny', action='store_true')
    parser.add_argument('--out', help='JSON summary file')
    args = parser.parse_args(argv)
    if args.iters < 1 or args.val_interval < 1 or args.nproc < 1:
        raise ValueError('--iters, --val-interval and --nproc must be >= 1')
    if osp.isdir(args.work_dir) and os.listdir(args.work_dir):
        raise ValueError(f'--work-dir {args.work_dir!r} is not empty; pick a '
                         f'new one (soak runs are never written over)')

    opts = (TINY if args.tiny else []) + [
        f'train_cfg.max_iters={args.iters}',
        f'train_cfg.val_interval={args.val_interval}',
        f'default_hooks.checkpoint.interval={args.val_interval}',
        'default_hooks.logger.interval=100'
    ]
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1',
               PORT=str(free_port()), PYTHON=sys.executable)
    os.makedirs(args.work_dir, exist_ok=True)
    log = open(osp.join(args.work_dir, 'soak_console.log'), 'w')
    start = time.time()
    proc = subprocess.Popen(
        ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), CONFIG,
         str(args.nproc), '--work-dir', args.work_dir, '--cfg-options',
         *opts], stdout=log, stderr=subprocess.STDOUT, env=env)
    samples = []  # (seconds, [rss per rank], last logged iteration)
    log_path = osp.join(args.work_dir, 'soak_console.log')
    while proc.poll() is None:
        pids = rank_pids(proc.pid)
        if len(pids) == args.nproc:
            try:
                samples.append((time.time() - start,
                                [rss_mb(p) for p in pids],
                                last_logged_iter(log_path)))
            except OSError:
                pass
        time.sleep(1.0)
    log.close()
    # "start": the first sample 20 s after the ranks appeared (imports done)
    first_t = samples[0][0] if samples else 0.0
    begun = [s for s in samples if s[0] >= first_t + 20] or samples
    summary = dict(
        iters=args.iters, nproc=args.nproc, tiny=args.tiny,
        val_interval=args.val_interval, exit_code=proc.returncode,
        wall_s=round(time.time() - start, 1),
        rss_start_mb=[round(x, 1) for x in begun[0][1]] if begun else None,
        rss_end_mb=[round(x, 1) for x in samples[-1][1]] if samples else None,
        rss_peak_mb=[round(max(s[1][r] for s in samples), 1)
                     for r in range(args.nproc)] if samples else None,
        samples=len(samples),
        # every 10th sample: (seconds since launch, RSS MB per rank)
        timeline=[(round(t, 1), it, [round(x, 1) for x in r])
                  for t, r, it in samples[::10]])
    # RSS by training progress: the last sample before each logged
    # iteration milestone; growth in each half of the run tells warm-up
    # (first half) from a leak (which keeps growing in the second half)
    by_iter = {}
    for _, r, it in samples:
        if it is not None:
            by_iter[it] = r
    if by_iter:
        summary['rss_by_iter_mb'] = {
            str(it): [round(x, 1) for x in r]
            for it, r in sorted(by_iter.items())
            if it % max(100, args.val_interval // 2) == 0 or it == max(by_iter)}
        half = args.iters // 2
        first = min(by_iter)
        mid = min(by_iter, key=lambda i: abs(i - half))
        last = max(by_iter)
        summary['rss_growth_first_half_mb'] = [
            round(b - a, 1) for a, b in zip(by_iter[first], by_iter[mid])]
        summary['rss_growth_second_half_mb'] = [
            round(b - a, 1) for a, b in zip(by_iter[mid], by_iter[last])]
        summary['halves'] = [first, mid, last]
    if begun:
        summary['rss_growth_mb'] = [
            round(e - s, 1) for s, e in zip(begun[0][1], samples[-1][1])
        ]
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    return 0 if proc.returncode == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
