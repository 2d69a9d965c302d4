"""Every landing file follows the data contract, and the identities hold exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from synth_helpers import read_source

from opsmart.contract import DEFAULTED_SOURCES, SOURCES
from opsmart.synth import GenerateSummary, generate
from opsmart.synth.config import default_seed_path, read_seed_queues

TS = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$"
BOOLS = {"true", "false"}


def _epoch(col: pd.Series) -> pd.Series:
    """Seconds since the epoch of ISO timestamps (null stays NaN)."""
    parsed = pd.to_datetime(col.replace("", None), format="ISO8601", utc=True)
    return (parsed - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()


def _num(col: pd.Series) -> pd.Series:
    return pd.to_numeric(col.replace("", None))


@pytest.mark.parametrize("source", sorted(SOURCES.keys() - DEFAULTED_SOURCES))
def test_columns_types_and_required(small: GenerateSummary, source: str) -> None:
    files = sorted((small.out_dir / source).glob("*.csv"))
    assert files
    names = [c.name for c in SOURCES[source]]
    for f in files:
        with f.open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == names, f
    df = read_source(small.out_dir, source)
    assert len(df) > 0
    for col in SOURCES[source]:
        values = df[col.name]
        present = values[values != ""]
        if col.required:
            assert len(present) == len(values), f"{source}.{col.name} has empty values"
        if col.type == "timestamp":
            assert present.str.match(TS).all(), f"{source}.{col.name}"
        elif col.type == "boolean":
            assert set(present) <= BOOLS, f"{source}.{col.name}"
        elif col.type in ("number", "integer"):
            nums = pd.to_numeric(present)
            assert (nums >= 0).all(), f"{source}.{col.name}"
        elif col.type == "date":
            assert present.str.match(r"^\d{4}-\d\d-\d\d$").all()


def test_ids_unique_and_queues_in_seed(small: GenerateSummary) -> None:
    contacts = read_source(small.out_dir, "contacts")
    surveys = read_source(small.out_dir, "survey_responses")
    intervals = read_source(small.out_dir, "agent_intervals")
    customers = read_source(small.out_dir, "customers")
    seed = read_seed_queues(default_seed_path())
    assert contacts["contact_id"].is_unique
    assert surveys["response_id"].is_unique
    assert customers["customer_id"].is_unique
    assert set(contacts["queue_id"]) <= set(seed)
    assert set(intervals["queue_id"]) <= set(seed)
    for queue_id, channel in contacts[["queue_id", "channel"]].drop_duplicates().values:
        assert seed[queue_id]["channel"] == channel
    teams = {row["queue_id"]: row["team_id"] for row in seed.values()}
    for queue_id, team in intervals[["queue_id", "team_id"]].drop_duplicates().values:
        assert teams[queue_id] == team
    assert set(contacts["outcome"]) <= {"handled", "abandoned", "contained", "flowout"}
    known = set(contacts["contact_id"])
    csat = surveys[surveys["survey_type"] == "csat"]
    assert set(csat["contact_id"]) <= known
    assert (surveys.loc[surveys["survey_type"] == "nps", "contact_id"] == "").all()
    assert set(contacts["customer_id"]) - {""} <= set(customers["customer_id"])
    agents = set(intervals["agent_id"]) | (set(contacts["agent_id"]) - {""})
    assert agents <= {f"agent_{i:04d}" for i in range(1, 11)}
    assert set(contacts["agent_id"]) - {""} <= set(intervals["agent_id"])


def test_contact_time_identities(small: GenerateSummary) -> None:
    c = read_source(small.out_dir, "contacts")
    arrived, answered, ended = (
        _epoch(c["arrived_at"]),
        _epoch(c["answered_at"]),
        _epoch(c["ended_at"]),
    )
    ivr, wait = _num(c["ivr_seconds"]), _num(c["wait_seconds"])
    talk, hold = _num(c["talk_seconds"]), _num(c["hold_seconds"])
    out = c["outcome"]
    h = out == "handled"
    assert (answered[h] == arrived[h] + ivr[h] + wait[h]).all()
    assert (ended[h] == answered[h] + talk[h] + hold[h]).all()
    assert (c.loc[h, "agent_id"] != "").all()
    q = out.isin(["abandoned", "flowout"])
    assert (ended[q] == arrived[q] + ivr[q] + wait[q]).all()
    assert answered[~h].isna().all()
    assert (c.loc[~h, "agent_id"] == "").all()
    s = out == "contained"
    assert (ended[s] == arrived[s] + ivr[s]).all()
    assert (wait[s] == 0).all()
    assert (c.loc[s, "channel"] == "self_service").all()
    assert (c.loc[h, "is_resolved"] != "").all()
    # files are by local arrival date
    local_date = c["arrived_at"].str[:10]
    assert local_date.nunique() == small.days


def test_agent_interval_identities(small: GenerateSummary) -> None:
    a = read_source(small.out_dir, "agent_intervals")
    staffed, available = _num(a["staffed_seconds"]), _num(a["available_seconds"])
    handling, aux = _num(a["handling_seconds"]), _num(a["aux_seconds"])
    assert (staffed == available + handling + aux).all()
    assert ((available >= 0) & (handling >= 0) & (aux >= 0)).all()
    assert (staffed <= 900).all()
    assert (a["interval_minutes"] == "15").all()
    assert (
        a["interval_start"].str[14:19].isin(["00:00", "15:00", "30:00", "45:00"]).all()
    )
    assert not a.duplicated(["agent_id", "interval_start"]).any()
    assert (aux.sum() / staffed.sum()) == pytest.approx(0.125, abs=0.02)


def test_handling_matches_contacts_per_agent_day(small: GenerateSummary) -> None:
    a = read_source(small.out_dir, "agent_intervals")
    c = read_source(small.out_dir, "contacts")
    h = c[c["outcome"] == "handled"].copy()
    h["busy"] = (
        _num(h["talk_seconds"]) + _num(h["hold_seconds"]) + _num(h["acw_seconds"])
    )
    # a contact belongs to the local day it was answered on (no shift spans midnight)
    h["day"] = h["answered_at"].str[:10]
    from_contacts = h.groupby(["agent_id", "day"])["busy"].sum()
    a["day"] = a["interval_start"].str[:10]
    from_intervals = (
        a.assign(handling=_num(a["handling_seconds"]))
        .groupby(["agent_id", "day"])["handling"]
        .sum()
    )
    joined = pd.concat([from_contacts, from_intervals], axis=1).fillna(0)
    assert len(joined) > 10
    assert np.allclose(joined["busy"], joined["handling"], atol=1.0)


def test_costs_have_a_rate_change(small: GenerateSummary) -> None:
    costs = read_source(small.out_dir, "costs")
    seed_teams = {row["team_id"] for row in read_seed_queues().values()}
    assert set(costs["team_id"]) == seed_teams
    assert costs.duplicated("team_id").sum() == 1
    assert not costs.duplicated(["team_id", "effective_from"]).any()
    assert (costs["currency"] == "USD").all()


def test_customers(small: GenerateSummary) -> None:
    cust = read_source(small.out_dir, "customers")
    assert set(cust["segment"]) == {"consumer", "small_business", "enterprise"}
    signed = _epoch(cust["signed_up_at"])
    start = pd.Timestamp("2026-01-05T00:00:00+09:00").timestamp()
    assert (signed < start).mean() > 0.9
    assert (_num(cust["monthly_revenue"]) > 0).all()


def test_parquet(tmp_path: Path) -> None:
    summary = generate(tmp_path, days=2, agents=8, seed=3, file_format="parquet")
    for source in SOURCES.keys() - DEFAULTED_SOURCES:
        columns = SOURCES[source]
        files = sorted((tmp_path / source).glob("*.parquet"))
        assert files, source
        table = pq.read_table(files[0])
        assert table.column_names == [c.name for c in columns]
    assert summary.rows["contacts"] > 0
    ts = pq.read_table(tmp_path / "contacts" / "contacts_2026-01-05.parquet")[
        "arrived_at"
    ]
    # instants in UTC, typed with the center's zone (offsets change with DST)
    assert str(ts.type).startswith("timestamp[") and "tz=Asia/Seoul" in str(ts.type)
    first = pd.Timestamp(ts[0].as_py()).tz_convert("Asia/Seoul")
    assert first.date() == pd.Timestamp("2026-01-05").date()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"days": 0}, ValueError),
        ({"agents": 3}, ValueError),
        ({"days": True}, TypeError),
        ({"file_format": "xlsx"}, ValueError),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        generate(tmp_path, **kwargs)  # type: ignore[arg-type]
