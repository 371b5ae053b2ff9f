"""Python API for trained models (MMagic's ``apis`` layout).

>>> from alpha_gan_plugin.apis import AutoEncodingGANInferencer
>>> inf = AutoEncodingGANInferencer('configs/alpha_gan_fashion_mnist.py',
...                                 'work_dirs/alpha_gan_fashion_mnist/'
...                                 'iter_3000.pth', device='cpu')
>>> samples = inf.sample(64, seed=0)           # (64, 1, 32, 32) in [0, 1]
>>> rec = inf.reconstruct(['shirt.png'])       # .reconstructions, .l1, .psnr
>>> path = inf.interpolate('a.png', 'b.png', steps=8, mode='slerp')
>>> inf.to_pil(path.images)[0].save('first.png')
"""
from .inferencers import (AutoEncodingGANInferencer, EncodingResult,
                          ImageReadError, InterpolationResult,
                          ReconstructionResult, SeededNormal,
                          interpolate_codes, lerp, slerp)
from .writers import InferenceWriter, WriterOptions

__all__ = [
    'AutoEncodingGANInferencer', 'EncodingResult', 'InterpolationResult',
    'ReconstructionResult', 'ImageReadError', 'SeededNormal',
    'interpolate_codes', 'lerp', 'slerp', 'InferenceWriter', 'WriterOptions'
]
