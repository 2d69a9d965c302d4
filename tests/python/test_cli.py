"""The command line: help, exit codes and clear errors."""

from __future__ import annotations

import argparse
import errno
import json
from pathlib import Path

import duckdb
import pytest

from opsmart import cli
from opsmart.cli import EXIT_BAD_INPUT, _build, main
from opsmart.nightly import EXIT_ENVIRONMENT


def _places(landing: Path, warehouse: Path) -> list[str]:
    """The `--landing` and `--warehouse` options that build and run both take."""
    return ["--landing", str(landing), "--warehouse", str(warehouse)]


@pytest.mark.parametrize(
    "command",
    [[], ["generate"], ["build"], ["run"], ["report"], ["demo"], ["sql"], ["metrics"]],
)
def test_help_exits_zero(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*command, "--help"])
    assert raised.value.code == 0
    assert "usage: opsmart" in capsys.readouterr().out


def test_missing_landing_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", *_places(tmp_path / "none", tmp_path / "w.duckdb")])
    assert code == EXIT_BAD_INPUT
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        pytest.param(
            "build",
            ["--vars", "{not json"],
            "--vars is not a YAML or JSON mapping",
            id="vars_not_yaml",
        ),
        pytest.param(
            "build",
            ["--vars", "[1]"],
            "--vars must be a mapping such as",
            id="vars_not_a_mapping",
        ),
        pytest.param(
            "run",
            ["--vars", '{"reporting_timezone": "Nowhere/Zone"}'],
            "reporting_timezone must be an IANA zone name",
            id="unknown_zone",
        ),
        pytest.param(
            "run",
            ["--date", "2026-01-10", "--from", "2026-01-01"],
            "not both",
            id="date_and_from",
        ),
        pytest.param(
            "run",
            ["--from", "2026-01-10", "--to", "2026-01-01"],
            "after --to",
            id="from_after_to",
        ),
    ],
)
def test_bad_options_are_exit_2_naming_the_problem(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    options: list[str],
    message: str,
) -> None:
    code = main([command, *_places(tmp_path, tmp_path / "w.duckdb"), *options])
    assert code == EXIT_BAD_INPUT
    assert message in capsys.readouterr().err


def test_vars_read_as_dbt_reads_them_yaml_or_json() -> None:
    """dbt's own --vars is YAML: the unquoted form its users type works here too."""
    want = {"reporting_timezone": "America/New_York", "sl_method": "answered"}
    typed = "{reporting_timezone: America/New_York, sl_method: answered}"
    assert cli._dbt_vars(typed) == want
    assert cli._dbt_vars(json.dumps(want)) == want


def test_days_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["generate", "--out", "x", "--days", "0"])
    assert raised.value.code == 2
    assert "positive" in capsys.readouterr().err


def test_generate_names_an_argument_the_simulator_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--out", str(tmp_path / "l"), "--days", "1", "--agents", "3"]
    assert main(argv) == EXIT_BAD_INPUT
    assert "`agents` must be >= 4, got 3" in capsys.readouterr().err


def test_generate_refuses_to_mix_with_existing_landing(tmp_path: Path) -> None:
    assert (
        main(["generate", "--out", str(tmp_path), "--days", "1", "--agents", "40"]) == 0
    )
    assert main(["generate", "--out", str(tmp_path), "--days", "1"]) == EXIT_BAD_INPUT
    code = main(["generate", "--out", str(tmp_path), "--days", "1", "--overwrite"])
    assert code == 0
    assert len(list((tmp_path / "contacts").iterdir())) == 1


def test_generate_puts_the_center_on_its_zones_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "landing"
    argv = ["generate", "--out", str(out), "--days", "1", "--agents", "8"]
    assert main([*argv, "--start", "2026-03-08", "--timezone", "America/New_York"]) == 0
    assert '--vars \'{"reporting_timezone": "America/New_York"}\'' in (
        capsys.readouterr().out
    )
    text = (out / "contacts" / "contacts_2026-03-08.csv").read_text()
    assert "-05:00" in text and "-04:00" in text  # the spring-forward day
    refused = ["--timezone", "Mars/Olympus", "--overwrite"]
    assert main([*argv, *refused]) == EXIT_BAD_INPUT
    assert "`timezone` must be an IANA zone name" in capsys.readouterr().err


def test_demo_builds_on_the_centers_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []

    def build(options: argparse.Namespace) -> int:
        seen.append(json.loads(options.vars))
        return 1  # stop before printing where the (unbuilt) demo is

    # cmd_demo looks cmd_build up in its own module, so that is where to replace it
    monkeypatch.setattr(_build, "cmd_build", build)
    argv = ["demo", "--out", str(tmp_path), "--days", "1", "--agents", "8"]
    assert main([*argv, "--timezone", "Asia/Kolkata"]) == 1
    assert main([*argv, "--vars", '{"reporting_timezone": "UTC"}']) == 1
    # the demo's zone by default; an explicit var wins
    assert seen == [
        {"reporting_timezone": "Asia/Kolkata"},
        {"reporting_timezone": "UTC"},
    ]


def test_run_rates_must_be_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["run", "--max-quarantine-rate", "5"])
    assert raised.value.code == 2
    assert "between 0 and 1" in capsys.readouterr().err


def test_an_error_is_one_line_whatever_the_path_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    landing = tmp_path / "no\nsuch"
    code = main(["build", *_places(landing, tmp_path)])
    assert code == EXIT_BAD_INPUT
    (error,) = [
        line for line in capsys.readouterr().err.splitlines() if "error" in line
    ]
    assert error.endswith("no\\nsuch does not exist")


def test_a_fault_of_the_machine_is_exit_7_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import opsmart.report

    warehouse, out = tmp_path / "w.duckdb", tmp_path / "report" / "r.html"
    duckdb.connect(str(warehouse)).close()

    def refused(*args: object, **kwargs: object) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(opsmart.report, "render_report", refused)
    code = main(["report", "--warehouse", str(warehouse), "--out", str(out)])
    assert code == EXIT_ENVIRONMENT
    assert capsys.readouterr().err == (
        f"opsmart: error: {out}: permission denied: the user running opsmart needs "
        "access\n"
    )
