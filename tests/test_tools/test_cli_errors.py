"""Every tool answers a bad argument, a missing file and a bad checkpoint
(or data file) with one line ``error: ...`` on stderr and exit status 2
(``tools/_common.py: run_cli``); ``--debug`` gives the traceback back.

The cases run in-process through ``run_cli`` (the tools' imports are paid
once); two run as real subprocesses to check the ``__main__`` wiring."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from helpers import FM_TEST_CONFIG, ROOT, TOOLS, tool

FM_CONFIG = osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')
COMPARE_CONFIG = osp.join(ROOT, 'configs', 'compare', 'fashion_mnist.py')


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp('cli')
    bad = d / 'bad.pth'
    bad.write_text('this is not a checkpoint\n')
    idx = d / 'idx'
    idx.mkdir()
    for name in ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
                 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'):
        (idx / name).write_bytes(b'\x00\x01garbage')
    return dict(bad=str(bad), missing=str(d / 'missing.pth'),
                idx=str(idx), dir=str(d))


def _cases(f):
    out = osp.join(f['dir'], 'out')
    return {
        'train': [
            ([FM_CONFIG, '--work-dir', out, '--amp'], '--amp'),
            ([osp.join(f['dir'], 'no_config.py')], 'no_config.py'),
            ([FM_CONFIG, '--work-dir', out, '--resume', f['bad']],
             'bad.pth'),
        ],
        'test': [
            ([FM_TEST_CONFIG, f['bad'], '--work-dir', out,
              '--out', f['bad']], '--out'),
            ([FM_TEST_CONFIG, f['missing'], '--work-dir', out],
             'missing.pth'),
            ([FM_TEST_CONFIG, f['bad'], '--work-dir', out], 'bad.pth'),
        ],
        'infer': [
            ([FM_CONFIG, f['bad'], 'sample', '--num', '0'], '--num'),
            ([FM_CONFIG, f['missing'], 'sample', '--out-dir', out],
             'missing.pth'),
            ([FM_CONFIG, f['bad'], 'sample', '--out-dir', out], 'bad.pth'),
        ],
        'compare': [
            ([COMPARE_CONFIG, '--work-dir', out, '--seeds'], None),
            ([osp.join(f['dir'], 'no_compare.py')], 'no_compare.py'),
            ([COMPARE_CONFIG, '--work-dir', f['dir'], '--report-only'],
             None),
        ],
        'train_domain_classifier': [
            (['--out', out + '.pth', '--epochs', '0'], '--epochs'),
            (['--out', out + '.pth', '--data-root', f['missing']],
             'missing.pth'),
            (['--out', out + '.pth', '--data-root', f['idx']], 'idx'),
        ],
    }


@pytest.mark.parametrize('name', ['train', 'test', 'infer', 'compare',
                                  'train_domain_classifier'])
def test_checked_errors_are_one_line_with_status_2(name, files, capsys,
                                                  monkeypatch):
    monkeypatch.delenv('ALPHA_GAN_DEBUG', raising=False)
    if name == 'train' and torch.cuda.is_available():
        pytest.skip('CPU-only cases')
    mod = tool(name)
    run_cli = tool('_common').run_cli
    for argv, needle in _cases(files)[name]:
        with pytest.raises(SystemExit) as info:
            run_cli(lambda: mod.main(argv), argv=[name] + list(argv))
        assert info.value.code == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert err, argv
        assert err[-1].startswith(('error: ', f'{name}: error:',
                                   'usage: ')) or 'error:' in err[-1], err
        assert 'Traceback' not in '\n'.join(err), err
        if needle is not None:
            assert needle in err[-1], (argv, err[-1])


def test_debug_flag_keeps_the_traceback(files, capsys):
    mod = tool('infer')
    run_cli = tool('_common').run_cli
    argv = [FM_CONFIG, files['missing'], 'sample', '--debug']
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        run_cli(lambda: mod.main([a for a in argv if a != '--debug']),
                argv=['infer'] + argv)


def test_unexpected_errors_keep_their_traceback():
    run_cli = tool('_common').run_cli

    def main():
        raise ValueError('raised outside the plugin')
    with pytest.raises(ValueError, match='outside the plugin'):
        run_cli(main, argv=['x'])
    with pytest.raises(ZeroDivisionError):
        run_cli(lambda: 1 / 0, argv=['x'])


@pytest.mark.parametrize('script,argv', [
    ('infer.py', [FM_CONFIG, '{missing}', 'sample']),
    ('train_domain_classifier.py', ['--out', '{dir}/c.pth', '--epochs', '0']),
])
def test_main_wiring_in_a_fresh_interpreter(script, argv, files):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('ALPHA_GAN_DEBUG', None)
    argv = [a.format(**files) for a in argv]
    proc = subprocess.run([sys.executable, osp.join(TOOLS, script), *argv],
                          capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith('error: '), proc.stderr[-2000:]
    assert 'Traceback' not in proc.stderr
    if script != 'infer.py':
        return
    proc = subprocess.run([sys.executable, osp.join(TOOLS, script), *argv],
                          capture_output=True, text=True, timeout=120,
                          env=dict(env, ALPHA_GAN_DEBUG='1'))
    assert proc.returncode == 1 and 'Traceback' in proc.stderr
