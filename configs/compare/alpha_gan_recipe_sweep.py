# The alpha-GAN recipe search (issue 21): short equal-compute runs of many
# alpha-GAN settings beside DCGAN, ranked by domain FID, with recall,
# coverage and the reconstruction error. docs/recipe_sweep/sweep_table.md
# holds the table of every point tried and how it was run.
#
# Budgets are process CPU seconds with ONE intra-op thread per run
# (budget.clock='process'), so two runs can share the 2 cores of a CPU
# machine, and a busy machine does not shift the budgets: run it as
#
#   OMP_NUM_THREADS=1 python tools/compare.py \
#       configs/compare/alpha_gan_recipe_sweep.py --models <names>
#
# (two such processes with disjoint --models side by side; then once with
# --report-only for the table). The metrics and their sample counts were
# fixed before the first point ran; they are not tuned to any model:
# domain FID of 5,000 samples against the 10,000 test images, PRDC (k=5) of
# 5,000 samples against them, and the L1 error of reconstructing 2,000 test
# images, all at the end of the budget.
_base_ = './fashion_mnist.py'

budget = dict(_delete_=True, type='seconds', seconds=240,
              eval_every_seconds=240, clock='process')
seeds = [0]
eval_interval = 100000  # checkpoints only at the end (curves: one point)
suite = {m.type: m for m in _base_.test_evaluator.metrics}
curve_metrics = [
    dict(suite['DomainFID'], fake_nums=5000),
    dict(suite['PRDC'], fake_nums=5000),
    suite['ReconstructionMetrics'],
]
del suite  # a local of this file, not a config key
final_metrics = []
work_dir = 'work_dirs/alpha_gan_recipe_sweep'

_alpha_gan = './alpha_gan_fashion_mnist_v1.py'
_shared = {'model.update_mode': 'shared',
           'model.train_schedule.generator': 1}
_betas09 = {f'optim_wrapper.{n}.optimizer.betas': (0.5, 0.9)
            for n in ('encoder', 'generator', 'discriminator',
                      'code_discriminator')}


def _lr(e, g, d, c):
    return {'optim_wrapper.encoder.optimizer.lr': e,
            'optim_wrapper.generator.optimizer.lr': g,
            'optim_wrapper.discriminator.optimizer.lr': d,
            'optim_wrapper.code_discriminator.optimizer.lr': c}


_points = [
    # references
    ('shipped', {}),
    ('alt-g1', {'model.train_schedule.generator': 1}),
    ('shared-g1', _shared),
    ('shared-g2', {'model.update_mode': 'shared'}),
    # optimiser
    ('alt-g2-b09', _betas09),
    ('shared-g1-b09', {**_shared, **_betas09}),
    ('shared-g1-lr4e-4EG-1e-4DC', {**_shared, **_lr(4e-4, 4e-4, 1e-4, 1e-4)}),
    ('shared-g1-lr8e-4EG-2e-4DC-b09',
     {**_shared, **_betas09, **_lr(8e-4, 8e-4, 2e-4, 2e-4)}),
    # the image discriminator's streams
    ('shared-g1-drec0.5', {**_shared,
                           'model.loss_config.disc_recon_weight': 0.5}),
    ('shared-g1-drec0', {**_shared, 'model.loss_config.disc_recon_weight': 0.0}),
    ('shared-g1-drec0-grec0', {**_shared,
                               'model.loss_config.disc_recon_weight': 0.0,
                               'model.loss_config.gen_recon_adv_weight': 0.0}),
    # the reconstruction term, the code term, the encoder's image term
    ('shared-g1-rec3', {**_shared, 'model.loss_config.rec_weight': 3.0}),
    ('shared-g1-rec30', {**_shared, 'model.loss_config.rec_weight': 30.0}),
    ('shared-g1-code0.1', {**_shared,
                           'model.loss_config.code_adv_weight': 0.1}),
    ('shared-g1-encadv1', {**_shared,
                           'model.loss_config.enc_image_adv_weight': 1.0}),
    ('shared-g1-ratio', {**_shared,
                         'model.loss_config.image_adv_form': 'ratio'}),
    # widths
    ('shared-g1-D64', {**_shared, 'model.discriminator.base_channels': 64}),
]
# Stage 2: one generator update per iteration loses to two in both modes
# (stage 1 above), so the remaining factors are tried on the shared step
# with two generator updates (the shipped schedule).
_sg2 = {'model.update_mode': 'shared'}
_points += [
    ('sg2-lr4e-4EG-1e-4DC', {**_sg2, **_lr(4e-4, 4e-4, 1e-4, 1e-4)}),
    ('sg2-b09', {**_sg2, **_betas09}),
    ('sg2-lr4e-4EG-1e-4DC-b09', {**_sg2, **_betas09,
                                 **_lr(4e-4, 4e-4, 1e-4, 1e-4)}),
    ('sg2-g3', {**_sg2, 'model.train_schedule.generator': 3}),
    ('sg2-drec0.5', {**_sg2, 'model.loss_config.disc_recon_weight': 0.5}),
    ('sg2-drec0-grec0', {**_sg2, 'model.loss_config.disc_recon_weight': 0.0,
                         'model.loss_config.gen_recon_adv_weight': 0.0}),
    ('sg2-rec3', {**_sg2, 'model.loss_config.rec_weight': 3.0}),
    ('sg2-rec30', {**_sg2, 'model.loss_config.rec_weight': 30.0}),
    ('sg2-code0.1', {**_sg2, 'model.loss_config.code_adv_weight': 0.1}),
    ('sg2-encadv1', {**_sg2, 'model.loss_config.enc_image_adv_weight': 1.0}),
    ('sg2-D64', {**_sg2, 'model.discriminator.base_channels': 64}),
]
# Stage 3: DCGAN's learning-rate balance (E and G 4x D and C) with Adam
# betas (0.5, 0.9) on the shared step with two generator updates was the
# best of stage 2; each remaining factor is tried on top of it.
_best = {**_sg2, **_betas09, **_lr(4e-4, 4e-4, 1e-4, 1e-4)}
_points += [
    ('best-drec0-grec0', {**_best, 'model.loss_config.disc_recon_weight': 0.0,
                          'model.loss_config.gen_recon_adv_weight': 0.0}),
    ('best-drec0.5', {**_best, 'model.loss_config.disc_recon_weight': 0.5}),
    ('best-lrEG8e-4', {**_best, **_lr(8e-4, 8e-4, 1e-4, 1e-4)}),
    ('best-lrDC5e-5', {**_best, **_lr(4e-4, 4e-4, 5e-5, 5e-5)}),
    ('best-rec3', {**_best, 'model.loss_config.rec_weight': 3.0}),
    ('best-rec30', {**_best, 'model.loss_config.rec_weight': 30.0}),
    ('best-code0.1', {**_best, 'model.loss_config.code_adv_weight': 0.1}),
    ('best-g3', {**_best, 'model.train_schedule.generator': 3}),
    ('best-enc16', {**_best, 'model.encoder.base_channels': 16}),
]
# Stage 4: without the reconstruction stream in D's loss and G's
# adversarial term (best-drec0-grec0, the best of stage 3), the remaining
# factors once more, and more seeds of it and of DCGAN.
# the reconstruction stream at a quarter of the samples' weight in D's loss
# and G's adversarial term (every alpha-GAN term present): best-rw0.25 of
# stage 4, the chosen recipe of today's configs
_rw = {**_best, 'model.loss_config.disc_recon_weight': 0.25,
       'model.loss_config.gen_recon_adv_weight': 0.25}
_best2 = {**_best, 'model.loss_config.disc_recon_weight': 0.0,
          'model.loss_config.gen_recon_adv_weight': 0.0}
_points += [
    ('best2-lrEG8e-4', {**_best2, **_lr(8e-4, 8e-4, 1e-4, 1e-4)}),
    ('best2-g3', {**_best2, 'model.train_schedule.generator': 3}),
    ('best2-enc16', {**_best2, 'model.encoder.base_channels': 16}),
    ('best2-code0.1', {**_best2, 'model.loss_config.code_adv_weight': 0.1}),
    ('best2-rec30', {**_best2, 'model.loss_config.rec_weight': 30.0}),
    ('best-rw0.25', _rw),
]
models = [dict(name='DCGAN', config='../dcgan_fashion_mnist.py')] + [
    dict(name=name, config=_alpha_gan, cfg_options=opts)
    for name, opts in _points
] + [
    # sampling from an EMA generator (all metrics score it)
    dict(name=f'shared-g1-ema{m:g}', config=_alpha_gan, sample_model='ema',
         cfg_options={**_shared, 'model.ema_config': dict(momentum=m)})
    for m in (0.01, 0.003)
] + [
    dict(name='sg2-ema0.01', config=_alpha_gan, sample_model='ema',
         cfg_options={**_sg2, 'model.ema_config': dict(momentum=0.01)}),
    dict(name='best-ema0.01', config=_alpha_gan, sample_model='ema',
         cfg_options={**_best, 'model.ema_config': dict(momentum=0.01)}),
    dict(name='best2-ema0.01', config=_alpha_gan, sample_model='ema',
         cfg_options={**_best2, 'model.ema_config': dict(momentum=0.01)}),
]
# Stage 5 (after the 600-second comparison): the factors the issue listed
# that stages 1-4 did not try on the chosen recipe (best-rw0.25, today's
# configs), one at a time: sampling from an EMA generator, the weight of
# the code-adversarial term, the encoder's and the image discriminator's
# widths (32 in the configs); and the chosen recipe once more on this code.
models += [
    dict(name='rw-again', config=_alpha_gan, cfg_options=_rw),
    dict(name='rw-ema0.01', config=_alpha_gan, sample_model='ema',
         cfg_options={**_rw, 'model.ema_config': dict(momentum=0.01)}),
] + [
    dict(name=name, config=_alpha_gan, cfg_options={**_rw, key: value})
    for name, key, value in (
        ('rw-code0.3', 'model.loss_config.code_adv_weight', 0.3),
        ('rw-code3', 'model.loss_config.code_adv_weight', 3.0),
        ('rw-enc64', 'model.encoder.base_channels', 64),
        ('rw-D64', 'model.discriminator.base_channels', 64),
    )
]
