"""The DCGANDiscriminator shim (upstream bug open-mmlab/mmagic#2109) and
the private upstream APIs listed in alpha_gan_plugin/PRIVATE_APIS.md."""
import pytest
import torch

from alpha_gan_plugin.compat import DCGANDiscriminator
from mmagic.models.editors.dcgan import \
    DCGANDiscriminator as UpstreamDCGANDiscriminator
from mmagic.registry import MODELS

CFG = dict(input_scale=16, output_scale=4, out_channels=1, in_channels=1,
           base_channels=32)


def test_upstream_bug_still_present():
    """When this fails, upstream fixed #2109: drop the shim in compat.py."""
    disc = UpstreamDCGANDiscriminator(**CFG)
    with pytest.raises(UnboundLocalError, match='init_info'):
        disc.init_weights()


def test_registry_builds_the_fixed_class():
    disc = MODELS.build(dict(type='DCGANDiscriminator', **CFG))
    assert type(disc) is DCGANDiscriminator


def test_fixed_init_keeps_upstream_numerics():
    torch.manual_seed(0)
    disc = MODELS.build(dict(type='DCGANDiscriminator', **CFG))
    # make the weights obviously non-DCGAN before init
    for p in disc.parameters():
        torch.nn.init.constant_(p, 5.0)
    disc.init_weights()
    convs = [m for m in disc.modules() if isinstance(m, torch.nn.Conv2d)]
    norms = [m for m in disc.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert convs and norms
    w = torch.cat([c.weight.flatten() for c in convs])
    assert abs(w.std().item() - 0.02) < 0.003 and abs(w.mean().item()) < 0.003
    assert all((c.bias == 0).all() for c in convs if c.bias is not None)
    bn_w = torch.cat([n.weight.flatten() for n in norms])
    # upstream draws BN weights from N(0, 1)
    assert 0.7 < bn_w.std().item() < 1.3
    assert all((n.bias == 0).all() for n in norms)


# ----------------------------------------------------------------------
# the private upstream APIs of alpha_gan_plugin/PRIVATE_APIS.md, one test
# each: a failure names the plugin module to fix
# ----------------------------------------------------------------------
def _params(func):
    import inspect
    return list(inspect.signature(func).parameters)


def _source(func):
    import inspect
    return inspect.getsource(func)


def test_checkpoint_hook_saves_through_one_method():
    """engine/hooks/atomic_checkpoint_hook.py overrides this method."""
    from mmengine.hooks import CheckpointHook
    assert _params(CheckpointHook._save_checkpoint_with_step) == [
        'self', 'runner', 'step', 'meta']
    for caller in (CheckpointHook.after_train_iter,
                   CheckpointHook.after_train_epoch):
        src = _source(caller)
        # the periodic save goes through _save_checkpoint, which calls it
        assert '_save_checkpoint(' in src, caller
    assert 'self._save_checkpoint_with_step(' in _source(
        CheckpointHook._save_checkpoint)


def test_checkpoint_hook_attributes():
    """The attributes atomic_checkpoint_hook.py reads."""
    from mmengine.hooks import CheckpointHook
    hook = CheckpointHook(interval=1, by_epoch=False, max_keep_ckpts=2)
    for name in ('filename_tmpl', 'max_keep_ckpts', 'save_optimizer',
                 'save_param_scheduler', 'by_epoch', 'backend_args',
                 'file_client_args', 'args', 'out_dir'):
        assert hasattr(hook, name), name
    assert hook.max_keep_ckpts == 2 and hook.by_epoch is False
    assert hook.filename_tmpl.format(7) == 'iter_7.pth'
    # out_dir, file_backend and keep_ckpt_ids are completed in
    # before_train
    src = _source(CheckpointHook.before_train)
    for name in ('file_backend', 'out_dir', 'keep_ckpt_ids'):
        assert f'self.{name}' in src, name


def test_infinite_sampler_reseeds_through_indices_of_rank():
    """engine/hooks/exact_resume_hook.py re-seeds a built sampler."""
    import itertools

    from mmengine.dataset import InfiniteSampler
    data = list(range(10))
    sampler = InfiniteSampler(data, shuffle=True, seed=1)
    sampler.seed = 5
    sampler.indices = sampler._indices_of_rank()
    fresh = InfiniteSampler(data, shuffle=True, seed=5)
    assert list(itertools.islice(iter(sampler), 25)) == list(
        itertools.islice(iter(fresh), 25))


def test_iter_loop_draws_from_dataloader_iterator():
    """engine/hooks/exact_resume_hook.py wraps loop.dataloader_iterator."""
    from mmengine.runner import IterBasedTrainLoop
    assert 'self.dataloader_iterator =' in _source(
        IterBasedTrainLoop.__init__)
    assert 'next(self.dataloader_iterator)' in _source(IterBasedTrainLoop.run)


def test_data_preprocessor_private_steps():
    """utils/preprocessing.py's fast path calls these three methods."""
    from mmagic.models.data_preprocessors import DataPreprocessor
    assert _params(DataPreprocessor._parse_channel_order) == [
        'self', 'key', 'inputs', 'data_sample']
    assert _params(DataPreprocessor._do_conversion) == [
        'self', 'inputs', 'inputs_order', 'target_order']
    assert _params(DataPreprocessor._do_norm) == ['self', 'inputs',
                                                  'do_norm']
    prep = DataPreprocessor(mean=[127.5], std=[127.5])
    x = torch.full((2, 1, 4, 4), 255.)
    out, order = prep._do_conversion(x, 'single', None)
    assert order == 'single' and torch.equal(out, x)
    assert torch.allclose(prep._do_norm(x, True), torch.ones_like(x))


def test_gen_metric_collects_target_results():
    """reconstruction_metrics.py calls it, sample_pair_ms_ssim.py overrides
    it."""
    from mmagic.evaluation.metrics.base_gen_metric import GenerativeMetric
    assert _params(GenerativeMetric._collect_target_results) == [
        'self', 'target']
    assert '_collect_target_results(' in _source(GenerativeMetric.evaluate)


def test_load_image_from_file_reads_through_load_image(tmp_path):
    """datasets/transforms/loading.py wraps _load_image."""
    import numpy as np
    from PIL import Image

    from mmagic.datasets.transforms import LoadImageFromFile
    assert _params(LoadImageFromFile._load_image) == ['self', 'filename']
    path = tmp_path / 'a.png'
    Image.fromarray(np.full((3, 5), 7, np.uint8)).save(path)
    loader = LoadImageFromFile(key='gt', color_type='grayscale')
    img = loader._load_image(str(path))
    assert img.shape[:2] == (3, 5) and int(img.max()) == 7


def test_batchnorm_base_class():
    """compat.py tells batch-norm layers by this private base class."""
    from torch.nn.modules.batchnorm import _BatchNorm
    assert issubclass(torch.nn.BatchNorm2d, _BatchNorm)
    assert issubclass(torch.nn.SyncBatchNorm, _BatchNorm)
