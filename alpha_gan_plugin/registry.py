"""The package scope ``alpha_gan_plugin`` for configs that inherit ours.

An installed plugin ships its configs as ``alpha_gan_plugin/.mim/configs/
alpha_gan/`` (setup.py), so a config can inherit them by package scope::

    _base_ = 'alpha_gan_plugin::alpha_gan/alpha_gan_fashion_mnist.py'

once ``alpha_gan_plugin`` has been imported (this repository's
``tools/train.py`` and ``tools/test.py`` import it before reading a config).
mmengine 0.10.7 needs two things for that, both provided here:

* the package must be listed in ``mmengine.config.utils.MODULE2PACKAGE``
  (``_get_package_and_cfg_path`` refuses any other package);
* every dict with a ``type`` in such a base gets ``_scope_='alpha_gan_plugin'``,
  and mmengine builds it from the registry of that scope, which it finds by
  importing ``alpha_gan_plugin.registry``. The registries below are children
  of MMagic's, hold nothing of their own and look every name up in their
  MMagic parent, so these dicts build exactly as in scope ``mmagic``, where
  the plugin registers everything.
"""
from mmagic import registry as _mmagic_registry
from mmengine.config import utils as _config_utils
from mmengine.registry import Registry

SCOPE = 'alpha_gan_plugin'
_config_utils.MODULE2PACKAGE.setdefault(SCOPE, 'alpha-gan-plugin')


def _child(parent: Registry) -> Registry:
    # locations: mmengine imports them before a lookup; without any it would
    # look for ``alpha_gan_plugin.utils.register_all_modules``.
    return Registry(parent.name, parent=parent, scope=SCOPE,
                    locations=[SCOPE])


_parents = {
    name: value
    for name, value in vars(_mmagic_registry).items()
    if name.isupper() and isinstance(value, Registry)
    and value.scope == 'mmagic'
}
_made = {}
for _name, _parent in _parents.items():
    if id(_parent) not in _made:
        _made[id(_parent)] = _child(_parent)
    globals()[_name] = _made[id(_parent)]

__all__ = sorted(_parents)
