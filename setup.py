"""alpha-gan-plugin: alpha-GAN (Rosca et al., 2017) for OpenMMLab MMagic."""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_version():
    scope = {}
    with open(osp.join(HERE, 'alpha_gan_plugin', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def read_requirements(name):
    """Requirement lines of ``requirements/<name>``, comments dropped."""
    lines = []
    with open(osp.join(HERE, 'requirements', name)) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                lines.append(line)
    return lines


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
    packages=find_packages(include=['alpha_gan_plugin', 'alpha_gan_plugin.*']),
    python_requires='>=3.11,<3.12',
    # The stack is pinned: mmagic 1.2.0 asserts mmcv<2.2.0, mmcv 2.1.0 is built
    # for torch 2.1.x, and newer numpy/diffusers/transformers break mmagic's
    # imports (see README "Why this stack").  mmagic itself is installed with
    # --no-deps by tools/install.sh, so it is not listed here.
    install_requires=[
        'torch>=2.1,<2.2',
        'torchvision>=0.16,<0.17',
        'mmcv>=2.1.0,<2.2.0',
        'mmengine>=0.10.7,<1.0.0',
        'numpy>=1.24,<2',
    ],
    extras_require={
        'runtime': read_requirements('runtime.txt'),
    },
    include_package_data=True,
    zip_safe=False,
)
