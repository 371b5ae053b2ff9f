"""Build-time check that the networks of an auto-encoding GAN fit together."""
from typing import Tuple

import torch
import torch.nn as nn

from ...utils.autoencoder import unwrap


def _one_logit_each(out: torch.Tensor, num: int, what: str, key: str) -> None:
    if out.numel() != num:
        raise ValueError(f'the {what} must return one logit per input, got '
                         f'shape {tuple(out.shape)} for {num} inputs; set '
                         f'{key}')


def probe_network_shapes(model: nn.Module, num: int = 2) -> Tuple[int, ...]:
    """Push ``num`` prior codes through the model's networks in eval mode.

    ``generator`` makes images from codes; the ``discriminator`` (if any)
    must give one logit per image; the ``encoder`` must map the images to
    codes of ``noise_size``; the ``code_discriminator`` (if any) must give
    one logit per code. Every mismatch is a ``ValueError`` naming the keys
    to change. The networks' train/eval modes are restored and no global
    random state is used.

    Args:
        model: The auto-encoding GAN (networks as attributes).
        num: Probe batch size.

    Returns:
        tuple: The shape (C, H, W) of the generator's images.
    """
    gen, enc = unwrap(model.generator), unwrap(model.encoder)
    disc = unwrap(model.discriminator) if getattr(
        model, 'discriminator', None) is not None else None
    cdisc = unwrap(model.code_discriminator) if getattr(
        model, 'code_discriminator', None) is not None else None
    for name, net in (('encoder', enc), ('code_discriminator', cdisc)):
        size = getattr(net, 'latent_size', None)
        if size is not None and size != model.noise_size:
            raise ValueError(
                f'latent size mismatch: {name}.latent_size={size} but the '
                f'generator noise_size={model.noise_size}; set '
                f'model.{name}.latent_size (or model.noise_size) so they '
                f'agree')
    nets = [m for m in (gen, disc, enc, cdisc) if m is not None]
    modes = [m.training for m in nets]
    try:
        for m in nets:
            m.eval()
        with torch.no_grad():
            z = torch.randn(num, model.noise_size,
                            generator=torch.Generator().manual_seed(0))
            img = gen(noise=z.to(model.device), return_noise=False)
            if isinstance(img, dict):
                img = img['fake_img']
            if disc is not None:
                try:
                    d_out = disc(img)
                except Exception as err:  # re-raised with the fix named
                    raise ValueError(
                        f'image shape mismatch: the generator makes images of '
                        f'shape {tuple(img.shape[1:])} that the discriminator '
                        f'cannot take ({type(err).__name__}: {err}); make '
                        f'generator output_scale/out_channels match '
                        f'discriminator input_scale/in_channels') from err
                _one_logit_each(d_out, num, 'image discriminator',
                                'model.discriminator.out_channels=1')
            try:
                code = enc(img)
            except ValueError as err:
                raise ValueError(
                    f'image shape mismatch between generator output '
                    f'{tuple(img.shape[1:])} and encoder: {err}') from err
            if tuple(code.shape) != (num, model.noise_size):
                raise ValueError(
                    f'the encoder returns codes of shape '
                    f'{tuple(code.shape[1:])}, expected ({model.noise_size},)'
                    f'; set model.encoder.latent_size={model.noise_size}')
            if cdisc is not None:
                _one_logit_each(cdisc(code), num, 'code discriminator',
                                'its output size to 1')
    finally:
        for m, was_training in zip(nets, modes):
            m.train(was_training)
    return tuple(img.shape[1:])
