"""Small real data sets shipped with loglik, with their provenance and licence.

>>> import loglik as ll
>>> table = ll.data.list_datasets()   # name, rows, columns, what it is good for
>>> table["rows"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
{'strikes': 62, 'nile': 100, 'randhie': 20190, 'longley': 16, 'anes96': 944,
 'leukemia': 42, 'engel': 235}
>>> strikes = ll.data.load("strikes")
>>> print(ll.data.describe("strikes"))  # doctest: +ELLIPSIS
strikes: U.S. contract strike durations, 1968-1976
...

Every set here is in the public domain; all but one as stated by their distributors (the copies
were taken from the statsmodels project's data sets, which record each source and its copyright);
``leukemia`` holds the factual measurements of a 1963 clinical trial, typed from Gehan's (1965)
listing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

__all__ = ["DATASETS", "describe", "list_datasets", "load"]


@dataclass(frozen=True)
class Dataset:
    """One shipped data set: its file, what it is, where it comes from and its licence."""

    name: str
    file: str
    title: str
    description: str
    use: str
    source: str
    licence: str = "public domain"


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "strikes",
            "strikes.csv",
            "U.S. contract strike durations, 1968-1976",
            "duration: length of 62 contract strikes in U.S. manufacturing, in days; iprod: "
            "unanticipated industrial production at the strike's start.",
            "positive durations: fit and compare exponential, gamma, weibull, lognormal",
            "Kennan, J. (1985) The duration of contract strikes in US manufacturing. Journal of "
            "Econometrics 28(1), 5-28. Data from the U.S. Bureau of Labor Statistics.",
        ),
        Dataset(
            "nile",
            "nile.csv",
            "Annual flow of the Nile at Aswan, 1871-1970",
            "year; volume: annual flow in 1e8 cubic metres (100 years).",
            "a continuous sample for normal / student_t fits and likelihood surfaces",
            "Cobb, G. W. (1978) The problem of the Nile: conditional solution to a changepoint "
            "problem. Biometrika 65(2), 243-251.",
        ),
        Dataset(
            "randhie",
            "randhie.csv.gz",
            "RAND Health Insurance Experiment: doctor visits",
            "mdvis: number of outpatient visits to a medical doctor (20190 person-years); "
            "lncoins: log(coinsurance + 1); idp: individual deductible plan; lpi: log(annual "
            "participation incentive payment); fmde: log(max medical deductible expenditure) "
            "when idp=0; physlm: physical limitation; disea: number of chronic diseases; "
            "hlthg/hlthf/hlthp: self-rated health good/fair/poor (baseline excellent).",
            "overdispersed counts: poisson vs negative_binomial; Poisson regression",
            "RAND Corporation Health Insurance Experiment, as used in Cameron, A. C. and "
            "Trivedi, P. K. (2005) Microeconometrics: Methods and Applications. Cambridge UP.",
        ),
        Dataset(
            "longley",
            "longley.csv",
            "Longley's macroeconomic data, 1947-1962",
            "TOTEMP: total employment (the response); GNPDEFL: GNP deflator; GNP; UNEMP: "
            "unemployment; ARMED: size of the armed forces; POP: population over 14; YEAR.",
            "ill-conditioned least squares with certified answers (NIST StRD)",
            "Longley, J. W. (1967) An appraisal of least squares programs for the electronic "
            "computer from the point of view of the user. JASA 62(319), 819-841. Certified "
            "values: NIST Statistical Reference Datasets, Longley.",
        ),
        Dataset(
            "anes96",
            "anes96.csv",
            "American National Election Study 1996 (944 voters)",
            "vote: 1 = Dole, 0 = Clinton; popul: population of the respondent's place (1000s); "
            "TVnews: days a week watching TV news; selfLR/ClinLR/DoleLR: left-right placement "
            "of self, Clinton, Dole (1-7); PID: party identification (0 strong Democrat - 6 "
            "strong Republican); age; educ (1-7); income (1-24); logpopul: log(popul + 0.1).",
            "a binary response with several predictors: logistic regression, L1 paths",
            "The American National Election Studies (www.electionstudies.org), 1996 study.",
        ),
        Dataset(
            "leukemia",
            "leukemia.csv",
            "Remission times of 42 children with acute leukemia (Freireich et al., 1963)",
            "time: weeks in remission; relapse: 1 = relapsed at that time, 0 = still in "
            "remission when last seen (right-censored); treatment: 6-MP (6-mercaptopurine, 21 "
            "children, 12 censored) or placebo (21, none censored).",
            "right-censored survival times: censored fits (ll.fit(..., censored=True)), "
            "Kaplan-Meier against fitted survival, the CLI's --censor-column",
            "Freireich, E. J. et al. (1963) The effect of 6-mercaptopurine on the duration of "
            "steroid-induced remissions in acute leukemia. Blood 21(6), 699-716; as listed by "
            "Gehan, E. A. (1965) A generalized Wilcoxon test for comparing arbitrarily "
            "singly-censored samples. Biometrika 52, 203-223.",
            "public domain (the factual measurements of a published 1963 trial, in which no "
            "copyright subsists; reproduced in most survival textbooks and packages)",
        ),
        Dataset(
            "engel",
            "engel.csv",
            "Engel's food expenditure data (1857)",
            "income and foodexp: annual household income and food expenditure (Belgian "
            "francs) of 235 working-class households.",
            "regression whose noise grows with x: heteroscedastic Gaussian likelihoods",
            "Koenker, R. and Bassett, G. (1982) Robust tests for heteroscedasticity based on "
            "regression quantiles. Econometrica 50, 43-61; distributed with R's quantreg.",
        ),
    ]
}


def _get(name: str) -> Dataset:
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASETS)}")
    return DATASETS[name]


def load(name: str) -> pd.DataFrame:
    """The data set ``name`` as a new DataFrame (see :func:`list_datasets`)."""
    path = resources.files(__name__) / _get(name).file
    with resources.as_file(path) as file:
        return pd.read_csv(file)


def describe(name: str) -> str:
    """Title, columns, suggested use, source and licence of ``name``."""
    d = _get(name)
    return (
        f"{d.name}: {d.title}\n\nColumns: {d.description}\n\nGood for: {d.use}\n\n"
        f"Source: {d.source}\n\nLicence: {d.licence}"
    )


def list_datasets() -> pd.DataFrame:
    """One row per shipped data set: rows, columns, title, use, licence."""
    rows = []
    for d in DATASETS.values():
        frame = load(d.name)
        rows.append(
            {
                "name": d.name,
                "rows": len(frame),
                "columns": ", ".join(frame.columns),
                "title": d.title,
                "use": d.use,
                "licence": d.licence,
            }
        )
    return pd.DataFrame(rows).set_index("name")
