"""`parse`: pick the profile, sniff the payload (JSON array, JSON object(s), else CSV), read
its items and map each.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.base import Rejected
from connectors.csvrows import BOM, read_rows
from connectors.profiles.json_reading import json_array, json_objects
from connectors.profiles.mapping import map_guarded
from connectors.profiles.profile import Profile
from connectors.profiles.registry import PROFILES


def parse(raw: bytes, agency: str, profile: Profile | None = None) -> Iterator[dict | Rejected]:
    """Yield, in input order, one canonical event or one `Rejected` per row / object.

    `agency` is who is sending; `profile` overrides the registered profile for it (it must be
    a profile for that agency). Never raises on any input bytes."""
    chosen = profile if profile is not None else PROFILES.get(agency)
    if chosen is None or chosen.agency != agency:
        known = ", ".join(PROFILES)
        message = (
            f"No profile for agency {agency!r}; profiles exist for: {known}."
            if chosen is None
            else f"The profile given is for {chosen.agency!r}, not {agency!r}."
        )
        yield Rejected(1, "no_profile", {"agency": [message]})
        return
    data = bytes(raw)
    if data.startswith(BOM):
        data = data[len(BOM) :]
    start = data.lstrip()[:1]
    if start == b"[":
        items = json_array(data, chosen)
    elif start == b"{":
        items = json_objects(data, chosen)
    else:
        rows = read_rows(data, chosen.required)
        items = ((r.line, r if isinstance(r, Rejected) else dict(r.values)) for r in rows)
    for position, item in items:
        if isinstance(item, Rejected):
            yield item
        else:
            yield map_guarded(item, position, chosen, agency)
