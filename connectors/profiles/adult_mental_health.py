"""The adult mental health trust's profile (columns: `adult_mental_health_profile()`)."""

from __future__ import annotations

from connectors.profiles.fields import TEXT, YES_NO, Choice
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.rules import Fact, RoleFrom
from connectors.profiles.shared_columns import PERSON_COLUMNS, RECORD_COLUMNS

_MHA_SECTIONS = ("2", "3", "4", "5(2)", "5(4)", "135", "136", "37", "37/41", "CTO")


def adult_mental_health_profile() -> Profile:
    """Adult mental health trust: contacts with adults who may be parents (parental mental
    health). Everything is health_confidential.

    Columns (required marked *):
      patient_id*          the trust's patient id
      nhs_number*          column must exist; a cell may be blank, a value must be valid
      contact_id*          the contact / episode event id
      forename, middle_names, surname*, date_of_birth* (DD/MM/YYYY), gender, la_code,
      address, postcode
      is_parent*           yes/no: a parent or carer of children → role carer (blank or no:
                           no role)
      event_type*          crisis_contact (crisis team), mha_admission (admitted under the
                           Mental Health Act), discharge, missed_appointment
      event_datetime*      DD/MM/YYYY hh:mm (UK local time), a date, or ISO 8601
      recorded_datetime    when it was recorded
      mha_section          2, 3, 4, 5(2), 5(4), 135, 136, 37, 37/41, CTO ("s2", "section 3"
                           also read)
      team                 the team (said in the summary)
      notes, action, recorded_by_role, record_status, revision, agency   as for housing
    """
    sections: dict[str, str] = {}
    for sec in _MHA_SECTIONS:
        sections.update({sec: sec, f"s{sec}": sec, f"section {sec}": sec})
    return Profile(
        agency="adult_mental_health",
        columns={
            "patient_id": "person_ref",
            "nhs_number": "nhs_number",
            "contact_id": "concern_ref",
            **PERSON_COLUMNS,
            "is_parent": "is_parent",
            "event_type": "event_type",
            "event_datetime": "occurred_at",
            "recorded_datetime": "reported_at",
            "mha_section": "mha_section",
            "team": "team",
            **RECORD_COLUMNS,
        },
        required=(
            "patient_id",
            "nhs_number",
            "contact_id",
            "surname",
            "date_of_birth",
            "is_parent",
            "event_type",
            "event_datetime",
        ),
        fields={"is_parent": YES_NO, "mha_section": Choice(sections), "team": TEXT},
        date_formats=("%d/%m/%Y", "%Y-%m-%d"),
        events={
            "crisis_contact": EventType(
                "mental_health_crisis", "high", "health_confidential", label="Crisis team contact"
            ),
            "mha_admission": EventType(
                "mental_health_act_admission",
                "high",
                "health_confidential",
                label="Admitted under the Mental Health Act",
            ),
            "discharge": EventType(
                "mental_health_discharge",
                "medium",
                "health_confidential",
                label="Discharged from mental health inpatient care",
            ),
            "missed_appointment": EventType(
                "missed_mental_health_appointment",
                "low",
                "health_confidential",
                label="Did not attend a mental health appointment",
            ),
        },
        role=RoleFrom("is_parent", {True: "carer", False: None}),
        facts=(
            Fact("mha_section", "Mental Health Act section {value}"),
            Fact("team", "team: {value}"),
            Fact("is_parent", "parent or carer of children: {value}"),
        ),
    )


ADULT_MENTAL_HEALTH = adult_mental_health_profile()
