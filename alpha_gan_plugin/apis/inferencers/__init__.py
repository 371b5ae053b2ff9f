"""Inferencers: use a trained model from its config and checkpoint."""
from .autoencoding_gan_inferencer import (AutoEncodingGANInferencer,
                                          EncodingResult,
                                          InterpolationResult,
                                          ReconstructionResult)
from .image_inputs import ImageReadError
from .latent import SeededNormal, interpolate_codes, lerp, slerp

__all__ = [
    'AutoEncodingGANInferencer', 'EncodingResult', 'InterpolationResult',
    'ReconstructionResult', 'ImageReadError', 'SeededNormal',
    'interpolate_codes', 'lerp', 'slerp'
]
