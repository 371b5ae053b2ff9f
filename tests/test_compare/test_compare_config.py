"""The comparison config: errors that name the key, the shipped config."""
import os.path as osp

import pytest

from _tiny_compare import CONFIGS, write_tiny
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
