"""HTML building blocks of the report: escaping, null-safe number formats, tables.

Every formatter takes a value that may be None (or NaN) and returns HTML: a missing
value becomes a visible "no data" mark, never 0. Text from the warehouse always goes
through `esc`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

__all__ = [
    "NA",
    "OKR_STATUSES",
    "chart_beside",
    "chart_grid",
    "esc",
    "fmt_count",
    "fmt_kpi",
    "fmt_money",
    "fmt_number",
    "fmt_points",
    "fmt_rate",
    "fmt_seconds",
    "is_missing",
    "note",
    "section",
    "status_badge",
    "table",
]

#: How a missing value is shown.
NA = '<span class="na">no data</span>'

Number = float | int | Decimal | None


def esc(text: object) -> str:
    """`text` as HTML-safe text (quotes escaped too, so it fits in attributes)."""
    return escape("" if text is None else str(text), quote=True)


def is_missing(value: object) -> bool:
    """None, or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _formatted(value: Number, spec: str, unit: str = "", *, scale: float = 1) -> str:
    """`value` times `scale` in the format `spec`, followed by `unit`; `NA` if missing.

    The formatters below share it so that each one says only its format and unit,
    and a missing value becomes the "no data" mark in one place, never a 0.
    """
    if value is None or is_missing(value):
        return NA
    return f"{float(value) * scale:{spec}}{unit}"


def fmt_rate(value: Number, digits: int = 1) -> str:
    """A 0-1 fraction as a percentage: 0.7375 -> "73.8 %"."""
    return _formatted(value, f".{digits}f", "&nbsp;%", scale=100)


def fmt_seconds(value: Number, digits: int = 0) -> str:
    """Seconds with their unit: "304 s"."""
    return _formatted(value, f",.{digits}f", "&nbsp;s")


def fmt_number(value: Number, digits: int = 1) -> str:
    """A plain number with thousands separators."""
    return _formatted(value, f",.{digits}f")


def fmt_count(value: Number) -> str:
    """A whole count."""
    if value is None or is_missing(value):
        return NA
    return f"{int(value):,}"


def fmt_points(value: Number, digits: int = 1) -> str:
    """An NPS on its -100..100 scale."""
    return _formatted(value, f"+.{digits}f")


def fmt_money(value: Number, currency: str, digits: int = 2) -> str:
    """An amount with its currency code: "10.05 USD"."""
    return _formatted(value, f",.{digits}f", f"&nbsp;{esc(currency)}")


def fmt_kpi(kpi: str, value: Number, currency: str) -> str:
    """A KPI in the unit its name carries (`_rate`, `_seconds`, `_amount`)."""
    if kpi.endswith("_rate"):
        return fmt_rate(value)
    if kpi.endswith("_seconds"):
        return fmt_seconds(value)
    if kpi.endswith("_amount"):
        return fmt_money(value, currency)
    if kpi == "nps":
        return fmt_points(value)
    return fmt_number(value, 2)


#: The OKR statuses of reports.rpt_okr_scorecard, best first.
OKR_STATUSES = ("on_track", "at_risk", "off_track", "insufficient_data", "no_data")


def status_badge(status: str | None) -> str:
    """An OKR status as a coloured label (`OKR_STATUSES`; anything else is no_data)."""
    known = status if status in OKR_STATUSES else "no_data"
    text = (status or "no_data").replace("_", " ")
    return f'<span class="status status-{known}">{esc(text)}</span>'


def note(text: str, *, kind: str = "no-data") -> str:
    """A short note paragraph; `kind` "no-data" marks missing data, "info" otherwise.

    `text` is escaped.
    """
    return f'<p class="note {esc(kind)}">{esc(text)}</p>'


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    caption: str | None = None,
    css_class: str = "",
) -> str:
    """An HTML table. `headers` are escaped; `rows` are HTML cells (format first).

    Columns whose index is in `numeric` are right-aligned.
    """
    numeric_set = set(numeric)
    head = "".join(
        f"<th{' class=num' if i in numeric_set else ''}>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric_set else ''}>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    caption_html = f"<caption>{esc(caption)}</caption>" if caption else ""
    css = f' class="{esc(css_class)}"' if css_class else ""
    return (
        f'<div class="table-wrap"><table{css}>{caption_html}'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def section(section_id: str, number: int, title: str, answers: str, body: str) -> str:
    """One report section: numbered heading, the question it answers, its body."""
    return (
        f'<section id="{esc(section_id)}" class="report-section" '
        f'data-section="{esc(section_id)}">'
        f"<h2>{number}. {esc(title)}</h2>"
        f'<p class="answers"><strong>What this answers:</strong> {esc(answers)}</p>'
        f"{body}</section>"
    )


def chart_grid(svgs: Sequence[str]) -> str:
    """Charts two to a row (one to a row on a narrow screen, `.grid-2` in the CSS)."""
    figures = "".join(f'<figure class="chart-box">{svg}</figure>' for svg in svgs)
    return f'<div class="grid-2">{figures}</div>'


def chart_beside(svg: str, body: str) -> str:
    """A chart with `body` (HTML: the table it draws, say) to its right, in the same
    grid as `chart_grid`, so a section's chart and its numbers read side by side."""
    return (
        f'<div class="grid-2"><figure class="chart-box">{svg}</figure>'
        f"<div>{body}</div></div>"
    )
