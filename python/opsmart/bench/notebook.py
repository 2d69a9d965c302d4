"""The notebook baseline: the headline marts in plain pandas.

What an analyst would write in a notebook: read the landing files with
``pd.read_csv`` / ``pd.read_parquet``, flag the contacts, ``groupby`` them to
queue x interval, ``merge`` the agent intervals, the queue lengths and the seed, and
roll up. It computes ``fct_queue_intervals``, ``fct_queue_days`` and
``rpt_cost_vs_satisfaction`` with the marts' definitions at the default vars. The
Erlang C / Erlang A baselines come from the pipeline's kernel,
:func:`opsmart.queueing.interval_baselines`, called on the queue x interval frame
exactly as the dbt Python model ``int_queue_interval_baselines_computed`` calls it.
The report's steps are in :mod:`opsmart.bench._cost_vs_satisfaction`.

Three details follow the warehouse rather than pandas' habits: a ratio with a zero
denominator is NaN (the marts' ``safe_divide``), not ``inf``; a sum over nothing
but missing values is NaN (SQL ``sum``), hence ``min_count=1``; and money is
rounded to 4 decimals, half away from zero, wherever the marts cast it to
``DECIMAL(18, 4)`` (helpers in :mod:`opsmart.bench._frames`).

Like :mod:`opsmart.bench.floor`, it does not ingest (no quarantine, no
de-duplication), validate, test or export, so it expects a clean landing directory
(as the demo generator writes it) with all five sources.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opsmart.bench._cost_vs_satisfaction import rpt_cost_vs_satisfaction
from opsmart.bench._frames import decimal4, ratio, read_source, utc
from opsmart.bench._shared import VARS, queues_seed, with_baselines

__all__ = ["compute"]

INTERVAL = pd.Timedelta(minutes=VARS["interval_minutes"])
INTERVAL_SECONDS = VARS["interval_minutes"] * 60
QUEUE_INTERVAL = ["queue_id", "interval_start_at"]
QUEUE_DAY = ["queue_id", "interval_date"]


def _seconds(values: pd.Series) -> pd.Series:
    """A duration in seconds, to the microsecond."""
    return pd.to_timedelta((values * 1e6).round(), unit="us")


def _contacts(landing_dir: Path, queues: pd.DataFrame) -> pd.DataFrame:
    """One row per contact: UTC times, durations, flags, interval, queue times."""
    c = read_source(landing_dir, "contacts")
    c["channel"] = c["channel"].str.lower()
    c["outcome"] = c["outcome"].str.lower()
    for column in ["arrived_at", "answered_at", "ended_at"]:
        c[column] = utc(c[column])
    c["ivr_seconds"] = c["ivr_seconds"].fillna(0)
    c["hold_seconds"] = c["hold_seconds"].fillna(0)
    c["acw_seconds"] = c["acw_seconds"].fillna(0)
    # Durations not reported are derived from the timestamps (data contract).
    handled = c["outcome"] == "handled"
    arrived = c["arrived_at"]
    derived_wait = np.where(
        handled,
        (c["answered_at"] - arrived).dt.total_seconds() - c["ivr_seconds"],
        np.where(
            c["outcome"] == "contained",
            0.0,
            (c["ended_at"] - arrived).dt.total_seconds() - c["ivr_seconds"],
        ),
    )
    c["wait_seconds"] = c["wait_seconds"].fillna(pd.Series(derived_wait, c.index))
    derived_talk = np.where(
        handled,
        (c["ended_at"] - c["answered_at"]).dt.total_seconds() - c["hold_seconds"],
        0.0,
    )
    c["talk_seconds"] = c["talk_seconds"].fillna(pd.Series(derived_talk, c.index))

    c = c.merge(queues[["queue_id", "sl_threshold_seconds"]], on="queue_id", how="left")
    c["handle_time_seconds"] = c["talk_seconds"] + c["hold_seconds"] + c["acw_seconds"]
    c["is_offered"] = c["outcome"].isin(["handled", "abandoned", "flowout"])
    c["is_answered"] = c["outcome"] == "handled"
    c["is_abandoned"] = c["outcome"] == "abandoned"
    c["is_answered_within_threshold"] = c["is_answered"] & (
        c["wait_seconds"] <= c["sl_threshold_seconds"]
    )
    c["is_short_abandon"] = c["is_abandoned"] & (
        c["wait_seconds"] <= VARS["short_abandon_seconds"]
    )
    c["arrived_date"] = c["arrived_at"].dt.normalize()
    c["interval_start_at"] = c["arrived_at"].dt.floor(INTERVAL)
    c["queued_at"] = c["arrived_at"] + _seconds(c["ivr_seconds"])
    c["left_queue_at"] = c["queued_at"] + _seconds(c["wait_seconds"])
    return c


def _contact_intervals(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts counted and summed per queue x interval."""
    answered = contacts["is_answered"]
    per_contact = contacts.assign(
        handling_agent_id=contacts["agent_id"].where(answered),
        answered_wait_seconds=contacts["wait_seconds"].where(answered, 0.0),
        offered_wait_seconds=contacts["wait_seconds"].where(
            contacts["is_offered"], 0.0
        ),
        handle_time_seconds=contacts["handle_time_seconds"].where(answered, 0.0),
    )
    return per_contact.groupby(QUEUE_INTERVAL, as_index=False).agg(
        contacts_offered=("is_offered", "sum"),
        contacts_answered=("is_answered", "sum"),
        contacts_abandoned=("is_abandoned", "sum"),
        contacts_answered_within_threshold=("is_answered_within_threshold", "sum"),
        contacts_short_abandoned=("is_short_abandon", "sum"),
        agents_handling=("handling_agent_id", "nunique"),
        answered_wait_seconds=("answered_wait_seconds", "sum"),
        offered_wait_seconds=("offered_wait_seconds", "sum"),
        handle_time_seconds=("handle_time_seconds", "sum"),
    )


def _agent_intervals(landing_dir: Path) -> pd.DataFrame:
    """Agent states and staff cost per queue x interval (team rate of the day)."""
    a = read_source(landing_dir, "agent_intervals")
    a["source_start_at"] = utc(a["interval_start"])
    a["day"] = a["source_start_at"].dt.normalize()
    costs = read_source(landing_dir, "costs")
    costs["day"] = pd.to_datetime(costs["effective_from"]).dt.as_unit("us")
    costs["rate"] = decimal4(costs["loaded_cost_per_agent_hour"].astype(float))
    # The rate in force: the team's latest effective_from on or before the day.
    a = pd.merge_asof(
        a.sort_values("day"),
        costs[["team_id", "day", "rate"]].sort_values("day"),
        on="day",
        by="team_id",
    )
    a["staff_cost_amount"] = decimal4(a["staffed_seconds"] / 3600.0 * a["rate"])
    a["interval_start_at"] = a["source_start_at"].dt.floor(INTERVAL)
    summed = a.groupby(QUEUE_INTERVAL, as_index=False).agg(
        staffed_seconds=("staffed_seconds", "sum"),
        available_seconds=("available_seconds", "sum"),
        handling_seconds=("handling_seconds", "sum"),
    )
    # A sum of DECIMAL(18, 4) amounts is exact: round the float sum back to it.
    cost = a.groupby(QUEUE_INTERVAL)["staff_cost_amount"].sum(min_count=1)
    return summed.merge(decimal4(cost).reset_index(), on=QUEUE_INTERVAL)


def _contact_costs(contacts: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Each queue-day's payroll over its handled contacts by handle time.

    Equal shares where the day's contacts have no handle time; each contact gets
    the day's cost allocated up to it minus up to the one before (contact_id order),
    both rounded to 4 decimals, so a day's contacts add up to its payroll exactly.
    """
    h = contacts.loc[
        contacts["is_answered"], ["contact_id", "queue_id", "interval_start_at"]
    ].assign(
        interval_date=contacts["interval_start_at"].dt.normalize(),
        weight=contacts["handle_time_seconds"].fillna(0.0),
    )
    payroll = (
        agents.assign(interval_date=agents["interval_start_at"].dt.normalize())
        .groupby(QUEUE_DAY)["staff_cost_amount"]
        .sum(min_count=1)
    )
    h = h.merge(decimal4(payroll).reset_index(), on=QUEUE_DAY, how="left")
    h = h.sort_values([*QUEUE_DAY, "contact_id"], ignore_index=True)
    day = h.groupby(QUEUE_DAY)["weight"]
    h["weight"] = h["weight"].where(day.transform("sum") > 0, 1.0)
    running = h.groupby(QUEUE_DAY)["weight"].cumsum()
    day_total = running.groupby([h["queue_id"], h["interval_date"]]).transform("max")
    to_date = decimal4(h["staff_cost_amount"] * running / day_total)
    before = to_date.groupby([h["queue_id"], h["interval_date"]]).shift(fill_value=0.0)
    h["cost_amount"] = decimal4(to_date - before)
    return h[["contact_id", "cost_amount"]]


def _queue_lengths(contacts: pd.DataFrame) -> pd.DataFrame:
    """Time waiting and peak number waiting per queue x interval."""
    waits = contacts.loc[
        contacts["is_offered"] & (contacts["wait_seconds"] > 0),
        ["queue_id", "queued_at", "left_queue_at"],
    ].reset_index(drop=True)

    # Each wait split over the intervals it touches.
    first = waits["queued_at"].dt.floor(INTERVAL)
    touched = (waits["left_queue_at"].dt.floor(INTERVAL) - first) // INTERVAL + 1
    split = waits.loc[waits.index.repeat(touched)]
    nth = split.groupby(level=0).cumcount().to_numpy()
    split = split.reset_index(drop=True)
    start = split["queued_at"].dt.floor(INTERVAL) + nth * INTERVAL
    end = start + INTERVAL
    split = split.assign(
        interval_start_at=start,
        waiting_seconds=(
            split["left_queue_at"].where(split["left_queue_at"] < end, end)
            - split["queued_at"].where(split["queued_at"] > start, start)
        ).dt.total_seconds(),
        is_waiting_at_start=(split["queued_at"] < start)
        & (split["left_queue_at"] > start),
    )
    summed = (
        split[split["waiting_seconds"] > 0]
        .groupby(QUEUE_INTERVAL, as_index=False)
        .agg(
            waiting_seconds=("waiting_seconds", "sum"),
            waiting_at_start=("is_waiting_at_start", "sum"),
        )
    )

    # Number waiting after each arrival (+1) and departure (-1); departures first.
    events = pd.concat(
        [
            waits[["queue_id"]].assign(event_at=waits["queued_at"], change=1),
            waits[["queue_id"]].assign(event_at=waits["left_queue_at"], change=-1),
        ],
        ignore_index=True,
    ).sort_values(["queue_id", "event_at", "change"])
    events["waiting"] = events.groupby("queue_id")["change"].cumsum()
    events["interval_start_at"] = events["event_at"].dt.floor(INTERVAL)
    peaks = events.groupby(QUEUE_INTERVAL, as_index=False)["waiting"].max()

    lengths = summed.merge(peaks, on=QUEUE_INTERVAL, how="left")
    lengths["max_queue_length"] = np.maximum(
        lengths["waiting_at_start"], lengths["waiting"].fillna(0)
    )
    return lengths[[*QUEUE_INTERVAL, "waiting_seconds", "max_queue_length"]]


def _queue_intervals(
    contacts: pd.DataFrame, agents: pd.DataFrame, queues: pd.DataFrame
) -> pd.DataFrame:
    """Queue x interval workload with the Erlang baselines appended."""
    per_contacts = _contact_intervals(contacts)
    allocated = (
        contacts.merge(_contact_costs(contacts, agents), on="contact_id")
        .groupby(QUEUE_INTERVAL)["cost_amount"]
        .sum(min_count=1)
        .rename("allocated_staff_cost_amount")
    )
    per_contacts = per_contacts.merge(
        decimal4(allocated).reset_index(), on=QUEUE_INTERVAL, how="left"
    )
    lengths = _queue_lengths(contacts)
    keys = pd.concat(
        [per_contacts[QUEUE_INTERVAL], agents[QUEUE_INTERVAL], lengths[QUEUE_INTERVAL]]
    ).drop_duplicates()
    q = (
        keys.merge(per_contacts, on=QUEUE_INTERVAL, how="left")
        .merge(agents, on=QUEUE_INTERVAL, how="left")
        .merge(lengths, on=QUEUE_INTERVAL, how="left")
        .merge(queues, on="queue_id", how="left")
        .sort_values(QUEUE_INTERVAL, ignore_index=True)
    )
    q["interval_seconds"] = INTERVAL_SECONDS
    q["interval_date"] = q["interval_start_at"].dt.normalize()
    q["aht_seconds"] = ratio(q["handle_time_seconds"], q["contacts_answered"])
    q["staffed_agents"] = (q["staffed_seconds"] / INTERVAL_SECONDS).fillna(
        q["agents_handling"]
    )
    q["is_staffing_estimated"] = q["staffed_seconds"].isna()
    counts = [
        "contacts_offered",
        "contacts_answered",
        "contacts_abandoned",
        "contacts_answered_within_threshold",
        "contacts_short_abandoned",
        "max_queue_length",
    ]
    q[counts] = q[counts].fillna(0).astype("int64")
    sums = [
        "answered_wait_seconds",
        "offered_wait_seconds",
        "handle_time_seconds",
        "waiting_seconds",
    ]
    q[sums] = q[sums].fillna(0.0)

    # Per queue and UTC day: the AHT standing in where nothing was answered, and
    # patience = time waited by all offered contacts / abandons.
    day = q.groupby(QUEUE_DAY)
    day_aht = ratio(
        day["handle_time_seconds"].transform("sum"),
        day["contacts_answered"].transform("sum"),
    )
    q["workload_aht_seconds"] = q["aht_seconds"].fillna(day_aht)
    q["patience_seconds"] = ratio(
        day["offered_wait_seconds"].transform("sum"),
        day["contacts_abandoned"].transform("sum"),
    )
    return with_baselines(q)


def _contact_rates(counts: pd.DataFrame) -> dict[str, pd.Series]:
    """Service level, abandonment rate and ASA from summed contact counts."""
    answered = counts["contacts_answered"]
    return {
        "service_level_rate": ratio(
            counts["contacts_answered_within_threshold"],
            answered + counts["contacts_abandoned"],
        ),
        "abandonment_rate": ratio(
            counts["contacts_abandoned"], counts["contacts_offered"]
        ),
        "asa_seconds": ratio(counts["answered_wait_seconds"], answered),
    }


def _fct_queue_intervals(q: pd.DataFrame) -> pd.DataFrame:
    answered = q["contacts_answered"]
    out = q[[*QUEUE_INTERVAL, "channel"]].assign(
        contacts_offered=q["contacts_offered"],
        contacts_answered=answered,
        contacts_abandoned=q["contacts_abandoned"],
        contacts_answered_within_threshold=q["contacts_answered_within_threshold"],
        **_contact_rates(q),
        aht_seconds=q["aht_seconds"],
        avg_queue_length=q["waiting_seconds"] / q["interval_seconds"],
        max_queue_length=q["max_queue_length"],
        staffed_agents=q["staffed_agents"].where(~q["is_staffing_estimated"]),
        baseline_staffed_agents=q["staffed_agents"],
        occupancy_rate=ratio(
            q["handling_seconds"], q["handling_seconds"] + q["available_seconds"]
        ),
        utilization_rate=ratio(q["handling_seconds"], q["staffed_seconds"]),
        staff_cost_amount=q["staff_cost_amount"],
        allocated_staff_cost_amount=q["allocated_staff_cost_amount"],
        cost_per_contact_amount=decimal4(
            ratio(q["allocated_staff_cost_amount"], answered)
        ),
        cost_per_handle_second_amount=ratio(
            q["allocated_staff_cost_amount"], q["handle_time_seconds"]
        ),
    )
    baselines = [
        "patience_seconds",
        "traffic_erlangs",
        "erlang_c_service_level_rate",
        "erlang_c_asa_seconds",
        "erlang_a_service_level_rate",
        "erlang_a_abandonment_rate",
        "required_agents_erlang_c",
        "required_agents_erlang_a",
        "staffing_gap_agents",
        "is_staffing_estimated",
    ]
    return pd.concat([out, q[baselines]], axis=1)


def _fct_queue_days(q: pd.DataFrame) -> pd.DataFrame:
    """Queue x day: the day's sums, then the same ratios (never a mean of ratios)."""
    q = q.assign(
        required_agent_hours_erlang_a=q["required_agents_erlang_a"]
        * q["interval_seconds"]
        / 3600.0,
        erlang_a_answered_within_threshold=q["erlang_a_service_level_rate"]
        * q["contacts_offered"],
    )
    day = q.groupby(QUEUE_DAY)
    d = day[
        [
            "contacts_offered",
            "contacts_answered",
            "contacts_abandoned",
            "contacts_answered_within_threshold",
            "answered_wait_seconds",
            "handle_time_seconds",
        ]
    ].sum()
    # Sums of columns that can be missing are missing when all are (SQL sum).
    nullable = [
        "staffed_seconds",
        "available_seconds",
        "handling_seconds",
        "staff_cost_amount",
        "allocated_staff_cost_amount",
        "required_agent_hours_erlang_a",
        "erlang_a_answered_within_threshold",
    ]
    d[nullable] = day[nullable].sum(min_count=1)
    d["channel"] = day["channel"].max()
    d["has_estimated_staffing"] = day["is_staffing_estimated"].any()
    d = d.reset_index()
    answered = d["contacts_answered"]
    payroll = decimal4(d["staff_cost_amount"])
    # A day with a handled contact allocates its whole payroll; one without, none.
    allocated = decimal4(d["allocated_staff_cost_amount"].fillna(0.0)).where(
        payroll.notna()
    )
    return d[[*QUEUE_DAY, "channel"]].assign(
        contacts_offered=d["contacts_offered"],
        contacts_answered=answered,
        contacts_abandoned=d["contacts_abandoned"],
        **_contact_rates(d),
        aht_seconds=ratio(d["handle_time_seconds"], answered),
        occupancy_rate=ratio(
            d["handling_seconds"], d["handling_seconds"] + d["available_seconds"]
        ),
        utilization_rate=ratio(d["handling_seconds"], d["staffed_seconds"]),
        # logged-in hours only: estimated staffing is not staffed time
        staffed_agent_hours=d["staffed_seconds"] / 3600.0,
        required_agent_hours_erlang_a=d["required_agent_hours_erlang_a"],
        erlang_a_service_level_rate=ratio(
            d["erlang_a_answered_within_threshold"], d["contacts_offered"]
        ),
        staff_cost_amount=payroll,
        allocated_staff_cost_amount=allocated,
        unallocated_staff_cost_amount=decimal4(payroll - allocated),
        cost_per_contact_amount=decimal4(
            ratio(d["allocated_staff_cost_amount"], answered)
        ),
        has_estimated_staffing=d["has_estimated_staffing"],
    )


def compute(landing_dir: Path) -> dict[str, pd.DataFrame]:
    """Compute the headline marts from a landing directory with pandas.

    The parameters, the tables returned and the errors are those of
    :func:`opsmart.bench.floor.compute`: the two baselines are interchangeable,
    and ``tests/python/bench/test_baselines_match_marts.py`` holds both to the
    warehouse.
    """
    landing_dir = Path(landing_dir)
    queues = pd.read_csv(queues_seed(), dtype={"queue_id": str, "team_id": str})
    queues["sl_threshold_seconds"] = queues["sl_threshold_seconds"].fillna(
        VARS["sl_threshold_seconds"]
    )
    queues = queues[
        ["queue_id", "channel", "team_id", "sl_threshold_seconds", "sl_target_rate"]
    ]
    contacts = _contacts(landing_dir, queues)
    agents = _agent_intervals(landing_dir)
    q = _queue_intervals(contacts, agents, queues)
    return {
        "fct_queue_intervals": _fct_queue_intervals(q),
        "fct_queue_days": _fct_queue_days(q),
        "rpt_cost_vs_satisfaction": rpt_cost_vs_satisfaction(
            landing_dir, contacts, _contact_costs(contacts, agents), queues
        ),
    }
