"""Loading a trained model for inference: the config (with overrides), the
device, the model built without touching the global random state, the
checkpoint loaded strictly, and what the config says about images (test
pipeline, channel order)."""
import copy
import os
import os.path as osp
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import DefaultScope

from ...engine.checkpoint_compatibility import compatibility_problems
from ...engine.checkpoint_keys import plain_keys

#: Channel order of data sets that serve colour arrays themselves (their
#: test pipeline has no loader to read it from).
ARRAY_DATASET_CHANNEL_ORDER = dict(FashionMNISTDataset='rgb', CIFAR10='rgb')


def load_config(config: Union[str, Config],
                cfg_options: Optional[dict] = None) -> Config:
    """A config from a path (or a copy of a ``Config``), with overrides."""
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif isinstance(config, (str, os.PathLike)):
        path = os.fspath(config)
        if not osp.isfile(path):
            raise FileNotFoundError(f'config file {path!r} not found')
        cfg = Config.fromfile(path)
    else:
        raise ValueError(f'config must be a path or an mmengine Config, got '
                         f'{type(config).__name__}')
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise ValueError(f'config {config!r} has no model')
    scope = cfg.get('default_scope', 'mmagic')
    if scope != 'mmagic':
        raise ValueError(f"config default_scope={scope!r}; alpha-gan-plugin "
                         f"models live in MMagic's scope: set "
                         f"default_scope='mmagic'")
    return cfg


def resolve_device(device: Optional[str]) -> torch.device:
    """``device`` as a ``torch.device`` that exists here (None: a GPU when
    one is visible, else the CPU)."""
    if device is None:
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"device {device!r} is not a torch device; use "
                         f"'cpu' or 'cuda'") from err
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise ValueError(f'device {device!r} but no GPU is visible to torch; '
                         f"use device 'cpu'")
    if dev.type not in ('cpu', 'cuda'):
        raise ValueError(f"device {device!r}: use 'cpu' or 'cuda'")
    return dev


def build_model(cfg: Config) -> nn.Module:
    """The config's model, built without touching the global random state
    (parameter initialisation draws from it; its state is restored)."""
    from mmagic.registry import MODELS
    with torch.random.fork_rng(devices=[]), \
            DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    return model


def load_weights(model: nn.Module, checkpoint: str, config_name: str) -> None:
    """Load a Runner checkpoint into ``model``, strictly.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not a checkpoint, or one that does not fit the model
            (names and shapes compared by ``compatibility_problems``).
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint file {checkpoint!r} not found')
    try:
        ckpt = torch.load(checkpoint, map_location='cpu')
    except Exception as err:  # any unpickling failure: not a checkpoint
        raise ValueError(
            f'checkpoint {checkpoint!r} cannot be read by torch.load '
            f'({type(err).__name__}: {err}); pass a .pth file saved by '
            f'tools/train.py') from err
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise ValueError(f'checkpoint {checkpoint!r} holds no state_dict; '
                         f'pass a .pth file saved by tools/train.py')
    model_state = model.state_dict()
    state = plain_keys(state, model_keys=set(model_state))
    problems = compatibility_problems(model_state, state)
    if problems:
        trained = ckpt.get('meta', {}).get('experiment_name') \
            if isinstance(ckpt.get('meta'), dict) else None
        raise ValueError(
            f'checkpoint {checkpoint!r} does not fit the '
            f'{type(model).__name__} model of {config_name}: '
            f'{"; ".join(problems)}. It was trained with another config'
            f'{f" (run {trained})" if trained else ""}: pass that config '
            f'(or the same widths, noise_size and image size through '
            f'cfg_options), or a checkpoint of this config.')
    model.load_state_dict(state, strict=True)


def find_test_pipeline(cfg: Config):
    """``(config key, transforms)`` of the test pipeline (the validation
    one when the config has no test dataloader)."""
    for split in ('test', 'val'):
        loader = cfg.get(f'{split}_dataloader')
        if not isinstance(loader, dict):
            continue
        key, dataset = f'{split}_dataloader.dataset', loader.get('dataset')
        while isinstance(dataset, dict) and 'pipeline' not in dataset and \
                isinstance(dataset.get('dataset'), dict):
            key, dataset = key + '.dataset', dataset['dataset']
        if isinstance(dataset, dict) and 'pipeline' in dataset:
            return key + '.pipeline', list(dataset['pipeline'])
    raise ValueError(
        'the config has no test_dataloader.dataset.pipeline (nor a '
        'val_dataloader one): the inferencer converts images with it; add '
        'the pipeline the model was evaluated with')


def resolve_channel_order(
        cfg: Config, preprocessor, channels: int, given: Optional[str],
        pipeline: Optional[Tuple[str, List]] = None) -> str:
    """Channel order (``'rgb'``/``'bgr'``) of colour images in the model.

    In MMagic the model sees colour images in the preprocessor's
    ``output_channel_order`` when set, else in the order the data arrive:
    ``LoadImageFromFile``'s ``channel_order`` (default ``'bgr'``) or the
    data set's (``ARRAY_DATASET_CHANNEL_ORDER``). ``pipeline`` is
    :func:`find_test_pipeline`'s answer when the caller has it (looked up
    here otherwise; ``('', [])`` for a config without one).
    """
    if given is not None and given not in ('rgb', 'bgr'):
        raise ValueError(f"channel_order must be 'rgb' or 'bgr', got "
                         f'{given!r}')
    if channels == 1:
        return given or 'rgb'
    known, source = None, ''
    out = getattr(preprocessor, 'output_channel_order', None)
    if out:
        known, source = out.lower(), 'data_preprocessor.output_channel_order'
    else:
        if pipeline is None:
            try:
                pipeline = find_test_pipeline(cfg)
            except ValueError:
                pipeline = ('', [])
        key, steps = pipeline
        loaders = [t for t in steps if isinstance(t, dict) and str(
            t.get('type', '')).split('.')[-1] == 'LoadImageFromFile']
        if loaders:
            known = str(loaders[0].get('channel_order', 'bgr')).lower()
            source = f'{key} LoadImageFromFile'
        else:
            dataset = cfg.get('test_dataloader', {}).get('dataset', {}) or {}
            kind = str(dataset.get('type', '')).split('.')[-1]
            if kind in ARRAY_DATASET_CHANNEL_ORDER:
                known = ARRAY_DATASET_CHANNEL_ORDER[kind]
                source = f'data set {kind}'
    if given is not None and known is not None and given != known:
        raise ValueError(f'channel_order={given!r} but the config says '
                         f'{known!r} ({source}); drop channel_order')
    if given is None and known is None:
        raise ValueError(
            'cannot tell the channel order of colour images in this model '
            '(no data_preprocessor.output_channel_order, no '
            'LoadImageFromFile in the test pipeline, unknown data set); pass '
            "channel_order='rgb' or 'bgr' (--channel-order)")
    return given or known


__all__ = [
    'ARRAY_DATASET_CHANNEL_ORDER', 'load_config', 'resolve_device',
    'build_model', 'load_weights', 'find_test_pipeline',
    'resolve_channel_order'
]
