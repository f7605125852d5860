"""The probation case management system's profile (columns: `probation_profile()`)."""

from __future__ import annotations

from connectors.profiles.fields import YES_NO, Choice
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.rules import Fact, Flag, Levels, RoleFrom
from connectors.profiles.shared_columns import PERSON_COLUMNS, RECORD_COLUMNS


def probation_profile() -> Profile:
    """Probation case management: adults under supervision who live with or visit children.

    Columns (required marked *):
      crn*                 case reference number: the person's probation id (e.g. X123456)
      event_id*            the event's id
      forename, middle_names, surname*, date_of_birth* (YYYY-MM-DD or DD/MM/YYYY),
      gender, la_code, address, postcode, address_start_date (when they moved there)
      relationship_to_household*  how they relate to the household with children:
                           partner (also: resident partner, spouse, boyfriend, girlfriend) →
                           role partner; visitor (also: regular visitor, ex-partner, family
                           friend, relative, lodger) → role visitor; none → no role
      risk_to_children*    Y/N: flagged as a risk to children → severity at least high
      violence_history     Y/N: history of violence → severity at least medium
      rosh_children        RoSH to children: low, medium, high, very high → severity low,
                           medium, high, critical (any event carrying it; restricted)
      mappa_level          1, 2 or 3 → severity medium, high, critical (restricted)
      event_type*          sentence_start, licence_recall, rosh_assessment (needs
                           rosh_children), mappa_level (needs mappa_level),
                           address_change_children (moved into a household with children)
      event_date*          date or date and time (YYYY-MM-DD hh:mm[:ss], ISO 8601)
      recorded_date, notes, action, recorded_by_role, record_status, revision, agency
                           as for housing
    """
    rosh = Levels(
        "rosh_children", {"low": "low", "medium": "medium", "high": "high", "very high": "critical"}
    )
    mappa = Levels("mappa_level", {1: "medium", 2: "high", 3: "critical"})
    return Profile(
        agency="probation",
        columns={
            "crn": "person_ref",
            "event_id": "concern_ref",
            **PERSON_COLUMNS,
            "address_start_date": "address_from",
            "relationship_to_household": "relationship_to_household",
            "risk_to_children": "risk_to_children",
            "violence_history": "violence_history",
            "rosh_children": "rosh_children",
            "mappa_level": "mappa_level",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            **RECORD_COLUMNS,
        },
        required=(
            "crn",
            "event_id",
            "surname",
            "date_of_birth",
            "relationship_to_household",
            "risk_to_children",
            "event_type",
            "event_date",
        ),
        fields={
            "relationship_to_household": Choice.of(
                {
                    "partner": "partner|resident partner|spouse|boyfriend|girlfriend",
                    "visitor": "visitor|regular visitor|ex-partner|family friend|relative|lodger",
                    "none": "none",
                }
            ),
            "risk_to_children": YES_NO,
            "violence_history": YES_NO,
            "rosh_children": Choice.of(
                {
                    "low": "low|L",
                    "medium": "medium|M",
                    "high": "high|H",
                    "very high": "very high|VH",
                }
            ),
            "mappa_level": Choice.of({1: "1|level 1", 2: "2|level 2", 3: "3|level 3"}),
        },
        date_formats=("%Y-%m-%d", "%d/%m/%Y"),
        datetime_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"),
        events={
            "sentence_start": EventType("sentence_start", "medium", label="Sentence started"),
            "licence_recall": EventType(
                "licence_recall", "high", label="Recalled to custody from licence"
            ),
            "rosh_assessment": EventType(
                "risk_to_children_assessment",
                "low",
                "restricted",
                label="Risk of serious harm to children assessed",
                needs=("rosh_children",),
            ),
            "mappa_level": EventType(
                "mappa_management",
                "low",
                "restricted",
                label="MAPPA management level set",
                needs=("mappa_level",),
            ),
            "address_change_children": EventType(
                "moved_into_household_with_children",
                "high",
                label="Moved into a household with children",
            ),
        },
        rules=(
            rosh,
            mappa,
            Flag("risk_to_children", at_least="high"),
            Flag("violence_history", at_least="medium"),
        ),
        role=RoleFrom(
            "relationship_to_household", {"partner": "partner", "visitor": "visitor", "none": None}
        ),
        sensitive_fields={"rosh_children": "restricted", "mappa_level": "restricted"},
        facts=(
            Fact("relationship_to_household", "relationship to the household: {value}"),
            Fact("risk_to_children", "risk to children flagged: {value}"),
            Fact("violence_history", "history of violence: {value}"),
            Fact("rosh_children", "RoSH to children: {value}"),
            Fact("mappa_level", "MAPPA level {value}"),
        ),
    )


PROBATION = probation_profile()
