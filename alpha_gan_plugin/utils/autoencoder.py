"""The auto-encoder protocol the plugin's hooks, metrics and tools rely on.

* :func:`unwrap` -- the network inside a distributed wrapper;
* :func:`is_autoencoder` / :func:`require_autoencoder` -- a model with
  ``encode``, ``reconstruct`` and ``real_images``, checked in one place.
"""
import torch.nn as nn
from mmengine.model import is_model_wrapper

#: Methods a model must have to count as an auto-encoder here.
AUTOENCODER_METHODS = ('encode', 'reconstruct', 'real_images')


def unwrap(module: nn.Module) -> nn.Module:
    """The module inside a (distributed) model wrapper, or the module."""
    return module.module if is_model_wrapper(module) else module


def is_autoencoder(model: nn.Module) -> bool:
    """True when ``model`` (or the model inside its wrapper) has every
    method of :data:`AUTOENCODER_METHODS`: ``encode(images)`` (codes),
    ``reconstruct(images)`` (``G(E(x))``) and ``real_images(batch)``
    (normalised images of a dataloader batch)."""
    model = unwrap(model)
    return all(callable(getattr(model, name, None))
               for name in AUTOENCODER_METHODS)


def require_autoencoder(model: nn.Module, who: str,
                        otherwise: str = 'remove it for this model'
                        ) -> nn.Module:
    """``model`` unwrapped, or a ``ValueError`` saying that ``who`` needs a
    model with an encoder and, in ``otherwise``, what to do instead."""
    model = unwrap(model)
    if not is_autoencoder(model):
        missing = [n for n in AUTOENCODER_METHODS
                   if not callable(getattr(model, n, None))]
        raise ValueError(
            f'{who} needs a model with an encoder (methods '
            f'{", ".join(AUTOENCODER_METHODS)}); {type(model).__name__} '
            f'lacks {", ".join(missing)}. Use it with alpha-GAN or AGE, or '
            f'{otherwise}.')
    return model
