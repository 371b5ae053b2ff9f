import numpy as np
import pytest
import torch


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
