"""A Connect contact record's fields by their key path: as text, as an instant, as
seconds, and the id at the end of an ARN.

The underscored names are the Amazon Connect adapter's own helpers, shared by its
modules only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opsmart.adapters._landing import RecordError, parse_timestamp

__all__ = ["_arn_id", "_field", "_seconds", "_text", "_time"]


def _field(record: Mapping[str, Any], *path: str) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(record: Mapping[str, Any], *path: str) -> str | None:
    value = _field(record, *path)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"`{'.'.join(path)}` is not a string: {value!r}")
    return value


def _time(record: Mapping[str, Any], *path: str) -> datetime | None:
    value = _field(record, *path)
    if value is None or value == "":
        return None
    try:
        return parse_timestamp(value)
    except RecordError as error:
        raise RecordError(f"`{'.'.join(path)}`: {error}") from None


def _seconds(record: Mapping[str, Any], *path: str) -> float | None:
    value = _field(record, *path)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"`{'.'.join(path)}` is not a number of seconds: {value!r}")
    return float(value)


def _arn_id(arn: str | None, kind: str) -> str | None:
    """The id after ``/<kind>/`` in a Connect ARN (``.../queue/<id>``)."""
    if arn and f"/{kind}/" in arn:
        return arn.rsplit(f"/{kind}/", 1)[1] or None
    return None
