"""Sample, reconstruct, interpolate, encode or decode with a checkpoint.

alpha-GAN and AGE; models without an encoder sample, decode and interpolate.

Usage: python tools/infer.py CONFIG CHECKPOINT MODE [options], MODE one of
    sample       --num N [--singles]
    reconstruct  --inputs PATH [PATH ...] [--skip-bad] [--grid-size N]
                 [--encoder-noise random|zero] [--no-singles] [--quiet]
    encode       --inputs PATH [PATH ...] [--skip-bad]
    decode       --codes FILE.npy [--no-singles]
    interpolate  (--inputs A B | --seeds S T | --codes FILE.npy [--rows I J])
                 [--steps N] [--interp linear|slerp] [--gif-ms MS]

PATH is an image file or a folder (its image files; one that does not
decode stops the run unless --skip-bad). Outputs go to --out-dir (default
work_dirs/<config name>/infer/<mode>), never replaced without --overwrite;
written by ``apis.writers.InferenceWriter`` (docs/inference.md).
"""
import argparse
import os.path as osp

from _common import ensure_importable, parse_with_cfg_options, run_cli

MODES = ('sample', 'reconstruct', 'interpolate', 'encode', 'decode')
SINGLES_BY_DEFAULT = ('reconstruct', 'decode')  # a PNG per image unless told
MODELS = ('orig', 'ema')  # generator or its moving average


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config the model was trained with')
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
    parser.add_argument('--overwrite', action='store_true', help='replace '
                        'existing output files')
    parser.add_argument('--cfg-options', nargs='+', default={},
                        metavar='KEY=VALUE', help='override config keys')
    parser.add_argument('--sample-model', default='orig', choices=MODELS)
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
    parser.add_argument('--gif-ms', type=int, default=150, help='interpolate:'
                        ' milliseconds per GIF frame')
    return parse_with_cfg_options(parser, argv)


def check_args(args):
    """Mode-specific argument checks, before anything is loaded."""
    for key in ('batch_size', 'nrow', 'zoom', 'num', 'gif_ms'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 1, got '
                             f'{getattr(args, key)}')
    for key in ('grid_size', 'seed'):
        if getattr(args, key) < 0:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 0, got '
                             f'{getattr(args, key)}')
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


def interpolation_ends(args, inferencer):
    """The two ends of ``interpolate``: image files, seeds or code rows."""
    from alpha_gan_plugin.apis.writers import load_codes
    if args.inputs:
        for p in args.inputs:
            if not osp.isfile(p):
                raise FileNotFoundError(f'--inputs {p!r} is not a file')
        return args.inputs
    if args.seeds:
        return args.seeds
    codes = inferencer.check_codes(load_codes(args.codes))
    rows = args.rows
    if rows is None:
        if codes.shape[0] != 2:
            raise ValueError(f'--codes {args.codes!r} holds {codes.shape[0]} '
                             f'codes; pick two with --rows I J')
        rows = (0, 1)
    for r in rows:
        if not 0 <= r < codes.shape[0]:
            raise ValueError(f'--rows {r} is outside the {codes.shape[0]} '
                             f'codes of {args.codes!r}')
    return codes[rows[0]], codes[rows[1]]


def main(argv=None):
    args = parse_args(argv)
    check_args(args)
    ensure_importable()
    from alpha_gan_plugin.apis import AutoEncodingGANInferencer
    from alpha_gan_plugin.apis.inferencers.image_inputs import list_inputs
    from alpha_gan_plugin.apis.writers import InferenceWriter, WriterOptions

    out_dir = args.out_dir or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0], 'infer',
        args.mode)
    # Inputs are listed (not read) once, first: a missing path or an empty
    # folder fails before the model is loaded.
    inputs = None
    if args.mode in ('reconstruct', 'encode'):
        not_images = []
        inputs = list_inputs(args.inputs, not_images)
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
    writer = InferenceWriter(inferencer, out_dir, WriterOptions(
        seed=args.seed, batch_size=args.batch_size,
        encoder_noise=args.encoder_noise, nrow=args.nrow, zoom=args.zoom,
        singles=args.singles, grid_size=args.grid_size,
        overwrite=args.overwrite, quiet=args.quiet))
    if args.mode in ('reconstruct', 'encode'):
        result = getattr(writer, args.mode)(inputs, skip_bad=args.skip_bad)
    elif args.mode in ('sample', 'decode'):
        result = writer.sample(args.num) if args.mode == 'sample' else \
            writer.decode(args.codes)
    else:
        result = writer.interpolate(*interpolation_ends(args, inferencer),
                                    args.steps, args.interp, args.gif_ms)
    print(f'outputs in {out_dir}')
    return result


if __name__ == '__main__':
    run_cli(main)
