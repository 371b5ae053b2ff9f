# Baseline for configs/alpha_gan_celeba.py (GPU-sized): MMagic's own DCGAN
# for CelebA 64x64 (its model base, whose generator (base 1024, noise 100)
# and discriminator (base 128) already equal alpha-GAN's, and the Adam
# settings of its dcgan_1xb128-300kiters_celeba-cropped-64.py). Data (the
# checked folders, batch 64), iterations, evaluation and runtime as in the
# alpha-GAN config (configs/_base_/celeba_64x64.py).
_base_ = [
    'mmagic::_base_/models/dcgan/base_dcgan_64x64.py',
    './_base_/celeba_64x64.py',
]

optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))))

# --- schedule and evaluation: as configs/alpha_gan_celeba.py ---------------
train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = _base_.custom_hooks + [
    dict(type='VisualizationHook', interval=1000, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
default_hooks = dict(
    checkpoint=dict(interval=10000, max_keep_ckpts=5, save_best=None))
# the suite without ReconstructionMetrics (DCGAN has no encoder)
test_evaluator = dict(metrics=[
    m for m in _base_.test_evaluator.metrics
    if m.type != 'ReconstructionMetrics'
])
