"""The notebook baseline's ``rpt_cost_vs_satisfaction``: cost, CSAT, NPS and churn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opsmart.bench._frames import decimal4, ratio, read_source, utc

__all__ = ["rpt_cost_vs_satisfaction"]

UNIT_PERIOD = ["dimension_type", "dimension_value", "period_grain", "period_start_date"]
#: rpt_cost_vs_satisfaction's units: dimension type -> column of the contacts frame.
DIMENSIONS = {
    "queue": "queue_id",
    "channel": "channel",
    "segment": "segment",
    "team": "team_id",
}
_GRAINS = ("week", "month")


def rpt_cost_vs_satisfaction(
    landing_dir: Path,
    contacts: pd.DataFrame,
    contact_costs: pd.DataFrame,
    queues: pd.DataFrame,
) -> pd.DataFrame:
    """Cost, CSAT, NPS and churn per unit (queue, channel, segment, team) x period."""
    customers = read_source(landing_dir, "customers")
    customers["churned_date"] = utc(customers["churned_at"]).dt.normalize()
    responses = read_source(landing_dir, "survey_responses")
    responses["survey_type"] = responses["survey_type"].str.lower()
    responses["responded_date"] = utc(responses["responded_at"]).dt.normalize()

    c = _contacts_costed_and_rated(contacts, contact_costs, responses)
    c = _with_units_and_churn(c, queues, customers)
    units = _contacts_per_unit_period(c)
    unit_customers = _unit_customers(units)
    return _report(
        _contacts_summed(units),
        _customers_summed(unit_customers),
        _nps_summed(responses, unit_customers),
    )


def _period_start(day: pd.Series, grain: str) -> pd.Series:
    """First day of the ISO week (Monday) or month of each day."""
    if grain == "week":
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    return day.dt.to_period("M").dt.to_timestamp()


def _contacts_costed_and_rated(
    contacts: pd.DataFrame, contact_costs: pd.DataFrame, responses: pd.DataFrame
) -> pd.DataFrame:
    """Each contact with its share of the payroll and its CSAT answers."""
    # A handled contact's share of its queue-day's payroll.
    c = contacts.merge(contact_costs, on="contact_id", how="left")

    # CSAT answers about each contact: how many, how many in the top two boxes.
    csat = responses[responses["survey_type"] == "csat"]
    csat_per_contact = (
        csat.assign(is_top2box=csat["score"] >= csat["scale_max"] - 1)
        .groupby("contact_id")
        .agg(csat_responses=("is_top2box", "size"), csat_top2box=("is_top2box", "sum"))
    )
    return c.merge(csat_per_contact, on="contact_id", how="left")


def _with_units_and_churn(
    c: pd.DataFrame, queues: pd.DataFrame, customers: pd.DataFrame
) -> pd.DataFrame:
    """The unit columns and the customer's churn, merged once before the fan-out."""
    c = c.merge(queues[["queue_id", "team_id"]], on="queue_id", how="left").merge(
        customers[["customer_id", "segment", "churned_date"]].assign(in_crm=True),
        on="customer_id",
        how="left",
    )
    c["segment"] = c["segment"].fillna("unknown")
    c["team_id"] = c["team_id"].fillna("unknown")
    c["in_crm"] = c["in_crm"].fillna(False).astype(bool)
    return c


def _contacts_per_unit_period(c: pd.DataFrame) -> pd.DataFrame:
    """One row per contact x unit x period grain."""
    columns = [
        "contact_id",
        "customer_id",
        "is_answered",
        "cost_amount",
        "csat_responses",
        "csat_top2box",
        "in_crm",
        "churned_date",
    ]
    return pd.concat(
        [
            c[columns].assign(
                dimension_type=dimension,
                dimension_value=c[column],
                period_grain=grain,
                period_start_date=_period_start(c["arrived_date"], grain),
            )
            for dimension, column in DIMENSIONS.items()
            for grain in _GRAINS
        ],
        ignore_index=True,
    )


def _contacts_summed(units: pd.DataFrame) -> pd.DataFrame:
    """Per unit x period: contacts handled and costed, their cost, CSAT answers."""
    by_unit = units.groupby(UNIT_PERIOD)
    summed = (
        by_unit[["is_answered", "csat_responses", "csat_top2box"]]
        .sum()
        .rename(columns={"is_answered": "contacts_handled"})
    )
    summed["staff_cost_amount"] = by_unit["cost_amount"].sum(min_count=1)
    summed["contacts_costed"] = by_unit["cost_amount"].count()
    return summed


def _unit_customers(units: pd.DataFrame) -> pd.DataFrame:
    """The unit's customers and whether each churned in the period.

    Known customers with a contact of the unit in the period, once each.
    """
    unit_customers = units.loc[
        units["customer_id"].notna(),
        [*UNIT_PERIOD, "customer_id", "in_crm", "churned_date"],
    ].drop_duplicates(subset=[*UNIT_PERIOD, "customer_id"])
    start = unit_customers["period_start_date"]
    next_start = (start + pd.Timedelta(days=7)).where(
        unit_customers["period_grain"] == "week", start + pd.offsets.MonthBegin(1)
    )
    unit_customers["churned"] = (unit_customers["churned_date"] >= start) & (
        unit_customers["churned_date"] < next_start
    )
    return unit_customers


def _customers_summed(unit_customers: pd.DataFrame) -> pd.DataFrame:
    """Per unit x period: customers served, in the CRM, churned."""
    return unit_customers.groupby(UNIT_PERIOD).agg(
        customers_served=("customer_id", "size"),
        customers_in_crm=("in_crm", "sum"),
        customers_churned=("churned", "sum"),
    )


def _nps_summed(responses: pd.DataFrame, unit_customers: pd.DataFrame) -> pd.DataFrame:
    """Per unit x period: the NPS answers its customers gave in the period."""
    nps = responses[
        (responses["survey_type"] == "nps") & responses["customer_id"].notna()
    ]
    nps = nps.assign(
        nps_promoters=nps["score"] >= 9,
        nps_detractors=(nps["score"] >= 0) & (nps["score"] < 7),
    )
    nps = pd.concat(
        [
            nps.assign(
                period_grain=grain,
                period_start_date=_period_start(nps["responded_date"], grain),
            )
            for grain in _GRAINS
        ]
    )
    answering = unit_customers[unit_customers["customer_id"].isin(nps["customer_id"])]
    return (
        answering[[*UNIT_PERIOD, "customer_id"]]
        .merge(nps, on=["customer_id", "period_grain", "period_start_date"])
        .groupby(UNIT_PERIOD)
        .agg(
            nps_responses=("nps_promoters", "size"),
            nps_promoters=("nps_promoters", "sum"),
            nps_detractors=("nps_detractors", "sum"),
        )
    )


def _report(
    summed: pd.DataFrame, customers_summed: pd.DataFrame, nps_summed: pd.DataFrame
) -> pd.DataFrame:
    """The report's columns: the unit's sums, then the ratios on them."""
    r = summed.join([customers_summed, nps_summed]).reset_index()
    counts = [
        "customers_served",
        "csat_responses",
        "nps_responses",
        "customers_in_crm",
        "customers_churned",
    ]
    r[counts] = r[counts].fillna(0).astype("int64")
    return r[[*UNIT_PERIOD, "contacts_handled", "customers_served"]].assign(
        staff_cost_amount=decimal4(r["staff_cost_amount"]),
        cost_per_contact_amount=decimal4(
            ratio(r["staff_cost_amount"], r["contacts_costed"])
        ),
        csat_responses=r["csat_responses"],
        csat_rate=ratio(r["csat_top2box"], r["csat_responses"]),
        nps_responses=r["nps_responses"],
        nps=100.0 * ratio(r["nps_promoters"] - r["nps_detractors"], r["nps_responses"]),
        customers_in_crm=r["customers_in_crm"],
        customers_churned=r["customers_churned"],
        churn_rate=ratio(r["customers_churned"], r["customers_in_crm"]),
    )
