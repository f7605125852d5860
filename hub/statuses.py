"""A child's current statuses, read from children's social care events in the chronology:
child protection plan, looked after, child in need plan (each started and ended by an event),
and whether a case is open or closed, and when it closed. A case that closed and then had a
new referral is open again: closing too soon is a pattern reviews keep finding, so the
closure date stays visible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

PLANS = {
    "child_protection_plan": ("child_protection_plan_start", "child_protection_plan_end"),
    "looked_after": ("looked_after_start", "looked_after_end"),
    "child_in_need_plan": ("child_in_need_plan_start", "child_in_need_plan_end"),
}
CLOSURE = "case_closure"
OPENING = frozenset({"referral", "assessment_outcome"} | {start for start, _ in PLANS.values()})
CATEGORIES = frozenset({CLOSURE} | OPENING | {end for _, end in PLANS.values()})


def current_statuses(events: Iterable[tuple[str, dt.datetime]]) -> dict:
    """`events`: (category, occurred_at) of the person's social care events, any order."""
    ordered = sorted(events, key=lambda e: e[1])
    statuses: dict = {}
    for name, (start, end) in PLANS.items():
        started = [when for category, when in ordered if category == start]
        ended = [when for category, when in ordered if category == end]
        last_start = started[-1] if started else None
        last_end = ended[-1] if ended else None
        active = last_start is not None and (last_end is None or last_end < last_start)
        statuses[name] = {
            "active": active,
            "since": last_start if active else None,
            "ended": last_end if not active else None,
        }
    opened = [when for category, when in ordered if category in OPENING]
    closed = [when for category, when in ordered if category == CLOSURE]
    last_open, last_close = (opened[-1] if opened else None), (closed[-1] if closed else None)
    if last_open is None and last_close is None:
        case = "not_known"
    elif last_close is None or (last_open is not None and last_open > last_close):
        case = "open"
    else:
        case = "closed"
    statuses["case"] = {
        "status": case,
        "closed_at": last_close,
        "reopened": case == "open" and last_close is not None,
    }
    return statuses
