"""Seeded latent codes and paths between codes (pure tensor functions)."""
import math
import torch
from torch import Tensor

#: Interpolation modes of :func:`interpolate_codes`.
INTERPOLATION_MODES = ('linear', 'slerp')

#: Below this angle (radians) two codes count as parallel: slerp between them
#: equals linear interpolation to float precision, and its formula divides
#: by ``sin(angle)``, so the linear path is used.
PARALLEL_ANGLE = 1e-4


def check_positive_int(name: str, value, low: int = 1) -> int:
    """``value`` if it is an int >= ``low``, else a ``ValueError`` naming
    ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f'{name} must be an int >= {low}, got {value!r}')
    return value


class SeededNormal:
    """Rows of N(0, I) noise from one seed, independent of batching.

    Row ``i`` of the stream is the same whether it is taken in one call or
    in many (each row is drawn by its own ``torch.randn`` call on a private
    CPU generator), so results do not depend on the batch size and do not
    touch the global random state. Values are drawn on the CPU, so they are
    the same on every device.

    Args:
        seed: Seed of the stream (any int >= 0).
        dim: Size of one row.
    """

    def __init__(self, seed: int, dim: int):
        check_positive_int('seed', seed, low=0)
        check_positive_int('dim', dim)
        self.dim = dim
        self._gen = torch.Generator().manual_seed(seed)

    def take(self, num: int) -> Tensor:
        """The next ``num`` rows, float32 of shape (num, dim), on the CPU."""
        check_positive_int('num', num, low=0)
        if num == 0:
            return torch.empty(0, self.dim)
        return torch.stack([
            torch.randn(self.dim, generator=self._gen) for _ in range(num)
        ])


def lerp(a: Tensor, b: Tensor, t: Tensor) -> Tensor:
    """Points ``(1 - t) a + t b``.

    Args:
        a: (D,) start code.
        b: (D,) end code.
        t: (S,) positions in [0, 1].

    Returns:
        Tensor: (S, D).
    """
    t = t[:, None]
    return (1 - t) * a[None] + t * b[None]


def slerp(a: Tensor, b: Tensor, t: Tensor) -> Tensor:
    """Spherical interpolation (Shoemake 1985; White 2016 for GAN codes).

    ``sin((1 - t) w) / sin(w) a + sin(t w) / sin(w) b``, where ``w`` is the
    angle between ``a`` and ``b``: the path follows the great circle of the
    two directions, and the norm moves smoothly between ``|a|`` and ``|b|``
    (it stays 1 between unit codes). Computed in float64.

    Nearly parallel codes (angle below :data:`PARALLEL_ANGLE`) get the
    linear path, which is slerp's limit there. Opposite codes have no
    unique great circle: ``ValueError``.

    Args:
        a: (D,) start code (not zero).
        b: (D,) end code (not zero).
        t: (S,) positions in [0, 1].

    Returns:
        Tensor: (S, D), in the dtype of ``a``.
    """
    a64, b64, t64 = a.double(), b.double(), t.double()
    na, nb = a64.norm(), b64.norm()
    if na == 0 or nb == 0:
        raise ValueError('slerp needs non-zero codes (a code is all zeros); '
                         "use mode='linear'")
    cos = torch.clamp((a64 @ b64) / (na * nb), -1.0, 1.0)
    angle = torch.arccos(cos)
    if angle < PARALLEL_ANGLE:
        return lerp(a64, b64, t64).to(a.dtype)
    if math.pi - float(angle) < PARALLEL_ANGLE:
        raise ValueError(
            'slerp between opposite codes is undefined (every great circle '
            "joins them); use mode='linear' or other endpoints")
    sin = torch.sin(angle)
    wa = torch.sin((1 - t64) * angle) / sin
    wb = torch.sin(t64 * angle) / sin
    return (wa[:, None] * a64[None] + wb[:, None] * b64[None]).to(a.dtype)


def interpolate_codes(a: Tensor, b: Tensor, steps: int,
                      mode: str = 'linear') -> Tensor:
    """``steps`` codes from ``a`` to ``b``, both included.

    The first and last rows are ``a`` and ``b`` themselves (bit for bit),
    so the ends of an interpolation decode exactly as the two codes do.

    Args:
        a: (D,) or (1, D) start code.
        b: Same shape as ``a``, end code.
        steps: Number of codes, >= 2.
        mode: ``'linear'`` or ``'slerp'`` (see :func:`slerp`).

    Returns:
        Tensor: (steps, D), at evenly spaced ``t = 0, 1/(steps-1), ..., 1``.
    """
    check_positive_int('steps', steps, low=2)
    if mode not in INTERPOLATION_MODES:
        raise ValueError(f'mode must be one of {INTERPOLATION_MODES}, got '
                         f'{mode!r}')
    a, b = _as_vector(a, 'a'), _as_vector(b, 'b')
    if a.shape != b.shape:
        raise ValueError(f'the two codes differ in size: {tuple(a.shape)} '
                         f'vs {tuple(b.shape)}')
    t = torch.linspace(0, 1, steps, dtype=torch.float64)
    path = lerp(a.double(), b.double(), t).to(a.dtype) if mode == 'linear' \
        else slerp(a, b, t)
    path[0], path[-1] = a, b
    return path


def _as_vector(code: Tensor, name: str) -> Tensor:
    if not torch.is_tensor(code):
        raise ValueError(f'{name} must be a tensor, got {type(code).__name__}')
    if code.dim() == 2 and code.shape[0] == 1:
        code = code[0]
    if code.dim() != 1:
        raise ValueError(f'{name} must be one code, shape (D,) or (1, D); got '
                         f'{tuple(code.shape)}')
    if not torch.isfinite(code).all():
        raise ValueError(f'{name} holds NaN or inf values')
    return code


__all__ = [
    'INTERPOLATION_MODES', 'PARALLEL_ANGLE', 'SeededNormal', 'lerp', 'slerp',
    'interpolate_codes', 'check_positive_int'
]
