from .fashion_mnist import FashionMNISTDataset, read_idx, resize_images

__all__ = ['FashionMNISTDataset', 'read_idx', 'resize_images']
