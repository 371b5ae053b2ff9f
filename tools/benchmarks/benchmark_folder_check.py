"""Time CheckedImageFolderDataset's file check per 1,000 files.

Builds the data set over a folder with ``check='none'`` (listing only),
``'header'`` and ``'decode'`` and prints the seconds per 1,000 files of
each, as the median of ``--repeats`` runs in rotating order. Without
``--folder`` it writes ``--num`` JPEG files of ``--height`` x ``--width``
random faces-sized noise into a temporary folder first (178 x 218 is the
size of CelebA's aligned images). The files are read from the page cache
after the first run; a first read from disk adds the disk's time.

Usage:
    python tools/benchmarks/benchmark_folder_check.py [--num 2000] [--repeats 5]
        [--folder DIR] [--height 218] [--width 178]
"""
import argparse
import os
import os.path as osp
import statistics
import tempfile
import time


def write_folder(folder: str, num: int, height: int, width: int) -> None:
    import cv2
    import numpy as np
    rng = np.random.default_rng(0)
    for i in range(num):
        small = rng.integers(0, 256, (height // 8, width // 8, 3),
                             dtype=np.uint8)
        img = cv2.resize(small, (width, height))
        cv2.imwrite(osp.join(folder, f'{i:06d}.jpg'), img,
                    [cv2.IMWRITE_JPEG_QUALITY, 95])


def time_check(folder: str, check: str) -> tuple:
    """(seconds, number of files) of building the data set once."""
    from mmagic.registry import DATASETS
    start = time.perf_counter()
    ds = DATASETS.build(dict(type='CheckedImageFolderDataset',
                             data_root=folder, data_prefix=dict(gt=''),
                             recursive=True, channels=3, check=check))
    return time.perf_counter() - start, len(ds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--folder', help='an existing image folder')
    parser.add_argument('--num', type=int, default=2000)
    parser.add_argument('--height', type=int, default=218)
    parser.add_argument('--width', type=int, default=178)
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args(argv)
    import alpha_gan_plugin  # noqa: F401  (registers the data set)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            folder = tmp
            write_folder(folder, args.num, args.height, args.width)
        checks = ['none', 'header', 'decode']
        times = {c: [] for c in checks}
        n = 0
        for r in range(args.repeats):
            for c in checks[r % 3:] + checks[:r % 3]:
                seconds, n = time_check(folder, c)
                times[c].append(seconds)
        where = args.folder or (f'a temporary folder ({args.height}x'
                                f'{args.width} JPEG files)')
        print(f'{n} files in {where}, median of {args.repeats} runs, '
              f'{os.cpu_count()} CPUs')
        print('| check | s per 1,000 files | s for the folder |')
        print('| --- | ---: | ---: |')
        for c in checks:
            med = statistics.median(times[c])
            print(f'| {c} | {1000 * med / n:.3f} | {med:.3f} |')


if __name__ == '__main__':
    main()
