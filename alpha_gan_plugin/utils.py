"""Small helpers used across the plugin, written once.

* :func:`unwrap` -- the network inside a distributed wrapper;
* :func:`atomic_write` (and :func:`atomic_write_text`,
  :func:`atomic_write_json`, :func:`atomic_savefig`, :func:`fsync_dir`) --
  files that readers see either whole or not at all;
* :func:`is_autoencoder` / :func:`require_autoencoder` -- the auto-encoder
  protocol (``encode``, ``reconstruct``, ``real_images``) that the plugin's
  hooks, metrics and tools rely on, checked in one place;
* :func:`real_images` / :func:`real_images_and_samples` -- the normalised
  real images of a dataloader batch, as MMagic's ``DataPreprocessor`` makes
  them for training.
"""
import contextlib
import json
import os
import os.path as osp
from typing import IO, Iterator, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import is_model_wrapper
from torch import Tensor

#: Methods a model must have to count as an auto-encoder here.
AUTOENCODER_METHODS = ('encode', 'reconstruct', 'real_images')


def unwrap(module: nn.Module) -> nn.Module:
    """The module inside a (distributed) model wrapper, or the module."""
    return module.module if is_model_wrapper(module) else module


# ----------------------------------------------------------------------
# atomic files
# ----------------------------------------------------------------------
def temp_path(path: str) -> str:
    """The temporary name used while ``path`` is written.

    Hidden, in the same folder (so ``os.replace`` is a rename on one file
    system), and unique per process (two ranks or runs never share it).
    """
    folder, name = osp.split(path)
    return osp.join(folder, f'.{name}.tmp{os.getpid()}')


def fsync_dir(folder: str) -> None:
    """Flush a folder's entries (a rename inside it) to disk, where the
    file system allows it."""
    try:
        fd = os.open(folder or '.', os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without folder fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def fsync_file(path: str) -> None:
    """Flush a closed file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_temp(tmp: str, path: str) -> None:
    """Flush ``tmp`` and rename it to ``path`` (the last step of an atomic
    write whose temporary file was written by someone else, e.g. a
    checkpoint saver)."""
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(osp.dirname(path))


@contextlib.contextmanager
def atomic_write(path: str, mode: str = 'w',
                 encoding: str = None) -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` when the block ends.

    The file is flushed and fsync-ed, then renamed over ``path`` with
    ``os.replace``; readers see the old file or the new one, never a part.
    If the block raises, the temporary file is removed and ``path`` is left
    as it was.

    Args:
        path: Final file.
        mode: ``'w'`` (text) or ``'wb'`` (binary).
        encoding: Text encoding (``'utf-8'`` by default for text).

    Yields:
        The open temporary file.
    """
    if mode not in ('w', 'wb'):
        raise ValueError(f"atomic_write: mode must be 'w' or 'wb', got "
                         f'{mode!r}')
    folder = osp.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    tmp = temp_path(path)
    kwargs = {} if 'b' in mode else dict(encoding=encoding or 'utf-8')
    try:
        with open(tmp, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    fsync_dir(folder)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path) as f:
        f.write(text)


def atomic_write_json(path: str, obj, indent: int = 2) -> None:
    """Write ``obj`` as JSON to ``path`` atomically."""
    with atomic_write(path) as f:
        json.dump(obj, f, indent=indent)
        f.write('\n')


def atomic_savefig(fig, path: str, **kwargs) -> None:
    """Save a matplotlib figure to ``path`` atomically (format from the
    file's extension unless given)."""
    kwargs.setdefault('format', osp.splitext(path)[1].lstrip('.') or 'png')
    with atomic_write(path, 'wb') as f:
        fig.savefig(f, **kwargs)


# ----------------------------------------------------------------------
# the auto-encoder protocol
# ----------------------------------------------------------------------
def is_autoencoder(model: nn.Module) -> bool:
    """True when ``model`` (or the model inside its wrapper) has every
    method of :data:`AUTOENCODER_METHODS`: ``encode(images)`` (codes),
    ``reconstruct(images)`` (``G(E(x))``) and ``real_images(batch)``
    (normalised images of a dataloader batch)."""
    model = unwrap(model)
    return all(callable(getattr(model, name, None))
               for name in AUTOENCODER_METHODS)


def require_autoencoder(model: nn.Module, who: str,
                        otherwise: str = 'remove it for this model'
                        ) -> nn.Module:
    """``model`` unwrapped, or a ``ValueError`` saying that ``who`` needs a
    model with an encoder and, in ``otherwise``, what to do instead."""
    model = unwrap(model)
    if not is_autoencoder(model):
        missing = [n for n in AUTOENCODER_METHODS
                   if not callable(getattr(model, n, None))]
        raise ValueError(
            f'{who} needs a model with an encoder (methods '
            f'{", ".join(AUTOENCODER_METHODS)}); {type(model).__name__} '
            f'lacks {", ".join(missing)}. Use it with alpha-GAN or AGE, or '
            f'{otherwise}.')
    return model


# ----------------------------------------------------------------------
# real images of a batch
# ----------------------------------------------------------------------
def real_images_and_samples(data_preprocessor, batch: dict) -> Tuple:
    """Normalised real images of a raw dataloader batch, and the
    preprocessed data samples (which ``data_preprocessor.destruct`` needs to
    map images back to [0, 255]).

    MMagic's ``DataPreprocessor`` normalises ``data_samples.gt_img`` only in
    training mode, so it is called with ``training=True`` (which adds no
    randomness: augmentation lives in the dataset pipeline).

    Args:
        data_preprocessor: The model's data preprocessor.
        batch: A collated batch, ``dict(inputs=..., data_samples=...)``.

    Returns:
        tuple: (N, C, H, W) images in the generator's output range, and the
        preprocessed data samples (or None).
    """
    data = data_preprocessor(batch, True)
    inputs, samples = data['inputs'], data.get('data_samples')
    if isinstance(inputs, Tensor):
        return inputs, samples
    if isinstance(inputs, dict) and 'img' in inputs:
        return inputs['img'], samples
    if samples is not None and 'gt_img' in samples:
        return samples.gt_img, samples
    raise ValueError('the batch holds no images: the dataset pipeline must '
                     "pack them as 'gt' (end it with PackInputs)")


def real_images(data_preprocessor, batch: dict) -> Tensor:
    """Normalised real images of a raw dataloader batch (see
    :func:`real_images_and_samples`), through :func:`stacked_gt_images`'s
    fast path when the batch allows it."""
    fast = stacked_gt_images(data_preprocessor, batch)
    if fast is not None:
        return fast
    return real_images_and_samples(data_preprocessor, batch)[0]


def stacked_gt_images(preprocessor, batch: dict) -> Optional[Tensor]:
    """``gt_img`` of a batch, converted and normalised as MMagic's
    ``DataPreprocessor(batch, training=True)`` does, without its per-sample
    bookkeeping.

    The full preprocessor deep-copies its mean/std tensors into the metainfo
    of every sample and rebuilds the batch as a new ``DataSample``: about a
    tenth of an alpha-GAN iteration at 32x32 on a CPU, for metadata that
    training does not read. Here the same channel-order parsing, conversion
    and normalisation methods of the preprocessor are applied to the stacked
    batch, so the values are identical (``tests/test_alpha_gan.py`` checks
    it). The batch is left unchanged.

    Returns:
        Tensor or None: (N, C, H, W) images, or None when the batch or the
        preprocessor is not the plain case (another preprocessor class, a
        fixed ``input_view``, images in ``inputs``, unequal shapes or
        channel orders); the caller then runs the full preprocessor.
    """
    from mmagic.models.data_preprocessors import DataPreprocessor
    if type(preprocessor) is not DataPreprocessor or \
            preprocessor.input_view is not None or \
            'gt_img' not in (preprocessor.data_keys or ()):
        return None
    inputs = batch.get('inputs')
    samples = batch.get('data_samples')
    if inputs not in (None, {}) or not isinstance(samples, (list, tuple)) \
            or not samples:
        return None
    imgs = [getattr(s, 'gt_img', None) for s in samples]
    if not all(torch.is_tensor(x) and x.dim() == 3 and
               x.shape == imgs[0].shape and x.dtype == imgs[0].dtype
               for x in imgs):
        return None
    orders = {preprocessor._parse_channel_order('gt_img', x, s)
              for x, s in zip(imgs, samples)}
    if len(orders) != 1:
        return None
    stacked = torch.stack(imgs).to(preprocessor.mean.device)
    stacked, _ = preprocessor._do_conversion(
        stacked, orders.pop(), preprocessor.output_channel_order)
    return preprocessor._do_norm(stacked, True)


# ----------------------------------------------------------------------
# config checks
# ----------------------------------------------------------------------
def reject_unknown_keys(owner: str, unknown, accepted, config_key: str) -> None:
    """Raise ``ValueError`` for config keys nobody reads.

    Such keys are often inherited from a ``_base_`` config (e.g. MMagic's
    WGAN-GP ``loss_config``); the message says how to drop them.

    Args:
        owner: What got them (e.g. ``'AlphaGANLoss'``).
        unknown: The keys not understood (nothing happens when empty).
        accepted: The keys that are understood.
        config_key: Where they sit in a config (e.g. ``'model.loss_config'``).
    """
    unknown = sorted(unknown)
    if not unknown:
        return
    raise ValueError(
        f'{owner} got unknown config keys {unknown}; accepted: '
        f'{sorted(accepted)}. If they come from a _base_ config, replace the '
        f'inherited dict instead of merging into it: '
        f'{config_key}=dict(_delete_=True, ...) (mmengine\'s _delete_ drops '
        f'every inherited key of that dict).')


def non_negative_float(owner: str, key: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` naming ``owner.key``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not value >= 0:
        raise ValueError(f'{owner}: {key} must be a number >= 0, got '
                         f'{value!r}')
    return float(value)


def check_ints(owner: str, minimum: int = 1, **values) -> None:
    """Raise ``ValueError`` naming ``owner.key`` for any value that is not
    an int >= ``minimum`` (bools are refused)."""
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or \
                value < minimum:
            raise ValueError(f'{owner}: {key} must be an int >= {minimum}, '
                             f'got {value!r}')
