# Baseline: MMagic's own DCGAN (its model base and the settings of its MNIST
# config: losses, Adam G lr 4e-4, D lr 1e-4, betas (0.5, 0.999), the
# VisualizationHook) on Fashion-MNIST 32x32, with the generator and image
# discriminator of configs/alpha_gan_fashion_mnist.py. Data, schedule,
# evaluation and runtime: configs/_base_/fashion_mnist_32x32.py, as for the
# alpha-GAN config.
#   python tools/train.py configs/dcgan_fashion_mnist.py
_base_ = [
    'mmagic::_base_/models/dcgan/base_dcgan_64x64.py',
    './_base_/fashion_mnist_32x32.py',
]

model = dict(
    noise_size=64,
    data_preprocessor=dict(mean=[127.5], std=[127.5]),
    generator=dict(output_scale=32, out_channels=1, base_channels=128),
    discriminator=dict(input_scale=32, in_channels=1, base_channels=32))

# MMagic's dcgan_Glr4e-4_Dlr1e-4_1xb128-5kiters_mnist-64x64.py settings
optim_wrapper = dict(
    generator=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))))
custom_hooks = _base_.custom_hooks + [
    dict(type='VisualizationHook', interval=500, fixed_input=True,
         vis_kwargs_list=dict(type='GAN', name='fake_img'))
]
# the suite without ReconstructionMetrics (DCGAN has no encoder)
test_evaluator = dict(metrics=[
    m for m in _base_.test_evaluator.metrics
    if m.type != 'ReconstructionMetrics'
])
