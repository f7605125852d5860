"""The registered profiles, by agency."""

from __future__ import annotations

from connectors.profiles.adult_mental_health import ADULT_MENTAL_HEALTH
from connectors.profiles.housing import HOUSING
from connectors.profiles.probation import PROBATION
from connectors.profiles.profile import Profile
from connectors.profiles.substance_misuse import SUBSTANCE_MISUSE

PROFILES: dict[str, Profile] = {
    p.agency: p for p in (HOUSING, PROBATION, ADULT_MENTAL_HEALTH, SUBSTANCE_MISUSE)
}


def profile_for(agency: str) -> Profile | None:
    return PROFILES.get(agency)
