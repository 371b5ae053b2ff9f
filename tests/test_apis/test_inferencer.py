"""AutoEncodingGANInferencer on tiny checkpoints trained by tools/train.py
(alpha-GAN, AGE, MMagic's DCGAN)."""
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate

from alpha_gan_plugin.apis import AutoEncodingGANInferencer, ImageReadError
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.metrics import ReconstructionMetrics
from helpers import FASHION_MNIST_ROOT, needs_fashion_mnist
from helpers.inference import (fashion_test_images, options_dict, save_untrained,
                           tiny_options, write_pngs)

pytestmark = needs_fashion_mnist


@pytest.fixture(scope='module')
def fm_files(tmp_path_factory):
    """12 Fashion-MNIST test images as 28x28 PNG files (what a user has)."""
    folder = tmp_path_factory.mktemp('fm_png')
    return write_pngs(str(folder), fashion_test_images(12))


def test_sample_is_seeded_batch_independent_and_leaves_global_rng(
        inferencers):
    inf = inferencers['alpha_gan']
    assert inf.image_shape == (1, 16, 16) and inf.noise_size == 8
    state = torch.get_rng_state()
    a = inf.sample(10, seed=3)
    b = inf.sample(4, seed=3, batch_size=3)
    c = inf.sample(10, seed=4)
    assert torch.equal(torch.get_rng_state(), state)
    assert a.shape == (10, 1, 16, 16) and a.dtype == torch.float32
    assert 0 <= a.min() and a.max() <= 1
    assert torch.allclose(a[:4], b, atol=1e-6)
    assert torch.equal(a, inf.sample(10, seed=3))
    assert (a - c).abs().max() > 1e-3
    codes = inf.prior(10, seed=3)
    assert torch.equal(codes, torch.stack(
        [torch.randn(8, generator=g) for g in [
            torch.Generator().manual_seed(3)] for _ in range(10)]))
    assert torch.equal(inf.decode(codes), a)
    pil = inf.to_pil(a[:2])
    assert pil[0].size == (16, 16) and pil[0].mode == 'L'
    assert np.array_equal(np.asarray(pil[1]),
                          (a[1, 0] * 255 + 0.5).to(torch.uint8).numpy())


def test_building_leaves_global_rng(tiny_checkpoints):
    cfg, ckpt, opts = tiny_checkpoints['age']
    state = torch.get_rng_state()
    AutoEncodingGANInferencer(cfg, ckpt, device='cpu', cfg_options=opts)
    assert torch.equal(torch.get_rng_state(), state)


def test_reconstruct_matches_reconstruction_metrics(inferencers, fm_files):
    """28x28 PNG files through the inferencer give the errors that the
    plugin's ReconstructionMetrics computes on the config's own 16x16
    data set of the same images."""
    from mmengine.registry import DefaultScope

    from mmagic.registry import DATASETS
    inf = inferencers['alpha_gan']
    rec = inf.reconstruct(fm_files, batch_size=5)
    assert rec.names == fm_files
    assert rec.inputs.shape == rec.reconstructions.shape == (12, 1, 16, 16)
    assert rec.codes.shape == (12, 8)
    assert all(r['notes'] == ['resized 28x28->16x16'] for r in rec.records)
    with DefaultScope.overwrite_default_scope('mmagic'):
        dataset = DATASETS.build(dict(
            type='FashionMNISTDataset', data_root=FASHION_MNIST_ROOT,
            split='test', image_size=16, num_images=12,
            pipeline=[dict(type='PackInputs')]))
    # the same pixels as the data set serves
    data = torch.stack([dataset[i]['data_samples'].gt_img
                        for i in range(12)]).float() / 255.
    assert torch.equal((rec.inputs * 255).round(), (data * 255).round())
    metric = ReconstructionMetrics(real_nums=-1)
    dl = torch.utils.data.DataLoader(dataset, batch_size=7,
                                     collate_fn=pseudo_collate)
    metric.prepare(inf.model, dl)
    for batch in metric.get_metric_sampler(inf.model, dl, [metric]):
        metric.process(batch, [])
    rows = torch.cat(metric.real_results)  # l1, mse, psnr, ms_ssim
    assert torch.allclose(rec.l1, rows[:, 0], atol=1e-6)
    assert torch.allclose(rec.mse, rows[:, 1], atol=1e-7)
    assert torch.allclose(rec.psnr, rows[:, 2], atol=1e-4)
    means = metric.evaluate()
    assert rec.l1.mean().item() == pytest.approx(means['Rec/rec_l1'],
                                                 abs=1e-6)
    assert rec.psnr.mean().item() == pytest.approx(means['Rec/rec_psnr'],
                                                   abs=1e-4)
    # and the pure core on the returned tensors
    core = Fm.reconstruction_metrics(rec.inputs.double(),
                                     rec.reconstructions.double())
    assert torch.allclose(core['l1'], rec.l1, atol=1e-6)
    assert torch.allclose(core['psnr'], rec.psnr, atol=1e-4)
    assert 0 < rec.l1.min() and rec.psnr.max() < 60


def test_encode_decode_and_interpolation_ends(inferencers, fm_files):
    inf = inferencers['alpha_gan']
    rec = inf.reconstruct(fm_files[:4])
    codes = inf.encode(fm_files[:4], batch_size=3)
    assert torch.allclose(codes, rec.codes, atol=1e-6)
    assert torch.allclose(inf.decode(codes), rec.reconstructions, atol=1e-6)
    for mode in ('linear', 'slerp'):
        path = inf.interpolate(fm_files[0], fm_files[1], steps=7, mode=mode)
        assert path.images.shape == (7, 1, 16, 16)
        assert path.ends == fm_files[:2] and path.mode == mode
        assert torch.equal(path.codes[0], rec.codes[0])
        assert torch.equal(path.codes[-1], rec.codes[1])
        assert torch.allclose(path.images[0], rec.reconstructions[0],
                              atol=1e-6)
        assert torch.allclose(path.images[-1], rec.reconstructions[1],
                              atol=1e-6)
        # the middle (t = 1/2) is the midpoint, or the slerp midpoint
        a, b = rec.codes[0].double(), rec.codes[1].double()
        if mode == 'linear':
            mid = (a + b) / 2
        else:
            angle = torch.arccos(a @ b / (a.norm() * b.norm()))
            mid = (a + b) * torch.sin(angle / 2) / torch.sin(angle)
        assert torch.allclose(path.codes[3].double(), mid, atol=1e-6)
        assert torch.allclose(path.images[3], inf.decode(path.codes[3]),
                              atol=1e-6)
    # seeds: the ends are the samples of those seeds
    seeds = inf.interpolate(5, 9, steps=3, mode='slerp')
    assert seeds.ends == ['seed 5', 'seed 9']
    assert torch.allclose(seeds.images[0], inf.sample(1, seed=5)[0],
                          atol=1e-6)
    assert torch.allclose(seeds.images[2], inf.sample(1, seed=9)[0],
                          atol=1e-6)
    # a code and an image
    mixed = inf.interpolate(rec.codes[2], fm_files[3], steps=4)
    assert mixed.ends == ['code', fm_files[3]]
    assert torch.allclose(mixed.images[-1], rec.reconstructions[3],
                          atol=1e-6)


def test_age_codes_live_on_the_sphere(inferencers, fm_files):
    inf = inferencers['age']
    prior = inf.prior(6, seed=1)
    assert torch.allclose(prior.norm(dim=1), torch.ones(6), atol=1e-5)
    codes = inf.encode(fm_files[:5])
    assert torch.allclose(codes.norm(dim=1), torch.ones(5), atol=1e-5)
    # any code is decoded as its direction
    assert torch.allclose(inf.decode(3.7 * codes), inf.decode(codes),
                          atol=1e-5)
    rec = inf.reconstruct(fm_files[:5])
    assert torch.allclose(rec.reconstructions, inf.decode(codes), atol=1e-6)
    path = inf.interpolate(fm_files[0], fm_files[1], steps=5, mode='slerp')
    assert torch.allclose(path.codes.norm(dim=1), torch.ones(5), atol=1e-5)
    assert torch.allclose(path.images[0], rec.reconstructions[0], atol=1e-6)
    assert torch.equal(inf.sample(3, seed=2), inf.sample(3, seed=2))


def test_dcgan_samples_but_refuses_encoder_modes(inferencers, fm_files):
    inf = inferencers['dcgan']
    assert not inf.has_encoder
    samples = inf.sample(5, seed=0)
    assert samples.shape == (5, 1, 16, 16)
    assert torch.equal(samples, inf.sample(5, seed=0))
    path = inf.interpolate(0, 1, steps=4)
    assert torch.allclose(path.images[0], samples[0], atol=1e-6)
    for call in (lambda: inf.encode(fm_files[:1]),
                 lambda: inf.reconstruct(fm_files[:1]),
                 lambda: inf.interpolate(fm_files[0], 1, steps=3)):
        with pytest.raises(ValueError, match='needs a model with an encoder; '
                           'DCGAN .* has none'):
            call()


def test_bad_inputs(inferencers, tiny_checkpoints, fm_files, tmp_path):
    inf = inferencers['alpha_gan']
    for num in (0, -2):
        with pytest.raises(ValueError, match='num must be an int >= 1'):
            inf.sample(num)
    for steps in (0, -1, 1):
        with pytest.raises(ValueError, match='steps must be an int >= 2'):
            inf.interpolate(0, 1, steps=steps)
    with pytest.raises(ValueError, match=r'codes must have shape \(N, 8\)'):
        inf.decode(torch.zeros(3, 5))
    with pytest.raises(ValueError, match='finite'):
        inf.decode(torch.full((1, 8), float('nan')))
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(ValueError, match='holds no image files'):
        inf.reconstruct(str(empty))
    folder = tmp_path / 'mixed'
    write_pngs(str(folder), fashion_test_images(3))
    (folder / 'labels.csv').write_text('0,1,2\n')  # not an image: left out
    (folder / 'labels.png').write_text('0,1,2\n')  # an image name: read
    with pytest.raises(ImageReadError, match='labels.png: cannot be read'):
        inf.reconstruct(str(folder))
    parts = list(inf.iter_reconstruct(str(folder), batch_size=2,
                                      skip_bad=True))
    assert sum(len(p.names) for p in parts) == 3
    skipped = sum((p.skipped for p in parts), [])
    assert [s['name'] for s in skipped] == [str(folder / 'labels.png')]
    with pytest.raises(ValueError, match='batch_size'):
        inf.encode(fm_files[:1], batch_size=0)
    with pytest.raises(ValueError, match='encoder_noise'):
        inf.encode(fm_files[:1], encoder_noise='gaussian')
    # a checkpoint of another model is refused, naming what differs
    cfg, _, opts = tiny_checkpoints['alpha_gan']
    _, age_ckpt, _ = tiny_checkpoints['age']
    with pytest.raises(ValueError, match='does not fit the AlphaGAN model.*'
                       'missing from the checkpoint.*code_discriminator'):
        AutoEncodingGANInferencer(cfg, age_ckpt, device='cpu',
                                  cfg_options=opts)
    with pytest.raises(ValueError, match='other shapes'):
        AutoEncodingGANInferencer(cfg, tiny_checkpoints['alpha_gan'][1],
                                  device='cpu', cfg_options=dict(
                                      opts, **{'model.encoder.base_channels':
                                               4}))
    junk = tmp_path / 'junk.pth'
    junk.write_bytes(b'nope')
    with pytest.raises(ValueError, match='junk.pth.*torch.load'):
        AutoEncodingGANInferencer(cfg, str(junk), device='cpu',
                                  cfg_options=opts)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        AutoEncodingGANInferencer(cfg, str(tmp_path / 'missing.pth'))
    with pytest.raises(ValueError, match="sample_model='ema'.*no EMA"):
        AutoEncodingGANInferencer(cfg, tiny_checkpoints['alpha_gan'][1],
                                  device='cpu', cfg_options=opts,
                                  sample_model='ema')
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match='no GPU'):
            AutoEncodingGANInferencer(cfg, tiny_checkpoints['alpha_gan'][1],
                                      device='cuda', cfg_options=opts)


def test_stochastic_encoder_noise_is_seeded(tmp_path, fm_files):
    """alpha-GAN with E(x, eps): eps of image i is row i of the seed's
    stream (batch-size independent); 'zero' gives one code per image."""
    opts = options_dict(tiny_options('alpha_gan') +
                        ['model.encoder.noise_size=4'])
    ckpt = save_untrained('alpha_gan', str(tmp_path / 'stoch.pth'), opts)
    from helpers.inference import CONFIGS
    inf = AutoEncodingGANInferencer(CONFIGS['alpha_gan'], ckpt, device='cpu',
                                    cfg_options=opts)
    assert inf.encoder_noise_size == 4
    state = torch.get_rng_state()
    a = inf.encode(fm_files[:6], seed=1, batch_size=6)
    b = inf.encode(fm_files[:6], seed=1, batch_size=4)
    c = inf.encode(fm_files[:6], seed=2)
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.allclose(a, b, atol=1e-6)
    assert (a - c).abs().max() > 1e-4
    z1 = inf.encode(fm_files[:6], seed=1, encoder_noise='zero')
    z2 = inf.encode(fm_files[:6], seed=2, encoder_noise='zero')
    assert torch.equal(z1, z2) and (z1 - a).abs().max() > 1e-4
    # the reconstructions use the same draws as encode
    rec = inf.reconstruct(fm_files[:6], seed=1)
    assert torch.allclose(rec.codes, a, atol=1e-6)
    path = inf.interpolate(fm_files[0], fm_files[1], steps=3, seed=1)
    assert torch.allclose(path.codes[0], a[0], atol=1e-6)
    assert torch.allclose(path.codes[-1], a[1], atol=1e-6)


def test_channel_order_of_colour_models(tmp_path):
    """A 3-channel model: images come back RGB whatever the order inside
    the model (RGB data set, BGR LoadImageFromFile, preprocessor output
    order), and gray files are replicated."""
    from PIL import Image
    from helpers.inference import CONFIGS
    red = np.zeros((16, 16, 3), np.uint8)
    red[..., 0] = 255
    red_path = str(tmp_path / 'red.png')
    Image.fromarray(red).save(red_path)
    gray_path = str(tmp_path / 'gray.png')
    Image.fromarray(np.full((20, 20), 90, np.uint8)).save(gray_path)
    colour = options_dict(tiny_options('alpha_gan') + [
        'model.generator.out_channels=3', 'model.discriminator.in_channels=3',
        'model.encoder.in_channels=3', 'test_dataloader.dataset.channels=3'])
    ckpt = save_untrained('alpha_gan', str(tmp_path / 'rgb.pth'), colour)
    load = [dict(type='LoadImageFromFile', key='gt'),
            dict(type='PackInputs')]
    cases = {
        'rgb': {},
        'bgr': {'test_dataloader.dataset.pipeline': load},
        'rgb (output order)': {'test_dataloader.dataset.pipeline': load,
                               'model.data_preprocessor.output_channel_order':
                               'RGB'},
    }
    for expect, extra in cases.items():
        inf = AutoEncodingGANInferencer(CONFIGS['alpha_gan'], ckpt,
                                        device='cpu',
                                        cfg_options=dict(colour, **extra))
        assert inf.channel_order == expect.split()[0]
        rec = inf.reconstruct([red_path, gray_path])
        assert torch.equal(rec.inputs[0, 0], torch.ones(16, 16))
        assert torch.equal(rec.inputs[0, 1:], torch.zeros(2, 16, 16))
        assert torch.allclose(rec.inputs[1], torch.full((3, 16, 16),
                                                        90 / 255.))
        # the config's LoadImageFromFile (color_type 'color') makes gray
        # files 3-channel itself; otherwise the inferencer replicates them
        converted = [] if extra else ['gray->3ch']
        assert rec.records[1]['notes'] == converted + [
            'resized 20x20->16x16']
        # inside the model (after the preprocessor) red is channel 0 (RGB)
        # or 2 (BGR), at +1 after normalisation
        from alpha_gan_plugin.utils.preprocessing import \
            real_images_and_samples
        x, _ = real_images_and_samples(inf.model.data_preprocessor,
                                       pseudo_collate([inf.pipeline(
                                           'red', red_path)[0]]))
        red_at = 0 if inf.channel_order == 'rgb' else 2
        assert torch.equal(x[0, red_at], torch.ones(16, 16))
        assert torch.equal(x[0, 2 - red_at], -torch.ones(16, 16))
    unknown = dict(colour, **{'test_dataloader.dataset.type':
                              'SomeArrayDataset'})
    with pytest.raises(ValueError, match='cannot tell the channel order'):
        AutoEncodingGANInferencer(CONFIGS['alpha_gan'], ckpt, device='cpu',
                                  cfg_options=unknown)
    with pytest.raises(ValueError, match="channel_order='bgr' but the "
                       "config says 'rgb'"):
        AutoEncodingGANInferencer(CONFIGS['alpha_gan'], ckpt, device='cpu',
                                  cfg_options=colour, channel_order='bgr')


def test_folders_are_read_lazily_batch_by_batch(inferencers, tmp_path,
                                                monkeypatch):
    """A folder is read one batch at a time (bounded memory)."""
    from alpha_gan_plugin.apis.inferencers import image_inputs
    paths = write_pngs(str(tmp_path), fashion_test_images(10))
    reads = []
    real = image_inputs.read_with_pillow

    def counting(path, order):
        reads.append(path)
        return real(path, order)

    monkeypatch.setattr(image_inputs, 'read_with_pillow', counting)
    batches = inferencers['alpha_gan'].iter_reconstruct(str(tmp_path),
                                                        batch_size=4)
    first = next(batches)
    assert first.names == paths[:4] and reads == paths[:4]
    rest = list(batches)
    assert [len(b.names) for b in rest] == [4, 2] and reads == paths
