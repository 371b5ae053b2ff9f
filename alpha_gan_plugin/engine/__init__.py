from .vis_hook import AutoEncodingVisHook, make_grid

__all__ = ["AutoEncodingVisHook", "make_grid"]
