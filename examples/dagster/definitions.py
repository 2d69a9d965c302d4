"""Optional Dagster definitions for the opsmart nightly run.

    dagster dev -f examples/dagster/definitions.py

Every dbt model and seed of the project is a Dagster asset (lineage, groups and the
dbt tests as asset checks come from the manifest, via dagster-dbt), partitioned by
day. Materializing a partition does NOT call `dbt build`: it runs

    opsmart run --landing $OPSMART_LANDING --warehouse $OPSMART_WAREHOUSE --date DAY

which owns the work copy, the validation and the atomic publish (docs/nightly.md),
then reports each model and test from the run_results.json that run's dbt build left
in `<warehouse dir>/target/`. A schedule at 02:30 on the center's clock materializes
yesterday. Partitions are the center's local days, as `opsmart run --date` reads
them: the zone is the var reporting_timezone of the project's dbt_project.yml.

Configuration (environment variables):
    OPSMART_PROJECT_DIR  the dbt project (default: the checkout this file is in)
    OPSMART_LANDING      landing folder (default: $OPSMART_PROJECT_DIR/build/landing)
    OPSMART_WAREHOUSE    published DuckDB file (default: .../build/opsmart.duckdb)
    OPSMART_BIN          the `opsmart` command (default: $OPSMART_PROJECT_DIR/.venv/bin/
                         opsmart if present, else `opsmart` on PATH)
    OPSMART_DBT_TARGET   where the manifest is parsed to (default: .../target)
"""

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import yaml
from dagster_dbt import DbtProject, dbt_assets

PROJECT_DIR = Path(
    os.environ.get("OPSMART_PROJECT_DIR", Path(__file__).resolve().parents[2])
).resolve()
LANDING = Path(os.environ.get("OPSMART_LANDING", PROJECT_DIR / "build" / "landing"))
WAREHOUSE = Path(
    os.environ.get("OPSMART_WAREHOUSE", PROJECT_DIR / "build" / "opsmart.duckdb")
)
_VENV_BIN = PROJECT_DIR / ".venv" / "bin" / "opsmart"
OPSMART_BIN = os.environ.get("OPSMART_BIN") or (
    str(_VENV_BIN) if _VENV_BIN.exists() else "opsmart"
)

# The center's zone: `opsmart run --date D` is its local day D, so a partition is one.
TIMEZONE = (
    yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    .get("vars", {})
    .get("reporting_timezone", "UTC")
)
# The first day a partition exists for (local days, as `opsmart run --date`).
DAILY = dg.DailyPartitionsDefinition(start_date="2026-01-01", timezone=TIMEZONE)

# The manifest only describes the project (no warehouse is opened). `dagster dev`
# re-parses it on every reload; elsewhere it is parsed once if missing (needs `dbt`
# on PATH), or ship one with `dagster-dbt project prepare-and-package`.
DBT_TARGET = Path(os.environ.get("OPSMART_DBT_TARGET", PROJECT_DIR / "target"))
DBT_PROJECT = DbtProject(project_dir=PROJECT_DIR, target_path=DBT_TARGET.resolve())
DBT_PROJECT.prepare_if_dev()
if not DBT_PROJECT.manifest_path.exists():
    DBT_PROJECT.preparer.prepare(DBT_PROJECT)

EXIT_MEANING = {
    1: "a dbt model or test failed (see <warehouse dir>/logs/dbt.log)",
    2: "bad input: an unreadable landing file or bad arguments",
    3: "more rows quarantined than --max-quarantine-rate allows",
    4: "an error-severity validation failed (see the run log)",
    5: "another run holds the warehouse lock",
    6: "published, but the HTML report could not be written",
    7: "the machine refused: a full disk, a missing permission, a read-only file "
    "system (the message names the path)",
}
_UNIQUE_ID = "dagster_dbt/unique_id"  # metadata dagster-dbt puts on each spec
_BUILT = {"success", "no-op", "reused", "warn"}  # dbt statuses of a built node


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    partitions_def=DAILY,  # a backfill is one run (single_run policy): --from/--to
    pool="opsmart_warehouse",  # one run at a time per warehouse (the CLI locks anyway)
)
def opsmart_nightly(
    context: dg.AssetExecutionContext,
) -> Iterator[dg.Output[None] | dg.AssetCheckResult]:
    """`opsmart run` for the partition's day(s); reports dbt's run results."""
    first, last = context.partition_key_range  # one day, or a backfill's range
    days = ["--date", first] if first == last else ["--from", first, "--to", last]
    command = [OPSMART_BIN, "run", "--landing", str(LANDING)]
    command += ["--warehouse", str(WAREHOUSE), *days]
    if context.selected_asset_keys != context.assets_def.keys:
        context.log.warning("opsmart run builds every model; a subset limits reports")

    context.log.info(" ".join(command))
    started = time.time()
    done = subprocess.run(
        command,
        env={**os.environ, "OPSMART_PROJECT_DIR": str(PROJECT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    context.log.info(done.stdout[-50_000:])  # one event: the CLI's and dbt's output
    if done.returncode == 5:  # the lock: a run outside Dagster (cron, by hand) is busy
        raise dg.RetryRequested(max_retries=6, seconds_to_wait=600)
    if done.returncode != 0:
        raise dg.Failure(
            description=f"opsmart run exited {done.returncode}: "
            + EXIT_MEANING.get(done.returncode, "unexpected error"),
            metadata={"exit_code": done.returncode, "output": done.stdout[-4000:]},
        )

    # Published. Report what the run's `dbt build` did, node by node.
    results_path = WAREHOUSE.resolve().parent / "target" / "run_results.json"
    if not results_path.exists() or results_path.stat().st_mtime < started:
        raise dg.Failure(f"opsmart run published but left no fresh {results_path}")
    results = json.loads(results_path.read_text())["results"]
    assets = context.assets_def
    key_by_id = {spec.metadata[_UNIQUE_ID]: spec.key for spec in assets.specs}
    check_by_id = {spec.metadata[_UNIQUE_ID]: spec.key for spec in assets.check_specs}
    for result in results:
        unique_id, status = result["unique_id"], result["status"]
        metadata = {"dbt_status": status, "execution_seconds": result["execution_time"]}
        key = key_by_id.get(unique_id)
        if key is not None and status in _BUILT:
            output = assets.get_output_name_for_asset_key(key)
            if output in context.selected_output_names:
                yield dg.Output(None, output_name=output, metadata=metadata)
        check = check_by_id.get(unique_id)
        if check is not None and check in context.selected_asset_check_keys:
            if status == "skipped":
                continue
            yield dg.AssetCheckResult(
                asset_key=check.asset_key,
                check_name=check.name,
                passed=status == "pass",
                severity=dg.AssetCheckSeverity.WARN
                if status == "warn"
                else dg.AssetCheckSeverity.ERROR,
                metadata={**metadata, "failures": result.get("failures") or 0},
            )


nightly_job = dg.define_asset_job(
    "opsmart_nightly_job", selection=dg.AssetSelection.assets(opsmart_nightly)
)
# Daily partitions end at local midnight: the tick at 02:30 local runs the day just
# ended.
nightly_schedule = dg.build_schedule_from_partitioned_job(
    nightly_job, hour_of_day=2, minute_of_hour=30
)

defs = dg.Definitions(
    assets=[opsmart_nightly], jobs=[nightly_job], schedules=[nightly_schedule]
)

if shutil.which(OPSMART_BIN) is None:  # visible at load time, not at 02:30
    dg.get_dagster_logger().warning("%s not found; set OPSMART_BIN", OPSMART_BIN)
