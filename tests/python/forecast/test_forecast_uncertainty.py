"""The interval kernels and metrics at their edges, against hand computations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from opsmart.forecast import (
    aht_bounds,
    count_bounds,
    coverage,
    fit_aht_variance,
    fit_count_variance,
    mase,
    seasonal_naive_scale,
    wape,
)


def test_count_bounds_negative_binomial_by_hand() -> None:
    # mean 20, variance 20 + 0.25 * 20**2 = 120: a gamma-Poisson mixture with a
    # gamma of shape 4 and scale 5 (4 * 5 = 20, 4 * 25 = 100), i.e. a negative
    # binomial with n = 4, p = 1 / (1 + 5)
    lower, upper = count_bounds([20.0], level=0.8, dispersion=1.0, quadratic=0.25)
    expected = stats.nbinom.ppf([0.1, 0.9], 4, 1 / 6)
    assert (lower[0], upper[0]) == tuple(expected)
    np.testing.assert_allclose(stats.nbinom.stats(4, 1 / 6, moments="mv"), (20, 120))


def test_count_bounds_nan_mean_stays_nan() -> None:
    lower, upper = count_bounds([np.nan, 3.0])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert upper[1] >= 3


def test_fit_count_variance_recovers_a_known_dispersion() -> None:
    # errors drawn with variance 3 * mean: the fit finds dispersion about 3 and
    # no quadratic part (standard error of the mean squared Pearson error about
    # 3 * sqrt(2 / 20000) = 0.03)
    rng = np.random.default_rng(0)
    forecast = rng.uniform(10, 100, size=20_000)
    actual = forecast + rng.normal(0, np.sqrt(3 * forecast))
    dispersion, quadratic = fit_count_variance(forecast, actual)
    assert dispersion == pytest.approx(3.0, abs=0.15)
    assert quadratic == pytest.approx(0.0, abs=0.003)


def test_fits_without_usable_pairs() -> None:
    assert fit_count_variance([0.0, np.nan], [1.0, 2.0]) == (1.0, 0.0)
    assert fit_aht_variance([300.0], [np.nan], [0.0]) == (0.0, 0.0)


def test_aht_bounds_nan_where_nothing_is_answered() -> None:
    lower, upper = aht_bounds(
        [300.0, np.nan, 300.0],
        [0.0, 5.0, 1.0],
        per_contact_variance=300.0**2,
        drift_variance=0.0,
        level=0.95,
    )
    assert np.isnan(lower[:2]).all() and np.isnan(upper[:2]).all()
    # one contact: 300 +- 1.96 * 300 s, the lower end floored at 0
    assert lower[2] == 0.0
    assert upper[2] == pytest.approx(300 + 1.959964 * 300)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"level": 1.0}, "`level`"),
        ({"dispersion": 0.5}, "`dispersion`"),
        ({"quadratic": -0.1}, "`quadratic`"),
    ],
)
def test_count_bounds_arguments(options: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        count_bounds([1.0], **options)


def test_count_bounds_negative_mean() -> None:
    with pytest.raises(ValueError, match="`mean` must be >= 0, got -1"):
        count_bounds([-1.0])


def test_aht_bounds_negative_variance() -> None:
    with pytest.raises(ValueError, match="`per_contact_variance`"):
        aht_bounds([1.0], [1.0], per_contact_variance=-1.0, drift_variance=0.0)


def test_metrics_with_nothing_to_score() -> None:
    assert np.isnan(wape([0, 0], [1, 2]))
    assert np.isnan(mase([1, 2], [1, 2], scale=0.0))
    assert np.isnan(seasonal_naive_scale([[1.0, 2.0]]))
    assert np.isnan(coverage([], [], []))
    with pytest.raises(ValueError, match="one shape"):
        wape([1, 2], [1])
