# Baseline: MMagic's own WGAN-GP (model, losses, n_critic=5, Adam lr 1e-4
# betas (0.5, 0.9), runtime) on Fashion-MNIST 32x32, with the DCGAN generator
# and image discriminator (critic) of configs/alpha_gan_fashion_mnist.py in
# place of MMagic's WGAN-GP networks.
#
# One difference in the critic: batch norm is replaced by layer norm
# (GroupNorm with one group), because the gradient penalty is a per-sample
# quantity that batch norm couples across the batch (this project's choice;
# MMagic's own WGAN-GP configs use GroupNorm too). Convolutions, widths,
# activations are those of the alpha-GAN discriminator. For batch norm:
#   --cfg-options model.discriminator.default_norm_cfg.type=BN
#
# Gradient-penalty weight: MMagic 1.2.0's WGANGP reads
# loss_config['loss_weight'] and loss_config['norm_mode'], while MMagic's own
# configs write gp_loss_weight / gp_norm_mode, which are ignored (the model
# falls back to 10 and 'HWC'). This config sets the keys that are read.
# tests/test_baselines.py checks the weight in effect.
#   python tools/train.py configs/wgangp_fashion_mnist.py
# mmengine 0.10.7 only accepts 'pkg::<word>/...' (its regex rejects the '-' of
# 'wgan-gp/'), hence the detour through _base_/.. to MMagic's own config.
_base_ = [
    'mmagic::_base_/../wgan-gp/'
    'wgangp_GN_1xb64-160kiters_celeba-cropped-128x128.py',
    './_base_/fashion_mnist_eval.py',
]

custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

latent_size = 64
gp = dict(norm_mode='HWC', loss_weight=10.0)
loss_config = dict(_delete_=True, **gp)  # MMagic's top-level copy
model = dict(
    noise_size=latent_size,
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
    generator=dict(
        _delete_=True, type='DCGANGenerator', output_scale=32,
        out_channels=1, base_channels=128),
    discriminator=dict(
        _delete_=True, type='DCGANDiscriminator', input_scale=32,
        output_scale=4, out_channels=1, in_channels=1, base_channels=32,
        default_norm_cfg=dict(type='GN', num_groups=1)),
    loss_config=dict(_delete_=True, **gp))

# --- data: Fashion-MNIST, the loaders of configs/_base_/fashion_mnist_eval.py
train_dataloader = dict(_delete_=True, **_base_.fm_train_dataloader)
val_dataloader = dict(_delete_=True, **_base_.fm_val_dataloader)
test_dataloader = val_dataloader

# --- schedule and evaluation: as configs/alpha_gan_fashion_mnist.py --------
# (one iteration = one critic update; the generator is updated every
# discriminator_steps=5 iterations, MMagic's WGAN-GP schedule)
train_cfg = _base_.fm_train_cfg
custom_hooks = [
    dict(type='VisualizationHook', interval=500, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
default_hooks = _base_.fm_default_hooks
val_evaluator = _base_.fm_val_evaluator
test_evaluator = dict(metrics=_base_.fm_gan_metrics)
