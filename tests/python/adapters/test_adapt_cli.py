"""`opsmart adapt`: help, summary, exit codes, and a warehouse built from the output
of all three adapters whose KPIs equal the hand computation.

The three fixtures put their contacts on different days (Connect 2026-03-02, Genesys
2026-03-03, CSV 2026-03-04), so one build checks each adapter's rows separately. In
the 10:00-10:30 UTC interval of q_voice_sales (T = 20 s) each day has four offered
contacts (see the fixture docstrings of the adapter tests):

    Connect  handled waits 15, 20; abandoned 45; flowout 120; handle 360, 240
    Genesys  handled waits 18, 10; abandoned 60; flowout 120; handle 342, 470
    CSV      handled waits 12, 25; abandoned 25; flowout 90;  handle 345, 390

so A = 2, B = 1, offered = 4, abandonment = 1/4, SL (offered) = A_T / (A + B) =
2/3, 2/3, 1/3, ASA = 17.5, 14, 18.5 and AHT = 300, 406, 367.5.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from adapter_helpers import CONNECT, GENERIC, GENESYS

from opsmart.cli import EXIT_BAD_INPUT, EXIT_OK, main
from shared_helpers import SeedParse

RUNS = {
    "amazon-connect": [
        "--in", str(CONNECT / "ctr_2026-03-02.json"),
        "--mapping", str(CONNECT / "mapping.yaml"),
        "--queue-map", str(CONNECT / "queue_map.yaml"),
    ],
    "genesys-cloud": [
        "--in", str(GENESYS / "conversations_2026-03-03.json"),
        "--mapping", str(GENESYS / "mapping.yaml"),
        "--queue-map", str(GENESYS / "queue_map.yaml"),
    ],
    "csv": [
        "--in", str(GENERIC / "calls_2026-03-04.csv"),
        "--mapping", str(GENERIC / "mapping.yaml"),
    ],
}  # fmt: skip

# vendor: contact_id prefix, day, rows, (offered, answered, abandoned), SL, ASA, AHT
EXPECTED = {
    "amazon-connect": ("ac-", "2026-03-02", 6, (4, 2, 1), 2 / 3, 17.5, 300.0),
    "genesys-cloud": ("gc-", "2026-03-03", 5, (4, 2, 1), 2 / 3, 14.0, 406.0),
    "csv": ("csv-", "2026-03-04", 5, (4, 2, 1), 1 / 3, 18.5, 367.5),
}


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["adapt", "--help"])
    assert raised.value.code == 0
    text = capsys.readouterr().out
    assert "usage: opsmart adapt" in text
    assert "{amazon-connect,genesys-cloud,csv}" in text


def test_summary_line_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["adapt", "csv", *RUNS["csv"], "--out", str(tmp_path)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.strip() == (
        "csv: 7 records read from 1 file, 5 rows written to contacts/, 2 rejected"
    )
    assert "calls_2026-03-04.csv record 6 (line 7): queue 'Marketing'" in err
    assert (tmp_path / "contacts" / "csv__calls_2026-03-04.csv").is_file()


def test_unreadable_input_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "ctr.json"
    broken.write_text('{"ContactId": "a"}\n{"ContactId": x}\n')
    argv = ["adapt", "amazon-connect", "--in", str(broken), "--out", str(tmp_path)]
    assert main(argv) == EXIT_BAD_INPUT
    assert "ctr.json line 2 column 15: not valid JSON" in capsys.readouterr().err
    assert not (tmp_path / "contacts").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["csv", "--in", "calls.csv"], "adapt csv needs --mapping FILE"),
        (
            ["genesys-cloud", "--in", "missing.json"],
            "input missing.json does not exist",
        ),
        (
            ["csv", "--in", "x.csv", "--mapping", str(CONNECT / "mapping.yaml")],
            r"mapping\.yaml: unknown key `attributes`",
        ),
    ],
)
def test_bad_arguments_are_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["adapt", *argv, "--out", str(tmp_path)]) == EXIT_BAD_INPUT
    assert message.replace("\\", "") in capsys.readouterr().err


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse) -> Path:
    """One landing folder with the output of all three adapters, built once."""
    root = seed_parse(tmp_path_factory.mktemp("adapted"))
    for vendor, argv in RUNS.items():
        assert main(["adapt", vendor, *argv, "--out", str(root / "landing")]) == 0
    built = root / "opsmart.duckdb"
    argv = ["build", "--landing", str(root / "landing"), "--warehouse", str(built)]
    assert main(argv) == EXIT_OK
    return built


def _rows(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.pipeline
@pytest.mark.parametrize("vendor", sorted(EXPECTED))
def test_build_from_adapter_output_matches_hand_computation(
    warehouse: Path, vendor: str
) -> None:
    prefix, day, count, volumes, sl, asa, aht = EXPECTED[vendor]
    assert _rows(warehouse, "select count(*) from audit.quarantine") == [(0,)]
    contacts = _rows(
        warehouse,
        f"select count(*) from marts.fct_contacts where contact_id like '{prefix}%'",
    )
    assert contacts == [(count,)]
    kpis = _rows(
        warehouse,
        "select contacts_offered, contacts_answered, contacts_abandoned, "
        "service_level_rate, abandonment_rate, asa_seconds, aht_seconds "
        "from marts.fct_queue_intervals where queue_id = 'q_voice_sales' "
        f"and interval_start_at = timestamp '{day} 10:00:00'",
    )
    assert len(kpis) == 1
    offered, answered, abandoned, sl_rate, abandon_rate, asa_seconds, aht_seconds = (
        kpis[0]
    )
    assert (offered, answered, abandoned) == volumes
    assert sl_rate == pytest.approx(sl)
    assert abandon_rate == pytest.approx(1 / 4)
    assert asa_seconds == pytest.approx(asa)
    assert aht_seconds == pytest.approx(aht)
