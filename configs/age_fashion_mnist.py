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

train_cfg = _base_.fm_train_cfg
default_hooks = _base_.fm_default_hooks
custom_hooks = [
    dict(type='AutoEncodingVisHook', interval=500, num_samples=64,
         num_recons=32, nrow=8)
]
# During training: MMagic's MS-SSIM of samples (cheap). tools/test.py: the
# plugin's full suite (configs/_base_/fashion_mnist_eval.py).
val_evaluator = _base_.fm_val_evaluator
test_evaluator = dict(metrics=_base_.fm_autoencoder_metrics)
