"""Files that readers see either whole or not at all.

:func:`atomic_write` (and :func:`atomic_write_text`,
:func:`atomic_write_json`, :func:`atomic_savefig`) write a hidden temporary
file in the same folder, fsync it and ``os.replace`` it over the target;
:func:`commit_temp` does the last step for a temporary file written by
someone else (a checkpoint saver).
"""
import contextlib
import json
import os
import os.path as osp
from typing import IO, Iterator


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
