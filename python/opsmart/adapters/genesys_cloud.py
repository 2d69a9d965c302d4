"""Genesys Cloud conversation detail records → the ``contacts`` landing source.

Reads the JSON of ``POST /api/v2/analytics/conversations/details/query`` (an object
with ``conversations``), the pages of an asynchronous details job
(``GET /api/v2/analytics/conversations/details/jobs/{jobId}/results``, the same
shape), a JSON array of conversations, or newline-delimited conversations. One
conversation is one row.

The shapes are those of the Genesys Cloud Platform API's analytics conversation
detail model, as its published client libraries document it
(``AnalyticsConversation``, ``AnalyticsParticipant`` / ``...WithoutAttributes``,
``AnalyticsSession``, ``AnalyticsConversationSegment``, ``AnalyticsSessionMetric``;
https://developer.genesys.cloud/analyticsdatamanagement/analytics/index and
https://github.com/MyPureCloud/platform-client-sdk-python/tree/master/build/docs): a
conversation (``conversationId``, ``conversationStart``, ``conversationEnd``,
``originatingDirection``) has participants (``purpose`` ``customer``, ``ivr``,
``acd``, ``agent``, …; ``userId``; ``attributes`` in job results), each with sessions
(``mediaType``, ``metrics[]`` of {``name``, ``value``, ``emitDate``}) made of
segments (``segmentType`` ``interact`` / ``hold`` / ``wrapup`` / ``alert`` / ``ivr``
…, ``segmentStart``, ``segmentEnd``, ``queueId``, ``disconnectType``,
``wrapUpCode``). "Flow-outs" follow the Genesys Cloud resource center: interactions
that enter a queue and leave it without being answered or abandoned (transfers to
voicemail or another queue, callbacks, in-queue flow transfers;
https://help.mypurecloud.com/faqs/offered-metric-not-always-equal-answered-plus-abandoned-metrics).
docs/adapters.md has the full mapping table and what is not mapped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

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
    parse_timestamp,
    read_json_values,
    seconds_between,
    self_service_queue,
    write_landing,
)
from opsmart.contract import LandingError

__all__ = [
    "GenesysOptions",
    "WrapUp",
    "adapt_genesys_cloud",
    "contact_from_conversation",
    "load_genesys_mapping",
]

ADAPTER = "genesys-cloud"

#: Session ``mediaType`` → contract ``channel``; cobrowse, video and screenshare
#: sessions ride on another contact and are not mapped.
DEFAULT_MEDIA_TYPES: Mapping[str, str] = {
    "voice": "voice",
    "callback": "voice",
    "chat": "chat",
    "email": "email",
    "message": "message",
}


@dataclass(frozen=True)
class WrapUp:
    """What one wrap-up code means for the contract (either may be unknown)."""

    contact_reason: str | None = None
    is_resolved: bool | None = None


@dataclass(frozen=True)
class GenesysOptions:
    """Participant attributes, wrap-up codes and media types to use.

    Participant attributes (``participants[].attributes``, present in async job
    results) are set by each organization's flows and scripts, so their names are
    options. Wrap-up codes (ids) give the resolution and, when no reason attribute
    is set, the contact reason.
    """

    customer_attribute: str | None = "customerId"
    reason_attribute: str | None = "contactReason"
    wrapup_codes: Mapping[str, WrapUp] = field(default_factory=dict)
    media_types: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_MEDIA_TYPES)
    )
    directions: frozenset[str] = frozenset({"inbound"})


def load_genesys_mapping(path: Path | str) -> GenesysOptions:
    """Read the optional Genesys Cloud mapping file (YAML, see docs/adapters.md).

    Raises
    ------
    LandingError
        On an unknown key (naming the file and the key) or a value of the wrong kind.
    """
    where = str(path)
    data = load_yaml(path)
    check_keys(
        data, ("attributes", "wrapup_codes", "media_types", "directions"), where=where
    )
    defaults = GenesysOptions()
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise LandingError(f"{where}: `attributes` must be a mapping")
    check_keys(
        attributes, ("customer_id", "contact_reason"), where=f"{where} attributes"
    )
    codes: dict[str, WrapUp] = {}
    for code, meaning in (data.get("wrapup_codes") or {}).items():
        if not isinstance(meaning, dict):
            raise LandingError(f"{where}: wrap-up code {code!r} must be a mapping")
        check_keys(
            meaning,
            ("contact_reason", "is_resolved"),
            where=f"{where} wrapup_codes.{code}",
        )
        resolved = meaning.get("is_resolved")
        if resolved is not None and not isinstance(resolved, bool):
            raise LandingError(
                f"{where}: wrapup_codes.{code}.is_resolved must be true or false"
            )
        reason = meaning.get("contact_reason")
        codes[str(code)] = WrapUp(None if reason is None else str(reason), resolved)
    media = data.get("media_types", defaults.media_types)
    if not isinstance(media, dict):
        raise LandingError(f"{where}: `media_types` must map a mediaType to a channel")
    directions = data.get("directions", sorted(defaults.directions))
    if not isinstance(directions, list):
        raise LandingError(f"{where}: `directions` must be a list")
    return GenesysOptions(
        customer_attribute=attributes.get("customer_id", defaults.customer_attribute),
        reason_attribute=attributes.get("contact_reason", defaults.reason_attribute),
        wrapup_codes=codes,
        media_types={str(k): str(v) for k, v in media.items()},
        directions=frozenset(str(d) for d in directions),
    )


# ------------------------------------------------------------- one conversation


@dataclass(frozen=True)
class _Segment:
    participant: int  # the participant's position: which segments are one agent's
    purpose: str
    user_id: str | None
    media_type: str | None
    segment_type: str
    start: datetime
    end: datetime | None
    queue_id: str | None
    disconnect_type: str | None
    wrapup_code: str | None
    metrics: frozenset[str]

    def seconds(self) -> float:
        if self.end is None:
            raise RecordError(
                f"a {self.purpose} {self.segment_type} segment has no segmentEnd "
                "(conversation still in progress?)"
            )
        return seconds_between(self.start, self.end)


def _time(value: object, what: str) -> datetime:
    try:
        return parse_timestamp(value)
    except RecordError as error:
        raise RecordError(f"`{what}`: {error}") from None


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"`{what}` is not a list")
    return value


def _segments(conversation: Mapping[str, Any]) -> Iterator[_Segment]:
    participants = _list(conversation.get("participants"), "participants")
    for position, participant in enumerate(participants):
        if not isinstance(participant, dict):
            raise RecordError("a participant is not an object")
        purpose = str(participant.get("purpose") or "")
        for session in _list(participant.get("sessions"), "sessions"):
            if not isinstance(session, dict):
                raise RecordError("a session is not an object")
            metrics = frozenset(
                str(metric.get("name"))
                for metric in _list(session.get("metrics"), "metrics")
                if isinstance(metric, dict)
            )
            for segment in _list(session.get("segments"), "segments"):
                if not isinstance(segment, dict):
                    raise RecordError("a segment is not an object")
                end = segment.get("segmentEnd")
                yield _Segment(
                    participant=position,
                    purpose=purpose,
                    user_id=participant.get("userId"),
                    media_type=session.get("mediaType"),
                    segment_type=str(segment.get("segmentType") or ""),
                    start=_time(segment.get("segmentStart"), "segmentStart"),
                    end=None if end in (None, "") else _time(end, "segmentEnd"),
                    queue_id=segment.get("queueId"),
                    disconnect_type=segment.get("disconnectType"),
                    wrapup_code=segment.get("wrapUpCode"),
                    metrics=metrics,
                )


def _attribute(conversation: Mapping[str, Any], name: str | None) -> str | None:
    """A participant attribute, the customer's first (attributes are per participant
    in job results but usually carry the conversation's participant data)."""
    if not name:
        return None
    participants = [
        p
        for p in _list(conversation.get("participants"), "participants")
        if isinstance(p, dict)
    ]
    participants.sort(key=lambda p: p.get("purpose") != "customer")
    for participant in participants:
        attributes = participant.get("attributes")
        if isinstance(attributes, dict) and attributes.get(name) not in (None, ""):
            return str(attributes[name])
    return None


def _connected_agents_work(segments: Sequence[_Segment]) -> list[_Segment]:
    """The segments of the agent participants that connected (have an ``interact``
    segment).

    An agent who was alerted but never answered (``tNotResponding``) did no work on
    the contact, yet Genesys gives that participant a system wrap-up (about a
    minute, with the default wrap-up code): its alert and wrap-up count nowhere.
    """
    connected = {
        s.participant
        for s in segments
        if s.purpose == "agent" and s.segment_type == "interact"
    }
    return [s for s in segments if s.participant in connected]


def _disposition(
    work: Sequence[_Segment], last_agent: int, options: GenesysOptions
) -> WrapUp | None:
    """What the last connected agent's wrap-up code means (its latest code, if it
    wrapped up more than once).

    An earlier agent's code tells why that agent passed the contact on, not how the
    contact ended, so it never stands in for a missing last code.
    """
    codes = [
        s.wrapup_code
        for s in sorted(work, key=lambda s: s.start)
        if s.participant == last_agent and s.segment_type == "wrapup" and s.wrapup_code
    ]
    return options.wrapup_codes.get(codes[-1]) if codes else None


def _was_transferred(acd: Sequence[_Segment], work: Sequence[_Segment]) -> bool:
    """A second ACD queue, a connected agent who left the customer by a transfer
    (the ``disconnectType`` of the interact or hold segment it left on), or
    ``nTransferred``. A second agent alone is no transfer: in a consult the first
    agent takes the customer back."""
    return (
        len({s.queue_id for s in acd if s.queue_id}) > 1
        or any(
            "transfer" in (s.disconnect_type or "").lower()
            for s in work
            if s.segment_type in ("interact", "hold")
        )
        or any("nTransferred" in s.metrics for s in work)
    )


def _abandoned_or_flowout(acd: Sequence[_Segment]) -> str:
    metrics = frozenset().union(*(segment.metrics for segment in acd))
    if "tAbandon" in metrics or "nAbandon" in metrics:
        return "abandoned"
    if "tFlowOut" in metrics or "nFlowOut" in metrics:
        return "flowout"
    last = max(acd, key=lambda segment: segment.start)
    if "transfer" in (last.disconnect_type or "").lower():
        return "flowout"
    return "abandoned"


def _inbound_conversation(
    conversation: object, options: GenesysOptions
) -> dict[str, Any]:
    """The conversation, once it has an id and a start and is of a mapped direction."""
    if not isinstance(conversation, dict):
        raise RecordError("not a JSON object")
    conversation_id = conversation.get("conversationId")
    if not isinstance(conversation_id, str) or not conversation_id:
        raise RecordError("`conversationId` is missing")
    direction = conversation.get("originatingDirection")
    if options.directions and direction not in options.directions:
        raise RecordError(
            f"originatingDirection {direction}: not an inbound contact (skipped)"
        )
    if conversation.get("conversationStart") in (None, ""):
        raise RecordError("`conversationStart` is missing")
    return conversation


def _customer_segments(segments: Sequence[_Segment]) -> list[_Segment]:
    """The customer participant's segments, else the external participant's."""
    return [s for s in segments if s.purpose == "customer"] or [
        s for s in segments if s.purpose == "external"
    ]


def _queue_segments(segments: Sequence[_Segment]) -> list[_Segment]:
    """The ACD ``interact`` segments (the contact waiting in a queue), in order."""
    return sorted(
        (s for s in segments if s.purpose == "acd" and s.segment_type == "interact"),
        key=lambda s: s.start,
    )


def _channel(segments: Sequence[_Segment], options: GenesysOptions) -> str:
    """The channel of the first segment that names a media type (customer's first)."""
    media = next((s.media_type for s in segments if s.media_type), None)
    channel = options.media_types.get(str(media))
    if channel is None:
        raise RecordError(f"mediaType {media} is not mapped")
    return channel


def _customer_left_at(
    conversation: Mapping[str, Any], customer: Sequence[_Segment]
) -> datetime:
    """The customer's last ``segmentEnd``, else ``conversationEnd``.

    The customer's own end comes first: the conversation can go on after the
    customer has left (an agent's wrap-up), and that is not the contact's end.
    """
    customer_ends = [s.end for s in customer if s.end is not None]
    if customer_ends:
        return max(customer_ends)
    if conversation.get("conversationEnd") not in (None, ""):
        return _time(conversation.get("conversationEnd"), "conversationEnd")
    raise RecordError("no conversationEnd: the conversation has not ended")


def _outcome_and_times(
    arrived: datetime,
    ended: datetime,
    *,
    acd: Sequence[_Segment],
    work: Sequence[_Segment],
    talks: Sequence[_Segment],
) -> ContactTimes:
    """Handled if an agent connected, else abandoned or flowout if it queued, else
    contained; the times as the notes of :func:`contact_from_conversation` give."""
    if talks:
        answered_at = talks[0].start
        queued_at = acd[0].start if acd else answered_at
        return ContactTimes.handled(
            arrived,
            queued_at,
            answered_at,
            ended,
            talk_seconds=sum(s.seconds() for s in talks),
            hold_seconds=sum(s.seconds() for s in work if s.segment_type == "hold"),
            acw_seconds=sum(s.seconds() for s in work if s.segment_type == "wrapup"),
        )
    if acd:
        outcome = _abandoned_or_flowout(acd)
        if outcome == "flowout":  # a flowout ends where it leaves the queue
            ended = max((s.end for s in acd if s.end is not None), default=ended)
        return ContactTimes.unanswered(outcome, arrived, acd[0].start, ended)
    return ContactTimes.contained(arrived, ended)


def _queue_id(
    outcome: str, queued: Sequence[_Segment], queue_map: QueueMap | None
) -> str:
    """The contact's ``queue_id``: the first vendor queue of `queued` (mapped), or
    the queue map's self-service queue for a contact that never reached a queue."""
    if outcome == "contained":
        return self_service_queue(queue_map)
    vendor_queue = next((s.queue_id for s in queued if s.queue_id), None)
    if vendor_queue is None:
        raise RecordError("no queueId on any acd or agent segment")
    return vendor_queue if queue_map is None else queue_map.lookup([vendor_queue])


def contact_from_conversation(
    conversation: object,
    *,
    options: GenesysOptions | None = None,
    queue_map: QueueMap | None = None,
) -> dict[str, str]:
    """Map one Genesys Cloud conversation detail record to a ``contacts`` row.

    Parameters
    ----------
    conversation : object
        One element of ``conversations``, parsed from JSON.
    options : GenesysOptions, optional
        Attribute names, wrap-up codes, media types, directions.
    queue_map : QueueMap, optional
        Queue id (or name) → ``queue_id``. Without one, the Genesys ``queueId`` is
        written unchanged (and quarantined by the pipeline unless it is a queue of
        ``seeds/queues.csv``).

    Returns
    -------
    dict of str to str
        Every contract column, formatted for the landing CSV.

    Raises
    ------
    RecordError
        If the conversation cannot be mapped; the message is the reason.

    Notes
    -----
    Durations come from segment timestamps (the contract makes timestamps the
    truth); ``metrics[]`` only classify an unanswered queued contact (``tAbandon`` →
    abandoned, ``tFlowOut``/``nFlowOut`` → flowout; without them the last ACD
    segment's ``disconnectType``: a transfer → flowout, else abandoned) and flag
    transfers (``nTransferred``). With S = ``conversationStart``, E = the first
    ``acd`` segment start, A = the first ``agent`` ``interact`` segment start and
    X = the customer's last ``segmentEnd`` (else ``conversationEnd``): ``ivr_seconds``
    = E - S (X - S when contained), ``wait_seconds`` = A - E (handled), X - E
    (abandoned), last acd ``segmentEnd`` - E (flowout, ending there);
    ``talk_seconds``, ``hold_seconds``, ``acw_seconds`` = the summed durations of
    the ``interact``, ``hold`` and ``wrapup`` segments of every agent that
    connected (has an ``interact`` segment); an agent only alerted
    (``tNotResponding``) adds nothing, not even the wrap-up the system gives it.
    After a transfer or a consult the contact's handle time is the work of all its
    connected agents; ``agent_id`` and the wrap-up code that gives ``is_resolved``
    (and, without the reason attribute, ``contact_reason``) are those of the last
    connected agent, the one whose ``interact`` segment started last.
    """
    options = options or GenesysOptions()
    record = _inbound_conversation(conversation, options)
    arrived = _time(record.get("conversationStart"), "conversationStart")
    segments = list(_segments(record))
    customer = _customer_segments(segments)
    channel = _channel(customer + segments, options)
    acd = _queue_segments(segments)
    work = _connected_agents_work(segments)
    talks = sorted(
        (s for s in work if s.segment_type == "interact"), key=lambda s: s.start
    )
    times = _outcome_and_times(
        arrived, _customer_left_at(record, customer), acd=acd, work=work, talks=talks
    )
    queue_id = _queue_id(times.outcome, [*acd, *talks], queue_map)
    wrapup = _disposition(work, talks[-1].participant, options) if talks else None
    reason = _attribute(record, options.reason_attribute)
    return finish_contact(
        {
            "contact_id": record["conversationId"],
            "customer_id": _attribute(record, options.customer_attribute),
            "queue_id": queue_id,
            "channel": channel,
            "arrived_at": arrived,
            "contact_reason": reason or (wrapup.contact_reason if wrapup else None),
            "agent_id": talks[-1].user_id if talks else None,
            "is_transferred": _was_transferred(acd, work) if talks else None,
            "is_resolved": wrapup.is_resolved if wrapup else None,
            **times.columns(),
        }
    )


# ------------------------------------------------------------------ many files


def _conversations(path: Path) -> Iterator[tuple[int | None, Any]]:
    """(line, conversation) for each conversation of a file, in order; the line is
    None inside a ``conversations`` list (only its page's line is known)."""
    for line, value in read_json_values(path):
        if isinstance(value, dict) and "conversations" in value:
            batch = value["conversations"]
            if not isinstance(batch, list):
                raise LandingError(f"{path} line {line}: `conversations` is not a list")
            for conversation in batch:
                yield None, conversation
        elif (
            isinstance(value, dict)
            and not value.get("conversationId")
            and ("totalHits" in value or "cursor" in value)
        ):
            continue  # an empty result page: {"totalHits": 0} or a last cursor page
        else:
            yield line, value


def adapt_genesys_cloud(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    options: GenesysOptions | None = None,
    queue_map: QueueMap | None = None,
) -> AdapterReport:
    """Convert conversation-detail files into ``<out>/contacts/genesys_cloud__*.csv``.

    Parameters
    ----------
    paths : sequence of path
        Detail query responses or job result pages (JSON), or folders of them.
    out : path
        The landing directory.
    options, queue_map
        As for :func:`contact_from_conversation`.

    Returns
    -------
    AdapterReport
        Records (conversations) read, rows written, and every conversation not
        written with its file, record number, line and reason.

    Raises
    ------
    LandingError
        If an input is missing or is not JSON (naming the file and line).
    """
    files = input_files(paths, suffixes=JSON_SUFFIXES)
    results: list[RecordResult] = []
    for path in files:
        for number, (line, conversation) in enumerate(_conversations(path), start=1):
            try:
                row = contact_from_conversation(
                    conversation, options=options, queue_map=queue_map
                )
            except RecordError as error:
                results.append(RecordResult(path, number, None, str(error), line))
                continue
            results.append(RecordResult(path, number, row, line=line))
    notes = []
    if queue_map is None:
        notes.append(
            "no queue map: Genesys queueIds written as queue_id unchanged (the "
            "pipeline quarantines those not in seeds/queues.csv)"
        )
    return write_landing(ADAPTER, results, out, files_read=files, notes=notes)
