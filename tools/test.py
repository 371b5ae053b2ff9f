"""Evaluate a trained MMagic model's checkpoint with its test_evaluator.

Usage:
    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE.json]
        [--cfg-options k=v ...] [--launcher none|pytorch|slurm|mpi]
"""
import argparse
import os.path as osp

from _common import (add_launcher_args, apply_common_settings,
                     check_checkpoint_file, check_data_roots,
                     ensure_importable, init_distributed, run_cli,
                     parse_with_cfg_options)
from mmengine.hooks import Hook


class _MetricCapture(Hook):
    """A hook that keeps the metrics the test loop reports."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None):
        self.metrics = dict(metrics or {})


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a model with MMagic')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where logs go')
    parser.add_argument('--out', help='write the metrics to this JSON file')
    parser.add_argument(
        '--cfg-options', nargs='+', default={}, metavar='KEY=VALUE',
        help='override config keys')
    add_launcher_args(parser)
    return parse_with_cfg_options(parser, argv)


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    from mmengine.config import Config
    from mmengine.dist import get_rank
    from mmengine.runner import Runner

    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file {args.config!r} not found')
    if args.out and osp.exists(args.out):
        raise ValueError(f'--out {args.out!r} exists; choose a new file name '
                         f'(results are never written over)')
    check_checkpoint_file(args.checkpoint, 'CHECKPOINT')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    apply_common_settings(cfg, args)
    init_distributed(cfg, args)
    cfg.load_from = args.checkpoint
    cfg.resume = False
    check_data_roots(cfg)

    runner = Runner.from_cfg(cfg)
    capture = _MetricCapture()
    runner.register_hook(capture, priority='VERY_LOW')
    returned = runner.test()
    # MMagic's MultiTestLoop returns None; its metrics reach the hooks.
    metrics = returned if returned is not None else capture.metrics
    if metrics is None:
        raise RuntimeError('the test loop produced no metrics; does the '
                           'config define test_evaluator metrics?')
    if args.out and get_rank() == 0:
        from alpha_gan_plugin.utils.atomic_files import atomic_write_json
        atomic_write_json(args.out, {
            k: float(v) if hasattr(v, '__float__') else v
            for k, v in metrics.items()})
    return metrics


if __name__ == '__main__':
    run_cli(main)
