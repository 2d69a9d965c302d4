"""Small SVG charts for the nightly report: pure functions that return SVG text.

The report must open without a network and without JavaScript, so its charts are
inline SVG written here rather than a plotting library's output. Every chart has a
`<title>` (its accessible name), labelled axes with tick labels in the data's unit, a
legend where there is more than one series, and a visible "no data" note instead of
an empty frame when there is nothing to draw. All text is escaped; a missing value
(None or NaN) is never drawn as 0: lines break, bars and points are left out.

Charts: `line_chart` (with optional interval bars, uncertainty bands and reference
lines),
`scatter_chart` (with a highlighted frontier per group), `bar_chart` (grouped bars),
`quadrant_chart` (a 2 x 2 matrix with a strip for points without an x) and
`sparkline` (a table-cell trend).

One module per chart kind (`_line`, `_scatter`, `_bar`, `_quadrant`, `_sparkline`),
the SVG pieces they share (axes, ticks, scales, escaping, the legend) in `_svg`; this
package is the public face.
"""

from __future__ import annotations

from opsmart.report.charts._bar import BarSeries, bar_chart
from opsmart.report.charts._line import (
    Band,
    LineSeries,
    ReferenceLine,
    band_paths,
    line_chart,
)
from opsmart.report.charts._quadrant import (
    QUADRANT_FILLS,
    QuadrantPoint,
    quadrant_chart,
)
from opsmart.report.charts._scatter import ScatterPoint, scatter_chart
from opsmart.report.charts._sparkline import sparkline
from opsmart.report.charts._svg import COLORS, nice_ticks

__all__ = [
    "COLORS",
    "QUADRANT_FILLS",
    "Band",
    "BarSeries",
    "LineSeries",
    "QuadrantPoint",
    "ReferenceLine",
    "ScatterPoint",
    "band_paths",
    "bar_chart",
    "line_chart",
    "nice_ticks",
    "quadrant_chart",
    "scatter_chart",
    "sparkline",
]
