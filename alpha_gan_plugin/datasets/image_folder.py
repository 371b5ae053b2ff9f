"""MMagic's image-folder dataset with its files checked before training."""
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

from mmagic.datasets import BasicImageDataset
from mmagic.registry import DATASETS

#: PIL modes accepted for ``channels=1`` / ``channels=3``.
_MODES = {1: ('L', '1', 'I;16', 'I'), 3: ('RGB', )}


@DATASETS.register_module()
class CheckedImageFolderDataset(BasicImageDataset):
    """``BasicImageDataset`` that refuses a folder it cannot train on.

    Same arguments as MMagic's ``BasicImageDataset`` (``data_root``,
    ``data_prefix=dict(gt='')``, ``pipeline`` ...) plus the checks below,
    run once when the dataset is built, so a bad file stops the run before
    any process starts training (instead of a crash hours later inside a
    dataloader worker):

    * the data root must exist and hold at least one image;
    * every image must decode (``check='decode'``) or at least have a
      readable header (``check='header'``, faster for big folders);
    * with ``image_size`` set, every image must be that size;
    * with ``channels`` set, every image must be gray (1) or RGB (3).

    Errors are ``ValueError`` s listing up to five offending files and the
    setting to change.

    Args:
        image_size: Required (height, width) or side length; None = any.
        channels: Required 1 (gray) or 3 (RGB); None = any.
        check: ``'decode'`` (default), ``'header'`` or ``'none'``.
        **kwargs: ``BasicImageDataset`` arguments.
    """

    def __init__(self,
                 image_size: Optional[Union[int, Sequence[int]]] = None,
                 channels: Optional[int] = None,
                 check: str = 'decode',
                 **kwargs):
        if check not in ('decode', 'header', 'none'):
            raise ValueError(f"check must be 'decode', 'header' or 'none', "
                             f'got {check!r}')
        if channels not in (None, 1, 3):
            raise ValueError(f'channels must be 1, 3 or None, got '
                             f'{channels!r}')
        if isinstance(image_size, int):
            image_size = (image_size, image_size)
        self.image_size: Optional[Tuple[int, int]] = (
            tuple(image_size) if image_size is not None else None)
        self.channels = channels
        self.check = check
        root = kwargs.get('data_root')
        if root is None or not osp.isdir(root):
            raise FileNotFoundError(
                f'CheckedImageFolderDataset: data_root={root!r} is not a '
                f'folder; set the dataset\'s data_root to the image folder')
        super().__init__(**kwargs)
        if len(self) == 0:
            raise ValueError(
                f'CheckedImageFolderDataset: no images in {root!r} (suffixes '
                f'{self.img_suffix}); put images there or fix data_root / '
                f'data_prefix')
        if check != 'none':
            self._check_files()

    def _paths(self) -> List[str]:
        # data_list is serialised (and emptied) by mmengine; ask per index
        paths = []
        for i in range(len(self)):
            info = self.get_data_info(i)
            paths += [v for k, v in info.items() if k.endswith('_path')]
        return paths

    def _check_files(self) -> None:
        from PIL import Image
        corrupt, wrong_size, wrong_mode = [], [], []
        for path in self._paths():
            try:
                with Image.open(path) as img:
                    if self.check == 'decode':
                        img.load()
                    size = (img.height, img.width)
                    mode = img.mode
            except Exception as err:  # any reader failure = unusable file
                corrupt.append(f'{path} ({type(err).__name__}: {err})')
                continue
            if self.image_size is not None and size != self.image_size:
                wrong_size.append(f'{path} ({size[0]}x{size[1]})')
            if self.channels is not None and \
                    mode not in _MODES[self.channels]:
                wrong_mode.append(f'{path} (mode {mode})')
        problems = []
        if corrupt:
            problems.append(f'{len(corrupt)} file(s) cannot be read as '
                            f'images: {"; ".join(corrupt[:5])} -- remove or '
                            f're-export them')
        if wrong_size:
            h, w = self.image_size
            problems.append(
                f'{len(wrong_size)} image(s) are not {h}x{w}: '
                f'{"; ".join(wrong_size[:5])} -- resize them, or set '
                f'image_size=None and add a Resize step to the pipeline')
        if wrong_mode:
            want = 'gray (L)' if self.channels == 1 else 'RGB'
            problems.append(
                f'{len(wrong_mode)} image(s) are not {want}: '
                f'{"; ".join(wrong_mode[:5])} -- convert them, or change '
                f'channels (and the networks\' in/out_channels)')
        if problems:
            raise ValueError('CheckedImageFolderDataset '
                             f'({self.data_root}): ' + ' | '.join(problems))
