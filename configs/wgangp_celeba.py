# Baseline for configs/alpha_gan_celeba.py (GPU-sized): MMagic's own WGAN-GP
# model with the settings of its CelebA config (n_critic 5, Adam 1e-4
# (0.5, 0.9); written here as in configs/wgangp_fashion_mnist.py) at 64x64
# with the DCGAN generator (base 1024, noise 100) and discriminator (base 128) of the
# alpha-GAN config; the critic uses layer norm instead of batch norm and the
# gradient-penalty weight is set through the key WGANGP reads; see
# configs/wgangp_fashion_mnist.py for both. Data and metrics: see
# configs/_base_/celeba_64x64.py.
_base_ = './_base_/celeba_64x64.py'

model = dict(
    type='WGANGP',
    noise_size=100,
    data_preprocessor=dict(type='DataPreprocessor'),
    generator=dict(
        type='DCGANGenerator', output_scale=64, base_channels=1024),
    discriminator=dict(
        type='DCGANDiscriminator', input_scale=64, output_scale=4,
        out_channels=1, base_channels=128,
        default_norm_cfg=dict(type='GN', num_groups=1)),
    discriminator_steps=5,
    loss_config=dict(norm_mode='HWC', loss_weight=10.0))
optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.9))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.9))))

# --- schedule and evaluation: as configs/alpha_gan_celeba.py ---------------
train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = _base_.custom_hooks + [
    dict(type='VisualizationHook', interval=1000, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
default_hooks = dict(
    checkpoint=dict(interval=10000, max_keep_ckpts=5, save_best=None))
# the suite without ReconstructionMetrics (WGAN-GP has no encoder)
test_evaluator = dict(metrics=[
    m for m in _base_.test_evaluator.metrics
    if m.type != 'ReconstructionMetrics'
])
