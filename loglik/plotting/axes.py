"""What every figure shares: the Axes to draw on and the optimisation history to read."""

from __future__ import annotations

from ..estimation.minimize import History


def axes_or_new(ax, **subplot_kw):
    """``ax`` itself, or the Axes of a new figure (``subplot_kw`` passed on) when it is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(subplot_kw=subplot_kw or None)
    return ax


def history_of(obj) -> History:
    """The History of a MinimizeResult, of a fitted object with ``history_``, or itself."""
    if isinstance(obj, History):
        return obj
    for attr in ("history", "history_"):
        if isinstance(getattr(obj, attr, None), History):
            return getattr(obj, attr)
    raise ValueError(f"expected a MinimizeResult or History, got {type(obj).__name__}")
