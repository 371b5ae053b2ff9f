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

The work is done by the package ``alpha_gan_plugin.compare``.
"""
import argparse
import os
import os.path as osp
import subprocess
import sys

TOOLS = osp.dirname(osp.abspath(__file__))
sys.path.insert(0, TOOLS)

from _common import ensure_importable, parse_with_cfg_options, run_cli  # noqa: E402,E501


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
    return parse_with_cfg_options(p, argv)


def git_commit() -> str:
    """The short commit hash of the tools' checkout ('unknown' outside
    git)."""
    try:
        return subprocess.check_output(
            ['git', 'rev-parse', '--short', 'HEAD'], cwd=osp.dirname(TOOLS),
            text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def portable_command(args: list) -> str:
    """The command line for the report, without the machine's absolute
    paths: a path inside the repository becomes relative to it, any other
    absolute path ``<elsewhere>/<its last component>``."""
    root = osp.dirname(TOOLS)
    out = []
    for a in args:
        key, eq, value = a.rpartition('=') if '=' in a else ('', '', a)
        if osp.isabs(value):
            rel = osp.relpath(value, root)
            value = ('<elsewhere>/' + osp.basename(value.rstrip('/'))
                     if rel.startswith('..') else rel)
        out.append(key + eq + value)
    return 'python tools/compare.py ' + ' '.join(out)


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    import alpha_gan_plugin  # noqa: F401  (registers metrics and hooks)
    from alpha_gan_plugin import compare
    from tqdm import tqdm
    cmp = compare.load_compare_config(args.config, args.cfg_options,
                                      args.work_dir, args.models, args.seeds)
    os.makedirs(cmp['work_dir'], exist_ok=True)
    run_tool = compare.ToolRunner(TOOLS, progress=not args.no_progress)
    runs = [(m, s) for s in cmp['seeds'] for m in cmp['models']]
    summaries = []
    outer = tqdm(runs, desc='comparison', unit='run',
                 disable=args.no_progress, file=sys.stderr)
    for model, seed in outer:
        outer.set_postfix_str(f'{model["name"]} seed {seed}')
        if args.report_only:
            summaries.append(compare.finished_summary(cmp, model, seed))
        else:
            summaries.append(compare.run_one(cmp, model, seed, run_tool))
    outer.close()
    command = portable_command(argv if argv is not None else sys.argv[1:])
    print(compare.make_report(cmp, summaries, command, git_commit()))
    return summaries


if __name__ == '__main__':
    run_cli(main)
