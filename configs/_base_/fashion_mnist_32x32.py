# Fashion-MNIST (Debian package dataset-fashion-mnist), 32x32 gray.
# train: 60k images; val/test: the 10k test split. Data sets and the metric
# suite come from fashion_mnist_eval.py.
_base_ = './fashion_mnist_eval.py'

train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=_base_.fm_train_dataset)

val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=_base_.fm_test_dataset)

test_dataloader = val_dataloader
