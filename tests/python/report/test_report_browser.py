"""The report in real headless Chromium: it renders, logs nothing, shows its charts.

Chromium is the Debian package `chromium`, installed by `make browser` (which
`make test` runs first). The screenshot of the small center's report is kept as a
test artifact in build/test-artifacts/report.png, next to the page it shows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from report_browser import chromium_path, console_errors, decode_png, open_in_chromium

from opsmart.report import SECTIONS, render_report
from opsmart.report.charts import COLORS, QUADRANT_FILLS
from opsmart.report.render import CONTENT_SECURITY_POLICY

ARTIFACTS = Path(__file__).resolve().parents[3] / "build" / "test-artifacts"
SCREENSHOT = ARTIFACTS / "report.png"
#: Tall enough to hold the demand matrix's quadrant chart, the lowest one checked.
WINDOW = (1400, 6400)

#: The charts every full report draws (sparklines: one per key result); line: 4 of
#: service level, 2 of the wait curve, 2 of next week's forecast and plan.
MAIN_CHARTS = {"line": 8, "scatter": 1, "bar": 1, "quadrant": 1}


@pytest.fixture(autouse=True)
def _chromium() -> None:
    if chromium_path() is None:
        pytest.fail("chromium is not installed: run `make browser` (make test does)")


def _charts(dom: str) -> list[tuple[str, str]]:
    """(kind, svg) of every chart in a DOM."""
    return re.findall(r'(<svg[^>]*data-chart="(\w+)".*?</svg>)', dom, re.S)


def _rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def _pixels_of(pixels: np.ndarray, color: str) -> int:
    return int(np.all(pixels[:, :, :3] == _rgb(color), axis=2).sum())


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            "",
            "<script>console.error('boom'); notDefined();</script>",
            ["console.error: boom", "notDefined is not defined", "chromium log:"],
        ),
        (
            f'<meta http-equiv="Content-Security-Policy" '
            f'content="{CONTENT_SECURITY_POLICY}">',
            '<img src="missing.png"><script>document.title = "x";</script>',
            ["csp: img-src", "csp: script-src"],
        ),
    ],
    ids=["script-error", "blocked-by-csp"],
)
def test_console_errors_are_caught(
    tmp_path: Path, head: str, body: str, expected: list[str]
) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    errors = console_errors(open_in_chromium(page))
    for text in expected:
        assert any(text in error for error in errors), (text, errors)


def test_the_tiny_report_is_clean_in_chromium(
    tiny_warehouse: Path, tmp_path: Path
) -> None:
    out = render_report(tiny_warehouse, tmp_path / "tiny.html")
    run = open_in_chromium(out)
    assert console_errors(run) == []
    assert 'data-console-probe="ready"' in run.dom


@pytest.mark.pipeline
def test_small_center_report_renders_in_chromium(
    small_center: Path, tmp_path: Path
) -> None:
    out = render_report(small_center / "opsmart.duckdb", tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html

    run = open_in_chromium(out, screenshot=SCREENSHOT, window=WINDOW)
    shutil.copyfile(out, ARTIFACTS / "report.html")
    print(
        f"\nreport screenshot: {SCREENSHOT}\nreport page: {ARTIFACTS / 'report.html'}"
    )
    assert console_errors(run) == []

    for spec in SECTIONS:
        assert f'id="{spec.section_id}"' in run.dom, spec.section_id
    assert "could not be read" not in run.dom
    found = _charts(run.dom)
    kinds = [kind for _, kind in found]
    for kind, count in MAIN_CHARTS.items():
        assert kinds.count(kind) == count, (kind, kinds)
    assert kinds.count("sparkline") >= 9
    for svg, kind in found:
        assert "<title>" in svg, kind
        if kind != "sparkline":  # every source is there: no chart is empty
            assert 'class="no-data"' not in svg, svg[:300]
            assert 'class="axis x-axis"' in svg and 'class="axis y-axis"' in svg

    assert SCREENSHOT.stat().st_size > 50_000
    pixels = decode_png(SCREENSHOT)
    assert pixels.shape[:2] == (WINDOW[1], WINDOW[0])
    rgb = pixels[:, :, :3].astype(np.uint32)
    packed = (rgb[:, :, 0] << 16) | (rgb[:, :, 1] << 8) | rgb[:, :, 2]
    colors, counts = np.unique(packed, return_counts=True)
    assert len(colors) > 200 and counts.max() < 0.9 * counts.sum()
    # The charts are painted inside the screenshot: lines and bars ("actual"), the
    # wait curve ("unresolved"), the bar chart ("optimal"), the quadrant chart.
    for color, least in [
        (COLORS["actual"], 1000),
        (COLORS["unresolved"], 100),
        (COLORS["optimal"], 500),
        *[(fill, 500) for fill in QUADRANT_FILLS],
    ]:
        assert _pixels_of(pixels, color) >= least, color


@pytest.mark.pipeline
def test_missing_sources_render_as_no_data(
    per_call_warehouse: Path, tmp_path: Path
) -> None:
    out = render_report(per_call_warehouse, tmp_path / "per_call.html")
    html = out.read_text(encoding="utf-8")
    for expected in (
        "opsmart nightly report, 2026-03-02",
        "no data: no unit has both a cost per contact and a CSAT",
        "no data: no CSAT answers are loaded",
        "no data: churn unknown, no customers are loaded",
        "was not fitted: no customers are loaded, so churn is unknown",
        "No data: no survey answers are loaded.",
        "No agent-interval data is loaded: staffed agents are unknown.",
    ):
        assert expected in html, expected
    csat = re.search(r"<tr><td><strong>csat_rate</strong>.*?</tr>", html)
    assert csat is not None
    assert "status-no_data" in csat.group(0) and ">0.0&nbsp;%" not in csat.group(0)
    assert "could not be read" not in html
    run = open_in_chromium(out)
    assert console_errors(run) == []
