"""Figures made of panels (matplotlib, Agg), written atomically."""
import contextlib
import math
from typing import Iterator, List, Optional, Tuple

from ..utils.atomic_files import atomic_savefig


@contextlib.contextmanager
def panel_figure(num: int, max_cols: int, panel_size: Tuple[float, float],
                 out_path: str, dpi: int,
                 title: Optional[str] = None) -> Iterator[List]:
    """Yield the axes of ``num`` panels in rows of at most ``max_cols``;
    when the block ends, hide the unused axes and write the figure to
    ``out_path`` (format from its extension) atomically.

    Args:
        num: Panels, >= 1.
        max_cols: Panels a row at most.
        panel_size: (width, height) of a panel in inches.
        out_path: The picture's file.
        dpi: Its resolution.
        title: A title over all panels.
    """
    import matplotlib
    matplotlib.use('Agg', force=False)
    import matplotlib.pyplot as plt
    cols = min(max_cols, num)
    rows = math.ceil(num / cols)
    fig, axes = plt.subplots(rows, cols, squeeze=False,
                             figsize=(panel_size[0] * cols,
                                      panel_size[1] * rows))
    try:
        axes = list(axes.flat)
        yield axes[:num]
        for ax in axes[num:]:
            ax.axis('off')
        if title:
            fig.suptitle(title, fontsize=10)
        fig.tight_layout()
        atomic_savefig(fig, out_path, dpi=dpi)
    finally:
        plt.close(fig)
