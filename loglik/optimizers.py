"""The shared optimizers as ``loglik.optimizers``: the first-order recipes and transforms
(``loglik.estimation.optimizers``), proximal methods (``.proximal``), Newton (``.newton``),
L-BFGS (``.lbfgs``) and the by-name table (``.optimizer_names``)."""

from .estimation.lbfgs import *  # noqa: F403
from .estimation.lbfgs import __all__ as _lbfgs_all
from .estimation.newton import *  # noqa: F403
from .estimation.newton import __all__ as _newton_all
from .estimation.optimizer_names import *  # noqa: F403
from .estimation.optimizer_names import __all__ as _names_all
from .estimation.optimizers import *  # noqa: F403
from .estimation.optimizers import __all__ as _first_order_all
from .estimation.proximal import *  # noqa: F403
from .estimation.proximal import __all__ as _proximal_all

__all__ = sorted({*_first_order_all, *_proximal_all, *_newton_all, *_lbfgs_all, *_names_all})
