"""Small SVG charts for the nightly report: pure functions that return SVG text.

The report must open without a network and without JavaScript, so its charts are
inline SVG written here rather than a plotting library's output. Every chart has a
`<title>` (its accessible name), labelled axes with tick labels in the data's unit, a
legend where there is more than one series, and a visible "no data" note instead of
an empty frame when there is nothing to draw. All text is escaped; a missing value
(None or NaN) is never drawn as 0: lines break, bars and points are left out.

Charts: `line_chart` (with optional interval bars and reference lines),
`scatter_chart` (with a highlighted frontier per group), `bar_chart` (grouped bars),
`quadrant_chart` (a 2 x 2 matrix with a strip for points without an x) and
`sparkline` (a table-cell trend).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

__all__ = [
    "COLORS",
    "QUADRANT_FILLS",
    "BarSeries",
    "LineSeries",
    "QuadrantPoint",
    "ReferenceLine",
    "ScatterPoint",
    "bar_chart",
    "line_chart",
    "nice_ticks",
    "quadrant_chart",
    "scatter_chart",
    "sparkline",
]

Formatter = Callable[[float], str]

#: Named colours shared by the charts and the page (solid fills are drawn exactly, so
#: the browser test can find them in a screenshot).
COLORS: dict[str, str] = {
    "actual": "#1f77b4",
    "baseline": "#6b6b6b",
    "target": "#d62728",
    "optimal": "#2ca02c",
    "resolved": "#1f77b4",
    "unresolved": "#ff7f0e",
    "frontier": "#d62728",
    "axis": "#444444",
    "grid": "#e3e3e3",
    "muted": "#8a8a8a",
}

#: Backgrounds of the quadrants: top-left, top-right, bottom-left, bottom-right.
QUADRANT_FILLS = ("#fdf1e6", "#fbe4e4", "#e8f4ea", "#e6eef8")

#: Cycled for groups and series that have no colour of their own.
_CYCLE = ("#1f77b4", "#9467bd", "#2ca02c", "#ff7f0e", "#8c564b", "#17becf")

_FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif"
_LEFT, _RIGHT, _TOP, _BOTTOM = 64.0, 18.0, 34.0, 50.0
_LEGEND_ROW = 18.0


@dataclass(frozen=True)
class LineSeries:
    """One line: `points` are (x, y) with y None for a gap.

    `intervals`, if given, has one (lower, upper) or None per point and is drawn as
    vertical interval bars (confidence intervals).
    """

    name: str
    points: Sequence[tuple[float, float | None]]
    color: str = COLORS["actual"]
    dashed: bool = False
    markers: bool = True
    intervals: Sequence[tuple[float, float] | None] | None = None


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across the plot at `value`, labelled at its right end."""

    value: float
    label: str
    color: str = COLORS["target"]


@dataclass(frozen=True)
class ScatterPoint:
    """One unit of a scatter chart; `is_highlighted` puts it on the group's frontier."""

    x: float | None
    y: float | None
    label: str
    group: str = ""
    is_highlighted: bool = False


@dataclass(frozen=True)
class BarSeries:
    """One series of a grouped bar chart: one value (or None) per category."""

    name: str
    values: Sequence[float | None]
    color: str = COLORS["actual"]


@dataclass(frozen=True)
class QuadrantPoint:
    """One item of a quadrant chart; x None places it in the side strip."""

    label: str
    x: float | None
    y: float | None
    size: float | None = None


# --------------------------------------------------------------------------- helpers


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _fmt_plain(value: float) -> str:
    """A short, readable number: integers without decimals, others to 3 digits."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3g}"


def _num(value: float) -> str:
    """An SVG coordinate: 1 decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round tick values covering [low, high] (1, 2, 2.5, 5 x 10^k steps).

    Parameters
    ----------
    low, high : float
        The data range; swapped if reversed, widened if equal.
    count : int
        The number of intervals wanted (at least 1).

    Returns
    -------
    list of float
        Ascending ticks; the first is <= low and the last >= high.

    Examples
    --------
    >>> nice_ticks(0, 1)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(3, 3)
    [2.0, 2.5, 3.0, 3.5, 4.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    low, high = min(low, high), max(low, high)
    if low == high:
        pad = abs(low) * 0.25 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = round((last - first) / step)
    return [round(first + i * step, 12) + 0.0 for i in range(n + 1)]


def _scale(
    domain: tuple[float, float], span: tuple[float, float]
) -> Callable[[float], float]:
    (d0, d1), (r0, r1) = domain, span
    width = (d1 - d0) or 1.0
    return lambda value: r0 + (value - d0) / width * (r1 - r0)


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: int = 11,
    color: str = COLORS["axis"],
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" '
        f'font-size="{size}" fill="{color}" font-weight="{weight}"{extra}>'
        f"{escape(content)}</text>"
    )


def _open(kind: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="{escape(_FONT)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        _text(_LEFT, 20, title, size=13, weight="bold", color="#222222"),
    ]


def _no_data(parts: list[str], width: int, height: int, message: str) -> str:
    parts.append(
        _text(
            width / 2,
            height / 2,
            message,
            anchor="middle",
            size=13,
            color=COLORS["muted"],
            extra=' class="no-data"',
        )
    )
    parts.append("</svg>")
    return "".join(parts)


def _legend(entries: Sequence[tuple[str, str, bool]], y: float) -> list[str]:
    """A one-row legend: (label, colour, dashed) swatches from the left margin."""
    parts: list[str] = ['<g class="legend">']
    x = _LEFT
    for label, color, dashed in entries:
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(y - 4)}" x2="{_num(x + 18)}" '
            f'y2="{_num(y - 4)}" stroke="{color}" stroke-width="3"{dash}/>'
        )
        parts.append(_text(x + 23, y, label))
        x += 23 + 6.5 * len(label) + 18
    parts.append("</g>")
    return parts


def _y_axis(
    ticks: Sequence[float],
    scale: Callable[[float], float],
    left: float,
    right: float,
    fmt: Formatter,
    label: str,
    top: float,
    bottom: float,
) -> list[str]:
    parts = ['<g class="axis y-axis">']
    for tick in ticks:
        y = scale(tick)
        parts.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" '
            f'y2="{_num(y)}" stroke="{COLORS["grid"]}"/>'
        )
        parts.append(_text(left - 6, y + 4, fmt(tick), anchor="end"))
    parts.append(
        f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" '
        f'y2="{_num(bottom)}" stroke="{COLORS["axis"]}"/>'
    )
    middle = (top + bottom) / 2
    parts.append(
        _text(
            14,
            middle,
            label,
            anchor="middle",
            extra=f' transform="rotate(-90 14 {_num(middle)})"',
        )
    )
    parts.append("</g>")
    return parts


def _x_axis(
    ticks: Sequence[tuple[float, str]],
    scale: Callable[[float], float],
    left: float,
    right: float,
    bottom: float,
    label: str,
    height: int,
) -> list[str]:
    parts = [
        '<g class="axis x-axis">',
        f'<line x1="{_num(left)}" y1="{_num(bottom)}" x2="{_num(right)}" '
        f'y2="{_num(bottom)}" stroke="{COLORS["axis"]}"/>',
    ]
    for value, text in ticks:
        x = scale(value)
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(bottom)}" x2="{_num(x)}" '
            f'y2="{_num(bottom + 4)}" stroke="{COLORS["axis"]}"/>'
        )
        parts.append(_text(x, bottom + 16, text, anchor="middle"))
    parts.append(_text((left + right) / 2, height - 8, label, anchor="middle"))
    parts.append("</g>")
    return parts


def _domain(
    values: Sequence[float], fixed: tuple[float, float] | None, include_zero: bool
) -> tuple[float, float]:
    if fixed is not None:
        return fixed
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    return low, high


# ---------------------------------------------------------------------------- charts


def line_chart(
    series: Sequence[LineSeries],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_ticks: Sequence[tuple[float, str]] | None = None,
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] | None = None,
    x_format: Formatter = _fmt_plain,
    y_format: Formatter = _fmt_plain,
    references: Sequence[ReferenceLine] = (),
    include_zero: bool = True,
    width: int = 640,
    height: int = 300,
    no_data: str = "no data",
) -> str:
    """A line chart of one or more series, with optional interval bars.

    Parameters
    ----------
    series : sequence of LineSeries
        The lines; a y of None (or NaN) breaks a line, a lone point gets a marker.
    title, x_label, y_label : str
        Chart title and axis labels (put the unit in the label).
    x_ticks : sequence of (value, text), optional
        Explicit x ticks (categories, clock times); default: round numbers.
    x_domain, y_domain : (low, high), optional
        Fixed axis ranges; default: the data's range (with 0 if `include_zero`).
    x_format, y_format : callable
        Tick label formatters for automatic ticks.
    references : sequence of ReferenceLine
        Horizontal target or threshold lines.
    width, height : int
        Size in pixels.
    no_data : str
        What to say when no series has a value.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    parts = _open("line", title, width, height)
    points = [
        (x, y) for line in series for x, y in line.points if _finite(x) and _finite(y)
    ]
    if not points:
        return _no_data(parts, width, height, no_data)
    legend = len(series) > 1 or bool(references)
    top = _TOP + (_LEGEND_ROW if legend else 0.0)
    left, right, bottom = _LEFT, width - _RIGHT, height - _BOTTOM
    xs = [x for x, _ in points]
    ys: list[float] = [y for _, y in points if y is not None]
    ys += [
        bound
        for line in series
        for pair in line.intervals or ()
        if pair
        for bound in pair
    ]
    ys += [ref.value for ref in references]
    x_range = _domain(xs, x_domain, include_zero=False)
    if x_range[0] == x_range[1]:
        x_range = (x_range[0] - 1, x_range[1] + 1)
    y_ticks = nice_ticks(*_domain(ys, y_domain, include_zero))
    y_range = y_domain or (y_ticks[0], y_ticks[-1])
    sx = _scale(x_range, (left, right))
    sy = _scale(y_range, (bottom, top))
    tick_pairs = x_ticks
    if tick_pairs is None:
        tick_pairs = [
            (tick, x_format(tick))
            for tick in nice_ticks(*x_range)
            if x_range[0] <= tick <= x_range[1]
        ]
    if legend:
        entries = [(line.name, line.color, line.dashed) for line in series]
        entries += [(ref.label, ref.color, True) for ref in references]
        parts += _legend(entries, _TOP + 8)
    parts += _y_axis(y_ticks, sy, left, right, y_format, y_label, top, bottom)
    parts += _x_axis(tick_pairs, sx, left, right, bottom, x_label, height)
    for ref in references:
        y = sy(ref.value)
        parts.append(
            f'<line class="reference" x1="{_num(left)}" y1="{_num(y)}" '
            f'x2="{_num(right)}" y2="{_num(y)}" stroke="{ref.color}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    for line in series:
        parts += _line_series(line, sx, sy)
    parts.append("</svg>")
    return "".join(parts)


def _line_series(
    line: LineSeries, sx: Callable[[float], float], sy: Callable[[float], float]
) -> list[str]:
    parts = [f'<g class="series" data-series="{escape(line.name)}">']
    for index, pair in enumerate(line.intervals or ()):
        if pair is None or index >= len(line.points):
            continue
        x = sx(line.points[index][0])
        low, high = sy(pair[0]), sy(pair[1])
        parts.append(
            f'<path class="interval" d="M{_num(x)} {_num(low)}V{_num(high)}'
            f'M{_num(x - 4)} {_num(low)}h8M{_num(x - 4)} {_num(high)}h8" '
            f'stroke="{line.color}" stroke-width="1.2" fill="none" opacity="0.8"/>'
        )
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in line.points:
        if _finite(x) and y is not None and _finite(y):
            segments[-1].append((sx(x), sy(y)))
        elif segments[-1]:
            segments.append([])
    dash = ' stroke-dasharray="6 4"' if line.dashed else ""
    for segment in segments:
        if len(segment) > 1:
            path = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in segment)
            parts.append(
                f'<path d="{path}" fill="none" stroke="{line.color}" '
                f'stroke-width="2"{dash}/>'
            )
        if line.markers or len(segment) == 1:
            parts += [
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{line.color}"/>'
                for x, y in segment
            ]
    parts.append("</g>")
    return parts


def scatter_chart(
    points: Sequence[ScatterPoint],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_format: Formatter = _fmt_plain,
    y_format: Formatter = _fmt_plain,
    y_domain: tuple[float, float] | None = None,
    group_colors: dict[str, str] | None = None,
    frontier_label: str = "frontier",
    width: int = 640,
    height: int = 360,
    no_data: str = "no data",
) -> str:
    """A labelled scatter; each group's highlighted points are joined as its frontier.

    Points without an x or y are left out and counted in a note under the plot.
    Highlighted points get a ring; the frontier is drawn through them in x order.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    parts = _open("scatter", title, width, height)
    placed = [p for p in points if _finite(p.x) and _finite(p.y)]
    if not placed:
        return _no_data(parts, width, height, no_data)
    groups = list(dict.fromkeys(p.group for p in placed))
    colors = dict(group_colors or {})
    for index, group in enumerate(g for g in groups if g not in colors):
        colors[group] = _CYCLE[index % len(_CYCLE)]
    top = _TOP + _LEGEND_ROW
    left, right, bottom = _LEFT, width - _RIGHT - 40, height - _BOTTOM
    xs = [float(p.x) for p in placed if p.x is not None]
    ys = [float(p.y) for p in placed if p.y is not None]
    x_ticks = nice_ticks(*_domain(xs, None, include_zero=False))
    y_ticks = nice_ticks(*_domain(ys, y_domain, include_zero=False))
    y_range = y_domain or (y_ticks[0], y_ticks[-1])
    sx = _scale((x_ticks[0], x_ticks[-1]), (left, right))
    sy = _scale(y_range, (bottom, top))
    entries = [(group or "units", colors[group], False) for group in groups]
    if any(p.is_highlighted for p in placed):
        entries.append((frontier_label, COLORS["frontier"], True))
    parts += _legend(entries, _TOP + 8)
    parts += _y_axis(y_ticks, sy, left, right, y_format, y_label, top, bottom)
    parts += _x_axis(
        [(t, x_format(t)) for t in x_ticks], sx, left, right, bottom, x_label, height
    )
    for group in groups:
        frontier = sorted(
            (float(p.x), float(p.y))
            for p in placed
            if p.group == group
            and p.is_highlighted
            and p.x is not None
            and p.y is not None
        )
        if len(frontier) > 1:
            path = "M" + "L".join(f"{_num(sx(x))} {_num(sy(y))}" for x, y in frontier)
            parts.append(
                f'<path class="frontier" d="{path}" fill="none" '
                f'stroke="{colors[group]}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
    for p in placed:
        assert p.x is not None and p.y is not None
        x, y = sx(p.x), sy(p.y)
        if p.is_highlighted:
            parts.append(
                f'<circle class="highlight" cx="{_num(x)}" cy="{_num(y)}" r="9" '
                f'fill="none" stroke="{COLORS["frontier"]}" stroke-width="2"/>'
            )
        parts.append(
            f'<circle class="point" cx="{_num(x)}" cy="{_num(y)}" r="5.5" '
            f'fill="{colors[p.group]}"><title>{escape(p.label)}</title></circle>'
        )
        parts.append(_text(x + 9, y - 7, p.label, size=10))
    skipped = len(points) - len(placed)
    if skipped:
        parts.append(
            _text(
                right,
                height - 8,
                f"{skipped} without data not shown",
                anchor="end",
                size=10,
                color=COLORS["muted"],
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_format: Formatter = _fmt_plain,
    width: int = 640,
    height: int = 320,
    no_data: str = "no data",
) -> str:
    """Grouped vertical bars: one group per category, one bar per series.

    A None value draws no bar but a small "n/a" at the baseline, so a missing value
    cannot be read as 0. Negative values hang below the zero line.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    parts = _open("bar", title, width, height)
    values = [v for s in series for v in s.values if v is not None and _finite(v)]
    if not categories or not values:
        return _no_data(parts, width, height, no_data)
    legend = len(series) > 1
    top = _TOP + (_LEGEND_ROW if legend else 0.0)
    left, right, bottom = _LEFT, width - _RIGHT, height - _BOTTOM
    y_ticks = nice_ticks(*_domain(values, None, include_zero=True))
    sy = _scale((y_ticks[0], y_ticks[-1]), (bottom, top))
    if legend:
        parts += _legend([(s.name, s.color, False) for s in series], _TOP + 8)
    parts += _y_axis(y_ticks, sy, left, right, y_format, y_label, top, bottom)
    band = (right - left) / len(categories)
    bar = band * 0.8 / max(len(series), 1)
    centers = [(i + 0.5, name) for i, name in enumerate(categories)]
    sx = _scale((0.0, float(len(categories))), (left, right))
    parts += _x_axis(centers, sx, left, right, bottom, x_label, height)
    zero = sy(0.0)
    for s_index, s in enumerate(series):
        parts.append(f'<g class="series" data-series="{escape(s.name)}">')
        for c_index, value in enumerate(s.values[: len(categories)]):
            x = left + c_index * band + band * 0.1 + s_index * bar
            if value is None or not _finite(value):
                parts.append(
                    _text(
                        x + bar / 2,
                        zero - 3,
                        "n/a",
                        anchor="middle",
                        size=9,
                        color=COLORS["muted"],
                    )
                )
                continue
            y = sy(value)
            parts.append(
                f'<rect class="bar" x="{_num(x)}" y="{_num(min(y, zero))}" '
                f'width="{_num(max(bar - 2, 1))}" height="{_num(abs(zero - y))}" '
                f'fill="{s.color}"><title>{escape(categories[c_index])}, '
                f"{escape(s.name)}: {escape(y_format(value))}</title></rect>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def quadrant_chart(
    points: Sequence[QuadrantPoint],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_threshold: float,
    y_threshold: float,
    quadrant_labels: tuple[str, str, str, str],
    x_domain: tuple[float, float] | None = None,
    y_domain: tuple[float, float] = (0.0, 1.0),
    x_format: Formatter = _fmt_plain,
    y_format: Formatter = _fmt_plain,
    unplaced_label: str = "x unknown",
    width: int = 640,
    height: int = 380,
    no_data: str = "no data",
) -> str:
    """A 2 x 2 matrix split at `x_threshold` and `y_threshold`.

    Parameters
    ----------
    quadrant_labels : (top-left, top-right, bottom-left, bottom-right)
        What each quadrant means, printed in its corner.
    unplaced_label : str
        Heading of the strip right of the plot where points with an unknown x (but a
        known y) are drawn; points without a y are counted under the plot.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    parts = _open("quadrant", title, width, height)
    with_y = [p for p in points if _finite(p.y)]
    if not with_y:
        return _no_data(parts, width, height, no_data)
    placed = [p for p in with_y if _finite(p.x)]
    unplaced = [p for p in with_y if not _finite(p.x)]
    strip = 165.0 if unplaced else 0.0
    top, left = _TOP + 6, _LEFT
    right, bottom = width - _RIGHT - strip, height - _BOTTOM
    xs = [float(p.x) for p in placed if p.x is not None] + [x_threshold]
    x_range = x_domain or (0.0, nice_ticks(0.0, max(*xs, 2 * x_threshold))[-1])
    sx = _scale(x_range, (left, right))
    sy = _scale(y_domain, (bottom, top))
    cx, cy = sx(x_threshold), sy(y_threshold)
    boxes = (
        (left, top, cx, cy),
        (cx, top, right, cy),
        (left, cy, cx, bottom),
        (cx, cy, right, bottom),
    )
    for (x0, y0, x1, y1), shade, label in zip(
        boxes, QUADRANT_FILLS, quadrant_labels, strict=True
    ):
        parts.append(
            f'<rect class="quadrant" x="{_num(x0)}" y="{_num(y0)}" '
            f'width="{_num(max(x1 - x0, 0))}" height="{_num(max(y1 - y0, 0))}" '
            f'fill="{shade}"/>'
        )
        parts.append(
            _text(x0 + 6, y0 + 15, label, size=11, weight="bold", color="#555555")
        )
    y_ticks = [t for t in nice_ticks(*y_domain) if y_domain[0] <= t <= y_domain[1]]
    x_ticks = [t for t in nice_ticks(*x_range) if x_range[0] <= t <= x_range[1]]
    parts += _y_axis(y_ticks, sy, left, right, y_format, y_label, top, bottom)
    parts += _x_axis(
        [(t, x_format(t)) for t in x_ticks], sx, left, right, bottom, x_label, height
    )
    parts.append(
        f'<path class="threshold" d="M{_num(cx)} {_num(top)}V{_num(bottom)}'
        f'M{_num(left)} {_num(cy)}H{_num(right)}" stroke="{COLORS["axis"]}" '
        f'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    for p in placed:
        assert p.x is not None and p.y is not None
        x = sx(min(max(p.x, x_range[0]), x_range[1]))
        parts += _quadrant_dot(x, sy(p.y), p)
    if unplaced:
        x0 = right + 10
        parts.append(
            f'<rect class="unplaced" x="{_num(x0)}" y="{_num(top)}" '
            f'width="{_num(strip - 10)}" height="{_num(bottom - top)}" '
            f'fill="#f2f2f2" stroke="#cccccc" stroke-dasharray="3 3"/>'
        )
        parts.append(
            _text(
                x0 + (strip - 10) / 2,
                top + 14,
                unplaced_label,
                anchor="middle",
                size=10,
            )
        )
        ordered = sorted(unplaced, key=lambda p: -float(p.y or 0.0))
        dots = [sy(float(p.y or 0.0)) for p in ordered]
        labels = _spread(dots, 12.0, top + 24, bottom - 2)
        for p, dot_y, label_y in zip(ordered, dots, labels, strict=True):
            parts += _quadrant_dot(x0 + 12, dot_y, p, color=COLORS["muted"], text=False)
            parts.append(
                f'<path d="M{_num(x0 + 18)} {_num(dot_y)}L{_num(x0 + 30)} '
                f'{_num(label_y - 3)}" stroke="#bbbbbb" fill="none"/>'
            )
            parts.append(_text(x0 + 32, label_y, p.label, size=10))
    missing = len(points) - len(with_y)
    if missing:
        parts.append(
            _text(
                width - _RIGHT,
                height - 8,
                f"{missing} without data not shown",
                anchor="end",
                size=10,
                color=COLORS["muted"],
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def _quadrant_dot(
    x: float,
    y: float,
    point: QuadrantPoint,
    *,
    color: str = COLORS["actual"],
    text: bool = True,
) -> list[str]:
    radius = 4.0 if point.size is None else 3.0 + 6.0 * min(max(point.size, 0.0), 1.0)
    parts = [
        f'<circle class="point" cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}" '
        f'fill="{color}" fill-opacity="0.85"><title>{escape(point.label)}</title>'
        "</circle>"
    ]
    if text:
        parts.append(_text(x + radius + 3, y + 4, point.label, size=10))
    return parts


def _spread(
    positions: Sequence[float], gap: float, low: float, high: float
) -> list[float]:
    """Label positions near `positions` (ascending order kept) at least `gap` apart.

    Labels are pushed down from `low` as needed, then back up if the last one passes
    `high`; with too many labels for the room they end up evenly `gap` apart.

    Examples
    --------
    >>> _spread([10, 11, 12, 40], 5, 0, 100)
    [10, 15, 20, 40]
    """
    placed: list[float] = []
    for position in positions:
        floor = placed[-1] + gap if placed else low
        placed.append(max(position, floor))
    ceiling = high
    for index in range(len(placed) - 1, -1, -1):
        placed[index] = min(placed[index], ceiling)
        ceiling = placed[index] - gap
    return placed


def sparkline(
    values: Sequence[float | None],
    *,
    title: str,
    target: float | None = None,
    color: str = COLORS["actual"],
    width: int = 120,
    height: int = 30,
) -> str:
    """A tiny trend line for a table cell, with the target as a dashed line.

    Missing values break the line; the latest value gets a dot. With no value at all
    the sparkline says "no data".

    Returns
    -------
    str
        An ``<svg>`` element (class ``sparkline``).
    """
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" '
        f'data-chart="sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f"<title>{escape(title)}</title>"
    )
    known = [v for v in values if v is not None and _finite(v)]
    if not known:
        return (
            head
            + _text(
                width / 2,
                height / 2 + 4,
                "no data",
                anchor="middle",
                size=10,
                color=COLORS["muted"],
            )
            + "</svg>"
        )
    span = known + ([target] if target is not None and _finite(target) else [])
    low, high = min(span), max(span)
    if low == high:
        low, high = low - 1, high + 1
    pad = 3.0
    sx = _scale((0.0, max(len(values) - 1, 1)), (pad, width - pad))
    sy = _scale((low, high), (height - pad, pad))
    parts = [head]
    if target is not None and _finite(target):
        parts.append(
            f'<line x1="0" y1="{_num(sy(target))}" x2="{width}" '
            f'y2="{_num(sy(target))}" stroke="{COLORS["target"]}" '
            f'stroke-dasharray="3 2"/>'
        )
    series = LineSeries(
        "trend",
        [(float(i), v) for i, v in enumerate(values)],
        color=color,
        markers=False,
    )
    parts += _line_series(series, sx, sy)
    last = max(i for i, v in enumerate(values) if v is not None and _finite(v))
    last_value = values[last]
    assert last_value is not None
    parts.append(
        f'<circle cx="{_num(sx(last))}" cy="{_num(sy(last_value))}" r="2.5" '
        f'fill="{color}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
