"""The alpha-GAN loss terms as small pure functions of logits.

Every adversarial term is computed from the discriminators' *logits* ``l``
(pre-sigmoid outputs), never from probabilities, so that no ``log(sigmoid)``
is ever formed explicitly:

* ``log D / (1 - D) = l`` (the density ratio is the logit itself),
* ``-log D = softplus(-l)`` and ``-log(1 - D) = softplus(l)``.

Reference: Rosca, Lakshminarayanan, Warde-Farley, Mohamed, "Variational
Approaches for Auto-Encoding Generative Adversarial Networks", 2017,
https://arxiv.org/abs/1706.04987 (Algorithm 1, eq. 5 and eq. 6).
"""
import torch
import torch.nn.functional as F
from torch import Tensor

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
            ``-log(D / (1 - D)) = -l`` (paper eq. 5), or ``'nonsaturating'``
            for ``-log D = softplus(-l)`` (paper eq. 6).

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
    arXiv version of the paper printed these labels swapped.)

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
    sample (paper eq. 5); ``'nonsaturating'`` gives ``-log C(z_hat)``.

    Args:
        posterior_logits: C's logits of encoder codes, shape (N, 1).
        form: See :func:`adversarial_loss`.

    Returns:
        Tensor: Scalar loss.
    """
    return adversarial_loss(posterior_logits, form)


def check_finite(value: Tensor, name: str) -> None:
    """Raise ``FloatingPointError`` when ``value`` holds NaN or inf."""
    if not torch.isfinite(value).all():
        raise FloatingPointError(f'{name} is not finite ({value.detach()})')
