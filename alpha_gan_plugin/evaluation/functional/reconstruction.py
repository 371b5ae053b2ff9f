"""Per-image reconstruction errors."""
from typing import Dict

import torch
from torch import Tensor

from .ms_ssim import ms_ssim


def _check(x: Tensor, x_hat: Tensor) -> None:
    if x.shape != x_hat.shape or x.dim() != 4:
        raise ValueError(f'reconstruction metrics need two (N, C, H, W) '
                         f'tensors of the same shape, got {tuple(x.shape)} '
                         f'and {tuple(x_hat.shape)}')


def l1_error(x: Tensor, x_hat: Tensor) -> Tensor:
    """Mean absolute error per image, shape (N,)."""
    _check(x, x_hat)
    return (x - x_hat).abs().flatten(1).mean(dim=1)


def mse_error(x: Tensor, x_hat: Tensor) -> Tensor:
    """Mean squared error per image, shape (N,)."""
    _check(x, x_hat)
    return (x - x_hat).pow(2).flatten(1).mean(dim=1)


def psnr(x: Tensor, x_hat: Tensor, data_range: float,
         eps: float = 1e-10) -> Tensor:
    """PSNR in dB per image, ``10 log10(data_range^2 / max(MSE, eps))``.

    Returns:
        Tensor: Shape (N,).  ``eps`` caps the PSNR of exact copies
        (100 dB for data_range 1).
    """
    return 10 * torch.log10(data_range**2 / mse_error(x, x_hat).clamp_min(eps))


def reconstruction_metrics(x: Tensor, x_hat: Tensor,
                           data_range: float = 1.,
                           **ms_ssim_kwargs) -> Dict[str, Tensor]:
    """L1, MSE, PSNR and MS-SSIM of reconstructions, per image.

    Args:
        x: (N, C, H, W) data in [0, data_range].
        x_hat: Reconstructions, same shape and range.
        data_range: Dynamic range of the values.
        **ms_ssim_kwargs: Forwarded to :func:`ms_ssim` (small-image rule
            applies).

    Returns:
        dict: ``l1``, ``mse``, ``psnr``, ``ms_ssim``, each of shape (N,);
        averaging over images gives the dataset numbers.
    """
    _check(x, x_hat)
    x, x_hat = x.double(), x_hat.double()
    return dict(
        l1=l1_error(x, x_hat),
        mse=mse_error(x, x_hat),
        psnr=psnr(x, x_hat, data_range),
        ms_ssim=ms_ssim(x, x_hat, data_range=data_range, reduction='none',
                        **ms_ssim_kwargs))
