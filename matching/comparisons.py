"""Field comparisons as ordered levels. Level 0 is always "null" (a side is missing: no
evidence either way); the first level whose test holds is the pair's level for that field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from matching.names import are_equivalent, is_diminutive
from matching.normalise import BirthDate
from matching.record import Record

NULL = 0


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]
    level_of: Callable[[Record, Record], int]
    tf_field: str | None = None  # the record attribute whose frequency adjusts the exact level
    exact_level: int = 1

    def label(self, level: int) -> str:
        return self.levels[level]


def _given_level(a: Record, b: Record) -> int:
    x, y = a.given, b.given
    if not x or not y:
        return NULL
    if x == y:
        return 1
    if are_equivalent(x, y) or a.given_compact == b.given_compact:
        return 2
    if are_equivalent(a.given_compact, b.given_compact):  # type: ignore[arg-type]
        return 2
    if is_diminutive(x, y) and sexes_may_agree(a, b):
        return 2
    if _uses_a_middle_name(a, b) or _uses_a_middle_name(b, a):
        return 3
    if names_swapped(a, b):
        return 3
    if len(x) == 1 or len(y) == 1:
        return 6 if x[0] == y[0] else 7
    similarity = JaroWinkler.similarity(x, y)
    if similarity >= 0.92:
        return 4
    if similarity >= 0.80:
        return 5
    return 7


def _same_name_word(given: str, family: str, family_tokens: tuple[str, ...]) -> bool:
    if given in family_tokens or given == family.replace(" ", ""):
        return True
    return are_equivalent(given, family) or JaroWinkler.similarity(given, family) >= 0.9


def names_swapped(a: Record, b: Record) -> bool:
    """Given and family name recorded the wrong way round, allowing a typo or another form
    of the name on either side ('Dani Pop' and 'Pop Daniela', 'Tian-yi Ho' and 'Ho Tianyi')."""
    if not (a.given and b.given and a.family and b.family):
        return False
    return _same_name_word(a.given_compact, b.family, b.family_tokens) and _same_name_word(
        b.given_compact, a.family, a.family_tokens
    )


def _uses_a_middle_name(a: Record, b: Record) -> bool:
    """`a` goes by one of `b`'s middle names, and `a`'s other names are `b`'s too: 'Florence'
    or 'Florence Caitlin' is Caitlin Florence; 'Florence Grace' is someone else (her twin)."""
    if a.given not in b.middle:
        return False
    names = {b.given, *b.middle}
    initials = {n[0] for n in names if n}
    return all(m in names or (len(m) == 1 and m in initials) for m in a.middle)


GIVEN = Comparison(
    "given_name",
    (
        "null",
        "exact",
        "nickname_or_transliteration",
        "middle_name_or_swapped",
        "jaro_winkler_0.92",
        "jaro_winkler_0.80",
        "initial",
        "else",
    ),
    _given_level,
    tf_field="given",
)


def _family_level(a: Record, b: Record) -> int:
    x, y = a.family, b.family
    if not x or not y:
        return NULL
    if x == y:
        return 1
    if set(a.family_tokens) & set(b.family_tokens):
        return 2
    if names_swapped(a, b):
        return 3
    if are_equivalent(x, y):
        return 4
    similarity = JaroWinkler.similarity(x, y)
    if similarity >= 0.92:
        return 4
    if similarity >= 0.80:
        return 5
    return 6


FAMILY = Comparison(
    "family_name",
    (
        "null",
        "exact",
        "shares_a_part",
        "swapped_with_given",
        "jaro_winkler_0.92",
        "jaro_winkler_0.80",
        "else",
    ),
    _family_level,
    tf_field="family",
)


def dob_level(x: BirthDate, y: BirthDate) -> int:
    if x.year is None or y.year is None:
        return NULL
    if not (x.is_full and y.is_full):
        return 5 if x.year == y.year else 6
    if x == y:
        return 1
    if (x.year, x.month, x.day) == (y.year, y.day, y.month):
        return 2
    if DamerauLevenshtein.distance(x.digits, y.digits) <= 1:
        return 3
    if abs((x.as_date() - y.as_date()).days) <= 1:  # type: ignore[operator]
        return 4
    return 6


DOB = Comparison(
    "date_of_birth",
    ("null", "exact", "day_month_swapped", "one_digit", "one_day", "same_year", "else"),
    lambda a, b: dob_level(a.dob, b.dob),
)


def sexes_may_agree(a: Record, b: Record) -> bool:
    return not (a.sex and b.sex and a.sex != b.sex)


def _sex_level(a: Record, b: Record) -> int:
    if not a.sex or not b.sex:
        return NULL
    return 1 if a.sex == b.sex else 2


SEX = Comparison("sex", ("null", "same", "different"), _sex_level)


def _identifier_level(x: str | None, y: str | None) -> int:
    if not x or not y:
        return NULL
    if x == y:
        return 1
    return 2 if DamerauLevenshtein.distance(x, y) <= 1 else 3


IDENTIFIER_LEVELS = ("null", "exact", "one_character", "different")
NHS = Comparison("nhs_number", IDENTIFIER_LEVELS, lambda a, b: _identifier_level(a.nhs, b.nhs))
UPN = Comparison("upn", IDENTIFIER_LEVELS, lambda a, b: _identifier_level(a.upn, b.upn))
OTHER_ID = Comparison(
    "other_id", IDENTIFIER_LEVELS, lambda a, b: _identifier_level(a.other_id, b.other_id)
)


def _line_similarity(a: Record, b: Record) -> float | None:
    """Token-set similarity of two address lines; 0 when their house numbers disagree (one
    line may lack a flat number: '12 Mill Lane' and 'Flat 2, 12 Mill Lane' agree)."""
    if not a.address or not b.address:
        return None
    if a.address == b.address:
        return 100.0
    x, y = a.house_numbers, b.house_numbers
    if x and y and not (x <= y or y <= x):
        return 0.0
    return token_set_ratio(a.address, b.address)


def _address_level(a: Record, b: Record) -> int:
    """Postcode and address line together: they say one thing (where the person lives), and
    counting them separately would double the weight of living at one address."""
    x, y = a.postcode, b.postcode
    if not (x.full or a.address) or not (y.full or b.address):
        return NULL
    same_postcode = bool(x.full) and x.full == y.full
    lines = _line_similarity(a, b)
    if same_postcode and lines is not None and lines >= 90:
        return 1
    if same_postcode or (lines is not None and lines >= 90 and not (x.full and y.full)):
        return 2
    if x.sector and x.sector == y.sector:
        return 3
    unparsed = not x.sector and not y.sector and x.full and y.full
    if unparsed and DamerauLevenshtein.distance(x.full, y.full) <= 1:  # type: ignore[arg-type]
        return 3
    if x.district and x.district == y.district:
        return 4
    return 5


ADDRESS = Comparison(
    "address",
    (
        "null",
        "same_address",
        "same_postcode",
        "postcode_sector_or_one_character",
        "district",
        "else",
    ),
    _address_level,
)

COMPARISONS: tuple[Comparison, ...] = (
    GIVEN,
    FAMILY,
    DOB,
    SEX,
    NHS,
    UPN,
    OTHER_ID,
    ADDRESS,
)


def compare(a: Record, b: Record) -> tuple[int, ...]:
    return tuple(comparison.level_of(a, b) for comparison in COMPARISONS)
