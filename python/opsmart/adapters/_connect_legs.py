"""Across Connect contact records: the latest of each record's delivered copies,
the next leg of a contact, and whether a leg's agent transferred the customer.

The underscored names are the Amazon Connect adapter's own helpers, shared by its
modules only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from opsmart.adapters._connect_fields import _field, _text, _time
from opsmart.adapters._landing import RecordError

__all__ = ["_Read", "_latest_copies", "_next_leg", "_was_transferred"]


def _acw_started(record: Mapping[str, Any] | None) -> datetime | None:
    """When the leg's agent entered after-contact work, if known and readable."""
    try:
        return _time(record or {}, "Agent", "AfterContactWorkStartTimestamp")
    except RecordError:
        return None


def _was_transferred(
    record: Mapping[str, Any], next_leg: Mapping[str, Any] | None
) -> bool:
    """Whether the customer left this leg's agent for another destination.

    Connect sets ``NextContactId`` for a transfer and for a consult alike: each
    consult creates a contact record of its own. "Identify conferences and
    transfers" tells them apart: in a transfer this leg's agent enters ACW before
    the next leg's agent, in a consult or conference after. So the next leg, when
    read in the same run with both ACW start times known, decides (a tie, a
    transfer); otherwise ``NextContactId`` means a transfer.
    ``TransferCompletedTimestamp`` (transferred out of Connect) always does.
    """
    if _field(record, "TransferCompletedTimestamp") not in (None, ""):
        return True
    if _text(record, "NextContactId") is None:
        return False
    left, next_left = _acw_started(record), _acw_started(next_leg)
    return left is None or next_left is None or left <= next_left


@dataclass(frozen=True)
class _Read:
    file: Path
    record: int
    line: int
    value: Any


def _latest_copies(reads: Sequence[_Read]) -> dict[int, str]:
    """Index of each superseded copy → the reason (records are delivered at least
    once; the copy with the latest ``LastUpdateTimestamp`` wins, ties the last read).
    """
    best: dict[str, tuple[datetime | None, int]] = {}
    for index, read in enumerate(reads):
        if not isinstance(read.value, dict):
            continue
        contact_id = read.value.get("ContactId")
        if not isinstance(contact_id, str) or not contact_id:
            continue
        try:
            updated = _time(read.value, "LastUpdateTimestamp")
        except RecordError:
            updated = None
        current = best.get(contact_id)
        if current is None or _not_older(updated, current[0]):
            best[contact_id] = (updated, index)
    superseded: dict[int, str] = {}
    for index, read in enumerate(reads):
        if not isinstance(read.value, dict):
            continue
        contact_id = read.value.get("ContactId")
        if not isinstance(contact_id, str) or contact_id not in best:
            continue
        winner = best[contact_id][1]
        if winner != index:
            kept = reads[winner]
            superseded[index] = (
                f"superseded by a later copy of contact {contact_id} "
                f"({kept.file} record {kept.record}, by LastUpdateTimestamp)"
            )
    return superseded


def _next_leg(
    record: object, kept: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The kept record of this record's ``NextContactId``, if it was read."""
    next_id = record.get("NextContactId") if isinstance(record, dict) else None
    return kept.get(next_id) if isinstance(next_id, str) else None


def _not_older(candidate: datetime | None, current: datetime | None) -> bool:
    if candidate is None:
        return current is None
    return current is None or candidate >= current
