"""The alpha-GAN loss: small pure functions of logits, and the registered
loss module :class:`AlphaGANLoss` that combines them per training phase.

Every adversarial term is computed from the discriminators' *logits* ``l``
(pre-sigmoid outputs), never from probabilities, so that no ``log(sigmoid)``
is ever formed explicitly:

* ``log D / (1 - D) = l`` (the density ratio is the logit itself),
* ``-log D = softplus(-l)`` and ``-log(1 - D) = softplus(l)``.

Reference: Rosca, Lakshminarayanan, Warde-Farley, Mohamed, "Variational
Approaches for Auto-Encoding Generative Adversarial Networks", 2017,
https://arxiv.org/abs/1706.04987.
"""
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from mmagic.registry import MODELS
from .base_loss import PhaseLoss

#: Adversarial forms understood by :func:`adversarial_loss`.
ADVERSARIAL_FORMS = ('ratio', 'nonsaturating')


def reconstruction_l1(real: Tensor, recon: Tensor) -> Tensor:
    """Mean absolute error ``||x - G(E(x))||_1`` averaged over all elements.

    The paper's likelihood is ``p(x|z) ∝ exp(-lambda ||x - G(z)||_1)``; this
    function averages over pixels and channels as well as the batch, so a
    weight ``w`` here equals ``lambda = w / (C * H * W)`` on the summed norm.

    Args:
        real: Images x, shape (N, C, H, W), any range.
        recon: Reconstructions of the same shape.

    Returns:
        Tensor: Scalar loss.
    """
    if real.shape != recon.shape:
        raise ValueError(f'reconstruction_l1: shapes differ, real '
                         f'{tuple(real.shape)} vs recon {tuple(recon.shape)}')
    return (real - recon).abs().mean()


def adversarial_loss(logits: Tensor, form: str) -> Tensor:
    """Generator-side (or encoder-side) loss that pushes ``logits`` to "real".

    Args:
        logits: Discriminator logits of generated inputs, shape (N, ...).
        form: ``'ratio'`` for the density-ratio form
            ``-log(D / (1 - D)) = -l`` (the synthetic-likelihood term as a
            density ratio), or ``'nonsaturating'`` for
            ``-log D = softplus(-l)``.

    Returns:
        Tensor: Scalar loss, the mean over all elements.
    """
    if form == 'ratio':
        return -logits.mean()
    if form == 'nonsaturating':
        return F.softplus(-logits).mean()
    raise ValueError(f'unknown adversarial form {form!r}; use one of '
                     f'{ADVERSARIAL_FORMS}')


def discriminator_loss(real_logits: Tensor, *fake_logits: Tensor) -> Tensor:
    """Binary cross-entropy of a discriminator: real -> 1, each fake -> 0.

    ``-log D(real) - sum_k log(1 - D(fake_k))``, each term averaged over its
    batch. The image discriminator gets two fake kinds (reconstructions and
    prior samples); the code discriminator one (encoder codes).

    Args:
        real_logits: Logits of the inputs labelled real, shape (N, ...).
        *fake_logits: Logits of each kind of input labelled fake.

    Returns:
        Tensor: Scalar loss.
    """
    if not fake_logits:
        raise ValueError('discriminator_loss needs at least one fake batch')
    loss = F.softplus(-real_logits).mean()
    for logits in fake_logits:
        loss = loss + F.softplus(logits).mean()
    return loss


def code_discriminator_loss(prior_logits: Tensor,
                            posterior_logits: Tensor) -> Tensor:
    """Loss of the code discriminator C.

    Prior samples ``z ~ N(0, I)`` are labelled *real* and encoder codes
    ``z_hat = E(x)`` *fake*: ``-log C(z) - log(1 - C(z_hat))``. (The first
    arXiv version of the paper printed these labels swapped: see the README
    of github.com/victor-shepardson/alpha-GAN, "equations 16 and 17 in
    Algorithm 1", which reports that the authors confirmed it.)

    Args:
        prior_logits: C's logits of prior samples, shape (N, 1).
        posterior_logits: C's logits of encoder codes, shape (N, 1).

    Returns:
        Tensor: Scalar loss.
    """
    return discriminator_loss(prior_logits, posterior_logits)


def image_adversarial_loss(recon_logits: Tensor, sample_logits: Tensor,
                           form: str) -> Tensor:
    """Generator's image-adversarial term over both generated kinds.

    Args:
        recon_logits: D's logits of reconstructions G(E(x)).
        sample_logits: D's logits of prior samples G(z).
        form: See :func:`adversarial_loss`.

    Returns:
        Tensor: Scalar loss, the sum of the two kinds' means.
    """
    return adversarial_loss(recon_logits, form) + adversarial_loss(
        sample_logits, form)


def code_adversarial_loss(posterior_logits: Tensor, form: str) -> Tensor:
    """Encoder's code-adversarial term, ``-log C(z_hat)/(1 - C(z_hat))``.

    With ``form='ratio'`` this is the estimate of ``KL(q(z|x) || p(z))`` per
    sample; ``'nonsaturating'`` gives ``-log C(z_hat)``.

    Args:
        posterior_logits: C's logits of encoder codes, shape (N, 1).
        form: See :func:`adversarial_loss`.

    Returns:
        Tensor: Scalar loss.
    """
    return adversarial_loss(posterior_logits, form)


@MODELS.register_module()
class AlphaGANLoss(PhaseLoss):
    """The hybrid loss of alpha-GAN, one method per network's phase.

    Built from the model's ``loss_config`` (``type='AlphaGANLoss'`` is the
    default there). Each method takes the outputs of the networks and
    returns a dict of named terms whose ``loss_*`` entries sum to that
    phase's loss (other entries are logged diagnostics):

    ========================  ==============================================
    method                    terms
    ========================  ==============================================
    ``encoder_loss``          ``rec_weight * |x - G(E(x))|_1``
                              ``+ code_adv_weight * code_adv(C(E(x)))``
    ``generator_loss``        ``rec_weight * |x - G(E(x))|_1 + image_adv_weight``
                              ``* [adv(D(G(E(x)))) + adv(D(G(z)))]``
    ``discriminator_loss``    ``BCE(D(x) -> real, D(G(E(x))), D(G(z)) -> fake)``
    ``code_discriminator_     ``BCE(C(z) -> real, C(E(x)) -> fake)``
    loss``
    ========================  ==============================================

    ``adv`` is :func:`adversarial_loss` in the configured form. The module
    has no parameters, so it adds nothing to checkpoints.

    Args:
        rec_weight: Weight of the L1 reconstruction term (>= 0).
        image_adv_weight: Weight of the generator's image-adversarial term.
        code_adv_weight: Weight of the encoder's code-adversarial term.
        image_adv_form: ``'ratio'`` or ``'nonsaturating'`` for the
            generator's term.
        code_adv_form: ``'ratio'`` or ``'nonsaturating'`` for the encoder's
            term.
    """

    WEIGHTS = ('rec_weight', 'image_adv_weight', 'code_adv_weight')
    CHOICES = dict(image_adv_form=ADVERSARIAL_FORMS,
                   code_adv_form=ADVERSARIAL_FORMS)

    def __init__(self,
                 rec_weight: float = 1.0,
                 image_adv_weight: float = 1.0,
                 code_adv_weight: float = 1.0,
                 image_adv_form: str = 'nonsaturating',
                 code_adv_form: str = 'ratio',
                 **unknown):
        super().__init__(
            dict(rec_weight=rec_weight, image_adv_weight=image_adv_weight,
                 code_adv_weight=code_adv_weight,
                 image_adv_form=image_adv_form, code_adv_form=code_adv_form),
            unknown)

    def encoder_loss(self, real: Tensor, recon: Tensor,
                     code_logits: Tensor) -> Dict[str, Tensor]:
        """Encoder terms.

        Args:
            real: Images x, (N, C, H, W).
            recon: Their reconstructions G(E(x)).
            code_logits: C's logits of the codes E(x), (N, 1).
        """
        return dict(
            loss_enc_rec=self.rec_weight * reconstruction_l1(real, recon),
            loss_enc_code_adv=self.code_adv_weight * code_adversarial_loss(
                code_logits, self.code_adv_form))

    def generator_loss(self, real: Tensor, recon: Tensor,
                       recon_logits: Tensor,
                       sample_logits: Tensor) -> Dict[str, Tensor]:
        """Generator terms.

        Args:
            real: Images x.
            recon: Reconstructions G(E(x)).
            recon_logits: D's logits of the reconstructions.
            sample_logits: D's logits of prior samples G(z).
        """
        return dict(
            loss_gen_rec=self.rec_weight * reconstruction_l1(real, recon),
            loss_gen_img_adv=self.image_adv_weight * image_adversarial_loss(
                recon_logits, sample_logits, self.image_adv_form))

    def discriminator_loss(self, real_logits: Tensor, recon_logits: Tensor,
                           sample_logits: Tensor) -> Dict[str, Tensor]:
        """Image discriminator: x real; G(E(x)) and G(z) fake. Also logs
        D's mean probability of real images."""
        return dict(
            loss_disc=discriminator_loss(real_logits, recon_logits,
                                         sample_logits),
            disc_real_prob=torch.sigmoid(real_logits.detach()).mean())

    def code_discriminator_loss(self, prior_logits: Tensor,
                                posterior_logits: Tensor) -> Dict[str, Tensor]:
        """Code discriminator: z ~ N(0, I) real; E(x) fake. Also logs C's
        own estimate of KL(q || p) per sample, ``-E[log C/(1-C)](E(x))``
        (a training diagnostic only)."""
        return dict(
            loss_code_disc=code_discriminator_loss(prior_logits,
                                                   posterior_logits),
            code_kl_estimate=(-posterior_logits.detach()).mean())
