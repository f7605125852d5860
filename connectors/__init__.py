"""Agency connectors: one module per format, each a pure mapping plus the shared publish step.

Every format module has `parse(raw: bytes, agency: str) -> Iterator[dict | Rejected]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

FORMATS: dict[str, str] = {
    "jsonl": "connectors.jsonl",  # the hub's own submission shape, one per line
    "hl7v2": "connectors.hl7v2",  # ADT A01/A04/A08/A11 (A&E, admissions)
    "fhir": "connectors.fhir",  # R4 Bundles (health visiting, GP, midwifery)
    "police": "connectors.police",  # public protection notices / incidents, CSV or JSON
    "schools": "connectors.schools",  # school information system CSV export
    "social_care": "connectors.social_care",  # case management CSV export
    "profile": "connectors.profiles",  # housing, probation, adult mental health, substance misuse
}

# What each agency's systems send unless told otherwise.
DEFAULT_FORMAT: dict[str, str] = {
    "police": "police",
    "health_ae": "hl7v2",
    "gp": "fhir",
    "health_visitor": "fhir",
    "midwifery": "fhir",
    "school": "schools",
    "childrens_social_care": "social_care",
    "housing": "profile",
    "probation": "profile",
    "adult_mental_health": "profile",
    "substance_misuse": "profile",
}

Parser = Callable[[bytes, str], Iterator]


def parser_for(fmt: str) -> Parser:
    """The `parse` function of a format; KeyError names the formats there are."""
    if fmt not in FORMATS:
        raise KeyError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[fmt]).parse
