# Fashion-MNIST (Debian package dataset-fashion-mnist), 32x32 gray.
# train: 60k images; val/test: the 10k test split. Data sets, data loaders
# and the metric suite come from fashion_mnist_eval.py.
_base_ = './fashion_mnist_eval.py'

train_dataloader = _base_.fm_train_dataloader
val_dataloader = _base_.fm_val_dataloader
test_dataloader = val_dataloader
