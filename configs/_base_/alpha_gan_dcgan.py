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
        image_adv_form='nonsaturating',
        code_adv_form='ratio'),
    train_schedule=dict(
        encoder=1, generator=2, discriminator=1, code_discriminator=1))
