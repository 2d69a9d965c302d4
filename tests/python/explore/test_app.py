"""The explorer's pages run in-process by Streamlit's own test runner (no browser):
each page runs without an exception on the small center, shows the frames'
numbers, its pickers change what it shows, and a warehouse without the reports
says "No data" instead of failing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from opsmart.analyst import open_warehouse
from opsmart.analyst.plan import plan_what_if
from opsmart.explore import frames
from opsmart.explore.app import PAGES
from opsmart.explore.formats import percent, points
from opsmart.explore.launch import WAREHOUSE_VARIABLE

PAGE_NAMES = [function.__name__ for function, _, _ in PAGES]


def _page(name: str) -> AppTest:
    """One page of the app as a script of its own, run once."""
    script = f"from opsmart.explore.app import {name}\n{name}()\n"
    app = AppTest.from_string(script, default_timeout=60)
    app.run()
    return app


@pytest.fixture(scope="module")
def warehouse(small_center: Path) -> Path:
    return small_center / "opsmart.duckdb"


@pytest.fixture
def on_small_center(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(WAREHOUSE_VARIABLE, str(warehouse))
    return warehouse


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_each_page_runs_and_shows_a_table(on_small_center: Path, name: str) -> None:
    app = _page(name)
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.header) == 1
    assert len(app.table) >= 1, "no table shown"
    assert not app.info, [i.value for i in app.info]


def test_the_whole_app_starts_on_the_scorecard(on_small_center: Path) -> None:
    app = AppTest.from_file(str(Path(frames.__file__).with_name("app.py")))
    app.run(timeout=60)
    assert not app.exception
    assert [h.value for h in app.header] == ["OKR scorecard"]


def test_scorecard_period_picker_changes_the_rows(on_small_center: Path) -> None:
    app = _page("page_scorecard")
    with open_warehouse(on_small_center) as connection:
        periods = frames.scorecard_periods(connection)
    grain = str(app.radio(key="sc_grain").value)
    of_grain = periods.loc[periods["period_grain"] == grain]
    default = frames.default_period(periods, grain)
    picker = app.selectbox(key=f"sc_period_{grain}")
    assert picker.value == default
    label = of_grain.set_index("period_start_date").loc[default, "label"]
    assert f"**Showing: {label}**" in [m.value for m in app.markdown]
    other = next(s for s in of_grain["period_start_date"] if s != default)
    picker.set_value(other).run()
    other_label = of_grain.set_index("period_start_date").loc[other, "label"]
    assert f"**Showing: {other_label}**" in [m.value for m in app.markdown]
    if "partial" in other_label:
        assert app.warning, "a partial period is not marked"


def test_what_if_metrics_are_the_package_what_if(on_small_center: Path) -> None:
    app = _page("page_what_if")
    queue = str(app.selectbox(key="wi_queue").value)
    days = list(app.multiselect(key="wi_days").value)
    hours = tuple(app.slider(key="wi_hours").value)
    delta = int(app.number_input(key="wi_delta").value)
    with open_warehouse(on_small_center) as connection:
        found = plan_what_if(connection, queue, delta, days=days, hours=hours)
    b, c = found.result.baseline, found.result.changed
    shown = {m.label: (m.value, m.delta) for m in app.metric}
    assert shown["Service level"] == (
        percent(c.service_level_rate),
        points(c.service_level_rate - b.service_level_rate),
    )
    assert shown["Abandonment"][0] == percent(c.abandon_rate)
    # two more agents: a better service level than one more
    app.number_input(key="wi_delta").set_value(delta + 1).run()
    with open_warehouse(on_small_center) as connection:
        more = plan_what_if(connection, queue, delta + 1, days=days, hours=hours)
    assert app.metric[0].value == percent(more.result.changed.service_level_rate)
    assert more.result.changed.service_level_rate >= c.service_level_rate


def test_queue_picker_changes_the_day_shown(on_small_center: Path) -> None:
    app = _page("page_queue")
    day_picker = app.selectbox(key="q_day")
    first = app.table[-1].value.iloc[0, 0]
    day_picker.set_value(day_picker.options[1]).run()
    assert app.table[-1].value.iloc[0, 0] != first


def test_pages_without_reports_say_no_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bare.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create table marts.fct_queue_intervals (x int)")
    con.close()
    monkeypatch.setenv(WAREHOUSE_VARIABLE, str(path))
    for name in PAGE_NAMES:
        app = _page(name)
        assert not app.exception, (name, [e.value for e in app.exception])
        assert any("No data" in i.value for i in app.info), name


def test_a_page_run_holds_no_lock_and_reads_a_newly_published_file(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a nightly run publishes: between two page runs the file is opened for
    writing (it would fail if the app held it) and a new file swapped in
    atomically; the next run shows the new night's number."""
    published = tmp_path / "opsmart.duckdb"
    published.write_bytes(warehouse.read_bytes())
    monkeypatch.setenv(WAREHOUSE_VARIABLE, str(published))
    app = _page("page_data_quality")
    first = app.table[0].value["run_id"].iloc[0]
    night = tmp_path / "work.duckdb"
    night.write_bytes(published.read_bytes())
    with duckdb.connect(str(published)):  # no lock left by the page run
        pass
    with duckdb.connect(str(night)) as con:
        con.execute(
            "insert into audit.run_log (run_id, command, status, started_at) "
            "values ('20991231T000000Z-night', 'run', 'success', now())"
        )
    night.replace(published)
    app.run()
    assert app.table[0].value["run_id"].iloc[0] == "20991231T000000Z-night" != first
