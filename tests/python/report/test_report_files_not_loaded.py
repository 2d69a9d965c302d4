"""The data-quality section lists the landing files the latest run did not load,
from the run log in audit.run_log, with the reason for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from report_warehouse import render_section

from opsmart.ingest import NOT_LOADED_REASONS
from opsmart.nightly.runlog import RunLog
from opsmart.report import sections as s
from opsmart.report.render import build_context


def _data_quality(warehouse: Path, ingest: dict[str, Any] | None) -> str:
    """The section after one stored run whose load step reported `ingest`."""
    with duckdb.connect(str(warehouse)) as connection:
        log = RunLog("20260303T023000Z-abc123", "run", None, None, False, {})
        if ingest is not None:
            log.ingest = ingest
        log.finish(0)
        log.store(connection)
    return render_section(warehouse, s.data_quality)


def _files_not_loaded(html: str) -> str:
    start = html.index("<h3>Files not loaded</h3>")
    return html[start : html.index("<h3>", start + 1)]


def test_each_file_not_loaded_is_listed_with_its_reason(tiny_warehouse: Path) -> None:
    ingest = {
        "landing_dir": "/data/landing",
        "not_loaded": [
            {
                "source": "contacts",
                "path": "/data/landing/contacts/b.csv",
                "reason": "same_content",
                "detail": "the same bytes as contacts/a.csv, loaded by run r1",
            },
            {
                "source": "contacts",
                "path": "/data/landing/contacts/<b>x</b>\n.txt",
                "reason": "unsupported_format",
                "detail": "",
            },
        ],
        "not_loaded_counts": {"same_content": 1, "unsupported_format": 1},
    }
    html = _files_not_loaded(_data_quality(tiny_warehouse, ingest))
    assert "2 file(s) under the landing folder are not loaded" in html
    assert "(same_content 1, unsupported_format 1)" in html
    assert (
        "<td><code>contacts/b.csv</code></td><td><code>same_content</code></td>"
        "<td>the same bytes as contacts/a.csv, loaded by run r1</td>"
    ) in html
    assert "<code>contacts/&lt;b&gt;x&lt;/b&gt;\\n.txt</code>" in html
    assert NOT_LOADED_REASONS["unsupported_format"] in html
    assert "The run log of run 20260303T023000Z-abc123" in html


def test_a_long_list_is_cut_and_points_to_the_run_log(tiny_warehouse: Path) -> None:
    files = [
        {"source": None, "path": f"/l/old/{n}.csv", "reason": "hidden", "detail": ""}
        for n in range(60)
    ]
    ingest = {"landing_dir": "/l", "not_loaded": files, "not_loaded_counts": {}}
    html = _files_not_loaded(_data_quality(tiny_warehouse, ingest))
    assert html.count("<code>hidden</code>") == 50
    assert "... and 10 more, listed in the run log." in html


def test_nothing_not_loaded_says_so(tiny_warehouse: Path) -> None:
    html = _data_quality(tiny_warehouse, {"landing_dir": "/l", "not_loaded": []})
    assert "Every file under the landing folder is loaded" in _files_not_loaded(html)


def test_a_log_without_the_list_is_no_data(tiny_warehouse: Path) -> None:
    html = _files_not_loaded(_data_quality(tiny_warehouse, None))
    assert 'class="note no-data"' in html
    assert "does not list the landing files" in html


def test_a_warehouse_without_run_log(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = _files_not_loaded(s.data_quality(build_context(tiny_connection)))
    assert "this warehouse has no audit.run_log" in html
