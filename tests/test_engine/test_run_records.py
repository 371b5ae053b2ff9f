"""engine.run_records: the one reader and writer of what a run leaves in
its work dir."""
import math

from alpha_gan_plugin.engine import run_records as R


def test_metrics_records_round_trip(tmp_path):
    path = str(tmp_path / 'run' / R.METRICS_FILE)
    assert R.read_metrics_records(path) == []
    first = R.metrics_record(2, {'FID/fid': 3, 'note': 'text',
                                 'bad': math.nan})
    assert first == dict(iter=2, epoch=0, mode='val',
                         metrics={'FID/fid': 3.0})
    R.append_metrics_record(path, first)
    R.append_metrics_record(path, R.metrics_record(0, {'x': 1}, 'test'))
    assert R.read_metrics_records(path) == [
        first, dict(iter=0, epoch=0, mode='test', metrics={'x': 1.0})]
    assert R.read_metrics_records(path, 'val') == [first]
    R.write_metrics_records(path, [first])
    assert R.read_metrics_records(path) == [first]


def test_last_checkpoint_and_progress(tmp_path):
    work = str(tmp_path)
    assert R.last_checkpoint(work) is None
    R.write_last_checkpoint(work, str(tmp_path / 'iter_2.pth'))
    assert R.last_checkpoint(work) is None  # named file does not exist
    (tmp_path / 'iter_2.pth').write_bytes(b'')
    assert R.last_checkpoint(work) == str(tmp_path / 'iter_2.pth')
    assert R.read_progress(work) is None
    R.write_progress(work, 3, 10)
    assert R.read_progress(work) == dict(iter=3, max_iters=10)
