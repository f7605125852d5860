"""The Apache Kafka transport (kafka-python): idempotent acks=all producer, manual commits."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Sequence

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import CommitFailedError, KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from hub.bus.base import Bus, BusError, Consumer, Message

log = logging.getLogger(__name__)


def _reachable(address: str, timeout_s: float = 1.0) -> bool:
    host, _, port = address.strip().rpartition(":")
    try:
        with socket.create_connection((host or "localhost", int(port)), timeout=timeout_s):
            return True
    except (OSError, ValueError):
        return False


class KafkaBusConsumer(Consumer):
    def __init__(self, bootstrap: str, topics: Sequence[str], group_id: str) -> None:
        self._consumer = KafkaConsumer(
            *topics,
            bootstrap_servers=bootstrap,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            # The pipeline's work per poll is bounded (max_records); five minutes is the
            # ceiling before the group decides this member is stuck and rebalances.
            max_poll_interval_ms=300_000,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=3_000,
            client_id=f"mash-{group_id}",
        )

    def poll(self, timeout_s: float, max_records: int) -> list[Message]:
        batches = self._consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        messages = [
            Message(
                record.topic,
                record.partition,
                record.offset,
                record.key.decode("utf-8", "replace") if record.key is not None else None,
                record.value if record.value is not None else b"",
            )
            for records in batches.values()
            for record in records
        ]
        messages.sort(key=lambda m: (m.topic, m.partition, m.offset))
        return messages

    def has_assignment(self) -> bool:
        return bool(self._consumer.assignment())

    def commit(self, messages: Sequence[Message]) -> None:
        latest: dict[TopicPartition, int] = {}
        for message in messages:
            tp = TopicPartition(message.topic, message.partition)
            latest[tp] = max(latest.get(tp, -1), message.offset)
        if not latest:
            return
        try:
            self._consumer.commit(
                {tp: OffsetAndMetadata(offset + 1, None, -1) for tp, offset in latest.items()}
            )
        except CommitFailedError:
            # The partitions moved to another member meanwhile: it is redelivered the batch,
            # and the stored event ids make the second pass a no-op.
            log.warning(
                "offsets not committed: the group rebalanced; the batch will be redelivered"
            )
        except KafkaError as exc:
            raise BusError(f"offset commit failed: {exc}") from exc

    def close(self) -> None:
        self._consumer.close(autocommit=False)


class KafkaBus(Bus):
    kind = "kafka"

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._producer: KafkaProducer | None = None
        self._pending: list = []
        self._lock = threading.Lock()

    def _get_producer(self) -> KafkaProducer:
        with self._lock:
            return self._producer or self._new_producer()

    def _new_producer(self) -> KafkaProducer:
        if self._producer is None:
            try:
                self._producer = KafkaProducer(
                    bootstrap_servers=self.bootstrap,
                    acks="all",
                    enable_idempotence=True,
                    linger_ms=5,
                    max_block_ms=10_000,
                    request_timeout_ms=15_000,
                )
            except KafkaError as exc:
                raise BusError(f"cannot reach Kafka at {self.bootstrap}: {exc}") from exc
        return self._producer

    def publish(self, topic: str, key: str | None, value: bytes) -> None:
        producer = self._get_producer()
        try:
            future = producer.send(
                topic, key=key.encode("utf-8") if key is not None else None, value=value
            )
        except KafkaError as exc:
            raise BusError(f"publish to {topic} failed: {exc}") from exc
        self._pending.append(future)

    def send(self, topic: str, key: str | None, value: bytes, timeout_s: float = 10.0) -> None:
        # Waits on this message's own future, so concurrent requests never share failures.
        producer = self._get_producer()
        try:
            producer.send(
                topic, key=key.encode("utf-8") if key is not None else None, value=value
            ).get(timeout=timeout_s)
        except KafkaError as exc:
            raise BusError(f"Kafka did not acknowledge a message on {topic}: {exc}") from exc

    def flush(self, timeout_s: float = 30.0) -> None:
        if self._producer is None:
            return
        pending, self._pending = self._pending, []
        try:
            self._producer.flush(timeout=timeout_s)
            for future in pending:
                future.get(timeout=0)
        except KafkaError as exc:
            raise BusError(f"Kafka did not acknowledge a message: {exc}") from exc

    def consumer(self, topics: Sequence[str], group_id: str) -> Consumer:
        return KafkaBusConsumer(self.bootstrap, topics, group_id)

    def ensure_topics(self, topics: Sequence[str], partitions: int = 3) -> None:
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=15_000)
        try:
            existing = set(admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if missing:
                admin.create_topics(
                    [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing]
                )
        except TopicAlreadyExistsError:
            pass
        finally:
            admin.close()

    def ping(self) -> bool:
        """A broker accepts a connection and the producer has live metadata from it."""
        if not any(_reachable(address) for address in self.bootstrap.split(",")):
            return False
        try:
            producer = self._get_producer()
            producer.partitions_for("__consumer_offsets")
        except (KafkaError, BusError):
            return False
        return True

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close(timeout=5)
            self._producer = None
