"""tools/train.py and tools/test.py end to end through MMagic's Runner."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

from helpers import (FM_CONFIG, FM_TEST_CONFIG, ROOT, TINY, TINY_TEST,
                     TOOLS, needs_fashion_mnist, tool)

train_tool = tool('train')
test_tool = tool('test')



def weights(path):
    return torch.load(path, map_location='cpu')['state_dict']


@needs_fashion_mnist
def test_train_resume_test_cycle(tmp_path):
    work = str(tmp_path / 'run')
    train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options', *TINY])
    for name in ('iter_2.pth', 'iter_4.pth', 'last_checkpoint'):
        assert osp.isfile(osp.join(work, name)), name
    pngs = [f for _, _, fs in os.walk(work) for f in fs if f.endswith('.png')]
    assert {'samples_2.png', 'samples_4.png', 'data_vs_reconstruction_4.png'
            } <= set(pngs)
    state = weights(osp.join(work, 'iter_4.pth'))
    assert any(k.startswith('code_discriminator.') for k in state)
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu')
    assert set(ckpt['optimizer']) >= {'encoder', 'generator',
                                      'discriminator', 'code_discriminator'}

    # a second run in the same work dir must not overwrite it silently
    mtime = os.path.getmtime(osp.join(work, 'iter_4.pth'))
    with pytest.raises(ValueError, match='--resume'):
        train_tool.main([FM_CONFIG, '--work-dir', work, '--cfg-options',
                         *TINY])
    assert os.path.getmtime(osp.join(work, 'iter_4.pth')) == mtime

    # resume from iteration 2 and continue to 6
    train_tool.main([
        FM_CONFIG, '--work-dir', work, '--resume',
        osp.join(work, 'iter_2.pth'), '--cfg-options', *TINY,
        'train_cfg.max_iters=6'
    ])
    resumed = torch.load(osp.join(work, 'iter_6.pth'), map_location='cpu')
    assert resumed['meta']['iter'] == 6

    # evaluate the checkpoint and write the metrics
    out = str(tmp_path / 'metrics.json')
    metrics = test_tool.main([
        FM_TEST_CONFIG, osp.join(work, 'iter_6.pth'), '--work-dir', work,
        '--out', out, '--cfg-options', *TINY_TEST
    ])
    with open(out) as f:
        saved = json.load(f)
    assert 0.0 <= saved['ms-ssim/avg'] <= 1.0
    assert saved['ms-ssim/avg'] == pytest.approx(float(metrics['ms-ssim/avg']))
    with pytest.raises(ValueError, match='exists'):
        test_tool.main([FM_TEST_CONFIG, osp.join(work, 'iter_6.pth'),
                        '--out', out, '--work-dir', work, '--cfg-options',
                        *TINY_TEST])


def test_mmagic_dcgan_config_mixed_into_alpha_gan(tmp_path):
    """MMagic's own DCGAN config + encoder + code discriminator trains."""
    import cv2
    data = tmp_path / 'digits'
    data.mkdir()
    rng = np.random.default_rng(0)
    for i in range(16):
        cv2.imwrite(str(data / f'{i:02d}.png'),
                    rng.integers(0, 256, (64, 64), dtype=np.uint8))
    cfg = osp.join(ROOT, 'configs', 'alpha_gan_mmagic-dcgan_mnist-64x64.py')
    work = str(tmp_path / 'run')
    train_tool.main([
        cfg, '--work-dir', work, '--cfg-options',
        f'train_dataloader.dataset.data_root={data}',
        f'val_dataloader.dataset.data_root={data}',
        f'test_dataloader.dataset.data_root={data}',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'model.generator.base_channels=32',
        'model.discriminator.base_channels=8',
        'model.encoder.base_channels=8',
        'model.code_discriminator.hidden_channels=16',
        'train_cfg.max_iters=2', 'train_cfg.val_begin=100',
        'default_hooks.checkpoint.interval=2', 'custom_hooks=[]'
    ])
    state = weights(osp.join(work, 'iter_2.pth'))
    assert any(k.startswith('encoder.') for k in state)
    assert any(k.startswith('generator.noise2feat') for k in state)


def test_amp_on_cpu_is_refused_clearly(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('GPU present')
    with pytest.raises(ValueError, match='--amp needs a GPU'):
        train_tool.main([FM_CONFIG, '--amp', '--work-dir',
                         str(tmp_path / 'w')])


@needs_fashion_mnist
def test_cli_entry_point(tmp_path):
    """The README's way: a fresh interpreter running tools/train.py."""
    work = str(tmp_path / 'cli')
    proc = subprocess.run(
        [sys.executable, osp.join(TOOLS, 'train.py'), FM_CONFIG,
         '--work-dir', work, '--cfg-options', *TINY,
         'train_cfg.max_iters=2'],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert osp.isfile(osp.join(work, 'iter_2.pth'))
    assert 'loss_code_disc' in proc.stdout + proc.stderr


def test_benchmark_folder_check_prints_each_check(capsys):
    tool('benchmarks/benchmark_folder_check').main(
        ['--num', '6', '--repeats', '1', '--height', '24', '--width', '20'])
    out = capsys.readouterr().out
    assert out.startswith('6 files in a temporary folder (24x20 JPEG')
    rows = [line.split('|')[1:-1] for line in out.splitlines()
            if line.startswith('| ') and not line.startswith(('| check',
                                                             '| ---'))]
    assert [r[0].strip() for r in rows] == ['none', 'header', 'decode']
    assert all(float(r[1]) > 0 and float(r[2]) > 0 for r in rows)
