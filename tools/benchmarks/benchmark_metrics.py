"""Time the metric cores against reference implementations on the same inputs.

Usage::

    python tools/benchmarks/benchmark_metrics.py [--repeats 5] [--threads 2]

Prints a Markdown table: median wall time of ours and of the reference, their
ratio (ours / reference; < 1 is faster) and the largest absolute difference
of the results.  References: pytorch-msssim (MS-SSIM), torch-fidelity
(Inception Score from logits, FID statistics and distance; its FID uses
``scipy.linalg.sqrtm``).
"""
import argparse
import statistics
import time

import numpy as np
import torch


def timed_pair(ours, ref, repeats):
    """Median times of two callables, run alternately (fair under load)."""
    out_ours, out_ref = ours(), ref()  # warm-up
    t_ours, t_ref = [], []
    for _ in range(repeats):
        for fn, times in ((ours, t_ours), (ref, t_ref)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return (statistics.median(t_ours), statistics.median(t_ref), out_ours,
            out_ref)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--threads', type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    from pytorch_msssim import ms_ssim as ref_ms_ssim
    from torch_fidelity.metric_fid import (fid_features_to_statistics,
                                           fid_statistics_to_metric)
    from torch_fidelity.metric_isc import isc_features_to_metric

    from alpha_gan_plugin.evaluation import functional as Fm

    g = torch.Generator().manual_seed(0)
    rows = []

    def add(name, inputs, ours, ref, diff):
        t_ours, t_ref, o, r = timed_pair(ours, ref, args.repeats)
        rows.append((name, inputs, t_ours, t_ref, t_ours / t_ref,
                     diff(o, r)))

    # MS-SSIM, 5 scales (both libraries accept 256 px)
    x = torch.rand(32, 3, 256, 256, generator=g) * 255
    y = (x + torch.randn(x.shape, generator=g) * 20).clamp(0, 255)
    add('MS-SSIM (5 scales)', '32x3x256x256 f32',
        lambda: Fm.ms_ssim(x, y, 255., reduction='none'),
        lambda: ref_ms_ssim(x, y, 255., size_average=False),
        lambda a, b: (a - b).abs().max().item())
    x64, y64 = x[:, :, :64, :64].contiguous(), y[:, :, :64, :64].contiguous()
    add('MS-SSIM (5 scales, win 3)', '32x3x64x64 f32',
        lambda: Fm.ms_ssim(x64, y64, 255., win_size=3, sigma=0.8,
                           reduction='none'),
        lambda: ref_ms_ssim(x64, y64, 255., win_size=3, win_sigma=0.8,
                            size_average=False),
        lambda a, b: (a - b).abs().max().item())

    # Inception Score from logits
    logits = torch.randn(10000, 1008, generator=g) * 3
    add('Inception Score', '10000x1008 logits, 10 splits',
        lambda: Fm.inception_score(logits, 10),
        lambda: isc_features_to_metric(logits, 10, shuffle=False),
        lambda a, b: abs(a[0] - b['inception_score_mean']))

    # FID statistics and distance, 2048-d
    f1 = torch.randn(5000, 2048, generator=g, dtype=torch.float64)
    f2 = f1[:, torch.randperm(2048, generator=g)] * 0.9 + 0.1
    add('FID statistics', '5000x2048 f64',
        lambda: Fm.feature_statistics(f1),
        lambda: fid_features_to_statistics(f1),
        lambda a, b: float(np.abs(a[1] - b['sigma']).max()))
    s1, s2 = fid_features_to_statistics(f1), fid_features_to_statistics(f2)
    add('Frechet distance', '2048-d stats',
        lambda: Fm.frechet_distance(s1['mu'], s1['sigma'], s2['mu'],
                                    s2['sigma']),
        lambda: fid_statistics_to_metric(s1, s2, False),
        lambda a, b: abs(a - b['frechet_inception_distance']))

    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'median of {args.repeats} alternating runs\n')
    print('| metric | inputs | ours (s) | reference (s) | ratio | max abs '
          'diff |')
    print('|---|---|---:|---:|---:|---:|')
    for name, inputs, t_o, t_r, ratio, diff in rows:
        print(f'| {name} | {inputs} | {t_o:.4f} | {t_r:.4f} | {ratio:.2f} | '
              f'{diff:.2e} |')


if __name__ == '__main__':
    main()
