"""`opsmart run` on a center whose exports arrive day by day.

One history is played once per session (runs for days 7, 8 and 10, with day 8's
surveys arriving late on day 10, a repeat of day 10 and an overlapping backfill;
day 7's first run is the `first_run` fixture, which test_nightly_refit shares) and
compared with a full `opsmart build` of the same files: incremental and full must
publish the same marts, bit for bit. The center is in New York (var
reporting_timezone) and day 7 is the spring-forward day, so the runs' windows start
at local midnights and span a 23-hour day. Other tests copy the published warehouse and
show what a failed, killed, locked or concurrent-reader run does.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from nightly_helpers import DEBUG_LOG, START, VARS, Deliver, public_tables, relations

from opsmart.cli import main
from opsmart.nightly.publish import export_parquet, exported_tables
from shared_helpers import SAVED_PARSE, file_digest, unchanged

pytestmark = pytest.mark.pipeline

DAY = {n: (START + timedelta(days=n - 1)).isoformat() for n in range(1, 11)}


@dataclass(frozen=True)
class History:
    landing: Path
    warehouse: Path
    states: dict[str, dict[str, list[tuple[object, ...]]]]
    digests: dict[str, str]
    exit_codes: dict[str, int]


def _run(landing: Path, warehouse: Path, *args: str) -> int:
    argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse), *VARS]
    return main([*argv, *args])


@pytest.fixture(scope="module")
def history(
    tmp_path_factory: pytest.TempPathFactory, deliver: Deliver, first_run: Path
) -> History:
    """The nights after the first run (day 7, `first_run`), from a copy of it."""
    root = tmp_path_factory.mktemp("history")
    shutil.copytree(first_run, root, symlinks=True, dirs_exist_ok=True)
    landing, warehouse = root / "landing", root / "published" / "opsmart.duckdb"
    states, digests, codes = {}, {}, {}

    def step(name: str, *args: str) -> None:
        codes[name] = _run(landing, warehouse, *args)
        states[name] = public_tables(warehouse)
        digests[name] = file_digest(warehouse)

    with pytest.MonkeyPatch.context() as env:
        env.setenv(*DEBUG_LOG)  # test_a_new_run_date_reparses_no_file reads it
        # Day 8 arrives without its surveys; they come late, with day 10's files.
        deliver(landing, 8)
        late = landing / "survey_responses" / f"survey_responses_{DAY[8]}.csv"
        held = root / late.name
        shutil.move(late, held)
        step("day8", "--date", DAY[8])
        deliver(landing, 10)
        shutil.move(held, late)
        step("day10", "--date", DAY[10])
        step("day10_again", "--date", DAY[10])
        step("backfill", "--from", DAY[8], "--to", DAY[10])
    return History(landing, warehouse, states, digests, codes)


def test_every_run_succeeds(history: History) -> None:
    assert history.exit_codes == {  # day 7's run: the first_run fixture's own
        "day8": 0,
        "day10": 0,
        "day10_again": 0,
        "backfill": 0,
    }


def _with_saved_parse(history: History, folder: Path) -> Path:
    """*folder*, given the history's saved dbt parse (same project, vars and file
    name): a build there skips parsing the whole project (conftest's seed_parse)."""
    saved = history.warehouse.parent / SAVED_PARSE
    (folder / SAVED_PARSE).parent.mkdir(parents=True)
    shutil.copyfile(saved, folder / SAVED_PARSE)
    return folder


def test_incremental_runs_equal_a_full_build(history: History, tmp_path: Path) -> None:
    full = _with_saved_parse(history, tmp_path / "full") / "opsmart.duckdb"
    assert (
        main(
            [
                "build",
                "--landing",
                str(history.landing),
                "--warehouse",
                str(full),
                *VARS,
            ]
        )
        == 0
    )
    expected = public_tables(full)
    got = history.states["day10"]
    assert sorted(got) == sorted(expected)
    differing = [name for name in expected if got[name] != expected[name]]
    assert differing == []
    # Nor do the nights leave anything behind that a build does not have, such as
    # the table dbt-duckdb writes an incremental Python model's new rows to.
    assert relations(history.warehouse) == relations(full)


def test_the_last_run_rebuilt_only_its_window(history: History) -> None:
    """The backfill from day 8 (lookback 7 days) filtered the contacts it rebuilt,
    and its inputs on raw's instants as well (macro in_run_window's pre-filter)."""
    compiled = history.warehouse.parent / "target" / "compiled" / "opsmart" / "models"
    sql = (compiled / "marts" / "operations" / "fct_contacts.sql").read_text()
    assert f"cast('{START + timedelta(days=8 - 1 - 7)}' as timestamp)" in sql
    operations = compiled / "intermediate" / "operations"
    for model, column in (
        ("int_contacts_classified", "arrived_at_instant"),
        ("int_agent_intervals_costed", "interval_start_instant"),
    ):
        sql = (operations / f"{model}.sql").read_text()
        assert f"{column} >= cast('" in sql, model


def test_a_new_run_date_reparses_no_file(history: History) -> None:
    """dbt parses the project once; later nights, each with its own window, reuse it.

    The window reaches dbt as an environment variable; read while parsing, a new
    value made dbt re-parse every model and YAML file that used it, every night.
    """
    log = "".join(
        path.read_text()
        for path in sorted((history.warehouse.parent / "logs").glob("dbt.log*"))
    )
    assert log.count("Starting full parse") == 1
    partial = [line for line in log.splitlines() if "Partial parsing enabled:" in line]
    # every run after day 7's, and day 7's build, which read the parse made
    # beside its input validation (the next test)
    assert len(partial) == len(history.exit_codes) + 1
    assert all("files added, 0 files changed." in line for line in partial), partial


def test_a_first_build_uses_the_parse_made_beside_its_input_validation(
    history: History,
) -> None:
    """Day 7's run, in a folder without a saved parse, parsed the project while
    its inputs were validated, and its build found that parse unchanged: the
    build itself parsed nothing (pipeline._parsing_ahead)."""
    logs = history.warehouse.parent / "logs"
    # dbt rotates its log: dbt.log.2 is older than dbt.log.1, dbt.log the newest
    rotated = sorted(logs.glob("dbt.log.*"), key=lambda path: -int(path.suffix[1:]))
    log = "".join(path.read_text() for path in [*rotated, logs / "dbt.log"])
    parse, build = log.split("Running with dbt=")[1:3]
    assert "Starting full parse" in parse
    assert "Concurrency:" not in parse  # a parse runs no node
    assert "Concurrency:" in build
    assert "Nothing changed, skipping partial parsing" in build
    assert "Starting full parse" not in build


def test_repeating_a_date_or_backfilling_changes_nothing(history: History) -> None:
    assert history.states["day10_again"] == history.states["day10"]
    assert history.states["backfill"] == history.states["day10"]


def test_late_surveys_reach_the_marts(history: History) -> None:
    def responses_on_day8(state: dict[str, list[tuple[object, ...]]]) -> int:
        with duckdb.connect(str(history.warehouse), read_only=True) as connection:
            columns = [
                row[0]
                for row in connection.execute(
                    "select column_name from information_schema.columns where "
                    "table_schema = 'marts' and table_name = 'fct_survey_responses' "
                    "order by ordinal_position"
                ).fetchall()
            ]
        day = columns.index("responded_date")
        return sum(
            str(row[day]) == DAY[8] for row in state["marts.fct_survey_responses"]
        )

    assert responses_on_day8(history.states["day8"]) == 0
    assert responses_on_day8(history.states["day10"]) > 0


def test_run_log_in_json_and_table(history: History) -> None:
    with duckdb.connect(str(history.warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select run_id, status, run_date, window_start_date, is_full_refresh, "
            "rows_read, log_json from audit.run_log order by run_id"
        ).fetchall()
    assert len(rows) == 5  # every published run, in order
    assert [str(r[2]) for r in rows] == [DAY[7], DAY[8], DAY[10], DAY[10], DAY[10]]
    assert [r[4] for r in rows] == [True, False, False, False, False]
    assert str(rows[1][3]) == str(START + timedelta(days=8 - 1 - 7))  # day 8 - 7
    assert rows[3][5] == 0  # the repeat loaded no new rows
    log = json.loads(rows[2][6])
    assert [s["name"] for s in log["steps"]][:4] == [
        "work_copy",
        "ingest",
        "validate_inputs",
        "dbt_build",
    ]
    assert log["dbt_vars"]["sl_method"] == "offered"
    assert "run_window_start" not in log["dbt_vars"]  # a window is not a definition
    assert log["window_start"] == str(START + timedelta(days=10 - 1 - 7))
    run_json = history.warehouse.parent / "runs" / f"{rows[2][0]}.json"
    assert json.loads(run_json.read_text())["run_id"] == rows[2][0]


def test_rows_read_equal_rows_loaded_plus_quarantined(history: History) -> None:
    """Per source and file (one file per day here): nothing lost, nothing doubled;
    and every loaded event row reaches staging."""
    with duckdb.connect(str(history.warehouse), read_only=True) as connection:
        mismatches = connection.execute(
            """
            with raw_rows as (
                select 'contacts' as source, _source_file as source_file, count(*) as n
                from raw.contacts group by all
                union all
                select 'agent_intervals', _source_file, count(*)
                from raw.agent_intervals group by all
                union all
                select 'survey_responses', _source_file, count(*)
                from raw.survey_responses group by all
                union all
                select 'customers', _source_file, count(*)
                from raw.customers group by all
                union all
                select 'costs', _source_file, count(*) from raw.costs group by all
            ),
            quarantined as (
                select source, source_file, count(*) as n
                from audit.quarantine group by all
            )
            select files.source, files.source_file, files.rows_read,
                coalesce(raw_rows.n, 0), coalesce(quarantined.n, 0)
            from raw.loaded_files as files
            left join raw_rows using (source, source_file)
            left join quarantined using (source, source_file)
            where files.rows_loaded != coalesce(raw_rows.n, 0)
                or files.rows_read
                != coalesce(raw_rows.n, 0) + coalesce(quarantined.n, 0)
            """
        ).fetchall()
        files = connection.execute("select count(*) from raw.loaded_files").fetchone()
        staged = connection.execute(
            "select (select count(*) from staging.stg_telephony__contacts), "
            "(select count(*) from raw.contacts)"
        ).fetchone()
    assert mismatches == []
    assert files is not None and files[0] == 10 * 3 + 2  # 3 daily sources + 2 snapshots
    assert staged is not None and staged[0] == staged[1]


def _export_rows(export: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a Parquet export, read back, sorted."""
    with duckdb.connect() as connection:
        return {
            name: connection.read_parquet(
                f"{path}/**/*.parquet" if path.is_dir() else str(path),
                hive_partitioning=False,
            )
            .order("all")
            .fetchall()
            for name, path in exported_tables(export).items()
        }


def test_parquet_export_matches_the_warehouse(history: History, tmp_path: Path) -> None:
    """The last night's export (months before its window linked from the one
    before) holds the published tables, as a full export of the same file does."""
    current = history.warehouse.parent / "parquet" / "current"
    assert (current / "marts" / "fct_contacts").is_dir()  # by month
    nightly = _export_rows(current)
    assert nightly == history.states["backfill"]
    full = export_parquet(history.warehouse, tmp_path, "20260101T000000Z-full00")
    assert nightly == _export_rows(full)


# --- failures leave the published warehouse untouched ------------------------------


@pytest.fixture
def published(history: History, tmp_path: Path) -> tuple[Path, Path]:
    """(landing, warehouse): a private copy of the history's published state, with
    its saved dbt parse, as a deployment copied elsewhere."""
    landing = tmp_path / "landing"
    shutil.copytree(history.landing, landing)
    warehouse = _with_saved_parse(history, tmp_path / "published") / "opsmart.duckdb"
    shutil.copyfile(history.warehouse, warehouse)
    return landing, warehouse


#: Rows of the copy's second week (day 8 is its Monday) that its data no longer
#: has: a team whose only agent has moved, a segment whose only customer a new
#: customers snapshot has named (until then 'unknown'). The late run recomputes
#: that week, which must leave neither behind.
LEFT_OVER = f"""
insert into reports.rpt_quality_vs_productivity
select * replace ('unit_left' as unit_id)
from reports.rpt_quality_vs_productivity
where unit_type = 'team' and week_start_date = '{DAY[8]}'
limit 1;
insert into reports.rpt_cost_vs_satisfaction
select * replace ('unit_left' as dimension_value)
from reports.rpt_cost_vs_satisfaction
where dimension_type = 'segment' and period_grain = 'week'
    and period_start_date = '{DAY[8]}'
limit 1;
"""


@dataclass(frozen=True)
class LateRun:
    """A run for day 10 with --lookback-days 1 on a copy of the published state,
    after a re-delivery of day 10's contacts, a stray hidden file and rows left
    over in the run's week (LEFT_OVER): its exit code, its output, and the copy it
    published."""

    exit_code: int
    out: str
    landing: Path
    warehouse: Path
    #: What two reader processes saw of the warehouse while the run published.
    readers: Readers


@pytest.fixture(scope="module")
def late_run(history: History, tmp_path_factory: pytest.TempPathFactory) -> LateRun:
    """One run serves the three tests below (each was a run of its own): neither
    stray file is loaded, so the window's result is the same as without them, and
    the readers only read."""
    root = tmp_path_factory.mktemp("late_run")
    landing = root / "landing"
    shutil.copytree(history.landing, landing)
    warehouse = _with_saved_parse(history, root / "published") / "opsmart.duckdb"
    shutil.copyfile(history.warehouse, warehouse)
    day10 = landing / "contacts" / f"contacts_{DAY[10]}.csv"
    shutil.copyfile(day10, landing / "contacts" / f"contacts_{DAY[10]} (1).csv")
    (landing / "contacts" / ".contacts_extra.csv").write_text("x\n")
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(LEFT_OVER)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.MonkeyPatch.context() as env:
        env.setenv(*DEBUG_LOG)  # the test of its saved parse reads dbt's log
        code, readers = _read_during(
            warehouse,
            lambda: _run(landing, warehouse, "--date", DAY[10], "--lookback-days", "1"),
        )
    return LateRun(code, out.getvalue(), landing, warehouse, readers)


def test_a_window_after_the_first_week_keeps_earlier_periods_and_equals_a_full_build(
    late_run: LateRun, history: History
) -> None:
    """The runs above start their windows in the data's first week, so the reports
    incremental by period recompute every period. With --lookback-days 1 the window
    starts on day 9 (2026-03-10), inside the second week: the period reports
    (rpt_cost_vs_satisfaction, rpt_okr_scorecard, rpt_quality_vs_productivity,
    fct_customer_months) keep the first week and rewrite the second from its Monday
    (day 8), whole (no row of it left over), and rpt_customer_feedback rewrites days
    9 and 10 only. The result is still the full build's, bit for bit.
    The copied deployment's dbt reuses the parse saved beside it: dbt keys a saved
    parse on the profile's values, which hold the warehouse's name, not its path.
    """
    warehouse = late_run.warehouse
    assert late_run.exit_code == 0
    log = (warehouse.parent / "logs" / "dbt.log").read_text()
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled" in log
    compiled = warehouse.parent / "target" / "compiled" / "opsmart" / "models"
    for report in (
        "rpt_okr_scorecard",
        "rpt_customer_feedback",
        "rpt_quality_vs_productivity",
    ):
        sql = (compiled / "reports" / f"{report}.sql").read_text()
        assert f"'{DAY[9]}'" in sql, report  # the run window reached the report
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        left = connection.execute(
            "select (select count(*) from reports.rpt_quality_vs_productivity "
            "where unit_id = 'unit_left'), "
            "(select count(*) from reports.rpt_cost_vs_satisfaction "
            "where dimension_value = 'unit_left')"
        ).fetchone()
    assert left == (0, 0)
    got = public_tables(warehouse)
    expected = history.states["day10"]
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


def test_quarantine_over_threshold_exits_3_and_publishes_nothing(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    landing, warehouse = published
    bad = landing / "contacts" / "contacts_broken.csv"
    header = (
        (landing / "contacts" / f"contacts_{DAY[10]}.csv").read_text().splitlines()[0]
    )
    bad.write_text(header + "\n" + "x1,,q_nowhere,voice,,notatime,,,handled\n" * 50)
    with unchanged(warehouse):
        assert _run(landing, warehouse, "--date", DAY[10]) == 3
    assert "quarantined more than" in capsys.readouterr().err


def test_unreadable_file_exits_2_naming_it(
    published: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    landing, warehouse = published
    bad = landing / "contacts" / "contacts_latin1.csv"
    bad.write_bytes("contact_id,queue_id\n\xe9t\xe9,q\n".encode("latin-1"))
    with unchanged(warehouse):
        assert _run(landing, warehouse, "--date", DAY[10]) == 2
    assert "contacts_latin1.csv" in capsys.readouterr().err


def test_a_re_delivery_and_stray_files_are_listed_not_loaded_and_the_run_publishes(
    late_run: LateRun,
) -> None:
    """Once exit 3 (every row of the copy quarantined as a duplicate); now the copy
    is recognised by its bytes and, like a hidden file, listed where people look."""
    warehouse = late_run.warehouse
    assert late_run.exit_code == 0

    out = late_run.out
    assert f"contacts/contacts_{DAY[10]} (1).csv: same_content" in out
    assert "contacts/.contacts_extra.csv: hidden" in out
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(
            "select log_json from audit.run_log order by started_at desc limit 1"
        ).fetchone()
    assert row is not None
    ingest = json.loads(row[0])["ingest"]
    assert ingest["not_loaded_counts"] == {"hidden": 1, "same_content": 1}
    assert ingest["totals"]["contacts"]["rows_quarantined"] == 0
    report = (warehouse.parent / "report" / "opsmart_report.html").read_text()
    assert f"contacts/contacts_{DAY[10]} (1).csv" in report
    assert f"the same bytes as contacts/contacts_{DAY[10]}.csv" in report


def test_a_second_run_waits_for_no_one_it_exits_5(
    published: tuple[Path, Path],
) -> None:
    landing, warehouse = published
    lock = warehouse.parent / f".{warehouse.stem}.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert _run(landing, warehouse, "--date", DAY[10]) == 5


#: The published state a reader sees: the last run's id and two totals a run changes.
STATE_SQL = (
    "select (select max(run_id) from audit.run_log), "
    "(select count(*) from marts.fct_contacts), "
    "(select sum(contacts_offered) from marts.fct_queue_intervals)"
)

#: A reader process, printing STATE_SQL's answer (its last argument) as it goes:
#: `held` keeps one connection for its whole life (an analyst's open session);
#: `fresh` connects anew for every query (a dashboard refresh). They must be separate
#: processes: DuckDB shares one database instance between the connections of a
#: process, so a held connection would pin `fresh` to the old file.
READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    state_sql = sys.argv[4]
    held = duckdb.connect(path, read_only=True) if mode == "held" else None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if held is None:
                with duckdb.connect(path, read_only=True) as fresh:
                    state = fresh.execute(state_sql).fetchone()
            else:
                state = held.execute(state_sql).fetchone()
            print(json.dumps({"state": list(state)}), flush=True)
        except Exception as error:
            print(json.dumps({"error": repr(error)}), flush=True)
        time.sleep(0.05)
    """
)


@dataclass(frozen=True)
class Readers:
    """The published state before and after a run, and what each reader process
    (`held`, `fresh`: READER) printed while it ran."""

    old: list[object]
    new: list[object]
    seen: dict[str, list[dict[str, Any]]]


def _read_during(warehouse: Path, run: Callable[[], int]) -> tuple[int, Readers]:
    """`run()`'s exit code, and what two READER processes saw of `warehouse` from
    2 s before it to 2 s after it."""
    old = _state(warehouse)
    readers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", READER, str(warehouse), mode, "600", STATE_SQL],
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in ("held", "fresh")
    }
    try:
        time.sleep(2.0)
        code = run()
        new = _state(warehouse)
        time.sleep(2.0)
    finally:
        for reader in readers.values():
            reader.send_signal(signal.SIGTERM)
    seen = {
        mode: [json.loads(line) for line in reader.communicate()[0].splitlines()]
        for mode, reader in readers.items()
    }
    return code, Readers(old, new, seen)


def _state(warehouse: Path) -> list[object]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        row = connection.execute(STATE_SQL).fetchone()
    assert row is not None
    return list(row)


def _spawn_run(landing: Path, warehouse: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opsmart",
            "run",
            "--landing",
            str(landing),
            "--warehouse",
            str(warehouse),
            *VARS,
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # each line as it is said
    )


def _kill_when(process: subprocess.Popen[str], marker: str, delay: float) -> str:
    """Read the run's output until `marker`, wait `delay` s, SIGKILL it."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            break
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return "".join(seen)


#: Where the kill test stops a run: (a line of the run's output, seconds after it).
#: dbt's own progress lines (its output goes to the run's) mark the points inside
#: dbt, so each kill lands where it says however fast the machine is; a delay after
#: "dbt build" could land after the run had published on a fast one.
KILL_POINTS = [
    ("fresh warehouse", 0.0),  # before anything is loaded
    ("fresh warehouse", 0.5),  # while loading the landing files
    ("OK created sql table model", 0.0),  # mid-dbt: a table written, more to come
    ("START sql table model reports.", 0.5),  # late dbt: reports and their tests
]


def test_killed_runs_leave_published_untouched(
    published: tuple[Path, Path],
) -> None:
    """Runs killed at several points change nothing: neither the published
    warehouse nor its current export."""
    landing, warehouse = published
    before = file_digest(warehouse)
    export = warehouse.parent / "parquet" / "current"
    export_before = export.resolve()
    for marker, delay in KILL_POINTS:
        run = _spawn_run(landing, warehouse, "--date", DAY[10], "--full-refresh")
        output = _kill_when(run, marker, delay)
        assert marker in output, output
        assert file_digest(warehouse) == before, (marker, delay)
        assert export.resolve() == export_before, (marker, delay)


def test_readers_see_the_old_or_the_new_warehouse_never_a_mix(
    late_run: LateRun,
) -> None:
    """While a run publishes, reader processes query the warehouse throughout and
    see the old state or the new one, never a mix."""
    assert late_run.exit_code == 0, late_run.out
    readers = late_run.readers
    assert readers.old != readers.new  # the new run's id at least
    for mode, observed in readers.seen.items():
        assert [o for o in observed if "error" in o] == [], mode
        states = [o["state"] for o in observed]
        assert {json.dumps(x) for x in states} <= {
            json.dumps(readers.old),
            json.dumps(readers.new),
        }
        assert states[0] == readers.old, mode
    # An open session keeps its snapshot; a new connection sees the new state.
    assert {json.dumps(o["state"]) for o in readers.seen["held"]} == {
        json.dumps(readers.old)
    }
    assert readers.seen["fresh"][-1]["state"] == readers.new
