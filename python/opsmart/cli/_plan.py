"""`opsmart plan`: what adding or removing agents at some hours of the staffing plan
does to service, customers and cost, read-only on a published warehouse (the rows
read by `opsmart.analyst.plan`, which `opsmart explore` shares)."""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import pandas as pd

from opsmart.analyst.plan import plan_what_if, what_if_notes
from opsmart.cli._common import EXIT_OK
from opsmart.forecast.whatif import WhatIf

__all__ = ["cmd_plan", "hours_range"]


def hours_range(text: str) -> tuple[int, int]:
    """--hours: ``H`` (that local hour) or ``H1-H2`` (from H1:00 to before H2:00),
    whole hours with 0 <= H1 < H2 <= 24."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?", text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"must be local hours H or H1-H2 such as 9-12, got {text!r}"
        )
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) is not None else start + 1
    if not 0 <= start < end <= 24:
        raise argparse.ArgumentTypeError(
            f"must be 0 <= H1 < H2 <= 24 (from H1:00 to before H2:00), got {text!r}"
        )
    return start, end


def _pct(value: float, signed: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{100 * value:+.2f} pts" if signed else f"{100 * value:.1f} %"


def _num(value: float, digits: int = 1, signed: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def _span(lo: float, hi: float, fmt: str) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    if fmt == "pct":
        return f"[{100 * lo:+.2f}, {100 * hi:+.2f}] pts"
    return f"[{lo:+,.2f}, {hi:+,.2f}]"


def _table(result: WhatIf) -> list[str]:
    b, c = result.baseline, result.changed
    label = (
        f"{result.agents_delta:+d} agent{'' if abs(result.agents_delta) == 1 else 's'}"
    )
    lines: list[tuple[str, str, str, str, str]] = [
        ("measure", "baseline", label, "change", "range (95 %)"),
        ("agent-hours", _num(b.agent_hours), _num(c.agent_hours),
         _num(c.agent_hours - b.agent_hours, signed=True), ""),
        ("service level", _pct(b.service_level_rate), _pct(c.service_level_rate),
         _pct(c.service_level_rate - b.service_level_rate, True), ""),
        ("abandonment", _pct(b.abandon_rate), _pct(c.abandon_rate),
         _pct(c.abandon_rate - b.abandon_rate, True), ""),
        ("ASA (s)", _num(b.asa_seconds), _num(c.asa_seconds),
         _num(c.asa_seconds - b.asa_seconds, signed=True), ""),
        ("mean wait, offered (s)", _num(b.mean_wait_seconds),
         _num(c.mean_wait_seconds),
         _num(c.mean_wait_seconds - b.mean_wait_seconds, signed=True), ""),
        ("CSAT top-2-box", _pct(b.csat_rate), _pct(c.csat_rate),
         _pct(result.csat_rate_change, True),
         _span(result.csat_rate_change_lower, result.csat_rate_change_upper, "pct")),
        ("churn per customer window", "", "", _pct(result.churn_rate_change, True),
         _span(result.churn_rate_change_lower, result.churn_rate_change_upper,
               "pct")),
        ("staff cost", "", "", _num(result.staff_cost_change_amount, 2, True), ""),
        ("priced waiting + abandons", _num(b.waiting_abandon_cost_amount, 2),
         _num(c.waiting_abandon_cost_amount, 2),
         _num(result.waiting_abandon_cost_change_amount, 2, True),
         _span(result.waiting_abandon_cost_change_lower_amount,
               result.waiting_abandon_cost_change_upper_amount, "amount")),
        ("net (staff + priced)", "", "", _num(result.net_cost_change_amount, 2, True),
         _span(result.net_cost_change_lower_amount,
               result.net_cost_change_upper_amount, "amount")),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in lines) for i in range(5)]
    return [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [v.rjust(w) for v, w in zip(row[1:4], widths[1:4], strict=True)]
            + [row[4]]
        ).rstrip()
        for row in lines
    ]


def cmd_plan(options: argparse.Namespace) -> int:
    """Print what `--agents-delta` agents at the chosen dates and hours would do."""
    from opsmart.analyst import open_warehouse

    connection = open_warehouse(Path(options.warehouse))
    with connection:
        found = plan_what_if(
            connection,
            options.queue,
            options.agents_delta,
            days=options.date,
            hours=options.hours,
        )
    result, selected, seconds = found.result, found.selected, found.interval_seconds
    local_dates = pd.to_datetime(selected["interval_date"]).dt.date
    first, last = min(local_dates).isoformat(), max(local_dates).isoformat()
    hours = options.hours or (0, 24)
    notes = what_if_notes(found)
    if options.json:
        payload = {
            "queue_id": options.queue,
            "first_date": first,
            "last_date": last,
            "dates": sorted({d.isoformat() for d in local_dates}),
            "local_hours": list(hours),
            "interval_seconds": seconds,
            **result.as_dict(),
            "notes": notes,
        }
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    days = len(set(local_dates))
    plural = "" if abs(result.agents_delta) == 1 else "s"
    label = f"{result.agents_delta:+d} agent{plural}"
    print(
        f"queue {options.queue}: {label}, {first} to {last} "
        f"({days} day{'s' if days != 1 else ''}), local {hours[0]:02d}:00-"
        f"{hours[1]:02d}:00"
    )
    print(
        f"{result.intervals} intervals ({result.hours:,.1f} h), "
        f"{result.contacts_offered:,.0f} contacts forecast"
    )
    print()
    for line in _table(result):
        print(line)
    print()
    for note in notes:
        print(f"note: {note}")
    return EXIT_OK
