"""Independent Wasserstein critic distance (this project's protocol).

A fresh WGAN-GP critic is trained to separate one set of real images from
model samples; the distance is then measured on *other* real images against
*fresh* samples, so neither the critic's own training images nor its
training samples enter the score.  Which real images go where is the
caller's choice (:class:`~..metrics.WassersteinCriticDistance` splits a
held-out dataset in two by default).  An independent critic between
validation data and samples is the idea of Danihelka et al. 2017
(arXiv:1705.05263, abstract); architecture and training are this project's.
"""
import math
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
from torch import Tensor

#: Name of the critic architecture, recorded with every result.
CRITIC_ARCH = 'DCCritic-v1'


class DCCritic(nn.Module):
    """DCGAN-style critic without normalisation (``DCCritic-v1``).

    ``log2(S) - 2`` blocks of [4x4 conv, stride 2, pad 1 -> LeakyReLU(0.2)]
    take an S x S image to 4 x 4 (channels ``base, 2 base, 4 base, ...``),
    then a linear layer gives one score.  No batch norm, as the gradient
    penalty is per sample.  For 32 px and ``base_channels=32``: 32-64-128
    channels, about 0.7 M parameters.

    Args:
        in_channels: Image channels.
        image_size: Side S, a power of two >= 8.
        base_channels: Width of the first block.
    """

    def __init__(self, in_channels: int, image_size: int,
                 base_channels: int = 32):
        super().__init__()
        n_down = int(round(math.log2(image_size))) - 2
        if image_size < 8 or 2**(n_down + 2) != image_size:
            raise ValueError(f'DCCritic needs a power-of-two image size >= 8,'
                             f' got {image_size}')
        layers = []
        ch_in, ch = in_channels, base_channels
        for _ in range(n_down):
            layers += [nn.Conv2d(ch_in, ch, 4, 2, 1), nn.LeakyReLU(0.2)]
            ch_in, ch = ch, ch * 2
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(ch_in * 16, 1)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, S, S) images -> (N,) scores."""
        return self.head(self.features(x).flatten(1)).squeeze(1)


def _gradient_penalty(critic: nn.Module, real: Tensor, fake: Tensor,
                      generator: torch.Generator) -> Tensor:
    alpha = torch.rand(real.shape[0], 1, 1, 1, generator=generator,
                       dtype=real.dtype)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(mixed).sum(), mixed,
                                create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


@torch.no_grad()
def mean_score(critic: nn.Module, images: Tensor,
               batch_size: int = 256) -> float:
    """Mean critic score of (N, C, H, W) images, batched (float64 sum)."""
    total = 0.
    for chunk in images.split(batch_size):
        total += critic(chunk).double().sum().item()
    return total / images.shape[0]


def _check_images(name: str, images: Tensor, ref: Optional[Tensor]) -> None:
    if images.dim() != 4 or images.shape[0] < 1:
        raise ValueError(f'{name} must be a non-empty (N, C, H, W) tensor, '
                         f'got {tuple(images.shape)}')
    if ref is not None and images.shape[1:] != ref.shape[1:]:
        raise ValueError(f'{name} has image shape {tuple(images.shape[1:])},'
                         f' expected {tuple(ref.shape[1:])}')


def wasserstein_critic_distance(train_real: Tensor,
                                train_fake: Tensor,
                                test_real: Tensor,
                                test_fake: Tensor,
                                steps: int = 1000,
                                batch_size: int = 64,
                                lr: float = 1e-4,
                                betas: Sequence[float] = (0.5, 0.9),
                                gp_weight: float = 10.,
                                base_channels: int = 32,
                                seed: int = 0) -> Dict[str, float]:
    """Train a WGAN-GP critic, return its held-out Wasserstein estimate.

    The critic :class:`DCCritic` is trained for exactly ``steps`` Adam steps
    on ``loss = E[f(fake)] - E[f(real)] + gp_weight * GP`` with minibatches
    of ``batch_size`` real (``train_real``) and fake (``train_fake``) images
    drawn with replacement.  Everything random (init, batches, GP mixing)
    comes from ``seed``; the global RNG state is left untouched.  On CPU the
    result is deterministic for a seed and thread count.

    Args:
        train_real: (N1, C, S, S) real images the critic trains on, values
            in [-1, 1].
        train_fake: (N2, C, S, S) samples for training the critic.
        test_real: (N3, C, S, S) real images it is scored on (not in
            ``train_real``).
        test_fake: (N4, C, S, S) fresh samples (not in ``train_fake``).
        steps: Critic updates.
        batch_size: Real and fake images per update.
        lr: Adam learning rate.
        betas: Adam betas.
        gp_weight: Gradient-penalty weight (Gulrajani et al., 2017).
        base_channels: Critic width.
        seed: Random seed.

    Returns:
        dict: ``distance`` = ``E[f(test_real)] - E[f(test_fake)]`` (>= 0 in
        expectation; 0 when samples match the data; for a 1-Lipschitz
        critic -- the gradient penalty only approximates that -- a lower
        bound of the Wasserstein-1 distance), ``train_distance`` (same on
        the critic's training sets), ``steps``, ``arch``.
    """
    _check_images('train_real', train_real, None)
    for name, imgs in (('train_fake', train_fake), ('test_real', test_real),
                       ('test_fake', test_fake)):
        _check_images(name, imgs, train_real)
    if steps < 1 or batch_size < 1:
        raise ValueError(f'steps and batch_size must be >= 1, got {steps}, '
                         f'{batch_size}')
    train_real, train_fake, test_real, test_fake = (
        t.detach().float().cpu()
        for t in (train_real, train_fake, test_real, test_fake))
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        critic = DCCritic(train_real.shape[1], train_real.shape[2],
                          base_channels)
    opt = torch.optim.Adam(critic.parameters(), lr=lr, betas=tuple(betas))
    critic.train()
    for _ in range(steps):
        real = train_real[torch.randint(len(train_real), (batch_size, ),
                                        generator=gen)]
        fake = train_fake[torch.randint(len(train_fake), (batch_size, ),
                                        generator=gen)]
        loss = critic(fake).mean() - critic(real).mean() + \
            gp_weight * _gradient_penalty(critic, real, fake, gen)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    critic.eval()
    return dict(
        distance=mean_score(critic, test_real) - mean_score(critic, test_fake),
        train_distance=mean_score(critic, train_real) -
        mean_score(critic, train_fake),
        steps=steps,
        arch=CRITIC_ARCH)
