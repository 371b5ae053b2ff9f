# AGE (Ulyanov et al., AAAI 2018) on Fashion-MNIST 32x32, with exactly the
# generator and encoder of configs/alpha_gan_fashion_mnist.py (no
# discriminators: AGE's game is played between encoder and generator).
#   python tools/train.py configs/age_fashion_mnist.py
_base_ = [
    './_base_/age_dcgan.py',
    './_base_/fashion_mnist_32x32.py',
]

latent_size = 64
model = dict(
    noise_size=latent_size,
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
    generator=dict(output_scale=32, out_channels=1, base_channels=128),
    encoder=dict(input_scale=32, in_channels=1, base_channels=32),
    # mu = 1000 / (2 M) = 7.8 for M = 64 (see configs/_base_/age_dcgan.py)
    loss_config=dict(latent_rec_weight=1000.0 / (2 * latent_size)))

custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=500, num_samples=64,
         num_recons=32, nrow=8)
]
# Schedule, validation (MMagic's MS-SSIM of samples, cheap) and the full
# test suite of tools/test.py: configs/_base_/fashion_mnist_32x32.py.

# Adam 2e-4 (0.5, 0.999) for each network
adam = dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    encoder=dict(optimizer=adam),
    generator=dict(optimizer=adam))
del adam, latent_size  # locals of this file, not config keys
