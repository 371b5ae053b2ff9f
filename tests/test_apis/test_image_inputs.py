"""User images -> packed samples: listing, loading, fitting, the config's
test pipeline."""
import os

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from alpha_gan_plugin.apis.inferencers.image_inputs import (ImagePipeline,
                                                            ImageReadError,
                                                            fit_image,
                                                            list_inputs)

PACK = [dict(type='PackInputs')]


def rgb_image(h=20, w=30, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3),
                                                dtype=np.uint8)


def test_list_inputs_folders_files_and_memory(tmp_path):
    for name in ('b.png', 'a.png', '.hidden.png'):
        Image.fromarray(rgb_image()).save(tmp_path / name)
    (tmp_path / 'sub').mkdir()
    listed = list_inputs(str(tmp_path))
    assert [n for n, _ in listed] == [str(tmp_path / 'a.png'),
                                      str(tmp_path / 'b.png')]
    mixed = list_inputs([str(tmp_path / 'b.png'), rgb_image(),
                         torch.rand(2, 1, 8, 8)])
    assert [n for n, _ in mixed] == [str(tmp_path / 'b.png'), 'image_1',
                                     'image_2', 'image_3']
    with pytest.raises(ValueError, match='holds no image files'):
        list_inputs(str(tmp_path / 'sub'))
    with pytest.raises(FileNotFoundError, match='nope.png'):
        list_inputs([str(tmp_path / 'a.png'), str(tmp_path / 'nope.png')])
    with pytest.raises(ValueError, match='no images given'):
        list_inputs([])


def test_fit_image_resizes_and_converts_channels():
    img = rgb_image(40, 60)
    out, notes = fit_image(img, (16, 16), 1, 'rgb')
    luma = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    expected = cv2.resize(luma, (16, 16), interpolation=cv2.INTER_AREA)
    assert np.array_equal(out[..., 0], expected)
    assert notes == ['color->gray', 'resized 40x60->16x16']
    # BGR input: the same luma as its RGB twin
    out_bgr, _ = fit_image(img[..., ::-1], (16, 16), 1, 'bgr')
    assert np.array_equal(out_bgr, out)
    gray = img[..., 0]
    up, notes = fit_image(gray, (64, 64), 3, 'rgb')
    assert up.shape == (64, 64, 3) and notes[0] == 'gray->3ch'
    assert np.array_equal(up[..., 0], up[..., 2])
    assert np.array_equal(up[..., 0], cv2.resize(
        gray, (64, 64), interpolation=cv2.INTER_LINEAR))
    rgba = np.dstack([img, np.full(img.shape[:2], 7, np.uint8)])
    same, notes = fit_image(rgba, (40, 60), 3, 'rgb')
    assert np.array_equal(same, img) and notes == ['alpha dropped']


def packed_gt(sample):
    return sample['data_samples'].gt_img


def test_own_loader_and_config_loader_agree(tmp_path):
    """A 3-channel BGR model: files through the config's LoadImageFromFile
    and through Pillow (the path of data sets without a loader) give the
    same packed pixels and channel order."""
    img = rgb_image(16, 16)
    path = str(tmp_path / 'x.png')
    Image.fromarray(img).save(path)
    with_loader = ImagePipeline(
        [dict(type='LoadImageFromFile', key='gt')] + PACK, (3, 16, 16),
        'bgr', 'test.pipeline')
    without = ImagePipeline(PACK, (3, 16, 16), 'bgr', 'test.pipeline')
    a, rec = with_loader('x', path)
    b, _ = without('x', path)
    c, _ = without('x', Image.fromarray(img))  # in memory: RGB given
    d, _ = without('x', img)
    assert torch.equal(packed_gt(a), packed_gt(b))
    for other in (c, d):
        assert torch.equal(packed_gt(a), packed_gt(other))
    # BGR inside: channel 0 holds blue
    assert torch.equal(packed_gt(a)[0], torch.from_numpy(img[..., 2]))
    assert a['data_samples'].metainfo['gt_channel_order'] == 'bgr'
    assert rec['notes'] == [] and rec['source_size'] == [16, 16]


def test_config_transforms_run_before_fitting(tmp_path):
    path = str(tmp_path / 'x.png')
    Image.fromarray(rgb_image(30, 50)).save(path)
    pipe = ImagePipeline(
        [dict(type='LoadImageFromFile', key='gt'),
         dict(type='Resize', keys='gt', scale=(8, 8))] + PACK, (1, 16, 16),
        'bgr', 'test.pipeline')
    sample, rec = pipe('x', path)
    assert tuple(packed_gt(sample).shape) == (1, 16, 16)
    assert rec['source_size'] == [30, 50]
    assert rec['notes'] == ['color->gray', 'resized 8x8->16x16']
    assert sample['data_samples'].metainfo['gt_color_type'] == 'grayscale'


def test_bad_files_are_named_or_skipped(tmp_path):
    good = str(tmp_path / 'a.png')
    Image.fromarray(rgb_image()).save(good)
    bad = tmp_path / 'b.png'
    bad.write_bytes(b'not a png at all')
    deep = str(tmp_path / 'c.tif')
    Image.fromarray(np.full((8, 8), 2.0, np.float32)).save(deep)
    pipe = ImagePipeline(PACK, (1, 16, 16), 'rgb', 'test.pipeline')
    with pytest.raises(ImageReadError, match=f'{bad}: cannot be read'):
        pipe(str(bad), str(bad))
    with pytest.raises(ImageReadError, match=r'float pixels in \[2, 2\]'):
        pipe(deep, deep)
    with pytest.raises(ImageReadError, match=r'must lie in \[0, 1\]'):
        pipe('image_0', np.full((4, 4), -1, np.float32))
    inputs = list_inputs(str(tmp_path))
    with pytest.raises(ImageReadError, match='b.png'):
        list(pipe.batches(inputs, 2))
    batches = list(pipe.batches(inputs, 2, skip_bad=True))
    packed = sum((b[0] for b in batches), [])
    records = sum((b[1] for b in batches), [])
    skipped = sum((b[2] for b in batches), [])
    assert len(packed) == 1 and records[0]['name'] == good
    assert records[0]['index'] == 0
    assert [s['name'] for s in skipped] == [str(bad), deep]
    # with the config's loader, a bad file is named too
    loader = ImagePipeline([dict(type='LoadImageFromFile', key='gt')] + PACK,
                           (1, 16, 16), 'bgr', 'test.pipeline')
    with pytest.raises(ImageReadError, match='b.png.*LoadImageFromFile'):
        loader(str(bad), str(bad))


def test_pipeline_config_errors():
    with pytest.raises(ValueError, match='must end with PackInputs'):
        ImagePipeline([dict(type='LoadImageFromFile', key='gt')],
                      (1, 8, 8), 'rgb', 'test_dataloader.dataset.pipeline')
    with pytest.raises(ValueError, match="reads 'gt'"):
        ImagePipeline([dict(type='LoadImageFromFile', key='img')] + PACK,
                      (1, 8, 8), 'rgb', 'test_dataloader.dataset.pipeline')


def test_array_inputs_are_checked(tmp_path):
    pipe = ImagePipeline(PACK, (3, 8, 8), 'rgb', 'test.pipeline')
    t = torch.rand(3, 8, 8)
    sample, _ = pipe('image_0', t)
    assert torch.equal(packed_gt(sample),
                       (t * 255 + 0.5).to(torch.uint8))
    with pytest.raises(ImageReadError, match='float'):
        pipe('image_0', torch.zeros(3, 8, 8, dtype=torch.uint8))
    with pytest.raises(ImageReadError, match='unsupported input type'):
        pipe('image_0', [1, 2, 3])
    assert os.path.isdir(tmp_path)


def test_16_bit_and_float_images_become_8_bit(tmp_path):
    """The documented rule: uint16 v -> round(v / 257), float v in [0, 1]
    -> round(v * 255); skimage's camera saved as a uint16 PNG works."""
    from skimage import data
    from skimage.util import img_as_uint
    camera = data.camera()  # uint8 (512, 512)
    path = str(tmp_path / 'camera16.png')
    Image.fromarray(img_as_uint(camera)).save(path)  # 8 -> 16 bit: v * 257
    pipe = ImagePipeline(PACK, (1, 512, 512), 'rgb', 'test.pipeline')
    sample, record = pipe(path, path)
    assert torch.equal(packed_gt(sample)[0], torch.from_numpy(camera))
    floats = np.array([[0.0, 0.5], [1.0, 0.25]], np.float32)
    tif = str(tmp_path / 'f.tif')
    Image.fromarray(floats).save(tif)
    pipe2 = ImagePipeline(PACK, (1, 2, 2), 'rgb', 'test.pipeline')
    want = torch.tensor([[0, 128], [255, 64]], dtype=torch.uint8)
    assert torch.equal(packed_gt(pipe2(tif, tif)[0])[0], want)
    assert torch.equal(packed_gt(pipe2('image_0', floats)[0])[0], want)
    rgb16 = np.zeros((2, 2, 3), np.uint16)
    rgb16[0, 0] = 65535
    got = packed_gt(pipe2('image_0', rgb16)[0])
    assert got.shape[0] == 1 and got[0, 0, 0] == 255 and got[0, 1, 1] == 0
    with pytest.raises(ImageReadError, match=r'\[0, 65535\]'):
        pipe2('image_0', np.full((2, 2), -3, np.int32))


def test_folder_skips_and_lists_non_image_files(tmp_path):
    Image.fromarray(rgb_image()).save(tmp_path / 'a.PNG')
    Image.fromarray(rgb_image()).save(tmp_path / 'b.jpg')
    (tmp_path / 'notes.txt').write_text('my notes')
    (tmp_path / 'labels.csv').write_text('a,1')
    (tmp_path / 'broken.png').write_bytes(b'no png')
    skipped = []
    listed = list_inputs(str(tmp_path), skipped)
    assert [os.path.basename(n) for n, _ in listed] == [
        'a.PNG', 'b.jpg', 'broken.png']
    assert sorted(os.path.basename(p) for p in skipped) == [
        'labels.csv', 'notes.txt']
    # an image extension that does not decode is still an error
    pipe = ImagePipeline(PACK, (3, 8, 8), 'rgb', 'test.pipeline')
    with pytest.raises(ImageReadError, match='broken.png'):
        list(pipe.batches(listed, 4))
    only_text = tmp_path / 'text'
    only_text.mkdir()
    (only_text / 'x.txt').write_text('x')
    with pytest.raises(ValueError, match='no image files .1 other'):
        list_inputs(str(only_text))


def test_inputs_are_listed_once(tmp_path):
    """A listing passed back to list_inputs is not listed again (the tool
    lists once, the inferencer reuses it)."""
    from alpha_gan_plugin.apis.inferencers.image_inputs import (ListedInputs,
                                                                list_inputs)
    (tmp_path / 'b.png').write_bytes(b'x')
    (tmp_path / 'a.png').write_bytes(b'x')
    listed = list_inputs(str(tmp_path))
    assert isinstance(listed, ListedInputs)
    assert [n for n, _ in listed] == [str(tmp_path / 'a.png'),
                                      str(tmp_path / 'b.png')]
    (tmp_path / 'c.png').write_bytes(b'x')
    assert list_inputs(listed) is listed
