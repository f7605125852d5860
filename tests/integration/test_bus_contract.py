"""One contract, two transports: the embedded log and the real Kafka broker behave alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from hub.bus import Bus
from hub.bus.embedded import EmbeddedBus
from hub.bus.kafka import KafkaBus
from tests.integration.busutil import drain, quiet


@pytest.fixture(params=["embedded", "kafka"])
def bus_factory(request, topic_prefix) -> Iterator[Callable[[], Bus]]:
    """Makes fresh bus instances on the same backing store, as a restarted process would."""
    if request.param == "embedded":
        engine = request.getfixturevalue("sqlite_engine")

        def make() -> Bus:
            return EmbeddedBus(engine)
    else:
        bootstrap = request.getfixturevalue("kafka_bootstrap")

        def make() -> Bus:
            return KafkaBus(bootstrap)

    made: list[Bus] = []

    def tracked() -> Bus:
        made.append(make())
        return made[-1]

    tracked().ensure_topics([f"{topic_prefix}a"], partitions=3)
    yield tracked
    for bus in made:
        bus.close()


@pytest.fixture
def topic(topic_prefix) -> str:
    return f"{topic_prefix}a"


def publish_numbers(bus: Bus, topic: str, count: int, key: str = "agency:ref-1") -> None:
    for i in range(count):
        bus.publish(topic, key, f"m{i}".encode())
    bus.flush()


def test_messages_for_one_key_arrive_in_order_with_key_and_value(bus_factory, topic):
    bus = bus_factory()
    publish_numbers(bus, topic, 25)
    consumer = bus.consumer([topic], "g1")
    got = drain(consumer, 25)
    consumer.close()
    assert [m.value for m in got] == [f"m{i}".encode() for i in range(25)]
    assert {m.key for m in got} == {"agency:ref-1"}
    assert {m.topic for m in got} == {topic}


def test_uncommitted_messages_are_redelivered_to_the_next_member(bus_factory, topic):
    bus = bus_factory()
    publish_numbers(bus, topic, 10)
    first = bus.consumer([topic], "g1")
    got = drain(first, 10)
    first.commit(got[:4])
    first.close()

    second = bus_factory().consumer([topic], "g1")
    redelivered = drain(second, 6)
    second.close()
    assert [m.value for m in redelivered] == [f"m{i}".encode() for i in range(4, 10)]


def test_committed_messages_are_not_redelivered(bus_factory, topic):
    bus = bus_factory()
    publish_numbers(bus, topic, 5)
    first = bus.consumer([topic], "g1")
    first.commit(drain(first, 5))
    first.close()

    second = bus_factory().consumer([topic], "g1")
    assert quiet(second, 3.0) == []
    bus.publish(topic, "agency:ref-1", b"later")
    bus.flush()
    assert [m.value for m in drain(second, 1)] == [b"later"]
    second.close()


def test_each_consumer_group_reads_every_message(bus_factory, topic):
    bus = bus_factory()
    publish_numbers(bus, topic, 6, key="k")
    for group in ("pipeline", "audit-copy"):
        consumer = bus.consumer([topic], group)
        assert len(drain(consumer, 6)) == 6
        consumer.close()


def test_sent_messages_survive_the_publisher_going_away(bus_factory, topic):
    publisher = bus_factory()
    publisher.send(topic, "k", b"durable")
    publisher.close()
    consumer = bus_factory().consumer([topic], "g1")
    assert [m.value for m in drain(consumer, 1)] == [b"durable"]
    consumer.close()


def test_ping_answers_while_the_transport_is_up(bus_factory):
    assert bus_factory().ping() is True
