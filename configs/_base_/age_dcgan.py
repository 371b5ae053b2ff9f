# AGE (Ulyanov et al., AAAI 2018) with MMagic's DCGAN generator and the
# plugin's encoder (the model only; runtime and optimizers as in
# alpha_gan_dcgan.py); no discriminators (AGE's game is
# played between encoder and generator). Sizes as configs/_base_/
# alpha_gan_dcgan.py (64x64, latent 100); leaves set scale, channels, widths.
#
# lambda = 10 on the mean L1 and n_g = 2 as the authors' CIFAR-10 command
# (github.com/DmitryUlyanov/AGE README: match_x:10, g_updates '2;...').
# mu: the authors' code weights a cosine term averaged over the M latent
# dimensions by 1000; with ||z - e(g(z))||^2 = 2 - 2 cos per code that is
# mu = 1000 / (2 M) (see docs/age.md). A leaf that changes the latent size
# sets latent_rec_weight again.
latent_size = 100
model = dict(
    type='AGE',
    noise_size=latent_size,
    data_preprocessor=dict(type='DataPreprocessor'),
    generator=dict(type='DCGANGenerator', output_scale=64, base_channels=1024),
    encoder=dict(
        type='AlphaGANEncoder',
        input_scale=64,
        base_channels=128,
        noise_size=0),
    loss_config=dict(
        rec_weight=10.0,
        latent_rec_weight=1000.0 / (2 * latent_size),
        divergence_weight=1.0,
        divergence_reduction='mean'),
    train_schedule=dict(encoder=1, generator=2))

del latent_size  # a local of this file, not a config key
