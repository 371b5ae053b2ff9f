"""The random states of a process, captured and restored as one value."""
import random

import numpy as np
import torch


def capture_rng_state() -> dict:
    """The process's python, numpy and torch (CPU and every initialised
    CUDA device) random states."""
    state = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: dict) -> None:
    """Put back a state of :func:`capture_rng_state`.

    Raises:
        ValueError: If the state holds CUDA random states and this process
            has no GPU.
    """
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state:
        if not torch.cuda.is_available():
            raise ValueError(
                'the checkpoint holds CUDA random states but this run has no '
                'GPU; an exact resume needs the same device type')
        torch.cuda.set_rng_state_all(state['cuda'])
