"""The SVG pieces every chart shares: colours, margins, number formats, scales,
round ticks, escaped text, the frame with its title, the "no data" note, the legend,
the plot area inside the margins and the two axes.

The underscored names are the charts' own helpers, shared by the chart modules of this
package only; `COLORS` and `nice_ticks` are public (re-exported by the package).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

__all__ = [
    "COLORS",
    "_RIGHT",
    "Formatter",
    "_PlotArea",
    "_domain",
    "_finite",
    "_fmt_plain",
    "_legend",
    "_no_data",
    "_not_shown",
    "_num",
    "_open",
    "_plot_area",
    "_scale",
    "_text",
    "_x_axis",
    "_y_axis",
    "nice_ticks",
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

_FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif"
_LEFT, _RIGHT, _TOP, _BOTTOM = 64.0, 18.0, 34.0, 50.0
_LEGEND_ROW = 18.0


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


def _not_shown(count: int, right: float, height: int) -> list[str]:
    """A muted note under the plot, ending at `right`, counting the items left out.

    Said rather than silently dropped, so a reader does not take the chart for every
    unit; nothing when nothing was left out.
    """
    if not count:
        return []
    return [
        _text(
            right,
            height - 8,
            f"{count} without data not shown",
            anchor="end",
            size=10,
            color=COLORS["muted"],
        )
    ]


@dataclass(frozen=True)
class _PlotArea:
    """The rectangle, in pixels, where a chart with axes draws its data.

    `_plot_area` places it inside the margins every such chart keeps, so their axes
    line up on the page; `height` is the whole chart's, whose foot holds the x label.
    """

    left: float
    top: float
    right: float
    bottom: float
    height: int

    def x_scale(self, domain: tuple[float, float]) -> Callable[[float], float]:
        """Data x in `domain` to pixels, from the left edge to the right."""
        return _scale(domain, (self.left, self.right))

    def y_scale(self, domain: tuple[float, float]) -> Callable[[float], float]:
        """Data y in `domain` to pixels, from the bottom edge up."""
        return _scale(domain, (self.bottom, self.top))


def _plot_area(
    width: int,
    height: int,
    *,
    legend: bool = False,
    lower_by: float = 0.0,
    narrow_by: float = 0.0,
) -> _PlotArea:
    """The plot area of a `width` x `height` chart inside the shared margins.

    It starts under the title, and under the `_legend` row too if there is a
    `legend`; `lower_by` and `narrow_by` leave room above it and right of it for what
    a chart draws there.
    """
    top = _TOP + (_LEGEND_ROW if legend else 0.0) + lower_by
    return _PlotArea(_LEFT, top, width - _RIGHT - narrow_by, height - _BOTTOM, height)


def _legend(entries: Sequence[tuple[str, str, bool]]) -> list[str]:
    """A one-row legend under the title: (label, colour, dashed) swatches from the
    left margin, in the row `_plot_area` leaves for it."""
    y = _TOP + 8
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
    plot: _PlotArea,
    ticks: Sequence[float],
    scale: Callable[[float], float],
    fmt: Formatter,
    label: str,
) -> list[str]:
    """The y axis at the plot's left edge, a grid line across it per tick."""
    left, right, top, bottom = plot.left, plot.right, plot.top, plot.bottom
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
    plot: _PlotArea,
    ticks: Sequence[tuple[float, str]],
    scale: Callable[[float], float],
    label: str,
) -> list[str]:
    """The x axis along the plot's bottom edge, its label at the chart's foot."""
    left, right, bottom = plot.left, plot.right, plot.bottom
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
    parts.append(_text((left + right) / 2, plot.height - 8, label, anchor="middle"))
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
