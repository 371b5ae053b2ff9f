"""ClassifierScore: the IS formula over a domain classifier."""
from typing import Optional

from mmagic.registry import METRICS
from ..domain_classifier import DomainClassifier
from .inception_score import LogitScoreMetric


@METRICS.register_module()
class ClassifierScore(LogitScoreMetric):
    """The IS formula over a *domain* classifier (not ImageNet Inception).

    E.g. a Fashion-MNIST CNN trained by ``tools/train_domain_classifier.py``.
    Values are comparable only between runs using the same checkpoint.

    Args:
        fake_nums: Number of samples.
        classifier_path: Checkpoint of the domain classifier.  Required.
        **kwargs: As :class:`~.inception_score.LogitScoreMetric`.

    Results: ``classifier_score`` and ``classifier_score_std``.
    """
    score_name = 'classifier_score'
    default_prefix = 'CS'

    def __init__(self, fake_nums: int, classifier_path: Optional[str] = None,
                 **kwargs):
        self.classifier_path = classifier_path
        super().__init__(fake_nums, **kwargs)

    def build_net(self):
        return DomainClassifier(self.classifier_path, 'classifier_path')
