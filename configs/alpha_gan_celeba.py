# alpha-GAN on CelebA 64x64 with the DCGAN widths of MMagic's own CelebA
# DCGAN config (generator base 1024, discriminator base 128; GPU-sized:
# ~9 s/iteration on 2 CPU cores). Data: see configs/_base_/celeba_64x64.py.
_base_ = [
    './_base_/alpha_gan_dcgan.py',
    './_base_/celeba_64x64.py',
]

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    loss_config=dict(rec_weight=10.0))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = [dict(type='AutoEncodingVisHook', interval=1000)]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))

metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000,
         sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
test_evaluator = dict(metrics=metrics)
