"""What the readers hand the mapper (an `Item`: a row's position and its cells by column, or a
`Rejected`), and the problems found in one row.
"""

from __future__ import annotations

from typing import Any

from connectors.base import Rejected

Item = tuple[int, "dict[str, Any] | Rejected"]


class Problems:
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.fields: dict[str, list[str]] = {}

    def add(self, reason: str, column: str | None, message: str) -> None:
        self.reasons.append(reason)
        self.fields.setdefault(column or "row", []).append(message)

    def has(self, column: str | None) -> bool:
        return (column or "row") in self.fields
