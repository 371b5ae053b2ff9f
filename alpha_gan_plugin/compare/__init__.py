"""Train several MMagic models under one budget and compare them.

* :mod:`.config` -- the comparison config, loaded and checked;
* :mod:`.runs` -- one run: its configs, training or resuming it with
  ``tools/train.py`` in a child process, evaluating it, its summary;
* :mod:`.reference` -- the metric values of the test data itself;
* :mod:`.figures` and :mod:`.report` -- curves, grids and the table.

``tools/compare.py`` is the command line over it. Runs record their metrics
and progress in their work dirs (:mod:`alpha_gan_plugin.engine.run_records`),
which is where the comparison reads them.
"""
from .config import load_compare_config
from .report import make_report, write_report
from .runs import (ToolRunner, build_run_configs, finished_summary, run_dir,
                   run_one)

__all__ = [
    'load_compare_config', 'make_report', 'write_report', 'ToolRunner',
    'build_run_configs', 'finished_summary', 'run_dir', 'run_one'
]
