"""`opsmart metrics`: MetricFlow from any folder, on any warehouse file, read-only."""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest

from opsmart.analyst.metrics import _fits
from opsmart.cli import EXIT_BAD_INPUT, EXIT_OK, main
from shared_helpers import file_digest


def test_a_missing_warehouse_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none" / "opsmart.duckdb"
    assert main(["metrics", "--warehouse", str(missing), "list", "metrics"]) == (
        EXIT_BAD_INPUT
    )
    err = capsys.readouterr().err
    assert str(missing) in err and "make demo" in err


@pytest.mark.parametrize(
    ("databases", "fits"),
    [
        (["center"], True),
        (["center", "center"], True),
        (["opsmart"], False),
        ([], False),
    ],
)
def test_a_manifest_fits_a_warehouse_of_its_file_name(
    tmp_path: Path, databases: list[str], fits: bool
) -> None:
    manifest = tmp_path / "semantic_manifest.json"
    models = [{"node_relation": {"database": name}} for name in databases]
    manifest.write_text(json.dumps({"semantic_models": models}))
    assert _fits(manifest, tmp_path / "center.duckdb") is fits
    assert not _fits(tmp_path / "missing.json", tmp_path / "center.duckdb")


@pytest.mark.pipeline
def test_metrics_from_another_folder_on_a_renamed_copy(
    small_center: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A copy under another name, with no manifest beside it (dbt parse writes one
    that names its catalog), queried from an unrelated folder while a read-only
    connection holds it open: mf answers what fct_queue_days publishes, writes its
    CSV where the caller is, and leaves the file and its folder as they were."""
    data = tmp_path / "data"
    data.mkdir()
    warehouse = data / "center.duckdb"
    shutil.copyfile(small_center / "opsmart.duckdb", warehouse)
    before = file_digest(warehouse)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for name in ("OPSMART_WAREHOUSE", "OPSMART_TARGET", "DBT_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    with duckdb.connect(str(warehouse), read_only=True) as reader:
        code = main(
            [
                "metrics",
                "--warehouse",
                str(warehouse),
                "query",
                "--quiet",
                "--metrics",
                "service_level_rate,sl_target_met_day_rate",
                "--group-by",
                "queue,metric_time__day",
                "--csv",
                "sl.csv",
            ]
        )
        published = {
            (queue, str(day)): rate
            for queue, day, rate in reader.execute(
                "select queue_id, interval_date, service_level_rate "
                "from marts.fct_queue_days"
            ).fetchall()
        }
        met = {
            queue: share
            for queue, share in reader.execute(
                "select queue_id, avg(is_sl_target_met::int) from marts.fct_queue_days "
                "group by 1"
            ).fetchall()
        }
    assert code == EXIT_OK
    with (elsewhere / "sl.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {
        (row["queue"], row["metric_time__day"].removesuffix(" 00:00:00")): row
        for row in rows
    }
    assert got.keys() == published.keys()
    assert sum(rate is not None for rate in published.values()) > 50
    for key, rate in published.items():
        mine = got[key]["service_level_rate"]
        if rate is None:
            assert mine == "", key
        else:
            assert math.isclose(float(mine), rate, rel_tol=1e-9), key
    # The share of days that met the target, over the whole span, per queue.
    for queue, share in met.items():
        days = [row for (q, _), row in got.items() if q == queue]
        judged = [
            float(r["sl_target_met_day_rate"])
            for r in days
            if r["sl_target_met_day_rate"]
        ]
        if share is None:
            assert not judged, queue
        else:
            assert all(value in (0.0, 1.0) for value in judged), queue
            assert math.isclose(sum(judged) / len(judged), share, rel_tol=1e-9), queue
    assert any(share not in (None, 0.0, 1.0) for share in met.values())
    assert file_digest(warehouse) == before
    assert sorted(path.name for path in data.iterdir()) == ["center.duckdb"]
