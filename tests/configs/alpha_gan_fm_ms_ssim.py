# configs/alpha_gan_fashion_mnist.py with MMagic's MS-SSIM as its test
# metric: the tests of tools/test.py need no domain classifier or Inception
# network (the full suite is tested in tests/test_evaluation/).
_base_ = '../../configs/alpha_gan_fashion_mnist.py'

test_evaluator = dict(metrics=[
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=1000,
         sample_model='orig'),
])
