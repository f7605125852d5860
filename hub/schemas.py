"""Canonical event schemas: the one shape every connector and the API turn agency data into."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)
from stdnum.gb import nhs, upn

SCHEMA_VERSION = 1
EVENT_NAMESPACE = uuid.UUID("5f0c1c52-8d1e-4a0b-9a57-3d1c2b6a7e10")

AGENCIES: dict[str, tuple[str, str]] = {
    "police": ("Police", "police"),
    "health_ae": ("Accident & Emergency", "health"),
    "gp": ("General practice", "health"),
    "health_visitor": ("Health visiting", "health"),
    "midwifery": ("Midwifery", "health"),
    "school": ("School", "education"),
    "childrens_social_care": ("Children's social care", "social_care"),
    "housing": ("Housing", "housing"),
    "probation": ("Probation", "justice"),
    "adult_mental_health": ("Adult mental health", "health"),
    "substance_misuse": ("Substance misuse service", "health"),
}
SEVERITIES = ("low", "medium", "high", "critical")
SENSITIVITIES = ("standard", "police_intelligence", "health_confidential", "restricted")
ROLES = ("child", "unborn", "carer", "partner", "visitor")
# "The person at source_ref is this person's ...", in the agency's own records.
RELATIONSHIPS = ("mother", "father", "parent", "carer", "partner", "visitor", "child", "sibling")
SEXES = ("female", "male", "unknown")
EARLIEST_BIRTH = dt.date(1900, 1, 1)
FUTURE_TOLERANCE = dt.timedelta(hours=1)  # clocks differ between agency systems
UK_POSTCODE = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"


def event_id_for(agency: str, concern_ref: str, revision: int = 1, withdrawn: bool = False) -> str:
    """The event id is derived from the agency's own concern reference (and its revision), so
    the same concern sent twice — over HTTP and in a file, or replayed — is recognised as one,
    while an amendment or a withdrawal is a new event about the same concern."""
    name = f"{agency}:{concern_ref}"
    if revision != 1 or withdrawn:
        name += f"#r{revision}" + ("-withdrawn" if withdrawn else "")
    return str(uuid.uuid5(EVENT_NAMESPACE, name))


def _text(max_len: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_len), **kwargs)


class AddressSchema(Schema):
    line = _text(300, allow_none=True)
    postcode = fields.String(
        allow_none=True,
        validate=validate.Regexp(UK_POSTCODE, error="Not a UK postcode."),
    )
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)

    @post_load
    def _normalise_postcode(self, data: dict, **_: Any) -> dict:
        if data.get("postcode"):
            compact = data["postcode"].replace(" ", "").upper()
            data["postcode"] = f"{compact[:-3]} {compact[-3:]}"
        return data


class RelationshipSchema(Schema):
    """Who this person is related to, by the related person's record reference at the same
    agency: midwifery's record of an unborn child names the mother's record."""

    type = fields.String(required=True, validate=validate.OneOf(RELATIONSHIPS))
    source_ref = _text(120, required=True)


class PersonDetailsSchema(Schema):
    source_ref = _text(120, required=True)
    local_authority = _text(60, allow_none=True)
    given_name = _text(120, allow_none=True)
    middle_names = _text(200, allow_none=True)
    family_name = _text(120, allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    sex = fields.String(allow_none=True, validate=validate.OneOf(SEXES))
    nhs_number = fields.String(allow_none=True)
    upn = fields.String(allow_none=True)
    role = fields.String(allow_none=True, validate=validate.OneOf(ROLES))
    addresses = fields.List(fields.Nested(AddressSchema), load_default=list)
    relationships = fields.List(fields.Nested(RelationshipSchema), load_default=list)

    @validates("date_of_birth")
    def _plausible_birth_date(self, value: dt.date | None, **_: Any) -> None:
        if value is None:
            return
        if value < EARLIEST_BIRTH:
            raise ValidationError(f"Not a plausible date of birth (before {EARLIEST_BIRTH}).")
        if value > dt.date.today() + dt.timedelta(days=1):
            raise ValidationError("Cannot be in the future (an unborn child has no date of birth).")

    @validates("nhs_number")
    def _valid_nhs_number(self, value: str | None, **_: Any) -> None:
        if value is not None and not nhs.is_valid(value):
            raise ValidationError("Not a valid NHS number (10 digits with a modulus-11 check).")

    @validates("upn")
    def _valid_upn(self, value: str | None, **_: Any) -> None:
        if value is not None and not upn.is_valid(value):
            raise ValidationError("Not a valid UPN (check letter, LA code and 12 characters).")

    @validates_schema
    def _not_related_to_itself(self, data: dict, **_: Any) -> None:
        for relationship in data.get("relationships") or []:
            if relationship["source_ref"] == data.get("source_ref"):
                raise ValidationError("A record cannot be related to itself.", "relationships")

    @validates_schema
    def _identifiable(self, data: dict, **_: Any) -> None:
        if not (data.get("family_name") or data.get("nhs_number") or data.get("upn")):
            raise ValidationError(
                "A person needs a family name, an NHS number or a UPN.", "family_name"
            )

    @post_load
    def _compact_identifiers(self, data: dict, **_: Any) -> dict:
        if data.get("nhs_number"):
            data["nhs_number"] = nhs.compact(data["nhs_number"])
        if data.get("upn"):
            data["upn"] = upn.compact(data["upn"])
        return data


class ConcernDetailsSchema(Schema):
    ref = _text(120, required=True)
    occurred_at = fields.AwareDateTime(required=True)
    reported_at = fields.AwareDateTime(allow_none=True)
    category = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,59}$", error="Use a snake_case category."),
    )
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    sensitivity = fields.String(load_default="standard", validate=validate.OneOf(SENSITIVITIES))
    summary = _text(4000, required=True)
    action_taken = _text(4000, allow_none=True)
    # Who recorded it, by role ("health visitor", "PC", "designated safeguarding lead"): the
    # chronology says who knew; never a name.
    recorded_by = _text(120, allow_none=True)
    # An agency amends a concern by sending it again with a higher revision, and withdraws it
    # (sent in error) with `withdrawn`; the highest revision is the current version.
    revision = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    withdrawn = fields.Boolean(load_default=False)

    @validates("occurred_at")
    def _not_in_the_future(self, value: dt.datetime, **_: Any) -> None:
        if value > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            raise ValidationError("Cannot have occurred in the future.")

    @validates_schema
    def _reported_not_before_occurred(self, data: dict, **_: Any) -> None:
        occurred, reported = data.get("occurred_at"), data.get("reported_at")
        if occurred and reported and reported < occurred:
            raise ValidationError("Cannot be reported before it occurred.", "reported_at")

    @post_load
    def _default_reported(self, data: dict, **_: Any) -> dict:
        if not data.get("reported_at"):
            data["reported_at"] = data["occurred_at"]
        return data


class ConcernSubmissionSchema(Schema):
    """What an agency sends: a concern about a person, in the agency's own terms."""

    agency = fields.String(required=True, validate=validate.OneOf(list(AGENCIES)))
    person = fields.Nested(PersonDetailsSchema, required=True)
    concern = fields.Nested(ConcernDetailsSchema, required=True)


class ConcernEventSchema(ConcernSubmissionSchema):
    """The canonical event on the bus: a submission plus its version and idempotency key."""

    schema_version = fields.Integer(
        required=True, validate=validate.Equal(SCHEMA_VERSION, error="Unsupported version.")
    )
    event_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


_EVENT_SCHEMA = ConcernEventSchema()


class LinkedEventSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    schema_version = fields.Integer(required=True)
    event_id = fields.String(required=True)
    person_id = fields.Integer(required=True)
    source_record_id = fields.Integer(required=True)
    method = fields.String(required=True)


def to_event(submission: dict) -> dict:
    """Wrap a loaded submission as a canonical event (JSON-ready)."""
    agency = submission["agency"]
    concern = submission["concern"]
    event = {
        "schema_version": SCHEMA_VERSION,
        "event_id": event_id_for(
            agency, concern["ref"], concern.get("revision", 1), concern.get("withdrawn", False)
        ),
        **submission,
    }
    return _EVENT_SCHEMA.dump(event)
