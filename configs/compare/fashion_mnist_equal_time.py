# The comparison of configs/compare/fashion_mnist.py at EQUAL TRAINING TIME:
# alpha-GAN, AGE, MMagic's DCGAN and MMagic's WGAN-GP each train for the same
# seconds of training iterations (evaluation, checkpoints and start-up are
# not counted; TrainTimeBudgetHook), over three seeds, with the curve
# metrics evaluated every eval_every_seconds of training time, so the report
# plots every metric against training seconds (time to quality).
#
#   python tools/compare.py configs/compare/fashion_mnist_equal_time.py
#
# Run it on an otherwise idle machine: the budget is wall-clock time spent
# in training iterations, so anything else running slows every model it
# overlaps. Needs the domain classifier (see configs/compare/fashion_mnist.py).
_base_ = './fashion_mnist.py'

budget = dict(_delete_=True, type='seconds', seconds=600,
              eval_every_seconds=200)
seeds = [0, 1, 2]
# iterations between checkpoints (resume points); curves are by time here
eval_interval = 500
# The curves get the metrics that take a few minutes on 2 CPU cores; the
# independent critic (~3 min alone) and Inception FID (~6 images/s) run
# once, on the final checkpoint.
# (_base_.curve_metrics: classifier score, sample-pair MS-SSIM, PRDC,
# domain FID, reconstructions, critic distance; _base_.final_metrics: FID)
curve_metrics = _base_.curve_metrics[:5]
final_metrics = [_base_.curve_metrics[5], _base_.final_metrics[0]]
work_dir = 'work_dirs/compare_fashion_mnist_equal_time'
