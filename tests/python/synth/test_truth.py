"""The true effects in truth.json are recoverable from the generated data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from synth_helpers import read_source

from opsmart.synth import GenerateSummary


def logit_fit(
    x: np.ndarray, y: np.ndarray, steps: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression by Newton steps; (beta, std errors)."""
    beta = np.zeros(x.shape[1])
    hessian = np.eye(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ beta))
        grad = x.T @ (y - p)
        hessian = x.T @ (x * (p * (1 - p))[:, None])
        step = np.linalg.solve(hessian, grad)
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    return beta, np.sqrt(np.diag(np.linalg.inv(hessian)))


def _truth(summary: GenerateSummary) -> dict:  # type: ignore[type-arg]
    return json.loads((summary.out_dir / "truth.json").read_text())


def test_truth_json(medium: GenerateSummary) -> None:
    truth = _truth(medium)
    assert truth["row_counts"] == medium.rows
    assert truth["csat"]["beta_wait"] < 0 and truth["csat"]["beta_unres"] < 0
    assert truth["churn"]["gamma_wait"] > 0 and truth["churn"]["gamma_unres"] > 0
    assert len(truth["staffing"]["day_factors"]) == medium.days
    assert sum(w["churned"] for w in truth["churn"]["windows"]) > 0


def test_csat_logistic_recovers_effects(
    medium: GenerateSummary, medium_contacts: pd.DataFrame, medium_surveys: pd.DataFrame
) -> None:
    truth = _truth(medium)["csat"]
    csat = medium_surveys[medium_surveys["survey_type"] == "csat"]
    data = csat.merge(medium_contacts, on="contact_id", how="inner")
    assert len(data) == len(csat) > 1000
    wait = data["wait_seconds"].astype(float).to_numpy() / 60
    unresolved = (data["is_resolved"] != "true").to_numpy().astype(float)
    y = (data["score"].astype(float) >= 4).to_numpy().astype(float)
    x = np.column_stack([np.ones(len(y)), wait, unresolved])
    beta, se = logit_fit(x, y)
    for value, err, key in zip(
        beta, se, ("alpha", "beta_wait", "beta_unres"), strict=True
    ):
        assert abs(value - truth[key]) < 3 * err, (key, value, err, truth[key])
    assert beta[1] + 2 * se[1] < 0  # the wait effect is detectable


def _window_covariates(contacts: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    day = contacts["arrived_at"].str[:10]
    c = contacts[(day >= first) & (day <= last) & (contacts["customer_id"] != "")]
    offered = c[c["outcome"].isin(["handled", "abandoned", "flowout"])]
    rt = offered[offered["channel"].isin(["voice", "chat"])]
    wait = (rt["wait_seconds"].astype(float) / 60).groupby(rt["customer_id"]).mean()
    unres = (offered["is_resolved"] != "true").groupby(offered["customer_id"]).sum()
    return pd.DataFrame({"w": wait, "u": unres}).fillna(0.0)


def test_churn_depends_on_service(
    medium: GenerateSummary, medium_contacts: pd.DataFrame
) -> None:
    truth = _truth(medium)["churn"]
    customers = read_source(medium.out_dir, "customers")
    start = pd.Timestamp(medium.start_date)
    rows = []
    for window in truth["windows"]:
        first = (start + pd.Timedelta(days=window["first_day"])).strftime("%Y-%m-%d")
        last = (start + pd.Timedelta(days=window["last_day"])).strftime("%Y-%m-%d")
        end = (start + pd.Timedelta(days=window["last_day"] + 1)).strftime("%Y-%m-%d")
        at_risk = customers[
            (customers["signed_up_at"].str[:10] < end)
            & (
                (customers["churned_at"] == "")
                | (customers["churned_at"].str[:10] >= last)
            )
        ].set_index("customer_id")
        cov = (
            _window_covariates(medium_contacts, first, last)
            .reindex(at_risk.index)
            .fillna(0)
        )
        cov["segment"] = at_risk["segment"]
        cov["churn"] = (at_risk["churned_at"].str[:10] == last).astype(float)
        assert len(cov) == window["at_risk"]
        assert int(cov["churn"].sum()) == window["churned"]
        rows.append(cov)
    data = pd.concat(rows)
    long_wait = data["w"] > 2
    assert (
        data.loc[long_wait, "churn"].mean()
        > 2 * data.loc[data["w"] == 0, "churn"].mean()
    )
    x = np.column_stack(
        [
            np.ones(len(data)),
            data["w"],
            data["u"],
            data["segment"] == "small_business",
            data["segment"] == "enterprise",
        ]
    ).astype(float)
    beta, se = logit_fit(x, data["churn"].to_numpy())
    offsets = dict(truth["segment_offsets"])
    expected = [
        truth["gamma0"],
        truth["gamma_wait"],
        truth["gamma_unres"],
        offsets["small_business"],
        offsets["enterprise"],
    ]
    for value, err, true in zip(beta, se, expected, strict=True):
        assert abs(value - true) < 3.5 * err, (value, err, true)


def test_nps_lower_after_bad_service(
    medium: GenerateSummary, medium_contacts: pd.DataFrame, medium_surveys: pd.DataFrame
) -> None:
    nps = medium_surveys[medium_surveys["survey_type"] == "nps"]
    assert (nps["contact_id"] == "").all() and (nps["customer_id"] != "").all()
    scores = nps["score"].astype(int)
    assert scores.between(0, 10).all()
    unresolved_customers = set(
        medium_contacts.loc[
            medium_contacts["outcome"].isin(["abandoned", "flowout"])
            | (medium_contacts["is_resolved"] == "false"),
            "customer_id",
        ]
    )
    bad = nps["customer_id"].isin(unresolved_customers)
    assert bad.sum() > 50
    assert scores[bad].mean() < scores[~bad].mean() - 0.3


def test_comments_follow_the_experience(
    medium_contacts: pd.DataFrame, medium_surveys: pd.DataFrame
) -> None:
    csat = medium_surveys[medium_surveys["survey_type"] == "csat"].merge(
        medium_contacts, on="contact_id"
    )
    with_comment = csat[csat["comment"] != ""]
    assert 0.25 < len(with_comment) / len(csat) < 0.35
    wait_words = with_comment["comment"].str.contains("wait|hold|long|ages", case=False)
    long_wait = with_comment["wait_seconds"].astype(float) >= 180
    assert wait_words[long_wait].mean() > 0.6
    assert wait_words[~long_wait].mean() < 0.2


def test_csat_arrives_late(
    medium_surveys: pd.DataFrame, medium_contacts: pd.DataFrame
) -> None:
    csat = medium_surveys[medium_surveys["survey_type"] == "csat"].merge(
        medium_contacts[["contact_id", "ended_at"]], on="contact_id"
    )
    lag = (
        pd.to_datetime(csat["responded_at"].str[:10])
        - pd.to_datetime(csat["ended_at"].str[:10])
    ).dt.days
    assert lag.min() >= 0 and lag.max() <= 4
    assert (lag > 0).mean() > 0.3


def test_contacts_within_customer_lifetime(
    medium: GenerateSummary, medium_contacts: pd.DataFrame
) -> None:
    customers = read_source(medium.out_dir, "customers").set_index("customer_id")
    known = medium_contacts[medium_contacts["customer_id"] != ""]
    life = customers.loc[known["customer_id"]]
    arrived = pd.to_datetime(known["arrived_at"].to_numpy(), format="ISO8601")
    signed = pd.to_datetime(life["signed_up_at"].to_numpy(), format="ISO8601")
    assert (arrived >= signed).all()
    churned = life["churned_at"].to_numpy() != ""
    assert churned.sum() > 0
    churn_at = pd.to_datetime(life["churned_at"].to_numpy()[churned], format="ISO8601")
    assert (arrived[churned] < churn_at).all()
