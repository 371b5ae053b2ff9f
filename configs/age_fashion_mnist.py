# AGE (Ulyanov et al., AAAI 2018) on Fashion-MNIST 32x32, with exactly the
# generator and encoder of configs/alpha_gan_fashion_mnist.py (no
# discriminators: AGE's game is played between encoder and generator).
#   python tools/train.py configs/age_fashion_mnist.py
_base_ = [
    'mmagic::_base_/gen_default_runtime.py',
    './_base_/fashion_mnist_32x32.py',
]

custom_imports = dict(imports=['alpha_gan_plugin'], allow_failed_imports=False)

latent_size = 64
model = dict(
    type='AGE',
    noise_size=latent_size,
    data_preprocessor=dict(
        type='DataPreprocessor', mean=[127.5], std=[127.5]),
    generator=dict(
        type='DCGANGenerator', output_scale=32, out_channels=1,
        base_channels=128),
    encoder=dict(
        type='AlphaGANEncoder', input_scale=32, in_channels=1,
        base_channels=32, noise_size=0),
    # lambda = 10 on the mean L1 and n_g = 2 as the authors' CIFAR-10
    # command (github.com/DmitryUlyanov/AGE README: match_x:10, g_updates 2).
    # mu: the authors' code weights a cosine term averaged over the M latent
    # dimensions by 1000; with ||z - e(g(z))||^2 = 2 - 2 cos per code that is
    # mu = 1000 / (2 M) = 7.8 for M = 64 (see docs/age.md).
    loss_config=dict(
        rec_weight=10.0,
        latent_rec_weight=1000.0 / (2 * latent_size),
        divergence_weight=1.0,
        divergence_reduction='mean'),
    train_schedule=dict(encoder=1, generator=2))

adam = dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    encoder=dict(optimizer=adam),
    generator=dict(optimizer=adam))

train_cfg = dict(max_iters=3000, val_interval=1000)

custom_hooks = [
    dict(type='AutoEncodingVisHook', interval=500, num_samples=64,
         num_recons=32, nrow=8)
]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000, max_keep_ckpts=3))

# During training: MMagic's MS-SSIM of samples (cheap). tools/test.py: the
# plugin's full suite (configs/_base_/fashion_mnist_eval.py).
val_evaluator = dict(metrics=[
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=1000,
         sample_model='orig'),
])
test_evaluator = dict(metrics=_base_.fm_autoencoder_metrics)
