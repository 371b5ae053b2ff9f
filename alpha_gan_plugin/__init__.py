"""alpha-GAN for OpenMMLab MMagic.

Importing this package (directly or through a config's
``custom_imports=dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)``)
registers its models, datasets, hooks and metrics into ``mmagic.registry``,
and lets configs inherit the installed plugin's configs by package scope
(``_base_ = 'alpha_gan_plugin::alpha_gan/alpha_gan_fashion_mnist.py'``;
``alpha_gan_plugin/registry.py``).
"""
import os

# albumentations (imported by mmagic.evaluation) checks PyPI for a newer
# release at import time; that is a network call on every start, and it fails
# or hangs offline.  Opt out unless the user decided otherwise.
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')

from .version import __version__  # noqa: E402
from . import registry  # noqa: E402,F401  (package scope for _base_ configs)
from . import compat  # noqa: E402,F401  (must precede model imports)
from . import datasets  # noqa: E402,F401
from . import models  # noqa: E402,F401
from . import engine  # noqa: E402,F401
from . import evaluation  # noqa: E402,F401

__all__ = ['__version__']
