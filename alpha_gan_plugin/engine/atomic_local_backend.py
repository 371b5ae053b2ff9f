"""A local file backend for mmengine whose writes are atomic and whose
removals wait until the caller says so."""
import os
import os.path as osp
import shutil
from pathlib import Path
from typing import Iterable, List, Union

from mmengine.fileio import LocalBackend, register_backend

from ..utils.atomic_files import atomic_write

#: Name under which :class:`AtomicLocalBackend` is registered in mmengine's
#: file backends (``backend_args=dict(backend=ATOMIC_LOCAL)``).
ATOMIC_LOCAL = 'atomic_local'


@register_backend(ATOMIC_LOCAL)
class AtomicLocalBackend(LocalBackend):
    """mmengine's ``LocalBackend`` with two differences.

    * ``put`` / ``put_text`` write through a temporary file that is fsync-ed
      and renamed over the target (:func:`~alpha_gan_plugin.utils.
      atomic_write`): readers, and a run killed half-way through the write,
      see the old file or the new one, never a part.
    * ``remove`` / ``rmtree`` only note the path; :meth:`remove_held_back`
      deletes the noted paths. A caller that removes an old file before it
      writes its replacement (as mmengine's ``CheckpointHook`` does) can so
      delete the old file once the new one is complete.

    mmengine creates a new backend object for every ``get_file_backend``
    call; the held-back paths belong to the object ``remove`` was called on.
    """

    def __init__(self):
        super().__init__()
        self.held_back: List[str] = []

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        with atomic_write(str(filepath), 'wb') as f:
            f.write(obj)

    def put_text(self, obj: str, filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        with atomic_write(str(filepath), 'w', encoding) as f:
            f.write(obj)

    def remove(self, filepath: Union[str, Path]) -> None:
        self.held_back.append(str(filepath))

    def rmtree(self, dir_path: Union[str, Path]) -> None:
        self.held_back.append(str(dir_path))

    def remove_held_back(self, keep: Iterable[str] = ()) -> None:
        """Delete the files and folders noted by ``remove`` / ``rmtree``,
        except those in ``keep`` (e.g. a file just written again under the
        same name), and forget them."""
        keep = {str(k) for k in keep}
        paths, self.held_back = self.held_back, []
        for path in paths:
            if path in keep:
                continue
            if osp.isdir(path):
                shutil.rmtree(path)
            elif osp.isfile(path):
                os.remove(path)
