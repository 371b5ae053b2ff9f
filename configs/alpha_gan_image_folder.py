# alpha-GAN on your own folder of images (any sizes, gray or RGB, JPEG/PNG/
# ...; resized to image_size x image_size, aspect ratio not kept).
# The four settings are the variables below; edit them, or set them from
# the environment (mmengine substitutes {{$NAME:default}} when it reads the
# config, so every key built from them follows):
#   ALPHA_GAN_DATA=data/my_images ALPHA_GAN_SIZE=32 ALPHA_GAN_CHANNELS=3 \
#       python tools/train.py configs/alpha_gan_image_folder.py
# (--cfg-options on these variables would NOT reach the keys built from
# them: mmengine evaluates the file first.) Walkthrough: docs/own_images.md.
#
# Metrics: without a test folder the folder is split in two by file name
# (CheckedImageFolderDataset split='train'/'holdout': in the sorted list of
# file paths every 10th file, positions 9, 19, 29 ..., is held out; no file
# is in both parts) and the held-out part is used for validation and
# tools/test.py. With ALPHA_GAN_TEST_DATA=<folder> that folder is used
# instead and every file of the data folder trains.
data_root = '{{$ALPHA_GAN_DATA:data/my_images}}'
_test = '{{$ALPHA_GAN_TEST_DATA:none}}'
test_root = None if _test == 'none' else _test
image_size = int('{{$ALPHA_GAN_SIZE:32}}')  # 32, 64 or 128
channels = int('{{$ALPHA_GAN_CHANNELS:3}}')  # 3 (RGB) or 1 (gray)
if image_size not in (32, 64, 128) or channels not in (1, 3):
    raise ValueError(
        f'alpha_gan_image_folder.py: ALPHA_GAN_SIZE={image_size} / '
        f'ALPHA_GAN_CHANNELS={channels}; use a size of 32, 64 or 128 and '
        f'1 (gray) or 3 (RGB) channels')

_base_ = ['./_base_/alpha_gan_dcgan.py', './_base_/runtime.py']

# network widths per image size: sized to train on a CPU at 32x32
# (~0.3 s/iteration on 2 cores at batch 32), GPU-sized at 64 and 128
# (generator base, discriminator/encoder base, code discriminator width)
_gen, _disc, _code = ((128, 32, 256) if image_size == 32 else
                      (256, 64, 512) if image_size == 64 else (512, 64, 750))
_latent = 64 if image_size == 32 else 128
model = dict(
    noise_size=_latent,
    # images are loaded in RGB order (channel_order='rgb' below)
    data_preprocessor=dict(
        mean=[127.5] * channels, std=[127.5] * channels,
        output_channel_order='RGB' if channels == 3 else None),
    generator=dict(output_scale=image_size, out_channels=channels,
                   base_channels=_gen),
    discriminator=dict(input_scale=image_size, in_channels=channels,
                       base_channels=_disc),
    encoder=dict(input_scale=image_size, in_channels=channels,
                 base_channels=_disc),
    code_discriminator=dict(hidden_channels=_code, num_layers=3),
    loss_config=dict(rec_weight=10.0))

_pipeline = [
    dict(type='CheckedLoadImageFromFile', key='gt',
         color_type='color' if channels == 3 else 'grayscale',
         channel_order='rgb'),
    dict(type='Resize', keys='gt', scale=(image_size, image_size),
         keep_ratio=False),
    dict(type='PackInputs')
]
_dataset = dict(
    type='CheckedImageFolderDataset',
    data_root=data_root,
    data_prefix=dict(gt=''),
    recursive=True,
    check='header',
    on_bad_file='error',
    pipeline=_pipeline)
_train_dataset = dict(_dataset, split=None if test_root else 'train')
_test_dataset = dict(_dataset, data_root=test_root, split=None) \
    if test_root else dict(_dataset, split='holdout')
batch_size = 32
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=_train_dataset)
val_dataloader = dict(
    batch_size=batch_size,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_test_dataset)
test_dataloader = val_dataloader

train_cfg = dict(max_iters=2000, val_interval=500)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=500, max_keep_ckpts=3, save_best=None))
custom_hooks = _base_.custom_hooks + [
    dict(type='AutoEncodingVisHook', interval=250, num_samples=64,
         num_recons=32, nrow=8)
]
# The sweep's recipe (configs/_base_/alpha_gan_dcgan.py)
optim_wrapper = _base_.alpha_gan_optim_wrapper
# reconstruction error of every held-out image (L1, MSE, PSNR) and the
# diversity of samples (MS-SSIM between sample pairs; lower is more diverse)
_metrics = [
    dict(type='ReconstructionMetrics', real_nums=-1),
    dict(type='SamplePairMSSSIM', fake_nums=500, sample_model='orig'),
]
val_evaluator = dict(metrics=_metrics)
test_evaluator = dict(metrics=_metrics)
