from .vis_hook import AutoEncodingVisHook, make_grid
from . import reliability  # noqa: F401  (registers the reliability hooks)
from .budget import TrainTimeBudgetHook

__all__ = ["AutoEncodingVisHook", "make_grid", "TrainTimeBudgetHook"]
