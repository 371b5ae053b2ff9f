from .fashion_mnist import FashionMNISTDataset, read_idx, resize_images
from .image_folder import CheckedImageFolderDataset
from .transforms import CheckedLoadImageFromFile

__all__ = ['FashionMNISTDataset', 'read_idx', 'resize_images',
           'CheckedImageFolderDataset', 'CheckedLoadImageFromFile']
