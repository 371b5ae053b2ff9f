"""User images -> packed samples, as the config's test pipeline makes them.

A model config's test pipeline describes how the data of the test split
become model inputs. For an image folder (MMagic's ``BasicImageDataset``)
it starts with ``LoadImageFromFile`` and may resize; for data sets that
serve arrays themselves (``FashionMNISTDataset``, MMagic's ``CIFAR10``) it
is often ``PackInputs`` alone, the resizing having happened inside the data
set. User images of any size and colour therefore go through:

1. loading: the config's ``LoadImageFromFile`` (key ``gt``) for files when
   the pipeline has one, otherwise Pillow (EXIF orientation applied, alpha
   dropped, palette images expanded), in the channel order of the model;
2. the config's other test transforms, in order;
3. fitting to the model: images whose size is not the model's are resized
   to it (aspect ratio not kept; area interpolation when shrinking,
   bilinear when enlarging, as ``FashionMNISTDataset`` does), gray images
   are replicated to 3 channels for an RGB model, colour images are turned
   into luma (ITU-R BT.601) for a gray model; every change is recorded;
4. the config's ``PackInputs``.

The model's data preprocessor then normalises the batch exactly as in
training.
"""
import os
import os.path as osp
from typing import Any, Dict, Iterator, List, Sequence, Tuple

import torch

from .pixels import (IMAGE_EXTENSIONS, ImageInput, ImageReadError, fit_image,
                     in_memory_to_array, is_image_file, pil_to_array,
                     read_with_pillow, to_uint8)  # noqa: F401


def _type_name(cfg) -> str:
    kind = cfg.get('type') if isinstance(cfg, dict) else type(cfg).__name__
    kind = kind if isinstance(kind, str) else getattr(kind, '__name__', '')
    return kind.split('.')[-1]


class ListedInputs(list):
    """:func:`list_inputs`' ``(name, item)`` pairs (not listed again)."""


def list_inputs(inputs, skipped: List[str] = None
                ) -> List[Tuple[str, Any]]:
    """The images of ``inputs`` as ``(name, item)`` pairs, nothing loaded.

    Args:
        inputs: One :data:`ImageInput`, a folder (its non-hidden files with
            an image extension (:data:`IMAGE_EXTENSIONS`), sorted by name,
            not recursive; a file with such an extension that does not
            decode is an error later, when it is read), or a list of these.
        skipped: If given, the folder files without an image extension
            are appended to it (they are never inputs).

    Returns:
        ListedInputs: ``(name, item)``, files named by path, in-memory
        images ``image_<i>`` (a ListedInputs is returned as it is).

    Raises:
        FileNotFoundError: A path does not exist.
        ValueError: No image at all (an empty folder or list).
    """
    if isinstance(inputs, ListedInputs):
        return inputs
    items = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    out: List[Tuple[str, Any]] = ListedInputs()
    for item in items:
        if isinstance(item, (str, os.PathLike)):
            path = os.fspath(item)
            if osp.isdir(path):
                names = sorted(
                    f for f in os.listdir(path) if not f.startswith('.') and
                    osp.isfile(osp.join(path, f)))
                files = [osp.join(path, f) for f in names if is_image_file(f)]
                others = [osp.join(path, f) for f in names
                          if not is_image_file(f)]
                if skipped is not None:
                    skipped += others
                if not files:
                    known = ', '.join(IMAGE_EXTENSIONS[:6])
                    raise ValueError(
                        f'folder {path!r} holds no image files ({len(others)} '
                        f'other files); put images ({known} ...) in it or '
                        f'pass image files')
                out += [(f, f) for f in files]
            elif osp.isfile(path):
                out.append((path, path))
            else:
                raise FileNotFoundError(f'image input {path!r} does not '
                                        f'exist')
        elif torch.is_tensor(item) and item.dim() == 4:
            out += [(f'image_{len(out) + i}', x) for i, x in enumerate(item)]
        else:
            out.append((f'image_{len(out)}', item))
    if not out:
        raise ValueError('no images given (an empty list); pass image files, '
                         'folders or arrays')
    return out


class ImagePipeline:
    """One user image -> one packed sample, per the module docstring.

    Args:
        pipeline: The config's test pipeline (list of transform configs),
            ending with ``PackInputs``.
        image_shape: The model's (C, H, W).
        channel_order: ``'rgb'`` or ``'bgr'``: the channel order of colour
            images inside the model (see the inferencer).
        source: Config key the pipeline came from, for error messages.
    """

    def __init__(self, pipeline: Sequence[dict], image_shape: Tuple[int, ...],
                 channel_order: str, source: str):
        from mmagic.registry import TRANSFORMS
        from mmengine.registry import DefaultScope
        pipeline = list(pipeline)
        if not pipeline or _type_name(pipeline[-1]) != 'PackInputs':
            raise ValueError(
                f'{source} must end with PackInputs (MMagic packs samples '
                f'with it), got {[_type_name(t) for t in pipeline]}')
        self.loader = None
        first = pipeline[0]
        if _type_name(first) == 'LoadImageFromFile':
            if first.get('key', None) != 'gt':
                raise ValueError(
                    f"{source}: LoadImageFromFile loads key "
                    f"{first.get('key')!r}; an unconditional GAN reads 'gt'")
            pipeline = pipeline[1:]
        elif any(_type_name(t).startswith('Load') for t in pipeline):
            raise ValueError(
                f'{source}: a loading transform that is not the first one '
                f'({[_type_name(t) for t in pipeline]}); put '
                f'LoadImageFromFile first')
        else:
            first = None
        with DefaultScope.overwrite_default_scope('mmagic'):
            self.loader = TRANSFORMS.build(first) if first else None
            self.transforms = [TRANSFORMS.build(t) for t in pipeline[:-1]]
            self.pack = TRANSFORMS.build(pipeline[-1])
        self.channels, self.height, self.width = image_shape
        self.channel_order = channel_order

    def __call__(self, name: str, item) -> Tuple[dict, Dict[str, Any]]:
        """Load, transform, fit and pack one image.

        Returns:
            tuple: The packed sample (``inputs``, ``data_samples``) and a
            record ``dict(name, source_size=[h, w], source_channels, notes)``.

        Raises:
            ImageReadError: The image cannot be read or used.
        """
        results = self._load(name, item)
        img = results['gt']
        if img.ndim == 2:
            img = img[..., None]
        record = dict(name=name, source_size=list(img.shape[:2]),
                      source_channels=int(img.shape[2]))
        try:
            for transform in self.transforms:
                results = transform(results)
                if results is None:
                    raise ValueError(f'{type(transform).__name__} dropped it')
        except Exception as err:  # the file is the problem; say which
            raise ImageReadError(
                name, f'the config test transforms failed on it '
                f'({type(err).__name__}: {err})') from err
        order = str(results.get('gt_channel_order', self.channel_order))
        gt, notes = fit_image(results['gt'], (self.height, self.width),
                              self.channels, order.lower())
        results['gt'] = gt
        results['gt_color_type'] = 'grayscale' if self.channels == 1 \
            else 'color'
        results['gt_channel_order'] = order.lower()
        record['notes'] = notes
        return self.pack(results), record

    def _load(self, name: str, item) -> dict:
        is_file = isinstance(item, (str, os.PathLike))
        if is_file and self.loader is not None:
            try:
                return self.loader(dict(gt_path=os.fspath(item)))
            except Exception as err:  # every reader failure: not usable
                raise ImageReadError(
                    name, f'cannot be read as an image by the config\'s '
                    f'LoadImageFromFile ({type(err).__name__}: {err}); '
                    f'remove it, re-export it, or skip bad files '
                    f'(skip_bad=True, --skip-bad)') from err
        if is_file:
            arr = read_with_pillow(os.fspath(item), self.channel_order)
        else:
            arr = in_memory_to_array(item, name, self.channel_order)
        return dict(gt=arr, ori_gt_shape=arr.shape, gt_path=name,
                    gt_channel_order=self.channel_order,
                    gt_color_type='grayscale' if arr.shape[2] == 1
                    else 'color')

    def batches(self, inputs: List[Tuple[str, Any]], batch_size: int,
                skip_bad: bool = False
                ) -> Iterator[Tuple[List[dict], List[dict], List[dict]]]:
        """Packed samples in batches, loaded lazily.

        Args:
            inputs: ``(name, item)`` pairs (:func:`list_inputs`).
            batch_size: Images per batch.
            skip_bad: Skip unreadable images instead of raising.

        Yields:
            tuple: (packed samples, their records (with ``index``, the
            position in ``inputs``), images skipped since the last batch as
            ``dict(name, reason)``). The last yield may hold only skipped
            images.
        """
        packed: List[dict] = []
        records: List[dict] = []
        skipped: List[dict] = []
        for index, (name, item) in enumerate(inputs):
            try:
                sample, record = self(name, item)
                record['index'] = index
            except ImageReadError as err:
                if not skip_bad:
                    raise
                skipped.append(dict(name=err.name, reason=err.reason))
                continue
            packed.append(sample)
            records.append(record)
            if len(packed) == batch_size:
                yield packed, records, skipped
                packed, records, skipped = [], [], []
        if packed or skipped:
            yield packed, records, skipped


__all__ = [
    'ImageInput', 'ImageReadError', 'ImagePipeline', 'list_inputs',
    'IMAGE_EXTENSIONS', 'is_image_file', 'to_uint8',
    'read_with_pillow', 'pil_to_array', 'in_memory_to_array', 'fit_image'
]
