"""Time the domain-feature FID and PRDC beside Inception FID; their floors.

Runs the registered metrics exactly as an evaluation does (``prepare`` on
the test split, ``process`` on batches of "samples", ``evaluate``), with
Fashion-MNIST *training* images standing in for the samples: the values are
then the floor of each metric (two independent draws of the real data), and
the times are the metrics' own cost (a model's sampling time excluded).

Usage::

    python tools/benchmarks/benchmark_domain_fid.py \
        --classifier work_dirs/classifiers/fashion_mnist_cnn.pth \
        [--real-nums 10000] [--fake-nums 10000] [--inception-images 500] \
        [--k 5] [--threads 2] [--json out.json]

Rows: ``DomainFID`` (FID-FMNIST-CNN) and ``PRDC`` on the classifier's
features with ``--real-nums`` test images vs ``--fake-nums`` training
images; Inception ``LocalFID`` ('fid_helper') on ``--inception-images`` of
each, and its time projected to the full counts as (its measured feature
seconds per image) x (real + sample images) + (its measured 2048-d Fréchet
distance seconds).  The machine's load averages at start and end are
printed: on a shared machine, times scale with the load.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from _common import ensure_importable  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--classifier', required=True,
                   help='checkpoint of tools/train_domain_classifier.py')
    p.add_argument('--data-root', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--real-nums', type=int, default=10000,
                   help='test images (the real side)')
    p.add_argument('--fake-nums', type=int, default=10000,
                   help='training images standing in for samples')
    p.add_argument('--train-offset', type=int, default=0,
                   help='first training image used as a sample')
    p.add_argument('--inception-images', type=int, default=500,
                   help='images of each side for the Inception FID timing '
                   '(0 = skip)')
    p.add_argument('--k', type=int, default=5)
    p.add_argument('--batch-size', type=int, default=64,
                   help='samples per process() call, as an evaluation '
                   'dataloader would give them')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--json', help='also write the rows to this JSON file')
    args = p.parse_args(argv)
    for key in ('real_nums', 'fake_nums', 'k', 'batch_size', 'threads'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 1')
    return args


class _Model(torch.nn.Module):
    """Carries the data preprocessor of the Fashion-MNIST configs."""

    def __init__(self):
        super().__init__()
        from mmagic.models import DataPreprocessor
        self.data_preprocessor = DataPreprocessor(mean=[127.5], std=[127.5])


def _dataset(root, split, num):
    from mmagic.registry import DATASETS
    return DATASETS.build(dict(type='FashionMNISTDataset', data_root=root,
                               split=split, image_size=32, channels=1,
                               num_images=num,
                               pipeline=[dict(type='PackInputs')]))


def run_metric(cfg, model, test_loader, samples, batch_size):
    """(prepare seconds, process + evaluate seconds, results) of a metric."""
    from mmagic.registry import METRICS
    metric = METRICS.build(cfg)
    t0 = time.perf_counter()
    metric.prepare(model, test_loader)
    t1 = time.perf_counter()
    for i in range(0, len(samples), batch_size):
        metric.process(None, [dict(fake_img=img)
                              for img in samples[i:i + batch_size]])
    results = metric.evaluate()
    return t1 - t0, time.perf_counter() - t1, results


def inception_projection(imgs, args) -> dict:
    """Inception FID's cost at the full counts, from measured parts."""
    from alpha_gan_plugin.evaluation import functional as Fm
    from mmagic.registry import METRICS
    metric = METRICS.build(dict(type='LocalFID', fake_nums=len(imgs),
                                feature_extractor_path='fid_helper',
                                stats_cache_dir=None))
    t0 = time.perf_counter()
    feats = metric.features(imgs)
    per_image = (time.perf_counter() - t0) / len(imgs)
    stats = Fm.feature_statistics(feats)
    t0 = time.perf_counter()
    Fm.frechet_distance(*stats, *stats)
    frechet = time.perf_counter() - t0
    return dict(inception_s_per_image=round(per_image, 4),
                frechet_2048_s=round(frechet, 2),
                projected_total_s=round(
                    per_image * (args.real_nums + args.fake_nums) + frechet,
                    1))


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    torch.set_num_threads(args.threads)
    import alpha_gan_plugin  # noqa: F401
    from mmengine.dataset import pseudo_collate
    from mmagic.utils import register_all_modules

    from alpha_gan_plugin.evaluation.metrics import load_real_images
    register_all_modules(init_default_scope=True)

    model = _Model()
    test = _dataset(args.data_root, 'test', args.real_nums)
    train = _dataset(args.data_root, 'train',
                     args.train_offset + args.fake_nums)
    test_loader = torch.utils.data.DataLoader(test, batch_size=64,
                                              collate_fn=pseudo_collate)
    t0 = time.perf_counter()
    train_imgs = load_real_images(model.data_preprocessor, train,
                                  args.train_offset + args.fake_nums)
    samples = train_imgs[args.train_offset:]
    print(f'loaded {len(samples)} training images as samples in '
          f'{time.perf_counter() - t0:.1f} s', flush=True)

    rows = []
    load = [os.getloadavg()]
    print(f'load averages (1, 5, 15 min) at start: {load[0]}', flush=True)

    def add(name, cfg, n_real, n_fake, imgs):
        prep, rest, res = run_metric(cfg, model, test_loader, imgs,
                                     args.batch_size)
        row = dict(metric=name, real=n_real, fake=n_fake,
                   prepare_s=round(prep, 2), samples_s=round(rest, 2),
                   total_s=round(prep + rest, 2), results=res)
        rows.append(row)
        print(json.dumps(row), flush=True)

    add('DomainFID', dict(type='DomainFID', fake_nums=args.fake_nums,
                          real_nums=args.real_nums,
                          classifier_path=args.classifier),
        args.real_nums, args.fake_nums, samples)
    add('PRDC (classifier features)',
        dict(type='PRDC', fake_nums=args.fake_nums, real_nums=args.real_nums,
             k=args.k, classifier_path=args.classifier),
        args.real_nums, args.fake_nums, samples)
    if args.inception_images:
        n = args.inception_images
        # the real side is the first n test images (LocalFID's real_nums)
        add('LocalFID (Inception, fid_helper)',
            dict(type='LocalFID', fake_nums=n, real_nums=n,
                 feature_extractor_path='fid_helper', stats_cache_dir=None),
            n, n, samples[:n])
        rows[-1].update(inception_projection(samples[:n], args))

    load.append(os.getloadavg())
    print(f'load averages (1, 5, 15 min) at end: {load[1]}')
    print('\n| metric | real | samples | prepare (s) | samples + evaluate '
          '(s) | total (s) | projected to full counts (s) | results |')
    print('|---|---|---|---|---|---|---|---|')
    for r in rows:
        res = ', '.join(f'{k} = {v:.4f}' for k, v in r['results'].items())
        print(f"| {r['metric']} | {r['real']} | {r['fake']} | "
              f"{r['prepare_s']} | {r['samples_s']} | {r['total_s']} | "
              f"{r.get('projected_total_s', '')} | {res} |")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(args=vars(args), load_averages=load, rows=rows), f,
                      indent=1)


if __name__ == '__main__':
    main()
