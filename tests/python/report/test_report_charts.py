"""The report's SVG charts: well-formed, labelled, escaped, honest about gaps."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from opsmart.report import charts
from opsmart.report.charts import (
    BarSeries,
    LineSeries,
    QuadrantPoint,
    ReferenceLine,
    ScatterPoint,
)

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The <svg> root; fails on anything that is not well-formed XML."""
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{NS}text")]


def group(root: ET.Element, css_class: str) -> ET.Element:
    found = [g for g in root.iter(f"{NS}g") if g.get("class") == css_class]
    assert len(found) == 1, css_class
    return found[0]


def tick_labels(root: ET.Element, axis: str) -> list[str]:
    axis_group = group(root, f"axis {axis}")
    return ["".join(t.itertext()) for t in axis_group.iter(f"{NS}text")]


def series_group(root: ET.Element, name: str) -> ET.Element:
    found = [g for g in root.iter(f"{NS}g") if g.get("data-series") == name]
    assert len(found) == 1, name
    return found[0]


def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


# ------------------------------------------------------------------------ nice_ticks


@pytest.mark.parametrize(
    ("low", "high"),
    [(0, 1), (0, 0.23), (-3.2, 17.9), (95, 1050), (0.0001, 0.0009), (-5, -1)],
)
def test_nice_ticks_cover_the_range_in_round_steps(low: float, high: float) -> None:
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 12) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 2.5, 5)
    assert 3 <= len(ticks) <= 12


def test_nice_ticks_degenerate_and_non_finite_ranges() -> None:
    assert charts.nice_ticks(0, 0)[0] < 0 < charts.nice_ticks(0, 0)[-1]
    assert charts.nice_ticks(5, 1) == charts.nice_ticks(1, 5)
    assert charts.nice_ticks(math.nan, 1) == [0.0, 1.0]


# ------------------------------------------------------------------------ line chart


def test_line_chart_has_title_axes_units_legend_and_reference() -> None:
    svg = charts.line_chart(
        [
            LineSeries("actual", [(0.0, 0.5), (12.0, 0.9), (23.5, 0.7)]),
            LineSeries("Erlang A", [(0.0, 0.6), (12.0, 0.8)], dashed=True),
        ],
        title="Service level, q1",
        x_label="interval start (UTC)",
        y_label="service level (%)",
        x_ticks=[(0.0, "00:00"), (12.0, "12:00"), (24.0, "24:00")],
        x_domain=(0.0, 24.0),
        y_domain=(0.0, 1.0),
        y_format=percent,
        references=[ReferenceLine(0.8, "target 80 %")],
    )
    root = parse(svg)
    assert root.get("data-chart") == "line" and root.get("role") == "img"
    assert root.findtext(f"{NS}title") == "Service level, q1"
    assert tick_labels(root, "x-axis") == [
        "00:00",
        "12:00",
        "24:00",
        "interval start (UTC)",
    ]
    assert tick_labels(root, "y-axis") == [
        "0 %", "20 %", "40 %", "60 %", "80 %", "100 %", "service level (%)",
    ]  # fmt: skip
    legend = texts(group(root, "legend"))
    assert legend == ["actual", "Erlang A", "target 80 %"]
    assert 'class="reference"' in svg and 'stroke-dasharray="6 4"' in svg
    assert series_group(root, "actual").find(f"{NS}path") is not None


def test_line_chart_breaks_at_missing_values_and_never_draws_them_as_zero() -> None:
    svg = charts.line_chart(
        [
            LineSeries(
                "actual", [(0, 2.0), (1, None), (2, math.nan), (3, 4.0), (4, 5.0)]
            )
        ],
        title="t",
        x_label="x",
        y_label="y",
    )
    root = parse(svg)
    line = series_group(root, "actual")
    assert len(line.findall(f"{NS}circle")) == 3
    paths = line.findall(f"{NS}path")
    assert len(paths) == 1  # (3, 4) -> (4, 5); the lone (0, 2) is a dot only
    assert paths[0].get("d", "").count("L") == 1


def test_line_chart_draws_interval_bars() -> None:
    svg = charts.line_chart(
        [
            LineSeries(
                "resolved",
                [(0, 0.5), (1, None), (2, 0.7)],
                intervals=[(0.4, 0.6), None, (0.6, 0.8)],
            )
        ],
        title="CSAT by wait",
        x_label="wait band",
        y_label="CSAT (%)",
        x_ticks=[(0, "0-20s"), (1, "20-60s"), (2, "60s+")],
        x_domain=(-0.5, 2.5),
    )
    assert svg.count('class="interval"') == 2


def test_line_chart_without_values_says_no_data() -> None:
    for series in ([], [LineSeries("a", [(0, None), (1, None)])]):
        root = parse(
            charts.line_chart(
                series, title="Empty", x_label="x", y_label="y", no_data="no data: none"
            )
        )
        assert "no data: none" in texts(root)
        assert root.find(f".//{NS}circle") is None and root.find(f".//{NS}path") is None
        assert root.findtext(f"{NS}title") == "Empty"


def test_chart_text_is_escaped() -> None:
    nasty = "<b>&\"'</b>"
    svg = charts.line_chart(
        [LineSeries(nasty, [(0, 1.0), (1, 2.0)]), LineSeries("b", [(0, 2.0)])],
        title=nasty,
        x_label=nasty,
        y_label=nasty,
        x_ticks=[(0, nasty)],
    )
    root = parse(svg)
    assert "<b>" not in svg and "&lt;b&gt;&amp;&quot;&#x27;&lt;/b&gt;" in svg
    assert root.findtext(f"{NS}title") == nasty
    assert texts(root).count(nasty) == 5  # title, tick, x and y label, legend
    assert series_group(root, nasty) is not None


# ---------------------------------------------------------------------- scatter chart


def test_scatter_joins_each_groups_frontier_in_x_order() -> None:
    points = [
        ScatterPoint(9.0, 0.80, "q_b", "queue", is_highlighted=True),
        ScatterPoint(7.0, 0.67, "q_a", "queue", is_highlighted=True),
        ScatterPoint(12.5, 0.79, "q_c", "queue"),
        ScatterPoint(9.9, 0.74, "consumer", "segment", is_highlighted=True),
        ScatterPoint(None, 0.5, "q_no_cost", "queue"),
        ScatterPoint(8.0, None, "q_no_csat", "queue"),
    ]
    svg = charts.scatter_chart(
        points,
        title="Cost vs CSAT",
        x_label="cost per contact (USD)",
        y_label="CSAT (%)",
        y_format=percent,
        frontier_label="Pareto frontier",
    )
    root = parse(svg)
    frontiers = [p for p in root.iter(f"{NS}path") if p.get("class") == "frontier"]
    assert len(frontiers) == 1  # the segment group has one efficient point only
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+) ", frontiers[0].get("d", ""))]
    assert len(xs) == 2 and xs == sorted(xs)
    assert svg.count('class="highlight"') == 3 and svg.count('class="point"') == 4
    labels = texts(root)
    assert {"q_a", "q_b", "q_c", "consumer"} <= set(labels)
    assert "q_no_cost" not in labels and "2 without data not shown" in labels
    assert texts(group(root, "legend")) == ["queue", "segment", "Pareto frontier"]
    assert tick_labels(root, "x-axis")[-1] == "cost per contact (USD)"


def test_scatter_without_comparable_points_says_no_data() -> None:
    svg = charts.scatter_chart(
        [ScatterPoint(None, None, "q1")],
        title="t",
        x_label="x",
        y_label="y",
        no_data="no data: no CSAT",
    )
    assert "no data: no CSAT" in texts(parse(svg)) and "<circle" not in svg


# -------------------------------------------------------------------------- bar chart


def test_bar_chart_marks_missing_values_instead_of_zero_bars() -> None:
    svg = charts.bar_chart(
        ["q1", "q2"],
        [
            BarSeries("actual", [4.0, 0.0]),
            BarSeries("optimal", [None, 3.5], color=charts.COLORS["optimal"]),
        ],
        title="Agent-hours",
        x_label="queue",
        y_label="agent-hours",
    )
    root = parse(svg)
    bars = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    assert len(bars) == 3  # a real 0 is a (flat) bar; None is not
    assert "n/a" in texts(series_group(root, "optimal"))
    assert tick_labels(root, "x-axis") == ["q1", "q2", "queue"]
    assert tick_labels(root, "y-axis")[-1] == "agent-hours"


def test_bar_chart_negative_values_hang_below_zero() -> None:
    svg = charts.bar_chart(
        ["a", "b"], [BarSeries("gap", [-2.0, 3.0])], title="t", x_label="x", y_label="y"
    )
    root = parse(svg)
    a, b = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    zero = float(a.get("y", "0"))  # the negative bar starts at the zero line
    assert float(b.get("y", "0")) + float(b.get("height", "0")) == pytest.approx(zero)
    assert "-2" in tick_labels(root, "y-axis")


def test_bar_chart_without_values_says_no_data() -> None:
    svg = charts.bar_chart(
        ["q1"], [BarSeries("a", [None])], title="t", x_label="x", y_label="y"
    )
    assert "no data" in texts(parse(svg)) and 'class="bar"' not in svg


# --------------------------------------------------------------------- quadrant chart


def test_quadrant_places_points_and_keeps_unknown_x_in_the_strip() -> None:
    svg = charts.quadrant_chart(
        [
            QuadrantPoint("billing", 0.1, 0.3, size=1.0),
            QuadrantPoint("tech", 0.35, 0.8, size=0.2),
            QuadrantPoint("new_reason", None, 0.6),
            QuadrantPoint("unknown", 0.2, None),
        ],
        title="Demand matrix",
        x_label="forecast error (%)",
        y_label="complexity (0-1)",
        x_threshold=0.2,
        y_threshold=0.5,
        quadrant_labels=("tools", "experts", "self-service", "flexible"),
        x_format=percent,
        unplaced_label="no forecast yet",
    )
    root = parse(svg)
    labels = texts(root)
    assert {"tools", "experts", "self-service", "flexible"} <= set(labels)
    assert {"billing", "tech", "new_reason", "no forecast yet"} <= set(labels)
    assert "1 without data not shown" in labels and "unknown" not in labels
    fills = [
        r.get("fill") for r in root.iter(f"{NS}rect") if r.get("class") == "quadrant"
    ]
    assert fills == list(charts.QUADRANT_FILLS)
    assert 'class="unplaced"' in svg and 'class="threshold"' in svg
    assert "40 %" in tick_labels(root, "x-axis")  # at least twice the threshold


def test_quadrant_without_points_says_no_data() -> None:
    svg = charts.quadrant_chart(
        [],
        title="t",
        x_label="x",
        y_label="y",
        x_threshold=0.2,
        y_threshold=0.5,
        quadrant_labels=("a", "b", "c", "d"),
    )
    assert "no data" in texts(parse(svg))


# -------------------------------------------------------------------------- sparkline


def test_sparkline_draws_trend_and_target_or_says_no_data() -> None:
    root = parse(charts.sparkline([0.7, None, 0.75, 0.8], title="csat", target=0.8))
    assert root.get("data-chart") == "sparkline"
    assert root.findtext(f"{NS}title") == "csat"
    assert len(root.findall(f"{NS}line")) == 1  # the target
    empty = parse(charts.sparkline([None, None], title="csat"))
    assert texts(empty) == ["no data"]


def test_band_paths_run_along_the_upper_and_back_along_the_lower_bounds() -> None:
    # identity scales: the path's coordinates are the data, hand-checkable
    same = float
    paths = charts.band_paths(
        [0.0, 1.0, 2.0, 3.0, 4.0],
        [(1.0, 3.0), (2.0, 5.0), None, (0.0, 2.0), (1.0, 4.0)],
        same,
        same,
    )
    assert paths == ["M0 3L1 5L1 2L0 1Z", "M3 2L4 4L4 1L3 0Z"]
    # a lone point is a vertical segment; a NaN bound breaks the band too
    assert charts.band_paths([0.0, 1.0], [(1.0, 2.0), (math.nan, 2.0)], same, same) == [
        "M0 2L0 1Z"
    ]
    assert charts.band_paths([0.0], [None], same, same) == []


def test_a_band_is_drawn_under_its_line_and_the_axis_reaches_its_upper_bound() -> None:
    svg = charts.line_chart(
        [
            LineSeries(
                "forecast",
                [(0, 2), (1, 3), (2, None), (3, 2)],
                markers=False,
                bands=(
                    charts.Band([(0, 9), (1, 12), None, (1, 4)], opacity=0.15),
                    charts.Band([(1, 4), (2, 5), None, (1, 3)], opacity=0.3),
                ),
            )
        ],
        title="t",
        x_label="x",
        y_label="y",
    )
    root = parse(svg)
    series = group(root, "series")
    children = [child.get("class") for child in series]
    bands = [child for child in series if child.get("class") == "band"]
    # two bands, each broken at the gap into two runs, all before the line
    assert len(bands) == 4
    assert children.index(None) > max(i for i, c in enumerate(children) if c == "band")
    assert [b.get("fill-opacity") for b in bands] == ["0.15", "0.15", "0.3", "0.3"]
    # the y axis reaches 12 (the band's top), above every point (3)
    ticks = [float(t) for t in texts(root) if re.fullmatch(r"[\d.]+", t)]
    assert max(ticks) >= 12
