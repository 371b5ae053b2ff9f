"""One run of a comparison: its configs, training (or resuming) it in a
child process, evaluating it, and its summary (``done.json``)."""
import copy
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import List, Optional, Tuple

from ..engine.run_records import (METRICS_FILE, append_metrics_record,
                                  last_checkpoint, metrics_record,
                                  read_metrics_records, read_progress,
                                  write_metrics_records)
from ..utils.atomic_files import atomic_write_json, atomic_write_text

#: Metrics that need a model with an encoder; left out for the others.
ENCODER_ONLY = ('ReconstructionMetrics', )
#: Hooks every run gets (replacing the config's own entries of them).
RUN_HOOKS = ('MetricsLogHook', 'TrainTimeBudgetHook', 'TrainProgressHook')


def run_dir(cmp: dict, model: dict, seed: int) -> str:
    """The work dir of one run (``<work_dir>/runs/<model>_seed<seed>``)."""
    return osp.join(cmp['work_dir'], 'runs', f'{model["name"]}_seed{seed}')


def run_config_path(cmp: dict, model: dict, seed: int) -> str:
    """Where the training config of one run is kept (outside the run dir:
    mmengine's Runner dumps its own copy under the same base name there)."""
    name = osp.basename(run_dir(cmp, model, seed))
    return osp.join(cmp['work_dir'], 'configs', f'{name}.py')


def _metrics_for(metrics: List[dict], model_cfg,
                 sample_model: str = 'orig') -> List[dict]:
    """The metrics that apply to a model (copies; taken as written, so a
    critic with ``train_dataset=None`` uses the held-out split of the
    evaluation data); with ``sample_model='ema'`` every metric scores the
    EMA generator."""
    has_encoder = 'encoder' in model_cfg.model
    out = [copy.deepcopy(m) for m in metrics
           if not (m['type'] in ENCODER_ONLY and not has_encoder)]
    if sample_model != 'orig':
        for m in out:
            m['sample_model'] = sample_model
    return out


def build_run_configs(cmp: dict, model: dict, seed: int) -> Tuple:
    """(training config, curve-evaluation config, has final metrics) of one
    run; the configs are mmengine ``Config`` objects."""
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
             if h.get('type') not in RUN_HOOKS]
    every = budget.get('eval_every_seconds')
    if every is not None:  # curves by training time, not by iteration
        cfg.train_cfg.val_interval = max_iters + 1
    budget_hook = dict(type='TrainTimeBudgetHook', seconds=seconds,
                       val_every_seconds=every)
    if budget.get('clock', 'wall') != 'wall':  # older run configs unchanged
        budget_hook['clock'] = budget['clock']
    hooks += [dict(type='MetricsLogHook'), budget_hook,
              dict(type='TrainProgressHook')]
    cfg.custom_hooks = hooks
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=cmp['eval_interval'] * scale,
        by_epoch=False, max_keep_ckpts=2, save_last=True, save_best=None)
    sample_model = model.get('sample_model', 'orig')
    if sample_model == 'ema' and not cfg.model.get('ema_config'):
        raise ValueError(f"models ({model['name']}): sample_model='ema' "
                         f'needs an EMA generator: add model.ema_config to '
                         f'its cfg_options')
    curve = _metrics_for(cmp['curve_metrics'], cfg, sample_model)
    if not curve:
        raise ValueError('curve_metrics is empty: the comparison needs at '
                         'least one metric')
    final = _metrics_for(cmp['final_metrics'], cfg, sample_model)
    cfg.val_evaluator = dict(type='Evaluator', metrics=curve)
    cfg.test_evaluator = dict(type='Evaluator', metrics=final or curve)
    curve_cfg = copy.deepcopy(cfg)
    curve_cfg.test_evaluator = dict(type='Evaluator', metrics=curve)
    return cfg, curve_cfg, bool(final)


def _write_new_or_same(path: str, text: str, what: str) -> None:
    """Write ``text`` to ``path``; refuse if a different one is there."""
    if osp.isfile(path):
        with open(path) as f:
            if f.read() != text:
                raise ValueError(
                    f'{path} holds a {what} made with other settings (budget, '
                    f'seeds, metrics or model config changed). Use another '
                    f'--work-dir, or delete {osp.dirname(path)} to redo it.')
        return
    atomic_write_text(path, text)


def _checkpoint_meta(path: str) -> dict:
    import torch
    return torch.load(path, map_location='cpu')['meta']


def _trim_metrics(rdir: str, upto: int) -> None:
    """Keep the curve records of iterations <= ``upto`` (the resumed run
    recomputes later ones); the others move to metrics.discarded.jsonl."""
    path = osp.join(rdir, METRICS_FILE)
    records = read_metrics_records(path)
    drop = [r for r in records if r['iter'] > upto]
    if not drop:
        return
    for r in drop:
        append_metrics_record(osp.join(rdir, 'metrics.discarded.jsonl'), r)
    write_metrics_records(path, [r for r in records if r['iter'] <= upto])


class ToolRunner:
    """Runs the plugin's tools (``train.py``, ``test.py``) in child
    processes from the repository root, their output appended to a log.

    Args:
        tools_dir: The folder of ``train.py`` and ``test.py``.
        progress: Draw progress bars (tqdm, on stderr) for training runs,
            from the runs' ``progress.json``.
        poll_seconds: How often a training run's progress is read.
    """

    def __init__(self, tools_dir: str, progress: bool = True,
                 poll_seconds: float = 0.5):
        self.tools_dir = tools_dir
        self.progress = progress
        self.poll_seconds = poll_seconds

    def __call__(self, tool: str, args: List[str], log_path: str,
                 bar=None, work_dir: Optional[str] = None) -> None:
        """Run ``<tools_dir>/<tool> args``; raise with the log's last lines
        if it fails. With ``bar``, follow ``work_dir``'s progress record."""
        cmd = [sys.executable, osp.join(self.tools_dir, tool), *args]
        with open(log_path, 'a') as log:
            log.write(f'\n$ {" ".join(cmd)}\n')
            log.flush()
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                    cwd=osp.dirname(self.tools_dir))
            while proc.poll() is None:
                if bar is not None:
                    done = read_progress(work_dir)
                    if done is not None and done['iter'] != bar.n:
                        bar.n = done['iter']
                        bar.refresh()
                time.sleep(self.poll_seconds)
        if proc.returncode != 0:
            with open(log_path) as f:
                tail = ''.join(f.readlines()[-25:])
            raise RuntimeError(f'{tool} failed (exit {proc.returncode}); '
                               f'log: {log_path}\n--- last lines ---\n{tail}')


def _eval_checkpoint(run_tool: ToolRunner, cfg_path: str, ckpt: str,
                     rdir: str, it: int, log: str) -> None:
    """Evaluate the curve metrics of a checkpoint (one whose evaluation the
    training run did not live to write) into the run's metrics record."""
    out = osp.join(rdir, f'eval_iter_{it}.json')
    if not osp.isfile(out):
        run_tool('test.py', [cfg_path, ckpt, '--out', out, '--work-dir',
                             osp.join(rdir, f'eval_iter_{it}')], log)
    with open(out) as f:
        metrics = json.load(f)
    append_metrics_record(osp.join(rdir, METRICS_FILE),
                          metrics_record(it, metrics, 'val', 0))


def run_one(cmp: dict, model: dict, seed: int, run_tool: ToolRunner) -> dict:
    """Train (or resume) one run and evaluate it; return its summary.

    A finished run (``done.json``) is not touched; an unfinished one resumes
    from its last checkpoint; a run dir made with other settings is refused.

    Returns:
        dict: ``model``, ``seed``, ``iters``, ``iter_scale``,
        ``train_seconds``, ``checkpoint``, ``config``, ``curves`` (the
        run's ``val`` metrics records) and ``final`` (metric -> value).
    """
    from tqdm import tqdm
    rdir = run_dir(cmp, model, seed)
    done_path = osp.join(rdir, 'done.json')
    train_cfg, curve_cfg, has_final = build_run_configs(cmp, model, seed)
    os.makedirs(rdir, exist_ok=True)
    cfg_path = run_config_path(cmp, model, seed)
    curve_path = osp.join(osp.dirname(cfg_path),
                          f'{osp.basename(rdir)}_curve_eval.py')
    _write_new_or_same(cfg_path, train_cfg.pretty_text, 'run config')
    _write_new_or_same(curve_path, curve_cfg.pretty_text, 'run config')
    if osp.isfile(done_path):
        with open(done_path) as f:
            return dict(json.load(f), config=cfg_path)
    log = osp.join(rdir, 'train.log')
    metrics_path = osp.join(rdir, METRICS_FILE)
    last = last_checkpoint(rdir)
    train_args = [cfg_path, '--work-dir', rdir]
    if last is not None:
        it = _checkpoint_meta(last)['iter']
        _trim_metrics(rdir, it)
        have = {r['iter'] for r in read_metrics_records(metrics_path, 'val')}
        if it % train_cfg.train_cfg.val_interval == 0 and it not in have:
            # killed between this checkpoint and its evaluation
            _eval_checkpoint(run_tool, curve_path, last, rdir, it, log)
        train_args.append('--resume')
    bar = tqdm(total=train_cfg.train_cfg.max_iters,
               desc=f'{model["name"]} seed {seed}', unit='it', leave=False,
               disable=not run_tool.progress, file=sys.stderr)
    try:
        run_tool('train.py', train_args, log, bar, rdir)
    finally:
        bar.close()
    last = last_checkpoint(rdir)
    if last is None:
        raise RuntimeError(f'{rdir}: training ended without a checkpoint; '
                           f'see {log}')
    meta = _checkpoint_meta(last)
    final_test = {}
    if has_final:
        out = osp.join(rdir, 'final_metrics.json')
        if not osp.isfile(out):
            run_tool('test.py', [cfg_path, last, '--out', out, '--work-dir',
                                 osp.join(rdir, 'final_eval')], log)
        with open(out) as f:
            final_test = json.load(f)
    records = read_metrics_records(metrics_path, 'val')
    if not records or records[-1]['iter'] != meta['iter']:
        raise RuntimeError(f'{metrics_path} lacks the final evaluation at '
                           f'iteration {meta["iter"]}')
    summary = dict(model=model['name'], seed=seed, iters=int(meta['iter']),
                   iter_scale=model['iter_scale'],
                   train_seconds=meta.get('train_seconds'),
                   checkpoint=last, config=cfg_path, curves=records,
                   final={**records[-1]['metrics'], **final_test})
    atomic_write_json(done_path, summary, indent=1)
    return summary


def finished_summary(cmp: dict, model: dict, seed: int) -> dict:
    """The summary of a finished run (``--report-only``)."""
    done = osp.join(run_dir(cmp, model, seed), 'done.json')
    if not osp.isfile(done):
        raise FileNotFoundError(
            f'--report-only: {done} is missing (that run is not '
            f'finished); run without --report-only to train it')
    with open(done) as f:
        return json.load(f)
