"""Checks of config values: unknown keys, non-negative floats, positive
ints; each error names the config key and the fix."""


def reject_unknown_keys(owner: str, unknown, accepted, config_key: str) -> None:
    """Raise ``ValueError`` for config keys nobody reads.

    Such keys are often inherited from a ``_base_`` config (e.g. MMagic's
    WGAN-GP ``loss_config``); the message says how to drop them.

    Args:
        owner: What got them (e.g. ``'AlphaGANLoss'``).
        unknown: The keys not understood (nothing happens when empty).
        accepted: The keys that are understood.
        config_key: Where they sit in a config (e.g. ``'model.loss_config'``).
    """
    unknown = sorted(unknown)
    if not unknown:
        return
    raise ValueError(
        f'{owner} got unknown config keys {unknown}; accepted: '
        f'{sorted(accepted)}. If they come from a _base_ config, replace the '
        f'inherited dict instead of merging into it: '
        f'{config_key}=dict(_delete_=True, ...) (mmengine\'s _delete_ drops '
        f'every inherited key of that dict).')


def non_negative_float(owner: str, key: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` naming ``owner.key``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not value >= 0:
        raise ValueError(f'{owner}: {key} must be a number >= 0, got '
                         f'{value!r}')
    return float(value)


def check_ints(owner: str, minimum: int = 1, **values) -> None:
    """Raise ``ValueError`` naming ``owner.key`` for any value that is not
    an int >= ``minimum`` (bools are refused)."""
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or \
                value < minimum:
            raise ValueError(f'{owner}: {key} must be an int >= {minimum}, '
                             f'got {value!r}')
