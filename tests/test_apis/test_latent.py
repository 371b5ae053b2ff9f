"""Seeded noise streams and interpolation paths (pure functions)."""
import math

import pytest
import torch

from alpha_gan_plugin.apis.inferencers.latent import (PARALLEL_ANGLE,
                                                      SeededNormal,
                                                      interpolate_codes, lerp,
                                                      slerp)


def test_seeded_normal_rows_do_not_depend_on_chunking_or_global_rng():
    state = torch.get_rng_state()
    whole = SeededNormal(7, 20).take(10)
    stream = SeededNormal(7, 20)
    torch.manual_seed(123)  # the global generator plays no part
    parts = torch.cat([stream.take(3), stream.take(0), stream.take(7)])
    assert torch.equal(whole, parts)
    torch.set_rng_state(state)
    SeededNormal(7, 20).take(5)
    assert torch.equal(state, torch.get_rng_state())
    other = SeededNormal(8, 20).take(10)
    assert not torch.allclose(whole, other)
    assert whole.shape == (10, 20) and whole.dtype == torch.float32
    # N(0, 1): a loose check on 10k values
    big = SeededNormal(0, 100).take(100)
    assert abs(big.mean().item()) < 0.05
    assert abs(big.std().item() - 1) < 0.05


def test_seeded_normal_rejects_bad_arguments():
    with pytest.raises(ValueError, match='seed'):
        SeededNormal(-1, 4)
    with pytest.raises(ValueError, match='dim'):
        SeededNormal(0, 0)
    with pytest.raises(ValueError, match='num'):
        SeededNormal(0, 4).take(-2)


def test_slerp_between_orthogonal_unit_codes_stays_on_the_circle():
    a = torch.tensor([1., 0., 0.])
    b = torch.tensor([0., 1., 0.])
    path = interpolate_codes(a, b, 5, 'slerp')
    assert torch.equal(path[0], a) and torch.equal(path[-1], b)
    assert torch.allclose(path.norm(dim=1), torch.ones(5), atol=1e-6)
    # t = 1/2: the bisector; t = 1/4: angle pi/8 from a
    h = 1 / math.sqrt(2)
    assert torch.allclose(path[2], torch.tensor([h, h, 0.]), atol=1e-7)
    assert torch.allclose(
        path[1], torch.tensor([math.cos(math.pi / 8),
                               math.sin(math.pi / 8), 0.]), atol=1e-7)
    # linear: the chord, shorter than 1 in the middle
    lin = interpolate_codes(a, b, 5, 'linear')
    assert torch.allclose(lin[2], torch.tensor([.5, .5, 0.]))
    assert lin[2].norm() < 0.71


def test_slerp_of_unequal_norms_and_nearly_parallel_codes():
    a = torch.tensor([2., 0.])
    b = torch.tensor([0., 1.])
    mid = slerp(a, b, torch.tensor([0.5]))[0]
    assert torch.allclose(mid, (a + b) * math.sin(math.pi / 4) /
                          math.sin(math.pi / 2))
    # nearly parallel: the linear path (slerp's limit), no NaN
    c = torch.tensor([1., 0., 0.], dtype=torch.float64)
    d = torch.tensor([1., PARALLEL_ANGLE / 10, 0.], dtype=torch.float64)
    t = torch.linspace(0, 1, 7, dtype=torch.float64)
    near = slerp(c, d, t)
    assert torch.isfinite(near).all()
    assert torch.allclose(near, lerp(c, d, t))
    same = interpolate_codes(c, c, 3, 'slerp')
    assert torch.equal(same, c.expand(3, -1))


def test_interpolation_errors():
    a, b = torch.ones(4), -torch.ones(4)
    with pytest.raises(ValueError, match='opposite'):
        interpolate_codes(a, b, 3, 'slerp')
    with pytest.raises(ValueError, match='zeros'):
        interpolate_codes(torch.zeros(4), b, 3, 'slerp')
    for steps in (1, 0, -3):
        with pytest.raises(ValueError, match='steps must be an int >= 2'):
            interpolate_codes(a, b, steps)
    with pytest.raises(ValueError, match='mode'):
        interpolate_codes(a, b, 3, 'cubic')
    with pytest.raises(ValueError, match='differ in size'):
        interpolate_codes(a, torch.ones(5), 3)
    with pytest.raises(ValueError, match='one code'):
        interpolate_codes(torch.ones(2, 4), b, 3)
    with pytest.raises(ValueError, match='NaN'):
        interpolate_codes(a, torch.full((4, ), float('nan')), 3)
    # opposite codes are fine for the linear path (through zero)
    assert torch.equal(interpolate_codes(a, b, 3)[1], torch.zeros(4))
