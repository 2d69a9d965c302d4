"""The scale benchmark's own pieces: history slices, process-tree memory, ratios."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from opsmart.bench import scale
from opsmart.bench.measure import run_measured, tree_rss_bytes


def _landing(root: Path, days: int) -> Path:
    for source in scale.EVENT_SOURCES:
        (root / source).mkdir(parents=True)
        for offset in range(days):
            day = scale.START + timedelta(days=offset)
            (root / source / f"{source}_{day}.parquet").write_bytes(b"x")
    for source in scale.SNAPSHOT_SOURCES:
        (root / source).mkdir(parents=True)
        (root / source / f"{source}.parquet").write_bytes(b"x")
    return root


def test_link_days_takes_the_first_days_and_every_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _landing(tmp_path / "all", days=5)
    monkeypatch.chdir(tmp_path)  # paths relative to the working folder, as make gives
    source, history = Path("all"), Path("history")
    scale.link_days(source, history, 3)
    # regular files, not symbolic links: the load step refuses links
    assert not any(p.is_symlink() for p in history.rglob("*"))
    contacts = sorted(p.name for p in (history / "contacts").iterdir())
    assert contacts == [
        f"contacts_{scale.START + timedelta(days=d)}.parquet" for d in range(3)
    ]
    assert (history / "customers" / "customers.parquet").samefile(
        source / "customers" / "customers.parquet"
    )
    assert (history / "costs" / "costs.parquet").read_bytes() == b"x"
    # the nightly day: one more file per event source, the rest untouched
    scale.link_days(source, history, 4)
    for name in scale.EVENT_SOURCES:
        assert len(list((history / name).iterdir())) == 4


def test_tree_rss_counts_the_children_of_a_process(tmp_path: Path) -> None:
    assert tree_rss_bytes(os.getpid()) > 0
    assert tree_rss_bytes(2**22 + 7) == 0  # no such process
    # a child that holds ~200 MB while its parent (the measured process) waits
    child = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'b = bytearray(200 * 2**20); import time; time.sleep(1.0)'])"
    )
    measured = run_measured([sys.executable, "-c", child], log_path=tmp_path / "log")
    assert measured.returncode == 0
    assert measured.peak_rss_bytes > 200 * 2**20
    assert measured.seconds >= 1.0


def test_run_measured_reports_a_failing_command(tmp_path: Path) -> None:
    measured = run_measured(
        [sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"],
        log_path=tmp_path / "out.log",
    )
    assert measured.returncode == 3
    assert (tmp_path / "out.log").read_text().strip() == "boom"


def _history(months: int, full: float, day: float, floor: float, pandas: float):
    return {
        "months": months,
        "days": scale.MONTH_DAYS[months],
        "rows": {"contacts": 1000 * months},
        "full": {"seconds": full, "peak_rss_bytes": 2 * scale.GIB, "steps": {}},
        "incremental": {"seconds": day, "peak_rss_bytes": scale.GIB, "steps": {}},
        "floor": {"seconds": floor, "peak_rss_bytes": scale.GIB},
        # under the pipeline's cap: slower, in half a GiB
        "floor_at_cap": {
            "memory_limit": "512MB",
            "seconds": floor * 1.25,
            "peak_rss_bytes": scale.GIB / 2,
        },
        "notebook": {"seconds": pandas, "peak_rss_bytes": scale.GIB},
    }


def test_targets_are_ratios_of_the_longest_history() -> None:
    histories = [_history(1, 100, 20, 10, 50), _history(12, 400, 30, 100, 2000)]
    targets = scale.targets(histories)
    assert targets["full_over_floor"] == 4.0
    assert targets["full_over_floor_at_cap"] == 400 / 125
    assert targets["notebook_over_full"] == 5.0
    assert targets["incremental_over_full"] == 30 / 400
    assert targets["incremental_growth"] == 1.5
    assert targets["history_growth"] == 365 / 30
    assert targets["full_peak_rss_gib"] == 2.0
    result = {
        "machine": {"cpus": 2},
        "dataset": {
            "agents": 5,
            "seed": 1,
            "days": 366,
            "generate_seconds": 1.0,
            "generate_peak_rss_bytes": scale.GIB,
            "cached": True,
        },
        "histories": histories,
        "queueing": None,
        "targets": targets,
    }
    text = scale.table(result)
    assert "12 months" in text and "4.0x" in text and "7.5%" in text
    assert (
        "floor at the pipeline's memory cap (512MB): 125.0 s, peak 0.50 GB; "
        "full build / it 3.2x"
    ) in text


def test_size_row_compares_one_month_of_each_center() -> None:
    small = _history(1, 100, 20, 10, 50)
    big = {**_history(1, 250, 30, 40, 0), "agents": 2000}
    big["rows"] = {"contacts": 4000}
    big["full"] = {**big["full"], "peak_rss_bytes": 3 * scale.GIB}
    result = {
        "dataset": {"agents": 500},
        "histories": [small, _history(12, 400, 30, 100, 2000)],
        "size": big,
    }
    lines = scale.size_lines(result)
    assert [line.split()[0] for line in lines[1:3]] == ["500", "2,000"]
    assert "4,000" in lines[2] and "6.2x" in lines[2]  # 250 s / 40 s
    assert lines[3].strip() == (
        "2,000 / 500 agents: 4.0x the contacts, 2.5x the full build, "
        "1.5x the nightly day, 1.5x the peak memory"
    )


def test_the_benchmarked_year_lies_in_the_past() -> None:
    # The load sets aside timestamps after the wall clock (plus a day): a generated
    # year running into the future would quarantine its last weeks and stop the
    # 12-month build, as START = 2026-01-05 did from December 2026.
    longest = max(scale.MONTH_DAYS.values())
    nightly_day = scale.START + timedelta(days=longest)
    assert nightly_day < date.today()


def test_forecast_line_is_a_share_of_the_same_history_full_build() -> None:
    history = _history(12, 400, 30, 100, 2000)
    history["forecast"] = {
        "seconds": 50.0,
        "peak_rss_bytes": scale.GIB // 2,
        "queues": 12,
        "forecast_rows": 8064,
        "plan_rows": 8064,
    }
    assert scale.forecast_line(500, history) == (
        "forecast + plan (500 agents, 12 months): 50.0 s, peak 0.50 GB, 12 queues, "
        "8,064 plan rows (12.5% of the full build)"
    )
    assert scale.targets([history])["forecast_over_full"] == 50 / 400
    result = {
        "machine": {"cpus": 2},
        "dataset": {
            "agents": 500,
            "seed": 1,
            "days": 366,
            "generate_seconds": 1.0,
            "generate_peak_rss_bytes": scale.GIB,
            "cached": True,
        },
        "histories": [history],
        "queueing": None,
        "targets": scale.targets([history]),
    }
    assert scale.forecast_line(500, history) in scale.table(result).splitlines()
