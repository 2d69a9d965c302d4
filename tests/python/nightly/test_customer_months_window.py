"""In a nightly run int_customers_expanded_to_months holds the run's months only.

The ephemeral model expands every customer over the months the contact data covers;
a nightly run expands them from the run's first month on (run_period_start), the
months fct_customer_months rewrites and the model's tests read. On the small built
center (35 days over two months), compiled by dbt with a window in the second month
and without one: the nightly rows are the full build's rows of those months, and
the full build's months start at the first data month, found over every contact by
the exact dates (not through the instant edges, macro near_instant_edges).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from shared_helpers import SeedParse, compile_inline

pytestmark = pytest.mark.pipeline

MODEL = "select * from {{ ref('int_customers_expanded_to_months') }} order by all"
EXACT_SPAN = """
select
    min({{ local_date('contacts.arrived_at', queue_timezone('queues.timezone')) }}),
    max({{ local_date('contacts.arrived_at', queue_timezone('queues.timezone')) }})
from {{ ref('stg_telephony__contacts') }} as contacts
left join {{ ref('int_queues_resolved') }} as queues
    on contacts.queue_id = queues.queue_id
"""


def _relations(sql: str) -> str:
    """Compiled SQL pointed at the warehouse attached as `wh`."""
    return re.sub(r'"[^"]+"\.("(staging|intermediate)"\.)', r"wh.\1", sql)


def test_a_nightly_run_expands_only_its_months(
    small_center: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed_parse: SeedParse,
) -> None:
    # Both compiles reuse the run's saved parse: the window is read when dbt runs,
    # not when it parses (test_nightly_run.py's test_a_new_run_date_reparses_no_file).
    full_sql = compile_inline(
        f"{MODEL}\n-- span\n{EXACT_SPAN}", seed_parse(tmp_path / "full")
    )
    model_full, exact_span = full_sql.split("-- span")
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(
            f"attach '{small_center / 'opsmart.duckdb'}' as wh (read_only)"
        )
        first, last = connection.execute(_relations(exact_span)).fetchone() or ()
        assert (first.year, first.month) != (last.year, last.month)
        window = date(last.year, last.month, 2)
        monkeypatch.setenv("OPSMART_RUN_WINDOW_START", window.isoformat())
        model_night = compile_inline(MODEL, seed_parse(tmp_path / "night"))
        assert "date_trunc('month', cast(" in model_night  # the run's months
        full = connection.execute(_relations(model_full)).fetchall()
        night = connection.execute(_relations(model_night)).fetchall()
    month = date(last.year, last.month, 1)  # month_start_date is the last column
    months = sorted({row[-1] for row in full})
    assert months[0] == date(first.year, first.month, 1)
    assert months[-1] == month
    assert night == [row for row in full if row[-1] >= month]
    assert len(night) < len(full)
