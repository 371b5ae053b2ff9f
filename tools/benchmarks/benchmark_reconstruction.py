"""Short real run: held-out reconstruction error and speed of a config.

Builds the model, optimizers and training data exactly as the config says,
trains for ``--iters`` iterations with the model's own ``train_step`` and
reports, every ``--every`` iterations, the mean L1 / MSE between held-out
test images and their reconstructions G(E(x)), plus seconds per iteration.

    python tools/benchmarks/benchmark_reconstruction.py configs/alpha_gan_fashion_mnist.py \
        --iters 300 --every 50 --threads 2
"""
import argparse
import json
import os.path as osp
import sys
import time

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from _common import ensure_importable  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config')
    p.add_argument('--iters', type=int, default=300)
    p.add_argument('--every', type=int, default=50)
    p.add_argument('--num-eval', type=int, default=512,
                   help='held-out images used for the reconstruction error')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--json', help='also write the rows to this JSON file')
    args = p.parse_args(argv)
    for key in ('iters', 'every', 'num_eval', 'threads'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 1')
    return args


@torch.no_grad()
def recon_errors(model, eval_batches):
    model.eval()
    l1 = mse = n = 0.0
    for data in eval_batches:
        real = model.real_images(data)
        rec = model.reconstruct(real)
        l1 += (real - rec).abs().mean(dim=(1, 2, 3)).sum().item()
        mse += ((real - rec)**2).mean(dim=(1, 2, 3)).sum().item()
        n += real.shape[0]
    model.train()
    return l1 / n, mse / n


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    import alpha_gan_plugin  # noqa: F401
    from mmengine import MessageHub
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.optim import build_optim_wrapper
    from mmagic.registry import DATASETS, MODELS
    from mmagic.utils import register_all_modules

    register_all_modules(init_default_scope=True)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cfg = Config.fromfile(args.config)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    train_set = DATASETS.build(cfg.train_dataloader.dataset)
    test_cfg = dict(cfg.val_dataloader.dataset)
    test_set = DATASETS.build(test_cfg)
    if args.num_eval > len(test_set):
        raise ValueError(f'--num-eval {args.num_eval} > {len(test_set)} '
                         f'held-out images')
    bs = cfg.train_dataloader.batch_size
    eval_batches = [
        pseudo_collate([test_set[i]
                        for i in range(s, min(s + bs, args.num_eval))])
        for s in range(0, args.num_eval, bs)
    ]
    g = torch.Generator().manual_seed(args.seed)
    hub = MessageHub.get_current_instance()
    rows = []
    l1, mse = recon_errors(model, eval_batches)
    rows.append(dict(iter=0, l1=l1, mse=mse, sec_per_iter=None))
    print(f'| iter | held-out L1 | held-out MSE | s/iter |\n|---|---|---|---|\n'
          f'| 0 | {l1:.4f} | {mse:.4f} | |', flush=True)
    elapsed = 0.0
    for it in range(args.iters):
        idx = torch.randint(len(train_set), (bs, ), generator=g).tolist()
        data = pseudo_collate([train_set[i] for i in idx])
        hub.update_info('iter', it)
        t0 = time.perf_counter()
        model.train_step(data, optim)
        elapsed += time.perf_counter() - t0
        if (it + 1) % args.every == 0 or it + 1 == args.iters:
            l1, mse = recon_errors(model, eval_batches)
            spi = elapsed / (it + 1)
            rows.append(dict(iter=it + 1, l1=l1, mse=mse, sec_per_iter=spi))
            print(f'| {it + 1} | {l1:.4f} | {mse:.4f} | {spi:.3f} |',
                  flush=True)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(config=args.config, threads=args.threads,
                           batch_size=bs, rows=rows), f, indent=2)
    return rows


if __name__ == '__main__':
    main()
