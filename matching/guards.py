"""Pairs that must never be linked automatically, whatever their score.

Merging two children is a safeguarding and data-protection incident, so some evidence is
decisive against a link: two different valid NHS numbers or UPNs; what looks like twins (same
date of birth and surname, different given names); dates of birth that are not a plausible
recording error of each other (father and son with the same name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from matching.comparisons import (
    ADDRESS,
    DOB,
    FAMILY,
    GIVEN,
    NHS,
    NULL,
    OTHER_ID,
    UPN,
    sexes_may_agree,
)
from matching.names import is_spelling_variant
from matching.record import Record

# Jaro-Winkler levels: a typo, or two real names such as Jayden and Jaden.
_CLOSE_GIVEN = {4, 5}
_DIFFERENT_GIVEN = {7}
_LOOSE_GIVEN = 5
_SAME_FAMILY = {1, 2}
_DOB_ELSE = 6
# Conflicts that rest on given names alone.
NAME_CONFLICTS = frozenset({"possible_twins", "different_given_names"})
_NAME_AGREES = {1, 2, 3}  # exact, nickname or transliteration, middle name or swapped


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
        and (not shared_identifier or (_generations_apart(a, b) and not _same_given_name(a, b)))
    ):
        return "different_dates_of_birth"
    if _child_recorded_as_adult(a, b) or _child_recorded_as_adult(b, a):
        # Jordan Dawson the carer, no date of birth, is not Jordan Dawson born 2022: he is
        # the boy's father.
        return "child_and_adult_roles"
    if shared_identifier:
        return None  # an identifier agrees: that is agreement on the person
    given = GIVEN.level_of(a, b)
    if given in _DIFFERENT_GIVEN and dob != 1:
        # Two different names need an exact date of birth (or an identifier) to be one person:
        # otherwise they are brothers and sisters at one address.
        return "different_given_names"
    if given == _LOOSE_GIVEN and dob not in _DOB_AGREES and not _one_name_two_spellings(a, b):
        # Lisa and Isla, Shazia and Shabana: near enough for a typo only if the date agrees.
        return "different_given_names"
    if not (given in _GIVEN_AGREES or dob in _DOB_AGREES):
        # Surname and address are shared by a whole household; the same *person* needs their
        # given name, date of birth or an identifier to agree as well.
        return "only_household_evidence"
    if dob == NULL and ADDRESS.level_of(a, b) not in _NEAR:
        # A name and nothing else: with no date of birth to tell them apart, a father and
        # son of one name (or two strangers) would be joined.
        return "only_name_evidence"
    if dob == 1 and FAMILY.level_of(a, b) in _SAME_FAMILY and not _share_a_middle_name(a, b):
        both_real = is_real_name is not None and is_real_name(a.given) and is_real_name(b.given)
        if given in _DIFFERENT_GIVEN or (
            given in _CLOSE_GIVEN and both_real and not _one_name_two_spellings(a, b)
        ):
            return "possible_twins"
    return None


ADULT_ROLES = frozenset({"carer", "partner"})
YOUNGEST_ADULT_ROLE = 16  # years: younger than this, a carer or partner is rare enough to doubt


def _child_recorded_as_adult(a: Record, b: Record) -> bool:
    """`a` is recorded as a carer or partner, yet `b`'s date of birth makes them a child."""
    if (a.role or "").lower() not in ADULT_ROLES or b.dob.year is None:
        return False
    return b.dob.year > dt.date.today().year - YOUNGEST_ADULT_ROLE


def first_conflict(
    left: Sequence[Record],
    right: Sequence[Record],
    is_real_name: Callable[[str], bool] | None = None,
) -> str | None:
    """The first conflict between two persons' records. A conflict of given names between two
    records is overlooked when the persons share a name elsewhere: {Muhammad Adam, Muhammad}
    and {Adam} are one boy, though "Muhammad" and "Adam" alone look like brothers."""
    names_shared: bool | None = None
    for a in left:
        for b in right:
            reason = conflict(a, b, is_real_name)
            if reason in NAME_CONFLICTS:
                if names_shared is None:
                    names_shared = any(
                        GIVEN.level_of(x, y) in _NAME_AGREES for x in left for y in right
                    )
                if names_shared:
                    continue
            if reason:
                return reason
    return None


def _same_given_name(a: Record, b: Record) -> bool:
    """A mother and the baby recorded under her number differ in given name; one person's
    records with a mistyped date (or a changed surname) do not."""
    return GIVEN.level_of(a, b) in {1, 2, 3, 4}


def _one_name_two_spellings(a: Record, b: Record) -> bool:
    return is_spelling_variant(a.given, b.given) and sexes_may_agree(a, b)  # type: ignore[arg-type]


def _generations_apart(a: Record, b: Record) -> bool:
    return abs(a.dob.year - b.dob.year) >= 12  # type: ignore[operator]


def _dates_far_apart(a: Record, b: Record) -> bool:
    """Full dates with no recording-error relation; or years (when only a year is known) two
    or more apart."""
    if a.dob.is_full and b.dob.is_full:
        return True
    return abs(a.dob.year - b.dob.year) >= 2  # type: ignore[operator]


_NEAR = {1, 2, 3}  # same address, same postcode, same postcode sector
_GIVEN_AGREES = {1, 2, 3, 4, 5, 6}
_DOB_AGREES = {1, 2, 3, 4}


def _share_a_middle_name(a: Record, b: Record) -> bool:
    """Twins rarely share a middle name; one person under two forms of a first name (Funmi,
    Olufunmilayo) keeps theirs."""
    return bool({m for m in a.middle if len(m) > 1} & set(b.middle))
