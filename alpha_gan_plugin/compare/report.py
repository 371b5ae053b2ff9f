"""The comparison report: ``report.md`` (table of final values, mean ±
sample std over seeds), ``curves.png``, ``samples.png``,
``reconstructions.png`` and ``summary.json`` in ``<work_dir>/report``."""
import datetime
import math
import os
import os.path as osp
from typing import List, Optional, Tuple

from ..utils.atomic_files import atomic_write_json, atomic_write_text
from .figures import image_panels, model_grids, plot_curves
from .reference import data_reference

#: Column order of the report table: (result key suffix, header, better).
COLUMNS = (
    ('classifier_score', 'classifier score', 'higher'),
    ('is', 'IS', 'higher'),
    ('fid', 'FID', 'lower'),
    ('fid_fmnist_cnn', 'domain FID', 'lower'),
    ('precision', 'precision', 'higher'),
    ('recall', 'recall', 'higher'),
    ('density', 'density', 'near data'),
    ('coverage', 'coverage', 'higher'),
    ('ms_ssim_pairs', 'sample MS-SSIM', 'near data'),
    ('wcd', 'critic W-dist.', 'lower'),
    ('rec_l1', 'rec. L1', 'lower'),
    ('rec_psnr', 'rec. PSNR', 'higher'),
    ('rec_ms_ssim', 'rec. MS-SSIM', 'higher'),
)


def mean_std(values) -> Tuple[Optional[float], Optional[float]]:
    """Mean and sample standard deviation of the values that are not None
    (None where there are too few)."""
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    var = sum((v - mean)**2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def _fmt(mean, std) -> str:
    if mean is None:
        return 'n/a'
    digits = 3 if abs(mean) < 100 else 1
    text = f'{mean:.{digits}f}'
    return text if std is None else f'{text} ± {std:.{digits}f}'


def column_keys(summaries: List[dict]) -> List[tuple]:
    """(metric key, header, better) of the table, in :data:`COLUMNS`
    order, for the keys the runs have."""
    keys = sorted({k for s in summaries for k in s['final']})
    return [(k, header, better) for suffix, header, better in COLUMNS
            for k in keys if k.split('/')[-1] == suffix]


def _budget_text(budget: dict) -> str:
    if budget['type'] == 'iters':
        return f'{budget["iters"]} iterations x iter_scale'
    clock = '' if budget.get('clock', 'wall') == 'wall' else \
        ' (process CPU seconds, one intra-op thread per run)'
    return (f'{budget["seconds"]} s of training iterations{clock} '
            f'(cap {budget["max_iters"]} x iter_scale)')


def _curve_text(cmp: dict) -> str:
    every = cmp['budget'].get('eval_every_seconds')
    if every:
        return f'{every} s of training (curves against training seconds)'
    return f'{cmp["eval_interval"]} budget iterations'


def _table(cmp: dict, summaries: List[dict], ref: dict,
           cols: List[tuple]) -> List[str]:
    arrows = dict(higher='↑', lower='↓')
    header = ['model', 'iterations', 'train min'] + [
        f'{h} ({arrows.get(b, "≈data")})' for _, h, b in cols]
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for model in cmp['models']:
        runs = [s for s in summaries if s['model'] == model['name']]
        if not runs:
            continue
        it_text = '/'.join(str(i) for i in sorted({s['iters'] for s in runs}))
        if model['iter_scale'] > 1:
            it_text += f' (÷{model["iter_scale"]})'
        minutes = mean_std([s['train_seconds'] / 60 if s['train_seconds']
                            else None for s in runs])
        row = [model['name'], it_text, _fmt(*minutes)]
        row += [_fmt(*mean_std([s['final'].get(key) for s in runs]))
                for key, _, _ in cols]
        lines.append('| ' + ' | '.join(row) + ' |')
    if ref:
        row = ['data', '', '']
        row += [_fmt(ref[key], None) if key in ref else ''
                for key, _, _ in cols]
        lines.append('| ' + ' | '.join(row) + ' |')
    return lines


def _badness(value, better: str, ref_value):
    """A number that is smaller for a better value (None: not ranked)."""
    if value is None:
        return None
    if better == 'higher':
        return -value
    if better == 'lower':
        return value
    return None if ref_value is None else abs(value - ref_value)


def separated_pairs(cmp: dict, summaries: List[dict], ref: dict,
                    cols: List[tuple]) -> List[Tuple[str, List[str]]]:
    """For every metric, the ordered model pairs (A, B) where every seed of
    A is better than every seed of B ("A > B"); 'near data' metrics rank by
    the distance to the data row. Models with fewer than 2 seeds are left
    out: one seed cannot separate anything."""
    out = []
    names = [m['name'] for m in cmp['models']]
    for key, header, better in cols:
        per_model = {}
        for name in names:
            vals = [_badness(s['final'].get(key), better, ref.get(key))
                    for s in summaries if s['model'] == name]
            if len(vals) >= 2 and None not in vals:
                per_model[name] = vals
        pairs = [f'{a} > {b}' for a in per_model for b in per_model
                 if a != b and max(per_model[a]) < min(per_model[b])]
        out.append((header, pairs))
    return out


def _separation_lines(cmp, summaries, ref, cols) -> List[str]:
    counts = {}
    for s in summaries:
        counts[s['model']] = counts.get(s['model'], 0) + 1
    if max(counts.values(), default=0) < 2:
        return []
    n = min(counts.values())
    lines = [
        '## Pairs separated on every seed', '',
        '"A > B": every seed of A is better than every seed of B on that '
        'metric (for "≈data" metrics: closer to the data row). With at '
        f'least {n} seeds each, two models with the same distribution of '
        f'results are separated by chance with probability at most '
        f'{2 / math.comb(2 * n, n):.2g} per pair and metric (the exact '
        'two-sided rank test; over many pairs and metrics a few chance '
        'separations are expected). Pairs not listed are not decided by '
        'these seeds.', '',
        '| metric | separated pairs |', '|---|---|']
    for header, pairs in separated_pairs(cmp, summaries, ref, cols):
        lines.append(f'| {header} | {", ".join(pairs) or "none"} |')
    return lines + ['']


def portable_summaries(summaries: List[dict], work_dir: str) -> List[dict]:
    """The run summaries with their ``checkpoint`` and ``config`` paths
    relative to the comparison's work dir, so a report can be committed
    without the paths of the machine that made it."""
    out = []
    for s in summaries:
        s = dict(s)
        for key in ('checkpoint', 'config'):
            if isinstance(s.get(key), str) and osp.isabs(s[key]):
                s[key] = osp.relpath(s[key], osp.abspath(work_dir))
        out.append(s)
    return out


def write_report(cmp: dict, summaries: List[dict], ref: dict, command: str,
                 commit: str = 'unknown') -> str:
    """Write ``report.md`` and ``summary.json``; return the markdown.

    ``summary.json`` gives the runs' checkpoint and config paths relative to
    the work dir (``runs/<model>_seed<seed>/iter_<n>.pth``)."""
    rep = osp.join(cmp['work_dir'], 'report')
    cols = column_keys(summaries)
    lines = [
        '# Comparison report', '',
        f'- command: `{command}`',
        f'- commit: `{commit}`; written '
        f'{datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}',
        f'- budget: {_budget_text(cmp["budget"])}; seeds: {cmp["seeds"]}; '
        f'curve metrics every {_curve_text(cmp)}',
        '- table: final checkpoint, mean ± sample std over seeds (one seed: '
        'the value); "train min" counts training iterations only; row '
        '"data": test images in place of samples (PRDC and the domain FID: '
        'training images against the test images)',
        '',
        *_table(cmp, summaries, ref, cols),
        '', *_separation_lines(cmp, summaries, ref, cols),
        '![metric curves](curves.png)', '', '![samples](samples.png)', '',
    ]
    if osp.isfile(osp.join(rep, 'reconstructions.png')):
        lines += ['![reconstructions](reconstructions.png)', '']
    lines += ['Metric keys: ' + ', '.join(f'`{k}`' for k, _, _ in cols), '']
    text = '\n'.join(lines)
    atomic_write_text(osp.join(rep, 'report.md'), text)
    atomic_write_json(osp.join(rep, 'summary.json'),
                      dict(runs=portable_summaries(summaries,
                                                   cmp['work_dir']),
                           data_reference=ref), indent=1)
    return text


def make_report(cmp: dict, summaries: List[dict], command: str,
                commit: str = 'unknown') -> str:
    """The whole report folder (data reference, curves, grids, table);
    returns the markdown of ``report.md``."""
    rep = osp.join(cmp['work_dir'], 'report')
    os.makedirs(rep, exist_ok=True)
    ref = data_reference(cmp)
    plot_curves(cmp, summaries, column_keys(summaries),
                osp.join(rep, 'curves.png'))
    sample_panels, recon_panels = [], []
    for model in cmp['models']:
        runs = [s for s in summaries if s['model'] == model['name']]
        if not runs:
            continue
        samples, recon = model_grids(cmp['grids'], runs[0])
        label = f'{model["name"]} (seed {runs[0]["seed"]}, it ' \
                f'{runs[0]["iters"]})'
        sample_panels.append((label, samples))
        if recon is not None:
            recon_panels.append((label, recon))
    g = cmp['grids']
    image_panels(sample_panels, osp.join(rep, 'samples.png'),
                 f'samples: the same {g["num_samples"]} latent codes '
                 f'(seed {g["seed"]}) for every model')
    if recon_panels:
        image_panels(recon_panels, osp.join(rep, 'reconstructions.png'),
                     'test images (odd rows) and their reconstructions '
                     'G(E(x)) (even rows)')
    return write_report(cmp, summaries, ref, command, commit)
