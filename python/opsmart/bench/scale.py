"""Benchmark: the pipeline on a year of a large center, against what DuckDB can do.

``python -m opsmart.bench scale [--agents 500] [--months 1,3,12] [--json PATH]``

In one run, for each history length (1, 3 and 12 months of the same generated
center) it measures, each in its own process with the peak memory of its whole
process tree:

- ``opsmart build``: the full rebuild (load with quarantine, Great Expectations on
  inputs, dbt build with every test, GX on the marts, Parquet export, report);
- ``opsmart run --date D``: the nightly increment for the day after the history;
- the *floor*: the headline marts computed by one hand-written DuckDB SQL script over
  the same landing files (:mod:`opsmart.bench.floor`), with DuckDB's default memory
  (80 % of the machine's), as issue 19 measured it; and again under the pipeline's
  own memory cap (*floor at the cap*, ``$OPSMART_MEMORY_LIMIT``, default 1792MB),
  what DuckDB does in the memory the pipeline is given;
- the *notebook*: the same marts in plain pandas (:mod:`opsmart.bench.notebook`);
- on the longest history only, the *forecast + plan*: ``dbt build`` of the forecast
  and staffing-plan models (opsmart.forecast's forecast, backtest and plan, with
  their inputs and reports) on the warehouse the nightly day has just updated.

With ``--size-agents N`` it also runs one month of an N-agent center (the *size*
row), so the table shows how cost grows with the center's size as well as its
history. Speed is reported as ratios between these runs of the same command, which
hold on a noisy machine where seconds do not. The generated landing data is cached
(by agents, days and seed) so later runs skip the generation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from opsmart.bench.measure import Measured, run_measured
from opsmart.nightly.connection import memory_limit
from opsmart.nightly.dbt_runner import DBT_MAIN, dbt_arguments

__all__ = ["main", "run"]

#: Days of history per benchmarked length; the day after each is the nightly day.
MONTH_DAYS = {1: 30, 3: 91, 6: 182, 12: 365}
EVENT_SOURCES = ("contacts", "agent_intervals", "survey_responses")
SNAPSHOT_SOURCES = ("customers", "costs")
#: The generated year's first day. The whole year (and its nightly day) must lie in
#: the past: the load sets aside every timestamp after the wall clock plus a day
#: (`opsmart.ingest.span`), so a year that ran into the future would quarantine its
#: last weeks and stop the build.
START = date(2025, 1, 6)
GIB = 1024**3
#: The forecast and the plan: the forecast's history model and everything after it
#: (the Python models over opsmart.forecast's forecast_queues, backtest_queues and
#: staffing plan, int_staffing_plan_inputs_joined, the four reports), with their tests.
FORECAST_SELECT = "int_forecast_histories_joined+"


def ensure_dataset(
    cache: Path, *, agents: int, days: int, seed: int, progress: Any = print
) -> dict[str, Any]:
    """The generated landing folder for (agents, days, seed), generated once."""
    folder = cache / f"center_{agents}a_{days}d_seed{seed}_from{START.isoformat()}"
    marker = folder / "dataset.json"
    if marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text())
        info["cached"] = True
        return info
    if folder.exists():
        shutil.rmtree(folder)  # an interrupted generation
    folder.mkdir(parents=True)
    progress(f"generating {days} days of a {agents}-agent center (cached after)...")
    measured = run_measured(
        [
            sys.executable, "-m", "opsmart", "generate",
            "--out", str(folder / "landing"),
            "--days", str(days), "--agents", str(agents), "--seed", str(seed),
            "--start", START.isoformat(), "--format", "parquet",
        ],
        log_path=folder / "generate.log",
    )  # fmt: skip
    _check(measured, "generate", folder / "generate.log")
    info = {
        "agents": agents,
        "days": days,
        "seed": seed,
        "landing": str(folder / "landing"),
        "generate_seconds": measured.seconds,
        "generate_peak_rss_bytes": measured.peak_rss_bytes,
    }
    marker.write_text(json.dumps(info, indent=2))
    info["cached"] = False
    return info


def link_days(source_landing: Path, landing: Path, days: int) -> None:
    """Make `landing` hold the first `days` daily files and every snapshot.

    Files are hard links (copies across file systems): the load step refuses
    symbolic links. Adding days later only adds files, as new files land in a real
    landing folder.
    """
    for source in EVENT_SOURCES:
        (landing / source).mkdir(parents=True, exist_ok=True)
        for offset in range(days):
            day = START + timedelta(days=offset)
            name = f"{source}_{day.isoformat()}.parquet"
            _place(source_landing / source / name, landing / source / name)
    for source in SNAPSHOT_SOURCES:
        (landing / source).mkdir(parents=True, exist_ok=True)
        for target in (source_landing / source).glob("*.parquet"):
            _place(target, landing / source / target.name)


def _place(target: Path, link: Path) -> None:
    if not target.exists() or link.exists():
        return
    try:
        os.link(target, link)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(target, link)


def _check(measured: Measured, what: str, log_path: Path) -> None:
    if measured.returncode != 0:
        raise RuntimeError(
            f"{what} failed with exit code {measured.returncode}; see {log_path}"
        )


def _last_run_steps(warehouse: Path) -> dict[str, float]:
    runs = sorted((warehouse.parent / "runs").glob("*.json"))
    record = json.loads(runs[-1].read_text())
    return {step["name"]: step["seconds"] for step in record["steps"]}


def _opsmart(*args: str) -> list[str]:
    return [sys.executable, "-m", "opsmart", *args]


def _baseline(
    kind: str, landing: Path, log_path: Path, *options: str
) -> dict[str, Any]:
    result_path = log_path.with_suffix(".json")
    measured = run_measured(
        [
            sys.executable, "-m", "opsmart.bench", "baseline", kind,
            "--landing", str(landing), "--json", str(result_path), *options,
        ],
        log_path=log_path,
    )  # fmt: skip
    _check(measured, f"{kind} baseline", log_path)
    return {
        "seconds": measured.seconds,
        "peak_rss_bytes": measured.peak_rss_bytes,
        **json.loads(result_path.read_text()),
    }


def run_history(
    source_landing: Path,
    work: Path,
    months: int,
    *,
    pandas: bool,
    progress: Any = print,
    name: str | None = None,
    forecast: bool = False,
) -> dict[str, Any]:
    """Full build, nightly day, floor and notebook on `months` of history, and with
    `forecast` the forecast + plan on the warehouse after the nightly day.

    Its warehouse and logs go to ``work/<name>`` (default ``history_<months>m``).
    """
    days = MONTH_DAYS[months]
    folder = work / (name or f"history_{months:02d}m")
    if folder.exists():
        shutil.rmtree(folder)
    landing, warehouse = folder / "landing", folder / "warehouse" / "opsmart.duckdb"
    link_days(source_landing, landing, days)
    result: dict[str, Any] = {"months": months, "days": days}

    progress(f"[{months:>2} m] floor: hand-written DuckDB SQL")
    result["floor"] = _baseline("floor", landing, folder / "floor.log")
    cap = memory_limit()
    progress(f"[{months:>2} m] floor at the pipeline's memory cap ({cap})")
    result["floor_at_cap"] = {
        "memory_limit": cap,
        **_baseline(
            "floor", landing, folder / "floor_at_cap.log", "--memory-limit", cap
        ),
    }
    if pandas:
        progress(f"[{months:>2} m] notebook: pandas")
        result["notebook"] = _baseline("notebook", landing, folder / "notebook.log")

    progress(f"[{months:>2} m] full build: opsmart build")
    full = run_measured(
        _opsmart("build", "--landing", str(landing), "--warehouse", str(warehouse)),
        log_path=folder / "build.log",
    )
    _check(full, "opsmart build", folder / "build.log")
    result["full"] = {
        "seconds": full.seconds,
        "peak_rss_bytes": full.peak_rss_bytes,
        "steps": _last_run_steps(warehouse),
    }

    next_day = START + timedelta(days=days)
    link_days(source_landing, landing, days + 1)
    progress(f"[{months:>2} m] nightly day: opsmart run --date {next_day}")
    day = run_measured(
        _opsmart(
            "run", "--landing", str(landing), "--warehouse", str(warehouse),
            "--date", next_day.isoformat(),
        ),
        log_path=folder / "run.log",
    )  # fmt: skip
    _check(day, "opsmart run", folder / "run.log")
    result["incremental"] = {
        "date": next_day.isoformat(),
        "seconds": day.seconds,
        "peak_rss_bytes": day.peak_rss_bytes,
        "steps": _last_run_steps(warehouse),
    }
    result["rows"] = landing_rows(landing)
    if forecast:
        progress(
            f"[{months:>2} m] forecast + plan: dbt build --select {FORECAST_SELECT}"
        )
        result["forecast"] = run_forecast(warehouse, folder)
    return result


def run_forecast(warehouse: Path, folder: Path) -> dict[str, Any]:
    """``dbt build`` of the forecast and plan models on `warehouse`, measured.

    The pipeline's own path: the package code runs in its dbt Python models, on the
    history and plan inputs their SQL models read from the warehouse, and the
    reports and their tests are built as in the full build, so the time is a share
    of it. The models are rebuilt from the whole history every run, so building
    them again leaves the warehouse's tables as they were. dbt parses the project
    first, untimed (its own state in ``folder/forecast_dbt``), so the time is the
    build's alone. Logs: ``folder/forecast_parse.log``, ``folder/forecast.log``.
    """
    state = folder / "forecast_dbt"
    env = {"OPSMART_WAREHOUSE": warehouse.name, "OPSMART_RUN_WINDOW_START": ""}

    def dbt(args: list[str], log_path: Path) -> Measured:
        # As run_dbt: in the warehouse's folder, given the file's name.
        command = [
            sys.executable,
            "-c",
            DBT_MAIN,
            *dbt_arguments(args, state_dir=state),
        ]
        measured = run_measured(
            command, env=env, log_path=log_path, cwd=warehouse.parent
        )
        _check(measured, f"dbt {args[0]}", log_path)
        return measured

    dbt(["parse"], folder / "forecast_parse.log")
    build = dbt(
        [
            "build", "--select", FORECAST_SELECT,
            "--exclude-resource-type", "unit_test",
        ],
        folder / "forecast.log",
    )  # fmt: skip
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        queues, intervals = _one(
            connection,
            "select count(distinct queue_id), count(*)"
            " from reports.rpt_queue_interval_forecasts",
        )
        (plan_rows,) = _one(
            connection, "select count(*) from reports.rpt_staffing_plan"
        )
    return {
        "seconds": build.seconds,
        "peak_rss_bytes": build.peak_rss_bytes,
        "queues": queues,
        "forecast_rows": intervals,
        "plan_rows": plan_rows,
    }


def _one(connection: Any, sql: str) -> tuple[Any, ...]:
    row = connection.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql}")
    return tuple(row)


def landing_rows(landing: Path) -> dict[str, int]:
    """Rows per source of a Parquet landing folder, from the files' metadata."""
    import pyarrow.parquet as pq

    return {
        source: sum(
            pq.ParquetFile(path).metadata.num_rows
            for path in sorted((landing / source).glob("*.parquet"))
        )
        for source in (*EVENT_SOURCES, *SNAPSHOT_SOURCES)
    }


def _queueing(python: str | None, work: Path) -> dict[str, Any] | None:
    """The queueing kernel vs pyworkforce, in the interpreter that has pyworkforce."""
    if python is None:
        return None
    out = work / "queueing.json"
    package_root = Path(__file__).resolve().parents[2]
    measured = run_measured(
        [python, "-m", "opsmart.bench", "queueing", "--json", str(out)],
        env={"PYTHONPATH": str(package_root)},
        log_path=work / "queueing.log",
    )
    _check(measured, "queueing benchmark", work / "queueing.log")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def run(
    *,
    agents: int,
    months: list[int],
    seed: int,
    cache: Path,
    work: Path,
    pandas: bool = True,
    pyworkforce_python: str | None = None,
    size_agents: int | None = None,
    progress: Any = print,
) -> dict[str, Any]:
    """Run the benchmark and return every figure as a dict (the JSON written)."""
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    days = max(MONTH_DAYS[m] for m in months) + 1
    dataset = ensure_dataset(
        cache, agents=agents, days=days, seed=seed, progress=progress
    )
    landing = Path(dataset["landing"])
    histories = [
        run_history(
            landing,
            work,
            m,
            pandas=pandas,
            progress=progress,
            forecast=m == max(months),
        )
        for m in sorted(months)
    ]
    size = None
    if size_agents:
        size = run_size(
            size_agents, seed=seed, cache=cache, work=work, progress=progress
        )
    return {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "dataset": dataset,
        "histories": histories,
        "size": size,
        "queueing": _queueing(pyworkforce_python, work),
        "targets": targets(histories),
        "seconds": time.perf_counter() - started,
    }


def run_size(
    agents: int, *, seed: int, cache: Path, work: Path, progress: Any = print
) -> dict[str, Any]:
    """One month of an `agents`-agent center: the size row of the table."""
    dataset = ensure_dataset(
        cache, agents=agents, days=MONTH_DAYS[1] + 1, seed=seed, progress=progress
    )
    progress(f"[size] one month of {agents} agents")
    history = run_history(
        Path(dataset["landing"]),
        work,
        1,
        pandas=False,
        progress=progress,
        name=f"size_{agents}a_01m",
    )
    return {"agents": agents, "dataset": dataset, **history}


def targets(histories: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's targets, evaluated on the longest history (ratios of one run)."""
    longest = histories[-1]
    full = longest["full"]["seconds"]
    out: dict[str, Any] = {
        "full_over_floor": full / longest["floor"]["seconds"],
        "full_over_floor_at_cap": full / longest["floor_at_cap"]["seconds"],
        "full_peak_rss_gib": longest["full"]["peak_rss_bytes"] / GIB,
        "incremental_over_full": longest["incremental"]["seconds"] / full,
    }
    if "notebook" in longest:
        out["notebook_over_full"] = longest["notebook"]["seconds"] / full
    if "forecast" in longest:
        out["forecast_over_full"] = longest["forecast"]["seconds"] / full
    shortest = histories[0]
    if len(histories) > 1:
        out["incremental_growth"] = (
            longest["incremental"]["seconds"] / shortest["incremental"]["seconds"]
        )
        out["history_growth"] = longest["days"] / shortest["days"]
    return out


def _gib(value: float) -> str:
    return f"{value / GIB:.2f} GB"


def table(result: dict[str, Any]) -> str:
    """The figures as a terminal table."""
    data = result["dataset"]
    lines = [
        f"opsmart scale benchmark: {data['agents']} agents, seed {data['seed']}, "
        f"{result['machine']['cpus']} cores; {data['days']} days generated in "
        f"{data['generate_seconds']:.0f} s "
        f"(peak {_gib(data['generate_peak_rss_bytes'])})"
        + (", cached" if data["cached"] else ""),
        "",
        f"{'history':<9}{'contacts':>11}{'full build':>12}{'peak RSS':>10}"
        f"{'nightly day':>13}{'day/full':>10}{'floor':>9}{'full/floor':>12}"
        f"{'pandas':>9}{'pandas/full':>13}",
    ]
    for h in result["histories"]:
        full, day, floor = h["full"], h["incremental"], h["floor"]
        row = (
            f"{h['months']:>2} months{h['rows']['contacts']:>11,}"
            f"{full['seconds']:>10.1f} s{_gib(full['peak_rss_bytes']):>10}"
            f"{day['seconds']:>11.1f} s{day['seconds'] / full['seconds']:>10.1%}"
            f"{floor['seconds']:>7.1f} s{full['seconds'] / floor['seconds']:>11.1f}x"
        )
        if "notebook" in h:
            nb = h["notebook"]["seconds"]
            row += f"{nb:>7.1f} s{nb / full['seconds']:>12.2f}x"
        lines.append(row)
    lines += ["", "steps (seconds)       " + "".join(
        f"{h['months']:>6}m full{h['months']:>5}m day" for h in result["histories"]
    )]  # fmt: skip
    names = list(result["histories"][-1]["full"]["steps"])
    for name in names:
        lines.append(
            f"  {name:<20}"
            + "".join(
                f"{h['full']['steps'].get(name, 0):>11.1f}"
                f"{h['incremental']['steps'].get(name, 0):>11.1f}"
                for h in result["histories"]
            )
        )
    t = result["targets"]
    at_cap = result["histories"][-1]["floor_at_cap"]
    lines += [
        "",
        "targets (longest history):",
        f"  full build / DuckDB floor      {t['full_over_floor']:8.1f}x  "
        "(target <= 2.5x)",
        f"    floor at the pipeline's memory cap ({at_cap['memory_limit']}): "
        f"{at_cap['seconds']:.1f} s, peak {_gib(at_cap['peak_rss_bytes'])}; "
        f"full build / it {t['full_over_floor_at_cap']:.1f}x",
        f"  peak memory of the full build  {t['full_peak_rss_gib']:8.2f} GB "
        "(target < 3)",
        f"  nightly day / full build       {t['incremental_over_full']:8.1%}  "
        "(target < 10%)",
    ]
    if "notebook_over_full" in t:
        lines.append(
            f"  pandas notebook / full build   {t['notebook_over_full']:8.2f}x  "
            "(target >= 10x)"
        )
    if "incremental_growth" in t:
        lines.append(
            f"  nightly day, longest / shortest history "
            f"{t['incremental_growth']:.2f}x for {t['history_growth']:.1f}x the "
            "history (target <= 1.3x)"
        )
    longest = result["histories"][-1]
    if "forecast" in longest:
        lines += ["", forecast_line(result["dataset"]["agents"], longest)]
    if result.get("size"):
        lines += ["", *size_lines(result)]
    q = result["queueing"]
    if q and q.get("pyworkforce"):
        pw = q["pyworkforce"]
        lines += [
            "",
            f"queueing kernel vs pyworkforce ({q['rows']:,} rows): Erlang C service "
            f"level {pw['speedup_service_level']:.0f}x, required agents "
            f"{pw['speedup_required_agents']:.0f}x faster; Erlang A "
            f"{q['opsmart_erlang_a_rows_per_s']:,.0f} rows/s",
        ]
    return "\n".join(lines)


def forecast_line(agents: int, history: dict[str, Any]) -> str:
    """The forecast + plan of a history, and its share of that history's full build."""
    fc = history["forecast"]
    return (
        f"forecast + plan ({agents:,} agents, {history['months']} months): "
        f"{fc['seconds']:.1f} s, peak {_gib(fc['peak_rss_bytes'])}, "
        f"{fc['queues']:,} queues, {fc['plan_rows']:,} plan rows "
        f"({fc['seconds'] / history['full']['seconds']:.1%} of the full build)"
    )


def size_lines(result: dict[str, Any]) -> list[str]:
    """One month of the benchmarked center next to one month of a larger one."""
    size = result["size"]
    rows = [(result["dataset"]["agents"], h) for h in result["histories"]]
    rows = [(a, h) for a, h in rows if h["months"] == 1] + [(size["agents"], size)]
    lines = [
        f"{'one month':<11}{'agents':>7}{'contacts':>11}{'full build':>12}"
        f"{'peak RSS':>10}{'nightly day':>13}{'floor':>9}{'full/floor':>12}"
    ]
    for agents, h in rows:
        full, day, floor = h["full"], h["incremental"], h["floor"]
        lines.append(
            f"{'':<11}{agents:>7,}{h['rows']['contacts']:>11,}"
            f"{full['seconds']:>10.1f} s{_gib(full['peak_rss_bytes']):>10}"
            f"{day['seconds']:>11.1f} s{floor['seconds']:>7.1f} s"
            f"{full['seconds'] / floor['seconds']:>11.1f}x"
        )
    if len(rows) == 2:
        (small_agents, small), (big_agents, big) = rows

        def ratio(*keys: str) -> str:
            big_value, small_value = big, small
            for key in keys:
                big_value, small_value = big_value[key], small_value[key]
            return f"{big_value / small_value:.1f}x"

        lines.append(
            f"  {big_agents:,} / {small_agents:,} agents: "
            f"{ratio('rows', 'contacts')} the contacts, "
            f"{ratio('full', 'seconds')} the full build, "
            f"{ratio('incremental', 'seconds')} the nightly day, "
            f"{ratio('full', 'peak_rss_bytes')} the peak memory"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m opsmart.bench scale",
        description="Full rebuild, nightly day, DuckDB floor and pandas notebook on "
        "1, 3 and 12 months of a generated center; a table and JSON.",
    )
    parser.add_argument("--agents", type=int, default=500, help="default 500")
    parser.add_argument(
        "--months",
        default="1,3,12",
        help=f"history lengths in months, from {sorted(MONTH_DAYS)} (default 1,3,12)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("build/bench/cache"),
        help="where generated data is kept between runs (default build/bench/cache)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("build/bench/scale"),
        help="warehouses and logs of this run (default build/bench/scale)",
    )
    parser.add_argument("--no-pandas", action="store_true", help="skip the notebook")
    parser.add_argument(
        "--size-agents",
        type=int,
        default=0,
        metavar="N",
        help="also build one month of an N-agent center, to show how cost grows "
        "with the center's size (default 0: skip; make bench uses 2000)",
    )
    parser.add_argument(
        "--pyworkforce-python",
        default=None,
        metavar="PYTHON",
        help="an interpreter with pyworkforce: adds the queueing kernel comparison",
    )
    parser.add_argument("--json", dest="json_path", type=Path, default=None)
    options = parser.parse_args(argv)
    try:
        months = sorted({int(m) for m in options.months.split(",")})
    except ValueError:
        parser.error(f"--months takes numbers like 1,3,12, got {options.months!r}")
    unknown = [m for m in months if m not in MONTH_DAYS]
    if unknown:
        parser.error(f"--months takes {sorted(MONTH_DAYS)}, got {unknown}")

    def progress(message: str) -> None:
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {message}\n")
        sys.stderr.flush()

    result = run(
        agents=options.agents,
        months=months,
        seed=options.seed,
        cache=options.cache,
        work=options.work,
        pandas=not options.no_pandas,
        pyworkforce_python=options.pyworkforce_python,
        size_agents=options.size_agents or None,
        progress=progress,
    )
    sys.stdout.write(table(result) + "\n")
    if options.json_path:
        options.json_path.parent.mkdir(parents=True, exist_ok=True)
        options.json_path.write_text(json.dumps(result, indent=2, default=str))
    return 0
