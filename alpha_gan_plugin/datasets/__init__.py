from .fashion_mnist import FashionMNISTDataset, read_idx, resize_images
from .image_folder import CheckedImageFolderDataset

__all__ = ['FashionMNISTDataset', 'read_idx', 'resize_images',
           'CheckedImageFolderDataset']
