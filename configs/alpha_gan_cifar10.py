# alpha-GAN on CIFAR-10 32x32 (GPU-sized). Data and metrics: see
# configs/_base_/cifar10_32x32.py (MMagic's CIFAR10 data set: the python
# pickles in data/cifar10/cifar-10-batches-py; the Inception file of the
# Inception Score is its inception_path).
#   python tools/train.py configs/alpha_gan_cifar10.py
#   python tools/test.py configs/alpha_gan_cifar10.py CKPT   # the full suite
_base_ = [
    './_base_/alpha_gan_dcgan.py',
    './_base_/cifar10_32x32.py',
]

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    generator=dict(output_scale=32, base_channels=512),
    discriminator=dict(input_scale=32, base_channels=128),
    encoder=dict(input_scale=32, base_channels=128),
    loss_config=dict(rec_weight=10.0))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=1000)
]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))

# Metrics (configs/_base_/cifar10_32x32.py): during training sample-pair
# MS-SSIM of 1,000 samples (cheap); tools/test.py: IS, FID, critic
# distance, sample-pair MS-SSIM, reconstructions.

# The sweep's recipe (configs/_base_/alpha_gan_dcgan.py)
optim_wrapper = _base_.alpha_gan_optim_wrapper
