"""Helpers shared by tools/train.py and tools/test.py."""
import datetime
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: Hooks of ``alpha_gan_plugin.engine.reliability`` the tools add to every
#: run (unless the config already lists them).
TRAIN_HOOKS = ('ExactResumeHook', 'CheckpointCompatibilityHook',
               'DataShardCheckHook')
TEST_HOOKS = ('CheckpointCompatibilityHook', 'DataShardCheckHook')


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
    if args.launcher != 'none' and not torch.cuda.is_available():
        _prepare_cpu_distributed(cfg, args.launcher)
    return cfg


def check_data_roots(cfg):
    """Fail before anything is built or written if a data root is missing.

    Every ``*_dataloader.dataset.data_root`` that is set must be an existing
    folder; the error names the config key to change.
    """
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if not isinstance(loader, dict):
            continue
        datasets = [loader.get('dataset')]
        # ConcatDataset / RepeatDataset style wrappers
        inner = datasets[0] if isinstance(datasets[0], dict) else {}
        if isinstance(inner.get('datasets'), (list, tuple)):
            datasets = list(inner['datasets'])
        elif isinstance(inner.get('dataset'), dict):
            datasets = [inner['dataset']]
        for i, ds in enumerate(datasets):
            if not isinstance(ds, dict):
                continue
            root = ds.get('data_root')
            key = f'{split}_dataloader.dataset.data_root' if len(
                datasets) == 1 else f'{split}_dataloader.dataset.datasets.' \
                f'{i}.data_root'
            if root is None:
                if ds.get('type') in ('BasicImageDataset',
                                      'CheckedImageFolderDataset'):
                    raise ValueError(
                        f'{key} is not set: the {split} image folder is '
                        f'unknown; pass --cfg-options {key}=/path/to/images')
                continue
            if isinstance(root, str) and '://' not in root and \
                    not osp.isdir(root):
                raise FileNotFoundError(
                    f'{key}={root!r} does not exist; point it at the '
                    f'{split} data (--cfg-options {key}=/path/to/data)')


def add_hooks(cfg, names):
    """Append the plugin's reliability hooks unless the config has them."""
    hooks = list(cfg.get('custom_hooks') or [])
    present = {h.get('type') for h in hooks if isinstance(h, dict)}
    for name in names:
        if name not in present:
            hooks.append(dict(type=name))
    cfg.custom_hooks = hooks


def use_atomic_checkpoints(cfg):
    """Swap mmengine's CheckpointHook for the atomic, NaN-refusing one."""
    hooks = cfg.setdefault('default_hooks', {})
    ckpt = hooks.get('checkpoint')
    if isinstance(ckpt, dict) and ckpt.get('type') in (
            'CheckpointHook', 'mmengine.CheckpointHook'):
        ckpt['type'] = 'AtomicCheckpointHook'


def _prepare_cpu_distributed(cfg, launcher):
    """Start torch.distributed on CPU, where mmengine cannot.

    mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` and its
    ``wrap_model`` passes ``device_ids=[LOCAL_RANK]`` to DDP; both fail on a
    machine without CUDA. Here the process group is created with gloo (the
    Runner then skips its own ``init_dist``) and the model wrapper gets
    ``device_ids=None``, as DDP requires for CPU modules.
    """
    import torch.distributed as dist
    dist_cfg = dict(cfg.env_cfg.get('dist_cfg', {}))
    backend = dist_cfg.pop('backend', 'gloo')
    timeout = dist_cfg.pop('timeout', None)
    if backend != 'gloo':
        raise ValueError(f'env_cfg.dist_cfg.backend={backend!r} needs CUDA; '
                         f"on CPU use backend='gloo'")
    if launcher == 'slurm':
        _slurm_env()
    elif launcher == 'mpi':
        os.environ.setdefault('RANK', os.environ['OMPI_COMM_WORLD_RANK'])
        os.environ.setdefault('WORLD_SIZE', os.environ['OMPI_COMM_WORLD_SIZE'])
        os.environ.setdefault('LOCAL_RANK',
                              os.environ['OMPI_COMM_WORLD_LOCAL_RANK'])
        os.environ.setdefault('MASTER_PORT', '29500')
        if 'MASTER_ADDR' not in os.environ:
            raise ValueError('--launcher mpi needs MASTER_ADDR in the '
                             'environment')
    for var in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        if var not in os.environ:
            raise ValueError(
                f'--launcher {launcher} but {var} is not set; start the tool '
                f'with tools/dist_train.sh / dist_test.sh (torchrun) or srun')
    if not dist.is_initialized():
        kwargs = {}
        if timeout is not None:
            kwargs['timeout'] = datetime.timedelta(seconds=timeout)
        dist.init_process_group(backend='gloo', **kwargs)
    wrapper = cfg.get('model_wrapper_cfg')
    if wrapper is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False),
            device_ids=None)
    else:
        wrapper['device_ids'] = None


def _slurm_env():
    """RANK/WORLD_SIZE/MASTER_* from SLURM variables (srun tasks)."""
    os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
    os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
    os.environ.setdefault('LOCAL_RANK', os.environ.get('SLURM_LOCALID', '0'))
    os.environ.setdefault('MASTER_PORT', '29500')
    if 'MASTER_ADDR' not in os.environ:
        nodes = os.environ['SLURM_NODELIST']
        first = subprocess.check_output(
            ['scontrol', 'show', 'hostnames', nodes], text=True).split()[0]
        os.environ['MASTER_ADDR'] = first
