"""Time and peak memory of the PRDC core, beside the reference ``prdc``.

Usage::

    python tools/benchmarks/benchmark_prdc.py [--n 10000] [--dims 128 2048] \
        [--threads 2] [--reference]

Each run is a fresh process (``spawn``) on Gaussian features (seed 0), the
fakes a second draw of the same distribution (so density is about 1 and
coverage about 1 - 2^-k, Naeem et al. 2020).  The peak extra memory is the
process's maximum resident set size at the end minus its resident set size
once the features exist (an upper bound of what the computation added).
``--reference`` also runs ``prdc.compute_prdc`` (PyPI ``prdc``, which holds
three N x N float matrices) if it is importable.  Prints a Markdown table.
"""
import argparse
import multiprocessing as mp
import resource
import time


def _features(n, dim):
    import numpy as np
    rng = np.random.default_rng(0)
    real = rng.standard_normal((n, dim))
    fake = rng.standard_normal((n, dim))
    return real, fake


def _rss_mib():
    """Current resident set size of this process (Linux), MiB."""
    with open('/proc/self/statm') as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _run(which, n, dim, k, threads, batch_size, queue):
    import contextlib
    import io

    import torch
    torch.set_num_threads(threads)
    if which == 'ours':
        from alpha_gan_plugin.evaluation.functional.prdc import \
            precision_recall_density_coverage

        def compute(real, fake):
            return precision_recall_density_coverage(real, fake, k,
                                                     batch_size)
    else:
        from prdc import compute_prdc

        def compute(real, fake):
            with contextlib.redirect_stdout(io.StringIO()):
                return compute_prdc(real, fake, k)
    real, fake = _features(n, dim)
    base = _rss_mib()
    t0 = time.perf_counter()
    out = compute(real, fake)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.
    queue.put((seconds, peak - base, {key: float(v)
                                      for key, v in out.items()}))


def run(which, n, dim, k, threads, batch_size):
    ctx = mp.get_context('spawn')
    queue = ctx.SimpleQueue()
    proc = ctx.Process(target=_run,
                       args=(which, n, dim, k, threads, batch_size, queue))
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f'{which} run failed (exit code {proc.exitcode})')
    return queue.get()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, default=10000,
                        help='real and fake features each')
    parser.add_argument('--dims', type=int, nargs='+', default=[128, 2048])
    parser.add_argument('--k', type=int, default=5)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--batch-size', type=int, default=None,
                        help='rows per distance block (default: the core\'s)')
    parser.add_argument('--reference', action='store_true',
                        help='also time prdc.compute_prdc')
    args = parser.parse_args()
    from alpha_gan_plugin.evaluation.functional.prdc import DEFAULT_BATCH_SIZE
    batch_size = args.batch_size or DEFAULT_BATCH_SIZE

    import os
    print(f'N = M = {args.n}, k = {args.k}, {args.threads} threads, '
          f'float64, distance blocks of {batch_size} rows; load averages '
          f'(1, 5, 15 min) at start {os.getloadavg()}\n')
    print('| features | implementation | seconds | peak extra memory (MiB) '
          '| precision | recall | density | coverage |')
    print('|---|---|---|---|---|---|---|---|')
    for dim in args.dims:
        runs = ['ours'] + (['prdc'] if args.reference else [])
        for which in runs:
            seconds, peak, out = run(which, args.n, dim, args.k, args.threads,
                                     batch_size)
            print(f'| {args.n} x {dim} | {which} | {seconds:.1f} | '
                  f'{peak:.0f} | ' + ' | '.join(
                      f'{out[key]:.6f}' for key in ('precision', 'recall',
                                                    'density', 'coverage'))
                  + ' |', flush=True)
    print(f'\nload averages at end {os.getloadavg()}')


if __name__ == '__main__':
    main()
