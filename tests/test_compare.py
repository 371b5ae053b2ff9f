"""tools/compare.py on a tiny budget; TrainTimeBudgetHook."""
import json
import os
import os.path as osp
import shutil
import sys

import pytest
import torch

from helpers import ROOT, needs_fashion_mnist

TOOLS = osp.join(ROOT, 'tools')
sys.path.insert(0, TOOLS)
sys.path.insert(0, osp.join(ROOT, 'tests', 'test_evaluation'))
import compare as compare_tool  # noqa: E402
import train as train_tool  # noqa: E402
from _support import make_files  # noqa: E402

from alpha_gan_plugin import compare  # noqa: E402
from alpha_gan_plugin.engine.run_records import read_progress  # noqa: E402

CONFIGS = osp.join(ROOT, 'configs')

TINY_COMPARE = '''
common = {{
    'model.noise_size': 8,
    'model.generator.output_scale': 16, 'model.generator.base_channels': 16,
    'model.discriminator.input_scale': 16,
    'model.discriminator.base_channels': 8,
    'train_dataloader.batch_size': 8, 'val_dataloader.batch_size': 8,
    'test_dataloader.batch_size': 8,
    'train_dataloader.dataset.image_size': 16,
    'train_dataloader.dataset.num_images': 64,
    'val_dataloader.dataset.image_size': 16,
    'val_dataloader.dataset.num_images': 48,
    'test_dataloader.dataset.image_size': 16,
    'test_dataloader.dataset.num_images': 48,
    'default_hooks.logger.interval': 1,
}}
encoder = {{
    'model.encoder.input_scale': 16, 'model.encoder.base_channels': 8,
    'model.code_discriminator.hidden_channels': 16,
    'custom_hooks.0.interval': 2, 'custom_hooks.0.num_samples': 8,
    'custom_hooks.0.num_recons': 8}}
models = [
    dict(name='alpha-GAN', config='{configs}/alpha_gan_fashion_mnist.py',
         cfg_options=encoder),
    dict(name='DCGAN', config='{configs}/dcgan_fashion_mnist.py',
         iter_scale=2),
]
budget = dict(type='iters', iters=4)
seeds = [0]
eval_interval = 2
curve_metrics = [
    dict(type='ClassifierScore', fake_nums=16, splits=2,
         classifier_path='{clf}', sample_model='orig'),
    dict(type='SamplePairMSSSIM', fake_nums=16, win_size=3,
         sample_model='orig'),
    dict(type='ReconstructionMetrics', real_nums=16, win_size=3),
    dict(type='WassersteinCriticDistance', fake_nums=32, train_real_nums=32,
         real_nums=16, steps=5, base_channels=8, seed=0,
         sample_model='orig'),
]
final_metrics = [
    dict(type='LocalFID', fake_nums=16, real_nums=16, resize_to=16,
         feature_extractor_path='{feat}', stats_cache_dir=None,
         sample_model='orig'),
]
data_reference = dict(num_images=16)
grids = dict(num_samples=16, num_recons=8, nrow=4)
cfg_options = common
work_dir = '{work}'
'''


def write_tiny(tmp_path):
    files = make_files(tmp_path)
    path = tmp_path / 'tiny_compare.py'
    path.write_text(TINY_COMPARE.format(configs=CONFIGS, clf=files['clf'],
                                        feat=files['feat'],
                                        work=tmp_path / 'work'))
    return str(path), str(tmp_path / 'work')


def table_rows(text):
    return {line.split('|')[1].strip(): [c.strip() for c in
                                          line.split('|')[2:-1]]
            for line in text.splitlines()
            if line.startswith('| ') and not line.startswith('| model')}


@needs_fashion_mnist
def test_compare_end_to_end_resume_and_refusal(tmp_path):
    cfg, work = write_tiny(tmp_path)
    summaries = compare_tool.main([cfg, '--no-progress'])
    rep = osp.join(work, 'report')
    for name in ('report.md', 'curves.png', 'samples.png',
                 'reconstructions.png', 'summary.json'):
        assert osp.getsize(osp.join(rep, name)) > 0, name
    text = open(osp.join(rep, 'report.md')).read()
    rows = table_rows(text)
    assert set(rows) == {'alpha-GAN', 'DCGAN', 'data (test split)'}
    header = [line for line in text.splitlines()
              if line.startswith('| model')][0]
    cols = [c.strip() for c in header.split('|')[4:-1]]
    assert any(c.startswith('FID') for c in cols)
    assert any(c.startswith('rec. L1') for c in cols)
    for name, cells in rows.items():
        if name == 'data (test split)':
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


def test_report_table_mean_and_spread_over_seeds(tmp_path):
    cfg, _ = write_tiny(tmp_path)
    cmp = compare.load_compare_config(cfg)

    def run(model, seed, fid, l1=None):
        final = {'FID/fid': fid}
        if l1 is not None:
            final['Rec/rec_l1'] = l1
        iters = 8 if model == 'DCGAN' else 4  # iter_scale 2
        return dict(model=model, seed=seed, iters=iters, train_seconds=60.0,
                    final=final, curves=[])
    summaries = [run('alpha-GAN', 0, 10.0, 0.2),
                 run('alpha-GAN', 1, 14.0, 0.4),
                 run('DCGAN', 0, 20.0), run('DCGAN', 1, 20.0)]
    text = compare.write_report(cmp, summaries, {'FID/fid': 1.5}, 'cmd')
    rows = table_rows(text)
    # sample std over seeds: std(10, 14) = 2.828..., std(0.2, 0.4) = 0.141..
    assert rows['alpha-GAN'] == ['4', '1.000 ± 0.000', '12.000 ± 2.828',
                                 '0.300 ± 0.141']
    assert rows['DCGAN'] == ['8 (÷2)', '1.000 ± 0.000', '20.000 ± 0.000',
                             'n/a']
    assert rows['data (test split)'] == ['', '', '1.500', '']


def test_compare_config_errors(tmp_path):
    cfg, _ = write_tiny(tmp_path)
    with pytest.raises(ValueError, match=r"--models \['GAN9'\]"):
        compare.load_compare_config(cfg, models=['GAN9'])
    with pytest.raises(ValueError, match="budget.type must be 'iters' or "):
        compare.load_compare_config(cfg, {'budget.type': 'epochs'})
    with pytest.raises(ValueError, match='budget.seconds must be > 0'):
        compare.load_compare_config(cfg, {'budget': dict(type='seconds')})
    with pytest.raises(ValueError, match='seeds must be distinct'):
        compare.load_compare_config(cfg, seeds=[1, 1])
    with pytest.raises(ValueError, match='iter_scale must be an integer'):
        compare.load_compare_config(cfg, {'models.1.iter_scale': 0})
    with pytest.raises(FileNotFoundError,
                       match='train_domain_classifier.py'):
        compare.load_compare_config(
            cfg, {'curve_metrics.0.classifier_path': str(tmp_path / 'no')})
    with pytest.raises(ValueError, match=r"data_reference: unknown keys "
                       r"\['seed'\]"):
        compare.load_compare_config(cfg, {'data_reference.seed': 0})
    with pytest.raises(FileNotFoundError, match='relative to'):
        compare.load_compare_config(cfg, {'models.0.config': 'nope.py'})
    with pytest.raises(FileNotFoundError, match='--report-only'):
        compare_tool.main([cfg, '--report-only', '--no-progress'])


def test_fashion_mnist_comparison_config_is_complete(tmp_path):
    """The shipped comparison: four models, the whole metric suite."""
    # loading checks only that the classifier file exists; it is read when
    # the metric is built, which this test does not do
    clf = tmp_path / 'fashion_mnist_cnn.pth'
    clf.write_bytes(b'')
    cmp = compare.load_compare_config(
        osp.join(CONFIGS, 'compare', 'fashion_mnist.py'),
        {'curve_metrics.0.classifier_path': str(clf)})
    assert cmp['curve_metrics'][0]['classifier_path'] == str(clf)
    assert [m['name'] for m in cmp['models']] == [
        'alpha-GAN', 'AGE', 'DCGAN', 'WGAN-GP']
    types = {m['type'] for m in cmp['curve_metrics'] + cmp['final_metrics']}
    assert types == {'ClassifierScore', 'SamplePairMSSSIM', 'LocalFID',
                     'ReconstructionMetrics', 'WassersteinCriticDistance'}
    for model in cmp['models']:
        cfg, _, _ = compare.build_run_configs(cmp, model, 0)
        assert cfg.train_cfg.max_iters == 2000 * model['iter_scale']
        assert cfg.model.generator.base_channels == 128
        names = {m['type'] for m in cfg.val_evaluator.metrics}
        assert ('ReconstructionMetrics' in names) == ('encoder' in cfg.model)


@needs_fashion_mnist
def test_time_budget_hook_stops_and_counts(tmp_path):
    cfg = tmp_path / 'budget.py'
    cfg.write_text(
        f"_base_ = '{CONFIGS}/alpha_gan_fashion_mnist.py'\n"
        "custom_hooks = [dict(type='TrainTimeBudgetHook', seconds=1e-6),\n"
        "                dict(type='MetricsLogHook', plot_filename=None)]\n")
    sys.path.insert(0, osp.join(ROOT, 'tests'))
    from test_tools import TINY
    work = str(tmp_path / 'run')
    opts = [o for o in TINY if not o.startswith(('custom_hooks',
                                                 'train_cfg'))]
    train_tool.main([str(cfg), '--work-dir', work, '--cfg-options', *opts,
                     'train_cfg.max_iters=50', 'train_cfg.val_interval=50'])
    # the budget is spent by the first iteration: it is the last one, and
    # the end-of-run checkpoint and validation still happen
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == [
        'iter_1.pth']
    meta = torch.load(osp.join(work, 'iter_1.pth'))['meta']
    assert meta['train_seconds'] > 0
    records = [json.loads(line) for line in open(
        osp.join(work, 'metrics.jsonl'))]
    assert [r['iter'] for r in records] == [1]
    with pytest.raises(ValueError, match='seconds must be a positive'):
        from alpha_gan_plugin.engine import TrainTimeBudgetHook
        TrainTimeBudgetHook(seconds=0)
