"""MMagic's image-folder dataset with its files checked before training."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.logging import print_log

from mmagic.datasets import BasicImageDataset
from mmagic.registry import DATASETS

#: PIL modes accepted for ``channels=1`` / ``channels=3``.
_MODES = {1: ('L', '1', 'I;16', 'I'), 3: ('RGB', )}
#: How many offending files an error message lists per kind of problem.
_SHOWN = 5


@DATASETS.register_module()
class CheckedImageFolderDataset(BasicImageDataset):
    """``BasicImageDataset`` that refuses (or leaves out) files it cannot
    train on.

    Same arguments as MMagic's ``BasicImageDataset`` (``data_root``,
    ``data_prefix=dict(gt='')``, ``pipeline``, ``recursive`` ...) plus the
    checks below, run once when the dataset is built, so a bad file is named
    before any process starts training (instead of a crash hours later
    inside a dataloader worker or a hook):

    * the data root must exist and hold at least one image;
    * every image must decode (``check='decode'``) or at least have a
      readable header (``check='header'``: fast, but a file truncated after
      its header passes; use ``CheckedLoadImageFromFile`` in the pipeline to
      have such a file named when it is read);
    * with ``image_size`` set, every image must be that size;
    * with ``channels`` set, every image must be gray (1) or RGB (3).

    The files are listed in sorted path order (``BasicImageDataset`` keeps
    the file system's order), so "the first N images" of a folder, which
    the metrics use, are the same on every machine.

    Args:
        image_size: Required (height, width) or side length; None = any.
        channels: Required 1 (gray) or 3 (RGB); None = any.
        check: ``'decode'`` (default), ``'header'`` or ``'none'``.
        split: None (default): every file. ``'train'`` / ``'holdout'``:
            one of two disjoint parts of the same folder, so that metrics
            can use images the model did not train on when there is no
            test folder. In the sorted file list, the file at position
            ``i`` (0-based) is held out when ``i % holdout_every ==
            holdout_every - 1`` (every ``holdout_every``-th file, spread
            over the folder), all others are ``'train'``. The split is made
            before any bad file is left out, so it depends only on the file
            names.
        holdout_every: See ``split`` (default 10: 10% held out).
        on_bad_file: ``'error'`` (default): a ``ValueError`` listing up to
            five offending files per problem and the setting to change.
            ``'skip'``: the offending files are left out of the dataset,
            listed (with the reason) in a warning in the log and kept in
            :attr:`skipped_files`.
        **kwargs: ``BasicImageDataset`` arguments.

    Attributes:
        skipped_files: ``{path: reason}`` of the files left out
            (``on_bad_file='skip'``); empty otherwise.
    """

    def __init__(self,
                 image_size: Optional[Union[int, Sequence[int]]] = None,
                 channels: Optional[int] = None,
                 check: str = 'decode',
                 on_bad_file: str = 'error',
                 split: Optional[str] = None,
                 holdout_every: int = 10,
                 **kwargs):
        if check not in ('decode', 'header', 'none'):
            raise ValueError(f"check must be 'decode', 'header' or 'none', "
                             f'got {check!r}')
        if on_bad_file not in ('error', 'skip'):
            raise ValueError(f"on_bad_file must be 'error' or 'skip', got "
                             f'{on_bad_file!r}')
        if split not in (None, 'train', 'holdout'):
            raise ValueError(f"split must be None, 'train' or 'holdout', "
                             f'got {split!r}')
        if not isinstance(holdout_every, int) or holdout_every < 2:
            raise ValueError(f'holdout_every must be an int >= 2 (every '
                             f'n-th file is held out), got {holdout_every!r}')
        self.split = split
        self.holdout_every = holdout_every
        if channels not in (None, 1, 3):
            raise ValueError(f'channels must be 1, 3 or None, got '
                             f'{channels!r}')
        if isinstance(image_size, int):
            image_size = (image_size, image_size)
        self.image_size: Optional[Tuple[int, int]] = (
            tuple(image_size) if image_size is not None else None)
        self.channels = channels
        self.check = check
        self.on_bad_file = on_bad_file
        self.skipped_files: Dict[str, str] = {}
        root = kwargs.get('data_root')
        if root is None or not osp.isdir(root):
            raise FileNotFoundError(
                f'CheckedImageFolderDataset: data_root={root!r} is not a '
                f'folder; set the dataset\'s data_root to the image folder')
        super().__init__(**kwargs)

    def load_data_list(self) -> List[dict]:
        """BasicImageDataset's list, sorted by path (and split)."""
        data = sorted(super().load_data_list(),
                      key=lambda info: sorted(
                          (k, v) for k, v in info.items()
                          if k.endswith('_path')))
        if self.split is None:
            return data
        k = self.holdout_every
        held = [i % k == k - 1 for i in range(len(data))]
        part = [info for info, h in zip(data, held)
                if h == (self.split == 'holdout')]
        if data and not part:
            raise ValueError(
                f'CheckedImageFolderDataset: split={self.split!r} of '
                f'{self.data_root!r} is empty ({len(data)} files, every '
                f'{k}-th held out); add images or lower holdout_every')
        return part

    def filter_data(self) -> List[dict]:
        """The data list without the files that fail the checks
        (``on_bad_file='skip'``), or a ``ValueError`` naming them."""
        data_list = super().filter_data()
        if not data_list:
            self._no_images()
        if self.check == 'none':
            return data_list
        problems = {}  # path -> (kind, text)
        keep = []
        for info in data_list:
            bad = False
            for key, path in info.items():
                if not key.endswith('_path'):
                    continue
                problem = self._problem(path)
                if problem is not None:
                    problems[path] = problem
                    bad = True
            if not bad:
                keep.append(info)
        if not problems:
            return data_list
        if self.on_bad_file == 'error':
            raise ValueError(self._error_message(problems))
        self.skipped_files = {path: text
                              for path, (_, text) in problems.items()}
        if not keep:
            self._no_images()
        print_log(
            f'CheckedImageFolderDataset ({self.data_root}): skipped '
            f'{len(problems)} bad file(s) (on_bad_file=\'skip\'), '
            f'{len(keep)} image(s) remain: ' + '; '.join(
                f'{path} ({text})' for path, text in
                self.skipped_files.items()),
            logger='current', level=30)  # logging.WARNING
        return keep

    def _no_images(self) -> None:
        # data_prefix holds the folders joined with data_root
        folder = ', '.join(self.data_prefix.values()) or self.data_root
        left_out = (f' ({len(self.skipped_files)} bad file(s) were '
                    f'skipped)' if self.skipped_files else '')
        raise ValueError(
            f'CheckedImageFolderDataset: no usable images in '
            f'{folder!r}{left_out} (suffixes {self.img_suffix}, '
            f'recursive={self.recursive}); put images there or fix '
            f'data_root / data_prefix / recursive')

    def _problem(self, path: str) -> Optional[Tuple[str, str]]:
        """(kind, description) of what is wrong with the file, or None."""
        from PIL import Image
        try:
            with Image.open(path) as img:
                if self.check == 'decode':
                    img.load()
                size = (img.height, img.width)
                mode = img.mode
        except Exception as err:  # any reader failure = unusable file
            return 'corrupt', f'{type(err).__name__}: {err}'
        if self.image_size is not None and size != self.image_size:
            return 'size', f'{size[0]}x{size[1]}'
        if self.channels is not None and mode not in _MODES[self.channels]:
            return 'mode', f'mode {mode}'
        return None

    def _error_message(self, problems: Dict[str, Tuple[str, str]]) -> str:
        by_kind: Dict[str, List[str]] = {}
        for path, (kind, text) in problems.items():
            by_kind.setdefault(kind, []).append(f'{path} ({text})')
        parts = []
        if 'corrupt' in by_kind:
            files = by_kind['corrupt']
            parts.append(f'{len(files)} file(s) cannot be read as images: '
                         f'{"; ".join(files[:_SHOWN])} -- remove or '
                         f're-export them')
        if 'size' in by_kind:
            files = by_kind['size']
            h, w = self.image_size
            parts.append(
                f'{len(files)} image(s) are not {h}x{w}: '
                f'{"; ".join(files[:_SHOWN])} -- resize them, or set '
                f'image_size=None and add a Resize step to the pipeline')
        if 'mode' in by_kind:
            files = by_kind['mode']
            want = 'gray (L)' if self.channels == 1 else 'RGB'
            parts.append(
                f'{len(files)} image(s) are not {want}: '
                f'{"; ".join(files[:_SHOWN])} -- convert them, or change '
                f'channels (and the networks\' in/out_channels)')
        return (f'CheckedImageFolderDataset ({self.data_root}): ' +
                ' | '.join(parts) + ". Or set on_bad_file='skip' to leave "
                'the bad files out (they are listed in the log)')
