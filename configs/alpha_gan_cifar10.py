# alpha-GAN on CIFAR-10 32x32 (MMagic's CIFAR10 dataset: the python pickles
# in data/cifar10/cifar-10-batches-py).
_base_ = [
    './_base_/alpha_gan_dcgan.py',
    'mmagic::_base_/datasets/cifar10_nopad.py',
]

train_dataloader = dict(batch_size=64)
val_dataloader = dict(batch_size=64)
test_dataloader = dict(batch_size=64)

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    generator=dict(output_scale=32, base_channels=512),
    discriminator=dict(input_scale=32, base_channels=128),
    encoder=dict(input_scale=32, base_channels=128),
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
