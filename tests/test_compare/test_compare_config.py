"""The comparison config: errors that name the key, the shipped config."""
import os.path as osp

import pytest

from helpers.compare import CONFIGS, write_tiny
from alpha_gan_plugin import compare
from helpers import tool

compare_tool = tool('compare')


def test_compare_config_errors(tmp_path):
    cfg, _ = write_tiny(tmp_path)
    with pytest.raises(ValueError, match=r"--models \['GAN9'\]"):
        compare.load_compare_config(cfg, models=['GAN9'])
    with pytest.raises(ValueError, match="budget.type must be 'iters' or "):
        compare.load_compare_config(cfg, {'budget.type': 'epochs'})
    with pytest.raises(ValueError, match='budget.seconds must be > 0'):
        compare.load_compare_config(cfg, {'budget': dict(type='seconds')})
    with pytest.raises(ValueError, match='eval_every_seconds must be in'):
        compare.load_compare_config(cfg, {'budget': dict(
            type='seconds', seconds=10, eval_every_seconds=20)})
    with pytest.raises(ValueError, match="eval_every_seconds needs type="):
        compare.load_compare_config(cfg, {'budget.eval_every_seconds': 5})
    with pytest.raises(ValueError, match=r"budget: unknown keys \['secs'\]"):
        compare.load_compare_config(cfg, {'budget.secs': 5})
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


def _placeholder_classifier(tmp_path, path):
    """Overrides pointing every classifier_path of a comparison config at a
    placeholder file (loading checks only that it exists; it is read when a
    metric is built, which these tests do not do), so the tests never depend
    on a classifier in the working directory."""
    from mmengine.config import Config
    clf = tmp_path / 'fashion_mnist_cnn.pth'
    clf.write_bytes(b'')
    cfg = Config.fromfile(path)
    return str(clf), {
        f'{group}.{i}.classifier_path': str(clf)
        for group in ('curve_metrics', 'final_metrics')
        for i, m in enumerate(cfg.get(group, [])) if 'classifier_path' in m}


def test_fashion_mnist_comparison_config_is_complete(tmp_path):
    """The shipped comparison: four models, the whole metric suite."""
    path = osp.join(CONFIGS, 'compare', 'fashion_mnist.py')
    clf, over = _placeholder_classifier(tmp_path, path)
    assert len(over) == 3  # classifier score, PRDC, domain FID
    cmp = compare.load_compare_config(path, over)
    assert cmp['curve_metrics'][0]['classifier_path'] == clf
    assert [m['name'] for m in cmp['models']] == [
        'alpha-GAN', 'AGE', 'DCGAN', 'WGAN-GP']
    types = {m['type'] for m in cmp['curve_metrics'] + cmp['final_metrics']}
    assert types == {'ClassifierScore', 'SamplePairMSSSIM', 'LocalFID',
                     'ReconstructionMetrics', 'WassersteinCriticDistance',
                     'PRDC', 'DomainFID'}
    for model in cmp['models']:
        cfg, _, _ = compare.build_run_configs(cmp, model, 0)
        assert cfg.train_cfg.max_iters == 2000 * model['iter_scale']
        assert cfg.model.generator.base_channels == 128
        names = {m['type'] for m in cfg.val_evaluator.metrics}
        assert ('ReconstructionMetrics' in names) == ('encoder' in cfg.model)


@pytest.mark.parametrize('name,models,seeds,every', [
    ('fashion_mnist_equal_time.py', ['alpha-GAN', 'AGE', 'DCGAN', 'WGAN-GP'],
     [0, 1, 2], 200),
    ('alpha_gan_sensitivity.py', [
        f'rec{w}-{form}' for form in ('nonsaturating', 'ratio')
        for w in (1, 10, 30)], [0], 600),
])
def test_equal_time_comparison_configs(tmp_path, name, models, seeds, every):
    """The shipped equal-time configs: every run trains 600 s of training
    iterations and is validated by training time only."""
    path = osp.join(CONFIGS, 'compare', name)
    cmp = compare.load_compare_config(
        path, _placeholder_classifier(tmp_path, path)[1])
    assert [m['name'] for m in cmp['models']] == models
    assert cmp['seeds'] == seeds
    assert cmp['budget'] == dict(type='seconds', seconds=600,
                                 eval_every_seconds=every, max_iters=10**6,
                                 clock='wall')
    for model in cmp['models']:
        cfg, _, _ = compare.build_run_configs(cmp, model, 0)
        budget = [h for h in cfg.custom_hooks
                  if h['type'] == 'TrainTimeBudgetHook']
        assert budget == [dict(type='TrainTimeBudgetHook', seconds=600,
                               val_every_seconds=every)]
        # no validation by iteration: only by time (and at the end)
        assert cfg.train_cfg.val_interval > cfg.train_cfg.max_iters
        if name.startswith('alpha_gan'):
            w, form = model['name'][3:].split('-')
            assert cfg.model.loss_config.rec_weight == float(w)
            assert cfg.model.loss_config.image_adv_form == form


def test_curves_by_training_seconds_line_up_the_seeds():
    from alpha_gan_plugin.compare.figures import curve_x
    model = dict(iter_scale=5)
    assert curve_x(dict(iter=50, train_seconds=201.3), model, 200) == 200
    assert curve_x(dict(iter=61, train_seconds=599.2), model, 200) == 600
    assert curve_x(dict(iter=50), model) == 10
    with pytest.raises(ValueError, match='train_seconds'):
        curve_x(dict(iter=50), model, 200)
