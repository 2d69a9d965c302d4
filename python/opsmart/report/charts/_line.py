"""Line charts: one or more series with gaps, interval bars, uncertainty bands and
reference lines.

`_line_series` draws one series' group; the sparkline draws its trend with it too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from opsmart.report.charts._svg import (
    COLORS,
    Formatter,
    _domain,
    _finite,
    _fmt_plain,
    _legend,
    _no_data,
    _num,
    _open,
    _plot_area,
    _x_axis,
    _y_axis,
    nice_ticks,
)

__all__ = [
    "Band",
    "LineSeries",
    "ReferenceLine",
    "_line_series",
    "band_paths",
    "line_chart",
]


@dataclass(frozen=True)
class Band:
    """A shaded area between a lower and an upper line (a prediction interval).

    `bounds` has one (lower, upper) or None per point of its series, so the band
    shares the series' x; None breaks the band as it breaks the line.
    """

    bounds: Sequence[tuple[float, float] | None]
    opacity: float = 0.2


@dataclass(frozen=True)
class LineSeries:
    """One line: `points` are (x, y) with y None for a gap.

    `intervals`, if given, has one (lower, upper) or None per point and is drawn as
    vertical interval bars (confidence intervals). `bands` are shaded areas in the
    series' colour, drawn under the line (widest first, so narrower ones read darker).
    """

    name: str
    points: Sequence[tuple[float, float | None]]
    color: str = COLORS["actual"]
    dashed: bool = False
    markers: bool = True
    intervals: Sequence[tuple[float, float] | None] | None = None
    bands: Sequence[Band] = ()


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across the plot at `value`, labelled at its right end."""

    value: float
    label: str
    color: str = COLORS["target"]


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
    plot = _plot_area(width, height, legend=legend)
    x_range = _x_range([x for x, _ in points], x_domain)
    ys = _values_on_y(points, series, references)
    y_ticks = nice_ticks(*_domain(ys, y_domain, include_zero))
    y_range = y_domain or (y_ticks[0], y_ticks[-1])
    sx = plot.x_scale(x_range)
    sy = plot.y_scale(y_range)
    if x_ticks is None:
        x_ticks = _round_ticks_within(x_range, x_format)
    if legend:
        parts += _line_legend(series, references)
    parts += _y_axis(plot, y_ticks, sy, y_format, y_label)
    parts += _x_axis(plot, x_ticks, sx, x_label)
    parts += _reference_lines(references, sy, plot.left, plot.right)
    for line in series:
        parts += _line_series(line, sx, sy)
    parts.append("</svg>")
    return "".join(parts)


def _x_range(
    xs: Sequence[float], fixed: tuple[float, float] | None
) -> tuple[float, float]:
    """The x axis' range: `fixed`, else the data's, widened by 1 each way if one x.

    Widened because a range of one value has no width to scale to; the lone x then
    sits in the middle of the plot instead of on its left edge.
    """
    low, high = _domain(xs, fixed, include_zero=False)
    if low == high:
        return low - 1, high + 1
    return low, high


def _values_on_y(
    points: Sequence[tuple[float, float | None]],
    series: Sequence[LineSeries],
    references: Sequence[ReferenceLine],
) -> list[float]:
    """Every y the axis must reach: the points, the interval bounds, the references.

    The bounds and references count so an interval bar or a target line outside the
    points' range is not cut off at the plot's edge.
    """
    ys: list[float] = [y for _, y in points if y is not None]
    ys += [
        bound
        for line in series
        for pair in line.intervals or ()
        if pair
        for bound in pair
    ]
    ys += [
        bound
        for line in series
        for band in line.bands
        for pair in band.bounds
        if pair
        for bound in pair
        if _finite(bound)
    ]
    ys += [ref.value for ref in references]
    return ys


def _round_ticks_within(
    x_range: tuple[float, float], x_format: Formatter
) -> list[tuple[float, str]]:
    """Round x ticks, labelled by `x_format`, dropping those outside `x_range`.

    `nice_ticks` may overshoot the range, and the x range is not widened to its ticks
    (a fixed or data range is kept), so an overshooting tick would fall off the axis.
    """
    return [
        (tick, x_format(tick))
        for tick in nice_ticks(*x_range)
        if x_range[0] <= tick <= x_range[1]
    ]


def _line_legend(
    series: Sequence[LineSeries], references: Sequence[ReferenceLine]
) -> list[str]:
    """The legend: one entry per series, then one (dashed) per reference line."""
    entries = [(line.name, line.color, line.dashed) for line in series]
    entries += [(ref.label, ref.color, True) for ref in references]
    return _legend(entries)


def _reference_lines(
    references: Sequence[ReferenceLine],
    sy: Callable[[float], float],
    left: float,
    right: float,
) -> list[str]:
    """A dashed horizontal line across the plot per reference."""
    parts = []
    for ref in references:
        y = sy(ref.value)
        parts.append(
            f'<line class="reference" x1="{_num(left)}" y1="{_num(y)}" '
            f'x2="{_num(right)}" y2="{_num(y)}" stroke="{ref.color}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    return parts


def _line_series(
    line: LineSeries, sx: Callable[[float], float], sy: Callable[[float], float]
) -> list[str]:
    parts = [f'<g class="series" data-series="{escape(line.name)}">']
    xs = [x for x, _ in line.points]
    for band in line.bands:
        parts += [
            f'<path class="band" d="{d}" fill="{line.color}" '
            f'fill-opacity="{band.opacity:g}" stroke="{line.color}" '
            f'stroke-opacity="{band.opacity:g}" stroke-width="1"/>'
            for d in band_paths(xs, band.bounds, sx, sy)
        ]
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


def band_paths(
    xs: Sequence[float],
    bounds: Sequence[tuple[float, float] | None],
    sx: Callable[[float], float],
    sy: Callable[[float], float],
) -> list[str]:
    """SVG path data of the area between lower and upper bounds, one closed path per
    run of points with both bounds (a None or non-finite bound breaks the band).

    Each path runs along the upper bounds left to right and back along the lower
    ones; a run of one point is a vertical segment (the stroke shows it).
    """
    runs: list[list[tuple[float, float, float]]] = [[]]
    for x, pair in zip(xs, bounds, strict=False):
        if pair is not None and _finite(x) and _finite(pair[0]) and _finite(pair[1]):
            runs[-1].append((sx(x), sy(pair[0]), sy(pair[1])))
        elif runs[-1]:
            runs.append([])
    paths = []
    for run in runs:
        if not run:
            continue
        upper = "L".join(f"{_num(x)} {_num(high)}" for x, _, high in run)
        lower = "L".join(f"{_num(x)} {_num(low)}" for x, low, _ in reversed(run))
        paths.append(f"M{upper}L{lower}Z")
    return paths
