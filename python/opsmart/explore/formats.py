"""How the explorer writes numbers: one place, so a page and its test agree.

Rates are fractions (0-1) shown as percentages; a missing value (None, NaN, inf)
is shown as "n/a", never as 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd

__all__ = [
    "DASH",
    "amount",
    "formatted",
    "is_missing",
    "kpi_change",
    "kpi_value",
    "number",
    "percent",
    "points",
]

#: A missing value (a lone "-" would be read as a list item by Markdown).
DASH = "n/a"


def is_missing(value: object) -> bool:
    """None, NaN, NaT, pandas NA or an infinite float."""
    if value is None:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent(value: object, digits: int = 2) -> str:
    """0.8123 -> '81.23 %'.

    >>> percent(0.8123), percent(None)
    ('81.23 %', 'n/a')
    """
    if is_missing(value):
        return DASH
    return f"{100 * float(value):.{digits}f} %"  # type: ignore[arg-type]


def points(value: object, digits: int = 2) -> str:
    """A change of a rate in percentage points: 0.0123 -> '+1.23 pts'.

    >>> points(-0.0123)
    '-1.23 pts'
    """
    if is_missing(value):
        return DASH
    return f"{100 * float(value):+.{digits}f} pts"  # type: ignore[arg-type]


def number(value: object, digits: int = 2, *, signed: bool = False) -> str:
    """1234.567 -> '1,234.57' ('+1,234.57' signed).

    >>> number(1234.567), number(-2, 0, signed=True), number(float("nan"))
    ('1,234.57', '-2', 'n/a')
    """
    if is_missing(value):
        return DASH
    sign = "+" if signed else ""
    return f"{float(value):{sign},.{digits}f}"  # type: ignore[arg-type]


def amount(value: object, *, signed: bool = False) -> str:
    """Money with two decimals (the currency is named by the page)."""
    return number(value, 2, signed=signed)


def formatted(
    frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]]
) -> pd.DataFrame:
    """A copy of `frame` with the columns of `formats` written as text."""
    out = frame.copy()
    for column, write in formats.items():
        if column in out.columns:
            out[column] = [write(v) for v in out[column]]
    return out


def kpi_value(kpi: str, value: object) -> str:
    """A KPI in the unit its name carries, as the report writes it: ``_rate`` a
    percentage, ``_seconds`` seconds, ``_amount`` money, NPS points.

    >>> kpi_value("fcr_rate", 0.7123), kpi_value("aht_seconds", 303.9)
    ('71.2 %', '303.9 s')
    """
    if is_missing(value):
        return DASH
    if kpi.endswith("_rate"):
        return percent(value, 1)
    if kpi.endswith("_seconds"):
        return f"{number(value, 1)} s"
    if kpi.endswith("_amount"):
        return amount(value)
    return number(value, 1)


def kpi_change(kpi: str, value: object) -> str:
    """A change of a KPI: points for a rate, else a signed number in its unit.

    >>> kpi_change("fcr_rate", -0.01), kpi_change("nps", 2.5)
    ('-1.00 pts', '+2.5')
    """
    if kpi.endswith("_rate"):
        return points(value)
    return number(value, 2 if kpi.endswith("_amount") else 1, signed=True)
