"""The bus: one interface, two transports (Apache Kafka, and the embedded database-backed log)."""

from __future__ import annotations

from hub.bus.base import Bus, BusError, Consumer, Message
from hub.settings import Settings


def make_bus(settings: Settings, engine=None) -> Bus:
    """The Kafka bus when `MASH_KAFKA_BOOTSTRAP` is set, else the embedded one on `engine`."""
    if settings.kafka_bootstrap:
        from hub.bus.kafka import KafkaBus

        return KafkaBus(settings.kafka_bootstrap)
    from hub.bus.embedded import EmbeddedBus

    if engine is None:
        from hub.db import make_engine

        engine = make_engine(settings)
    return EmbeddedBus(engine)


__all__ = ["Bus", "BusError", "Consumer", "Message", "make_bus"]
