"""Columns most agencies share, under their usual names, for profiles to include."""

from __future__ import annotations

PERSON_COLUMNS = {
    "forename": "given_name",
    "middle_names": "middle_names",
    "surname": "family_name",
    "date_of_birth": "date_of_birth",
    "gender": "sex",
    "address": "address_line",
    "postcode": "postcode",
    "la_code": "local_authority",
}
RECORD_COLUMNS = {
    "notes": "notes",
    "action": "action_taken",
    "recorded_by_role": "recorded_by",
    "record_status": "record_status",
    "revision": "revision",
    "agency": "agency",
}
