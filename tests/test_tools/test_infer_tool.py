"""tools/infer.py end to end on tiny trained checkpoints."""
import csv
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

from alpha_gan_plugin.apis import ImageReadError
from alpha_gan_plugin.apis.inferencers.pictures import to_uint8
from helpers import needs_fashion_mnist, tool
from helpers.inference import fashion_test_images, read_png, write_pngs

infer_tool = tool('infer')
pytestmark = needs_fashion_mnist


def run(ckpts, kind, mode, out_dir, *extra):
    cfg, ckpt, _ = ckpts[kind]
    from helpers.inference import tiny_options
    return infer_tool.main([cfg, ckpt, mode, '--out-dir', str(out_dir),
                            '--device', 'cpu', *extra, '--cfg-options',
                            *tiny_options(kind)])


def grid_size(n, nrow, side=16, zoom=1):
    rows = -(-n // nrow)
    return ((rows * (side + 2) + 2) * zoom, (nrow * (side + 2) + 2) * zoom)


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    """5 Fashion-MNIST test images (28x28 PNG) and a non-image file."""
    root = tmp_path_factory.mktemp('user_images')
    paths = write_pngs(str(root), fashion_test_images(5))
    (root / 'notes.txt').write_text('not an image\n')
    return str(root), paths


def test_sample_decode_and_no_overwrite(tiny_checkpoints, inferencers,
                                        tmp_path):
    out = tmp_path / 'sample'
    run(tiny_checkpoints, 'alpha_gan', 'sample', out, '--num', '10',
        '--nrow', '4', '--singles', '--seed', '7')
    grid = read_png(out / 'samples.png')
    assert grid.shape[:2] == grid_size(10, 4)
    codes = np.load(out / 'codes.npy')
    inf = inferencers['alpha_gan']
    assert np.array_equal(codes, inf.prior(10, seed=7).numpy())
    expected = to_uint8(inf.sample(10, seed=7))
    singles = sorted(os.listdir(out / 'samples'))
    assert singles == [f'{i}.png' for i in range(10)]
    for i, arr in enumerate(expected):
        assert np.array_equal(read_png(out / 'samples' / f'{i}.png'), arr)
    info = json.loads((out / 'sample.json').read_text())
    assert info['seed'] == 7 and info['num'] == 10
    # the saved codes decode to the same pictures
    dec = tmp_path / 'decode'
    run(tiny_checkpoints, 'alpha_gan', 'decode', dec, '--codes',
        str(out / 'codes.npy'), '--nrow', '4')
    assert np.array_equal(read_png(dec / 'decoded.png'), grid)
    for i in range(10):
        assert np.array_equal(read_png(dec / 'decoded' / f'{i}.png'),
                              expected[i])
    # nothing is replaced without --overwrite
    mtime = os.path.getmtime(out / 'samples.png')
    with pytest.raises(ValueError, match='samples.png exists.*--overwrite'):
        run(tiny_checkpoints, 'alpha_gan', 'sample', out, '--num', '10',
            '--seed', '8')
    assert os.path.getmtime(out / 'samples.png') == mtime
    run(tiny_checkpoints, 'alpha_gan', 'sample', out, '--num', '10',
        '--nrow', '4', '--seed', '7', '--overwrite')
    assert np.array_equal(read_png(out / 'samples.png'), grid)


def test_reconstruct_folder(tiny_checkpoints, inferencers, folder,
                            tmp_path, capsys):
    root, paths = folder
    out = tmp_path / 'rec'
    # an image extension that does not decode: an error without --skip-bad
    with_bad = tmp_path / 'with_bad'
    write_pngs(str(with_bad), fashion_test_images(2))
    (with_bad / 'broken.png').write_bytes(b'not a png')
    with pytest.raises(ImageReadError, match='broken.png: cannot be read'):
        run(tiny_checkpoints, 'alpha_gan', 'reconstruct', out, '--inputs',
            str(with_bad))
    assert not osp.exists(out / 'metrics.csv')
    capsys.readouterr()
    # notes.txt (not an image extension) is skipped and counted
    report = run(tiny_checkpoints, 'alpha_gan', 'reconstruct', out,
                 '--inputs', root, '--batch-size', '2',
                 '--grid-size', '4', '--nrow', '2')
    assert 'skipped non-image files: 1 (notes.txt)' in capsys.readouterr().out
    saved = json.loads((out / 'reconstruct.json').read_text())
    assert saved['count'] == 5 == report['count']
    assert saved['skipped'] == []
    rec = inferencers['alpha_gan'].reconstruct(paths)
    with open(out / 'metrics.csv') as f:
        rows = list(csv.DictReader(f))
    assert [r['name'] for r in rows] == paths
    assert np.allclose([float(r['l1']) for r in rows], rec.l1.numpy(),
                       atol=1e-9)
    assert np.allclose([float(r['psnr']) for r in rows], rec.psnr.numpy(),
                       atol=1e-9)
    assert rows[0]['source_size'] == '28x28'
    assert rows[0]['notes'] == 'resized 28x28->16x16'
    assert saved['mean']['l1'] == pytest.approx(rec.l1.mean().item())
    assert saved['mean']['psnr'] == pytest.approx(rec.psnr.mean().item())
    # 4 images, 2 a row: data, reconstruction, data, reconstruction
    grid = read_png(out / 'data_vs_reconstruction.png')
    assert grid.shape[:2] == grid_size(8, 2)
    data = to_uint8(rec.inputs)
    assert np.array_equal(grid[2:18, 2:18, 0], data[0])
    assert np.array_equal(grid[20:36, 2:18, 0], to_uint8(
        rec.reconstructions)[0])
    names = sorted(os.listdir(out / 'reconstructions'))
    assert names == [f'{i}_img{i:02d}.png' for i in range(5)]
    for i, arr in enumerate(to_uint8(rec.reconstructions)):
        assert np.array_equal(
            read_png(out / 'reconstructions' / f'{i}_img{i:02d}.png'), arr)


def test_encode_then_decode_equals_reconstruct(tiny_checkpoints,
                                               inferencers, folder,
                                               tmp_path):
    root, paths = folder
    enc = tmp_path / 'enc'
    run(tiny_checkpoints, 'age', 'encode', enc, '--inputs', *paths)
    codes = np.load(enc / 'codes.npy')
    inf = inferencers['age']
    assert np.allclose(codes, inf.encode(paths).numpy(), atol=1e-6)
    assert np.allclose(np.linalg.norm(codes, axis=1), 1, atol=1e-5)
    info = json.loads((enc / 'encode.json').read_text())
    assert info['rows'] == paths and info['skipped'] == []
    dec = tmp_path / 'dec'
    run(tiny_checkpoints, 'age', 'decode', dec, '--codes',
        str(enc / 'codes.npy'))
    rec = tmp_path / 'rec'
    run(tiny_checkpoints, 'age', 'reconstruct', rec, '--inputs', *paths,
        '--quiet')
    for i in range(5):
        assert np.array_equal(
            read_png(dec / 'decoded' / f'{i}.png'),
            read_png(rec / 'reconstructions' / f'{i}_img{i:02d}.png'))


def test_interpolate_strip_gif_and_ends(tiny_checkpoints, inferencers,
                                        folder, tmp_path):
    _, paths = folder
    out = tmp_path / 'interp'
    result = run(tiny_checkpoints, 'alpha_gan', 'interpolate', out,
                 '--inputs', paths[0], paths[1], '--steps', '5', '--interp',
                 'slerp', '--zoom', '2', '--singles')
    strip = read_png(out / 'interpolation.png')
    assert strip.shape[:2] == grid_size(5, 5, zoom=2)
    rec = to_uint8(inferencers['alpha_gan'].reconstruct(
        paths[:2]).reconstructions)
    zoom = lambda a: a.repeat(2, 0).repeat(2, 1)  # noqa: E731
    # Pillow merges equal consecutive frames (adding their durations):
    # expand the GIF back to one frame per 150 ms, the default
    shown = []
    with Image.open(out / 'interpolation.gif') as gif:
        assert gif.size == (32, 32)
        for i in range(gif.n_frames):
            gif.seek(i)
            repeat, rest = divmod(gif.info['duration'], 150)
            assert rest == 0
            shown += [np.asarray(gif.convert('L'))] * repeat
    expected = [zoom(a) for a in to_uint8(result['images'])]
    assert len(shown) == 5
    assert all(np.array_equal(a, b) for a, b in zip(shown, expected))
    assert np.array_equal(shown[0], zoom(rec[0]))
    assert np.array_equal(shown[-1], zoom(rec[1]))
    assert np.array_equal(read_png(out / 'frames' / '0.png'), rec[0])
    assert np.array_equal(read_png(out / 'frames' / '4.png'), rec[1])
    codes = np.load(out / 'interpolation_codes.npy')
    assert codes.shape == (5, 8)
    assert torch.equal(result['codes'], torch.from_numpy(codes))
    # between seeds, and between two rows of a code file
    seeds = tmp_path / 'seeds'
    run(tiny_checkpoints, 'dcgan', 'interpolate', seeds, '--seeds', '3',
        '4', '--steps', '3')
    sample = to_uint8(inferencers['dcgan'].sample(1, seed=3))[0]
    strip = read_png(seeds / 'interpolation.png')
    assert np.array_equal(strip[2:18, 2:18, 0], sample)
    three = tmp_path / 'three.npy'
    np.save(three, inferencers['alpha_gan'].prior(3, seed=0).numpy())
    with pytest.raises(ValueError, match='holds 3 codes.*--rows'):
        run(tiny_checkpoints, 'alpha_gan', 'interpolate', tmp_path / 'c',
            '--codes', str(three))
    run(tiny_checkpoints, 'alpha_gan', 'interpolate', tmp_path / 'c',
        '--codes', str(three), '--rows', '0', '2', '--steps', '4')
    got = np.load(tmp_path / 'c' / 'interpolation_codes.npy')
    assert np.array_equal(got[[0, -1]], np.load(three)[[0, 2]])


def test_tool_errors(tiny_checkpoints, folder, tmp_path):
    _, paths = folder
    cases = [
        ('alpha_gan', 'interpolate', ['--seeds', '1', '2', '--steps', '0'],
         '--steps must be >= 2'),
        ('alpha_gan', 'interpolate', ['--seeds', '1', '2', '--steps', '1'],
         '--steps must be >= 2'),
        ('alpha_gan', 'sample', ['--num', '0'], '--num must be >= 1'),
        ('alpha_gan', 'sample', ['--num', '-4'], '--num must be >= 1'),
        ('alpha_gan', 'reconstruct', [], 'needs --inputs'),
        ('alpha_gan', 'interpolate', ['--seeds', '1', '2', '--inputs',
                                      *paths[:2]], 'exactly one of'),
        ('alpha_gan', 'interpolate', ['--inputs', *paths[:3]],
         'two image files'),
        ('alpha_gan', 'decode', [], 'needs --codes'),
        ('dcgan', 'reconstruct', ['--inputs', paths[0]],
         'reconstruct needs a model with an encoder; DCGAN'),
        ('dcgan', 'encode', ['--inputs', paths[0]],
         'encode needs a model with an encoder; DCGAN'),
        ('dcgan', 'interpolate', ['--inputs', *paths[:2]],
         'needs a model with an encoder; DCGAN'),
    ]
    for kind, mode, extra, message in cases:
        with pytest.raises(ValueError, match=message):
            run(tiny_checkpoints, kind, mode, tmp_path / 'x', *extra)
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(ValueError, match='holds no image files'):
        run(tiny_checkpoints, 'alpha_gan', 'reconstruct', tmp_path / 'x',
            '--inputs', str(empty))
    bad_codes = tmp_path / 'bad.npy'
    bad_codes.write_text('nope')
    with pytest.raises(ValueError, match='bad.npy.*not a numpy'):
        run(tiny_checkpoints, 'alpha_gan', 'decode', tmp_path / 'x',
            '--codes', str(bad_codes))
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match='no GPU'):
            run(tiny_checkpoints, 'alpha_gan', 'sample', tmp_path / 'x',
                '--device', 'cuda')
    # DCGAN still samples
    run(tiny_checkpoints, 'dcgan', 'sample', tmp_path / 'dc', '--num', '4')
    assert read_png(tmp_path / 'dc' / 'samples.png').shape[:2] == \
        grid_size(4, 8)
    assert not osp.exists(tmp_path / 'x')


def test_16_bit_camera_png_reconstructs(tiny_checkpoints, tmp_path):
    """skimage's camera saved as a uint16 PNG (the issue's example)."""
    from skimage import data
    from skimage.util import img_as_uint
    path = tmp_path / 'camera16.png'
    Image.fromarray(img_as_uint(data.camera())).save(path)
    with Image.open(path) as img:
        assert img.mode.startswith('I')
    report = run(tiny_checkpoints, 'alpha_gan', 'reconstruct',
                 tmp_path / 'o', '--inputs', str(path))
    assert report['count'] == 1
    with open(tmp_path / 'o' / 'metrics.csv') as f:
        assert next(csv.DictReader(f))['source_size'] == '512x512'
