"""The report's sections on a tiny hand-made warehouse: nulls, gaps, missing tables."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from report_warehouse import (
    RUN_DATE,
    create_contract_tables,
    execute,
    insert,
    render_section,
)

from opsmart.report import SECTIONS, render_report
from opsmart.report import sections as s
from opsmart.report._html import NA
from opsmart.report.render import build_context, render_html


def _row_of(html: str, marker: str) -> str:
    """The <tr> of `html` that contains `marker`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html) if marker in row]
    assert len(rows) == 1, f"expected one row with {marker!r}, got {len(rows)}"
    return rows[0]


def test_every_section_reads_only_contracted_columns(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    # The tables are made from the contracts: a wrong column name would raise.
    ctx = build_context(tiny_connection)
    for spec in SECTIONS:
        assert spec.render(ctx), spec.section_id
    page = render_html(ctx)
    for spec in SECTIONS:
        assert f'data-section="{spec.section_id}"' in page
    assert "could not be read" not in page


def test_run_date_defaults_to_the_last_day_with_contacts(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    assert build_context(tiny_connection).run_date == RUN_DATE
    given = build_context(tiny_connection, run_date=date(2026, 3, 1))
    assert given.run_date == date(2026, 3, 1)
    assert "no queue was offered contacts on 2026-03-01" in s.service_level(given)


def test_null_kpis_show_no_data_never_zero(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    ctx = build_context(tiny_connection)
    okr = s.okr_scorecard(ctx)
    csat = _row_of(okr, "kr_csat")
    assert csat.count("no data") >= 2  # actual and the sparkline
    assert ">0.0&nbsp;%" not in csat and "status-no_data" in csat
    nps = _row_of(okr, "kr_nps")
    assert "+30.0" in nps and "+14.5 to +44.0" in nps and "n = 40" in nps
    aht = _row_of(okr, "kr_aht")
    assert "280&nbsp;s" in aht and "-20.0 s*" in aht and 'class="good"' in aht
    assert "271&nbsp;s to 289&nbsp;s" in aht and "not tested" not in aht
    summary = "1 on track, 1 at risk, 1 off track, 1 insufficient data, 1 no data"
    assert summary in okr

    queue_day = _row_of(s.service_level(ctx), ">q1<")
    assert queue_day.count("no data") == 3  # Erlang A SL, staffed and gap hours
    assert "44.4&nbsp;%" in queue_day

    cost = s.cost_vs_satisfaction(ctx)
    assert "no data: no unit has both a cost per contact and a CSAT" in cost
    # no costs source: no payroll line of made-up zeros
    assert "No payroll in 2026-03 (no costs or agent-interval data)" in cost
    assert "0.00" not in _row_of(cost, ">q1 <")

    wait = s.wait_curve(ctx)
    assert "no data: no CSAT answers are loaded" in wait
    assert "no data: churn unknown, no customers are loaded" in wait
    assert "was not fitted: no customers are loaded, so churn is unknown" in wait

    staffing = s.staffing(ctx)
    assert "Money at stake on 2026-03-02: <strong>" + NA in staffing
    assert "0.00" not in staffing

    assert "No data: no survey answers are loaded." in s.top_feedback(ctx)


def test_the_wait_curve_says_as_of_when_it_was_fitted(tiny_warehouse: Path) -> None:
    # Nightly runs refit the curve and the churn fit on a schedule (var
    # history_statistics_refit_days): on the nights between, the section must say
    # which run date its numbers are as of.
    kept = {"refitted": False, "as_of": "2026-02-26", "every_days": 7}
    with duckdb.connect(str(tiny_warehouse)) as connection:
        connection.execute("create schema if not exists audit")
        connection.execute(
            "create table audit.run_log (run_id varchar, status varchar, "
            "run_date date, started_at timestamptz, log_json json)"
        )
        connection.execute(
            "insert into audit.run_log values "
            "('r1', 'success', '2026-03-02', '2026-03-03 01:00:00+00', ?)",
            [json.dumps({"history_statistics": kept})],
        )
    wait = render_section(tiny_warehouse, s.wait_curve)
    assert (
        "are as of 2026-02-26 (this run kept them; nightly runs refit them every 7 "
        "days, var history_statistics_refit_days)"
    ) in wait


def test_no_data_reasons_name_what_is_loaded(tiny_warehouse: Path) -> None:
    # Customers, a CSAT answer with an old comment and agent intervals are loaded,
    # yet the churn fit, the curves and the feedback of the month are empty: the
    # notes must say why, not blame a missing source (issue 15).
    with duckdb.connect(str(tiny_warehouse)) as connection:
        insert(
            connection,
            "marts.dim_customers",
            [{"customer_id": "cu1"}, {"customer_id": "cu2"}],
        )
        old = {"response_id": "r1", "responded_date": date(2026, 1, 10)}
        insert(
            connection,
            "marts.fct_survey_responses",
            [{**old, "survey_type": "csat", "masked_comment": "Too slow"}],
        )
        insert(
            connection,
            "reports.rpt_customer_feedback",
            [{**old, "theme": "long_wait", "masked_comment": "Too slow"}],
        )
        insert(connection, "marts.fct_agent_intervals", [{"agent_id": "a1"}])
        insert(
            connection,
            "utilities.util_kpi_definitions",
            [{"var_name": "churn_window_days", "var_value": "30"}],
        )
    with duckdb.connect(str(tiny_warehouse), read_only=True) as connection:
        ctx = build_context(connection)
        wait = s.wait_curve(ctx)
        feedback = s.top_feedback(ctx)
        service = s.service_level(ctx)
    assert "no customers" not in wait and "customers source" not in wait
    assert (
        "not fitted although the warehouse holds 2 customers: it needs at least one "
        "complete churn window (30 days, var churn_window_days, laid from the first "
        "contact) with customers at risk, and the contacts cover 2 days "
        "(2026-03-01 to 2026-03-02)."
    ) in wait
    assert "no offered real-time contact is from one of the 2 loaded customers" in wait
    assert "1 CSAT answer loaded, none about an offered contact" in wait
    assert (
        "no comments from 2026-02-03 to 2026-03-02; 1 comment in all, the latest "
        "from 2026-01-10."
    ) in feedback
    assert "agent-interval data is loaded" not in service
    assert "No agent-interval data covered 2 of 2 intervals" in service


def test_untested_changes_and_small_samples_are_said_so(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    okr = s.okr_scorecard(build_context(tiny_connection))
    occupancy = _row_of(okr, "kr_occupancy")
    # a ratio of times: no interval, no verdict on its change, never a star
    assert 'title="not tested: no per-unit variance">&ndash;' in occupancy
    assert "+5.0 pp</span> <small" in occupancy and "(not tested)" in occupancy
    fcr = _row_of(okr, "kr_fcr")
    assert "status-insufficient_data" in fcr and "insufficient data" in fcr
    assert "5.5&nbsp;% to 100.0&nbsp;%" in fcr and "n = 1" in fcr
    assert "+50.0 pp</span> <small" in fcr and "(too few to test)" in fcr


def test_interval_gaps_break_the_lines(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.service_level(build_context(tiny_connection))
    svgs = re.findall(r"<svg.*?</svg>", html)
    assert len(svgs) == 4
    service_level = svgs[0]
    # 10:00 has a value, 10:30 has none: one dot per series, no line to a fake 0.
    actual = re.search(r'data-series="actual">(.*?)</g>', service_level)
    assert actual is not None
    assert actual.group(1).count("<circle") == 1 and "<path" not in actual.group(1)
    assert "No agent-interval data is loaded: staffed agents are unknown." in html
    # the staffing chart: no staffed agents, the baselines' estimate dashed
    staffing = svgs[3]
    assert "estimated (no agent data; baselines only)" in staffing


def test_money_at_stake_is_a_range_next_to_payroll(tiny_warehouse: Path) -> None:
    # Two priced queue-days: the run date's headline sums its queues' ranges, and
    # the whole data's line sets the total against payroll and splits it into the
    # staff cost the value-optimal staffing adds and the customer value it keeps.
    day = {"channel": "voice", "intervals": 2, "intervals_priced": 2}
    with duckdb.connect(str(tiny_warehouse)) as connection:
        insert(
            connection,
            "reports.rpt_staffing_daily",
            [
                {
                    **day,
                    "queue_id": "q2",
                    "interval_date": RUN_DATE,
                    "staff_cost_amount": 100.0,
                    "money_at_stake_amount": 30.0,
                    "money_at_stake_lower_amount": 20.0,
                    "money_at_stake_upper_amount": 45.0,
                    "staff_cost_at_actual_amount": 90.0,
                    "staff_cost_at_optimal_amount": 110.0,
                },
                {
                    **day,
                    "queue_id": "q2",
                    "interval_date": date(2026, 3, 1),
                    "staff_cost_amount": 80.0,
                    "money_at_stake_amount": 10.0,
                    "money_at_stake_lower_amount": 0.0,
                    "money_at_stake_upper_amount": 12.5,
                    "staff_cost_at_actual_amount": 80.0,
                    "staff_cost_at_optimal_amount": 75.0,
                },
            ],
        )
    html = render_section(tiny_warehouse, s.staffing)
    assert (
        "Money at stake on 2026-03-02: <strong>30.00&nbsp;EUR</strong> (20.00&nbsp;EUR"
        " to 45.00&nbsp;EUR), against a payroll of 100.00&nbsp;EUR"
    ) in html
    assert (
        "From 2026-03-01 to 2026-03-02: money at stake <strong>40.00&nbsp;EUR</strong> "
        "(20.00&nbsp;EUR to 57.50&nbsp;EUR), against a payroll of 180.00&nbsp;EUR"
    ) in html
    # 20 - 5 = 15 more staff cost; 40 + 15 = 55 of customer value kept; below
    # payroll, so no word on exceeding it
    assert "would add 15.00&nbsp;EUR of staff cost and keep 55.00&nbsp;EUR" in html
    assert "exceed payroll" not in html
    assert "30.00 <small>(20.00 to 45.00)</small>" in _row_of(html, ">q2<")


def test_demand_reason_without_forecast_sits_in_the_strip(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.demand_matrix(build_context(tiny_connection))
    assert 'class="unplaced"' in html and "no forecast yet" in html
    assert "plan_change" in html and "digital self-service" in html
    assert "Predictable: forecast error &lt;= 20 %" in html  # defaults, no run log


def test_missing_audit_tables_are_named_not_raised(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.data_quality(build_context(tiny_connection))
    for table in (
        "raw.loaded_files",
        "audit.quarantine",
        "audit.validation_results",
        "audit.run_log",
    ):
        assert f"this warehouse has no {table}" in html


def test_estimated_staffing_is_a_data_quality_finding(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.data_quality(build_context(tiny_connection))
    assert "Queue intervals of 2026-03-02 without agent-interval data" in html
    assert "<td>q1</td><td class=num>2</td><td class=num>2</td>" in html
    assert "staff cost, occupancy and money at stake are left empty there" in html


def test_baselines_not_computed_are_counted_by_reason(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.data_quality(build_context(tiny_connection))
    assert "Queue intervals of 2026-03-02 without some baselines" in html
    row = _row_of(html, "<td>no_staffing</td>")
    assert "<td class=num>1</td><td>q1</td>" in row
    assert "no staffed agent" in row


def test_payroll_is_allocated_plus_unallocated(tiny_warehouse: Path) -> None:
    execute(
        tiny_warehouse,
        "update marts.fct_queue_days set staff_cost_amount = 100, "
        "allocated_staff_cost_amount = 92.5, unallocated_staff_cost_amount = 7.5",
    )
    cost = render_section(tiny_warehouse, s.cost_vs_satisfaction)
    assert (
        "Payroll of 2026-03: <strong>100.00&nbsp;EUR</strong> = 92.50&nbsp;EUR "
        "allocated to the handled contacts"
    ) in cost
    assert "+ 7.50&nbsp;EUR unallocated (1 queue-day on which" in cost


def test_definitions_fall_back_to_util_kpi_definitions(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    ctx = build_context(tiny_connection)
    assert ctx.currency == "EUR"
    html = s.definitions(ctx)
    assert "From utilities.util_kpi_definitions" in html
    assert "<code>sl_method</code></td><td>offered" in html


def test_an_empty_warehouse_renders_every_section_as_no_data(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    out = render_report(path, tmp_path / "report.html")
    page = out.read_text(encoding="utf-8")
    assert "opsmart nightly report, no contacts" in page
    sections = re.findall(r"<section .*?</section>", page)
    assert len(sections) == len(SECTIONS)
    for html in sections:
        assert 'class="note no-data"' in html


def test_run_log_and_audit_tables_are_summarised(tiny_warehouse: Path) -> None:
    from opsmart.ingest._sql import create_tables
    from opsmart.nightly.runlog import RunLog
    from opsmart.validation.results import CheckResult, ValidationReport, store

    with duckdb.connect(str(tiny_warehouse)) as connection:
        create_tables(connection)
        log = RunLog(
            "20260303T023000Z-abc123",
            "run",
            RUN_DATE,
            RUN_DATE,
            False,
            {"currency": "USD", "demand_predictable_max_error_rate": 0.3},
        )
        log.finish(0)
        log.store(connection)
        insert(
            connection,
            "raw.loaded_files",
            [
                {
                    "source": "contacts",
                    "source_file": "a.csv",
                    "rows_read": 12,
                    "rows_loaded": 10,
                    "rows_quarantined": 2,
                    "load_id": log.run_id,
                },
            ],
        )
        insert(
            connection,
            "audit.quarantine",
            [
                {
                    "source": "contacts",
                    "source_row": row,
                    "reason_code": "bad_timestamp",
                    "reason": "arrived_at <b>not</b> a time",
                    "load_id": log.run_id,
                }
                for row in (3, 7)
            ],
        )
        report = ValidationReport(
            (
                CheckResult("raw.contacts", "expect_x", None, "error", True, "ok", ""),
                CheckResult(
                    "marts.fct_contacts",
                    "expect_y",
                    "wait_seconds",
                    "warn",
                    False,
                    "3 unexpected",
                    "bands",
                ),
            )
        )
        store(connection, report, run_id=log.run_id, stage="marts")
    with duckdb.connect(str(tiny_warehouse), read_only=True) as connection:
        ctx = build_context(connection)
        assert ctx.currency == "USD" and ctx.latest_run is not None
        html = s.data_quality(ctx)
        definitions = s.definitions(ctx)
        demand = s.demand_matrix(ctx)
    files = _row_of(html.split("<h3>Quarantined rows</h3>")[0], "<td>contacts</td>")
    assert ">12<" in files and ">10<" in files and ">2<" in files
    quarantine = _row_of(html, "bad_timestamp")
    assert quarantine.count(">2<") == 2  # this run and all loads
    assert "&lt;b&gt;not&lt;/b&gt;" in quarantine
    assert "1 of 2 checks passed; 0 error(s), 1 warning(s)" in html
    failed = html.index("Failed checks")
    assert html.index("expect_y", failed) < html.index("</table>", failed)
    assert "20260303T023000Z-abc123" in _row_of(html, ">success<")
    assert "From audit.run_log, run 20260303T023000Z-abc123" in definitions
    assert "forecast error &lt;= 30 %" in demand


def test_text_from_the_warehouse_is_escaped(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    evil = '<script>alert("x")</script>'
    with duckdb.connect(str(tiny_warehouse)) as connection:
        insert(
            connection,
            "reports.rpt_demand_matrix",
            [
                {
                    "contact_reason": evil,
                    "contacts": 1,
                    "resolution_complexity_index": 0.5,
                },
            ],
        )
        connection.execute("update marts.fct_queue_days set queue_id = ?", [evil])
    page = render_report(tiny_warehouse, tmp_path / "r.html").read_text(
        encoding="utf-8"
    )
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_render_report_writes_one_self_contained_file(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    before = hashlib.sha256(tiny_warehouse.read_bytes()).hexdigest()
    out = tmp_path / "deep" / "folder" / "opsmart_report_2026-03-02.html"
    # A reader holding the file read-only does not stop the report (it reads only).
    with duckdb.connect(str(tiny_warehouse), read_only=True):
        assert render_report(tiny_warehouse, out) == out
    assert hashlib.sha256(tiny_warehouse.read_bytes()).hexdigest() == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for fetch in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert fetch not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_render_report_rejects_bad_arguments(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match="`warehouse`"):
        render_report(tmp_path / "nope.duckdb", tmp_path / "r.html")
    with pytest.raises(TypeError, match="`run_date` must be a date"):
        render_report(tiny_warehouse, tmp_path / "r.html", run_date="2026-03-02")  # type: ignore[arg-type]
    assert not (tmp_path / "nope.duckdb").exists()


def test_a_section_that_fails_is_replaced_by_a_note(tmp_path: Path) -> None:
    path = tmp_path / "odd.duckdb"
    with duckdb.connect(str(path)) as connection:
        create_contract_tables(connection)
        connection.execute("drop table reports.rpt_demand_matrix")
        connection.execute("create table reports.rpt_demand_matrix (odd integer)")
    page = render_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    demand = re.search(r'<section id="demand-matrix".*?</section>', page, re.S)
    assert (
        demand is not None and "could not be read from the warehouse" in demand.group(0)
    )
    assert page.count("<section ") == len(SECTIONS)


def test_interval_charts_are_on_the_queues_local_clock_on_a_dst_day() -> None:
    """A New York queue on its spring-forward day: a 23-hour axis whose ticks read
    the wall clock (03:00 two hours after midnight), an interval at 01:30 EST
    (06:30Z) and one at 03:00 EDT (07:00Z) side by side, and the zone said."""
    with duckdb.connect() as connection:
        create_contract_tables(connection)
        day = date(2026, 3, 8)
        insert(
            connection,
            "marts.dim_queues",
            [{"queue_id": "q_ny", "channel": "voice", "timezone": "America/New_York"}],
        )
        insert(
            connection,
            "marts.fct_queue_intervals",
            [
                {
                    "queue_id": "q_ny",
                    "channel": "voice",
                    "interval_date": day,
                    "interval_start_at": start,
                    "contacts_offered": 2,
                    "service_level_rate": 0.5,
                    "is_staffing_estimated": False,
                }
                for start in (datetime(2026, 3, 8, 6, 30), datetime(2026, 3, 8, 7, 0))
            ],
        )
        ctx = s.ReportContext(
            connection=connection,
            run_date=day,
            dbt_vars={"reporting_timezone": "Asia/Seoul"},
        )
        service = s.service_level(ctx)
        page = render_html(ctx)
    assert "local clock (America/New_York, a 23-hour day)" in service
    assert "interval start, local time (America/New_York)" in service
    # ticks: 00:00 at 0 h, 03:00 at 2 h, ..., 24:00 at 23 h; the points at 1.5 and 2 h
    ticks = re.findall(r">(\d\d:00)</text>", service)
    assert ticks[:3] == ["00:00", "03:00", "06:00"] and ticks[-1] == "24:00"
    assert "a local day, Asia/Seoul" in page
