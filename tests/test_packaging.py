"""Packaging: what pip builds from this clone installs beside an existing
MMagic environment, changes nothing of it, and brings the configs along.

The sdist and the wheel are built with ``python -m build --no-isolation``
(the wheel from the sdist, so an incomplete sdist fails here). Each of them,
and the clone as an editable install, goes into a fresh virtual environment
whose site-packages sees this test's stack through a ``.pth`` file (a view of
the stack's site-packages without the plugin's own install, i.e. the
environment of a user who has MMagic but not the plugin). pip runs
with ``--no-index`` and no configuration: it can download nothing, finds
torch, mmcv, mmengine and mmagic installed, and must install the plugin
alone (its ``--report`` is checked). Then, from a folder outside the clone,
the fresh environment imports its own copy of the plugin, and a config that
inherits a shipped config by package scope
(``_base_ = 'alpha_gan_plugin::alpha_gan/alpha_gan_fashion_mnist.py'``)
resolves to the installed copy and builds an AlphaGAN.
"""
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import sysconfig
import tarfile
import zipfile

import pytest

from helpers import ROOT

STACK_SITE = sysconfig.get_paths()['purelib']
BASE = 'alpha_gan_plugin::alpha_gan/alpha_gan_fashion_mnist.py'
CONFIGS = sorted(
    osp.relpath(p, osp.join(ROOT, 'configs'))
    for p in glob.glob(osp.join(ROOT, 'configs', '**', '*'), recursive=True)
    if osp.isfile(p) and '__pycache__' not in p)
TEST_ONLY = {'pytest', 'torch-fidelity', 'pytorch-msssim', 'build',
             'scikit-image', 'prdc'}

# Run by the fresh environment's Python, in a folder outside the clone.
CHECK = r'''
import json, sys
import alpha_gan_plugin
from mmengine.config import Config
from mmengine.registry import DATASETS, MODELS, init_default_scope

leaf = sys.argv[1]
cfg = Config.fromfile(leaf)
base_path, scope = Config._get_cfg_path(sys.argv[2], leaf)
init_default_scope('mmagic')
model = MODELS.build(cfg.model)
with DATASETS.switch_scope_and_registry(
        cfg.train_dataloader.dataset._scope_) as registry:
    dataset = registry.get(cfg.train_dataloader.dataset.type)
print('RESULT ' + json.dumps(dict(
    plugin=alpha_gan_plugin.__file__, base=base_path, scope=scope,
    model=type(model).__name__, generator_channels=cfg.model.generator.base_channels,
    dataset=dataset.__name__, max_iters=cfg.train_cfg.max_iters)))
'''


def clean_pip_env():
    """The environment without pip's configuration (find-links, indexes)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('PIP_')}
    env['PIP_CONFIG_FILE'] = os.devnull
    env['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'
    return env


def run(cmd, **kwargs):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True,
                          text=True, **kwargs)
    assert proc.returncode == 0, (
        f'{" ".join(map(str, cmd))} exited {proc.returncode}\n'
        f'--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}')
    return proc


@pytest.fixture(scope='module')
def stack_view(tmp_path_factory):
    """Links to everything in the stack's site-packages but this plugin's
    own (editable) install."""
    view = tmp_path_factory.mktemp('stack')
    for name in os.listdir(STACK_SITE):
        if name.startswith(('alpha_gan_plugin', 'alpha-gan-plugin',
                            '__editable__.alpha_gan_plugin',
                            '__editable___alpha_gan_plugin')) \
                or name == 'easy-install.pth':
            continue
        os.symlink(osp.join(STACK_SITE, name), view / name)
    return view


@pytest.fixture(scope='module')
def dists(tmp_path_factory):
    out = tmp_path_factory.mktemp('dist')
    run([sys.executable, '-m', 'build', '--no-isolation', '--outdir', out,
         ROOT], env=clean_pip_env())
    sdists = glob.glob(str(out / '*.tar.gz'))
    wheels = glob.glob(str(out / '*.whl'))
    assert len(sdists) == 1 and len(wheels) == 1, os.listdir(out)
    return {'sdist': sdists[0], 'wheel': wheels[0]}


def test_sdist_carries_what_a_build_needs(dists):
    with tarfile.open(dists['sdist']) as tar:
        names = {n.split('/', 1)[1] for n in tar.getnames() if '/' in n}
    for needed in ['setup.py', 'README.md', 'alpha_gan_plugin/__init__.py',
                   'alpha_gan_plugin/version.py',
                   'requirements/constraints-py311.txt',
                   'requirements/constraints-py310.txt']:
        assert needed in names, needed
    assert {f'configs/{c}' for c in CONFIGS} <= names
    assert not any('__pycache__' in n or n.endswith('.pyc') for n in names)
    assert not any('.mim' in n for n in names)  # made by the wheel build


def test_wheel_ships_configs_and_floor_requirements(dists):
    with zipfile.ZipFile(dists['wheel']) as whl:
        names = set(whl.namelist())
        meta_name = next(n for n in names if n.endswith('.dist-info/METADATA'))
        meta = whl.read(meta_name).decode()
        index = whl.read('alpha_gan_plugin/.mim/model-index.yml').decode()
    mim = 'alpha_gan_plugin/.mim/configs/alpha_gan/'
    assert {mim + c for c in CONFIGS} <= names
    assert 'configs/alpha_gan/metafile.yml' in index
    assert not any(n.startswith(('tests/', 'tools/')) for n in names)

    requires = [line.split(':', 1)[1].strip() for line in meta.splitlines()
                if line.startswith('Requires-Dist:')]
    runtime = {r.split(';')[0].replace(' ', ''): r for r in requires
               if 'extra ==' not in r}
    extras = {r.split(';')[0].strip().split('>')[0].split('=')[0]
              for r in requires if 'extra == "tests"' in r}
    assert 'Requires-Python: >=3.8' in meta
    # floors, so that pip keeps an environment's torch and mmcv; upper
    # bounds only where MMagic 1.x asserts them (mmcv, mmengine) and on
    # MMagic's own major version
    by_name = {}
    for r in runtime:
        name = r.split('<')[0].split('>')[0].split('=')[0].split('!')[0]
        by_name[name] = set(r[len(name):].split(','))
    assert by_name['torch'] == {'>=1.13'}
    assert by_name['torchvision'] == {'>=0.14'}
    assert by_name['mmcv'] == {'>=2.0.0', '<2.2.0'}
    for name, upper in (('mmengine', '<1.0.0'), ('mmagic', '<2.0.0')):
        assert upper in by_name[name] and len(by_name[name]) == 2 and any(
            s.startswith('>=') for s in by_name[name]), (name, by_name[name])
    assert not any('==' in r for r in runtime), runtime
    assert extras == TEST_ONLY
    assert not any(r.split('>')[0].split('<')[0] in TEST_ONLY for r in runtime)


@pytest.mark.parametrize('kind', ['sdist', 'wheel', 'editable'])
def test_installs_beside_a_stack_alone(dists, stack_view, kind, tmp_path):
    env_dir = tmp_path / 'env'
    run([sys.executable, '-m', 'venv', '--without-pip', env_dir])
    python = env_dir / 'bin' / 'python'
    site = run([python, '-c', 'import sysconfig; '
                'print(sysconfig.get_paths()["purelib"])']).stdout.strip()
    with open(osp.join(site, 'stack.pth'), 'w') as f:
        f.write(f'{stack_view}\n')
    before = run([python, '-m', 'pip', 'list', '--format=json'],
                 env=clean_pip_env()).stdout

    report = tmp_path / 'report.json'
    target = ['-e', ROOT] if kind == 'editable' else [dists[kind]]
    run([python, '-m', 'pip', 'install', '--no-index', '--no-build-isolation',
         '--report', report, *target], env=clean_pip_env(), cwd=tmp_path)
    installed = [item['metadata']['name']
                 for item in json.loads(report.read_text())['install']]
    assert installed == ['alpha-gan-plugin']
    # the stack the fresh environment sees is what it was
    after = run([python, '-m', 'pip', 'list', '--format=json'],
                env=clean_pip_env()).stdout
    versions = {p['name'].lower(): p['version'] for p in json.loads(after)}
    for p in json.loads(before):
        if p['name'].lower() != 'alpha-gan-plugin':
            assert versions[p['name'].lower()] == p['version'], p

    leaf = tmp_path / 'leaf.py'
    leaf.write_text(f"_base_ = '{BASE}'\n"
                    "model = dict(generator=dict(base_channels=64))\n")
    out = run([python, '-c', CHECK, leaf, BASE], cwd=tmp_path).stdout
    result = json.loads(out.split('RESULT ', 1)[1])
    owner = (osp.join(ROOT, 'alpha_gan_plugin') if kind == 'editable' else
             osp.join(site, 'alpha_gan_plugin'))
    assert osp.dirname(result['plugin']) == owner
    assert result['base'] == osp.join(owner, '.mim', 'configs', 'alpha_gan',
                                      'alpha_gan_fashion_mnist.py')
    with open(result['base']) as shipped, \
            open(osp.join(ROOT, 'configs', 'alpha_gan_fashion_mnist.py')) as src:
        assert shipped.read() == src.read()
    assert result['scope'] == 'alpha_gan_plugin'
    assert result['model'] == 'AlphaGAN'
    assert result['generator_channels'] == 64   # the leaf's own value
    assert result['max_iters'] == 3000          # the base's value
    assert result['dataset'] == 'FashionMNISTDataset'
