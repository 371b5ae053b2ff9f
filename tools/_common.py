"""Helpers shared by tools/train.py and tools/test.py."""
import os
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def ensure_importable():
    """Make ``alpha_gan_plugin`` importable when the tools run from a clone
    that was not ``pip install -e``-ed (configs import it by name)."""
    try:
        import alpha_gan_plugin  # noqa: F401
    except ImportError:
        sys.path.insert(0, ROOT)


def apply_common_settings(cfg, args):
    """Settings both tools share: scope, launcher, work dir, CPU backend."""
    import torch
    cfg.setdefault('default_scope', 'mmagic')
    if cfg.get('default_scope') != 'mmagic':
        raise ValueError(
            f"config default_scope={cfg.default_scope!r}; alpha-gan-plugin "
            f"runs in MMagic's scope: set default_scope='mmagic'")
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        stem = osp.splitext(osp.basename(args.config))[0]
        cfg.work_dir = osp.join('work_dirs', stem)
    # MMagic's default runtime asks for NCCL; without CUDA, torch.distributed
    # on CPU needs gloo.
    if not torch.cuda.is_available():
        env_cfg = cfg.setdefault('env_cfg', {})
        dist_cfg = env_cfg.setdefault('dist_cfg', {})
        if dist_cfg.get('backend', 'nccl') == 'nccl':
            dist_cfg['backend'] = 'gloo'
    if args.launcher != 'none' and 'LOCAL_RANK' not in os.environ and \
            getattr(args, 'local_rank', None) is not None:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return cfg
