import numpy as np
import pytest
import torch

from helpers.evaluation import make_files


@pytest.fixture(scope='session')
def photos():
    """Real photos from scikit-image as float64 (1, 3, H, W) in [0, 255]."""
    data = pytest.importorskip('skimage.data')
    out = {}
    for name in ('astronaut', 'coffee', 'chelsea', 'rocket'):
        img = getattr(data, name)().astype(np.float64)
        out[name] = torch.from_numpy(img).permute(2, 0, 1)[None]
    return out


def crop(img, top, left, size):
    return img[..., top:top + size, left:left + size]


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """Test-made network files: domain classifier, feature TorchScript,
    StyleGAN-style Inception TorchScript."""
    return make_files(tmp_path_factory.mktemp('nets'))
