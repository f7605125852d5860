"""What every transport promises: ordered per key, durable, at-least-once, explicit commits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass


class BusError(RuntimeError):
    """The bus could not accept or deliver a message (broker down, timeout)."""


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes


class Consumer(ABC):
    """A member of a consumer group. Not thread-safe: one consumer, one thread."""

    @abstractmethod
    def poll(self, timeout_s: float, max_records: int) -> list[Message]:
        """Up to `max_records` messages not yet handed out, waiting up to `timeout_s`."""

    def has_assignment(self) -> bool:
        """False while the group has not yet given this member anything to read."""
        return True

    @abstractmethod
    def commit(self, messages: Sequence[Message]) -> None:
        """Mark these messages done for the group. Call only after their effects are stored."""

    @abstractmethod
    def close(self) -> None: ...


class Bus(ABC):
    kind: str

    @abstractmethod
    def publish(self, topic: str, key: str | None, value: bytes) -> None:
        """Queue a message; `flush` makes it durable and reports failures."""

    def send(self, topic: str, key: str | None, value: bytes, timeout_s: float = 10.0) -> None:
        """Publish one message and wait until it is durably stored (raises BusError)."""
        self.publish(topic, key, value)
        self.flush(timeout_s)

    @abstractmethod
    def flush(self, timeout_s: float = 30.0) -> None:
        """Block until every queued message is durably stored; raise BusError if any failed."""

    @abstractmethod
    def consumer(self, topics: Sequence[str], group_id: str) -> Consumer: ...

    @abstractmethod
    def ensure_topics(self, topics: Sequence[str], partitions: int = 3) -> None: ...

    @abstractmethod
    def ping(self) -> bool:
        """True if the transport answers right now (used by /readyz)."""

    @abstractmethod
    def close(self) -> None: ...
