"""Kinds of field: each turns a non-blank cell into a value or raises `FieldError`.

`COMMON_FIELDS` are the fields every profile can map to; `REQUIRED_VALUES` must have a value
in every row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from stdnum.gb import nhs

from connectors.profiles.text import norm_code, show
from hub.schemas import UK_POSTCODE

if TYPE_CHECKING:
    from connectors.profiles.profile import Profile


EARLIEST_EVENT = dt.date(1900, 1, 1)


class FieldError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class Kind:
    def parse(self, value: str, profile: Profile) -> Any:
        raise NotImplementedError


class Text(Kind):
    def parse(self, value: str, profile: Profile) -> str:
        return value


_DATE_TOKENS = {
    "%d": (r"\d{1,2}", "DD"),
    "%m": (r"\d{1,2}", "MM"),
    "%Y": (r"\d{4}", "YYYY"),
    "%b": (r"[A-Za-z]{3}", "Mon"),
    "%H": (r"\d{1,2}", "hh"),
    "%M": (r"\d{2}", "mm"),
    "%S": (r"\d{2}", "ss"),
}


@functools.cache
def date_shape(fmt: str) -> tuple[re.Pattern[str], str]:
    """A strptime format as a regular expression of its shape, and as people write it."""
    pattern, human = "", ""
    for part in re.split(r"(%[a-zA-Z])", fmt):
        if part in _DATE_TOKENS:
            pattern += _DATE_TOKENS[part][0]
            human += _DATE_TOKENS[part][1]
        elif part.startswith("%"):
            raise ValueError(f"Unsupported date directive {part} in {fmt!r}.")
        else:
            pattern += re.escape(part)
            human += part
    return re.compile(pattern + r"\Z"), human


def _strptime(value: str, formats: tuple[str, ...], what: str) -> dt.datetime:
    """Read a date in one of the formats; say whether it is no real date or no known format."""
    for fmt in formats:
        pattern, human = date_shape(fmt)
        if not pattern.match(value):
            continue
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            raise FieldError(
                "invalid_date", f"{show(value)} is not a real {what} (read as {human})."
            ) from None
    expected = " or ".join(date_shape(fmt)[1] for fmt in formats)
    raise FieldError(
        "invalid_date", f"{show(value)} is not a {what} in a known format ({expected})."
    )


class Date(Kind):
    def parse(self, value: str, profile: Profile) -> dt.date:
        return _strptime(value, profile.date_formats, "date").date()


_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?\Z"
)


class Moment(Kind):
    """A date and time: the profile's formats (UK local time), a bare date (midnight local
    time), or ISO 8601 with or without an offset."""

    def parse(self, value: str, profile: Profile) -> dt.datetime:
        if _ISO_MOMENT.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                raise FieldError(
                    "invalid_date", f"{show(value)} is not a real date and time."
                ) from None
        else:
            moment = _strptime(
                value, profile.datetime_formats + profile.date_formats, "date and time"
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(profile.timezone))
        if moment.date() < EARLIEST_EVENT:
            raise FieldError(
                "invalid_date", f"{show(value)} is not plausible (before {EARLIEST_EVENT})."
            )
        return moment


class NhsNumber(Kind):
    def parse(self, value: str, profile: Profile) -> str:
        compact = re.sub(r"[\s\-]", "", value)
        if not (len(compact) == 10 and compact.isdigit() and nhs.is_valid(compact)):
            raise FieldError(
                "invalid_nhs_number",
                f"{show(value)} is not a valid NHS number (10 digits with a modulus-11 check).",
            )
        return compact


class Postcode(Kind):
    _pattern = re.compile(UK_POSTCODE)

    def parse(self, value: str, profile: Profile) -> str:
        if not self._pattern.match(value):
            raise FieldError("invalid_postcode", f"{show(value)} is not a UK postcode.")
        compact = value.replace(" ", "").upper()
        return f"{compact[:-3]} {compact[-3:]}"


class Amount(Kind):
    """Money in pounds: 1234.50, 1,234.50 or £1,234.50; not negative, at most pence."""

    _pattern = re.compile(r"£?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?\Z")

    def parse(self, value: str, profile: Profile) -> Decimal:
        if not self._pattern.match(value):
            raise FieldError(
                "invalid_amount",
                f"{show(value)} is not an amount in pounds (e.g. 1234.50 or £1,234.50).",
            )
        return Decimal(value.lstrip("£").replace(",", ""))


class Number(Kind):
    """A count or measure, not negative; `whole` for integers (a revision, a level)."""

    def __init__(self, whole: bool = False, minimum: int = 0, maximum: int = 100_000) -> None:
        self.whole, self.minimum, self.maximum = whole, minimum, maximum
        self._pattern = re.compile(r"\d{1,9}\Z" if whole else r"\d{1,9}(\.\d{1,3})?\Z")

    def parse(self, value: str, profile: Profile) -> Decimal | int:
        what = "a whole number" if self.whole else "a number"
        if not self._pattern.match(value):
            raise FieldError("invalid_number", f"{show(value)} is not {what}.")
        number = int(value) if self.whole else Decimal(value)
        if not self.minimum <= number <= self.maximum:
            raise FieldError(
                "invalid_number",
                f"{show(value)} is out of range ({self.minimum} to {self.maximum}).",
            )
        return number


class Choice(Kind):
    """One of a fixed set of values; `values` maps each accepted spelling to what it means."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = dict(values)
        self._lookup = {norm_code(key): meaning for key, meaning in self.values.items()}

    @classmethod
    def of(cls, spellings: Mapping[Any, str]) -> Choice:
        """From meaning -> its accepted spellings separated by "|"."""
        return cls(
            {word: meaning for meaning, words in spellings.items() for word in words.split("|")}
        )

    def parse(self, value: str, profile: Profile) -> Any:
        key = norm_code(value)
        if key not in self._lookup:
            allowed = ", ".join(self.values)
            raise FieldError("invalid_value", f"{show(value)} is not one of: {allowed}.")
        return self._lookup[key]


TEXT = Text()
DATE = Date()
MOMENT = Moment()
YES_NO = Choice.of({True: "yes|y|true", False: "no|n|false"})
SEX = Choice.of(
    {"female": "female|f", "male": "male|m", "unknown": "unknown|u|not known|not stated"}
)
RECORD_STATUS = Choice.of({"new": "new|original", "amended": "amended", "withdrawn": "withdrawn"})

# The fields every profile can map to, and how each is read. Agency-specific fields (arrears,
# RoSH level, ...) are declared with their kinds in the profile's `fields`.
COMMON_FIELDS: dict[str, Kind] = {
    "agency": TEXT,
    "person_ref": TEXT,
    "local_authority": TEXT,
    "given_name": TEXT,
    "middle_names": TEXT,
    "family_name": TEXT,
    "date_of_birth": DATE,
    "sex": SEX,
    "nhs_number": NhsNumber(),
    "address_line": TEXT,
    "postcode": Postcode(),
    "address_from": DATE,
    "concern_ref": TEXT,
    "event_type": TEXT,
    "occurred_at": MOMENT,
    "reported_at": MOMENT,
    "notes": TEXT,
    "action_taken": TEXT,
    "recorded_by": TEXT,  # who recorded it, as a role ("Housing officer"): never a name
    "record_status": RECORD_STATUS,
    "revision": Number(whole=True, minimum=1, maximum=10_000),
}
# Every row needs these; a profile must map them.
REQUIRED_VALUES = ("person_ref", "concern_ref", "event_type", "occurred_at")
