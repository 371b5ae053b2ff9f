# Fashion-MNIST (Debian package dataset-fashion-mnist), 32x32 gray.
# train: 60k images; val/test: the 10k test split.
dataset_type = 'FashionMNISTDataset'
data_root = '/usr/share/datasets/fashion-mnist'

pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        image_size=32,
        channels=1,
        pipeline=pipeline))

val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        image_size=32,
        channels=1,
        pipeline=pipeline))

test_dataloader = val_dataloader
