"""One ``contacts`` row: the error that rejects a record, vendor times parsed,
values formatted as the contract reads them, and the row checked in column order."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsmart.contract import SOURCES, LandingError, source_columns

__all__ = [
    "ContactTimes",
    "RecordError",
    "finish_contact",
    "format_value",
    "parse_timestamp",
    "seconds_between",
    "zone",
]

#: The duration columns of ``contacts`` (never negative).
_DURATIONS = (
    "ivr_seconds",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)


class RecordError(ValueError):
    """One vendor record cannot become a contract row; the message is the reason."""


def zone(name: str | None, *, where: str) -> ZoneInfo | None:
    """The IANA time zone `name` (None stays None); unknown is a LandingError."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LandingError(f"{where}: unknown time zone {name!r}") from None


def parse_timestamp(
    text: object, *, fmt: str | None = None, tz: ZoneInfo | None = None
) -> datetime:
    """Parse a vendor timestamp into an aware UTC datetime.

    Parameters
    ----------
    text : object
        The value; ISO-8601 (``2026-03-02T10:00:00Z``, ``...+09:00``, with or
        without milliseconds) unless `fmt` is given.
    fmt : str, optional
        A :func:`datetime.strptime` format, e.g. ``"%d/%m/%Y %H:%M:%S"``.
    tz : ZoneInfo, optional
        The zone of a timestamp without offset (default UTC).

    Returns
    -------
    datetime
        The instant, in UTC.

    Raises
    ------
    RecordError
        If `text` is not a timestamp in that format.

    Examples
    --------
    >>> parse_timestamp("2026-03-02T19:02:00+09:00").isoformat()
    '2026-03-02T10:02:00+00:00'
    """
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"{text!r} is not a timestamp")
    value = text.strip()
    try:
        if fmt is None:
            parsed = datetime.fromisoformat(value)
        else:
            parsed = datetime.strptime(value, fmt)
    except ValueError:
        expected = f"format {fmt!r}" if fmt else "ISO-8601"
        raise RecordError(f"{value!r} is not a timestamp ({expected})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or UTC)
    return parsed.astimezone(UTC)


def seconds_between(start: datetime, end: datetime) -> float:
    """``end - start`` in seconds."""
    return (end - start).total_seconds()


def format_value(value: object) -> str:
    """Write one value as the data contract reads it.

    None is an empty cell, booleans are ``true``/``false``, datetimes are UTC
    ISO-8601 with ``Z``, numbers have no trailing zeros.

    Examples
    --------
    >>> [format_value(v) for v in (None, True, 12.0, 12.25, 3)]
    ['', 'true', '12', '12.25', '3']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        text = value.astimezone(UTC).isoformat(timespec="milliseconds")
        text = text.replace("+00:00", "Z")
        return text.replace(".000Z", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RecordError(f"{value!r} is not a finite number")
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


@dataclass(frozen=True)
class ContactTimes:
    """A contact's outcome and the times that follow from it (durations in seconds).

    Each adapter works these out from its vendor's timestamps; the names are the
    contract's columns, so :meth:`columns` hands them to :func:`finish_contact`.
    """

    outcome: str
    answered_at: datetime | None
    ended_at: datetime
    ivr_seconds: float
    wait_seconds: float
    talk_seconds: float | None = None
    hold_seconds: float | None = None
    acw_seconds: float | None = None

    def columns(self) -> dict[str, object]:
        """Contract column → value."""
        return {column.name: getattr(self, column.name) for column in fields(self)}

    # The contract's times of each outcome, from the instants every vendor records:
    # the contact arrived, joined a queue, was answered, ended.

    @classmethod
    def handled(
        cls,
        arrived: datetime,
        queued: datetime,
        answered: datetime,
        ended: datetime,
        *,
        talk_seconds: float | None,
        hold_seconds: float | None,
        acw_seconds: float | None,
    ) -> ContactTimes:
        """Answered: IVR until it queued, waiting until an agent answered."""
        return cls(
            "handled",
            answered,
            ended,
            ivr_seconds=seconds_between(arrived, queued),
            wait_seconds=seconds_between(queued, answered),
            talk_seconds=talk_seconds,
            hold_seconds=hold_seconds,
            acw_seconds=acw_seconds,
        )

    @classmethod
    def unanswered(
        cls, outcome: str, arrived: datetime, queued: datetime, ended: datetime
    ) -> ContactTimes:
        """Abandoned or flowout: IVR until it queued, waiting until it ended."""
        return cls(
            outcome,
            None,
            ended,
            ivr_seconds=seconds_between(arrived, queued),
            wait_seconds=seconds_between(queued, ended),
        )

    @classmethod
    def contained(cls, arrived: datetime, ended: datetime) -> ContactTimes:
        """Never queued: all of it is IVR (self-service) time, no wait."""
        return cls(
            "contained",
            None,
            ended,
            ivr_seconds=seconds_between(arrived, ended),
            wait_seconds=0.0,
        )


def finish_contact(values: Mapping[str, object]) -> dict[str, str]:
    """Check a contacts row and format it in contract column order.

    Parameters
    ----------
    values : mapping
        Contract column → value (str, float, bool, datetime or None); columns not
        given are empty.

    Returns
    -------
    dict of str to str
        Every contract column of ``contacts``, formatted.

    Raises
    ------
    RecordError
        If a required column is empty, a duration is negative or the timestamps are
        out of order (the reason names the columns).
    """
    unknown = set(values) - set(source_columns("contacts"))
    if unknown:  # a bug in an adapter, not in the data
        raise ValueError(f"not contract columns: {sorted(unknown)}")
    for column in SOURCES["contacts"]:
        value = values.get(column.name)
        if column.required and (value is None or value == ""):
            raise RecordError(f"`{column.name}` is missing")
    for name in _DURATIONS:
        value = values.get(name)
        if isinstance(value, float | int) and not isinstance(value, bool) and value < 0:
            raise RecordError(
                f"`{name}` is negative ({value:g} s): timestamps out of order"
            )
    arrived, answered, ended = (
        values.get("arrived_at"),
        values.get("answered_at"),
        values.get("ended_at"),
    )
    if (
        isinstance(arrived, datetime)
        and isinstance(ended, datetime)
        and ended < arrived
    ):
        raise RecordError("`ended_at` is before `arrived_at`")
    if (
        isinstance(arrived, datetime)
        and isinstance(answered, datetime)
        and answered < arrived
    ):
        raise RecordError("`answered_at` is before `arrived_at`")
    return {name: format_value(values.get(name)) for name in source_columns("contacts")}
