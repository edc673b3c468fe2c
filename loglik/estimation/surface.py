r"""The log-likelihood on grids of parameter values: the data behind likelihood curves,
surfaces and profiles (``loglik.plotting`` draws them).

Both functions take a :class:`~loglik.estimation.result.FitResult` and vary one or two of its
free parameters (labels, e.g. ``"sigma"`` or ``"mean[0]"``). The other free parameters are
either **held at their MLE** (``profile=False``: a slice through the likelihood) or
**maximised over** at every grid point (``profile=True``: the profile likelihood
:math:`\ell_p(\psi) = \max_\lambda \ell(\psi, \lambda)`, whose drop from the maximum gives
likelihood-ratio confidence intervals and regions: :math:`\ell_p \ge \hat\ell -
\chi^2_d(\text{level})/2` with d the number of varied parameters, see :func:`wilks_drop`).

Slices are vectorised: families with sufficient statistics evaluate the whole grid from them at
once; the others evaluate blocks of grid points against blocks of the data (bounded memory).
Profiles refit at each grid point with the family's fastest estimator.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import ConvergenceWarning, check_scalar
from .fitting import estimate
from .inference import SCALES
from .likelihood import theta_from

__all__ = ["LikelihoodSurface", "default_values", "loglik_curve", "loglik_surface", "wilks_drop"]


def wilks_drop(level: float = 0.95, dim: int = 1) -> float:
    r"""The drop below the maximum log-likelihood that bounds a ``level`` likelihood-ratio
    (Wilks) confidence set for ``dim`` parameters: :math:`\chi^2_{\text{dim}}(\text{level})/2`
    (1.92 for one parameter at 95%, 3.00 for two)."""
    return float(stats.chi2.ppf(level, dim) / 2.0)


def _label_entry(result, label):
    for entry in result.family_class.labels(result.theta, result.free):
        if entry[0] == label:
            return entry
    raise ValueError(
        f"{label!r} is not a free parameter of this {result.family} fit; free: "
        f"{', '.join(result.labels) or 'none'}"
    )


def default_values(result, label: str, n_points: int = 101, span: float = 4.0) -> np.ndarray:
    r"""``n_points`` values around the MLE of ``label``: :math:`\pm` ``span`` standard errors on
    the label's unconstrained scale (log for positive parameters, logit for probabilities), so
    the grid stays inside the domain; :math:`\pm 50\%` (or :math:`\pm 1`) when the standard
    error is 0 (a boundary estimate)."""
    n_points = check_scalar(n_points, "n_points", low=2, integer=True)
    _, _, _, scale = _label_entry(result, label)
    t = SCALES[scale]
    hat = result.estimates[label]
    se = result.se[label]
    with np.errstate(divide="ignore"):
        eta = float(t.inverse(hat))
    if se > 0 and np.isfinite(eta):
        half = span * se / float(t.derivative(eta))
        return np.asarray(t.forward(np.linspace(eta - half, eta + half, n_points)), dtype=float)
    if scale == "logit":
        return np.linspace(1e-3, 1 - 1e-3, n_points)
    low, high = (hat * 0.5, hat * 1.5) if hat > 0 else (hat - 1.0, hat + 1.0)
    if scale == "log" and hat == 0:
        low, high = 1e-3, 1.0
    return np.linspace(low, high, n_points)


def _check_values(result, label, values, n_points, span):
    if values is None:
        return default_values(result, label, n_points, span)
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"values for {label!r} must be a non-empty array of finite numbers")
    _, param, _index, _ = _label_entry(result, label)
    cls = result.family_class
    spec = cls.spec(param)
    if spec.kind == "scalar" and not np.all(spec.domain.contains(values)):
        bad = values[~spec.domain.contains(values)][0]
        raise ValueError(f"values for {label!r} must be {spec.domain.text}, got {bad!r}")
    return values


def _slice(result, assignments: dict) -> np.ndarray:
    """The log-likelihood with the labels in ``assignments`` (label -> array, all of one shape)
    set and every other parameter at the fit's values."""
    cls = result.family_class
    entries = [_label_entry(result, label) for label in assignments]
    shape = next(iter(assignments.values())).shape
    if all(cls.spec(param).kind == "scalar" for _, param, _, _ in entries):
        theta = list(result.theta)
        for (_, param, _, _), grid in zip(entries, assignments.values()):
            theta[cls.param_names.index(param)] = grid
        try:
            return np.broadcast_to(cls.loglik_total(result.data, *theta), shape).copy()
        except (ValueError, TypeError):
            pass  # a family whose totals do not broadcast: one point at a time below
    out = np.empty(shape)
    for idx in np.ndindex(shape):
        theta = [np.array(v, copy=True) for v in result.theta]
        for (_, param, index, _), grid in zip(entries, assignments.values()):
            p = cls.param_names.index(param)
            if index:
                theta[p][index] = grid[idx]
                if param == "cov":
                    theta[p][index[::-1]] = grid[idx]
            else:
                theta[p] = np.asarray(grid[idx])
        try:
            checked = cls.check_params(dict(zip(cls.param_names, theta)), "")
            out[idx] = cls.loglik_total(result.data, *checked)
        except ValueError:
            out[idx] = -np.inf  # outside the parameter space (e.g. a non-positive-definite cov)
    return out


def _profile_point(result, setting: dict):
    """``(loglik, values of the other free labels)`` maximising over all but ``setting``."""
    cls, fixed = result.family_class, result.fixed
    entries = [_label_entry(result, label) for label in setting]
    if any(index or cls.spec(param).kind != "scalar" for _, param, index, _ in entries):
        if len(setting) != 1:
            raise ValueError("2-D profiles need scalar parameters")
        ((label, value),) = setting.items()
        return cls.profile_loglik(result.data, result.theta, fixed, label, value), {}
    held = {param: float(value) for (_, param, _, _), value in zip(entries, setting.values())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = estimate(cls, result.data, {**fixed, **held})
    theta = theta_from(cls, {**est.values, **fixed, **held})
    return float(cls.loglik_total(result.data, *theta)), {
        k: v for k, v in est.values.items() if np.ndim(v) == 0
    }


def _others_free(result, labels) -> bool:
    return any(label not in labels for label in result.labels)


def loglik_curve(
    result,
    param: str,
    values=None,
    *,
    profile: bool = False,
    n_points: int = 101,
    span: float = 4.0,
) -> pd.DataFrame:
    r"""The log-likelihood as one parameter moves.

    Parameters
    ----------
    result : FitResult
    param : str
        The label to vary.
    values : array_like, optional
        Its grid (default: :func:`default_values` with ``n_points`` and ``span``).
    profile : bool
        Maximise over the other free parameters at each value (the profile likelihood) instead
        of holding them at the MLE.

    Returns
    -------
    pandas.DataFrame
        Columns ``param`` (the values), ``loglik``, ``relative`` (loglik minus the maximum
        :math:`\hat\ell`, so the 95% likelihood-ratio interval is where
        ``relative >= -wilks_drop(0.95)``), and with ``profile=True`` the maximising values of
        the other free parameters.
    """
    grid = _check_values(result, param, values, n_points, span)
    frame = pd.DataFrame({param: grid})
    if profile and _others_free(result, [param]):
        points = [_profile_point(result, {param: v}) for v in grid]
        frame["loglik"] = [p[0] for p in points]
        others = pd.DataFrame([p[1] for p in points])
        for column in others.columns:
            if column != param:
                frame[column] = others[column].to_numpy()
    else:
        frame["loglik"] = _slice(result, {param: grid})
    frame.insert(2, "relative", frame["loglik"] - result.loglik)
    frame.attrs.update(
        param=param, profile=bool(profile), mle=result.estimates[param], max_loglik=result.loglik
    )
    return frame


@dataclass
class LikelihoodSurface:
    r"""The log-likelihood over a 2-D grid of two parameters.

    ``loglik[i, j]`` is at ``(x[j], y[i])`` — the layout ``matplotlib``'s ``contour(x, y,
    loglik)`` expects. ``mle`` holds the two estimates, ``max_loglik`` the maximum
    :math:`\hat\ell`; ``region_level(level)`` is the log-likelihood that bounds the
    ``level`` likelihood-ratio confidence region (:math:`\hat\ell - \chi^2_2/2`).
    """

    params: tuple
    x: np.ndarray
    y: np.ndarray
    loglik: np.ndarray
    mle: dict
    max_loglik: float
    profile: bool

    @property
    def relative(self) -> np.ndarray:
        """``loglik`` minus the maximum (0 at the MLE)."""
        return self.loglik - self.max_loglik

    def region_level(self, level: float = 0.95) -> float:
        """The log-likelihood on the boundary of the ``level`` Wilks confidence region."""
        return self.max_loglik - wilks_drop(level, 2)

    def to_frame(self) -> pd.DataFrame:
        """Long format: one row per grid point (the two parameters, loglik, relative)."""
        X, Y = np.meshgrid(self.x, self.y)
        return pd.DataFrame(
            {
                self.params[0]: X.ravel(),
                self.params[1]: Y.ravel(),
                "loglik": self.loglik.ravel(),
                "relative": self.relative.ravel(),
            }
        )


def loglik_surface(
    result, params, values=None, *, profile: bool = False, n_points=61, span: float = 4.0
) -> LikelihoodSurface:
    r"""The log-likelihood over a grid of two parameters (others at the MLE, or profiled out).

    Parameters
    ----------
    result : FitResult
    params : (str, str)
        The two labels (x axis, y axis).
    values : (array_like, array_like), optional
        Their grids (default: :func:`default_values` each, ``n_points`` — an int or a pair).
    profile : bool
        Maximise over the remaining free parameters at each grid point.

    Returns
    -------
    LikelihoodSurface
    """
    if isinstance(params, str) or len(params) != 2 or params[0] == params[1]:
        raise ValueError(f"params must be two different labels, got {params!r}")
    counts = (n_points, n_points) if np.ndim(n_points) == 0 else tuple(n_points)
    values = (None, None) if values is None else values
    x = _check_values(result, params[0], values[0], counts[0], span)
    y = _check_values(result, params[1], values[1], counts[1], span)
    X, Y = np.meshgrid(x, y)
    if profile and _others_free(result, params):
        Z = np.empty(X.shape)
        for idx in np.ndindex(X.shape):
            Z[idx] = _profile_point(result, {params[0]: X[idx], params[1]: Y[idx]})[0]
    else:
        Z = _slice(result, {params[0]: X, params[1]: Y})
    est = result.estimates
    return LikelihoodSurface(
        tuple(params), x, y, Z, {p: est[p] for p in params}, result.loglik, bool(profile)
    )
