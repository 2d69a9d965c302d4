"""Amazon Connect contact records (CTRs) → the ``contacts`` landing source.

Reads contact records as the contact-record data stream delivers them to S3 through
Kinesis Data Firehose: newline-delimited JSON, JSON objects concatenated without a
delimiter, or one JSON array; gzip or plain. One contact record is one row.

The field names and meanings are those of the Amazon Connect Administrator Guide,
"Contact records data model"
(https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html):
``ContactId``, ``Channel``, ``InitiationMethod``, ``InitiationTimestamp``,
``DisconnectTimestamp``, ``DisconnectReason``, ``LastUpdateTimestamp``,
``NextContactId``, ``TransferCompletedTimestamp``, ``TransferredToEndpoint``,
``Attributes``, ``Queue`` {``ARN``, ``Name``, ``EnqueueTimestamp``,
``DequeueTimestamp``, ``Duration``} and ``Agent`` {``ARN``, ``Username``,
``ConnectedToAgentTimestamp``, ``AgentInteractionDuration``,
``CustomerHoldDuration``, ``AfterContactWorkDuration``,
``AfterContactWorkStartTimestamp``, ``AfterContactWorkEndTimestamp``,
``NumberOfHolds``}. The same guide's "How to identify abandoned contacts" section
(a record with a ``Queue`` and an ``EnqueueTimestamp`` but no
``ConnectedToAgentTimestamp``), "Transfers create multiple contact records"
(https://docs.aws.amazon.com/connect/latest/adminguide/transfers.html), "Identify
conferences and transfers" (a consult leg also sets ``NextContactId``; who entered
after-contact work first tells a consult from a transfer;
https://docs.aws.amazon.com/connect/latest/adminguide/identify-conferences-transfers.html)
and the "Agent interaction time" metric definition (interaction excludes customer
hold and after-contact work;
https://docs.aws.amazon.com/connect/latest/adminguide/metric-primitive-definitions.html)
fix the outcome, the transfer flag and the durations. docs/adapters.md has the full
mapping table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from opsmart.adapters._connect_fields import (
    _arn_id,
    _field,
    _seconds,
    _text,
    _time,
)
from opsmart.adapters._connect_legs import (
    _latest_copies,
    _next_leg,
    _Read,
    _was_transferred,
)
from opsmart.adapters._landing import (
    JSON_SUFFIXES,
    AdapterReport,
    ContactTimes,
    QueueMap,
    RecordError,
    RecordResult,
    check_keys,
    finish_contact,
    input_files,
    load_yaml,
    read_json_values,
    seconds_between,
    self_service_queue,
    write_landing,
)
from opsmart.contract import LandingError

__all__ = [
    "ConnectOptions",
    "adapt_amazon_connect",
    "contact_from_record",
    "load_connect_mapping",
]

ADAPTER = "amazon-connect"

#: Connect ``Channel`` → contract ``channel``. ``TASK`` contacts are work items an
#: agent is assigned, not a customer getting in touch, so they are not mapped.
DEFAULT_CHANNELS: Mapping[str, str] = {
    "VOICE": "voice",
    "CHAT": "chat",
    "EMAIL": "email",
}

#: Initiation methods that are not a customer reaching the center (an agent dialing
#: out, a supervisor monitoring, a flow run after the contact ended).
DEFAULT_SKIPPED_METHODS = frozenset(
    {"OUTBOUND", "EXTERNAL_OUTBOUND", "AGENT_REPLY", "MONITOR", "DISCONNECT"}
)

#: ``DisconnectReason`` values meaning the system, not the customer, ended a queued
#: contact: it left the queue for another destination (``flowout``).
_SYSTEM_DISCONNECTS = frozenset({"CONTACT_FLOW_DISCONNECT", "EXPIRED", "API"})


@dataclass(frozen=True)
class ConnectOptions:
    """Which contact attributes hold the customer, the reason and the resolution.

    Contact attributes are set by each center's own flows, so their names differ per
    instance; none is required. `resolved_values` / `unresolved_values` are compared
    case-insensitively; any other value of the resolution attribute gives
    ``is_resolved`` null (unknown).
    """

    customer_attribute: str | None = "CustomerId"
    reason_attribute: str | None = "ContactReason"
    resolution_attribute: str | None = "Resolution"
    resolved_values: frozenset[str] = frozenset({"resolved", "true", "yes", "y", "1"})
    unresolved_values: frozenset[str] = frozenset(
        {"unresolved", "false", "no", "n", "0"}
    )
    channels: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    skip_initiation_methods: frozenset[str] = DEFAULT_SKIPPED_METHODS


def load_connect_mapping(path: Path | str) -> ConnectOptions:
    """Read the optional Amazon Connect mapping file (YAML, see docs/adapters.md).

    Raises
    ------
    LandingError
        On an unknown key (naming the file and the key) or a value of the wrong kind.
    """
    where = str(path)
    data = load_yaml(path)
    check_keys(
        data,
        (
            "attributes",
            "resolved_values",
            "unresolved_values",
            "channels",
            "skip_initiation_methods",
        ),
        where=where,
    )
    defaults = ConnectOptions()
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise LandingError(f"{where}: `attributes` must be a mapping")
    check_keys(
        attributes,
        ("customer_id", "contact_reason", "is_resolved"),
        where=f"{where} attributes",
    )
    channels = data.get("channels", defaults.channels)
    if not isinstance(channels, dict) or not all(
        isinstance(v, str) for v in channels.values()
    ):
        raise LandingError(
            f"{where}: `channels` must map a Connect Channel to a channel"
        )
    return ConnectOptions(
        customer_attribute=attributes.get("customer_id", defaults.customer_attribute),
        reason_attribute=attributes.get("contact_reason", defaults.reason_attribute),
        resolution_attribute=attributes.get(
            "is_resolved", defaults.resolution_attribute
        ),
        resolved_values=_lowered(
            data, "resolved_values", defaults.resolved_values, where
        ),
        unresolved_values=_lowered(
            data, "unresolved_values", defaults.unresolved_values, where
        ),
        channels={str(k).upper(): v for k, v in channels.items()},
        skip_initiation_methods=frozenset(
            str(m).upper()
            for m in _as_list(
                data, "skip_initiation_methods", defaults.skip_initiation_methods, where
            )
        ),
    )


def _as_list(
    data: Mapping[str, Any], key: str, default: frozenset[str], where: str
) -> list[Any]:
    value = data.get(key)
    if value is None:
        return sorted(default)
    if not isinstance(value, list):
        raise LandingError(f"{where}: `{key}` must be a list")
    return value


def _lowered(
    data: Mapping[str, Any], key: str, default: frozenset[str], where: str
) -> frozenset[str]:
    return frozenset(
        str(v).strip().lower() for v in _as_list(data, key, default, where)
    )


# ------------------------------------------------------------------ one record


def _outcome(record: Mapping[str, Any]) -> str:
    if _time(record, "Agent", "ConnectedToAgentTimestamp") is not None:
        return "handled"
    if _time(record, "Queue", "EnqueueTimestamp") is None:
        return "contained"
    left_for_elsewhere = (
        _text(record, "NextContactId") is not None
        or _field(record, "TransferCompletedTimestamp") not in (None, "")
        or _field(record, "TransferredToEndpoint") not in (None, {}, "")
        or _text(record, "DisconnectReason") in _SYSTEM_DISCONNECTS
    )
    return "flowout" if left_for_elsewhere else "abandoned"


def _queue_id(
    record: Mapping[str, Any], outcome: str, queue_map: QueueMap | None
) -> str:
    if outcome == "contained":
        return self_service_queue(queue_map)
    arn, name = _text(record, "Queue", "ARN"), _text(record, "Queue", "Name")
    if queue_map is None:
        vendor = name or _arn_id(arn, "queue") or arn
        if vendor is None:
            raise RecordError("`Queue` has neither `Name` nor `ARN`")
        return vendor
    return queue_map.lookup([arn, _arn_id(arn, "queue"), name])


def _resolution(value: str | None, options: ConnectOptions) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in options.resolved_values:
        return True
    if lowered in options.unresolved_values:
        return False
    return None


def _customer_contact(record: object, options: ConnectOptions) -> dict[str, Any]:
    """The record, once it has a ``ContactId`` and an initiation method not skipped."""
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
    if _text(record, "ContactId") is None:
        raise RecordError("`ContactId` is missing")
    method = (_text(record, "InitiationMethod") or "").upper()
    if method in options.skip_initiation_methods:
        raise RecordError(
            f"InitiationMethod {method}: not a customer contact to a queue (skipped)"
        )
    return record


def _channel(record: Mapping[str, Any], options: ConnectOptions) -> str:
    raw_channel = (_text(record, "Channel") or "").upper()
    channel = options.channels.get(raw_channel)
    if channel is None:
        raise RecordError(f"Channel {raw_channel or '(missing)'} is not mapped")
    return channel


def _initiated_and_disconnected(
    record: Mapping[str, Any],
) -> tuple[datetime, datetime]:
    initiated = _time(record, "InitiationTimestamp")
    disconnected = _time(record, "DisconnectTimestamp")
    if initiated is None:
        raise RecordError("`InitiationTimestamp` is missing")
    if disconnected is None:
        raise RecordError("`DisconnectTimestamp` is missing (contact not ended?)")
    return initiated, disconnected


def _times(
    record: Mapping[str, Any], initiated: datetime, disconnected: datetime
) -> ContactTimes:
    """The outcome (:func:`_outcome`) and the times the notes of
    :func:`contact_from_record` give for it."""
    outcome = _outcome(record)
    if outcome == "handled":
        return _handled_times(record, initiated, disconnected)
    enqueued = _time(record, "Queue", "EnqueueTimestamp")
    if outcome == "contained":
        return ContactTimes.contained(initiated, disconnected)
    assert enqueued is not None  # _outcome: abandoned and flowout were enqueued
    ended = disconnected
    if outcome == "flowout":  # a flowout ends where it leaves the queue
        ended = _time(record, "Queue", "DequeueTimestamp") or disconnected
    return ContactTimes.unanswered(outcome, initiated, enqueued, ended)


def _handled_times(
    record: Mapping[str, Any], initiated: datetime, disconnected: datetime
) -> ContactTimes:
    """The times of a contact an agent answered: this leg's agent's work only."""
    enqueued = _time(record, "Queue", "EnqueueTimestamp")
    connected = _time(record, "Agent", "ConnectedToAgentTimestamp")
    assert connected is not None  # _outcome: handled means connected to an agent
    queued_at = enqueued or connected
    return ContactTimes.handled(
        initiated,
        queued_at,
        connected,
        disconnected,
        talk_seconds=_seconds(record, "Agent", "AgentInteractionDuration"),
        hold_seconds=_seconds(record, "Agent", "CustomerHoldDuration"),
        acw_seconds=_acw_seconds(record),
    )


def _acw_seconds(record: Mapping[str, Any]) -> float | None:
    """``AfterContactWorkDuration``, else the ACW end - start timestamps.

    Both timestamps are read (and must be readable) even when the duration is
    given.
    """
    acw = _seconds(record, "Agent", "AfterContactWorkDuration")
    acw_start = _time(record, "Agent", "AfterContactWorkStartTimestamp")
    acw_end = _time(record, "Agent", "AfterContactWorkEndTimestamp")
    if acw is None and acw_start is not None and acw_end is not None:
        return seconds_between(acw_start, acw_end)
    return acw


def _agent_id(record: Mapping[str, Any]) -> str | None:
    """The leg's agent: ``Username``, else the id in (or else the whole) ``ARN``."""
    username = _text(record, "Agent", "Username")
    agent_arn = _text(record, "Agent", "ARN")
    return username or _arn_id(agent_arn, "agent") or agent_arn


def _attributes(record: Mapping[str, Any]) -> Callable[[str | None], str | None]:
    """The record's contact attribute of a name (None for no name, empty or absent)."""
    attributes = _field(record, "Attributes")
    attributes = attributes if isinstance(attributes, dict) else {}

    def attribute(name: str | None) -> str | None:
        value = attributes.get(name) if name else None
        return str(value) if value not in (None, "") else None

    return attribute


def contact_from_record(
    record: object,
    *,
    options: ConnectOptions | None = None,
    queue_map: QueueMap | None = None,
    next_leg: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Map one Connect contact record to a contract ``contacts`` row.

    Parameters
    ----------
    record : object
        One contact record, parsed from JSON.
    options : ConnectOptions, optional
        Attribute names and value maps (defaults: :class:`ConnectOptions`).
    queue_map : QueueMap, optional
        Queue ARN / queue id / queue name → ``queue_id``. Without one, the queue's
        ``Name`` is written as ``queue_id`` unchanged (the pipeline quarantines it
        unless it is a queue of ``seeds/queues.csv``).
    next_leg : mapping, optional
        The record whose ``ContactId`` is this record's ``NextContactId``, when it
        was read too: it tells a transfer from a consult (``is_transferred``).

    Returns
    -------
    dict of str to str
        Every contract column, formatted for the landing CSV.

    Raises
    ------
    RecordError
        If the record cannot be mapped; the message is the reason.

    Notes
    -----
    Outcome: ``handled`` when ``Agent.ConnectedToAgentTimestamp`` is set; else
    ``flowout`` when the contact was enqueued and then left the queue for another
    destination (``NextContactId``, a transfer out, or a flow/API/expiry disconnect);
    else ``abandoned`` when enqueued; else ``contained`` (never enqueued). With
    I = ``InitiationTimestamp``, E = ``Queue.EnqueueTimestamp``,
    C = ``Agent.ConnectedToAgentTimestamp``, D = ``DisconnectTimestamp`` and
    Q = ``Queue.DequeueTimestamp``: ``ivr_seconds`` = E - I (D - I when contained),
    ``wait_seconds`` = C - E (handled), D - E (abandoned), Q - E (flowout, ending
    at Q), ``talk_seconds`` = ``AgentInteractionDuration``, ``hold_seconds`` =
    ``CustomerHoldDuration``, ``acw_seconds`` = ``AfterContactWorkDuration`` (or
    its end - start timestamps). ``Agent`` is the agent who accepted this leg, so
    these are that agent's work only; an agent who was offered the contact and
    missed it appears only in ``AgentConnectionAttempts``, and without
    ``ConnectedToAgentTimestamp`` no agent field is read.
    """
    options = options or ConnectOptions()
    checked = _customer_contact(record, options)
    channel = _channel(checked, options)
    initiated, disconnected = _initiated_and_disconnected(checked)
    times = _times(checked, initiated, disconnected)
    attribute = _attributes(checked)
    agent_id = _agent_id(checked)  # whatever the outcome: a malformed one rejects it
    handled = times.outcome == "handled"
    return finish_contact(
        {
            "contact_id": _text(checked, "ContactId"),
            "customer_id": attribute(options.customer_attribute),
            "queue_id": _queue_id(checked, times.outcome, queue_map),
            "channel": channel,
            "contact_reason": attribute(options.reason_attribute),
            "arrived_at": initiated,
            "agent_id": agent_id if handled else None,
            "is_transferred": _was_transferred(checked, next_leg) if handled else None,
            "is_resolved": _resolution(attribute(options.resolution_attribute), options)
            if handled
            else None,
            **times.columns(),
        }
    )


# ------------------------------------------------------------------ many files


def adapt_amazon_connect(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    options: ConnectOptions | None = None,
    queue_map: QueueMap | None = None,
) -> AdapterReport:
    """Convert contact-record files into ``<out>/contacts/amazon_connect__*.csv``.

    Parameters
    ----------
    paths : sequence of path
        Contact-record files, or folders of them.
    out : path
        The landing directory.
    options, queue_map
        As for :func:`contact_from_record`.

    Returns
    -------
    AdapterReport
        Records read, rows written, and every record not written with its file,
        record number, line and reason.

    Raises
    ------
    LandingError
        If an input is missing or is not JSON (naming the file and line).
    """
    files = input_files(paths, suffixes=JSON_SUFFIXES)
    reads: list[_Read] = []
    for path in files:
        for number, (line, value) in enumerate(read_json_values(path), start=1):
            reads.append(_Read(path, number, line, value))
    superseded = _latest_copies(reads)
    kept = {
        read.value["ContactId"]: read.value
        for index, read in enumerate(reads)
        if index not in superseded
        and isinstance(read.value, dict)
        and isinstance(read.value.get("ContactId"), str)
    }
    results: list[RecordResult] = []
    for index, read in enumerate(reads):
        if index in superseded:
            results.append(
                RecordResult(read.file, read.record, None, superseded[index], read.line)
            )
            continue
        try:
            row = contact_from_record(
                read.value,
                options=options,
                queue_map=queue_map,
                next_leg=_next_leg(read.value, kept),
            )
        except RecordError as error:
            results.append(
                RecordResult(read.file, read.record, None, str(error), read.line)
            )
            continue
        results.append(RecordResult(read.file, read.record, row, line=read.line))
    notes = []
    if queue_map is None:
        notes.append(
            "no queue map: queue names written as queue_id unchanged (the pipeline "
            "quarantines those not in seeds/queues.csv)"
        )
    return write_landing(ADAPTER, results, out, files_read=files, notes=notes)
