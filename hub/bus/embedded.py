"""The embedded transport: a durable log in the hub's own database, for one-machine use.

Each topic is a single partition (the row id is the offset); a group's position is a row in
`bus_offsets`. It survives restarts like Kafka does, but it is meant for one consumer per group.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from hub.bus.base import Bus, Consumer, Message
from hub.models import BusMessage, BusOffset

_IDLE_SLEEP_S = 0.05


class EmbeddedConsumer(Consumer):
    def __init__(self, engine: Engine, topics: Sequence[str], group_id: str) -> None:
        self._engine = engine
        self._topics = list(topics)
        self._group_id = group_id
        self._positions = self._load_positions()

    def _load_positions(self) -> dict[str, int]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(BusOffset).where(
                    BusOffset.group_id == self._group_id, BusOffset.topic.in_(self._topics)
                )
            ).all()
        positions = dict.fromkeys(self._topics, 0)
        positions.update({row.topic: row.next_id for row in rows})
        return positions

    def _fetch(self, max_records: int) -> list[Message]:
        messages: list[Message] = []
        with Session(self._engine) as session:
            for topic in self._topics:
                rows = session.scalars(
                    select(BusMessage)
                    .where(BusMessage.topic == topic, BusMessage.id >= self._positions[topic])
                    .order_by(BusMessage.id)
                    .limit(max_records - len(messages))
                ).all()
                messages.extend(Message(r.topic, 0, r.id, r.key, r.value) for r in rows)
                if len(messages) >= max_records:
                    break
        return messages

    def poll(self, timeout_s: float, max_records: int) -> list[Message]:
        deadline = time.monotonic() + timeout_s
        while True:
            messages = self._fetch(max_records)
            if messages:
                for message in messages:
                    self._positions[message.topic] = message.offset + 1
                return messages
            if time.monotonic() >= deadline:
                return []
            time.sleep(_IDLE_SLEEP_S)

    def commit(self, messages: Sequence[Message]) -> None:
        latest: dict[str, int] = {}
        for message in messages:
            latest[message.topic] = max(latest.get(message.topic, 0), message.offset + 1)
        if not latest:
            return
        with Session(self._engine) as session, session.begin():
            for topic, next_id in latest.items():
                row = session.get(BusOffset, (self._group_id, topic))
                if row is None:
                    session.add(BusOffset(group_id=self._group_id, topic=topic, next_id=next_id))
                elif next_id > row.next_id:
                    row.next_id = next_id

    def close(self) -> None:
        pass


class EmbeddedBus(Bus):
    kind = "embedded"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def publish(self, topic: str, key: str | None, value: bytes) -> None:
        # Written at once in its own transaction: as durable as the database itself.
        with Session(self._engine) as session, session.begin():
            session.add(BusMessage(topic=topic, key=key, value=value))

    def flush(self, timeout_s: float = 30.0) -> None:
        pass

    def consumer(self, topics: Sequence[str], group_id: str) -> Consumer:
        return EmbeddedConsumer(self._engine, topics, group_id)

    def ensure_topics(self, topics: Sequence[str], partitions: int = 3) -> None:
        pass

    def ping(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def close(self) -> None:
        pass
