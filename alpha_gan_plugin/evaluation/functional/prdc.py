"""Precision/recall and density/coverage of two feature sets (k-NN balls).

Definitions (``X`` = N real features, ``Y`` = M fake features, ``r_k(x, S)``
= distance from ``x`` to its k-th nearest neighbour in ``S`` *other than
itself* -- a repeated point counts as a neighbour at distance 0 --,
``B(x, r)`` = the ball of radius ``r`` around ``x``):

* precision = fraction of fakes inside ``U_i B(X_i, r_k(X_i, X))``;
* recall = fraction of reals inside ``U_j B(Y_j, r_k(Y_j, Y))``
  (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
  Assessing Generative Models", arXiv:1904.06991);
* density = ``1 / (k M) * sum_j #{i : Y_j in B(X_i, r_k(X_i, X))}``;
* coverage = fraction of reals whose ball ``B(X_i, r_k(X_i, X))`` holds at
  least one fake (Naeem et al. 2020, "Reliable Fidelity and Diversity Metrics
  for Generative Models", arXiv:2002.09797).

Balls are open (``distance < radius``), the convention of the authors'
reference package ``prdc`` 0.2 (github.com/clovaai/generative-evaluation-prdc,
``prdc/prdc.py``), against which the values are tested; the
two conventions differ only for distances exactly equal to a radius.

Exactness.  Every decision is that of one fixed distance function
:func:`pair_squared_distances` (float64 differences, squared, summed by a
fixed pairwise tree: the same bits for ``(a, b)`` and ``(b, a)``, whatever
the batch, the thread count or the position of the points).  Distances are
first computed fast as ``|a|^2 + |b|^2 - 2 a.b`` (BLAS); every comparison
(k-th neighbour selection, ball membership) that this approximation cannot
decide within its rounding-error bound is redone with the fixed function.
Repeated points are merged with multiplicities first (``torch.unique``).
The values are therefore exact functions of the two *sets* (multisets): no
dependence on order or ``batch_size``, and ties are decided as the
definitions say (two identical sets of distinct points give precision =
recall = density = coverage = 1 exactly).

Memory: blocks of ``batch_size`` rows against all points of the other set;
peak extra memory about ``40 * batch_size * max(N, M)`` bytes plus a few
copies of the features (no N x M matrix is held): 190 MiB for 10k x 10k
128-d features, 570 MiB for 2048-d, where ``prdc`` 0.2 needs 1.6 GiB
(``tools/benchmarks/benchmark_prdc.py``).
"""
from typing import Dict, Tuple

import numpy as np
import torch
from torch import Tensor

DEFAULT_BATCH_SIZE = 512
_UNIT_ROUNDOFF = 2.0**-53
_PAIR_CHUNK = 4096


def _as_float64(features, name: str) -> Tensor:
    if isinstance(features, np.ndarray):
        features = torch.from_numpy(features)
    if not isinstance(features, Tensor):
        raise ValueError(f'{name} must be a (N, D) tensor or array, got '
                         f'{type(features).__name__}')
    features = features.detach().to('cpu', torch.float64)
    if features.dim() != 2 or features.shape[0] < 1 or features.shape[1] < 1:
        raise ValueError(f'{name} must be (N >= 1, D >= 1), got '
                         f'{tuple(features.shape)}')
    if not torch.isfinite(features).all():
        raise ValueError(f'{name} holds NaN or infinite values')
    return features.contiguous()


def _check_k(k, n: int, what: str) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f'k={k!r}: the number of nearest neighbours must be '
                         f'an integer >= 1 (5 in Naeem et al. 2020)')
    if k >= n:
        raise ValueError(f'k={k} needs more than k {what} features (the k-th '
                         f'neighbour of a point excludes the point itself), '
                         f'got {n}; lower k or use more {what} samples')


def pair_squared_distances(a: Tensor, b: Tensor) -> Tensor:
    """Squared distances of row pairs, with a fixed summation order.

    ``(a - b)^2`` summed over features by a pairwise tree of element-wise
    additions, so a pair gives the same bits in any position, batch or
    thread count, and ``(a, b)`` the same as ``(b, a)``.

    Args:
        a, b: (P, D) float64 tensors.

    Returns:
        Tensor: (P,) float64.
    """
    t = (a - b).square_()
    while t.shape[1] > 1:
        if t.shape[1] % 2:
            t = torch.cat([t, t.new_zeros(len(t), 1)], dim=1)
        t = t[:, 0::2] + t[:, 1::2]
    return t[:, 0]


def _exact_pairs(x: Tensor, rows: Tensor, y: Tensor, cols: Tensor) -> Tensor:
    """:func:`pair_squared_distances` of ``x[rows]``, ``y[cols]``, chunked."""
    out = [pair_squared_distances(x[r], y[c])
           for r, c in zip(rows.split(_PAIR_CHUNK), cols.split(_PAIR_CHUNK))]
    return torch.cat(out) if out else x.new_zeros(0)


def _slack(dim: int) -> float:
    """Factor c: |fast - exact| <= c (|a|^2 + |b|^2) for a squared distance.

    Bounds the float64 errors of the BLAS expansion (dot product and norms,
    each <= D u (|a|^2 + |b|^2) for any summation order) and of the tree sum,
    with a factor-2 margin.
    """
    return 4. * (dim + 8) * _UNIT_ROUNDOFF


def _fast_squared_distances(x: Tensor, x_sq: Tensor, y: Tensor,
                            y_sq: Tensor) -> Tensor:
    """(B, D), (B,), (M, D), (M,) -> (B, M) ``|x|^2 + |y|^2 - 2 x.y``."""
    d2 = torch.addmm(y_sq.unsqueeze(0), x, y.t(), alpha=-2.)
    d2 += x_sq.unsqueeze(1)
    return d2.clamp_min_(0.)


def _unique(features: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """Distinct rows (sorted), the inverse map and the multiplicities."""
    uniq, inverse, counts = torch.unique(features, dim=0, return_inverse=True,
                                         return_counts=True)
    return uniq.contiguous(), inverse, counts


def _knn_radii_squared(points: Tensor, counts: Tensor, k: int,
                       batch_size: int) -> Tensor:
    """Squared k-NN radii of distinct ``points`` with multiplicities.

    A point of multiplicity c has c - 1 neighbours at distance 0; if
    c - 1 >= k its radius is 0, else it is the distance at which the other
    points, counted with multiplicity, reach k - (c - 1).

    Args:
        points: (U, D) distinct float64 rows.
        counts: (U,) int64 multiplicities, ``counts.sum() > k``.
        k: Neighbour rank.
        batch_size: Rows per block.

    Returns:
        Tensor: (U,) float64 squared radii (exact, see module docstring).
    """
    n = len(points)
    out = torch.zeros(n, dtype=torch.float64)
    if n == 1:
        return out  # a single repeated point: radius 0
    sq = (points * points).sum(1)
    # |fast - exact| <= err of every entry of a row; 2 err separates orders
    row_err = 2 * _slack(points.shape[1]) * (sq + sq.max())
    need_all = k - (counts - 1)
    width = min(k + 1, n - 1)  # k candidates and the next one
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        need = need_all[start:stop]
        live = need > 0
        if not live.any():
            continue
        d2 = _fast_squared_distances(points[start:stop], sq[start:stop],
                                     points, sq)
        local = torch.arange(stop - start)
        d2[local, local + start] = float('inf')  # the point itself
        # fast k-th value: the first of the sorted smallest whose cumulative
        # multiplicity reaches the rank still needed (within the first k)
        vals, idx = d2.topk(width, dim=1, largest=False, sorted=True)
        weights = counts[idx]
        reached = weights.cumsum(1) >= need.clamp_min(1).unsqueeze(1)
        approx = vals.gather(1, reached.byte().argmax(1, keepdim=True))
        # entries the fast values cannot order against it are redone
        # exactly; those below it are all among the sorted smallest
        err = row_err[start:stop].unsqueeze(1)
        below = ((vals < approx - err) * weights).sum(1)
        in_band = (vals >= approx - err) & (vals <= approx + err)
        in_band &= live.unsqueeze(1)
        # rows whose band may go on past the sorted smallest: whole row
        wide = live & (vals[:, -1] <= approx[:, 0] + err[:, 0])
        if width == n - 1:
            wide[:] = False  # the sorted smallest are the whole row
        in_band[wide] = False
        r, j = in_band.nonzero(as_tuple=True)
        c = idx[r, j]
        if wide.any():
            rows = wide.nonzero()[:, 0]
            sub = d2[rows]
            extra = ((sub >= approx[rows] - err[rows])
                     & (sub <= approx[rows] + err[rows]))
            r2, c2 = extra.nonzero(as_tuple=True)
            r, c = torch.cat([r, rows[r2]]), torch.cat([c, c2])
        exact = _exact_pairs(points, r + start, points, c)
        out[start:stop] = _weighted_rank_values(r, exact, counts[c],
                                                need - below, stop - start)
    return out


def _weighted_rank_values(rows: Tensor, values: Tensor, weights: Tensor,
                          ranks: Tensor, num_rows: int) -> Tensor:
    """Per row, the smallest value whose cumulative weight reaches the rank.

    Args:
        rows: (P,) row of each entry; values, weights: (P,) per entry.
        ranks: (num_rows,) the weighted rank wanted in each row (rows with
            rank <= 0 or no entries get 0).
        num_rows: Number of rows.

    Returns:
        Tensor: (num_rows,) float64.
    """
    out = torch.zeros(num_rows, dtype=torch.float64)
    if len(rows) == 0:
        return out
    order = torch.argsort(values, stable=True)
    order = order[torch.argsort(rows[order], stable=True)]
    rows, values, weights = rows[order], values[order], weights[order]
    totals = torch.zeros(num_rows, dtype=torch.long).index_add_(0, rows,
                                                                weights)
    offsets = totals.cumsum(0) - totals
    within = weights.cumsum(0) - offsets[rows]
    hit = within >= ranks[rows]
    positions = torch.arange(len(rows))
    first = torch.full((num_rows, ), len(rows), dtype=torch.long)
    first.scatter_reduce_(0, rows[hit], positions[hit], 'amin')
    found = first < len(rows)
    out[found] = values[first[found]]
    return out


def knn_radii(features, k: int,
              batch_size: int = DEFAULT_BATCH_SIZE) -> Tensor:
    """Distance from each point to its k-th nearest *other* point of the set.

    Args:
        features: (N, D) tensor or array, N > k.
        k: Neighbour rank, >= 1.
        batch_size: Rows per distance block.

    Returns:
        Tensor: (N,) float64 radii (0 for a point repeated more than k
        times).
    """
    x = _as_float64(features, 'features')
    _check_k(k, len(x), 'input')
    points, inverse, counts = _unique(x)
    return _knn_radii_squared(points, counts, k, batch_size).sqrt()[inverse]


def precision_recall_density_coverage(
        real_features, fake_features, k: int = 5,
        batch_size: int = DEFAULT_BATCH_SIZE) -> Dict[str, float]:
    """Precision, recall, density and coverage of fakes against reals.

    Args:
        real_features: (N, D) tensor or array of real-data features, N > k.
        fake_features: (M, D) tensor or array of sample features, M > k.
        k: Nearest-neighbour rank of the ball radii (the same for all four;
            Kynkäänniemi et al. use 3, Naeem et al. recommend 5).
        batch_size: Rows per distance block (memory and speed only; the
            values do not depend on it).

    Returns:
        dict: ``precision``, ``recall``, ``coverage`` in [0, 1] and
        ``density`` in [0, N / k] (about 1 when fakes and reals follow the
        same distribution), as floats.  See the module docstring.

    Raises:
        ValueError: If shapes disagree, values are not finite, or ``k`` is
            not an integer in [1, min(N, M) - 1].
    """
    real = _as_float64(real_features, 'real_features')
    fake = _as_float64(fake_features, 'fake_features')
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f'real and fake features differ in dimension: '
                         f'{real.shape[1]} vs {fake.shape[1]}')
    _check_k(k, len(real), 'real')
    _check_k(k, len(fake), 'fake')
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
            or batch_size < 1:
        raise ValueError(f'batch_size={batch_size!r} must be an integer >= 1')

    xs, _, x_counts = _unique(real)
    ys, _, y_counts = _unique(fake)
    x_r2 = _knn_radii_squared(xs, x_counts, k, batch_size)
    y_r2 = _knn_radii_squared(ys, y_counts, k, batch_size)
    x_sq, y_sq = (xs * xs).sum(1), (ys * ys).sum(1)
    slack = _slack(real.shape[1])
    # |fast - exact| <= err for every pair of a real ball's column / of a
    # fake ball's row
    x_err = slack * (x_sq + y_sq.max())
    y_err = slack * (y_sq + x_sq.max())
    x_lo, x_hi = x_r2 - x_err, x_r2 + x_err
    repeated = bool((x_counts > 1).any())
    x_weights = x_counts.double()
    precise = 0  # fakes (with multiplicity) inside at least one real ball
    pairs = 0  # (fake, real ball) pairs with the fake inside
    covered = torch.zeros(len(xs), dtype=torch.bool)
    recalled = torch.zeros(len(xs), dtype=torch.bool)
    for start in range(0, len(ys), batch_size):
        stop = min(start + batch_size, len(ys))
        d2 = _fast_squared_distances(ys[start:stop], y_sq[start:stop], xs,
                                     x_sq)  # (B fakes, U reals)
        in_real = _inside(d2, x_lo.unsqueeze(0), x_hi.unsqueeze(0),
                          x_r2.unsqueeze(0), ys, start, xs)
        r2 = y_r2[start:stop].unsqueeze(1)
        err = y_err[start:stop].unsqueeze(1)
        in_fake = _inside(d2, r2 - err, r2 + err, r2, ys, start, xs)
        counts = y_counts[start:stop]
        precise += int(counts[in_real.any(1)].sum())
        per_fake = (in_real.double() @ x_weights).round().long() \
            if repeated else in_real.sum(1)
        pairs += int((per_fake * counts).sum())
        covered |= in_real.any(0)
        recalled |= in_fake.any(0)
    n, m = len(real), len(fake)
    return dict(precision=precise / m,
                recall=int(x_counts[recalled].sum()) / n,
                density=pairs / (k * m),
                coverage=int(x_counts[covered].sum()) / n)


def _inside(d2: Tensor, lo: Tensor, hi: Tensor, radii2: Tensor, ys: Tensor,
            start: int, xs: Tensor) -> Tensor:
    """``exact distance^2 < radii2`` for a (B, U) block of fake-real pairs.

    ``d2`` are the fast values; ``lo`` / ``hi`` (broadcasting to (B, U))
    are ``radii2`` minus / plus their error bound: below ``lo`` is inside,
    above ``hi`` outside, and pairs in between are recomputed exactly.
    """
    inside = d2 < lo
    maybe = d2 <= hi
    if torch.ne(inside, maybe).any():
        r, c = (maybe & ~inside).nonzero(as_tuple=True)
        exact = _exact_pairs(ys, r + start, xs, c)
        inside[r, c] = exact < radii2.expand_as(d2)[r, c]
    return inside
