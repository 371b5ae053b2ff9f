"""k-NN precision/recall/density/coverage: golden values from ``prdc``.

The golden values below were computed by the authors' reference package
``prdc`` 0.2 (``prdc.compute_prdc``, with scikit-learn 1.5.2) on the
features :func:`golden_case` draws from numpy's ``default_rng`` seeds;
regenerate them with (``<dir>`` holding prdc and scikit-learn)::

    PYTHONPATH=.:<dir> python tests/test_evaluation/test_prdc.py

They are asserted whether or not ``prdc`` is installed; with ``prdc``
importable, :func:`test_matches_prdc_live` also compares on the spot.
"""
import math

import numpy as np
import pytest
import torch

from alpha_gan_plugin.evaluation.functional.prdc import (
    knn_radii, precision_recall_density_coverage)

KEYS = ('precision', 'recall', 'density', 'coverage')


def golden_case(name):
    """(real, fake) float64 features of a golden case.

    ``mixture``: reals from 4 Gaussian modes in 32-d; fakes from 3 of them
    (one mode dropped), 5% wider, plus 10% far outliers.  ``chunked``:
    1500 x 64 reals vs 1200 widened and shifted fakes (used with small
    distance blocks).  ``lattice``: points of the integer grid {0..4}^3
    (many repeated points and distances exactly equal to radii, which
    float64 represents exactly, so ``prdc`` decides the ties exactly too).
    """
    if name == 'mixture':
        rng = np.random.default_rng(14)
        centres = rng.standard_normal((4, 32)) * 4
        real = centres[rng.integers(0, 4, 600)] + rng.standard_normal(
            (600, 32))
        fake = centres[rng.integers(0, 3, 450)] + 1.05 * rng.standard_normal(
            (450, 32))
        fake = np.concatenate([fake, rng.standard_normal((50, 32)) * 12])
        return real, fake
    if name == 'chunked':
        rng = np.random.default_rng(15)
        real = rng.standard_normal((1500, 64))
        fake = 1.05 * rng.standard_normal((1200, 64)) + 0.1
        return real, fake
    if name == 'lattice':
        rng = np.random.default_rng(16)
        real = rng.integers(0, 5, (150, 3)).astype(np.float64)
        fake = np.minimum(rng.integers(0, 6, (120, 3)), 4).astype(np.float64)
        return real, fake
    raise KeyError(name)


GOLDEN_CASES = [('mixture', 1), ('mixture', 3), ('mixture', 5),
                ('mixture', 10), ('chunked', 5), ('lattice', 2),
                ('lattice', 6)]

# prdc 0.2 compute_prdc(real, fake, nearest_k=k) on golden_case(name)
GOLDEN = {
    ('mixture', 1): dict(precision=0.338, recall=0.7333333333333333,
                         density=0.638, coverage=0.30666666666666664),
    ('mixture', 3): dict(precision=0.564, recall=0.8966666666666666,
                         density=0.6579999999999999, coverage=0.595),
    ('mixture', 5): dict(precision=0.688, recall=0.955,
                         density=0.6768000000000001,
                         coverage=0.7083333333333334),
    ('mixture', 10): dict(precision=0.806, recall=0.9933333333333333,
                          density=0.6902, coverage=0.7433333333333333),
    ('chunked', 5): dict(precision=0.5375, recall=0.8246666666666667,
                         density=0.5218333333333334, coverage=0.818),
    ('lattice', 2): dict(precision=0.6083333333333333,
                         recall=0.6333333333333333,
                         density=0.44583333333333336,
                         coverage=0.4266666666666667),
    ('lattice', 6): dict(precision=0.9416666666666667,
                         recall=0.9733333333333334,
                         density=0.46944444444444444,
                         coverage=0.6866666666666666),
}

# first values of the golden features: catches a change of numpy's stream
FIRST_VALUES = {
    'mixture': (-0.3615940067255439, 1.3001382509857142),
    'chunked': (-1.4308730228590871, -0.07660670521466612),
    'lattice': (2.0, 0.0),
}


@pytest.mark.parametrize('name,k', GOLDEN_CASES)
def test_golden_values_from_prdc(name, k):
    real, fake = golden_case(name)
    assert (real[0, 0], fake[0, 0]) == pytest.approx(FIRST_VALUES[name],
                                                     abs=1e-12), \
        'numpy changed the random stream: regenerate the golden features'
    ours = precision_recall_density_coverage(
        real, fake, k, batch_size=97 if name == 'chunked' else 1024)
    assert set(ours) == set(KEYS)
    for key in KEYS:
        assert ours[key] == pytest.approx(GOLDEN[name, k][key], abs=1e-9), \
            key


def test_golden_values_are_not_degenerate():
    """The golden cases exercise every metric away from 0 and 1, and the
    lattice case repeated points and distances equal to radii."""
    for values in GOLDEN.values():
        assert all(0.05 < values[key] < 1 for key in KEYS)
    real, fake = golden_case('lattice')
    assert len(np.unique(real, axis=0)) < len(real) - 20
    assert len(np.unique(fake, axis=0)) < len(fake) - 20


@pytest.mark.parametrize('seed,n,m,d,k', [(0, 300, 200, 8, 3),
                                          (1, 150, 400, 2, 1),
                                          (2, 500, 500, 128, 5)])
def test_matches_prdc_live(seed, n, m, d, k):
    prdc = pytest.importorskip('prdc')
    rng = np.random.default_rng(seed)
    real = rng.standard_normal((n, d))
    fake = 1.1 * rng.standard_normal((m, d)) + 0.2
    ref = prdc.compute_prdc(real, fake, k)
    ours = precision_recall_density_coverage(real, fake, k, batch_size=64)
    for key in KEYS:
        assert ours[key] == pytest.approx(float(ref[key]), abs=1e-9), key
    # repeated reals (radii over the copies, no tie at a radius)
    twice = np.concatenate([real, real[:50]])
    ref = prdc.compute_prdc(twice, fake, k + 1)
    ours = precision_recall_density_coverage(twice, fake, k + 1)
    for key in KEYS:
        assert ours[key] == pytest.approx(float(ref[key]), abs=1e-9), key
    for name, k in GOLDEN_CASES:
        ref = prdc.compute_prdc(*golden_case(name), k)
        for key in KEYS:
            assert GOLDEN[name, k][key] == pytest.approx(float(ref[key]),
                                                         abs=1e-9)


def test_matches_prdc_live_on_lattices():
    """Integer grids: repeated points and exact ties, decided alike."""
    prdc = pytest.importorskip('prdc')
    for seed in range(12):
        rng = np.random.default_rng(100 + seed)
        dim, side, k = (int(v) for v in rng.integers([1, 2, 1], [5, 6, 8]))
        real, fake = (rng.integers(0, side, (int(rng.integers(k + 2, 150)),
                                             dim)).astype(np.float64)
                      for _ in range(2))
        ref = prdc.compute_prdc(real, fake, k)
        ours = precision_recall_density_coverage(
            real, fake, k, batch_size=int(rng.integers(1, 40)))
        for key in KEYS:
            assert ours[key] == pytest.approx(float(ref[key]), abs=1e-12), \
                (seed, key)


# ---------------------------------------------------------------- by hand
def test_hand_computed_1d_case_and_open_balls():
    """Reals {0, 1, 3, 7}, fakes {0.5, 5, 12}, k = 1.

    Real radii: 1, 1, 2, 4; fake radii: 4.5, 4.5, 7.
    Fakes in real balls: 0.5 in B(0, 1) and B(1, 1); 5 in B(7, 4) only
    (|5 - 3| = 2 is *on* the boundary of B(3, 2): open balls exclude it);
    12 in none -> precision 2/3, density (2 + 1 + 0) / (1 * 3) = 1.
    Reals in fake balls: all four -> recall 1.  Real balls holding a fake:
    B(0, 1), B(1, 1), B(7, 4), not B(3, 2) -> coverage 3/4.
    """
    real = torch.tensor([[0.], [1.], [3.], [7.]])
    fake = torch.tensor([[0.5], [5.], [12.]])
    assert knn_radii(real, 1).tolist() == [1., 1., 2., 4.]
    assert knn_radii(fake, 1).tolist() == [4.5, 4.5, 7.]
    assert knn_radii(real, 2).tolist() == [3., 2., 3., 6.]
    out = precision_recall_density_coverage(real, fake, k=1)
    assert out == dict(precision=2 / 3, recall=1., density=1.,
                       coverage=3 / 4)


def test_identical_sets():
    """Fakes == reals (distinct points): P = R = C = 1 and density = 1.

    Each real ball B(x_i, r_k(x_i)) holds x_i itself and its k - 1 nearer
    neighbours (no ties), so the k N (fake, ball) pairs give density 1.
    """
    x = torch.randn(300, 16, generator=torch.Generator().manual_seed(3))
    for k in (1, 4, 9):
        out = precision_recall_density_coverage(x, x.clone(), k)
        assert out == dict(precision=1., recall=1., density=1., coverage=1.)


def test_disjoint_far_sets():
    x = torch.randn(200, 10, generator=torch.Generator().manual_seed(4))
    out = precision_recall_density_coverage(x, x[:150] + 1e3, 5)
    assert out == dict(precision=0., recall=0., density=0., coverage=0.)


def test_same_distribution_expectations():
    """Independent samples of one distribution (Naeem et al. 2020, Sec. 4).

    By exchangeability: E[density] = 1, and a real point is uncovered iff
    its k nearest neighbours among the other N - 1 reals and the M fakes
    are all real: E[coverage] = 1 - prod_{i<k} (N - 1 - i) / (N + M - 1 - i).
    """
    g = torch.Generator().manual_seed(5)
    n = m = 2000
    k = 5
    real = torch.randn(n, 8, generator=g)
    fake = torch.randn(m, 8, generator=g)
    out = precision_recall_density_coverage(real, fake, k)
    expected = 1 - math.prod((n - 1 - i) / (n + m - 1 - i) for i in range(k))
    assert expected == pytest.approx(1 - 0.5**k, abs=2e-3)
    assert out['coverage'] == pytest.approx(expected, abs=0.015)
    assert out['density'] == pytest.approx(1., abs=0.05)
    # symmetric roles: precision and recall agree within sampling noise
    assert out['precision'] == pytest.approx(out['recall'], abs=0.03)


def test_knn_radii_match_brute_force_with_duplicates():
    g = torch.Generator().manual_seed(6)
    x = torch.randn(60, 5, generator=g, dtype=torch.float64)
    x[10] = x[11] = x[12]  # three coincident points
    d = torch.cdist(x, x, compute_mode='donot_use_mm_for_euclid_dist')
    d.fill_diagonal_(float('inf'))
    for k in (1, 2, 3, 7):
        ref = d.sort(dim=1).values[:, k - 1]
        got = knn_radii(x, k, batch_size=7)
        assert torch.allclose(got, ref, atol=1e-7, rtol=1e-12), k
    # k = 1, 2: a coincident point's nearest others are at distance 0
    assert knn_radii(x, 2)[10:13].abs().max() < 1e-6
    assert knn_radii(x, 3)[10:13].min() > 1e-3


def test_repeated_points_count_with_multiplicity():
    g = torch.Generator().manual_seed(8)
    x = torch.randn(80, 6, generator=g, dtype=torch.float64)
    fake = torch.randn(70, 6, generator=g, dtype=torch.float64)
    twice = torch.cat([x, x])
    # each point's other copy is its nearest neighbour, at distance 0
    assert torch.equal(knn_radii(twice, 1), torch.zeros(160,
                                                        dtype=torch.float64))
    assert torch.allclose(knn_radii(twice, 2), knn_radii(x, 1).repeat(2),
                          rtol=0, atol=1e-12)
    # k = 1: every real ball has radius 0 (open, so empty); recall only
    # depends on the fake balls, which the copies do not change
    out = precision_recall_density_coverage(twice, fake, 1)
    ref = precision_recall_density_coverage(x, fake, 1)
    assert (out['precision'], out['density'], out['coverage']) == (0, 0, 0)
    assert out['recall'] == ref['recall'] > 0
    # doubling the fakes changes only their own radii (recall)
    out = precision_recall_density_coverage(x, torch.cat([fake, fake]), 3)
    ref = precision_recall_density_coverage(x, fake, 3)
    assert out['precision'] == ref['precision']
    assert out['density'] == pytest.approx(ref['density'], abs=1e-15)
    assert out['coverage'] == ref['coverage']


# ---------------------------------------------------------------- invariance
def test_order_and_batch_independence():
    real, fake = (torch.from_numpy(a) for a in golden_case('mixture'))
    ref = precision_recall_density_coverage(real, fake, 5)
    g = torch.Generator().manual_seed(7)
    for batch_size in (2, 13, 256, 5000):
        perm_r = torch.randperm(len(real), generator=g)
        perm_f = torch.randperm(len(fake), generator=g)
        out = precision_recall_density_coverage(real[perm_r], fake[perm_f], 5,
                                                batch_size=batch_size)
        assert out == ref, batch_size
    # float32 input is upcast: same value as float64 of the same numbers
    out = precision_recall_density_coverage(real.float(), fake.float(), 5)
    ref32 = precision_recall_density_coverage(real.float().double(),
                                              fake.float().double(), 5)
    assert out == ref32


def test_bad_inputs_raise_value_errors():
    x = torch.randn(10, 3)
    with pytest.raises(ValueError, match=r'k=0.*>= 1'):
        precision_recall_density_coverage(x, x, 0)
    with pytest.raises(ValueError, match=r'k=2\.0'):
        precision_recall_density_coverage(x, x, 2.0)
    with pytest.raises(ValueError, match=r'k=10 needs more than k real'):
        precision_recall_density_coverage(x, torch.randn(20, 3), 10)
    with pytest.raises(ValueError, match=r'k=10 needs more than k fake'):
        precision_recall_density_coverage(torch.randn(20, 3), x, 10)
    with pytest.raises(ValueError, match='dimension: 3 vs 4'):
        precision_recall_density_coverage(x, torch.randn(10, 4), 2)
    with pytest.raises(ValueError, match=r'fake_features must be \(N'):
        precision_recall_density_coverage(x, torch.randn(10), 2)
    bad = x.clone()
    bad[3, 1] = float('nan')
    with pytest.raises(ValueError, match='real_features holds NaN'):
        precision_recall_density_coverage(bad, x, 2)
    with pytest.raises(ValueError, match='batch_size=0'):
        precision_recall_density_coverage(x, x, 2, batch_size=0)


def _print_golden():
    """Print GOLDEN and FIRST_VALUES as computed by prdc (see module doc)."""
    import prdc
    import sklearn
    from importlib.metadata import version
    print(f'# prdc {version("prdc")} scikit-learn {sklearn.__version__} '
          f'numpy {np.__version__}')
    for name, k in GOLDEN_CASES:
        ref = prdc.compute_prdc(*golden_case(name), k)
        print(f'{(name, k)!r}: dict('
              + ', '.join(f'{key}={float(ref[key])!r}' for key in KEYS)
              + '),')
    for name in ('mixture', 'chunked', 'lattice'):
        real, fake = golden_case(name)
        print(f'{name!r}: ({real[0, 0]!r}, {fake[0, 0]!r}),')


if __name__ == '__main__':
    _print_golden()
