"""Use a trained GAN checkpoint: sample, reconstruct, interpolate, encode,
decode (alpha-GAN and AGE; models without an encoder can sample, decode and
interpolate between seeds or codes).

Usage:
    python tools/infer.py CONFIG CHECKPOINT MODE [--out-dir DIR]
        [--device cpu|cuda] [--seed N] [--batch-size N] [--overwrite]
        [--cfg-options k=v ...] [mode options]

    sample       --num N [--singles]
    reconstruct  --inputs PATH [PATH ...] [--skip-bad] [--grid-size N]
                 [--encoder-noise random|zero] [--no-singles] [--quiet]
    encode       --inputs PATH [PATH ...] [--skip-bad]
    decode       --codes FILE.npy [--no-singles]
    interpolate  (--inputs A B | --seeds S T | --codes FILE.npy [--rows I J])
                 [--steps N] [--interp linear|slerp] [--gif-ms MS]

PATH is an image file or a folder (every file in it; a file that is not an
image stops the run, naming it, unless --skip-bad). Outputs go to
--out-dir (default work_dirs/<config name>/infer/<mode>); no file there is
replaced without --overwrite. See README "Using a trained model".
"""
import argparse
import csv
import io
import os
import os.path as osp
import sys

from _common import ensure_importable, run_cli

MODES = ('sample', 'reconstruct', 'interpolate', 'encode', 'decode')
#: Modes that write one PNG per image unless told otherwise.
SINGLES_BY_DEFAULT = ('reconstruct', 'decode')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Sample, reconstruct, interpolate, encode or decode '
        'with a trained checkpoint')
    parser.add_argument('config', help='config file the model was trained '
                        'with')
    parser.add_argument('checkpoint', help='checkpoint (.pth) of that config')
    parser.add_argument('mode', choices=MODES)
    parser.add_argument('--out-dir', help='output folder (default: '
                        'work_dirs/<config name>/infer/<mode>)')
    parser.add_argument('--device', default=None,
                        help="'cpu' or 'cuda' (default: cuda when visible)")
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of prior codes and of a stochastic '
                        "encoder's noise (default 0)")
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--overwrite', action='store_true',
                        help='replace existing output files')
    parser.add_argument('--cfg-options', nargs='+', default={},
                        metavar='KEY=VALUE', help='override config keys')
    parser.add_argument('--sample-model', default='orig',
                        choices=['orig', 'ema'])
    parser.add_argument('--channel-order', choices=['rgb', 'bgr'],
                        help='channel order of colour images in the model, '
                        'for configs that do not tell')
    parser.add_argument('--nrow', type=int, default=8,
                        help='images per grid row (default 8)')
    parser.add_argument('--zoom', type=int, default=1,
                        help='enlarge grids, strips and GIFs by this integer '
                        'factor (default 1)')
    parser.add_argument('--singles', action=argparse.BooleanOptionalAction,
                        default=None, help='also write one PNG per image '
                        '(default: on for reconstruct and decode)')
    parser.add_argument('--num', type=int, default=64,
                        help='sample: number of samples (default 64)')
    parser.add_argument('--inputs', nargs='+', metavar='PATH',
                        help='reconstruct/encode: image files or folders; '
                        'interpolate: two image files')
    parser.add_argument('--skip-bad', action='store_true',
                        help='skip unreadable images (listed in the JSON) '
                        'instead of stopping')
    parser.add_argument('--encoder-noise', default='random',
                        choices=['random', 'zero'],
                        help='noise of a stochastic encoder: seeded draws '
                        '(default) or zero')
    parser.add_argument('--grid-size', type=int, default=64,
                        help='sample/reconstruct/decode: images in the grid '
                        '(the first ones; default 64, 0 = no grid)')
    parser.add_argument('--quiet', action='store_true',
                        help='reconstruct: do not print a line per image')
    parser.add_argument('--codes', metavar='FILE.npy',
                        help='decode/interpolate: codes saved by encode or '
                        'sample')
    parser.add_argument('--rows', nargs=2, type=int, metavar=('I', 'J'),
                        help='interpolate: the two rows of --codes')
    parser.add_argument('--seeds', nargs=2, type=int, metavar=('S', 'T'),
                        help='interpolate: between the prior codes of two '
                        'seeds')
    parser.add_argument('--steps', type=int, default=10,
                        help='interpolate: images on the path, ends '
                        'included (default 10)')
    parser.add_argument('--interp', default='linear',
                        choices=['linear', 'slerp'],
                        help='interpolate: linear or spherical')
    parser.add_argument('--gif-ms', type=int, default=150,
                        help='interpolate: milliseconds per GIF frame')
    args = parser.parse_args(argv)
    if args.cfg_options:
        from mmengine.config import DictAction
        action = DictAction(option_strings=[], dest='cfg_options')
        ns = argparse.Namespace()
        action(parser, ns, args.cfg_options)
        args.cfg_options = ns.cfg_options
    return args


def check_args(args):
    """Mode-specific argument checks, before anything is loaded."""
    for key in ('batch_size', 'nrow', 'zoom', 'num', 'gif_ms'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 1, got '
                             f'{getattr(args, key)}')
    if args.grid_size < 0:
        raise ValueError(f'--grid-size must be >= 0, got {args.grid_size}')
    if args.seed < 0:
        raise ValueError(f'--seed must be >= 0, got {args.seed}')
    mode = args.mode
    if mode in ('reconstruct', 'encode') and not args.inputs:
        raise ValueError(f'{mode} needs --inputs (image files or folders)')
    if mode == 'decode' and not args.codes:
        raise ValueError('decode needs --codes FILE.npy')
    if mode == 'interpolate':
        given = [k for k in ('inputs', 'seeds', 'codes') if getattr(args, k)]
        if len(given) != 1:
            raise ValueError('interpolate needs exactly one of --inputs A B, '
                             '--seeds S T, --codes FILE.npy; got '
                             f'{given or "none"}')
        if args.inputs and len(args.inputs) != 2:
            raise ValueError(f'interpolate --inputs takes two image files, '
                             f'got {len(args.inputs)}')
        if args.steps < 2:
            raise ValueError(f'--steps must be >= 2 (both ends are '
                             f'included), got {args.steps}')
    if args.rows and not (mode == 'interpolate' and args.codes):
        raise ValueError('--rows goes with interpolate --codes')
    if args.singles is None:
        args.singles = mode in SINGLES_BY_DEFAULT


class Outputs:
    """The files a run will write: all checked before any is written."""

    def __init__(self, out_dir: str, overwrite: bool):
        self.out_dir = out_dir
        self.overwrite = overwrite
        self.planned = []

    def path(self, *parts) -> str:
        p = osp.join(self.out_dir, *parts)
        self.planned.append(p)
        return p

    def check(self) -> None:
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


def load_codes(path: str):
    import numpy as np
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


def main(argv=None):
    args = parse_args(argv)
    check_args(args)
    ensure_importable()
    from alpha_gan_plugin.apis import AutoEncodingGANInferencer
    from alpha_gan_plugin.apis.inferencers.image_inputs import list_inputs

    out_dir = args.out_dir or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0], 'infer',
        args.mode)
    # Inputs are listed (not read) first: a missing path or an empty
    # folder fails before the model is loaded.
    inputs = None
    if args.mode in ('reconstruct', 'encode'):
        not_images = []
        inputs = [name for name, _ in list_inputs(args.inputs, not_images)]
        if not_images:
            shown = ', '.join(osp.basename(p) for p in not_images[:5])
            more = ' ...' if len(not_images) > 5 else ''
            print(f'skipped non-image files: {len(not_images)} ({shown}'
                  f'{more})', flush=True)
    inferencer = AutoEncodingGANInferencer(
        args.config, args.checkpoint, device=args.device,
        cfg_options=args.cfg_options or None,
        sample_model=args.sample_model, channel_order=args.channel_order)
    print(f'{inferencer.describe()["model"]} from {args.checkpoint} on '
          f'{inferencer.device}; images {inferencer.image_shape}, codes of '
          f'size {inferencer.noise_size}', flush=True)
    if args.mode in ('reconstruct', 'encode'):
        inferencer.require_encoder(args.mode)
    run = dict(sample=run_sample, reconstruct=run_reconstruct,
               encode=run_encode, decode=run_decode,
               interpolate=run_interpolate)[args.mode]
    outputs = Outputs(out_dir, args.overwrite)
    result = run(args, inferencer, outputs, inputs)
    print(f'outputs in {out_dir}')
    return result


def settings(args, inferencer) -> dict:
    return dict(inferencer.describe(), mode=args.mode, seed=args.seed,
                encoder_noise=args.encoder_noise)


def write_images(outputs, folder, names, images, start, width):
    from alpha_gan_plugin.apis.inferencers.pictures import save_png, to_uint8
    for i, (name, arr) in enumerate(zip(names, to_uint8(images))):
        save_png(osp.join(outputs.out_dir, folder,
                          single_name(start + i, name, width)), arr)


def decode_in_batches(args, inferencer, outputs, codes, folder):
    """Decode ``codes`` batch by batch, writing single files (if asked) as
    they come; returns the first ``--grid-size`` images."""
    import torch
    num = codes.shape[0]
    width = len(str(num - 1))
    kept, count = [], 0
    for start in range(0, num, args.batch_size):
        batch = inferencer.decode(codes[start:start + args.batch_size],
                                  args.batch_size)
        if args.singles:
            write_images(outputs, folder, [None] * len(batch), batch, start,
                         width)
        if count < args.grid_size:
            kept.append(batch[:args.grid_size - count])
            count += len(kept[-1])
    return torch.cat(kept) if kept else None


def plan_singles(outputs, folder, num):
    width = len(str(num - 1))
    for i in range(num):
        outputs.path(folder, single_name(i, None, width))


def run_sample(args, inferencer, outputs, _):
    import numpy as np
    from alpha_gan_plugin.apis.inferencers import pictures
    from alpha_gan_plugin.utils import atomic_write, atomic_write_json
    grid_path = outputs.path('samples.png') if args.grid_size else None
    codes_path = outputs.path('codes.npy')
    json_path = outputs.path('sample.json')
    if args.singles:
        plan_singles(outputs, 'samples', args.num)
    outputs.check()
    codes = inferencer.prior(args.num, args.seed)
    images = decode_in_batches(args, inferencer, outputs, codes, 'samples')
    if grid_path:
        pictures.save_png(grid_path, pictures.grid(images, args.nrow,
                                                   args.zoom))
    with atomic_write(codes_path, 'wb') as f:
        np.save(f, codes.numpy())
    atomic_write_json(json_path, dict(settings(args, inferencer),
                                      num=args.num))
    return dict(images=images, codes=codes, grid=grid_path)


def run_decode(args, inferencer, outputs, _):
    from alpha_gan_plugin.apis.inferencers import pictures
    from alpha_gan_plugin.utils import atomic_write_json
    codes = inferencer.check_codes(load_codes(args.codes))
    grid_path = outputs.path('decoded.png') if args.grid_size else None
    json_path = outputs.path('decode.json')
    if args.singles:
        plan_singles(outputs, 'decoded', codes.shape[0])
    outputs.check()
    images = decode_in_batches(args, inferencer, outputs, codes, 'decoded')
    if grid_path:
        pictures.save_png(grid_path, pictures.grid(images, args.nrow,
                                                   args.zoom))
    atomic_write_json(json_path, dict(settings(args, inferencer),
                                      codes=args.codes,
                                      num=codes.shape[0]))
    return dict(images=images, grid=grid_path)


def _progress(total, desc):
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit='img', file=sys.stderr,
                dynamic_ncols=True)


def run_reconstruct(args, inferencer, outputs, inputs):
    import torch
    from alpha_gan_plugin.apis.inferencers import pictures
    from alpha_gan_plugin.utils import atomic_write_json, atomic_write_text
    width = len(str(len(inputs) - 1))
    grid_path = outputs.path('data_vs_reconstruction.png') \
        if args.grid_size else None
    csv_path = outputs.path('metrics.csv')
    json_path = outputs.path('reconstruct.json')
    if args.singles:
        for i, name in enumerate(inputs):
            outputs.path('reconstructions', single_name(i, name, width))
    outputs.check()
    rows, skipped, shown, recons = [], [], [], []
    bar = _progress(len(inputs), 'reconstruct')
    try:
        for part in inferencer.iter_reconstruct(
                inputs, args.seed, args.batch_size, skip_bad=args.skip_bad,
                encoder_noise=args.encoder_noise):
            for bad in part.skipped:
                bar.write(f'skipped {bad["name"]}: {bad["reason"]}')
            skipped += part.skipped
            for j, name in enumerate(part.names):
                rec = part.records[j]
                rows.append(dict(
                    name=name, l1=float(part.l1[j]), mse=float(part.mse[j]),
                    psnr=float(part.psnr[j]),
                    source_size='x'.join(map(str, rec['source_size'])),
                    source_channels=rec['source_channels'],
                    notes='; '.join(rec['notes'])))
                if not args.quiet:
                    bar.write(f'{name}: L1 {rows[-1]["l1"]:.4f}  PSNR '
                              f'{rows[-1]["psnr"]:.2f} dB')
            if args.singles and part.names:
                arrays = pictures.to_uint8(part.reconstructions)
                for name, rec, arr in zip(part.names, part.records, arrays):
                    pictures.save_png(osp.join(
                        outputs.out_dir, 'reconstructions',
                        single_name(rec['index'], name, width)), arr)
            room = args.grid_size - sum(len(s) for s in shown)
            if room > 0 and part.names:
                shown.append(part.inputs[:room])
                recons.append(part.reconstructions[:room])
            bar.update(len(part.names) + len(part.skipped))
    finally:
        bar.close()
    if not rows:
        raise ValueError(f'no image could be read ({len(skipped)} skipped); '
                         f'see the reasons above')
    mean = {k: sum(r[k] for r in rows) / len(rows)
            for k in ('l1', 'mse', 'psnr')}
    print(f'mean over {len(rows)} image(s): L1 {mean["l1"]:.4f}  MSE '
          f'{mean["mse"]:.5f}  PSNR {mean["psnr"]:.2f} dB'
          + (f'  ({len(skipped)} skipped)' if skipped else ''))
    if grid_path:
        data, rec = torch.cat(shown), torch.cat(recons)
        pictures.save_png(grid_path, pictures.grid(
            pictures.interleave_rows(data, rec, args.nrow), args.nrow,
            args.zoom))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(csv_path, buf.getvalue())
    report = dict(settings(args, inferencer), count=len(rows), mean=mean,
                  images=rows, skipped=skipped,
                  metric_note='L1, MSE and PSNR (data range 1) per image on '
                  'images mapped to [0, 1], as ReconstructionMetrics')
    atomic_write_json(json_path, report)
    return report


def run_encode(args, inferencer, outputs, inputs):
    import numpy as np
    import torch
    from alpha_gan_plugin.utils import atomic_write, atomic_write_json
    codes_path = outputs.path('codes.npy')
    json_path = outputs.path('encode.json')
    outputs.check()
    names, codes, skipped, records = [], [], [], []
    bar = _progress(len(inputs), 'encode')
    try:
        for part in inferencer.iter_encode(
                inputs, args.seed, args.batch_size, skip_bad=args.skip_bad,
                encoder_noise=args.encoder_noise):
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
        raise ValueError(f'no image could be read ({len(skipped)} skipped); '
                         f'see the reasons above')
    codes = torch.cat(codes)
    with atomic_write(codes_path, 'wb') as f:
        np.save(f, codes.numpy())
    report = dict(settings(args, inferencer), count=len(names),
                  codes_file='codes.npy', rows=names, records=records,
                  skipped=skipped)
    atomic_write_json(json_path, report)
    print(f'{len(names)} code(s) of size {codes.shape[1]} in {codes_path}'
          + (f' ({len(skipped)} skipped)' if skipped else ''))
    return dict(report, codes=codes)


def run_interpolate(args, inferencer, outputs, _):
    import numpy as np
    from alpha_gan_plugin.apis.inferencers import pictures
    from alpha_gan_plugin.utils import atomic_write, atomic_write_json
    if args.inputs:
        a, b = args.inputs
        for p in (a, b):
            if not osp.isfile(p):
                raise FileNotFoundError(f'--inputs {p!r} is not a file')
    elif args.seeds:
        a, b = args.seeds
    else:
        codes = inferencer.check_codes(load_codes(args.codes))
        rows = args.rows
        if rows is None:
            if codes.shape[0] != 2:
                raise ValueError(f'--codes {args.codes!r} holds '
                                 f'{codes.shape[0]} codes; pick two with '
                                 f'--rows I J')
            rows = (0, 1)
        for r in rows:
            if not 0 <= r < codes.shape[0]:
                raise ValueError(f'--rows {r} is outside the {codes.shape[0]}'
                                 f' codes of {args.codes!r}')
        a, b = codes[rows[0]], codes[rows[1]]
    strip_path = outputs.path('interpolation.png')
    gif_path = outputs.path('interpolation.gif')
    codes_path = outputs.path('interpolation_codes.npy')
    json_path = outputs.path('interpolate.json')
    width = len(str(args.steps - 1))
    if args.singles:
        plan_singles(outputs, 'frames', args.steps)
    outputs.check()
    result = inferencer.interpolate(a, b, args.steps, args.interp, args.seed,
                                    args.encoder_noise)
    pictures.save_png(strip_path, pictures.grid(result.images, args.steps,
                                                args.zoom))
    frames = [pictures.zoom_array(f, args.zoom)
              for f in pictures.to_uint8(result.images)]
    pictures.save_gif(gif_path, frames, args.gif_ms)
    with atomic_write(codes_path, 'wb') as f:
        np.save(f, result.codes.numpy())
    if args.singles:
        write_images(outputs, 'frames', [None] * args.steps, result.images,
                     0, width)
    atomic_write_json(json_path, dict(
        settings(args, inferencer), ends=result.ends, steps=args.steps,
        interp=args.interp))
    print(f'{args.steps} steps ({args.interp}) from {result.ends[0]} to '
          f'{result.ends[1]}')
    return dict(images=result.images, codes=result.codes, ends=result.ends,
                strip=strip_path, gif=gif_path)


if __name__ == '__main__':
    run_cli(main)
