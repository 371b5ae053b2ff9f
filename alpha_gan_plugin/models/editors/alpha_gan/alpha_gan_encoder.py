"""DCGAN-style image encoder for alpha-GAN."""
import math
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor

from mmagic.registry import MODELS
from ....utils.validators import check_ints


@MODELS.register_module()
class AlphaGANEncoder(BaseModule):
    """Encoder ``E: x -> z`` of alpha-GAN, a DCGAN discriminator turned into
    a code regressor.

    Strided 4x4 convolutions halve the resolution from ``input_scale`` down to
    4x4 (channels ``base_channels * 2**i``, LeakyReLU(0.2), ``norm_cfg`` after
    every conv but the first); a linear layer maps the flattened 4x4 features
    to a ``latent_size`` code.

    The posterior ``q(z|x)`` of alpha-GAN is implicit: it only has to be
    sampled. With ``noise_size > 0`` the encoder is stochastic: a fresh
    ``eps ~ N(0, I)`` of that size is concatenated to the flattened features
    before the linear layer, so ``E(x, eps)`` is a sample of ``q(z|x)``. With
    ``noise_size = 0`` it is deterministic.

    Args:
        input_scale: Side of the square input images (a power of two, >= 8;
            e.g. 32 or 64).
        latent_size: Size of the code z; must equal the generator's
            ``noise_size`` and the code discriminator's ``latent_size``.
        in_channels: Image channels.
        base_channels: Channels of the first conv layer.
        noise_size: Size of the noise eps of the stochastic encoder, 0 for a
            deterministic encoder.
        norm_cfg: Norm layer after the 2nd..last conv (None for none).
        init_cfg: mmengine init config (default: DCGAN's N(0, 0.02)).
    """

    def __init__(self,
                 input_scale: int,
                 latent_size: int,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 noise_size: int = 0,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 init_cfg: Optional[dict] = None):
        if init_cfg is None:
            init_cfg = [
                dict(type='Normal', layer=['Conv2d', 'Linear'], std=0.02),
                dict(type='Constant', layer=['_BatchNorm'], val=1, bias=0)
            ]
        super().__init__(init_cfg=init_cfg)
        if not (isinstance(input_scale, int) and input_scale >= 8
                and input_scale & (input_scale - 1) == 0):
            raise ValueError(f'AlphaGANEncoder: input_scale must be a power '
                             f'of two >= 8, got {input_scale!r}')
        check_ints('AlphaGANEncoder', latent_size=latent_size,
                   in_channels=in_channels, base_channels=base_channels)
        check_ints('AlphaGANEncoder', minimum=0, noise_size=noise_size)
        self.input_scale = input_scale
        self.latent_size = latent_size
        self.in_channels = in_channels
        self.noise_size = noise_size
        num_down = int(math.log2(input_scale // 4))
        layers = []
        ch_in = in_channels
        for i in range(num_down):
            ch_out = base_channels * 2**i
            layers.append(
                ConvModule(
                    ch_in,
                    ch_out,
                    kernel_size=4,
                    stride=2,
                    padding=1,
                    norm_cfg=None if i == 0 else norm_cfg,
                    act_cfg=dict(type='LeakyReLU', negative_slope=0.2)))
            ch_in = ch_out
        self.features = nn.Sequential(*layers)
        self.to_code = nn.Linear(ch_in * 16 + noise_size, latent_size)

    @property
    def stochastic(self) -> bool:
        """bool: Whether the encoder draws noise (implicit posterior)."""
        return self.noise_size > 0

    def forward(self, x: Tensor, noise: Optional[Tensor] = None) -> Tensor:
        """Encode images.

        Args:
            x: Images, shape (N, in_channels, input_scale, input_scale),
                normalised as the generator's outputs (usually [-1, 1]).
            noise: Noise of the stochastic encoder, shape (N, noise_size);
                drawn from N(0, I) when None. Must be None for a
                deterministic encoder.

        Returns:
            Tensor: Codes, shape (N, latent_size).
        """
        expected = (self.in_channels, self.input_scale, self.input_scale)
        if x.dim() != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(
                f'AlphaGANEncoder expects images of shape (N, *{expected}), '
                f'got {tuple(x.shape)}; set the encoder\'s input_scale / '
                f'in_channels to match the data')
        feats = self.features(x).flatten(1)
        if self.stochastic:
            if noise is None:
                noise = torch.randn(
                    x.shape[0], self.noise_size, device=x.device,
                    dtype=feats.dtype)
            elif tuple(noise.shape) != (x.shape[0], self.noise_size):
                raise ValueError(
                    f'encoder noise must have shape ({x.shape[0]}, '
                    f'{self.noise_size}), got {tuple(noise.shape)}')
            feats = torch.cat([feats, noise], dim=1)
        elif noise is not None:
            raise ValueError('this encoder is deterministic (noise_size=0) '
                             'but noise was passed')
        return self.to_code(feats)
