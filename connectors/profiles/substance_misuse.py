"""The drug and alcohol treatment service's profile (columns: `substance_misuse_profile()`)."""

from __future__ import annotations

from connectors.profiles.fields import TEXT, YES_NO
from connectors.profiles.profile import EventType, Profile
from connectors.profiles.rules import Fact, Flag
from connectors.profiles.shared_columns import RECORD_COLUMNS


def substance_misuse_profile() -> Profile:
    """Drug and alcohol treatment service: adults in treatment, role carer; health_confidential.

    Columns (required marked *):
      client_id*           the service's client id
      event_ref*           the event's id
      nhs_number           if held
      first_name, middle_names, last_name*, dob* (DD/MM/YYYY, DD-Mon-YYYY or YYYY-MM-DD), sex,
      la_code, address, postcode
      children_in_household*  yes/no: children live with the client → severity one level higher
      event_type*          treatment_start, positive_test, relapse, dropped_out (of treatment)
      event_date*          a date (formats as dob) or DD/MM/YYYY hh:mm, UK local time
      recorded_date        when it was recorded
      substance            e.g. alcohol, opiates, crack cocaine (said in the summary)
      notes, action, recorded_by_role, record_status, revision, agency   as for housing
    """
    return Profile(
        agency="substance_misuse",
        columns={
            "client_id": "person_ref",
            "event_ref": "concern_ref",
            "nhs_number": "nhs_number",
            "first_name": "given_name",
            "middle_names": "middle_names",
            "last_name": "family_name",
            "dob": "date_of_birth",
            "sex": "sex",
            "address": "address_line",
            "postcode": "postcode",
            "la_code": "local_authority",
            "children_in_household": "children_in_household",
            "event_type": "event_type",
            "event_date": "occurred_at",
            "recorded_date": "reported_at",
            "substance": "substance",
            **RECORD_COLUMNS,
        },
        required=(
            "client_id",
            "event_ref",
            "last_name",
            "dob",
            "children_in_household",
            "event_type",
            "event_date",
        ),
        fields={"children_in_household": YES_NO, "substance": TEXT},
        date_formats=("%d/%m/%Y", "%d-%b-%Y", "%Y-%m-%d"),
        events={
            "treatment_start": EventType(
                "substance_misuse_treatment_start",
                "low",
                "health_confidential",
                role="carer",
                label="Started drug or alcohol treatment",
            ),
            "positive_test": EventType(
                "positive_substance_test",
                "medium",
                "health_confidential",
                role="carer",
                label="Positive drug or alcohol test",
            ),
            "relapse": EventType(
                "substance_misuse_relapse",
                "medium",
                "health_confidential",
                role="carer",
                label="Relapse",
            ),
            "dropped_out": EventType(
                "dropped_out_of_treatment",
                "medium",
                "health_confidential",
                role="carer",
                label="Dropped out of treatment",
            ),
        },
        rules=(Flag("children_in_household", steps=1),),
        facts=(
            Fact("substance", "substance: {value}"),
            Fact("children_in_household", "children in the household: {value}"),
        ),
    )


SUBSTANCE_MISUSE = substance_misuse_profile()
