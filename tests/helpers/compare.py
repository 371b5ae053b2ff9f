"""A comparison of two tiny Fashion-MNIST runs (alpha-GAN and DCGAN) with
the whole metric suite on test-made networks, for the tests of
alpha_gan_plugin.compare and tools/compare.py."""
import os.path as osp

from helpers import ROOT, options_dict, tiny_run_options
from helpers.evaluation import make_files

CONFIGS = osp.join(ROOT, 'configs')

TINY_COMPARE = '''
models = [
    dict(name='alpha-GAN', config='{configs}/alpha_gan_fashion_mnist.py',
         cfg_options={alpha_gan}),
    dict(name='DCGAN', config='{configs}/dcgan_fashion_mnist.py',
         iter_scale=2, cfg_options={dcgan}),
]
budget = dict(type='iters', iters=4)
seeds = [0]
eval_interval = 2
curve_metrics = [
    dict(type='ClassifierScore', fake_nums=16, splits=2,
         classifier_path='{clf}', sample_model='orig'),
    dict(type='SamplePairMSSSIM', fake_nums=16, win_size=3,
         sample_model='orig'),
    dict(type='PRDC', fake_nums=16, k=3, classifier_path='{clf}',
         sample_model='orig'),
    dict(type='DomainFID', fake_nums=16, classifier_path='{clf}',
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
work_dir = '{work}'
'''
# 48 test images: the data reference scores 16 of them as samples besides
# the 16 of the FID statistics
EVAL_DATA = ['val_dataloader.dataset.num_images=48',
             'test_dataloader.dataset.num_images=48',
             'test_dataloader.batch_size=8']


def tiny_cfg_options(config):
    """The tiny-run options of a model config as a comparison config's
    cfg_options (the comparison sets the schedule itself)."""
    return options_dict(tiny_run_options(config, iters=None,
                                         checkpoint_interval=None) +
                        EVAL_DATA)


def write_tiny(tmp_path):
    files = make_files(tmp_path)
    path = tmp_path / 'tiny_compare.py'
    path.write_text(TINY_COMPARE.format(
        configs=CONFIGS, clf=files['clf'], feat=files['feat'],
        work=tmp_path / 'work',
        alpha_gan=tiny_cfg_options(osp.join(CONFIGS,
                                            'alpha_gan_fashion_mnist.py')),
        dcgan=tiny_cfg_options(osp.join(CONFIGS,
                                        'dcgan_fashion_mnist.py'))))
    return str(path), str(tmp_path / 'work')


def table_rows(text):
    return {line.split('|')[1].strip(): [c.strip() for c in
                                          line.split('|')[2:-1]]
            for line in text.splitlines()
            if line.startswith('| ') and not line.startswith('| model')}
