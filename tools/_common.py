"""Helpers shared by tools/train.py, tools/test.py and tools/compare.py."""
import argparse
import datetime
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def ensure_importable():
    """Make ``alpha_gan_plugin`` importable when the tools run from a clone
    that was not ``pip install -e``-ed (configs import it by name)."""
    try:
        import alpha_gan_plugin  # noqa: F401
    except ImportError:
        sys.path.insert(0, ROOT)


def add_launcher_args(parser: argparse.ArgumentParser) -> None:
    """``--launcher`` and ``--local_rank``, as MMagic's tools take them."""
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_with_cfg_options(parser: argparse.ArgumentParser, argv=None):
    """``parser.parse_args(argv)`` with ``--cfg-options KEY=VALUE ...``
    turned into a dict by mmengine's ``DictAction`` (empty without them)."""
    args = parser.parse_args(argv)
    if args.cfg_options:
        from mmengine.config import DictAction
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='cfg_options')(
            parser, ns, args.cfg_options)
        args.cfg_options = ns.cfg_options
    else:
        args.cfg_options = {}
    return args


def apply_common_settings(cfg, args):
    """Config settings both tools share: scope, launcher, work dir, and the
    CPU stand-ins for NCCL (gloo) and for DDP's ``device_ids``. Changes
    only ``cfg``; :func:`init_distributed` prepares the process."""
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
    if torch.cuda.is_available():
        return cfg
    # MMagic's default runtime asks for NCCL; without CUDA, torch.distributed
    # needs gloo, and DDP needs device_ids=None for CPU modules (mmengine
    # 0.10.7's wrap_model passes device_ids=[LOCAL_RANK]).
    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
    if args.launcher != 'none':
        wrapper = cfg.get('model_wrapper_cfg')
        if wrapper is None:
            cfg.model_wrapper_cfg = dict(
                type='MMDistributedDataParallel',
                broadcast_buffers=False,
                find_unused_parameters=cfg.get('find_unused_parameters',
                                               False),
                device_ids=None)
        else:
            wrapper['device_ids'] = None
    return cfg


def init_distributed(cfg, args) -> None:
    """Prepare this process for ``--launcher``: export ``LOCAL_RANK`` from
    ``--local_rank`` for mmengine, and without CUDA start the process group
    (:func:`init_cpu_distributed`). Nothing to do with ``--launcher none``."""
    import torch
    if args.launcher == 'none':
        return
    if 'LOCAL_RANK' not in os.environ and \
            getattr(args, 'local_rank', None) is not None:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if not torch.cuda.is_available():
        init_cpu_distributed(cfg, args.launcher)


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


def init_cpu_distributed(cfg, launcher: str) -> None:
    """Start torch.distributed with gloo on CPU, where mmengine cannot.

    mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` and
    fails on a machine without CUDA. Here the process group is created with
    gloo from the launcher's environment (the Runner then skips its own
    ``init_dist``); :func:`apply_common_settings` has set
    ``env_cfg.dist_cfg`` and the model wrapper for CPU.
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


#: Exceptions a tool reports as one ``error: ...`` line (exit status 2) when
#: the plugin or the tools raised them: they name the input and the fix.
#: ``FileNotFoundError`` is reported whoever raised it (it names the path).
_CHECKED = (ValueError, FileNotFoundError, NotADirectoryError,
            IsADirectoryError)
DEBUG_ENV = 'ALPHA_GAN_DEBUG'


def _raised_by_us(exc: BaseException) -> bool:
    """True when the innermost frame of ``exc``'s traceback is in the
    ``alpha_gan_plugin`` package or in these tools (not in torch, mmengine,
    numpy...)."""
    tb = exc.__traceback__
    frame = None
    while tb is not None:
        frame = tb.tb_frame
        tb = tb.tb_next
    if frame is None:
        return False
    module = frame.f_globals.get('__name__', '')
    if module == 'alpha_gan_plugin' or module.startswith('alpha_gan_plugin.'):
        return True
    path = osp.abspath(frame.f_code.co_filename)
    return osp.dirname(path) == osp.join(ROOT, 'tools')


def run_cli(main, argv=None) -> None:
    """Run a tool's ``main()`` the way a command-line tool should answer.

    The plugin's own ``ValueError`` s (bad arguments, bad config keys,
    unreadable images, incompatible checkpoints) and ``FileNotFoundError``
    for user paths become one line ``error: ...`` on stderr and exit status
    2, as argparse does for bad options. Any other exception keeps its
    traceback. ``--debug`` anywhere on the command line (removed before
    ``main`` parses it) or ``ALPHA_GAN_DEBUG=1`` in the environment shows
    the traceback of checked errors too. Use as::

        if __name__ == '__main__':
            run_cli(main)
    """
    argv = sys.argv if argv is None else argv
    debug = os.environ.get(DEBUG_ENV, '') not in ('', '0')
    if '--debug' in argv[1:]:
        debug = True
        argv[1:] = [a for a in argv[1:] if a != '--debug']
    try:
        main()
    except _CHECKED as exc:
        if debug or not (isinstance(exc, FileNotFoundError)
                         or _raised_by_us(exc)):
            raise
        msg = ' '.join(str(exc).split()) or type(exc).__name__
        print(f'error: {msg}', file=sys.stderr)
        sys.exit(2)


def check_checkpoint_file(path: str, what: str) -> None:
    """Fail before building the runner when ``path`` (the ``what`` option)
    is not a checkpoint torch can read: ``FileNotFoundError`` or a
    ``ValueError`` naming the file (mmengine would fail later with a
    pickle traceback)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} checkpoint {path!r} not found')
    import torch
    try:
        torch.load(path, map_location='cpu')
    except Exception as err:  # noqa: BLE001 - reported with its type
        raise ValueError(
            f'{what} checkpoint {path!r} cannot be read by torch.load '
            f'({type(err).__name__}: {err}); pass a .pth file saved by '
            f'tools/train.py') from err
