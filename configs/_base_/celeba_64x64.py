# CelebA 64x64 for the plugin's own CelebA configs: the checked image
# folders data/celeba/train and data/celeba/test, their loaders and the
# metric suite of celeba_eval.py (see there for the data layout and checks).
_base_ = './celeba_eval.py'

train_dataloader = _base_.celeba_train_dataloader
val_dataloader = _base_.celeba_test_dataloader
test_dataloader = _base_.celeba_test_dataloader
