"""opsmart.effects.churn: the monotone logistic fit and the price of waiting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from opsmart.effects import CHURN_OUTPUT_COLUMNS, churn_wait_effects, fit_logistic


def _simulate(
    n: int, b: tuple[float, float, float], seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), rng.exponential(1.0, n), rng.poisson(0.5, n)])
    y = (rng.random(n) < expit(x @ np.asarray(b))).astype(float)
    return x, y


def test_two_group_closed_form() -> None:
    # log-odds log(1/2) at x = 0 and log(3) at x = 1
    x = np.column_stack([np.ones(7), [0, 0, 0, 1, 1, 1, 1]])
    fit = fit_logistic(x, [0, 0, 1, 0, 1, 1, 1], names=["intercept", "x"])
    assert fit.converged
    assert fit.coefficient("intercept") == pytest.approx(np.log(0.5), abs=1e-9)
    assert fit.coefficient("x") == pytest.approx(np.log(3) - np.log(0.5), abs=1e-9)
    # Var of a log-odds from n answers with rate p is 1 / (n p (1 - p))
    se0 = np.sqrt(1 / (3 * (1 / 3) * (2 / 3)))
    se1 = np.sqrt(1 / (4 * 0.75 * 0.25))
    assert fit.std_error[0] == pytest.approx(se0, rel=1e-6)
    assert fit.std_error[1] == pytest.approx(np.hypot(se0, se1), rel=1e-6)


def test_recovers_simulated_coefficients() -> None:
    truth = (-2.0, 0.4, 0.6)
    x, y = _simulate(20_000, truth)
    fit = fit_logistic(x, y, names=["intercept", "wait", "unres"], nonnegative=["wait"])
    assert fit.converged
    assert not fit.is_constrained.any()
    assert np.all(np.abs(fit.estimate - np.asarray(truth)) < 3 * fit.std_error)
    lo, hi = fit.ci()
    assert np.all(lo < fit.estimate) and np.all(fit.estimate < hi)


def test_negative_wait_effect_is_held_at_zero() -> None:
    x, y = _simulate(5_000, (-1.0, -0.8, 0.5), seed=2)
    free = fit_logistic(x, y, names=["intercept", "wait", "unres"])
    held = fit_logistic(
        x, y, names=["intercept", "wait", "unres"], nonnegative=["wait"]
    )
    refit = fit_logistic(x[:, [0, 2]], y, names=["intercept", "unres"])
    assert free.coefficient("wait") < 0
    assert held.coefficient("wait") == 0.0
    assert held.is_constrained.tolist() == [False, True, False]
    assert held.estimate[[0, 2]] == pytest.approx(refit.estimate, rel=1e-9)
    # The standard errors come from the curvature at the held estimate, over
    # every term: the bound gets one too, so its interval is (0, z se).
    p = expit(x @ held.estimate)
    info = x.T @ (x * (p * (1 - p))[:, None])
    np.testing.assert_allclose(held.covariance, np.linalg.inv(info), rtol=1e-9)
    assert held.std_error[1] == pytest.approx(np.sqrt(held.covariance[1, 1]))
    lo, hi = held.ci()
    assert lo[1] == 0.0 and hi[1] == pytest.approx(1.96 * held.std_error[1])
    assert lo[0] < 0 and lo[0] == pytest.approx(
        held.estimate[0] - 1.96 * held.std_error[0]
    )


@pytest.mark.parametrize("block_rows", [1, 999, 5_000])
def test_sums_in_row_blocks_are_the_sums_over_all_rows(
    monkeypatch: pytest.MonkeyPatch, block_rows: int
) -> None:
    # A year's fit sums its rows in blocks (churn._BLOCK_ROWS); blocks of any size,
    # the last one short, give the one-block fit up to rounding, a held term too.
    from opsmart.effects import churn

    x, y = _simulate(5_000, (-1.0, -0.8, 0.5), seed=2)
    names = ["intercept", "wait", "unres"]
    whole = fit_logistic(x, y, names=names, nonnegative=["wait"])
    monkeypatch.setattr(churn, "_BLOCK_ROWS", block_rows)
    blocks = fit_logistic(x, y, names=names, nonnegative=["wait"])
    assert blocks.is_constrained.tolist() == [False, True, False]
    np.testing.assert_allclose(blocks.estimate, whole.estimate, rtol=1e-12)
    np.testing.assert_allclose(blocks.covariance, whole.covariance, rtol=1e-10)
    assert blocks.iterations == whole.iterations


@pytest.mark.parametrize("y", [[0, 0, 0], [1, 1, 1], []])
def test_no_fit_without_both_outcomes(y: list[int]) -> None:
    x = np.ones((len(y), 1))
    fit = fit_logistic(x, y, names=["intercept"])
    assert not fit.converged
    assert np.isnan(fit.estimate).all()


@pytest.mark.parametrize(
    ("x", "y", "names", "nonneg", "match"),
    [
        (np.ones(3), [0, 1, 0], ["a"], (), "must be"),
        (np.ones((3, 1)), [0, 1], ["a"], (), "must be"),
        (np.ones((3, 1)), [0, 1, 0], ["a", "b"], (), "names"),
        (np.ones((3, 1)), [0, 2, 0], ["a"], (), "0 or 1"),
        (np.ones((3, 1)), [0, 1, 0], ["a"], ("b",), "unknown"),
    ],
)
def test_bad_arguments(
    x: np.ndarray, y: list[int], names: list[str], nonneg: tuple[str, ...], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        fit_logistic(x, y, names=names, nonnegative=nonneg)


def _windows() -> pd.DataFrame:
    # churn 1 of 3 at 0 minutes, 2 of 3 at 2 minutes; one segment
    return pd.DataFrame(
        [
            dict(
                segment="consumer",
                mean_wait_minutes=w,
                contacts_unresolved=u,
                contacts_offered=2,
                realtime_contacts_offered=n,
                customer_value_amount=v,
                is_churned=c,
            )
            for w, u, n, v, c in [
                (0.0, 0, 1, 100.0, False),
                (0.0, 1, 1, 100.0, False),
                (0.0, 0, 1, 100.0, True),
                (2.0, 0, 2, 100.0, True),
                (2.0, 1, 2, 100.0, False),
                (2.0, 0, 2, None, True),
            ]
        ]
    )


def test_prices_follow_their_formulas() -> None:
    frame = _windows()
    out = churn_wait_effects(frame).set_index("term")
    assert list(out.reset_index().columns) == list(CHURN_OUTPUT_COLUMNS)
    b = out["estimate"].to_numpy()
    x = np.column_stack(
        [
            np.ones(6),
            frame["mean_wait_minutes"],
            frame["contacts_unresolved"],
        ]
    )
    p = expit(x @ b)
    slope = p * (1 - p)
    v = frame["customer_value_amount"].to_numpy(dtype=float)
    known = ~np.isnan(v)
    n = frame["realtime_contacts_offered"].to_numpy(dtype=float)
    m = frame["contacts_offered"].to_numpy(dtype=float)
    wait = b[1] / 60 * slope
    row = out.iloc[0]
    assert row["customer_windows"] == 6 and row["churned_customer_windows"] == 3
    assert row["churn_per_wait_second_rate"] == pytest.approx(wait.mean())
    assert row["price_per_wait_second_amount"] == pytest.approx(
        (wait * v)[known].sum() / n[known].sum()
    )
    assert row["price_per_unresolved_contact_amount"] == pytest.approx(
        (m * b[2] * slope * v)[known].sum() / m[known].sum()
    )


def test_segment_baseline_is_the_most_frequent() -> None:
    frame = pd.concat([_windows(), _windows().assign(segment="enterprise")[:2]])
    frame.loc[frame.index[-1], "is_churned"] = True
    terms = churn_wait_effects(frame)["term"].tolist()
    assert terms == [
        "intercept",
        "wait_minutes",
        "unresolved_contacts",
        "segment_enterprise",
    ]


def test_no_values_no_price_and_empty_input() -> None:
    out = churn_wait_effects(_windows().assign(customer_value_amount=None))
    assert out["price_per_wait_second_amount"].isna().all()
    empty = churn_wait_effects(_windows().iloc[:0])
    assert empty.empty and list(empty.columns) == list(CHURN_OUTPUT_COLUMNS)
    assert empty["estimate"].dtype == np.float64
    with pytest.raises(KeyError, match="segment"):
        churn_wait_effects(_windows().drop(columns="segment"))


def _price_at(
    beta: np.ndarray,
    frame: pd.DataFrame,
    term: int,
    weight: np.ndarray,
    total: float,
    pbar_hat: float,
) -> float:
    """The price at coefficients `beta`, written out from its definition: customer
    values scale with 1 / (mean fitted churn probability)."""
    x = np.column_stack(
        [np.ones(len(frame)), frame["mean_wait_minutes"], frame["contacts_unresolved"]]
    )
    p = expit(x @ beta)
    value = frame["customer_value_amount"].to_numpy(dtype=float) * pbar_hat / p.mean()
    known = ~np.isnan(value)
    return float(beta[term] * np.sum((weight * p * (1 - p) * value)[known]) / total)


def _simulated_windows(n: int, wait_effect: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    waits = rng.exponential(1.5, n)
    unresolved = rng.poisson(0.6, n)
    p = expit(-2.5 + wait_effect * waits + 0.5 * unresolved)
    return pd.DataFrame(
        {
            "segment": "consumer",
            "mean_wait_minutes": waits,
            "contacts_unresolved": unresolved,
            "contacts_offered": unresolved + rng.poisson(1.0, n),
            "realtime_contacts_offered": rng.integers(1, 4, n),
            "monthly_margin": rng.gamma(2.0, 20.0, n),
            "is_churned": rng.random(n) < p,
            "true_p": p,
        }
    )


def _with_values(frame: pd.DataFrame) -> pd.DataFrame:
    # as int_customer_windows_aggregated: margin / observed churn rate
    return frame.assign(
        customer_value_amount=frame["monthly_margin"] / frame["is_churned"].mean()
    )


def test_price_standard_errors_are_the_delta_method() -> None:
    frame = _with_values(_simulated_windows(3_000, 0.3, seed=5))
    frame.loc[:9, "customer_value_amount"] = None  # unknown values count nowhere
    out = churn_wait_effects(frame).set_index("term")
    cov = fit_logistic(
        np.column_stack(
            [np.ones(3_000), frame["mean_wait_minutes"], frame["contacts_unresolved"]]
        ),
        frame["is_churned"].astype(float),
        names=["intercept", "wait", "unres"],
        nonnegative=["wait"],
    ).covariance
    beta = out["estimate"].to_numpy()
    known = frame["customer_value_amount"].notna().to_numpy()
    pbar_hat = frame["is_churned"].mean()
    offered = frame["contacts_offered"]
    cases = [
        ("wait_second", 1, np.full(3_000, 1 / 60), frame["realtime_contacts_offered"]),
        ("unresolved_contact", 2, offered.to_numpy(float), offered),
    ]
    for name, term, weight, counts in cases:
        total = float(counts.to_numpy(float)[known].sum())
        price = _price_at(beta, frame, term, weight, total, pbar_hat)
        grad = np.zeros(3)
        for j in range(3):
            step = np.zeros(3)
            step[j] = 1e-6
            grad[j] = (
                _price_at(beta + step, frame, term, weight, total, pbar_hat)
                - _price_at(beta - step, frame, term, weight, total, pbar_hat)
            ) / 2e-6
        row = out.iloc[0]
        assert row[f"price_per_{name}_amount"] == pytest.approx(price, rel=1e-9)
        se = np.sqrt(grad @ cov @ grad)
        assert row[f"price_per_{name}_std_error"] == pytest.approx(se, rel=1e-5)
        assert row[f"price_per_{name}_upper_amount"] == pytest.approx(price + 1.96 * se)


def _true_price(frame: pd.DataFrame, wait_effect: float) -> float:
    # b_w / 60 * p (1 - p) * margin / E[churn rate], over real-time contacts
    p = frame["true_p"].to_numpy()
    value = frame["monthly_margin"].to_numpy() / p.mean()
    lost = np.sum(wait_effect / 60 * p * (1 - p) * value)
    return float(lost / frame["realtime_contacts_offered"].sum())


def test_price_interval_covers_the_true_price() -> None:
    # 300 simulated centers of 2,000 windows: the 95 % interval of the price of a
    # waiting second should cover the true price in about 95 % of them (binomial
    # sd 1.3 points at 300; 90 % is 3.9 sd below), whose values depend on the fit
    # through the churn rate as the warehouse's do.
    covered = []
    for seed in range(300):
        frame = _simulated_windows(2_000, 0.3, seed=100 + seed)
        row = churn_wait_effects(_with_values(frame)).iloc[0]
        truth = _true_price(frame, 0.3)
        low = row["price_per_wait_second_lower_amount"]
        high = row["price_per_wait_second_upper_amount"]
        covered.append(low <= truth <= high)
    assert 0.90 <= np.mean(covered) <= 0.99


def test_no_wait_effect_gives_a_price_range_from_zero() -> None:
    # Waiting does not change churn: the price's range should include 0 in at
    # least 97.5 % of centers less chance (one-sided: held at 0, or its lower end
    # cut at 0); over 200 centers allow 90 %.
    includes_zero = []
    for seed in range(200):
        frame = _simulated_windows(2_000, 0.0, seed=1_000 + seed)
        row = churn_wait_effects(_with_values(frame)).iloc[0]
        includes_zero.append(row["price_per_wait_second_lower_amount"] == 0.0)
        assert row["price_per_wait_second_upper_amount"] > 0.0
    assert np.mean(includes_zero) >= 0.90
