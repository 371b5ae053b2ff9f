"""Small helpers used across the plugin, written once.

* :func:`unwrap` -- the network inside a distributed wrapper;
* :func:`atomic_write` (and :func:`atomic_write_text`,
  :func:`atomic_write_json`, :func:`atomic_savefig`, :func:`fsync_dir`) --
  files that readers see either whole or not at all;
* :func:`is_autoencoder` / :func:`require_autoencoder` -- the auto-encoder
  protocol (``encode``, ``reconstruct``, ``real_images``) that the plugin's
  hooks, metrics and tools rely on, checked in one place.
"""
import contextlib
import json
import os
import os.path as osp
from typing import IO, Iterator

import torch.nn as nn
from mmengine.model import is_model_wrapper

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


def require_autoencoder(model: nn.Module, who: str) -> nn.Module:
    """``model`` unwrapped, or a ``ValueError`` saying that ``who`` needs a
    model with an encoder and what to use instead."""
    model = unwrap(model)
    if not is_autoencoder(model):
        missing = [n for n in AUTOENCODER_METHODS
                   if not callable(getattr(model, n, None))]
        raise ValueError(
            f'{who} needs a model with an encoder (methods '
            f'{", ".join(AUTOENCODER_METHODS)}); {type(model).__name__} '
            f'lacks {", ".join(missing)}. Use it with alpha-GAN or AGE, or '
            f'remove it for this model.')
    return model
