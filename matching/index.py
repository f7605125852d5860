"""An in-memory index of persons for incremental matching (one record at a time).

Blocking keys are stored as 64-bit hashes and records by integer position, so a million
persons fit in a modest amount of memory. The hub keeps the same keys in its database instead;
both ask `online.decide` for the decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from matching.blocking import MAX_BLOCK, RULES, keys_of
from matching.model import Model
from matching.online import LINK, Decision, decide
from matching.record import Record


class PersonIndex:
    def __init__(self, model: Model, max_block: int = MAX_BLOCK) -> None:
        self.model = model
        self.max_block = max_block
        self.records: list[Record] = []
        self.person_of: list[int] = []
        self.members: dict[int, list[int]] = defaultdict(list)
        self.blocks: dict[int, list[int]] = defaultdict(list)
        self._next_person = 1

    def __len__(self) -> int:
        return len(self.records)

    def _keys(self, record: Record) -> list[int]:
        return [hash(key) for key in keys_of(record, RULES)]

    def candidates(self, record: Record) -> list[tuple[Hashable, Record]]:
        """Every record of every person that shares a blocking key with `record`."""
        persons: set[int] = set()
        for key in self._keys(record):
            block = self.blocks.get(key)
            if block and len(block) <= self.max_block:
                persons.update(self.person_of[i] for i in block)
        return [(p, self.records[i]) for p in persons for i in self.members[p]]

    def match(self, record: Record) -> Decision:
        return decide(self.model, record, self.candidates(record), max(len(self.records), 1))

    def add(self, record: Record, person_id: int | None = None) -> tuple[int, Decision | None]:
        """Insert a record: into `person_id` if given, else where `match` links it, else into a
        new person (a record for review also starts its own person until someone decides)."""
        decision = None
        if person_id is None:
            decision = self.match(record)
            person_id = decision.person_id if decision.action == LINK else None  # type: ignore[assignment]
        if person_id is None:
            person_id = self._next_person
        self._next_person = max(self._next_person, person_id + 1)
        position = len(self.records)
        self.records.append(record)
        self.person_of.append(person_id)
        self.members[person_id].append(position)
        for key in self._keys(record):
            self.blocks[key].append(position)
        return person_id, decision
