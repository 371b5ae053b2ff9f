# AGE on CelebA 64x64 (GPU-sized) with the generator and encoder of
# configs/alpha_gan_celeba.py; lambda = 10, n_g = 3 as the authors' CelebA
# recipe, mu as explained in configs/age_fashion_mnist.py.
_base_ = [
    './age_fashion_mnist.py',
]

latent_size = 100
data_root = 'data/celeba'
batch_size = 64
train_pipeline = [
    dict(type='LoadImageFromFile', key='gt'),
    dict(type='Resize', keys='gt', scale=(64, 64)),
    dict(type='PackInputs')
]
_image_folder = dict(
    _delete_=True, type='BasicImageDataset', data_prefix=dict(gt=''),
    data_root=data_root, pipeline=train_pipeline)
train_dataloader = dict(batch_size=batch_size, dataset=_image_folder)
val_dataloader = dict(batch_size=batch_size, dataset=_image_folder)
test_dataloader = val_dataloader

model = dict(
    noise_size=latent_size,
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    generator=dict(output_scale=64, out_channels=3, base_channels=1024),
    encoder=dict(input_scale=64, in_channels=3, base_channels=128),
    loss_config=dict(latent_rec_weight=1000.0 / (2 * latent_size)),
    train_schedule=dict(encoder=1, generator=3))

train_cfg = dict(max_iters=100000, val_interval=10000)
custom_hooks = [dict(type='AutoEncodingVisHook', interval=1000)]
default_hooks = dict(checkpoint=dict(interval=10000, max_keep_ckpts=5))
metrics = [
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=10000,
         sample_model='orig'),
]
val_evaluator = dict(metrics=metrics)
test_evaluator = dict(metrics=metrics)
