# This project's comparison on Fashion-MNIST 32x32, for 2 CPU cores:
# alpha-GAN, AGE, MMagic's DCGAN and MMagic's WGAN-GP with the same generator
# (and, for the GANs, the same image discriminator), the same iteration
# budget, the same seeds and the same metric suite.
#
#   python tools/compare.py configs/compare/fashion_mnist.py
#
# Needs the domain classifier of the ClassifierScore metric (made once):
#   python tools/train_domain_classifier.py \
#       --out work_dirs/classifiers/fashion_mnist_cnn.pth
# Paths of model configs are relative to this file. The metrics are those of
# the model configs' test suite (configs/_base_/fashion_mnist_32x32.py),
# picked by type; load_compare_config reads only the keys set here.
_base_ = '../_base_/fashion_mnist_32x32.py'
suite = {m.type: m for m in _base_.test_evaluator.metrics}

models = [
    dict(name='alpha-GAN', config='../alpha_gan_fashion_mnist.py'),
    dict(name='AGE', config='../age_fashion_mnist.py'),
    dict(name='DCGAN', config='../dcgan_fashion_mnist.py'),
    # one MMagic WGAN-GP iteration is one critic update and the generator is
    # updated every 5th; 5x the iterations gives it as many generator updates
    # as the others have iterations.
    dict(name='WGAN-GP', config='../wgangp_fashion_mnist.py', iter_scale=5),
]

# 'iters': every model trains budget.iters x iter_scale iterations.
# 'seconds': every model trains for budget.seconds of training-iteration time
#            (evaluation excluded), capped at budget.max_iters x iter_scale.
budget = dict(type='iters', iters=2000)
seeds = [0]
eval_interval = 500  # budget iterations between curve evaluations

# The metric suite of configs/_base_/fashion_mnist_32x32.py, split in two.
# Evaluated every eval_interval iterations (the curves) and at the end.
# ReconstructionMetrics runs only for models with an encoder; the
# WassersteinCriticDistance uses the held-out split of the test images, as
# in the base (train_dataset=None: 5,000 train the critic, 5,000 score it).
curve_metrics = [
    suite['ClassifierScore'],
    suite['SamplePairMSSSIM'],
    suite['PRDC'],
    suite['DomainFID'],
    suite['ReconstructionMetrics'],
    suite['WassersteinCriticDistance'],
]
# Evaluated once, on the final checkpoint, with tools/test.py (Inception
# features are slow on a CPU: ~6 images/s on 2 cores). 'fid_helper' stands
# for alpha_gan_plugin.evaluation.fid_helper_inception_path().
final_metrics = [suite['LocalFID']]

# Reference values of the test data itself (rows "data" of the table).
data_reference = dict(num_images=2000)
# Grids drawn from the final checkpoints, the same latent codes for all.
grids = dict(num_samples=64, num_recons=32, nrow=8, seed=0)
# Overrides applied to every model config (MMagic --cfg-options syntax).
cfg_options = {}
work_dir = 'work_dirs/compare_fashion_mnist'

del suite  # a local of this file, not a config key
