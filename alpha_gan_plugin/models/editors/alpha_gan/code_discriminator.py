"""Code discriminator of alpha-GAN: an MLP on latent codes, no batch norm."""
from typing import Optional

import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from ....utils.validators import check_ints


@MODELS.register_module()
class CodeDiscriminator(BaseModule):
    """Code discriminator ``C_w(z)`` of alpha-GAN.

    Tells prior samples ``z ~ N(0, I)`` (real) from encoder codes
    ``z_hat = E(x)`` (fake). At the optimum ``C = p / (p + q)``, so its logit
    ``log C/(1 - C)`` estimates the log density ratio ``log p(z)/q(z)`` of
    the prior to the (aggregate) posterior, and
    ``-KL(q || p) ≈ E_q[log C(z_hat)/(1 - C(z_hat))]``.
    A plain MLP: ``num_layers`` hidden Linear + LeakyReLU(0.2) layers of
    ``hidden_channels`` units and a Linear output with one logit. There is
    deliberately no batch normalisation, and no option to add one: batch
    statistics would let C tell the two batches apart by their statistics
    rather than code by code (the README of
    github.com/victor-shepardson/alpha-GAN: "It seems important to keep
    batch normalization out of the code discriminator (C)").

    Args:
        latent_size: Size of the codes.
        hidden_channels: Units per hidden layer (750 in this project's
            64x64 configs, 256 in its Fashion-MNIST config).
        num_layers: Number of hidden layers.
        dropout: Dropout probability after every hidden activation.
        init_cfg: mmengine init config (default: Kaiming-uniform, PyTorch's
            own Linear default).
    """

    def __init__(self,
                 latent_size: int,
                 hidden_channels: int = 750,
                 num_layers: int = 3,
                 dropout: float = 0.0,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        check_ints('CodeDiscriminator', latent_size=latent_size,
                   hidden_channels=hidden_channels, num_layers=num_layers)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f'CodeDiscriminator: dropout must be in [0, 1), '
                             f'got {dropout!r}')
        self.latent_size = latent_size
        layers = []
        ch_in = latent_size
        for _ in range(num_layers):
            layers += [nn.Linear(ch_in, hidden_channels),
                       nn.LeakyReLU(0.2)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            ch_in = hidden_channels
        layers.append(nn.Linear(ch_in, 1))
        self.mlp = nn.Sequential(*layers)

    def forward(self, z: Tensor) -> Tensor:
        """Score codes.

        Args:
            z: Codes, shape (N, latent_size) or (N, latent_size, 1, 1).

        Returns:
            Tensor: Logits, shape (N, 1) (positive = "prior sample").
        """
        z = z.flatten(1)
        if z.shape[1] != self.latent_size:
            raise ValueError(f'CodeDiscriminator expects codes of size '
                             f'{self.latent_size}, got {tuple(z.shape)}')
        return self.mlp(z)
