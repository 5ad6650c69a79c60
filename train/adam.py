"""One Adam step (the training scripts' optimiser; pure numpy, deterministic)."""
from __future__ import annotations

import numpy as np


def adam_step(param: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
              lr: float) -> tuple[np.ndarray, np.ndarray]:
    """Update ``param`` in place by the ``t``-th (from 1) Adam step of ``grad`` (beta1 0.9, beta2 0.999);
    returns the new first and second moments."""
    m = 0.9 * m + 0.1 * grad
    v = 0.999 * v + 0.001 * grad ** 2
    param -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return m, v
