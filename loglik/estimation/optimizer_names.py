"""Every shared optimizer by name: ``OPTIMIZERS`` and :func:`get_optimizer`."""

from __future__ import annotations

from collections.abc import Callable

from .lbfgs import ScipySolver, lbfgs
from .newton import newton
from .optimizers import FIRST_ORDER, Optimizer
from .proximal import fista, ista

__all__ = ["OPTIMIZERS", "get_optimizer"]


OPTIMIZERS: dict[str, Callable[..., Optimizer | ScipySolver]] = {
    **FIRST_ORDER,
    "ista": ista,
    "fista": fista,
    "newton": newton,
    "lbfgs": lbfgs,
}


_BY_NAME: dict[str, Optimizer | ScipySolver] = {}


def get_optimizer(optimizer, **kwargs) -> Optimizer | ScipySolver:
    """An optimizer by name (``"adam"``; keyword arguments go to its recipe) or as given.

    A name without keyword arguments returns one shared default instance: optimizers are
    immutable pairs of pure functions, so sharing them is safe (and saves rebuilding).
    """
    if isinstance(optimizer, Optimizer | ScipySolver):
        if kwargs:
            raise ValueError("keyword arguments apply to an optimizer given by name only")
        return optimizer
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        known = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {optimizer!r}; known: {known}")
    if kwargs:
        return OPTIMIZERS[optimizer](**kwargs)
    if optimizer not in _BY_NAME:
        _BY_NAME[optimizer] = OPTIMIZERS[optimizer]()
    return _BY_NAME[optimizer]
