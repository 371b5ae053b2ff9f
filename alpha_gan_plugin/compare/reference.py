"""The data reference of a comparison: the metric values of real images in
place of samples, i.e. what a perfect model would get."""
import copy
import json
import os.path as osp
import time

from ..utils.atomic_files import atomic_write_json
from .runs import run_config_path

#: Metrics of generated images that can score test images in their place.
IMAGE_SET_METRICS = ('ClassifierScore', 'LocalInceptionScore',
                     'SamplePairMSSSIM', 'LocalFID')
#: Metrics comparing samples with (by default all) test images: training
#: images take the samples' place.
TRAIN_VS_TEST_METRICS = ('PRDC', 'DomainFID')


def build_in_scope(cfg_path: str):
    """The config at ``cfg_path``, with MMagic's registry scope current."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(cfg_path)
    DefaultScope.get_instance(f'compare-{time.time()}', scope_name='mmagic')
    return cfg


def val_dataset(cfg):
    """The validation dataset of a model config, built."""
    from mmagic.registry import DATASETS
    return DATASETS.build(copy.deepcopy(cfg.val_dataloader.dataset))


def _score_test_images(metric_cfg: dict, num: int, pre, dataset) -> dict:
    """One metric's values on test images, or {} if the dataset is too
    small for it."""
    from mmagic.registry import METRICS
    from ..evaluation.metrics import load_real_images
    m = dict(metric_cfg, sample_model='orig')
    if m['type'] == 'LocalFID':
        real_n = m.get('real_nums', -1)
        real_n = len(dataset) if real_n == -1 else real_n
        fake_n = m['fake_nums']
        if real_n + fake_n > len(dataset):
            return {}
        metric = METRICS.build(m)
        reals = load_real_images(pre, dataset, real_n + fake_n)
        metric.set_real_images(reals[:real_n])
        return metric.score_images(reals[real_n:])
    num = min(num, len(dataset))
    if m['type'] == 'SamplePairMSSSIM':
        num -= num % 2
    metric = METRICS.build(dict(m, fake_nums=num))
    return metric.score_images(load_real_images(pre, dataset, num))


def _score_train_images(metric_cfg: dict, pre, test_set, train_set) -> dict:
    """PRDC / DomainFID of the first ``fake_nums`` training images against
    the metric's real test images."""
    from mmagic.registry import METRICS
    from ..evaluation.metrics import load_real_images
    m = dict(metric_cfg, sample_model='orig')
    real_n = m.get('real_nums', -1)
    real_n = len(test_set) if real_n == -1 else real_n
    if real_n > len(test_set) or m['fake_nums'] > len(train_set):
        return {}
    metric = METRICS.build(m)
    metric.set_real_images(load_real_images(pre, test_set, real_n))
    return metric.score_images(load_real_images(pre, train_set,
                                                m['fake_nums']))


def data_reference(cmp: dict) -> dict:
    """Metric values of real images in place of samples (cached in the work
    dir).

    Classifier score and sample-pair MS-SSIM of ``num_images`` test images,
    computed by the metric classes of the suite; FID (when in the suite) of
    ``fake_nums`` test images disjoint from the ``real_nums`` its statistics
    use: the value a perfect model would get with this sample size. PRDC
    and DomainFID compare with all test images, so the first ``fake_nums``
    training images take the samples' place (train vs test).

    Returns:
        dict: ``'<prefix>/<name>'`` -> value; empty without
        ``data_reference`` in the comparison config.
    """
    ref = cmp['data_reference']
    if not ref:
        return {}
    path = osp.join(cmp['work_dir'], 'data_reference.json')
    settings = dict(ref=ref, curve=cmp['curve_metrics'],
                    final=cmp['final_metrics'],
                    config=cmp['models'][0]['config'])
    key = json.dumps(settings, sort_keys=True, default=str)
    if osp.isfile(path):
        with open(path) as f:
            saved = json.load(f)
        if saved.get('key') == key:
            return saved['metrics']
    from mmagic.registry import MODELS
    cfg = build_in_scope(run_config_path(cmp, cmp['models'][0],
                                         cmp['seeds'][0]))
    pre = MODELS.build(cfg.model).data_preprocessor
    dataset = val_dataset(cfg)
    train_set = None
    out = {}
    for m in cmp['curve_metrics'] + cmp['final_metrics']:
        if m['type'] in IMAGE_SET_METRICS:
            out.update(_score_test_images(m, ref['num_images'], pre,
                                          dataset))
        elif m['type'] in TRAIN_VS_TEST_METRICS:
            if train_set is None:
                from mmagic.registry import DATASETS
                train_set = DATASETS.build(
                    copy.deepcopy(cfg.train_dataloader.dataset))
            out.update(_score_train_images(m, pre, dataset, train_set))
    atomic_write_json(path, dict(key=key, metrics=out), indent=1)
    return out
