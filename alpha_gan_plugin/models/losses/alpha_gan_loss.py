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
from typing import Dict, Optional, Sequence

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


def discriminator_bce(real_logits: Tensor, *fake_logits: Tensor,
                      fake_weights: Optional[Sequence[float]] = None
                      ) -> Tensor:
    """Binary cross-entropy of a discriminator: real -> 1, each fake -> 0.

    ``-log D(real) - sum_k w_k log(1 - D(fake_k))``, each term averaged over
    its batch. The image discriminator gets two fake kinds (reconstructions
    and prior samples); the code discriminator one (encoder codes).

    Args:
        real_logits: Logits of the inputs labelled real, shape (N, ...).
        *fake_logits: Logits of each kind of input labelled fake (None for
            a kind of weight 0).
        fake_weights: Weight ``w_k`` of each fake kind (None: all 1).

    Returns:
        Tensor: Scalar loss.
    """
    if not fake_logits:
        raise ValueError('discriminator_bce needs at least one fake batch')
    weights = [1.0] * len(fake_logits) if fake_weights is None else list(
        fake_weights)
    if len(weights) != len(fake_logits):
        raise ValueError(f'discriminator_bce: {len(fake_logits)} fake '
                         f'batches but {len(weights)} fake_weights')
    loss = F.softplus(-real_logits).mean()
    for logits, weight in zip(fake_logits, weights):
        if weight == 0:  # no term (its logits may be None)
            continue
        term = F.softplus(logits).mean()
        loss = loss + (term if weight == 1.0 else weight * term)
    return loss


def code_discriminator_bce(prior_logits: Tensor,
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
    return discriminator_bce(prior_logits, posterior_logits)


def image_adversarial_loss(recon_logits: Tensor, sample_logits: Tensor,
                           form: str, recon_weight: float = 1.0) -> Tensor:
    """Generator's image-adversarial term over both generated kinds.

    Args:
        recon_logits: D's logits of reconstructions G(E(x)) (None when
            ``recon_weight`` is 0).
        sample_logits: D's logits of prior samples G(z).
        form: See :func:`adversarial_loss`.
        recon_weight: Weight of the reconstructions' term (the samples'
            term has weight 1).

    Returns:
        Tensor: Scalar loss, ``recon_weight * adv(recon) + adv(samples)``.
    """
    samples = adversarial_loss(sample_logits, form)
    if recon_weight == 0:  # no term (recon_logits may be None)
        return samples
    recon = adversarial_loss(recon_logits, form)
    if recon_weight != 1.0:
        recon = recon_weight * recon
    return recon + samples


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
    """The hybrid loss of alpha-GAN, one method per network's update.

    Built from the model's ``loss_config`` (``type='AlphaGANLoss'`` is the
    default there). Each method takes the outputs of the networks and
    returns a dict of named terms whose ``loss_*`` entries sum to that
    network's loss (other entries are logged diagnostics):

    ========================  ==============================================
    method                    terms
    ========================  ==============================================
    ``encoder_loss``          ``rec_weight * |x - G(E(x))|_1``
                              ``+ code_adv_weight * code_adv(C(E(x)))``
                              ``[+ enc_image_adv_weight * adv(D(G(E(x))))]``
    ``generator_loss``        ``rec_weight * |x - G(E(x))|_1 + image_adv_weight``
                              ``* [gen_recon_adv_weight * adv(D(G(E(x))))``
                              ``+ adv(D(G(z)))]``
    ``discriminator_loss``    ``-log D(x) - disc_recon_weight *``
                              ``log(1 - D(G(E(x)))) - disc_sample_weight *``
                              ``log(1 - D(G(z)))``
    ``code_discriminator_     ``-log C(z) - log(1 - C(E(x)))``
    loss``
    ========================  ==============================================

    ``adv`` is :func:`adversarial_loss` in the configured form. The module
    has no parameters, so it adds nothing to checkpoints. The defaults of
    the stream weights (1, 1, 1) and ``enc_image_adv_weight=0`` give the
    loss of the plugin's first releases.

    Args:
        rec_weight: Weight of the L1 reconstruction term (>= 0).
        image_adv_weight: Weight of the generator's image-adversarial term.
        code_adv_weight: Weight of the encoder's code-adversarial term.
        gen_recon_adv_weight: Weight, inside the generator's
            image-adversarial term, of the reconstructions' part (the
            samples' part has weight 1).
        disc_recon_weight: Weight of the reconstructions' fake term in the
            image discriminator's loss.
        disc_sample_weight: Weight of the samples' fake term there.
        enc_image_adv_weight: Weight of an image-adversarial term on the
            reconstructions in the *encoder's* loss (0 = the encoder sees
            only the reconstruction and code terms; > 0 = the school of
            public implementations in which E and G share the adversarial
            term, e.g. github.com/victor-shepardson/alpha-GAN
            ``alphagan/alphagan.py``).
        image_adv_form: ``'ratio'`` or ``'nonsaturating'`` for the
            generator's (and the encoder's image) term.
        code_adv_form: ``'ratio'`` or ``'nonsaturating'`` for the encoder's
            code term.
    """

    WEIGHTS = ('rec_weight', 'image_adv_weight', 'code_adv_weight',
               'gen_recon_adv_weight', 'disc_recon_weight',
               'disc_sample_weight', 'enc_image_adv_weight')
    CHOICES = dict(image_adv_form=ADVERSARIAL_FORMS,
                   code_adv_form=ADVERSARIAL_FORMS)

    def __init__(self,
                 rec_weight: float = 1.0,
                 image_adv_weight: float = 1.0,
                 code_adv_weight: float = 1.0,
                 gen_recon_adv_weight: float = 1.0,
                 disc_recon_weight: float = 1.0,
                 disc_sample_weight: float = 1.0,
                 enc_image_adv_weight: float = 0.0,
                 image_adv_form: str = 'nonsaturating',
                 code_adv_form: str = 'ratio',
                 **unknown):
        super().__init__(
            dict(rec_weight=rec_weight, image_adv_weight=image_adv_weight,
                 code_adv_weight=code_adv_weight,
                 gen_recon_adv_weight=gen_recon_adv_weight,
                 disc_recon_weight=disc_recon_weight,
                 disc_sample_weight=disc_sample_weight,
                 enc_image_adv_weight=enc_image_adv_weight,
                 image_adv_form=image_adv_form, code_adv_form=code_adv_form),
            unknown)

    @property
    def encoder_needs_image_logits(self) -> bool:
        """bool: Whether :meth:`encoder_loss` takes D's logits of the
        reconstructions (``enc_image_adv_weight > 0``)."""
        return self.enc_image_adv_weight > 0

    @property
    def generator_needs_recon_logits(self) -> bool:
        """bool: Whether :meth:`generator_loss` uses D's logits of the
        reconstructions (``gen_recon_adv_weight > 0``)."""
        return self.gen_recon_adv_weight > 0

    @property
    def discriminator_needs_recon_logits(self) -> bool:
        """bool: Whether :meth:`discriminator_loss` uses D's logits of the
        reconstructions (``disc_recon_weight > 0``)."""
        return self.disc_recon_weight > 0

    def encoder_loss(self, real: Tensor, recon: Tensor, code_logits: Tensor,
                     recon_logits: Optional[Tensor] = None
                     ) -> Dict[str, Tensor]:
        """Encoder terms.

        Args:
            real: Images x, (N, C, H, W).
            recon: Their reconstructions G(E(x)).
            code_logits: C's logits of the codes E(x), (N, 1).
            recon_logits: D's logits of the reconstructions; needed (and
                only used) when ``enc_image_adv_weight > 0``.
        """
        terms = dict(
            loss_enc_rec=self.rec_weight * reconstruction_l1(real, recon),
            loss_enc_code_adv=self.code_adv_weight * code_adversarial_loss(
                code_logits, self.code_adv_form))
        if self.encoder_needs_image_logits:
            if recon_logits is None:
                raise ValueError('AlphaGANLoss.encoder_loss: '
                                 'enc_image_adv_weight > 0 needs D\'s logits '
                                 'of the reconstructions (recon_logits)')
            terms['loss_enc_img_adv'] = self.enc_image_adv_weight * \
                adversarial_loss(recon_logits, self.image_adv_form)
        return terms

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
                recon_logits, sample_logits, self.image_adv_form,
                self.gen_recon_adv_weight))

    def discriminator_loss(self, real_logits: Tensor, recon_logits: Tensor,
                           sample_logits: Tensor) -> Dict[str, Tensor]:
        """Image discriminator: x real; G(E(x)) and G(z) fake, weighted by
        ``disc_recon_weight`` and ``disc_sample_weight``. Also logs D's mean
        probability of real images."""
        return dict(
            loss_disc=discriminator_bce(
                real_logits, recon_logits, sample_logits,
                fake_weights=(self.disc_recon_weight,
                              self.disc_sample_weight)),
            disc_real_prob=torch.sigmoid(real_logits.detach()).mean())

    def code_discriminator_loss(self, prior_logits: Tensor,
                                posterior_logits: Tensor) -> Dict[str, Tensor]:
        """Code discriminator: z ~ N(0, I) real; E(x) fake. Also logs C's
        own estimate of KL(q || p) per sample, ``-E[log C/(1-C)](E(x))``
        (a training diagnostic only)."""
        return dict(
            loss_code_disc=code_discriminator_bce(prior_logits,
                                                  posterior_logits),
            code_kl_estimate=(-posterior_logits.detach()).mean())
