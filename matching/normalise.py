"""Turn what agencies type into comparable values: names, dates, identifiers, postcodes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from stdnum.gb import nhs, upn

# Agencies repeat the same names, dates, postcodes and numbers many times over; every function
# here is pure, so a bounded cache turns most calls into a lookup.
_CACHE = 1 << 18
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9 ]+")
_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "master", "jr", "jnr", "junior", "snr", "sr"}
_ADDRESS_WORDS = {
    "road": "rd",
    "street": "st",
    "lane": "ln",
    "avenue": "ave",
    "drive": "dr",
    "close": "cl",
    "court": "ct",
    "crescent": "cres",
    "gardens": "gdns",
    "terrace": "ter",
    "place": "pl",
    "square": "sq",
    "grove": "gr",
    "gro": "gr",
    "terr": "ter",
    "cresc": "cres",
    "crt": "ct",
    "av": "ave",
    "gdn": "gdns",
    "gardn": "gdns",
    "house": "ho",
    "apartment": "flat",
    "apt": "flat",
}


@lru_cache(maxsize=_CACHE)
def name_key(name: str | None) -> str | None:
    """Lower-case ASCII letters and single spaces: 'Zoë  O'Brien-Smith' -> 'zoe obrien smith'."""
    if not name:
        return None
    ascii_name = anyascii(name).lower().replace("'", "").replace("-", " ")
    key = _SPACES.sub(" ", _NOT_LETTER.sub(" ", ascii_name)).strip()
    return key or None


@lru_cache(maxsize=_CACHE)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """Name words without titles or suffixes ('Jr'), in order."""
    key = name_key(name)
    if not key:
        return ()
    return tuple(word for word in key.split() if word not in _TITLES)


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth as recorded: a full date, a year only, or nothing usable."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    digits: str = ""  # YYYYMMDD when the date is full

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def as_date(self) -> dt.date | None:
        if not self.is_full:
            return None
        return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]


_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def full_date(year: int, month: int, day: int) -> BirthDate:
    try:
        dt.date(year, month, day)
    except ValueError:
        return BirthDate()
    return BirthDate(year, month, day, f"{year:04d}{month:02d}{day:02d}")


@lru_cache(maxsize=_CACHE)
def birth_date(raw: str | dt.date | None) -> BirthDate:
    """Parse YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or YYYY; anything else counts as missing."""
    if isinstance(raw, dt.date):
        return full_date(raw.year, raw.month, raw.day)
    text = (raw or "").strip()
    if len(text) == 4 and text.isdigit():
        year = int(text)
        return BirthDate(year) if 1880 <= year <= 2100 else BirthDate()
    if match := _ISO_DATE.fullmatch(text):
        return full_date(*map(int, match.groups()))
    if match := _UK_DATE.fullmatch(text):
        day, month, year = map(int, match.groups())
        return full_date(year, month, day)
    return BirthDate()


@lru_cache(maxsize=_CACHE)
def nhs_number(raw: str | None) -> tuple[str | None, bool]:
    """The digits of an NHS number and whether its modulus-11 check holds."""
    digits = re.sub(r"\D", "", raw or "")
    if not digits:
        return None, False
    return digits, len(digits) == 10 and nhs.is_valid(digits)


@lru_cache(maxsize=_CACHE)
def pupil_number(raw: str | None) -> tuple[str | None, bool]:
    compact = re.sub(r"[\s-]", "", raw or "").upper()
    if not compact:
        return None, False
    return compact, upn.is_valid(compact)


def identifier(raw: str | None) -> str | None:
    compact = re.sub(r"[\s-]", "", raw or "").upper()
    return compact or None


@dataclass(frozen=True)
class Postcode:
    full: str | None = None
    sector: str | None = None
    district: str | None = None


@lru_cache(maxsize=_CACHE)
def postcode(raw: str | None) -> Postcode:
    """UK postcodes split into full / sector / district; other codes are kept whole."""
    compact = re.sub(r"\s+", "", (raw or "").upper())
    if not compact:
        return Postcode()
    match = _POSTCODE.match(compact)
    if not match:
        return Postcode(full=compact)
    area, district, sector, unit = match.groups()
    return Postcode(
        full=f"{area}{district} {sector}{unit}",
        sector=f"{area}{district} {sector}",
        district=f"{area}{district}",
    )


@lru_cache(maxsize=_CACHE)
def address_key(raw: str | None) -> str | None:
    """Lower-case words with common street words abbreviated: '12, Mill Lane' -> '12 mill ln'."""
    if not raw:
        return None
    text = _NOT_ALNUM.sub(" ", anyascii(raw).lower())
    words = [_ADDRESS_WORDS.get(word, word) for word in text.split()]
    return " ".join(words) or None
