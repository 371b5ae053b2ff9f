"""The AGE loss: small pure functions, and the registered loss module
:class:`AGELoss` that combines them per training phase.

Adversarial Generator-Encoder networks (Ulyanov, Vedaldi, Lempitsky, "It
Takes (Only) Two: Adversarial Generator-Encoder Networks", AAAI 2018,
https://arxiv.org/abs/1704.02304) play their game in the latent space, which
is the unit sphere ``S^{M-1}`` of ``R^M`` with the uniform prior ``Y``:

* ``divergence(codes)``: AGE's ``Delta(Q || Y)``, the KL divergence
  between a diagonal Gaussian fitted to a batch of codes (per-dimension mean
  ``m_j`` and variance ``s_j^2``) and the unit Gaussian,
  ``sum_j (s_j^2 + m_j^2) / 2 - log s_j - 1/2``;
* the encoder *maximises* ``Delta(e(g(Z))) - Delta(e(X))`` (it minimises
  the negation) and the generator minimises ``Delta(e(g(Z)))``
  (:class:`AGELoss`);
* ``latent_reconstruction``: ``||z - e(g(z))||^2`` (on the sphere this is
  ``2 - 2 cos(z, e(g(z)))``, i.e. twice the cosine distance);
* the data-space term ``||x - g(e(x))||_1`` is alpha-GAN's
  :func:`~.alpha_gan_loss.reconstruction_l1`.

See ``docs/age.md`` for the reductions chosen and how they relate to the
paper's sums.
"""
from typing import Dict

import torch
from torch import Tensor

from mmagic.registry import MODELS
from .alpha_gan_loss import reconstruction_l1
from .base_loss import PhaseLoss

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
    """AGE's ``Delta(Q || N(0, I))`` of a batch of codes.

    A diagonal Gaussian ``N(m, diag(s^2))`` is fitted to the batch and its KL
    divergence to the unit Gaussian is returned:
    ``KL_j = (s_j^2 + m_j^2) / 2 - log s_j - 1/2`` per dimension.

    Args:
        codes: (N, M) latent codes (normally on the unit sphere).
        reduction: ``'mean'`` over the M dimensions (default; as the
            authors' code, github.com/DmitryUlyanov/AGE ``src/losses.py``
            ``KLN01Loss``) or ``'sum'`` over them.
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


@MODELS.register_module()
class AGELoss(PhaseLoss):
    """The AGE objective, one method per network's phase.

    Built from the AGE model's ``loss_config`` (``type='AGELoss'`` is the
    default there). With ``w = divergence_weight``:

    ==================  =================================================
    method              terms
    ==================  =================================================
    ``encoder_loss``    ``w * [Delta(e(x)) - Delta(e(g(z)))]``
                        ``+ rec_weight * |x - g(e(x))|_1``  (lambda)
    ``generator_loss``  ``w * Delta(e(g(z)))``
                        ``+ latent_rec_weight * ||z - e(g(z))||^2``  (mu)
    ==================  =================================================

    Args:
        rec_weight: lambda, on the mean L1 of ``x - g(e(x))`` (>= 0).
        latent_rec_weight: mu, on ``||z - e(g(z))||^2`` per code (>= 0).
        divergence_weight: On every ``Delta`` term (>= 0).
        divergence_reduction: ``'mean'`` or ``'sum'`` over latent
            dimensions (see :func:`divergence`).
    """

    WEIGHTS = ('rec_weight', 'latent_rec_weight', 'divergence_weight')
    CHOICES = dict(divergence_reduction=REDUCTIONS)

    def __init__(self,
                 rec_weight: float = 10.0,
                 latent_rec_weight: float = 8.0,
                 divergence_weight: float = 1.0,
                 divergence_reduction: str = 'mean',
                 **unknown):
        super().__init__(
            dict(rec_weight=rec_weight, latent_rec_weight=latent_rec_weight,
                 divergence_weight=divergence_weight,
                 divergence_reduction=divergence_reduction), unknown)

    def encoder_loss(self, real: Tensor, recon: Tensor, real_codes: Tensor,
                     fake_codes: Tensor) -> Dict[str, Tensor]:
        """Encoder terms (also logs both divergences).

        Args:
            real: Images x.
            recon: Their reconstructions g(e(x)).
            real_codes: e(x), (N, M).
            fake_codes: e(g(z)) of generated images, (N', M).
        """
        kl_real = divergence(real_codes, self.divergence_reduction)
        kl_fake = divergence(fake_codes, self.divergence_reduction)
        return dict(
            loss_enc_div=self.divergence_weight * (kl_real - kl_fake),
            loss_enc_rec=self.rec_weight * reconstruction_l1(real, recon),
            kl_real=kl_real.detach(),
            kl_fake=kl_fake.detach())

    def generator_loss(self, z: Tensor,
                       fake_codes: Tensor) -> Dict[str, Tensor]:
        """Generator terms.

        Args:
            z: Prior samples, (N, M).
            fake_codes: Their re-encodings e(g(z)).
        """
        return dict(
            loss_gen_div=self.divergence_weight *
            divergence(fake_codes, self.divergence_reduction),
            loss_gen_latent_rec=self.latent_rec_weight *
            latent_reconstruction(z, fake_codes))
