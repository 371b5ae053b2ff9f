"""ClassifierScore: the IS formula over a domain classifier, as
torch-fidelity computes it, for any batching and sample order."""
import pytest

from helpers.evaluation import fake_images, feed
from alpha_gan_plugin.evaluation.domain_classifier import DomainClassifier
from alpha_gan_plugin.evaluation.metrics import (ClassifierScore,
                                                 canonical_order)


def test_classifier_score_matches_reference_and_batching(files):
    from torch_fidelity.metric_isc import isc_features_to_metric
    imgs = fake_images(30, size=32)
    results = []
    for batch in (4, 7, 30):
        m = ClassifierScore(fake_nums=24, classifier_path=files['clf'],
                            splits=3)
        feed(m, imgs, batch)  # more images than fake_nums: extra ignored
        results.append(m.evaluate())
    logits = DomainClassifier(files['clf'])(imgs[:24]).double()
    ref = isc_features_to_metric(logits[canonical_order(logits)], splits=3,
                                 shuffle=False)
    for r in results:
        assert r['CS/classifier_score'] == pytest.approx(
            ref['inception_score_mean'], abs=1e-6)
        assert r['CS/classifier_score_std'] == pytest.approx(
            ref['inception_score_std'], abs=1e-6)
    # the canonical order makes the score independent of the sample order
    m = ClassifierScore(fake_nums=24, classifier_path=files['clf'], splits=3)
    feed(m, imgs[:24].flip(0), 5)
    assert m.evaluate()['CS/classifier_score'] == pytest.approx(
        results[0]['CS/classifier_score'], abs=1e-9)
