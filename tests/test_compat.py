"""The DCGANDiscriminator shim (upstream bug open-mmlab/mmagic#2109)."""
import pytest
import torch

from alpha_gan_plugin.compat import DCGANDiscriminator
from mmagic.models.editors.dcgan import \
    DCGANDiscriminator as UpstreamDCGANDiscriminator
from mmagic.registry import MODELS

CFG = dict(input_scale=16, output_scale=4, out_channels=1, in_channels=1,
           base_channels=32)


def test_upstream_bug_still_present():
    """When this fails, upstream fixed #2109: drop the shim in compat.py."""
    disc = UpstreamDCGANDiscriminator(**CFG)
    with pytest.raises(UnboundLocalError, match='init_info'):
        disc.init_weights()


def test_registry_builds_the_fixed_class():
    disc = MODELS.build(dict(type='DCGANDiscriminator', **CFG))
    assert type(disc) is DCGANDiscriminator


def test_fixed_init_keeps_upstream_numerics():
    torch.manual_seed(0)
    disc = MODELS.build(dict(type='DCGANDiscriminator', **CFG))
    # make the weights obviously non-DCGAN before init
    for p in disc.parameters():
        torch.nn.init.constant_(p, 5.0)
    disc.init_weights()
    convs = [m for m in disc.modules() if isinstance(m, torch.nn.Conv2d)]
    norms = [m for m in disc.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert convs and norms
    w = torch.cat([c.weight.flatten() for c in convs])
    assert abs(w.std().item() - 0.02) < 0.003 and abs(w.mean().item()) < 0.003
    assert all((c.bias == 0).all() for c in convs if c.bias is not None)
    bn_w = torch.cat([n.weight.flatten() for n in norms])
    # upstream draws BN weights from N(0, 1)
    assert 0.7 < bn_w.std().item() < 1.3
    assert all((n.bias == 0).all() for n in norms)
