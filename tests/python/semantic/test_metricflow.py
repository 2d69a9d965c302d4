"""`mf query` gives the same numbers as the marts (docs/semantic_layer.md).

MetricFlow runs the way an analyst runs it: `dbt parse` writes the semantic manifest,
then `mf query` answers from a copy of the small center's warehouse (`mf`'s own
command line, in a subprocess that serves the module's commands: MF_SERVER).
Each answer is compared with the same KPI computed in SQL from the marts, to 1e-9
relative. The copy is held open read-only by this module while `mf` runs, through a
read-only profile, the way analysts hold the published file: MetricFlow must never
need to write.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from opsmart.nightly.dbt_runner import project_dir
from shared_helpers import dbt_captured, unchanged

pytestmark = pytest.mark.pipeline

REL = 1e-9
#: What `dbt parse` reads (dbt_project.yml's paths). The shadow project links these,
#: so `target/` and `logs/`, which `mf` only finds in the project root, stay private.
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "tests")
READ_ONLY_TARGET = "duckdb_readonly"
Key = tuple[Any, ...]


#: `mf`'s command line (`dbt_metricflow.cli.main:cli`, what the `mf` script runs) as
#: a server: one command per line of stdin (its arguments, JSON), one line back
#: (exit code, output). The module's commands share one process: each `mf` process
#: spent 1.7 s of its 2.3 s importing and setting up MetricFlow.
MF_SERVER = r"""
import json, os, sys, tempfile, traceback
import click
from dbt_metricflow.cli.main import cli
answers = os.fdopen(os.dup(1), "w")  # the answers' own descriptor
for line in sys.stdin:
    # All a command prints (click, its spinners, log handlers, a traceback) goes to
    # descriptors 1 and 2, which point at this command's file.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        try:
            cli.main(args=json.loads(line), prog_name="mf", standalone_mode=False)
            code = 0
        except click.ClickException as error:
            error.show()
            code = error.exit_code
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except Exception:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        output.seek(0)
        answers.write(json.dumps([code, output.read()]) + "\n")
        answers.flush()
"""


@dataclass(frozen=True)
class SemanticLayer:
    """A parsed shadow of the project, the warehouse copy `mf` reads, and the `mf`
    server (MF_SERVER) running in the shadow project."""

    project: Path
    warehouse: Path
    server: subprocess.Popen[str]

    def mf(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`mf ARGS`, run by the server; its output is the result's stdout."""
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(json.dumps(args) + "\n")
        self.server.stdin.flush()
        answer = self.server.stdout.readline()
        if not answer:
            errors = self.project / "mf_server.err"
            pytest.fail(f"the mf server stopped: {errors.read_text()}")
        code, output = json.loads(answer)
        return subprocess.CompletedProcess(["mf", *args], code, output, "")

    def query(
        self, metrics: Sequence[str], group_by: Sequence[str] = ()
    ) -> list[dict[str, str]]:
        """`mf query`; its CSV rows (empty string for null)."""
        out = self.project / f"{'-'.join([*metrics, *group_by])}.csv"
        args = ["query", "--quiet", "--metrics", ",".join(metrics)]
        if group_by:
            args += ["--group-by", ",".join(group_by)]
        done = self.mf(*args, "--csv", str(out))
        assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
        with out.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def semantic_layer(
    small_center: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SemanticLayer]:
    root = tmp_path_factory.mktemp("semantic")
    project = root / "project"
    project.mkdir()
    for entry in PROJECT_ENTRIES:
        (project / entry).symlink_to(Path(project_dir()) / entry)
    # The project's profile plus a read-only output: dbt-duckdb opens its file
    # read-write unless DuckDB's access_mode says otherwise.
    profiles = yaml.safe_load((Path(project_dir()) / "profiles.yml").read_text())
    outputs = profiles["opsmart"]["outputs"]
    duckdb_output = outputs["duckdb"]
    outputs[READ_ONLY_TARGET] = {
        **duckdb_output,
        "config_options": {
            **duckdb_output.get("config_options", {}),
            "access_mode": "READ_ONLY",
        },
    }
    (project / "profiles.yml").write_text(yaml.safe_dump(profiles))
    # Same file name as the build's: dbt names the DuckDB catalog after the file,
    # and the semantic manifest's relation names carry it.
    warehouse = root / "opsmart.duckdb"
    shutil.copyfile(small_center / "opsmart.duckdb", warehouse)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBT_", "OPSMART_"))
    }
    env.update(
        OPSMART_WAREHOUSE=str(warehouse),
        OPSMART_TARGET=READ_ONLY_TARGET,
        DBT_PROJECT_DIR=str(project),
        DBT_PROFILES_DIR=str(project),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    parse = [
        "parse",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(project / "target"),  # where `mf` reads semantic_manifest.json
        "--log-path",
        str(root / "logs"),
    ]
    done = dbt_captured(parse, cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "target" / "semantic_manifest.json").exists()
    with (
        unchanged(warehouse, "mf changed the warehouse"),
        (project / "mf_server.err").open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-c", MF_SERVER],
            cwd=project,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as server,
    ):
        yield SemanticLayer(project, warehouse, server)
        assert server.stdin is not None
        server.stdin.close()  # the server ends at the end of its input


@pytest.fixture(scope="module")
def marts(semantic_layer: SemanticLayer) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection held open while `mf` runs, as an analyst's would be."""
    connection = duckdb.connect(str(semantic_layer.warehouse), read_only=True)
    yield connection
    connection.close()


def _sql(connection: duckdb.DuckDBPyConnection, sql: str) -> dict[Key, tuple[Any, ...]]:
    """The query's rows keyed by its key_* columns (as text), the rest as values."""
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    keys = [i for i, name in enumerate(names) if name.startswith("key_")]
    result: dict[Key, tuple[Any, ...]] = {}
    for row in cursor.fetchall():
        key = tuple(None if row[i] is None else str(row[i]) for i in keys)
        assert key not in result, f"duplicate key {key}"
        result[key] = tuple(v for i, v in enumerate(row) if i not in keys)
    return result


def _mf(
    rows: list[dict[str, str]], keys: Sequence[str], values: Sequence[str]
) -> dict[Key, tuple[float | None, ...]]:
    result: dict[Key, tuple[float | None, ...]] = {}
    for row in rows:
        key = tuple(_key(row[name]) for name in keys)
        assert key not in result, f"duplicate key {key}"
        result[key] = tuple(
            None if row[name] == "" else float(row[name]) for name in values
        )
    return result


def _key(text: str) -> str | None:
    """mf writes metric_time__day as '2026-01-05 00:00:00'; the marts' dates are
    '2026-01-05'. Null is the empty string."""
    if text == "":
        return None
    return text.removesuffix(" 00:00:00")


def _assert_close(
    got: dict[Key, tuple[float | None, ...]],
    expected: dict[Key, tuple[Any, ...]],
    names: Sequence[str],
    abs_tol: float = 0.0,
) -> None:
    assert got.keys() == expected.keys()
    assert got, "nothing to compare"
    for key, values in expected.items():
        for name, mine, theirs in zip(names, got[key], values, strict=True):
            if theirs is None:
                assert mine is None, (key, name, mine)
                continue
            assert mine is not None, (key, name, theirs)
            assert math.isclose(mine, float(theirs), rel_tol=REL, abs_tol=abs_tol), (
                key,
                name,
                mine,
                theirs,
            )


def test_configs_validate_against_the_warehouse(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Every semantic model, dimension, entity, measure and metric queries cleanly,
    without warnings."""
    done = semantic_layer.mf("validate-configs", "--show-all")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert not re.search(r"(ERRORS|WARNINGS): [1-9]", output), output
    assert "ERRORS: 0" in output, output  # the checks ran, and said so


DAY_KPIS = (
    "service_level_rate",
    "abandonment_rate",
    "asa_seconds",
    "aht_seconds",
    "occupancy_rate",
)


def test_kpis_by_queue_and_day_equal_fct_queue_days(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Service level, abandonment, ASA, AHT and occupancy by queue x day are the
    numbers fct_queue_days publishes; cost per contact is the day's contacts' cost
    over the contacts that carry one (fct_contacts), which fct_queue_days publishes
    rounded to 4 decimals."""
    metrics = [*DAY_KPIS, "cost_per_contact_amount"]
    rows = semantic_layer.query(metrics, ["queue", "metric_time__day"])
    got = _mf(rows, ["queue", "metric_time__day"], metrics)

    published = _sql(
        marts,
        f"""
        select queue_id as key_queue, interval_date as key_day, {", ".join(DAY_KPIS)}
        from marts.fct_queue_days
        """,
    )
    _assert_close(
        {key: values[: len(DAY_KPIS)] for key, values in got.items()},
        published,
        DAY_KPIS,
    )
    assert any(values[0] is not None for values in published.values())

    got_cost = {key: values[-1:] for key, values in got.items()}
    contact_costs = _sql(
        marts,
        """
        with days as (select queue_id, interval_date from marts.fct_queue_days)
        select
            days.queue_id as key_queue,
            days.interval_date as key_day,
            sum(contacts.cost_amount) / nullif(count(contacts.cost_amount), 0)
                as cost_per_contact_amount
        from days
        left join marts.fct_contacts as contacts
            on days.queue_id = contacts.queue_id
            and days.interval_date = contacts.interval_date
        group by 1, 2
        """,
    )
    _assert_close(got_cost, contact_costs, ["cost_per_contact_amount"])
    rounded = _sql(
        marts,
        """
        select queue_id as key_queue, interval_date as key_day, cost_per_contact_amount
        from marts.fct_queue_days
        """,
    )
    _assert_rounded(got_cost, rounded)
    assert sum(v is not None for (v,) in rounded.values()) > 100


def _assert_rounded(
    got: dict[Key, tuple[float | None, ...]], rounded: dict[Key, tuple[Any, ...]]
) -> None:
    """The marts publish the same ratio rounded to 4 decimals."""
    assert got.keys() == rounded.keys()
    for key, values in rounded.items():
        for mine, theirs in zip(got[key], values, strict=True):
            if theirs is None:
                assert mine is None, key
                continue
            assert mine is not None, key
            assert abs(mine - float(theirs)) <= 0.5e-4 + 1e-9, (key, mine, theirs)


COST_METRICS = (
    "cost_per_contact_amount",
    "cost_per_resolved_contact_amount",
    "cost_to_serve_per_customer_amount",
)


def test_costs_by_queue_and_month_equal_the_report(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Cost per contact, per resolved contact and to serve per customer by queue x
    month are rpt_cost_vs_satisfaction's (one number: it rounds to 4 decimals), and
    payroll = allocated + unallocated there too."""
    metrics = [
        *COST_METRICS,
        "staff_cost_amount",
        "cost_amount",
        "unallocated_staff_cost_amount",
    ]
    rows = semantic_layer.query(metrics, ["queue", "metric_time__month"])
    got = _mf(rows, ["queue", "metric_time__month"], metrics)
    report = _sql(
        marts,
        f"""
        select
            dimension_value as key_queue,
            period_start_date as key_month,
            {", ".join(COST_METRICS)}
        from reports.rpt_cost_vs_satisfaction
        where dimension_type = 'queue' and period_grain = 'month'
        """,
    )
    # mf has a row for every queue x month with any measure (payroll of a queue
    # without contacts, say); the report one for every queue with contacts.
    assert report.keys() <= got.keys()
    _assert_rounded({key: got[key][:3] for key in report}, report)
    assert sum(values[0] is not None for values in report.values()) >= 6
    for key, (*_, payroll, allocated, unallocated) in got.items():
        if payroll is None:
            assert allocated is None and unallocated is None, key
            continue
        assert math.isclose(payroll, (allocated or 0) + (unallocated or 0)), key


def test_aht_and_asa_by_queue(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Over the whole period: the answered-weighted mean of fct_queue_days' days
    (a ratio of sums, never a mean of ratios)."""
    rows = semantic_layer.query(["aht_seconds", "asa_seconds"], ["queue"])
    expected = _sql(
        marts,
        """
        select
            queue_id as key_queue,
            sum(aht_seconds * contacts_answered) / nullif(sum(contacts_answered), 0)
                as aht_seconds,
            sum(asa_seconds * contacts_answered) / nullif(sum(contacts_answered), 0)
                as asa_seconds
        from marts.fct_queue_days
        group by 1
        """,
    )
    got = _mf(rows, ["queue"], ["aht_seconds", "asa_seconds"])
    _assert_close(got, expected, ["aht_seconds", "asa_seconds"])


def test_csat_by_queue(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Top-2-box share of CSAT answers (macro csat_rate, csat_method top2box); the
    null queue holds answers about no contact."""
    rows = semantic_layer.query(["csat_rate"], ["queue"])
    expected = _sql(
        marts,
        """
        select
            queue_id as key_queue,
            avg(case when is_top2box then 1.0 when not is_top2box then 0.0 end)
                filter (where survey_type = 'csat') as csat_rate
        from marts.fct_survey_responses
        group by 1
        """,
    )
    _assert_close(_mf(rows, ["queue"], ["csat_rate"]), expected, ["csat_rate"])
    assert sum(v is not None for (v,) in expected.values()) >= 2


def test_nps_overall(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """% promoters - % detractors of all NPS answers (macro nps)."""
    rows = semantic_layer.query(["nps"])
    expected = _sql(
        marts,
        """
        select
            100.0 * (
                count(*) filter (where nps_category = 'promoter')
                - count(*) filter (where nps_category = 'detractor')
            ) / nullif(count(*) filter (where survey_type = 'nps'), 0) as nps
        from marts.fct_survey_responses
        """,
    )
    assert next(iter(expected.values()))[0] is not None
    _assert_close(_mf(rows, [], ["nps"]), expected, ["nps"])


def test_churn_by_month(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Churned customer months over customer months, per calendar month."""
    rows = semantic_layer.query(["churn_rate"], ["metric_time__month"])
    expected = _sql(
        marts,
        """
        select
            month_start_date as key_month,
            count(*) filter (where is_churned) / count(*) as churn_rate
        from marts.fct_customer_months
        group by 1
        """,
    )
    assert len(expected) >= 2 and any(rate for (rate,) in expected.values())
    _assert_close(
        _mf(rows, ["metric_time__month"], ["churn_rate"]), expected, ["churn_rate"]
    )


FORECAST_SUMS = (
    "contacts_offered_forecast",
    "contacts_offered_upper_80",
    "contacts_offered_upper_95",
)


def test_forecast_by_queue_and_day_equals_the_report(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Forecast offered contacts and their upper bounds by queue x day are the sums
    of rpt_queue_interval_forecasts' intervals; the forecast AHT is their handle
    seconds over their answered contacts (aht weighted by answered, never a mean of
    the intervals' AHTs)."""
    metrics = [*FORECAST_SUMS, "aht_seconds_forecast"]
    rows = semantic_layer.query(metrics, ["queue", "metric_time__day"])
    expected = _sql(
        marts,
        """
        select
            queue_id as key_queue,
            interval_date as key_day,
            sum(contacts_offered_forecast),
            sum(contacts_offered_upper_80),
            sum(contacts_offered_upper_95),
            sum(aht_seconds_forecast * contacts_answered_forecast)
                / nullif(sum(contacts_answered_forecast), 0)
        from reports.rpt_queue_interval_forecasts
        group by 1, 2
        """,
    )
    # The small center's 5 weeks forecast its queues 14 days ahead (a queue closed
    # on a day forecasts it 0).
    assert len(expected) >= 14 * 2
    assert sum(values[0] > 0 for values in expected.values()) >= 14
    assert sum(values[3] is not None for values in expected.values()) >= 14
    _assert_close(_mf(rows, ["queue", "metric_time__day"], metrics), expected, metrics)


PLAN_SUMS = (
    "scheduled_agent_hours",
    "scheduled_agent_hours_upper_95",
    "planned_staff_cost_amount",
    "planned_staff_cost_upper_95_amount",
)


def test_plan_by_queue_and_week_equals_the_daily_report(
    semantic_layer: SemanticLayer, marts: duckdb.DuckDBPyConnection
) -> None:
    """Scheduled agent-hours and staff cost (point and upper 95 %) by queue x week
    are the sums of rpt_staffing_plan_daily's days."""
    rows = semantic_layer.query(PLAN_SUMS, ["queue", "metric_time__week"])
    expected = _sql(
        marts,
        """
        select
            queue_id as key_queue,
            date_trunc('week', interval_date)::date as key_week,
            sum(scheduled_agent_hours),
            sum(scheduled_agent_hours_upper_95),
            sum(staff_cost_amount),
            sum(staff_cost_upper_95_amount)
        from reports.rpt_staffing_plan_daily
        group by 1, 2
        """,
    )
    assert len(expected) >= 2
    assert any(values[0] is not None and values[0] > 0 for values in expected.values())
    _assert_close(
        _mf(rows, ["queue", "metric_time__week"], PLAN_SUMS), expected, PLAN_SUMS
    )
