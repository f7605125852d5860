"""The housing management system's profile (columns: `housing_profile()`)."""

from __future__ import annotations

from decimal import Decimal

from connectors.profiles.fields import TEXT, Amount, Choice, Number
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.rules import Bands, Fact, Relationship, RoleFrom
from connectors.profiles.shared_columns import PERSON_COLUMNS, RECORD_COLUMNS


def housing_profile() -> Profile:
    """Housing management system: tenancy events, one row per person the event concerns.

    An event about a tenancy lists the tenant and, on further rows with the same `case_ref`,
    the household members; each row becomes its own concern, ref `"{case_ref}:{person_ref}"`.

    Columns (required marked *):
      case_ref*            the housing case / event id (e.g. HC-000123)
      person_ref*          the housing system's id of this person
      tenancy_ref          tenancy agreement id (said in the summary)
      forename*, middle_names, surname*, date_of_birth* (DD/MM/YYYY or YYYY-MM-DD),
      gender (F/M/U, female/male/unknown), nhs_number (if held), la_code (ONS code),
      address, postcode*   the tenancy address
      tenancy_start        the date the person's tenancy (address) began
      relationship_to_tenant  tenant (default when blank), joint tenant, partner, child, lodger:
                           role carer (tenant, joint tenant), partner, child, visitor (lodger)
      household_member_of the tenant's person_ref, on a household member's row; needs
                           relationship_to_tenant child (→ tenant is this person's "parent")
                           or partner (→ "partner")
      event_type*          eviction_notice, possession_order, rent_arrears (needs
                           arrears_amount), temporary_accommodation, asb_complaint,
                           domestic_abuse_disclosure (to a housing officer; restricted)
      event_date*          date, or date and time (DD/MM/YYYY hh:mm), UK local time
      recorded_date        when it was recorded
      arrears_amount       £, e.g. 1234.50 or £1,234.50: severity medium from £500, high from
                           £2,000 (rent arrears)
      arrears_weeks        weeks of rent owed: severity medium from 4, high from 8 (the mandatory
                           possession ground)
      notes, action        free text: summary and action taken
      recorded_by_role     who recorded it, as a role ("Housing officer"), never a name →
                           recorded_by; over 120 characters is cut, as notes and action are
      record_status        new (default), amended (needs revision ≥ 2), withdrawn
      revision             1, 2, ... (amendments)
      agency               optional; if present must say housing
    """
    arrears = (
        Bands("arrears_amount", ((Decimal(500), "medium"), (Decimal(2000), "high"))),
        Bands("arrears_weeks", ((Decimal(4), "medium"), (Decimal(8), "high"))),
    )
    return Profile(
        agency="housing",
        columns={
            "case_ref": "concern_ref",
            "person_ref": "person_ref",
            "tenancy_ref": "tenancy_ref",
            **PERSON_COLUMNS,
            "nhs_number": "nhs_number",
            "tenancy_start": "address_from",
            "relationship_to_tenant": "relationship_to_tenant",
            "household_member_of": "household_member_of",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            "arrears_amount": "arrears_amount",
            "arrears_weeks": "arrears_weeks",
            **RECORD_COLUMNS,
        },
        required=(
            "case_ref",
            "person_ref",
            "forename",
            "surname",
            "date_of_birth",
            "postcode",
            "event_type",
            "event_date",
        ),
        fields={
            "tenancy_ref": TEXT,
            "relationship_to_tenant": Choice.of(
                {
                    "tenant": "tenant|lead tenant",
                    "joint_tenant": "joint tenant",
                    "partner": "partner|spouse",
                    "child": "child|son|daughter",
                    "lodger": "lodger",
                }
            ),
            "household_member_of": TEXT,
            "arrears_amount": Amount(),
            "arrears_weeks": Number(),
        },
        events={
            "eviction_notice": EventType(
                "eviction_notice", "medium", role="carer", label="Eviction notice served"
            ),
            "possession_order": EventType(
                "possession_order", "high", role="carer", label="Possession order granted"
            ),
            "rent_arrears": EventType(
                "rent_arrears",
                "low",
                role="carer",
                label="Rent arrears",
                rules=arrears,
                needs=("arrears_amount",),
            ),
            "temporary_accommodation": EventType(
                "temporary_accommodation_placement",
                "medium",
                role="carer",
                label="Placed in temporary accommodation",
            ),
            "asb_complaint": EventType(
                "anti_social_behaviour_complaint",
                "low",
                role="carer",
                label="Anti-social behaviour complaint",
            ),
            "domestic_abuse_disclosure": EventType(
                "domestic_abuse",
                "high",
                "restricted",
                role="carer",
                label="Domestic abuse disclosed to a housing officer",
            ),
        },
        role=RoleFrom(
            "relationship_to_tenant",
            {
                "tenant": "carer",
                "joint_tenant": "carer",
                "partner": "partner",
                "child": "child",
                "lodger": "visitor",
            },
        ),
        relationship=Relationship(
            "household_member_of",
            "relationship_to_tenant",
            {"child": "parent", "partner": "partner"},
        ),
        facts=(
            Fact("arrears_amount", "arrears £{value:,.2f}"),
            Fact("arrears_weeks", "{value} weeks owed"),
            Fact("tenancy_ref", "tenancy {value}"),
        ),
        ref_per_person=True,
    )


HOUSING = housing_profile()
