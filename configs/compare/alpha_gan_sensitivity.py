# Which alpha-GAN settings to use: the reconstruction weight and the form of
# the generator's image-adversarial term, at one seed and the training-time
# budget of configs/compare/fashion_mnist_equal_time.py, evaluated at the end
# of training only, with its curve metrics (classifier score, sample-pair
# MS-SSIM, PRDC, domain FID, reconstructions).
#
#   python tools/compare.py configs/compare/alpha_gan_sensitivity.py
#
# The shipped default (configs/alpha_gan_fashion_mnist.py) is rec_weight=10
# with the non-saturating form.
_base_ = './fashion_mnist_equal_time.py'

_alpha_gan = '../alpha_gan_fashion_mnist.py'
models = [
    dict(name=f'rec{w:g}-{form}', config=_alpha_gan,
         cfg_options={'model.loss_config.rec_weight': float(w),
                      'model.loss_config.image_adv_form': form})
    for form in ('nonsaturating', 'ratio') for w in (1, 10, 30)
]
seeds = [0]
# one evaluation of the curve metrics, at the end of the budget
final_metrics = []
budget = dict(_delete_=True, type='seconds', seconds=600,
              eval_every_seconds=600)
work_dir = 'work_dirs/compare_alpha_gan_sensitivity'
