"""Train an MMagic model (alpha-GAN or any MMagic GAN) with mmengine's Runner.

Usage:
    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]]
        [--cfg-options k=v ...] [--launcher none|pytorch|slurm|mpi] [--amp]
"""
import argparse
import glob
import os.path as osp

from _common import (add_launcher_args, apply_common_settings,
                     check_checkpoint_file, check_data_roots,
                     ensure_importable, init_distributed,
                     parse_with_cfg_options, run_cli)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model with MMagic')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--resume', nargs='?', const='auto', default=None, metavar='CKPT',
        help='resume from CKPT, or with no value from the latest checkpoint '
        'in the work dir (a fresh start if it holds none)')
    parser.add_argument(
        '--overwrite', action='store_true',
        help='start a fresh run in a work dir that already holds checkpoints '
        '(they are overwritten as the new run saves its own)')
    parser.add_argument(
        '--amp', action='store_true',
        help='mixed precision: an AmpOptimWrapper for every network (needs '
        'a GPU; mmengine refuses AMP without one)')
    parser.add_argument(
        '--amp-dtype', choices=('float16', 'bfloat16'), default='float16',
        help='with --amp: float16 (a dynamic loss scaler per network) or '
        'bfloat16 (no loss scaling)')
    parser.add_argument(
        '--cfg-options', nargs='+', default={}, metavar='KEY=VALUE',
        help='override config keys, e.g. train_cfg.max_iters=100')
    add_launcher_args(parser)
    return parse_with_cfg_options(parser, argv)


def _enable_amp(cfg, dtype='float16'):
    """Turn every network's optimizer wrapper into mmengine's
    ``AmpOptimWrapper``: autocast to ``dtype`` in each update's forward,
    and for float16 a dynamic loss scaler per network (bfloat16 has
    float32's exponent range and gets none)."""
    from mmengine.optim.optimizer import amp_optimizer_wrapper as amp
    if not (amp.is_cuda_available() or amp.is_npu_available()
            or amp.is_mlu_available()):
        raise ValueError('--amp needs a GPU: mmengine\'s AmpOptimWrapper '
                         'does not run on a CPU. Drop --amp here.')
    optim = cfg.optim_wrapper
    subs = [sub for sub in optim.values()
            if isinstance(sub, dict) and 'optimizer' in sub] if \
        optim.get('constructor') == 'MultiOptimWrapperConstructor' else [optim]
    for sub in subs:
        sub['type'] = 'AmpOptimWrapper'
        sub['dtype'] = dtype
        sub.setdefault('loss_scale', 'dynamic' if dtype == 'float16' else
                       dict(enabled=False))


def _has_checkpoints(work_dir):
    return osp.isfile(osp.join(work_dir, 'last_checkpoint')) or bool(
        glob.glob(osp.join(work_dir, '*.pth')))


def main(argv=None):
    args = parse_args(argv)
    ensure_importable()
    from mmengine.config import Config
    from mmengine.runner import Runner

    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file {args.config!r} not found')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    apply_common_settings(cfg, args)
    init_distributed(cfg, args)

    if args.resume is not None and args.overwrite:
        raise ValueError('--resume and --overwrite contradict each other; '
                         'pass one of them')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        check_checkpoint_file(args.resume, '--resume')
        cfg.resume = True
        cfg.load_from = args.resume
    elif _has_checkpoints(cfg.work_dir) and not args.overwrite:
        raise ValueError(
            f'work dir {cfg.work_dir!r} already holds checkpoints of another '
            f'run. Continue it with --resume, choose another --work-dir, or '
            f'pass --overwrite to start afresh there.')
    if args.amp:
        _enable_amp(cfg, args.amp_dtype)
    elif args.amp_dtype != 'float16':
        raise ValueError('--amp-dtype is a setting of --amp; add --amp')
    check_data_roots(cfg)
    # the hooks are the config's (configs/_base_/runtime.py): this tool adds
    # none, so MMagic's tools/train.py and a plain Runner behave the same

    runner = Runner.from_cfg(cfg)
    try:
        runner.train()
    except FloatingPointError as err:
        raise FloatingPointError(_divergence_message(err, cfg)) from err
    return runner


def _divergence_message(err, cfg):
    """The model's/hook's divergence error plus the last good checkpoint."""
    from alpha_gan_plugin.engine.run_records import last_checkpoint
    text = str(err)
    if 'Last good checkpoint' in text:
        return text
    last = last_checkpoint(cfg.work_dir)
    if last is None:
        return (f'{text} No checkpoint was saved before the divergence '
                f'(none in {cfg.work_dir!r}); restart with a lower learning '
                f'rate.')
    return (f'{text} Last good checkpoint: {last} (kept; no checkpoint with '
            f'non-finite weights was written). Continue with: '
            f'tools/train.py CONFIG --work-dir {cfg.work_dir} --resume {last}'
            f' --cfg-options optim_wrapper.<network>.optimizer.lr=<lower>')


if __name__ == '__main__':
    run_cli(main)
