"""The files of an inference run: planned before any is written (none is
replaced without ``overwrite``), named in input order, written atomically
(``.npy`` codes, CSV tables); codes read back from ``.npy``."""
import csv
import io
import os.path as osp
from typing import List

import numpy as np

from ..utils.atomic_files import atomic_write, atomic_write_text


class Outputs:
    """The files a run will write: all checked before any is written."""

    def __init__(self, out_dir: str, overwrite: bool):
        self.out_dir = out_dir
        self.overwrite = overwrite
        self.planned: List[str] = []

    def path(self, *parts) -> str:
        """Plan the file ``out_dir/parts...`` and return its path."""
        p = osp.join(self.out_dir, *parts)
        self.planned.append(p)
        return p

    def check(self) -> None:
        """``ValueError`` if a planned file exists (without overwrite)."""
        if self.overwrite:
            return
        existing = [p for p in self.planned if osp.exists(p)]
        if existing:
            raise ValueError(
                f'{existing[0]} exists ({len(existing)} of the '
                f'{len(self.planned)} output files do); pass --overwrite to '
                f'replace them, or choose another --out-dir')


def single_name(index: int, name, width: int) -> str:
    """``<index>.png``, or ``<index>_<file stem>.png`` for a user image
    (the index keeps names unique and in input order)."""
    if name is None:
        return f'{index:0{width}d}.png'
    stem = osp.splitext(osp.basename(name))[0] or 'image'
    return f'{index:0{width}d}_{stem}.png'


def load_codes(path: str) -> np.ndarray:
    """Codes saved by ``encode``/``sample`` (``.npy``), as (N, D)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'--codes file {path!r} not found')
    try:
        codes = np.load(path, allow_pickle=False)
    except Exception as err:  # any reader failure: not a code file
        raise ValueError(f'--codes {path!r} is not a numpy .npy file '
                         f'({type(err).__name__}: {err})') from err
    if codes.ndim == 1:
        codes = codes[None]
    return codes


def save_npy(path: str, array: np.ndarray) -> None:
    """Write a numpy array as ``.npy``, atomically."""
    with atomic_write(path, 'wb') as f:
        np.save(f, array)


def save_csv(path: str, rows: List[dict]) -> None:
    """Write dict rows (the keys of the first as header) as CSV,
    atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(path, buf.getvalue())


__all__ = ['Outputs', 'single_name', 'load_codes', 'save_npy', 'save_csv']
