"""statsmodels-style inference for unpenalised GLM fits: Wald tables and the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..._validation import check_scalar

__all__ = ["InferenceMixin", "RegressionSummary", "wald_table"]


def wald_table(params, se, *, df=None, level=0.95):
    """Estimate, standard error, t or z statistic, two-sided p-value and ``level`` interval.

    ``df`` gives Student t reference distributions (Gaussian linear model), None the normal.
    """
    params, se = pd.Series(params), pd.Series(se)
    dist = stats.norm if df is None else stats.t(df)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = params / se
    q = dist.ppf(0.5 + level / 2)
    label = "z" if df is None else "t"
    lo, hi = (1 - level) / 2, (1 + level) / 2
    return pd.DataFrame(
        {
            "coef": params,
            "std err": se,
            label: stat,
            f"P>|{label}|": 2 * dist.sf(np.abs(stat)),
            f"[{lo:.3g}": params - q * se,
            f"{hi:.3g}]": params + q * se,
        }
    )


class RegressionSummary:
    """What ``summary()`` returns: ``info`` (model-level numbers) and ``coefficients`` (the
    Wald table, a DataFrame indexed by parameter name); prints as the familiar text table."""

    def __init__(self, title, info, coefficients):
        self.title, self.info, self.coefficients = title, info, coefficients

    def __str__(self):
        width = 78
        items = [
            f"{k}: {v:.6g}" if isinstance(v, float) else f"{k}: {v}" for k, v in self.info.items()
        ]
        half = (len(items) + 1) // 2
        left, right = items[:half], items[half:]
        lines = [self.title.center(width), "=" * width]
        for i in range(half):
            r = right[i] if i < len(right) else ""
            lines.append(f"{left[i]:<39}{r}")
        lines.append("=" * width)
        with pd.option_context("display.width", width, "display.max_columns", 10):
            lines.append(self.coefficients.to_string(float_format=lambda v: f"{v:.4g}"))
        lines.append("=" * width)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in self.info.items())
        return f"<h4>{self.title}</h4><table>{head}</table>" + self.coefficients.to_html()


class InferenceMixin:
    r"""statsmodels-style results for an unpenalised fit: the estimator sets ``params_`` (a
    Series), ``cov_params_`` (a DataFrame), ``df_resid_`` (Student t reference, or None for z),
    ``loglik_``, ``deviance_``, ``null_deviance_``, ``n_params_``, ``nobs_``, ``aic_``
    (:math:`-2\log L + 2k`, k the estimated mean parameters, as statsmodels) and ``bic_``
    (:math:`-2\log L + k\log n`, n the rows with positive weight)."""

    @property
    def bse_(self) -> pd.Series:
        """Standard errors: square roots of the diagonal of ``cov_params_``."""
        self._check_inference()
        return pd.Series(np.sqrt(np.diag(self.cov_params_.to_numpy())), index=self.params_.index)

    @property
    def tvalues_(self) -> pd.Series:
        """Wald statistics ``params_ / bse_`` (t for the Gaussian family, z otherwise)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params_ / self.bse_

    @property
    def pvalues_(self) -> pd.Series:
        """Two-sided p-values of the Wald statistics (Student t with ``df_resid_`` or normal)."""
        t = self.tvalues_.to_numpy()
        dist = stats.norm if self.df_resid_ is None else stats.t(self.df_resid_)
        return pd.Series(2 * dist.sf(np.abs(t)), index=self.params_.index)

    def _check_inference(self):
        self._check_is_fitted()
        if not hasattr(self, "cov_params_"):
            raise ValueError(
                f"{type(self).__name__} with a penalty has no classical inference; "
                "standard errors, p-values and summary() are for penalty=None"
            )

    def conf_int(self, level=0.95) -> pd.DataFrame:
        """Wald confidence intervals: a DataFrame indexed by parameter with ``lower``,
        ``upper``."""
        level = check_scalar(
            level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
        )
        table = wald_table(self.params_, self.bse_, df=self.df_resid_, level=level)
        out = table.iloc[:, -2:]
        out.columns = ["lower", "upper"]
        return out

    def summary(self, level=0.95) -> RegressionSummary:
        """The coefficient table (estimate, std err, t/z, p-value, interval) with model-level
        numbers: observations, log-likelihood, deviance, AIC, BIC, convergence."""
        self._check_inference()
        table = wald_table(self.params_, self.bse_, df=self.df_resid_, level=level)
        info = {
            "model": type(self).__name__,
            "family": self._family_name(),
            "link": self._likelihood().link,
            "observations": self.nobs_,
            "parameters": self.n_params_,
            "log-likelihood": float(self.loglik_),
            "deviance": float(self.deviance_),
            "null deviance": float(self.null_deviance_),
            "AIC": float(self.aic_),
            "BIC": float(self.bic_),
            "converged": bool(self.converged_),
            "iterations": int(self.n_iter_),
        }
        if self.df_resid_ is not None:
            info["df residual"] = self.df_resid_
            info["R-squared"] = float(1.0 - self.deviance_ / self.null_deviance_)
        return RegressionSummary(f"{type(self).__name__} results", info, table)
