"""Metric values are identical with 1 and 2 processes (gloo, CPU)."""
import os

import pytest
import torch

from helpers import run_ranks

from helpers.evaluation import (FakeAutoEncoder, as_samples, fake_images,
                      fashion_dataset, loader, make_files)

FAKE_NUMS = 11  # odd on purpose: ranks get ceil(11 / 2) = 6, one is dropped


def run_metrics(files, rank, world):
    """Evaluate every metric on this rank's shard; rank 0 gets the values."""
    from alpha_gan_plugin.evaluation.metrics import (ClassifierScore,
                                                     LocalFID,
                                                     ReconstructionMetrics,
                                                     SamplePairMSSSIM)
    model = FakeAutoEncoder()
    dataset = fashion_dataset(num=21)
    imgs = fake_images(24, seed=5, size=32)
    metrics = [
        ClassifierScore(fake_nums=FAKE_NUMS, classifier_path=files['clf'],
                        splits=3),
        SamplePairMSSSIM(fake_nums=10),
        LocalFID(fake_nums=FAKE_NUMS, feature_extractor_path=files['feat'],
                 real_nums=21, resize_to=16, stats_cache_dir=None),
    ]
    out = {}
    for m in metrics:
        m.prepare(model, loader(fashion_dataset(num=21, size=32)))
        q = m.fake_nums_per_device  # contiguous shards of one sample list
        shard = imgs[rank * q:(rank + 1) * q]
        for i in range(0, len(shard), 4):
            m.process(None, as_samples(shard[i:i + 4]))
        out.update(m.evaluate())
    rec = ReconstructionMetrics(real_nums=-1)
    dl = loader(dataset, 4)
    rec.prepare(model, dl)
    for batch in rec.get_metric_sampler(model, dl, [rec]):
        rec.process(batch, [])
    out.update(rec.evaluate())
    return out


def _worker(rank, port, queue, files, world):
    import torch.distributed as dist
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port),
                      RANK=str(rank), WORLD_SIZE=str(world))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    import alpha_gan_plugin  # noqa: F401
    from mmagic.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    queue.put((rank, run_metrics(files, rank, world)))


def test_one_vs_two_processes(tmp_path):
    files = make_files(tmp_path)
    single = run_metrics(files, 0, 1)
    results = run_ranks(_worker, files, 2)
    assert set(single) == set(results[0]) and len(single) == 8
    for key, value in single.items():
        assert results[0][key] == pytest.approx(value, rel=1e-6, abs=1e-9), \
            key
        assert results[1][key] == results[0][key]  # broadcast to all ranks
