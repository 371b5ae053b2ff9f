# MMagic's own DCGAN MNIST 64x64 config turned into alpha-GAN: the generator,
# image discriminator, data pipeline, metrics and runtime all come from
# MMagic; this file adds the encoder, the code discriminator, the loss and
# their optimizers, and swaps two type= of the data for the plugin's checked
# ones. Data: an image folder of 64x64 digits in data/mnist_64/train, as
# MMagic's config expects.
_base_ = 'mmagic::dcgan/dcgan_Glr4e-4_Dlr1e-4_1xb128-5kiters_mnist-64x64.py'
custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

# The plugin's runtime hooks (configs/_base_/runtime.py, which this config
# cannot list beside MMagic's: both set custom_hooks and default_hooks).
default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook'))
custom_hooks = _base_.custom_hooks + [
    dict(type='ExactResumeHook'),
    dict(type='PlainCheckpointKeysHook'),
    dict(type='CheckpointCompatibilityHook'),
    dict(type='DataShardCheckHook'),
]

model = dict(
    type='AlphaGAN',
    encoder=dict(
        type='AlphaGANEncoder', input_scale=64, in_channels=1,
        base_channels=128),
    code_discriminator=dict(
        type='CodeDiscriminator', hidden_channels=750, num_layers=3),
    loss_config=dict(rec_weight=10.0))

optim_wrapper = dict(
    encoder=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.999))),
    code_discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))))

# MMagic's pipeline and folder, checked: every file's header is read when
# the data set is built and a file that does not decode is named when read
# (CheckedImageFolderDataset, CheckedLoadImageFromFile; the other steps and
# arguments are MMagic's).
train_pipeline = [
    dict(type='CheckedLoadImageFromFile', key='gt', color_type='grayscale'),
    dict(type='Resize', keys='gt', scale=(64, 64)),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(
    type='CheckedImageFolderDataset', check='header',
    pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(
    type='CheckedImageFolderDataset', check='header',
    pipeline=train_pipeline))
test_dataloader = dict(dataset=dict(
    type='CheckedImageFolderDataset', check='header',
    pipeline=train_pipeline))
