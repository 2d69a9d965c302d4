"""`opsmart explore` in real headless Chromium: the app is started once on a free
loopback port against the small built center, every page renders with no console
error, a picker changes what is shown, and the what-if of one more agent shows the
Erlang A figures computed here by hand from the plan's inputs.

Chromium is the Debian package `chromium` (`make browser`), driven by Playwright
(requirements.explore.txt) with ``executable_path``: no browser is downloaded.
Without chromium or Playwright the module is skipped locally, and fails under CI.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opsmart.analyst import open_warehouse

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "build" / "test-artifacts"

#: (sidebar title, page heading, a text shown once the page's run is complete)
PAGES = (
    ("What if", "What if: more or fewer agents on the staffing plan", "Interval by"),
    ("Queue day", "Queue day: actual against the Erlang baselines", "Intervals (marts"),
    ("Cost vs satisfaction", "Cost vs satisfaction", "Showing:"),
    ("Wait, CSAT and churn", "Wait, satisfaction and churn", "Churn model"),
    ("Feedback", "Customer feedback by department", "Latest comments on"),
    ("Data quality", "Data quality of the latest runs", "Validation of run"),
    ("Scorecard", "OKR scorecard", "Showing:"),
)


def chromium_path() -> str | None:
    """The Debian `chromium` on PATH (as the report's browser test finds it)."""
    return shutil.which("chromium")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run the explorer's browser test)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    """Until Streamlit's health endpoint answers (a start-up wait, not a limit on
    speed: it only ends the test when the server never comes up)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"opsmart explore exited {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("opsmart explore did not answer on its health endpoint")


@pytest.fixture(scope="module")
def warehouse(small_center: Path) -> Path:
    return small_center / "opsmart.duckdb"


@pytest.fixture(scope="module")
def app_url(warehouse: Path) -> Iterator[str]:
    """`opsmart explore` on the small center, on a free loopback port."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    argv = [sys.executable, "-m", "opsmart", "explore", "--warehouse", str(warehouse)]
    server = subprocess.Popen(
        [*argv, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, server)
        yield url
    finally:
        with_group = os.getpgid(server.pid) if server.poll() is None else None
        if with_group is not None:
            os.killpg(with_group, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[tuple[Any, list[str]]]:
    """A Chromium page on the app, and the console errors it has logged."""
    if chromium_path() is None:
        _unavailable("chromium is not installed: run `make browser`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: run `make install-explore`")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.on(
            "console",
            lambda m: (
                errors.append(f"console.{m.type}: {m.text}")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on(
            "response",
            lambda r: (
                errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
            ),
        )
        page.goto(app_url + "/")
        _settled(page, "OKR scorecard", "Showing:")
        try:
            yield page, errors
        finally:
            browser.close()


def _settled(page: Any, heading: str, marker: str) -> None:
    """Wait for the page's heading, a text of its run and a table, then for the
    run to end: Streamlit's status widget gone and no element left stale from
    the page before."""
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.get_by_text(marker).first.wait_for(timeout=60_000)
    page.locator("[data-testid=stTable]").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')",
        timeout=60_000,
    )


def _open(page: Any, title: str, heading: str, marker: str) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
    _settled(page, heading, marker)


def _table(page: Any, index: int) -> list[list[str]]:
    """The cells of the page's `index`-th table (st.table), header first."""
    rows = page.locator("[data-testid=stTable]").nth(index).locator("tr")
    rows.nth(1).wait_for(timeout=60_000)
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


@pytest.mark.parametrize(("title", "heading", "marker"), PAGES)
def test_each_page_renders_without_console_errors(
    browser_page: tuple[Any, list[str]], title: str, heading: str, marker: str
) -> None:
    page, errors = browser_page
    _open(page, title, heading, marker)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stTable]").count() >= 1
    if title in ("Queue day", "Cost vs satisfaction", "Wait, CSAT and churn"):
        page.locator("[data-testid=stVegaLiteChart] canvas, "
                     "[data-testid=stVegaLiteChart] svg").first.wait_for()  # fmt: skip
    assert errors == [], errors


def test_the_period_picker_changes_the_scorecard(
    browser_page: tuple[Any, list[str]],
) -> None:
    page, errors = browser_page
    _open(page, "Scorecard", "OKR scorecard", "Showing:")
    before = page.get_by_text("Showing:").inner_text()
    rows_before = _table(page, 0)
    page.locator("[data-testid=stSelectbox]", has_text="Which").click()
    options = page.get_by_role("option")
    texts = options.all_inner_texts()
    other = next(t for t in texts if t.strip() not in before)
    options.filter(has_text=other.strip()).first.click()
    page.get_by_text(f"Showing: {other.strip()}").wait_for(timeout=60_000)
    _settled(page, "OKR scorecard", "Showing:")
    assert _table(page, 0) != rows_before
    assert errors == [], errors


# --- Erlang A by hand ------------------------------------------------------------


def _hypoexponential_cdf(rates: list[float], t: float) -> float:
    """P(sum of independent Exp(r) over `rates` <= t), by uniformization: with
    L = max(rates), the stages are steps of a discrete chain (advance with
    probability r / L) at the events of a Poisson(L) process, so the CDF is
    sum_m Poisson(m; L t) P(all stages passed within m steps), a sum of positive
    terms (the closed form's alternating sum cancels catastrophically)."""
    big = max(rates)
    where = [1.0] + [0.0] * len(rates)  # position: stages passed
    cdf, poisson, m = 0.0, math.exp(-big * t), 0
    mass = poisson
    while True:
        cdf += poisson * where[-1]
        if 1.0 - mass < 1e-15 or m > 10_000:
            return cdf
        moved = [0.0] * len(where)
        moved[-1] = where[-1]
        for position, r in enumerate(rates):
            moved[position] += where[position] * (1.0 - r / big)
            moved[position + 1] += where[position] * r / big
        where, m = moved, m + 1
        poisson *= big * t / m
        mass += poisson


def _erlang_a_by_hand(
    lam: float, aht: float, n: int, patience: float, threshold: float
) -> dict[str, float]:
    """M/M/n+M from its birth-death chain, written out.

    States k = customers in the system, birth rate lam, death rate
    min(k, n)/aht + max(k - n, 0)/patience; an arrival sees the stationary
    distribution (PASTA). An arrival that finds k >= n has i = k - n ahead of it;
    with j ahead it leaves that stage at rate r_j = n/aht + (j + 1)/patience, and
    moves up (a service, or one ahead abandons) with probability
    (n/aht + j/patience) / r_j, else abandons. The stage times are independent
    exponentials whatever the way out, so P(answered | k) = prod_j
    (n/aht + j/patience) / r_j, an answered wait is the sum of the stage times
    (mean sum_j 1/r_j), and P(answered within t | k) = P(answered | k) x
    P(sum of Exp(r_j) <= t). States past the first whose probability is under
    1e-16 of the total are left out.
    """
    mu, theta = 1.0 / aht, 1.0 / patience
    weights = [1.0]
    while len(weights) < 5000:
        k = len(weights)
        death = min(k, n) * mu + max(k - n, 0) * theta
        weights.append(weights[-1] * lam / death)
        if k > n and weights[-1] < 1e-16 * sum(weights):
            break
    total = sum(weights)
    answered = answered_wait = within = waited = queue = 0.0
    for k, w in enumerate(weights):
        pk = w / total
        if k < n:
            answered += pk
            within += pk
            continue
        queue += pk * (k - n)
        ahead = k - n
        rates = [n * mu + (j + 1) * theta for j in range(ahead + 1)]
        p_answer = math.prod((n * mu + j * theta) / rates[j] for j in range(ahead + 1))
        answered += pk * p_answer
        answered_wait += pk * p_answer * sum(1 / r for r in rates)
        within += pk * p_answer * _hypoexponential_cdf(rates[::-1], threshold)
        # every arrival's wait: each stage it reaches (from i ahead down) counts
        reach = 1.0
        for j in range(ahead, -1, -1):
            waited += pk * reach / rates[j]
            reach *= (n * mu + j * theta) / rates[j]
    return {
        "abandon_rate": 1 - answered,
        "abandon_rate_little": theta * queue / lam,
        "asa_seconds": answered_wait / answered,
        "mean_wait_seconds": queue / lam,
        "mean_wait_seconds_stages": waited,
        "service_level_rate": within,
    }


def test_erlang_a_by_hand_is_the_textbook_erlang_c_without_abandonment() -> None:
    # patience -> inf: M/M/2 with A = 1 erlang, P_w = 1/3, Wq = P_w aht / (n - A)
    # = 60 s, SL(20 s) = 1 - P_w e^{-(n - A) t / aht}; a day's patience is close
    # (finite patience trims the longest waits: about 1 % off the mean here)
    got = _erlang_a_by_hand(1 / 180, 180.0, 2, 86_400.0, 20.0)
    assert got["asa_seconds"] == pytest.approx(60.0, rel=2e-2)
    assert got["service_level_rate"] == pytest.approx(
        1 - math.exp(-20 / 180) / 3, rel=1e-3
    )
    assert got["abandon_rate"] == pytest.approx(0.0, abs=1e-3)
    # the stage walk against Little's law: abandons and every arrival's wait
    for case in (got, _erlang_a_by_hand(1 / 120, 300.0, 3, 400.0, 60.0)):
        assert case["abandon_rate"] == pytest.approx(case["abandon_rate_little"])
        assert case["mean_wait_seconds_stages"] == pytest.approx(
            case["mean_wait_seconds"]
        )
    # answered at once: below n in the system, P = 1 - P(wait)
    at_once = _erlang_a_by_hand(1 / 60, 60.0, 1, 60.0, 0.0)
    # M/M/1+M with lam = mu = theta: pi_k = pi_0 / k!, P(k = 0) = 1/e
    assert at_once["service_level_rate"] == pytest.approx(math.exp(-1), rel=1e-12)


def _number(text: str) -> float:
    return float(text.replace("%", "").replace(",", "").replace("pts", "").strip())


def test_one_more_agent_shows_erlang_a_computed_by_hand(
    browser_page: tuple[Any, list[str]], warehouse: Path
) -> None:
    page, errors = browser_page
    _open(page, "What if", PAGES[0][1], "Interval by")
    with open_warehouse(warehouse) as connection:
        queue, day = connection.execute(
            "select queue_id, min(interval_date) from reports.rpt_staffing_plan "
            "group by 1 order by 1 limit 1"
        ).fetchone() or (None, None)
        plan = connection.execute(
            "select strftime(interval_start_local_at, '%Y-%m-%d %H:%M:%S'), "
            "contacts_offered_forecast, aht_seconds_forecast, patience_seconds, "
            "sl_threshold_seconds, required_agents from reports.rpt_staffing_plan "
            "where queue_id = ? and interval_date = ? "
            "and hour(interval_start_local_at) between 9 and 11 "
            "order by interval_start_at",
            [queue, day],
        ).fetchall()
    # the page's defaults: the plan's first queue and day, 9:00-12:00, +1 agent
    picker = page.locator("[data-testid=stSelectbox]", has_text="Queue").first
    assert queue in (picker.inner_text(), picker.locator("input").input_value())
    detail = _table(page, 1)
    header, rows = detail[0], {r[0]: r for r in detail[1:]}
    column = {name: i for i, name in enumerate(header)}
    assert len(rows) == len(plan) == 6
    # the busiest interval, by hand (30-minute intervals)
    start, contacts, aht, patience, threshold, agents = max(plan, key=lambda p: p[1])
    assert patience is not None, "the first plan queue has no patience: Erlang C"
    hand = _erlang_a_by_hand(contacts / 1800.0, aht, agents + 1, patience, threshold)
    assert hand["abandon_rate"] == pytest.approx(hand["abandon_rate_little"])
    shown = rows[start]
    assert _number(shown[column["changed_agents"]]) == agents + 1
    # shown as 12.34 % (abandonment 12.345 %) and 12.34 s: half a last digit
    assert _number(shown[column["changed_service_level_rate"]]) == pytest.approx(
        100 * hand["service_level_rate"], abs=0.0051
    )
    assert _number(shown[column["changed_abandon_rate"]]) == pytest.approx(
        100 * hand["abandon_rate"], abs=0.00051
    )
    assert _number(shown[column["changed_asa_seconds"]]) == pytest.approx(
        hand["asa_seconds"], abs=0.0051
    )
    assert _number(shown[column["changed_mean_wait_seconds"]]) == pytest.approx(
        hand["mean_wait_seconds"], abs=0.0051
    )
    # the headline: contact-weighted over the six intervals, also by hand
    figures = [
        (p[1], _erlang_a_by_hand(p[1] / 1800.0, p[2], p[5] + 1, p[3], p[4]))
        for p in plan
        if p[1] > 0
    ]
    weight = sum(c for c, _ in figures)
    level = sum(c * f["service_level_rate"] for c, f in figures) / weight
    metric = page.locator("[data-testid=stMetric]", has_text="Service level")
    assert _number(
        metric.locator("[data-testid=stMetricValue]").inner_text()
    ) == pytest.approx(100 * level, abs=0.0051)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "explore_what_if.png"), full_page=True)
    assert errors == [], errors
