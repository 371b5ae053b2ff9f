"""Inception Score (Salimans et al., 2016) from classifier logits."""
from typing import Tuple

import torch
from torch import Tensor


def split_bounds(num: int, splits: int) -> list:
    """Boundaries ``floor(i * num / splits)`` of ``splits`` contiguous chunks."""
    return [(i * num) // splits for i in range(splits + 1)]


def inception_score(logits: Tensor, splits: int = 10) -> Tuple[float, float]:
    """Inception Score ``exp(E_x KL(p(y|x) || p(y)))`` of classifier logits.

    The N rows are cut, in the given order, into ``splits`` contiguous chunks
    with boundaries ``floor(i * N / splits)``; ``p(y)`` is the mean of
    ``p(y|x)`` within a chunk.  The score of each chunk is computed in float64
    and the function returns their mean and population standard deviation
    (``ddof=0``), the convention of the original TF code (openai/improved-gan
    ``inception_score/model.py``) and of torch-fidelity.

    Args:
        logits: (N, K) unnormalised log-probabilities (any shift per row is
            allowed; pass ``log(p)`` if the network outputs probabilities).
        splits: Number of chunks, 1 <= splits <= N.

    Returns:
        tuple: ``(mean, std)`` as Python floats; 1 <= IS <= K.
    """
    if logits.dim() != 2:
        raise ValueError(f'logits must be (N, K), got {tuple(logits.shape)}')
    n = logits.shape[0]
    if not 1 <= splits <= n:
        raise ValueError(f'splits must be in [1, N={n}], got {splits}')
    log_p = torch.log_softmax(logits.double(), dim=1)
    p = log_p.exp()
    bounds = split_bounds(n, splits)
    scores = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        log_marginal = p[lo:hi].mean(dim=0).log()
        kl = (p[lo:hi] * (log_p[lo:hi] - log_marginal)).sum(dim=1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return float(scores.mean()), float(scores.std(unbiased=False))
