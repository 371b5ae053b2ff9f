"""The AGE loss terms as small pure functions.

Adversarial Generator-Encoder networks (Ulyanov, Vedaldi, Lempitsky, "It
Takes (Only) Two: Adversarial Generator-Encoder Networks", AAAI 2018,
https://arxiv.org/abs/1704.02304) play their game in the latent space, which
is the unit sphere ``S^{M-1}`` of ``R^M`` with the uniform prior ``Y``:

* ``divergence(codes)``: the paper's ``Delta(Q || Y)``, the KL divergence
  between a diagonal Gaussian fitted to a batch of codes (per-dimension mean
  ``m_j`` and variance ``s_j^2``) and the unit Gaussian,
  ``sum_j (s_j^2 + m_j^2) / 2 - log s_j - 1/2``;
* ``encoder_divergence_loss``: the encoder *maximises*
  ``Delta(e(g(Z))) - Delta(e(X))``, so it minimises the negation;
* ``generator_divergence_loss``: the generator minimises ``Delta(e(g(Z)))``;
* ``latent_reconstruction``: ``||z - e(g(z))||^2`` (on the sphere this is
  ``2 - 2 cos(z, e(g(z)))``, i.e. twice the cosine distance);
* the data-space term ``||x - g(e(x))||_1`` is
  :func:`alpha_gan_plugin.models.losses.reconstruction_l1`.

See ``docs/age.md`` for the reductions chosen and how they relate to the
paper's sums.
"""
import torch
from torch import Tensor

#: Reductions of :func:`divergence` over latent dimensions.
REDUCTIONS = ('mean', 'sum')


def project_to_sphere(codes: Tensor, eps: float = 1e-8) -> Tensor:
    """Scale every row of ``codes`` to unit L2 norm.

    Args:
        codes: (N, M) vectors (or (N, M, 1, 1)); rows must not be all zero.
        eps: Guards the division for (near) zero rows.

    Returns:
        Tensor: Same shape, each row on the unit sphere.
    """
    flat = codes.reshape(codes.shape[0], -1)
    norm = flat.norm(dim=1, keepdim=True).clamp_min(eps)
    return (flat / norm).reshape(codes.shape)


def sample_sphere(num: int, dim: int, device=None, dtype=None,
                  generator: torch.Generator = None) -> Tensor:
    """``num`` samples of the uniform distribution on the unit sphere in R^dim.

    The direction of a standard Gaussian vector is uniform on the sphere.
    """
    gauss = torch.randn(num, dim, generator=generator, dtype=dtype)
    return project_to_sphere(gauss).to(device) if device is not None \
        else project_to_sphere(gauss)


def fitted_gaussian_stats(codes: Tensor):
    """Per-dimension batch mean and (maximum-likelihood) variance.

    Args:
        codes: (N, M) with N >= 2.

    Returns:
        tuple[Tensor, Tensor]: Means (M,) and variances (M,), the variance
        normalised by N (the Gaussian fitted by maximum likelihood).
    """
    if codes.dim() != 2:
        codes = codes.reshape(codes.shape[0], -1)
    if codes.shape[0] < 2:
        raise ValueError('the AGE divergence fits a Gaussian to a batch: it '
                         f'needs at least 2 codes, got {codes.shape[0]}')
    mean = codes.mean(dim=0)
    var = (codes - mean).pow(2).mean(dim=0)
    return mean, var


def divergence(codes: Tensor, reduction: str = 'mean',
               eps: float = 1e-8) -> Tensor:
    """The paper's ``Delta(Q || N(0, I))`` of a batch of codes.

    A diagonal Gaussian ``N(m, diag(s^2))`` is fitted to the batch and its KL
    divergence to the unit Gaussian is returned:
    ``KL_j = (s_j^2 + m_j^2) / 2 - log s_j - 1/2`` per dimension.

    Args:
        codes: (N, M) latent codes (normally on the unit sphere).
        reduction: ``'mean'`` over the M dimensions (default; the paper's sum
            divided by M) or ``'sum'`` (the paper's formula as printed).
        eps: Added to the variance inside the log.

    Returns:
        Tensor: Scalar divergence.
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f'divergence: reduction must be one of {REDUCTIONS}, '
                         f'got {reduction!r}')
    mean, var = fitted_gaussian_stats(codes)
    per_dim = (var + mean.pow(2)) / 2 - 0.5 * torch.log(var + eps) - 0.5
    return per_dim.mean() if reduction == 'mean' else per_dim.sum()


def encoder_divergence_loss(real_codes: Tensor, fake_codes: Tensor,
                            reduction: str = 'mean') -> Tensor:
    """Encoder's adversarial term ``Delta(e(X)) - Delta(e(g(Z)))``.

    Minimising it maximises the paper's value ``Delta(e(g(Z)) || Y) -
    Delta(e(X) || Y)``: real codes are pulled towards the prior, codes of
    generated images pushed away from it.

    Args:
        real_codes: e(x) of a real batch, (N, M).
        fake_codes: e(g(z)) of a generated batch, (N', M).
        reduction: See :func:`divergence`.

    Returns:
        Tensor: Scalar loss (may be negative).
    """
    return divergence(real_codes, reduction) - divergence(
        fake_codes, reduction)


def generator_divergence_loss(fake_codes: Tensor,
                              reduction: str = 'mean') -> Tensor:
    """Generator's adversarial term ``Delta(e(g(Z)) || Y)``."""
    return divergence(fake_codes, reduction)


def latent_reconstruction(z: Tensor, z_rec: Tensor) -> Tensor:
    """``E_z ||z - e(g(z))||_2^2``: squared L2 per code, averaged over codes.

    Args:
        z: Prior samples (N, M).
        z_rec: Their re-encodings e(g(z)), (N, M).

    Returns:
        Tensor: Scalar loss.
    """
    if z.shape != z_rec.shape:
        raise ValueError(f'latent_reconstruction: shapes differ, z '
                         f'{tuple(z.shape)} vs e(g(z)) {tuple(z_rec.shape)}')
    return (z - z_rec).pow(2).reshape(z.shape[0], -1).sum(dim=1).mean()
