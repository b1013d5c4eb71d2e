"""The deprivation gradient: a Poisson model of deaths by deprivation decile, with the population
as exposure. Pure (NumPy and statsmodels), no Django.

log E[deaths_d] = log(population_d) + a + b * steps_d, where steps_d counts deciles more deprived
than the least deprived (decile 10 has 0 steps, decile 1 has 9, on the official IMD coding where
1 is most deprived). exp(b) is the rate ratio per decile more deprived, as NCMD reports it
("each decile raises the rate by about 8-10%"). Its 95% interval is the Wald interval of b.
The Pearson dispersion (chi-squared / degrees of freedom) is reported so a reader can judge
whether the counts vary more than a Poisson model allows.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ncmd.stats import z_value


@dataclass(frozen=True)
class Gradient:
    rate_ratio: float  # per decile more deprived
    lower: float
    upper: float
    deaths: int
    deciles: int  # deciles with a population that entered the model
    dispersion: float | None  # Pearson chi-squared / residual degrees of freedom (None at 0 df)
    p_value: float


class GradientNotEstimable(ValueError):
    pass


def _statsmodels():
    """statsmodels, imported when first needed (it is slow to import). Its import uses a pandas
    helpers that recent pandas marks as deprecated; those warnings are about statsmodels' code,
    not ours, so they are silenced for the import alone."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"(Substitution|Appender) is deprecated")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="statsmodels")
        import statsmodels.api as sm
        from statsmodels.tools.sm_exceptions import PerfectSeparationWarning
    return sm, PerfectSeparationWarning


def deprivation_gradient(deciles, deaths, population, *, confidence=0.95):
    """Fit the model over the deciles (1 = most deprived) with their deaths and populations."""
    sm, PerfectSeparationWarning = _statsmodels()
    deciles = np.asarray(deciles, dtype=float)
    deaths = np.asarray(deaths, dtype=float)
    population = np.asarray(population, dtype=float)
    keep = population > 0
    deciles, deaths, population = deciles[keep], deaths[keep], population[keep]
    if len(np.unique(deciles)) < 2:
        raise GradientNotEstimable("needs a population in at least two deciles")
    if deaths.sum() == 0:
        raise GradientNotEstimable("needs at least one death")
    steps = 10 - deciles
    design = sm.add_constant(steps, has_constant="add")
    model = sm.GLM(deaths, design, family=sm.families.Poisson(), offset=np.log(population))
    # A saturated model (two deciles) has no residual degrees of freedom: statsmodels divides
    # by zero for a scale it does not use; that is not an error.
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("error", PerfectSeparationWarning)
        try:
            fit = model.fit(method="newton", tol=1e-12, maxiter=100)
        except (PerfectSeparationWarning, np.linalg.LinAlgError) as error:
            raise GradientNotEstimable(f"the model could not be fitted ({error})") from None
    slope, se = float(fit.params[1]), float(fit.bse[1])
    if not np.isfinite(slope) or not np.isfinite(se):
        raise GradientNotEstimable("the model did not converge")
    z = z_value(confidence)
    residual_df = len(deaths) - 2
    dispersion = float(fit.pearson_chi2 / residual_df) if residual_df > 0 else None
    return Gradient(
        rate_ratio=float(np.exp(slope)),
        lower=float(np.exp(slope - z * se)),
        upper=float(np.exp(slope + z * se)),
        deaths=int(deaths.sum()),
        deciles=int(len(deaths)),
        dispersion=dispersion,
        p_value=float(fit.pvalues[1]),
    )
