"""CheckedLoadImageFromFile: MMagic's image loading step, naming the file
it cannot decode."""
from mmagic.datasets.transforms import LoadImageFromFile
from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CheckedLoadImageFromFile(LoadImageFromFile):
    """MMagic's ``LoadImageFromFile`` that raises a ``ValueError`` naming the
    file when it cannot be decoded.

    MMagic's step hands on what the decoder returns: ``None`` for a
    truncated or corrupt file (which then fails later as ``'NoneType'
    object has no attribute 'ndim'``, naming no file) and an OpenCV
    assertion for an empty one.  This step stops at the file instead, with
    its path and what to do.  Same arguments as ``LoadImageFromFile``; in a
    config swap ``type='LoadImageFromFile'`` for
    ``type='CheckedLoadImageFromFile'``.  A missing file still raises the
    file backend's ``FileNotFoundError``.
    """

    def _load_image(self, filename):
        try:
            img = super()._load_image(filename)
        except FileNotFoundError:
            raise
        except Exception as err:  # the decoder's failure, re-raised below
            raise ValueError(self._message(filename, f'{type(err).__name__}'
                                           f': {err}'.strip())) from err
        if img is None:
            raise ValueError(self._message(filename, 'the decoder returned '
                                           'no image'))
        return img

    @staticmethod
    def _message(filename: str, what: str) -> str:
        return (f'CheckedLoadImageFromFile: {filename} cannot be decoded as '
                f'an image ({what}); it is empty, truncated or not an image '
                f"file -- remove or re-export it, or build the dataset as "
                f"CheckedImageFolderDataset with check='decode' and "
                f"on_bad_file='skip' to leave such files out")
