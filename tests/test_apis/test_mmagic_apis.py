"""MMagic's own APIs in the installed environment: ``mmagic.apis`` imports,
its ``UnconditionalInferencer`` samples a trained alpha-GAN checkpoint, and
MMagic's metafile reader (``MMagicInferencer``) reads configs/metafile.yml
and picks that inferencer from it."""
import json
import os
import os.path as osp
import random

import numpy as np
import pytest
import torch
import yaml

from helpers import ROOT

FM_CONFIG = osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')
METAFILE = osp.join(ROOT, 'configs', 'metafile.yml')
SUMMARY = osp.join(ROOT, 'docs', 'comparison_10min', 'summary.json')


@pytest.fixture(autouse=True)
def keep_random_state():
    """MMagic's inferencers seed every generator; give the state back."""
    states = (random.getstate(), np.random.get_state(), torch.get_rng_state())
    yield
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.set_rng_state(states[2])


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """The main config's model after two training iterations on random
    images (through its own optimizers), saved as an mmengine checkpoint.
    Returns (checkpoint path, trained model)."""
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import save_checkpoint

    from mmagic.registry import MODELS
    from mmagic.structures import DataSample
    from mmagic.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(FM_CONFIG)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optims = build_optim_wrapper(model, cfg.optim_wrapper)
    g = torch.Generator().manual_seed(0)
    for _ in range(2):
        imgs = torch.randint(0, 256, (8, 1, 32, 32), generator=g,
                             dtype=torch.uint8)
        model.train_step(
            dict(inputs={},
                 data_samples=[DataSample(gt_img=im) for im in imgs]),
            optims)
    path = str(tmp_path_factory.mktemp('ckpt') / 'iter_2.pth')
    save_checkpoint({'meta': {'iter': 2}, 'state_dict': model.state_dict()},
                    path)
    model.eval()
    return path, model


def sample(ckpt, seed, num_batches):
    from mmagic.apis.inferencers import UnconditionalInferencer
    inferencer = UnconditionalInferencer(
        FM_CONFIG, ckpt, device='cpu', seed=seed,
        extra_parameters=dict(num_batches=num_batches))
    result, imgs = inferencer()
    return result, imgs


def test_unconditional_inferencer_samples_the_checkpoint(trained):
    ckpt, model = trained
    result, imgs = sample(ckpt, seed=3, num_batches=6)
    assert imgs.shape == (6, 1, 32, 32)
    assert imgs.dtype == torch.float32
    assert 0 <= imgs.min() < imgs.max() <= 1
    # the images are the checkpoint's generator applied to the noise the
    # inferencer reports (MMagic's [0, 255] output, divided by 255)
    noise = result['noise']
    assert noise.shape == (model.noise_size, )
    with torch.no_grad():
        own = model.generator(noise[None])
    own = model.data_preprocessor.destruct(own, None) / 255.
    torch.testing.assert_close(imgs[:1], own.clamp(0, 1), atol=1e-5,
                               rtol=0)


def test_unconditional_inferencer_is_deterministic_for_a_seed(trained):
    ckpt, _ = trained
    ra, a = sample(ckpt, seed=3, num_batches=4)
    rb, b = sample(ckpt, seed=3, num_batches=4)
    rc, c = sample(ckpt, seed=4, num_batches=4)
    torch.testing.assert_close(a, b, atol=0, rtol=0)
    torch.testing.assert_close(ra['noise'], rb['noise'], atol=0, rtol=0)
    # another seed: other noise, other images (far above float noise)
    assert (ra['noise'] - rc['noise']).abs().max() > 0.1
    assert (a - c).abs().max() > 1e-3


def test_metafile_through_mmagic_inferencer(trained, tmp_path, monkeypatch):
    """MMagic's ``MMagicInferencer`` reads ``configs/<model>/metafile.yml``
    next to its own package (``Models[0].Results[0].Task`` picks the
    inferencer, ``Models[i].Config`` the config). Here its module is made
    to look beside a folder that holds our configs as model 'alpha_gan'."""
    import mmagic.apis.mmagic_inferencer as mi
    from mmagic.apis import MMagicInferencer
    from mmagic.apis.inferencers import UnconditionalInferencer

    fake_root = tmp_path / 'mmagic_root'
    configs = fake_root / 'configs'
    configs.mkdir(parents=True)
    os.symlink(osp.join(ROOT, 'configs'), configs / 'alpha_gan')
    for name in os.listdir(osp.join(ROOT, 'configs')):  # Config: configs/x.py
        os.symlink(osp.join(ROOT, 'configs', name), configs / name)
    (fake_root / 'mmagic' / 'apis').mkdir(parents=True)
    monkeypatch.setattr(mi, '__file__',
                        str(fake_root / 'mmagic' / 'apis' / 'x.py'))
    monkeypatch.setattr(MMagicInferencer, 'inference_supported_models',
                        ['alpha_gan'])
    monkeypatch.setattr(MMagicInferencer, 'inference_supported_models_cfg',
                        {})
    monkeypatch.setattr(MMagicInferencer,
                        'inference_supported_models_cfg_inited', False)

    assert MMagicInferencer.get_inference_supported_tasks() == [
        'Unconditional GANs'
    ]
    assert MMagicInferencer.get_task_supported_models(
        'Unconditional GANs') == ['alpha_gan']
    settings = MMagicInferencer.inference_supported_models_cfg['alpha_gan'][
        'settings']
    with open(METAFILE) as f:
        assert settings == yaml.safe_load(f)['Models']

    ckpt, _ = trained
    editor = MMagicInferencer(model_name='alpha_gan', model_ckpt=ckpt,
                              seed=3, extra_parameters=dict(num_batches=2))
    chosen = editor.inferencer.inferencer  # mmagic's Inferencers wraps it
    assert isinstance(chosen, UnconditionalInferencer)
    assert osp.realpath(chosen.cfg.filename) == osp.realpath(FM_CONFIG)
    _, imgs = editor.infer()
    _, expected = sample(ckpt, seed=3, num_batches=2)
    torch.testing.assert_close(imgs, expected, atol=0, rtol=0)


def test_metafile_results_are_the_measured_ones():
    """Results hold only measured numbers: the Fashion-MNIST entry is the
    mean over the three alpha-GAN seeds of
    docs/comparison_10min/summary.json (rounded to 4 decimals); the entries
    without measurements have empty Metrics, in the form MMagic's reader
    takes (Results[0] with a Task)."""
    with open(METAFILE) as f:
        meta = yaml.safe_load(f)
    with open(SUMMARY) as f:
        runs = json.load(f)['runs']
    measured = [r for r in runs if r['model'] == 'alpha-GAN']
    assert sorted(r['seed'] for r in measured) == [0, 1, 2]
    assert all(r['train_seconds'] >= 600 for r in measured)
    names = []
    for model in meta['Models']:
        names.append(model['Name'])
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Config']
        assert len(model['Results']) == 1
        result = model['Results'][0]
        assert result['Task'] == 'Unconditional GANs'
        assert result['Dataset']
        if model['Name'] == 'alpha_gan_fashion_mnist':
            assert len(result['Metrics']) >= 8 and all(
                value == round(sum(r['final'][key] for r in measured)
                               / len(measured), 4)
                for key, value in result['Metrics'].items()), \
                result['Metrics']
        else:
            assert result['Metrics'] == {}, model['Name']
    assert names[0] == 'alpha_gan_fashion_mnist'


def test_mmengine_reads_the_installed_model_index():
    """mmengine's package-scope lookup reads the installed plugin's
    ``.mim/model-index.yml`` and the metafile it imports."""
    from mmengine.config.utils import _get_cfg_metainfo
    from mmengine.utils import get_installed_path

    package = get_installed_path('alpha-gan-plugin')
    entry = _get_cfg_metainfo(package, 'alpha_gan_fashion_mnist.py')
    assert entry['Name'] == 'alpha_gan_fashion_mnist'
    with open(METAFILE) as f:
        ours = next(m for m in yaml.safe_load(f)['Models']
                    if m['Name'] == 'alpha_gan_fashion_mnist')
    # the installed copy holds the clone's measured numbers
    assert entry['Results'][0]['Metrics'] == ours['Results'][0]['Metrics']
    assert entry['Results'][0]['Metrics'][
        'FID-FMNIST-CNN/fid_fmnist_cnn'] == 25.9146
