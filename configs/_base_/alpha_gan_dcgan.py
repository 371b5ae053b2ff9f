# alpha-GAN with MMagic's DCGAN generator and image discriminator, plus the
# plugin's encoder and code discriminator (the model only, as MMagic's
# _base_/models/; the runtime comes with the data set bases, the optimizers
# with the leaves). Leaves set scale, channels and widths (here the 64x64 widths of MMagic's own DCGAN
# CelebA config, mmagic::dcgan/dcgan_1xb128-300kiters_celeba-cropped-64.py:
# generator base 1024, discriminator base 128).
model = dict(
    type='AlphaGAN',
    noise_size=100,
    data_preprocessor=dict(type='DataPreprocessor'),
    generator=dict(type='DCGANGenerator', output_scale=64, base_channels=1024),
    discriminator=dict(
        type='DCGANDiscriminator',
        input_scale=64,
        output_scale=4,
        out_channels=1,
        base_channels=128),
    encoder=dict(
        type='AlphaGANEncoder',
        input_scale=64,
        base_channels=128,
        noise_size=0),
    code_discriminator=dict(
        type='CodeDiscriminator', hidden_channels=750, num_layers=3),
    loss_config=dict(
        rec_weight=1.0,
        image_adv_weight=1.0,
        code_adv_weight=1.0,
        # the reconstruction stream at a quarter of the samples' weight in
        # D's loss and G's adversarial term (docs/recipe_sweep/README.md)
        disc_recon_weight=0.25,
        gen_recon_adv_weight=0.25,
        image_adv_form='nonsaturating',
        code_adv_form='ratio'),
    # every loss from one forward pass, then one extra generator update
    # (docs/update_modes.md)
    update_mode='shared',
    train_schedule=dict(
        encoder=1, generator=2, discriminator=1, code_discriminator=1))

# The recipe of the sweep (docs/recipe_sweep/README.md): encoder and
# generator at 4x the discriminators' learning rate, Adam betas (0.5, 0.9)
# (keys = the model's attribute names, as MMagic's
# MultiOptimWrapperConstructor expects). Named here, set by each leaf as
# `optim_wrapper = _base_.alpha_gan_optim_wrapper`: the data bases inherit
# MMagic's runtime, which has an optim_wrapper already, and mmengine
# refuses a key defined by two bases.
alpha_gan_optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    encoder=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.9))),
    generator=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.9))),
    discriminator=dict(optimizer=dict(type='Adam', lr=1e-4,
                                      betas=(0.5, 0.9))),
    code_discriminator=dict(optimizer=dict(type='Adam', lr=1e-4,
                                           betas=(0.5, 0.9))))
