"""Small shims around upstream bugs met on the pinned stack.

Each shim names the upstream bug it works around and is covered by a test in
``tests/test_compat.py`` that also pins the upstream failure, so the shim can
be dropped as soon as upstream is fixed. Every private upstream API the
plugin touches is listed in ``PRIVATE_APIS.md`` beside this file.
"""
import torch.nn as nn
from mmengine.model.weight_init import normal_init, update_init_info
from torch.nn.modules.batchnorm import _BatchNorm

from mmagic.models.editors.dcgan import DCGANDiscriminator as _UpstreamDCGAND
from mmagic.registry import MODELS


@MODELS.register_module(name='DCGANDiscriminator', force=True)
class DCGANDiscriminator(_UpstreamDCGAND):
    """MMagic's ``DCGANDiscriminator`` with a working ``init_weights``.

    Upstream bug open-mmlab/mmagic#2109: in mmagic 1.2.0
    ``DCGANDiscriminator.init_weights`` records ``init_info`` only for conv and
    norm layers but passes it to ``update_init_info`` for every module, so the
    first module it meets (the discriminator itself) raises
    ``UnboundLocalError: cannot access local variable 'init_info'``, and any
    config using it (MMagic's own DCGAN configs included) crashes when the
    Runner initialises weights.

    This subclass keeps upstream's numerics exactly (conv weights
    N(0, 0.02), BN weights N(0, 1), BN biases 0) and only records init info
    for every module. Importing ``alpha_gan_plugin`` registers it under the
    upstream name, so ``type='DCGANDiscriminator'`` in any config builds it.
    """

    def init_weights(self):
        """Initialise as upstream does, without the UnboundLocalError."""
        if self.init_cfg is not None and \
                self.init_cfg.get('type') == 'Pretrained':
            super(_UpstreamDCGAND, self).init_weights()
            return
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                normal_init(m, 0, 0.02)
                info = 'conv: normal init, mean 0, std 0.02'
            elif isinstance(m, _BatchNorm):
                nn.init.normal_(m.weight.data)
                nn.init.constant_(m.bias.data, 0)
                info = 'batch norm: weight N(0, 1), bias 0'
            else:
                info = 'no parameters of its own initialised here'
            if hasattr(m, '_params_init_info'):
                update_init_info(m, f'{m.__class__.__name__}: {info}')
