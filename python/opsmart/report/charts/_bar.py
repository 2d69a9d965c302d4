"""Grouped bar charts: one group per category, one bar per series."""

from __future__ import annotations

from collections.abc import Sequence
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
    _text,
    _x_axis,
    _y_axis,
    nice_ticks,
)

__all__ = ["BarSeries", "bar_chart"]


@dataclass(frozen=True)
class BarSeries:
    """One series of a grouped bar chart: one value (or None) per category."""

    name: str
    values: Sequence[float | None]
    color: str = COLORS["actual"]


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
    plot = _plot_area(width, height, legend=legend)
    y_ticks = nice_ticks(*_domain(values, None, include_zero=True))
    sy = plot.y_scale((y_ticks[0], y_ticks[-1]))
    if legend:
        parts += _legend([(s.name, s.color, False) for s in series])
    parts += _y_axis(plot, y_ticks, sy, y_format, y_label)
    band = (plot.right - plot.left) / len(categories)
    bar = band * 0.8 / max(len(series), 1)
    centers = [(i + 0.5, name) for i, name in enumerate(categories)]
    sx = plot.x_scale((0.0, float(len(categories))))
    parts += _x_axis(plot, centers, sx, x_label)
    zero = sy(0.0)
    for s_index, s in enumerate(series):
        parts.append(f'<g class="series" data-series="{escape(s.name)}">')
        for c_index, value in enumerate(s.values[: len(categories)]):
            x = plot.left + c_index * band + band * 0.1 + s_index * bar
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
