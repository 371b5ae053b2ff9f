"""The table of every finished point of a comparison used as a sweep.

One row per finished run (``<work_dir>/runs/*/done.json``), sorted by a
metric: the model's settings (its ``cfg_options`` in the comparison config),
iterations, the metrics, and the command that reruns that point.

    python tools/sweep_table.py configs/compare/alpha_gan_recipe_sweep.py \
        --sort FID-FMNIST-CNN/fid_fmnist_cnn > table.md
"""
import argparse
import glob
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _common import ensure_importable  # noqa: E402

COLUMNS = (('fid_fmnist_cnn', 'domain FID'), ('recall', 'recall'),
           ('coverage', 'coverage'), ('precision', 'precision'),
           ('rec_l1', 'rec. L1'))


def _settings(model: dict) -> str:
    opts = dict(model['cfg_options'])
    if model.get('sample_model', 'orig') != 'orig':
        opts['(metrics score)'] = model['sample_model']
    if not opts:
        return osp.basename(model['config'])
    return '<br>'.join(f'`{k}={v}`' for k, v in opts.items())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='the comparison config of the sweep')
    p.add_argument('--sort', default='FID-FMNIST-CNN/fid_fmnist_cnn',
                   help='metric key to sort by (ascending)')
    p.add_argument('--env', default='OMP_NUM_THREADS=1 ',
                   help='environment prefix of the printed commands')
    args = p.parse_args(argv)
    ensure_importable()
    from alpha_gan_plugin import compare
    cmp = compare.load_compare_config(args.config)
    models = {m['name']: m for m in cmp['models']}
    rows = []
    for path in glob.glob(osp.join(cmp['work_dir'], 'runs', '*',
                                   'done.json')):
        with open(path) as f:
            done = json.load(f)
        if done['model'] not in models:
            raise ValueError(f'{path}: model {done["model"]!r} is not in '
                             f'{args.config}; use the config that made it')
        rows.append(done)
    if not rows:
        raise ValueError(f'no finished runs under {cmp["work_dir"]}/runs')
    rows.sort(key=lambda d: d['final'].get(args.sort, float('inf')))
    print('| point | seed | settings (over the model config) | iterations '
          '| ' + ' | '.join(h for _, h in COLUMNS) + ' | command |')
    print('|---|---:|---|---:|' + '---:|' * len(COLUMNS) + '---|')
    rel = osp.relpath(osp.abspath(args.config))
    for d in rows:
        vals = []
        for key, _ in COLUMNS:
            v = next((x for k, x in d['final'].items()
                      if k.split('/')[-1] == key), None)
            vals.append('n/a' if v is None else f'{v:.3f}')
        cmd = (f'`{args.env}python tools/compare.py {rel} --models '
               f'{d["model"]} --seeds {d["seed"]}`')
        print(f'| {d["model"]} | {d["seed"]} | '
              f'{_settings(models[d["model"]])} | {d["iters"]} | '
              + ' | '.join(vals) + f' | {cmd} |')


if __name__ == '__main__':
    main()
