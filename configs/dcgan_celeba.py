# Baseline for configs/alpha_gan_celeba.py (GPU-sized): MMagic's own DCGAN
# CelebA 64x64 config, whose generator (base 1024, noise 100) and
# discriminator (base 128) already equal alpha-GAN's. Changed: data root,
# batch 64, iterations and evaluation as in the alpha-GAN config.
_base_ = 'mmagic::dcgan/dcgan_1xb128-300kiters_celeba-cropped-64.py'
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

data_root = 'data/celeba'
batch_size = 64
train_dataloader = dict(
    batch_size=batch_size, dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=batch_size, dataset=dict(data_root=data_root))
test_dataloader = dict(
    batch_size=batch_size, dataset=dict(data_root=data_root))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = [
    dict(type='VisualizationHook', interval=1000, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
default_hooks = dict(
    checkpoint=dict(interval=10000, max_keep_ckpts=5, save_best=None))
metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000,
         sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
test_evaluator = dict(metrics=metrics)
