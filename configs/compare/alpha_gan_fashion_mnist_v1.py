# configs/alpha_gan_fashion_mnist.py with the settings it had before the
# recipe sweep (docs/recipe_sweep/README.md): alternating updates, every
# learning rate 2e-4 with Adam betas (0.5, 0.999), the reconstruction stream
# at the samples' weight. The sweep's points and the 10-minute comparison's
# "alpha-GAN-v1" start from it.
_base_ = '../alpha_gan_fashion_mnist.py'

model = dict(
    update_mode='alternating',
    loss_config=dict(disc_recon_weight=1.0, gen_recon_adv_weight=1.0))
optim_wrapper = dict(
    encoder=dict(optimizer=dict(lr=2e-4, betas=(0.5, 0.999))),
    generator=dict(optimizer=dict(lr=2e-4, betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(lr=2e-4, betas=(0.5, 0.999))),
    code_discriminator=dict(optimizer=dict(lr=2e-4, betas=(0.5, 0.999))))
