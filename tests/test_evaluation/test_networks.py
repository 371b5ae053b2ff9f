"""The metrics' networks: loaded from explicit files only, with errors that
say how to get them."""
import os

import pytest
import torch

from helpers.evaluation import fake_images
from alpha_gan_plugin.evaluation.metrics import (ClassifierScore, LocalFID,
                                                 LocalInceptionScore)
from alpha_gan_plugin.evaluation.networks import (InceptionClassifier,
                                                  TorchScriptFeatures,
                                                  fid_helper_inception_path)


def test_inception_stylegan_torchscript(files):
    clf = InceptionClassifier(files['stylegan'])
    assert clf.style == 'stylegan'
    imgs = fake_images(3, channels=3)
    probs = torch.jit.load(files['stylegan'])(
        torch.nn.functional.interpolate(imgs, size=(299, 299),
                                        mode='bilinear', align_corners=False),
        no_output_bias=True)
    assert torch.allclose(clf(imgs).exp(), probs.double(), atol=1e-6)
    # a feature TorchScript is not an Inception classifier
    with pytest.raises(ValueError, match='no_output_bias'):
        InceptionClassifier(files['feat'])


def test_missing_weights_errors(tmp_path, files):
    with pytest.raises(ValueError, match='inception_path.*IMAGENET1K_V1'):
        LocalInceptionScore(fake_nums=10)
    with pytest.raises(FileNotFoundError, match='inception_path'):
        LocalInceptionScore(fake_nums=10,
                            inception_path=str(tmp_path / 'no.pth'))
    with pytest.raises(FileNotFoundError,
                       match='classifier_path.*train_domain_classifier'):
        ClassifierScore(fake_nums=10, classifier_path=str(tmp_path / 'x'))
    with pytest.raises(ValueError, match='feature_extractor_path'):
        LocalFID(fake_nums=10)
    with pytest.raises(ValueError, match='FashionMNISTCNN-v1 checkpoint'):
        ClassifierScore(fake_nums=10, classifier_path=files['feat'])
    assert os.path.isfile(fid_helper_inception_path())


def test_fid_helper_is_an_explicit_name_for_the_bundled_network():
    net = TorchScriptFeatures('fid_helper')
    assert net.path == fid_helper_inception_path()
    with pytest.raises(FileNotFoundError, match="'fid_helper'"):
        TorchScriptFeatures('/nonexistent/fid_helper.pt')
