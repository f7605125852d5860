"""Pairs that must never be linked automatically, whatever their score.

Merging two children is a safeguarding and data-protection incident, so some evidence is
decisive against a link: two different valid NHS numbers or UPNs; what looks like twins (same
date of birth and surname, different given names); dates of birth that are not a plausible
recording error of each other (father and son with the same name).
"""

from __future__ import annotations

from collections.abc import Callable

from matching.comparisons import DOB, FAMILY, GIVEN, NHS, OTHER_ID, UPN
from matching.record import Record

# Jaro-Winkler levels: a typo, or two real names such as Jayden and Jaden.
_CLOSE_GIVEN = {4, 5}
_DIFFERENT_GIVEN = {7}
_SAME_FAMILY = {1, 2}
_DOB_ELSE = 6


def _shares_identifier(a: Record, b: Record) -> bool:
    return any(comparison.level_of(a, b) == 1 for comparison in (NHS, UPN, OTHER_ID))


def conflict(a: Record, b: Record, is_real_name: Callable[[str], bool] | None = None) -> str | None:
    """Why these two records cannot be the same person automatically, or None.

    `is_real_name` tells a given name in use (seen often, or a known name) from a one-off
    spelling: two close names that are both real (Jayden, Jaden) on records with the same date
    of birth and surname look like twins; a close one-off spelling looks like a typo."""
    if a.nhs_valid and b.nhs_valid and a.nhs != b.nhs:
        return "different_nhs_numbers"
    if a.upn_valid and b.upn_valid and a.upn != b.upn:
        return "different_upns"
    dob = DOB.level_of(a, b)
    shared_identifier = _shares_identifier(a, b)
    # With a shared identifier only a generation apart counts: a baby registered under the
    # mother's NHS number is a known recording error; a mistyped date is not a conflict.
    if (
        dob == _DOB_ELSE
        and _dates_far_apart(a, b)
        and (not shared_identifier or _generations_apart(a, b))
    ):
        return "different_dates_of_birth"
    if shared_identifier:
        return None  # an identifier agrees: that is agreement on the person
    given = GIVEN.level_of(a, b)
    if given in _DIFFERENT_GIVEN and dob != 1:
        # Two different names need an exact date of birth (or an identifier) to be one person:
        # otherwise they are brothers and sisters at one address.
        return "different_given_names"
    if not (given in _GIVEN_AGREES or dob in _DOB_AGREES):
        # Surname and address are shared by a whole household; the same *person* needs their
        # given name, date of birth or an identifier to agree as well.
        return "only_household_evidence"
    if dob == 1 and FAMILY.level_of(a, b) in _SAME_FAMILY and not _share_a_middle_name(a, b):
        both_real = is_real_name is not None and is_real_name(a.given) and is_real_name(b.given)
        if given in _DIFFERENT_GIVEN or (given in _CLOSE_GIVEN and both_real):
            return "possible_twins"
    return None


def _generations_apart(a: Record, b: Record) -> bool:
    return abs(a.dob.year - b.dob.year) >= 12  # type: ignore[operator]


def _dates_far_apart(a: Record, b: Record) -> bool:
    """Full dates with no recording-error relation; or years (when only a year is known) two
    or more apart."""
    if a.dob.is_full and b.dob.is_full:
        return True
    return abs(a.dob.year - b.dob.year) >= 2  # type: ignore[operator]


_GIVEN_AGREES = {1, 2, 3, 4, 5, 6}
_DOB_AGREES = {1, 2, 3, 4}


def _share_a_middle_name(a: Record, b: Record) -> bool:
    """Twins rarely share a middle name; one person under two forms of a first name (Funmi,
    Olufunmilayo) keeps theirs."""
    return bool({m for m in a.middle if len(m) > 1} & set(b.middle))
