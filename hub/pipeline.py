"""The pipeline: consume concern events, store them linked to a person, commit, then emit.

`handle_batch` is the rule for one poll's messages (validate → upsert → link → store → place),
set-based so a batch costs a few statements per step, not per event; `PipelineRunner` owns the
consumer, the poll loop, signals, and the order that makes it safe: database commit, then
`linked`/dead-letter events, then the offset commit.
"""

from __future__ import annotations

import base64
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hub import audit, deadletters
from hub.bus import Bus, BusError, Message
from hub.concerns import store_concerns, stored_events
from hub.households import Seen, household_key, place_people
from hub.models import Link, SourceRecord
from hub.records import current_person_id, link_records, upsert_source_records
from hub.relationships import declare, living_with_relations
from hub.schemas import SCHEMA_VERSION, ConcernEventSchema
from hub.settings import Settings
from matching.model import Model

log = logging.getLogger(__name__)

_EVENT_SCHEMA = ConcernEventSchema()
CONFLICT_RETRIES = 3


@dataclass
class Outcome:
    status: str  # stored | duplicate | dead_letter
    event_id: str | None = None
    person_id: int | None = None
    source_record_id: int | None = None
    method: str | None = None
    reason: str | None = None
    errors: dict = field(default_factory=dict)


@dataclass
class RunStats:
    stored: int = 0
    duplicate: int = 0
    dead_letter: int = 0
    batches: int = 0
    retries: int = 0

    @property
    def messages(self) -> int:
        return self.stored + self.duplicate + self.dead_letter


def _dead_letter(session: Session, message: Message, reason: str, errors: dict) -> Outcome:
    deadletters.keep(session, message.topic, message.key, message.value, reason, errors)
    return Outcome("dead_letter", reason=reason, errors=errors)


def _decode(message: Message, max_bytes: int) -> tuple[dict | None, str, dict]:
    if len(message.value) > max_bytes:
        return None, "oversized", {"size": [f"{len(message.value)} bytes; limit {max_bytes}"]}
    try:
        data = json.loads(message.value.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, "invalid_encoding", {"payload": [f"Not UTF-8: {exc.reason} at {exc.start}"]}
    except json.JSONDecodeError as exc:
        return None, "invalid_json", {"payload": [f"{exc.msg} (line {exc.lineno} col {exc.colno})"]}
    if not isinstance(data, dict):
        return None, "invalid_event", {"payload": ["Expected a JSON object."]}
    try:
        return _EVENT_SCHEMA.load(data), "", {}
    except ValidationError as exc:
        return None, "invalid_event", exc.normalized_messages()


def handle_batch(
    session: Session, messages: Sequence[Message], settings: Settings, model: Model
) -> list[Outcome]:
    """Store a batch's effects in `session` (caller commits): one outcome per message. Never
    raises for bad input: a bad message is dead-lettered and the rest go through."""
    outcomes: list[Outcome | None] = [None] * len(messages)
    decoded = []
    for i, message in enumerate(messages):
        event, reason, errors = _decode(message, settings.max_event_bytes)
        if event is None:
            outcomes[i] = _dead_letter(session, message, reason, errors)
        else:
            decoded.append((i, event))
    stored = stored_events(session, [event["event_id"] for _, event in decoded])
    fresh: dict[str, tuple[int, dict]] = {}
    repeats = []
    for i, event in decoded:
        event_id = event["event_id"]
        if event_id in stored:
            person_id = current_person_id(session, stored[event_id])
            outcomes[i] = Outcome("duplicate", event_id, person_id)
        elif event_id in fresh:
            repeats.append((i, event_id))
        else:
            fresh[event_id] = (i, event)
    records = store_events(session, [event for _, event in fresh.values()], model)
    for (i, event), record in zip(fresh.values(), records, strict=True):
        link = record.link
        assert link is not None
        outcomes[i] = Outcome("stored", event["event_id"], link.person_id, record.id, link.method)
    for i, event_id in repeats:
        outcomes[i] = Outcome("duplicate", event_id, outcomes[fresh[event_id][0]].person_id)  # type: ignore[union-attr]
    return outcomes  # type: ignore[return-value]


def store_events(session: Session, events: Sequence[dict], model: Model) -> list[SourceRecord]:
    """Store valid, new events in order (validate → upsert → link → store → place): each
    step a few statements for the whole batch. Returns each event's linked source record."""
    if not events:
        return []
    records = upsert_source_records(session, [(e["agency"], e["person"]) for e in events])
    links = link_records(session, records, model)
    pairs = list(zip(events, records, strict=True))
    store_concerns(session, pairs)
    declare(
        session, [(record, event["person"].get("relationships") or []) for event, record in pairs]
    )
    arrivals = [(r, e["person"], e["concern"]["occurred_at"].date()) for e, r in pairs]
    seen = []
    for record, person, on in arrivals:
        where = household_key(person["addresses"][-1]) if person.get("addresses") else None
        if where is not None:
            person_id = record.link.person_id  # type: ignore[union-attr]
            seen.append(Seen(person_id, person.get("role") or "unknown", where, on))
    place_people(session, seen, living_with_relations(session, arrivals))
    _audit_links(session, links)
    return records


def _audit_links(session: Session, links: Sequence[Link]) -> None:
    """One audit entry per batch for the links the matcher made: which record joined which
    person, and how (an entry per link would hold the audit lock for every message)."""
    if links:
        made = [[link.source_record_id, link.person_id, link.method] for link in links]
        detail = {"model_version": links[0].model_version, "links": made}
        audit.record(session, actor="pipeline", role="system", action="link", detail=detail)


def _is_transient(exc: Exception) -> bool:
    """Database unreachable or locked: retry the batch rather than dead-letter good events."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


class PipelineRunner:
    """Owns one consumer in the pipeline's group and runs the poll loop."""

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        bus: Bus,
        model: Model,
        group_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.model = model
        self.sessions = session_factory
        self.bus = bus
        self.group_id = group_id or settings.consumer_group
        self.stats = RunStats()
        self._stop = threading.Event()

    def stop(self, *_: object) -> None:
        self._stop.set()

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)

    def _process(self, messages: list[Message]) -> list[tuple[Message, Outcome]]:
        """The batch in one transaction. Another pipeline process may insert the same row
        meanwhile (two people's events, on two partitions, found one household): the loser's
        insert fails on the unique key, and trying again finds the winner's committed row. A
        batch that still fails is split in halves until the one message at fault is found; it
        is dead-lettered and the rest go through."""
        error = "IntegrityError"
        for _ in range(CONFLICT_RETRIES + 1):
            try:
                with self.sessions() as session, session.begin():
                    outcomes = handle_batch(session, messages, self.settings, self.model)
                return list(zip(messages, outcomes, strict=True))
            except IntegrityError:
                continue
            except Exception as exc:
                if _is_transient(exc):
                    raise
                error = type(exc).__name__
                break
        if len(messages) > 1:
            half = len(messages) // 2
            return self._process(messages[:half]) + self._process(messages[half:])
        message = messages[0]
        log.error("event at %s/%s failed: %s", message.partition, message.offset, error)
        with self.sessions() as session, session.begin():
            outcome = _dead_letter(session, message, "processing_error", {"error": [error]})
        return [(message, outcome)]

    def _emit(self, results: list[tuple[Message, Outcome]]) -> None:
        for message, outcome in results:
            if outcome.status == "stored":
                body = {
                    "schema_version": SCHEMA_VERSION,
                    "event_id": outcome.event_id,
                    "person_id": outcome.person_id,
                    "source_record_id": outcome.source_record_id,
                    "method": outcome.method,
                }
                self.bus.publish(
                    self.settings.linked_topic, str(outcome.person_id), json.dumps(body).encode()
                )
            elif outcome.status == "dead_letter":
                body = {
                    "reason": outcome.reason,
                    "errors": outcome.errors,
                    "source": f"{message.topic}/{message.partition}/{message.offset}",
                    "key": message.key,
                    "payload_b64": base64.b64encode(message.value).decode(),
                }
                self.bus.publish(
                    self.settings.deadletter_topic, message.key, json.dumps(body).encode()
                )
        self.bus.flush()

    def _count(self, results: list[tuple[Message, Outcome]]) -> None:
        self.stats.batches += 1
        for _, outcome in results:
            setattr(self.stats, outcome.status, getattr(self.stats, outcome.status) + 1)

    def _process_until_done(self, messages: list[Message]) -> list[tuple[Message, Outcome]] | None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                return self._process(messages)
            except Exception as exc:
                if not _is_transient(exc):
                    raise
                self.stats.retries += 1
                log.warning(
                    "database unavailable (%s); retrying in %.1fs", type(exc).__name__, delay
                )
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)
        return None

    def _until_delivered(self, action: Callable[[list], None], batch: list) -> bool:
        """Run a bus action until the bus takes it: the broker may be restarting. The database
        work is already committed, so nothing is lost by waiting; `linked` events may be sent
        twice (their consumers key on event_id). Tried at least once; False if asked to stop
        while the bus is away."""
        delay = 0.5
        while True:
            try:
                action(batch)
                return True
            except BusError as exc:
                self.stats.retries += 1
                if self._stop.is_set():
                    return False
                log.warning("bus unavailable (%s); retrying in %.1fs", exc, delay)
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)

    def run(self, max_messages: int | None = None, idle_timeout: float | None = None) -> RunStats:
        """Run until stopped (SIGTERM/SIGINT), `max_messages` handled, or `idle_timeout` seconds
        pass with partitions assigned and nothing to read."""
        self._install_signal_handlers()
        topics = [self.settings.concerns_topic]
        self.bus.ensure_topics(
            [*topics, self.settings.linked_topic, self.settings.deadletter_topic]
        )
        consumer = self.bus.consumer(topics, self.group_id)
        idle_since = time.monotonic()
        try:
            while not self._stop.is_set():
                budget = self.settings.poll_max_records
                if max_messages is not None:
                    budget = min(budget, max_messages - self.stats.messages)
                    if budget <= 0:
                        break
                messages = consumer.poll(timeout_s=0.5, max_records=budget)
                if not messages:
                    if not consumer.has_assignment():
                        # Joining the group (a killed member's partitions wait for its session
                        # to expire) is not idleness.
                        idle_since = time.monotonic()
                    elif idle_timeout is not None and time.monotonic() - idle_since > idle_timeout:
                        break
                    continue
                results = self._process_until_done(messages)
                if results is None:
                    break  # stopping: offsets stay uncommitted, the batch is redelivered
                if not self._until_delivered(self._emit, results):
                    break  # stopping with the bus away: the batch is redelivered
                if not self._until_delivered(consumer.commit, messages):
                    break
                self._count(results)
                idle_since = time.monotonic()
        finally:
            consumer.close()
        log.info(
            "pipeline stopped: %d stored, %d duplicate, %d dead-lettered",
            self.stats.stored,
            self.stats.duplicate,
            self.stats.dead_letter,
        )
        return self.stats
