"""Writing inference results to a folder: the files of ``tools/infer.py``
(grids, single PNGs, GIF strips, ``.npy`` codes, CSV and JSON reports),
callable from Python.

>>> from alpha_gan_plugin.apis import AutoEncodingGANInferencer
>>> from alpha_gan_plugin.apis.writers import InferenceWriter, WriterOptions
>>> inf = AutoEncodingGANInferencer(config, checkpoint, device='cpu')
>>> InferenceWriter(inf, 'out/recon', WriterOptions()).reconstruct(['x.png'])

Every file a call will write is planned first; none is written when one of
them exists (unless ``overwrite``). Files are written atomically.
"""
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Callable, Optional

import torch

from ..utils.atomic_files import atomic_write_json
from .inferencers import pictures
from .inferencers.image_inputs import list_inputs
# importable from here too (tools/infer.py reads codes through this module)
from .output_files import (Outputs, load_codes, save_csv,  # noqa: F401
                           save_npy, single_name)


@dataclass
class WriterOptions:
    """How results are written (the tool's flags of the same names).

    Attributes:
        seed: Seed of prior codes and of a stochastic encoder's noise.
        batch_size: Images per forward pass.
        encoder_noise: ``'random'`` or ``'zero'``.
        nrow: Images per grid row.
        zoom: Integer enlargement of grids, strips and GIFs.
        singles: Also write one PNG per image.
        grid_size: Images in the grid (the first ones; 0 = no grid).
        overwrite: Replace existing files.
        quiet: No line per reconstructed image.
    """

    seed: int = 0
    batch_size: int = 64
    encoder_noise: str = 'random'
    nrow: int = 8
    zoom: int = 1
    singles: bool = False
    grid_size: int = 64
    overwrite: bool = False
    quiet: bool = False


class InferenceWriter:
    """The five operations of an inferencer, written to ``out_dir``.

    Args:
        inferencer: An ``AutoEncodingGANInferencer``.
        out_dir: Output folder.
        options: :class:`WriterOptions`.
        echo: Where one-line messages go (``print`` by default).
    """

    def __init__(self, inferencer, out_dir: str,
                 options: Optional[WriterOptions] = None,
                 echo: Callable[[str], None] = print):
        self.inferencer = inferencer
        self.out_dir = out_dir
        self.opts = options or WriterOptions()
        self.echo = echo

    def _outputs(self) -> Outputs:
        return Outputs(self.out_dir, self.opts.overwrite)

    def settings(self, mode: str) -> dict:
        """What determines the outputs (recorded in each JSON file)."""
        return dict(self.inferencer.describe(), mode=mode,
                    seed=self.opts.seed,
                    encoder_noise=self.opts.encoder_noise)

    def _grid(self, path: str, images) -> None:
        pictures.save_png(path, pictures.grid(images, self.opts.nrow,
                                              self.opts.zoom))

    def _write_singles(self, folder, names, images, start, width) -> None:
        for i, (name, arr) in enumerate(zip(names, pictures.to_uint8(
                images))):
            pictures.save_png(osp.join(self.out_dir, folder, single_name(
                start + i, name, width)), arr)

    def _plan_singles(self, outputs: Outputs, folder: str, num: int):
        width = len(str(num - 1))
        for i in range(num):
            outputs.path(folder, single_name(i, None, width))

    def _decode_in_batches(self, codes, folder):
        """Decode ``codes`` batch by batch, writing single files (if asked)
        as they come; returns the first ``grid_size`` images."""
        num, size = codes.shape[0], self.opts.batch_size
        width = len(str(num - 1))
        kept, count = [], 0
        for start in range(0, num, size):
            batch = self.inferencer.decode(codes[start:start + size], size)
            if self.opts.singles:
                self._write_singles(folder, [None] * len(batch), batch, start,
                                    width)
            if count < self.opts.grid_size:
                kept.append(batch[:self.opts.grid_size - count])
                count += len(kept[-1])
        return torch.cat(kept) if kept else None

    def sample(self, num: int) -> dict:
        """``num`` samples: grid, singles, ``codes.npy``, ``sample.json``."""
        outputs = self._outputs()
        grid_path = outputs.path('samples.png') if self.opts.grid_size \
            else None
        codes_path = outputs.path('codes.npy')
        json_path = outputs.path('sample.json')
        if self.opts.singles:
            self._plan_singles(outputs, 'samples', num)
        outputs.check()
        codes = self.inferencer.prior(num, self.opts.seed)
        images = self._decode_in_batches(codes, 'samples')
        if grid_path:
            self._grid(grid_path, images)
        save_npy(codes_path, codes.numpy())
        atomic_write_json(json_path, dict(self.settings('sample'), num=num))
        return dict(images=images, codes=codes, grid=grid_path)

    def decode(self, codes_file: str) -> dict:
        """The images of the codes in ``codes_file`` (``.npy``)."""
        codes = self.inferencer.check_codes(load_codes(codes_file))
        outputs = self._outputs()
        grid_path = outputs.path('decoded.png') if self.opts.grid_size \
            else None
        json_path = outputs.path('decode.json')
        if self.opts.singles:
            self._plan_singles(outputs, 'decoded', codes.shape[0])
        outputs.check()
        images = self._decode_in_batches(codes, 'decoded')
        if grid_path:
            self._grid(grid_path, images)
        atomic_write_json(json_path, dict(self.settings('decode'),
                                          codes=codes_file,
                                          num=codes.shape[0]))
        return dict(images=images, grid=grid_path)

    def reconstruct(self, inputs, skip_bad: bool = False) -> dict:
        """Reconstructions of images: grid of data vs reconstruction,
        singles, ``metrics.csv`` and ``reconstruct.json`` (per-image and
        mean L1, MSE, PSNR)."""
        inputs = list_inputs(inputs)
        names = [name for name, _ in inputs]
        opts = self.opts
        width = len(str(len(names) - 1))
        outputs = self._outputs()
        grid_path = outputs.path('data_vs_reconstruction.png') \
            if opts.grid_size else None
        csv_path = outputs.path('metrics.csv')
        json_path = outputs.path('reconstruct.json')
        if opts.singles:
            for i, name in enumerate(names):
                outputs.path('reconstructions', single_name(i, name, width))
        outputs.check()
        rows, skipped, shown, recons = [], [], [], []
        bar = _progress(len(names), 'reconstruct')
        try:
            for part in self.inferencer.iter_reconstruct(
                    inputs, opts.seed, opts.batch_size, skip_bad=skip_bad,
                    encoder_noise=opts.encoder_noise):
                for bad in part.skipped:
                    bar.write(f'skipped {bad["name"]}: {bad["reason"]}')
                skipped += part.skipped
                for j, name in enumerate(part.names):
                    rec = part.records[j]
                    rows.append(dict(
                        name=name, l1=float(part.l1[j]),
                        mse=float(part.mse[j]), psnr=float(part.psnr[j]),
                        source_size='x'.join(map(str, rec['source_size'])),
                        source_channels=rec['source_channels'],
                        notes='; '.join(rec['notes'])))
                    if not opts.quiet:
                        bar.write(f'{name}: L1 {rows[-1]["l1"]:.4f}  PSNR '
                                  f'{rows[-1]["psnr"]:.2f} dB')
                if opts.singles and part.names:
                    arrays = pictures.to_uint8(part.reconstructions)
                    for name, rec, arr in zip(part.names, part.records,
                                              arrays):
                        pictures.save_png(osp.join(
                            self.out_dir, 'reconstructions',
                            single_name(rec['index'], name, width)), arr)
                room = opts.grid_size - sum(len(s) for s in shown)
                if room > 0 and part.names:
                    shown.append(part.inputs[:room])
                    recons.append(part.reconstructions[:room])
                bar.update(len(part.names) + len(part.skipped))
        finally:
            bar.close()
        if not rows:
            raise ValueError(f'no image could be read ({len(skipped)} '
                             f'skipped); see the reasons above')
        mean = {k: sum(r[k] for r in rows) / len(rows)
                for k in ('l1', 'mse', 'psnr')}
        self.echo(f'mean over {len(rows)} image(s): L1 {mean["l1"]:.4f}  MSE '
                  f'{mean["mse"]:.5f}  PSNR {mean["psnr"]:.2f} dB' +
                  (f'  ({len(skipped)} skipped)' if skipped else ''))
        if grid_path:
            data, rec = torch.cat(shown), torch.cat(recons)
            self._grid(grid_path,
                       pictures.interleave_rows(data, rec, opts.nrow))
        save_csv(csv_path, rows)
        report = dict(self.settings('reconstruct'), count=len(rows),
                      mean=mean, images=rows, skipped=skipped,
                      metric_note='L1, MSE and PSNR (data range 1) per image '
                      'on images mapped to [0, 1], as ReconstructionMetrics')
        atomic_write_json(json_path, report)
        return report

    def encode(self, inputs, skip_bad: bool = False) -> dict:
        """Codes of images: ``codes.npy`` and ``encode.json`` (rows)."""
        inputs = list_inputs(inputs)
        outputs = self._outputs()
        codes_path = outputs.path('codes.npy')
        json_path = outputs.path('encode.json')
        outputs.check()
        names, codes, skipped, records = [], [], [], []
        bar = _progress(len(inputs), 'encode')
        try:
            for part in self.inferencer.iter_encode(
                    inputs, self.opts.seed, self.opts.batch_size,
                    skip_bad=skip_bad,
                    encoder_noise=self.opts.encoder_noise):
                for bad in part.skipped:
                    bar.write(f'skipped {bad["name"]}: {bad["reason"]}')
                skipped += part.skipped
                names += part.names
                records += part.records
                if part.names:
                    codes.append(part.codes)
                bar.update(len(part.names) + len(part.skipped))
        finally:
            bar.close()
        if not names:
            raise ValueError(f'no image could be read ({len(skipped)} '
                             f'skipped); see the reasons above')
        codes = torch.cat(codes)
        save_npy(codes_path, codes.numpy())
        report = dict(self.settings('encode'), count=len(names),
                      codes_file='codes.npy', rows=names, records=records,
                      skipped=skipped)
        atomic_write_json(json_path, report)
        self.echo(f'{len(names)} code(s) of size {codes.shape[1]} in '
                  f'{codes_path}' +
                  (f' ({len(skipped)} skipped)' if skipped else ''))
        return dict(report, codes=codes)

    def interpolate(self, a, b, steps: int, mode: str = 'linear',
                    gif_ms: int = 150) -> dict:
        """A path between ``a`` and ``b`` (seeds, codes or images; see
        ``AutoEncodingGANInferencer.interpolate``): strip PNG, GIF, codes
        and ``interpolate.json``."""
        outputs = self._outputs()
        strip_path = outputs.path('interpolation.png')
        gif_path = outputs.path('interpolation.gif')
        codes_path = outputs.path('interpolation_codes.npy')
        json_path = outputs.path('interpolate.json')
        if self.opts.singles:
            self._plan_singles(outputs, 'frames', steps)
        outputs.check()
        result = self.inferencer.interpolate(a, b, steps, mode,
                                             self.opts.seed,
                                             self.opts.encoder_noise)
        pictures.save_png(strip_path, pictures.grid(result.images, steps,
                                                    self.opts.zoom))
        frames = [pictures.zoom_array(f, self.opts.zoom)
                  for f in pictures.to_uint8(result.images)]
        pictures.save_gif(gif_path, frames, gif_ms)
        save_npy(codes_path, result.codes.numpy())
        if self.opts.singles:
            self._write_singles('frames', [None] * steps, result.images, 0,
                                len(str(steps - 1)))
        atomic_write_json(json_path, dict(
            self.settings('interpolate'), ends=result.ends, steps=steps,
            interp=mode))
        self.echo(f'{steps} steps ({mode}) from {result.ends[0]} to '
                  f'{result.ends[1]}')
        return dict(images=result.images, codes=result.codes,
                    ends=result.ends, strip=strip_path, gif=gif_path)


def _progress(total, desc):
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit='img', file=sys.stderr,
                dynamic_ncols=True)


__all__ = [
    'Outputs', 'single_name', 'load_codes', 'save_npy', 'save_csv',
    'WriterOptions', 'InferenceWriter'
]
