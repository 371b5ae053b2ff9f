"""The normalised real images of a dataloader batch, as MMagic's
``DataPreprocessor`` makes them for training.

:func:`stacked_gt_images` is a fast path through private methods of
MMagic's ``DataPreprocessor`` (``_parse_channel_order``, ``_do_conversion``,
``_do_norm``; listed in ``alpha_gan_plugin/PRIVATE_APIS.md`` and pinned by
``tests/test_compat.py``).
"""
from typing import Optional, Tuple

import torch
from torch import Tensor


def real_images_and_samples(data_preprocessor, batch: dict) -> Tuple:
    """Normalised real images of a raw dataloader batch, and the
    preprocessed data samples (which ``data_preprocessor.destruct`` needs to
    map images back to [0, 255]).

    MMagic's ``DataPreprocessor`` normalises ``data_samples.gt_img`` only in
    training mode, so it is called with ``training=True`` (which adds no
    randomness: augmentation lives in the dataset pipeline).

    Args:
        data_preprocessor: The model's data preprocessor.
        batch: A collated batch, ``dict(inputs=..., data_samples=...)``.

    Returns:
        tuple: (N, C, H, W) images in the generator's output range, and the
        preprocessed data samples (or None).
    """
    data = data_preprocessor(batch, True)
    inputs, samples = data['inputs'], data.get('data_samples')
    if isinstance(inputs, Tensor):
        return inputs, samples
    if isinstance(inputs, dict) and 'img' in inputs:
        return inputs['img'], samples
    if samples is not None and 'gt_img' in samples:
        return samples.gt_img, samples
    raise ValueError('the batch holds no images: the dataset pipeline must '
                     "pack them as 'gt' (end it with PackInputs)")


def real_images(data_preprocessor, batch: dict) -> Tensor:
    """Normalised real images of a raw dataloader batch (see
    :func:`real_images_and_samples`), through :func:`stacked_gt_images`'s
    fast path when the batch allows it."""
    fast = stacked_gt_images(data_preprocessor, batch)
    if fast is not None:
        return fast
    return real_images_and_samples(data_preprocessor, batch)[0]


def stacked_gt_images(preprocessor, batch: dict) -> Optional[Tensor]:
    """``gt_img`` of a batch, converted and normalised as MMagic's
    ``DataPreprocessor(batch, training=True)`` does, without its per-sample
    bookkeeping.

    The full preprocessor deep-copies its mean/std tensors into the metainfo
    of every sample and rebuilds the batch as a new ``DataSample``: about a
    tenth of an alpha-GAN iteration at 32x32 on a CPU, for metadata that
    training does not read. Here the same channel-order parsing, conversion
    and normalisation methods of the preprocessor are applied to the stacked
    batch, so the values are identical (``tests/test_models/test_editors/test_alpha_gan.py`` checks
    it). The batch is left unchanged.

    Returns:
        Tensor or None: (N, C, H, W) images, or None when the batch or the
        preprocessor is not the plain case (another preprocessor class, a
        fixed ``input_view``, images in ``inputs``, unequal shapes or
        channel orders); the caller then runs the full preprocessor.
    """
    from mmagic.models.data_preprocessors import DataPreprocessor
    if type(preprocessor) is not DataPreprocessor or \
            preprocessor.input_view is not None or \
            'gt_img' not in (preprocessor.data_keys or ()):
        return None
    inputs = batch.get('inputs')
    samples = batch.get('data_samples')
    if inputs not in (None, {}) or not isinstance(samples, (list, tuple)) \
            or not samples:
        return None
    imgs = [getattr(s, 'gt_img', None) for s in samples]
    if not all(torch.is_tensor(x) and x.dim() == 3 and
               x.shape == imgs[0].shape and x.dtype == imgs[0].dtype
               for x in imgs):
        return None
    orders = {preprocessor._parse_channel_order('gt_img', x, s)
              for x, s in zip(imgs, samples)}
    if len(orders) != 1:
        return None
    stacked = torch.stack(imgs).to(preprocessor.mean.device)
    stacked, _ = preprocessor._do_conversion(
        stacked, orders.pop(), preprocessor.output_channel_order)
    return preprocessor._do_norm(stacked, True)
