# The equal-time comparison of configs/compare/fashion_mnist_equal_time.py
# cut to what one 2-core CPU session can run for four models x three seeds:
# 180 s of training iterations per run, the curve metrics every 60 s of
# training, and the independent critic on the final checkpoint. Inception
# FID is left out here: on 2 CPU cores its 3,000 images take ~8 minutes a
# run (~6 images/s), more than the training itself; the domain FID (the
# Frechet distance on the Fashion-MNIST classifier's features, every curve
# point) stands in for it. docs/comparison_equal_time/ holds its report.
#
#   python tools/compare.py configs/compare/fashion_mnist_equal_time_3min.py
_base_ = './fashion_mnist_equal_time.py'

budget = dict(_delete_=True, type='seconds', seconds=180,
              eval_every_seconds=60)
final_metrics = _base_.final_metrics[:1]  # the critic distance
work_dir = 'work_dirs/compare_fashion_mnist_equal_time_3min'
