import pytest
from marshmallow import ValidationError

from hub.schemas import ConcernEventSchema, ConcernSubmissionSchema, event_id_for, to_event
from tests.factories import DELETE, submission

LOAD = ConcernSubmissionSchema().load


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        LOAD(data)
    return caught.value.normalized_messages()


def test_a_valid_submission_becomes_a_versioned_event_with_a_stable_id():
    event = to_event(LOAD(submission(concern__ref="X-1")))
    assert event["schema_version"] == 1
    assert event["event_id"] == event_id_for("police", "X-1")
    assert ConcernEventSchema().load(event)["event_id"] == event["event_id"]


def test_the_same_reference_from_another_agency_is_another_event():
    assert event_id_for("police", "X-1") != event_id_for("school", "X-1")


def test_identifiers_and_postcodes_are_normalised():
    loaded = LOAD(
        submission(
            person__nhs_number="943 476 5919",
            person__upn="h801200001001",
            person__addresses=[{"postcode": "b129qt"}],
        )
    )
    assert loaded["person"]["nhs_number"] == "9434765919"
    assert loaded["person"]["upn"] == "H801200001001"
    assert loaded["person"]["addresses"][0]["postcode"] == "B12 9QT"


def test_reported_at_defaults_to_occurred_at():
    loaded = LOAD(submission())
    assert loaded["concern"]["reported_at"] == loaded["concern"]["occurred_at"]


@pytest.mark.parametrize(
    ("overrides", "path", "fragment"),
    [
        ({"agency": "martians"}, ("agency",), "Must be one of"),
        ({"person__nhs_number": "9434765918"}, ("person", "nhs_number"), "modulus-11"),
        ({"person__upn": "A801200001001"}, ("person", "upn"), "UPN"),
        ({"person__date_of_birth": "2019-02-30"}, ("person", "date_of_birth"), "date"),
        ({"person__source_ref": DELETE}, ("person", "source_ref"), "Missing"),
        ({"person__addresses": [{"postcode": "NOT A CODE"}]}, ("person", "addresses"), "postcode"),
        ({"concern__occurred_at": "2026-03-01T21:15:00"}, ("concern", "occurred_at"), "aware"),
        ({"concern__severity": "apocalyptic"}, ("concern", "severity"), "Must be one of"),
        ({"concern__summary": ""}, ("concern", "summary"), "Shorter|Length|length"),
        ({"concern__category": "Robbery!"}, ("concern", "category"), "snake_case"),
        (
            {"concern__reported_at": "2026-02-01T00:00:00+00:00"},
            ("concern", "reported_at"),
            "before it occurred",
        ),
        ({"surprise": 1}, ("surprise",), "Unknown field"),
    ],
)
def test_each_bad_field_gets_its_own_reason(overrides, path, fragment):
    import re

    errors = errors_of(submission(**overrides))
    node = errors
    for part in path:
        node = node[part]
    assert re.search(fragment, str(node)), node


def test_a_person_needs_a_name_or_an_identifier():
    errors = errors_of(submission(person__family_name=DELETE))
    assert "family name, an NHS number or a UPN" in str(errors["person"])


def test_an_identifier_alone_is_enough():
    LOAD(submission(person__family_name=DELETE, person__nhs_number="9434765919"))
