"""tools/compare.py end to end on a tiny budget: report, resume after an
interruption, refusal of a work dir made with other settings."""
import json
import os
import os.path as osp
import shutil

import pytest
import torch

from helpers.compare import table_rows, write_tiny
from alpha_gan_plugin import compare
from alpha_gan_plugin.engine.run_records import read_progress
from helpers import needs_fashion_mnist, tool

compare_tool = tool('compare')


@needs_fashion_mnist
def test_compare_end_to_end_resume_and_refusal(tmp_path):
    cfg, work = write_tiny(tmp_path)
    summaries = compare_tool.main([cfg, '--no-progress'])
    rep = osp.join(work, 'report')
    for name in ('report.md', 'curves.png', 'samples.png',
                 'reconstructions.png', 'summary.json'):
        assert osp.getsize(osp.join(rep, name)) > 0, name
    text = open(osp.join(rep, 'report.md')).read()
    # a report can be committed: no absolute path of this machine in it;
    # the runs' files are named relative to the work dir
    summary_text = open(osp.join(rep, 'summary.json')).read()
    for written in (text, summary_text):
        assert str(tmp_path) not in written
    assert f'`python tools/compare.py <elsewhere>/{osp.basename(cfg)} ' \
        f'--no-progress`' in text
    for run in json.loads(summary_text)['runs']:
        for key in ('checkpoint', 'config'):
            assert not osp.isabs(run[key]), run[key]
            assert osp.isfile(osp.join(work, run[key])), run[key]
    rows = table_rows(text)
    assert set(rows) == {'alpha-GAN', 'DCGAN', 'data'}
    header = [line for line in text.splitlines()
              if line.startswith('| model')][0]
    cols = [c.strip() for c in header.split('|')[4:-1]]
    assert any(c.startswith('FID') for c in cols)
    for new in ('domain FID', 'precision', 'recall', 'density', 'coverage'):
        assert any(c.startswith(new) for c in cols), new
    # the data row has the train-vs-test values of PRDC and the domain FID
    data = dict(zip(cols, rows['data'][2:]))
    for new in ('domain FID', 'precision', 'coverage'):
        cell = [v for c, v in data.items() if c.startswith(new)][0]
        assert torch.isfinite(torch.tensor(float(cell))), (new, cell)
    assert any(c.startswith('rec. L1') for c in cols)
    for name, cells in rows.items():
        if name == 'data':
            continue
        metric_cells = cells[2:]
        values = [c for c in metric_cells if c not in ('n/a', '')]
        for cell in values:  # one seed: plain finite numbers
            assert torch.isfinite(torch.tensor(float(cell))), cell
        if name == 'alpha-GAN':
            assert len(values) == len(metric_cells)
        else:  # no encoder: the reconstruction columns are n/a
            assert metric_cells.count('n/a') == 3
    assert rows['DCGAN'][0] == '8 (÷2)'
    assert len(summaries) == 2
    for s in summaries:
        expected = 4 * (2 if s['model'] == 'DCGAN' else 1)
        assert s['iters'] == expected
        assert [r['iter'] for r in s['curves']] == [
            expected // 2, expected]
        assert s['train_seconds'] > 0
        # the run's own progress record (what the progress bars follow)
        rdir = compare.run_dir(compare.load_compare_config(cfg),
                               dict(name=s['model']), 0)
        assert read_progress(rdir) == dict(iter=expected, max_iters=expected)
        assert all(torch.isfinite(torch.tensor(v)) for v in
                   s['final'].values())

    # Interrupted after the first checkpoint: drop what came later and run
    # the same command again; the run resumes and ends where the
    # uninterrupted one did (exact resume), the finished runs are untouched.
    rdir = osp.join(work, 'runs', 'alpha-GAN_seed0')
    before = json.load(open(osp.join(rdir, 'done.json')))
    other = osp.join(work, 'runs', 'DCGAN_seed0', 'iter_8.pth')
    other_mtime = os.path.getmtime(other)
    for name in ('done.json', 'final_metrics.json', 'iter_4.pth'):
        os.remove(osp.join(rdir, name))
    shutil.rmtree(osp.join(rdir, 'final_eval'))
    with open(osp.join(rdir, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(rdir, 'iter_2.pth'))
    again = compare_tool.main([cfg, '--no-progress'])
    after = [s for s in again if s['model'] == 'alpha-GAN'][0]
    assert after['iters'] == 4
    assert after['final'] == before['final']
    assert [r['iter'] for r in after['curves']] == [2, 4]
    assert os.path.getmtime(other) == other_mtime
    discarded = osp.join(rdir, 'metrics.discarded.jsonl')
    assert [json.loads(line)['iter'] for line in open(discarded)] == [4]

    # other settings in the same work dir: refused, nothing written over
    with pytest.raises(ValueError, match='other settings'):
        compare_tool.main([cfg, '--no-progress', '--cfg-options',
                      'budget.iters=6'])
    assert os.path.getmtime(other) == other_mtime
