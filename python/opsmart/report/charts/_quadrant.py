"""Quadrant charts: a 2 x 2 matrix, with a side strip for points without an x."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from opsmart.report.charts._svg import (
    _RIGHT,
    COLORS,
    Formatter,
    _finite,
    _fmt_plain,
    _no_data,
    _not_shown,
    _num,
    _open,
    _plot_area,
    _PlotArea,
    _text,
    _x_axis,
    _y_axis,
    nice_ticks,
)

__all__ = ["QUADRANT_FILLS", "QuadrantPoint", "quadrant_chart"]

#: Backgrounds of the quadrants: top-left, top-right, bottom-left, bottom-right.
QUADRANT_FILLS = ("#fdf1e6", "#fbe4e4", "#e8f4ea", "#e6eef8")


@dataclass(frozen=True)
class QuadrantPoint:
    """One item of a quadrant chart; x None places it in the side strip."""

    label: str
    x: float | None
    y: float | None
    size: float | None = None


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
    plot = _plot_area(width, height, lower_by=6, narrow_by=strip)
    x_range = x_domain or _x_range_from_zero(placed, x_threshold)
    sx = plot.x_scale(x_range)
    sy = plot.y_scale(y_domain)
    cx, cy = sx(x_threshold), sy(y_threshold)
    left, top, right, bottom = plot.left, plot.top, plot.right, plot.bottom
    parts += _quadrants(plot, (cx, cy), quadrant_labels)
    y_ticks = [t for t in nice_ticks(*y_domain) if y_domain[0] <= t <= y_domain[1]]
    x_ticks = [t for t in nice_ticks(*x_range) if x_range[0] <= t <= x_range[1]]
    parts += _y_axis(plot, y_ticks, sy, y_format, y_label)
    parts += _x_axis(plot, [(t, x_format(t)) for t in x_ticks], sx, x_label)
    parts.append(
        f'<path class="threshold" d="M{_num(cx)} {_num(top)}V{_num(bottom)}'
        f'M{_num(left)} {_num(cy)}H{_num(right)}" stroke="{COLORS["axis"]}" '
        f'stroke-width="1.5" stroke-dasharray="5 3"/>'
    )
    for p in placed:
        assert p.x is not None and p.y is not None
        # clamped, so a point beyond a fixed x_domain sits on the plot's edge
        x = sx(min(max(p.x, x_range[0]), x_range[1]))
        parts += _quadrant_dot(x, sy(p.y), p)
    if unplaced:
        parts += _unplaced_strip(
            unplaced, right + 10, strip - 10, (top, bottom), sy, unplaced_label
        )
    parts += _not_shown(len(points) - len(with_y), width - _RIGHT, height)
    parts.append("</svg>")
    return "".join(parts)


def _x_range_from_zero(
    placed: Sequence[QuadrantPoint], x_threshold: float
) -> tuple[float, float]:
    """0 to a round number past every placed x and twice `x_threshold`.

    At least twice the threshold so the vertical split never sits at the right edge,
    leaving the right-hand quadrants no room, when every point is left of it.
    """
    xs = [float(p.x) for p in placed if p.x is not None] + [x_threshold]
    return 0.0, nice_ticks(0.0, max(*xs, 2 * x_threshold))[-1]


def _quadrants(
    plot: _PlotArea, split: tuple[float, float], labels: tuple[str, str, str, str]
) -> list[str]:
    """The four shaded quadrants of `plot` cut at `split`.

    Each gets its `QUADRANT_FILLS` shade and its label in its top-left corner; in the
    order top-left, top-right, bottom-left, bottom-right.
    """
    left, top, right, bottom = plot.left, plot.top, plot.right, plot.bottom
    cx, cy = split
    boxes = (
        (left, top, cx, cy),
        (cx, top, right, cy),
        (left, cy, cx, bottom),
        (cx, cy, right, bottom),
    )
    parts = []
    for (x0, y0, x1, y1), shade, label in zip(
        boxes, QUADRANT_FILLS, labels, strict=True
    ):
        parts.append(
            f'<rect class="quadrant" x="{_num(x0)}" y="{_num(y0)}" '
            f'width="{_num(max(x1 - x0, 0))}" height="{_num(max(y1 - y0, 0))}" '
            f'fill="{shade}"/>'
        )
        parts.append(
            _text(x0 + 6, y0 + 15, label, size=11, weight="bold", color="#555555")
        )
    return parts


def _unplaced_strip(
    unplaced: Sequence[QuadrantPoint],
    x0: float,
    strip_width: float,
    top_bottom: tuple[float, float],
    sy: Callable[[float], float],
    heading: str,
) -> list[str]:
    """The strip from `x0` for points with a y but no x: muted dots at their y.

    The labels would overlap where ys are close, so they are spread at least 12 px
    apart (`_spread`) and each joined to its dot by a short leader line. Points are
    taken highest y first, which is top first on screen, as `_spread` needs.
    """
    top, bottom = top_bottom
    parts = [
        f'<rect class="unplaced" x="{_num(x0)}" y="{_num(top)}" '
        f'width="{_num(strip_width)}" height="{_num(bottom - top)}" '
        f'fill="#f2f2f2" stroke="#cccccc" stroke-dasharray="3 3"/>',
        _text(x0 + strip_width / 2, top + 14, heading, anchor="middle", size=10),
    ]
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
    return parts


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
