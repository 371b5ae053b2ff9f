# alpha-GAN on Fashion-MNIST 32x32 (gray), widths sized for 2 CPU cores.
# The README's main job:  python tools/train.py configs/alpha_gan_fashion_mnist.py
_base_ = [
    './_base_/alpha_gan_dcgan.py',
    './_base_/fashion_mnist_32x32.py',
]

model = dict(
    noise_size=64,
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
    generator=dict(output_scale=32, out_channels=1, base_channels=128),
    discriminator=dict(input_scale=32, in_channels=1, base_channels=32),
    encoder=dict(input_scale=32, in_channels=1, base_channels=32),
    code_discriminator=dict(hidden_channels=256, num_layers=3),
    loss_config=dict(rec_weight=10.0))

custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=500, num_samples=64,
         num_recons=32, nrow=8)
]
# Schedule, validation (MMagic's MS-SSIM of samples, cheap) and the full
# test suite of tools/test.py: configs/_base_/fashion_mnist_32x32.py.

# The sweep's recipe (configs/_base_/alpha_gan_dcgan.py)
optim_wrapper = _base_.alpha_gan_optim_wrapper
