"""LocalInceptionScore with a torchvision Inception-v3 state dict."""
import pytest
import torch

from helpers.evaluation import fake_images, feed
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.metrics import (LocalInceptionScore,
                                                 canonical_order)


def test_inception_torchvision_state_dict(tmp_path):
    from torchvision.models import inception_v3
    torch.manual_seed(0)
    net = inception_v3(weights=None, aux_logits=True, init_weights=False,
                       transform_input=False).eval()
    path = str(tmp_path / 'inception_v3_random.pth')
    torch.save(net.state_dict(), path)
    m = LocalInceptionScore(fake_nums=4, inception_path=path, splits=2,
                            channel_order='rgb')
    imgs = fake_images(4, channels=3, size=32)
    feed(m, imgs, 4)
    res = m.evaluate()
    with torch.no_grad():
        x = torch.nn.functional.interpolate(imgs, size=(299, 299),
                                            mode='bilinear',
                                            align_corners=False)
        logits = net(x / 127.5 - 1).double()
    ref = Fm.inception_score(logits[canonical_order(logits)], 2)
    assert res['IS/is'] == pytest.approx(ref[0], abs=1e-5)
    assert 1 <= res['IS/is'] <= 1000
