r"""Proximal steps on chosen blocks of a parameter list (a network's weight matrices, a GLM's
coefficients but not its intercept).

The shared proximal optimizers (:func:`loglik.optimizers.proximal_optimizer`) call
``prox(params, step_size)`` on the whole list, ``step_size`` a scalar or one array of
per-coordinate steps per block. :func:`block_prox` turns a prox of one array into that, applied
to the chosen blocks only; :func:`l1_prox` is the Laplace prior's (L1 penalty's) soft-threshold
:math:`\operatorname{sign}(v)\max(|v| - t\lambda_1, 0)`.
"""

from __future__ import annotations

from ..estimation.proximal import soft_threshold

__all__ = ["block_prox", "l1_prox"]


def block_prox(prox_one, blocks=None):
    """``prox(params, step_size)`` applying ``prox_one(block, step)`` to the blocks whose
    indices are in ``blocks`` (all when None) and passing the others through."""
    chosen = None if blocks is None else set(blocks)

    def prox(params, step_size):
        steps = step_size if isinstance(step_size, list | tuple) else [step_size] * len(params)
        return [
            prox_one(p, t) if chosen is None or k in chosen else p
            for k, (p, t) in enumerate(zip(params, steps))
        ]

    return prox


def l1_prox(strength, blocks=None):
    r"""The proximal step of :math:`\lambda_1\sum\|W\|_1` over ``blocks``: soft-thresholding at
    :math:`t\lambda_1` (``strength`` :math:`\lambda_1 \ge 0`)."""
    return block_prox(lambda v, t: soft_threshold(v, t * strength), blocks)
