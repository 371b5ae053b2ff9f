# Baseline: MMagic's own DCGAN (its MNIST recipe: model, losses, optimizers,
# runtime) on Fashion-MNIST 32x32, with the generator and image discriminator
# of configs/alpha_gan_fashion_mnist.py. Changed from MMagic's config: data,
# image size, widths, latent size 64, batch 64, and iterations/evaluation as
# in the alpha-GAN config. Kept: MMagic's DCGAN losses and its Adam settings
# (G lr 4e-4, D lr 1e-4, betas (0.5, 0.999)).
#   python tools/train.py configs/dcgan_fashion_mnist.py
_base_ = [
    'mmagic::dcgan/dcgan_Glr4e-4_Dlr1e-4_1xb128-5kiters_mnist-64x64.py',
    './_base_/fashion_mnist_eval.py',
]

# registers the DCGANDiscriminator whose init_weights works (mmagic#2109)
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

latent_size = 64
model = dict(
    noise_size=latent_size,
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
    generator=dict(output_scale=32, out_channels=1, base_channels=128),
    discriminator=dict(input_scale=32, in_channels=1, base_channels=32))

# --- data: Fashion-MNIST, the loaders of configs/_base_/fashion_mnist_eval.py
train_dataloader = dict(_delete_=True, **_base_.fm_train_dataloader)
val_dataloader = dict(_delete_=True, **_base_.fm_val_dataloader)
test_dataloader = val_dataloader

# --- schedule and evaluation: as configs/alpha_gan_fashion_mnist.py --------
train_cfg = _base_.fm_train_cfg
default_hooks = _base_.fm_default_hooks
val_evaluator = _base_.fm_val_evaluator
test_evaluator = dict(metrics=_base_.fm_gan_metrics)
