"""`opsmart spark build` stops before Spark on bad input (no PySpark needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from opsmart.cli import main
from opsmart.spark.build import QuarantineRateExceededError, build_on_spark

HEADER = (
    "contact_id,customer_id,queue_id,channel,contact_reason,arrived_at,answered_at,"
    "ended_at,outcome,agent_id,ivr_seconds,hold_seconds,acw_seconds,is_transferred,"
    "is_resolved\n"
)
GOOD = (
    "c01,cu1,q_voice_sales,voice,new_order,2026-03-02T10:00:00Z,2026-03-02T10:00:10Z,"
    "2026-03-02T10:05:10Z,handled,a1,10,0,60,false,true\n"
)


def _landing(tmp_path: Path, *rows: str) -> Path:
    landing = tmp_path / "landing"
    (landing / "contacts").mkdir(parents=True)
    (landing / "contacts" / "contacts.csv").write_text(HEADER + "".join(rows))
    return landing


def _bad_rows(count: int) -> list[str]:
    """`count` contacts that break the contract: no arrival, or an unknown outcome."""
    return [
        GOOD.replace("c01", f"b{i:02d}").replace("2026-03-02T10:00:00Z,", ",")
        if i % 2
        else GOOD.replace("c01", f"b{i:02d}").replace("handled", "vanished")
        for i in range(count)
    ]


def test_too_many_quarantined_rows_stop_before_spark(tmp_path: Path) -> None:
    """60 of 61 contacts break the contract: over 5 % and over the 50-row floor of
    the threshold, so the build stops, naming the source, and Spark never starts."""
    landing = _landing(tmp_path, GOOD, *_bad_rows(60))
    spark_dir = tmp_path / "spark"
    with pytest.raises(QuarantineRateExceededError, match=r"contacts 60/61"):
        build_on_spark(landing, spark_dir, say=lambda line: None)
    assert (spark_dir / "loaded.duckdb").exists()
    assert not (spark_dir / "warehouse").exists()


def test_cli_exit_3_when_too_many_rows_are_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI maps the stop to exit 3, as `opsmart build` does."""
    # The PySpark check passes (a stand-in module); the load stops before Spark.
    monkeypatch.setitem(sys.modules, "pyspark", sys.modules.get("pyspark") or object())
    landing = _landing(tmp_path, GOOD, *_bad_rows(50))
    code = main(
        [
            "spark",
            "build",
            "--landing",
            str(landing),
            "--spark-dir",
            str(tmp_path / "s"),
        ]
    )
    assert code == 3
    assert "contacts 50/51" in capsys.readouterr().err


def test_cli_says_how_to_install_pyspark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without PySpark: exit 2 and the make target that installs it."""
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark fails
    code = main(["spark", "build", "--landing", str(_landing(tmp_path, GOOD))])
    assert code == 2
    assert "make install-spark" in capsys.readouterr().err


def test_an_increment_needs_an_earlier_spark_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--window-start on a folder with no Spark build: exit 2, saying what to do."""
    monkeypatch.setitem(sys.modules, "pyspark", sys.modules.get("pyspark") or object())
    code = main(
        ["spark", "build", "--landing", str(_landing(tmp_path, GOOD)),
         "--spark-dir", str(tmp_path / "none"), "--window-start", "2026-03-02"]
    )  # fmt: skip
    assert code == 2
    assert "build it whole first" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()
