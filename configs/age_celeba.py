# AGE on CelebA 64x64 (GPU-sized) with the generator and encoder of
# configs/alpha_gan_celeba.py; lambda = 10, n_g = 3 as the authors' CelebA
# recipe, mu = 1000 / (2 * 100) as explained in configs/_base_/age_dcgan.py.
# Data: an image folder of aligned, cropped 64x64 CelebA faces in
# data/celeba (any layout; files found recursively).
_base_ = [
    './_base_/age_dcgan.py',
    'mmagic::_base_/datasets/unconditional_imgs_64x64.py',
]

data_root = 'data/celeba'
batch_size = 64
train_dataloader = dict(
    batch_size=batch_size, dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=batch_size, dataset=dict(data_root=data_root))
test_dataloader = dict(batch_size=batch_size, dataset=dict(data_root=data_root))

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    generator=dict(out_channels=3),
    encoder=dict(in_channels=3),
    train_schedule=dict(generator=3))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = [dict(type='AutoEncodingVisHook', interval=1000)]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000,
         sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
test_evaluator = dict(metrics=metrics)
