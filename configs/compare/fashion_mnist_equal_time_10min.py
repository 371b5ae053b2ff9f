# The 600-second evidence of issue 21: alpha-GAN with the recipe the sweep
# chose (configs/alpha_gan_fashion_mnist.py), alpha-GAN as shipped before
# the search (alpha-GAN-v1), MMagic's DCGAN and AGE, three seeds each, 600
# wall-clock seconds of training iterations per run, on an otherwise idle
# 2-core machine with 2 intra-op threads per run (the README's comparison
# protocol: time a user waits).
#
#   python tools/compare.py configs/compare/fashion_mnist_equal_time_10min.py
#
# Planned budget (measured with the sweep's evaluation: domain FID + PRDC of
# 5,000 samples and 2,000 reconstructions take ~40 s on one thread): per run
# 600 s of training + two curve points (200 s, 400 s) and the final one
# (~30-60 s each on 2 threads) + ~20 s start-up = ~12 min; 12 runs = ~2.5 h.
# Start it first in a session and run nothing heavy beside it.
#
# The metrics were fixed before any run: every curve point (200, 400 and
# 600 s) scores the domain FID and PRDC (k=5) of 10,000 samples against the
# 10,000 test images, and the L1/PSNR/MS-SSIM of reconstructing 2,000 test
# images. The critic and Inception FID are left out (minutes per run each).
_base_ = './fashion_mnist_equal_time.py'

models = [
    dict(name='alpha-GAN', config='../alpha_gan_fashion_mnist.py'),
    # the settings of configs/alpha_gan_fashion_mnist.py before issue 21
    dict(name='alpha-GAN-v1', config='./alpha_gan_fashion_mnist_v1.py'),
    dict(name='DCGAN', config='../dcgan_fashion_mnist.py'),
    dict(name='AGE', config='../age_fashion_mnist.py'),
]
seeds = [0, 1, 2]
budget = dict(_delete_=True, type='seconds', seconds=600,
              eval_every_seconds=200)
suite = {m.type: m for m in _base_.test_evaluator.metrics}
curve_metrics = [
    suite['PRDC'],
    suite['DomainFID'],
    suite['ReconstructionMetrics'],
]
del suite  # a local of this file, not a config key
final_metrics = []
work_dir = 'work_dirs/compare_fashion_mnist_equal_time_10min'
