# CelebA 64x64: an image folder of aligned, cropped 64x64 faces in
# data/celeba (any layout; files found recursively) through MMagic's
# unconditional 64x64 pipeline, in batches of 64.
_base_ = 'mmagic::_base_/datasets/unconditional_imgs_64x64.py'

data_root = 'data/celeba'
batch_size = 64
train_dataloader = dict(
    batch_size=batch_size, dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=batch_size, dataset=dict(data_root=data_root))
test_dataloader = dict(batch_size=batch_size, dataset=dict(data_root=data_root))
