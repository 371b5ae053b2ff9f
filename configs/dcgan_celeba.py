# Baseline for configs/alpha_gan_celeba.py (GPU-sized): MMagic's own DCGAN
# CelebA 64x64 config, whose generator (base 1024, noise 100) and
# discriminator (base 128) already equal alpha-GAN's. Changed: data (the
# checked folders of configs/_base_/celeba_eval.py, batch 64), iterations
# and evaluation as in the alpha-GAN config.
_base_ = [
    'mmagic::dcgan/dcgan_1xb128-300kiters_celeba-cropped-64.py',
    './_base_/celeba_eval.py',
]
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

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
