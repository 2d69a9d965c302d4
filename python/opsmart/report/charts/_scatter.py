"""Scatter charts: labelled points per group, each group's frontier highlighted."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    _not_shown,
    _num,
    _open,
    _plot_area,
    _text,
    _x_axis,
    _y_axis,
    nice_ticks,
)

__all__ = ["ScatterPoint", "scatter_chart"]

#: Cycled for groups and series that have no colour of their own.
_CYCLE = ("#1f77b4", "#9467bd", "#2ca02c", "#ff7f0e", "#8c564b", "#17becf")


@dataclass(frozen=True)
class ScatterPoint:
    """One unit of a scatter chart; `is_highlighted` puts it on the group's frontier."""

    x: float | None
    y: float | None
    label: str
    group: str = ""
    is_highlighted: bool = False


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
    colors = _group_colors(groups, group_colors or {})
    plot = _plot_area(width, height, legend=True, narrow_by=40)
    xs = [float(p.x) for p in placed if p.x is not None]
    ys = [float(p.y) for p in placed if p.y is not None]
    x_ticks = nice_ticks(*_domain(xs, None, include_zero=False))
    y_ticks = nice_ticks(*_domain(ys, y_domain, include_zero=False))
    y_range = y_domain or (y_ticks[0], y_ticks[-1])
    sx = plot.x_scale((x_ticks[0], x_ticks[-1]))
    sy = plot.y_scale(y_range)
    has_frontier = any(p.is_highlighted for p in placed)
    parts += _scatter_legend(groups, colors, has_frontier, frontier_label)
    parts += _y_axis(plot, y_ticks, sy, y_format, y_label)
    parts += _x_axis(plot, [(t, x_format(t)) for t in x_ticks], sx, x_label)
    parts += _frontiers(placed, groups, colors, sx, sy)
    parts += _scatter_points(placed, colors, sx, sy)
    parts += _not_shown(len(points) - len(placed), plot.right, height)
    parts.append("</svg>")
    return "".join(parts)


def _group_colors(groups: Sequence[str], given: Mapping[str, str]) -> dict[str, str]:
    """Each group's colour: the one `given`, else the next of `_CYCLE` in turn.

    Only the groups without a given colour advance the cycle, so two uncoloured groups
    never share a colour while the cycle lasts.
    """
    colors = dict(given)
    for index, group in enumerate(g for g in groups if g not in colors):
        colors[group] = _CYCLE[index % len(_CYCLE)]
    return colors


def _scatter_legend(
    groups: Sequence[str],
    colors: Mapping[str, str],
    has_frontier: bool,
    frontier_label: str,
) -> list[str]:
    """One entry per group (the unnamed group is "units"), then the frontier's."""
    entries = [(group or "units", colors[group], False) for group in groups]
    if has_frontier:
        entries.append((frontier_label, COLORS["frontier"], True))
    return _legend(entries)


def _frontiers(
    placed: Sequence[ScatterPoint],
    groups: Sequence[str],
    colors: Mapping[str, str],
    sx: Callable[[float], float],
    sy: Callable[[float], float],
) -> list[str]:
    """Per group, a dashed path through its highlighted points in x order.

    A group with one highlighted point has no path: its ring says enough.
    """
    parts = []
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
    return parts


def _scatter_points(
    placed: Sequence[ScatterPoint],
    colors: Mapping[str, str],
    sx: Callable[[float], float],
    sy: Callable[[float], float],
) -> list[str]:
    """Each point as a dot in its group's colour with its label; a ring if highlighted.

    The label is both a `<title>` (a tooltip, read by screen readers) and text beside
    the dot (readable in print).
    """
    parts = []
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
    return parts
