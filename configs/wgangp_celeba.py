# Baseline for configs/alpha_gan_celeba.py (GPU-sized): MMagic's own WGAN-GP
# CelebA config (n_critic 5, Adam 1e-4 (0.5, 0.9)) at 64x64 with the DCGAN
# generator (base 1024, noise 100) and discriminator (base 128) of the
# alpha-GAN config; the critic uses layer norm instead of batch norm and the
# gradient-penalty weight is set through the key WGANGP reads; see
# configs/wgangp_fashion_mnist.py for both. Data and metrics: see
# configs/_base_/celeba_eval.py.
_base_ = [
    'mmagic::_base_/../wgan-gp/'
    'wgangp_GN_1xb64-160kiters_celeba-cropped-128x128.py',
    './_base_/celeba_eval.py',
]
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

gp = dict(norm_mode='HWC', loss_weight=10.0)
loss_config = dict(_delete_=True, **gp)
model = dict(
    noise_size=100,
    generator=dict(
        _delete_=True, type='DCGANGenerator', output_scale=64,
        base_channels=1024),
    discriminator=dict(
        _delete_=True, type='DCGANDiscriminator', input_scale=64,
        output_scale=4, out_channels=1, base_channels=128,
        default_norm_cfg=dict(type='GN', num_groups=1)),
    loss_config=dict(_delete_=True, **gp))

# --- data: the loaders of configs/_base_/celeba_eval.py ---------------------
train_dataloader = dict(_delete_=True, **_base_.celeba_train_dataloader)
val_dataloader = dict(_delete_=True, **_base_.celeba_test_dataloader)
test_dataloader = dict(_delete_=True, **_base_.celeba_test_dataloader)

# --- schedule and evaluation: as configs/alpha_gan_celeba.py ---------------
train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = [
    dict(type='VisualizationHook', interval=1000, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
default_hooks = dict(
    checkpoint=dict(interval=10000, max_keep_ckpts=5, save_best=None))
val_evaluator = dict(metrics=_base_.celeba_val_metrics)
test_evaluator = dict(metrics=_base_.celeba_gan_metrics)
