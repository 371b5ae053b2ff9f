# AGE on CelebA 64x64 (GPU-sized) with the generator and encoder of
# configs/alpha_gan_celeba.py; lambda = 10 and n_g = 3 as the CelebA command
# of the authors' README (github.com/DmitryUlyanov/AGE: match_x:10,
# --g_updates '3;...'), mu = 1000 / (2 * 100) as explained in
# configs/_base_/age_dcgan.py. Data and metrics: see
# configs/_base_/celeba_64x64.py.
_base_ = [
    './_base_/age_dcgan.py',
    './_base_/celeba_64x64.py',
]

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    generator=dict(out_channels=3),
    encoder=dict(in_channels=3),
    train_schedule=dict(generator=3))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=1000)
]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
# Metrics (configs/_base_/celeba_64x64.py): during training sample-pair
# MS-SSIM of 1,000 samples (cheap); tools/test.py: the full suite.

# Adam 2e-4 (0.5, 0.999) for each network
adam = dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    encoder=dict(optimizer=adam),
    generator=dict(optimizer=adam))
del adam  # a local of this file, not a config key
