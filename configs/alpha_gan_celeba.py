# alpha-GAN on CelebA 64x64 with the DCGAN widths of MMagic's own CelebA
# DCGAN config (generator base 1024, discriminator base 128; GPU-sized:
# ~9 s/iteration on 2 CPU cores). Data and metrics: see
# configs/_base_/celeba_64x64.py.
#   python tools/train.py configs/alpha_gan_celeba.py
#   python tools/test.py configs/alpha_gan_celeba.py CKPT   # the full suite
_base_ = [
    './_base_/alpha_gan_dcgan.py',
    './_base_/celeba_64x64.py',
]

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    loss_config=dict(rec_weight=10.0))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=1000)
]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))

# Metrics (configs/_base_/celeba_64x64.py): during training sample-pair
# MS-SSIM of 1,000 samples (cheap); tools/test.py: FID, critic distance,
# sample-pair MS-SSIM, reconstructions.

# The sweep's recipe (configs/_base_/alpha_gan_dcgan.py)
optim_wrapper = _base_.alpha_gan_optim_wrapper
