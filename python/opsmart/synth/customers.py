"""The customer population: who contacts, what they pay, and who churns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.config import ChurnModel
from opsmart.synth.simulate import NEVER

__all__ = [
    "REGIONS",
    "SEGMENTS",
    "Population",
    "churn_probability",
    "logistic",
    "make_population",
]

SEGMENTS: tuple[str, ...] = ("consumer", "small_business", "enterprise")
_SEGMENT_SHARE = (0.80, 0.15, 0.05)
_SEGMENT_CONTACT_RATE = (1.0, 1.6, 3.0)
_REVENUE_MEDIAN = (45.0, 220.0, 2_500.0)
_REVENUE_SIGMA = (0.40, 0.60, 0.80)
REGIONS: tuple[str, ...] = ("capital", "north", "south", "east", "west")
_REGION_SHARE = (0.45, 0.15, 0.18, 0.10, 0.12)


def logistic(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The logistic function 1 / (1 + exp(-x)), element-wise."""
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))
    return out


@dataclass
class Population:
    """Customer arrays, index i is customer ``cust_{i+1:07d}``.

    ``signed_up`` and ``churned`` are seconds from the period start (negative
    before it; ``NEVER`` for not churned); ``propensity`` is the relative contact
    rate.
    """

    segment: NDArray[np.int64]
    region: NDArray[np.int64]
    signed_up: NDArray[np.int64]
    churned: NDArray[np.int64]
    revenue: NDArray[np.float64]
    propensity: NDArray[np.float64]

    @property
    def size(self) -> int:
        """Number of customers, including later sign-ups."""
        return int(self.segment.size)

    def active_on(self, start: int, end: int) -> NDArray[np.int64]:
        """Indices of customers who may contact on the day from `start` to `end`.

        They signed up before the day and do not churn on or before it (seconds from
        the period start; a local day may have 23 or 25 hours).
        """
        mask = (self.signed_up < start) & (self.churned >= end)
        out: NDArray[np.int64] = np.flatnonzero(mask).astype(np.int64)
        return out

    def pick(
        self, start: int, end: int, n: int, rng: np.random.Generator
    ) -> NDArray[np.int64]:
        """Draw the customers of `n` contacts on the day from `start` to `end`,
        weighted by propensity."""
        active = self.active_on(start, end)
        if n == 0 or active.size == 0:
            return np.full(n, -1, dtype=np.int64)
        weights = self.propensity[active]
        cum = np.cumsum(weights)
        draws = rng.random(n) * cum[-1]
        out: NDArray[np.int64] = active[np.searchsorted(cum, draws, side="right")]
        return out


def make_population(
    initial: int,
    period_seconds: int,
    signup_rate_per_month: float,
    rng: np.random.Generator,
) -> Population:
    """Draw the customers: `initial` signed up before the start, more during it.

    Parameters
    ----------
    initial
        Customers at the period start (signed up in the previous six years).
    period_seconds
        Period length (elapsed seconds); new customers sign up uniformly during it.
    signup_rate_per_month
        New customers per 30 days as a share of `initial`.
    rng
        The random generator.

    Returns
    -------
    Population
        The customers, sorted by sign-up time.
    """
    new = int(
        rng.poisson(initial * signup_rate_per_month * (period_seconds / 86_400) / 30.0)
    )
    n = initial + new
    before = -rng.integers(1, 6 * 365 * 86_400, size=initial)
    during = rng.integers(0, period_seconds, size=new)
    signed = np.sort(np.concatenate([before, during])).astype(np.int64)
    segment = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_SHARE).astype(np.int64)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_SHARE).astype(np.int64)
    med = np.asarray(_REVENUE_MEDIAN)[segment]
    sig = np.asarray(_REVENUE_SIGMA)[segment]
    revenue = np.round(med * np.exp(sig * rng.standard_normal(n)), 2)
    propensity = (
        rng.gamma(1.5, 1.0 / 1.5, size=n) * np.asarray(_SEGMENT_CONTACT_RATE)[segment]
    )
    return Population(
        segment=segment,
        region=region,
        signed_up=signed,
        churned=np.full(n, NEVER, dtype=np.int64),
        revenue=revenue.astype(np.float64),
        propensity=propensity.astype(np.float64),
    )


def churn_probability(
    mean_wait_minutes: NDArray[np.float64],
    unresolved: NDArray[np.float64],
    segment: NDArray[np.int64],
    model: ChurnModel,
) -> NDArray[np.float64]:
    """Monthly churn probability of the model in :class:`ChurnModel`."""
    offsets = dict(model.segment_offsets)
    seg_off = np.asarray([offsets[s] for s in SEGMENTS])[segment]
    return logistic(
        model.gamma0
        + model.gamma_wait * mean_wait_minutes
        + model.gamma_unres * unresolved
        + seg_off
    )
