"""Small helpers used across the plugin, written once, by concern.

* :mod:`.atomic_files` -- files readers see whole or not at all;
* :mod:`.autoencoder` -- :func:`unwrap` and the auto-encoder protocol;
* :mod:`.preprocessing` -- the real images of a batch (with a fast path
  through MMagic's preprocessor);
* :mod:`.validators` -- config checks whose errors name the key and fix.

The names are re-exported here for code written against the former
single ``utils`` module.
"""
from .atomic_files import (atomic_savefig, atomic_write, atomic_write_json,
                           atomic_write_text, commit_temp, fsync_dir,
                           fsync_file, temp_path)
from .autoencoder import (AUTOENCODER_METHODS, is_autoencoder,
                          require_autoencoder, unwrap)
from .preprocessing import (real_images, real_images_and_samples,
                            stacked_gt_images)
from .validators import check_ints, non_negative_float, reject_unknown_keys

__all__ = [
    'atomic_savefig', 'atomic_write', 'atomic_write_json',
    'atomic_write_text', 'commit_temp', 'fsync_dir', 'fsync_file',
    'temp_path', 'AUTOENCODER_METHODS', 'is_autoencoder',
    'require_autoencoder', 'unwrap', 'real_images',
    'real_images_and_samples', 'stacked_gt_images', 'check_ints',
    'non_negative_float', 'reject_unknown_keys'
]
