"""CheckpointCompatibilityHook: a checkpoint of another model or of other
widths is refused with one clear error, through both tools."""
import os.path as osp

import pytest
import torch

from helpers import (FM_CONFIG, FM_TEST_CONFIG, has_fashion_mnist,
                     tiny_run_options, tool)
from mmagic.registry import MODELS

train_tool = tool('train')
test_tool = tool('test')
TWO_ITERS = tiny_run_options(FM_CONFIG, iters=2, val_interval=100)
TWO_ITERS_TEST = tiny_run_options(FM_TEST_CONFIG, iters=2, val_interval=100)


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    if not has_fashion_mnist():
        pytest.skip('Fashion-MNIST not installed')
    work = str(tmp_path_factory.mktemp('tiny') / 'run')
    train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                     *TWO_ITERS])
    return work


@pytest.fixture(scope='module')
def dcgan_ckpt(tmp_path_factory):
    """A checkpoint of MMagic's DCGAN (no encoder, no code discriminator)."""
    model = MODELS.build(dict(
        type='DCGAN', noise_size=8,
        data_preprocessor=dict(type='DataPreprocessor'),
        generator=dict(type='DCGANGenerator', output_scale=16,
                       out_channels=1, base_channels=16, noise_size=8),
        discriminator=dict(type='DCGANDiscriminator', input_scale=16,
                           output_scale=4, out_channels=1, in_channels=1,
                           base_channels=8)))
    path = str(tmp_path_factory.mktemp('dcgan') / 'dcgan.pth')
    torch.save(dict(meta=dict(iter=2), state_dict=model.state_dict()), path)
    return path


def test_test_tool_refuses_dcgan_checkpoint(tiny_run, dcgan_ckpt, tmp_path):
    with pytest.raises(ValueError, match=r'does not fit this AlphaGAN.*'
                       r"missing from the checkpoint \(networks "
                       r"\['code_discriminator', 'encoder'\]"):
        test_tool.main([FM_TEST_CONFIG, dcgan_ckpt, '--work-dir',
                        str(tmp_path), '--cfg-options', *TWO_ITERS_TEST])


def test_test_tool_refuses_other_widths(tiny_run, tmp_path):
    ckpt = osp.join(tiny_run, 'iter_2.pth')
    with pytest.raises(ValueError, match=r'tensors have other shapes.*'
                       r'generator.*other widths'):
        test_tool.main([FM_TEST_CONFIG, ckpt, '--work-dir', str(tmp_path),
                        '--cfg-options', *TWO_ITERS_TEST,
                        'model.generator.base_channels=32'])


@pytest.mark.parametrize('how', ['resume', 'load_from'])
def test_train_tool_refuses_dcgan_checkpoint(tiny_run, dcgan_ckpt, tmp_path,
                                             how):
    work = tmp_path / 'w'
    args = [FM_CONFIG, '--work-dir', str(work)]
    extra = []
    if how == 'resume':
        args += ['--resume', dcgan_ckpt]
    else:
        extra = [f'load_from={dcgan_ckpt}']
    with pytest.raises(ValueError, match='does not fit this AlphaGAN'):
        train_tool.main([*args, '--cfg-options', *TWO_ITERS, *extra])
    assert not list(work.glob('*.pth'))


def test_matching_checkpoint_still_loads(tiny_run, tmp_path):
    """The check does not get in the way of a good checkpoint."""
    ckpt = osp.join(tiny_run, 'iter_2.pth')
    metrics = test_tool.main([FM_TEST_CONFIG, ckpt, '--work-dir',
                              str(tmp_path), '--cfg-options', *TWO_ITERS_TEST])
    assert 0.0 <= float(metrics['ms-ssim/avg']) <= 1.0
