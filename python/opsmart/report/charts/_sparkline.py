"""Sparklines: a tiny trend for a table cell, with the target as a dashed line."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from opsmart.report.charts._line import LineSeries, _line_series
from opsmart.report.charts._svg import COLORS, _finite, _num, _scale, _text

__all__ = ["sparkline"]


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
