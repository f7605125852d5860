"""Made-up places: local authorities, postcode districts, streets and addresses.

Local authorities are real (with their ONS codes, DfE numbers and postcode areas); streets,
house numbers and postcodes are invented, so no address belongs to anybody.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from hub.synthetic.backgrounds import BACKGROUNDS
from hub.synthetic.config import PopulationConfig
from hub.synthetic.weighted import Weighted


@dataclass(frozen=True)
class _LocalAuthority:
    code: str  # ONS code
    name: str
    dfe: str  # DfE LA number, the first three digits of a UPN issued there
    area: str  # postcode area letters
    districts: tuple[int, ...]
    weight: float  # population, millions
    mix: tuple[tuple[str, float], ...]  # background multipliers


LOCAL_AUTHORITIES = (
    _LocalAuthority(
        "E08000025",
        "Birmingham",
        "330",
        "B",
        tuple(range(1, 49)),
        1.14,
        (("pakistani", 3), ("bangladeshi", 1.5), ("arab", 1.5), ("romanian", 1.5), ("somali", 1.5)),
    ),
    _LocalAuthority(
        "E08000003",
        "Manchester",
        "352",
        "M",
        (*range(1, 24), 40),
        0.57,
        (("pakistani", 2), ("nigerian", 2), ("arab", 1.5), ("chinese", 2), ("somali", 1.5)),
    ),
    _LocalAuthority(
        "E08000035",
        "Leeds",
        "383",
        "LS",
        tuple(range(1, 30)),
        0.81,
        (("polish", 1.5), ("romanian", 1.5), ("nigerian", 1.2), ("czsk", 1.5)),
    ),
    _LocalAuthority(
        "E08000032",
        "Bradford",
        "380",
        "BD",
        tuple(range(1, 16)),
        0.55,
        (("pakistani", 5), ("bangladeshi", 1.5), ("czsk", 3), ("british", 0.8)),
    ),
    _LocalAuthority(
        "E09000030",
        "Tower Hamlets",
        "211",
        "E",
        (1, 2, 3, 14),
        0.31,
        (("bangladeshi", 14), ("british", 0.45), ("somali", 2), ("vietnamese", 2), ("chinese", 2)),
    ),
    _LocalAuthority(
        "E06000016",
        "Leicester",
        "856",
        "LE",
        (1, 2, 3, 4, 5),
        0.37,
        (("indian", 6), ("sikh", 3), ("somali", 2.5), ("polish", 1.5), ("british", 0.7)),
    ),
    _LocalAuthority(
        "E06000023",
        "Bristol",
        "801",
        "BS",
        tuple(range(1, 17)),
        0.47,
        (("somali", 4), ("polish", 1.3), ("british", 1.1)),
    ),
    _LocalAuthority(
        "E08000012",
        "Liverpool",
        "341",
        "L",
        tuple(range(1, 28)),
        0.49,
        (("british", 1.3), ("irish", 2), ("chinese", 2), ("arab", 1.5)),
    ),
    _LocalAuthority(
        "E06000032",
        "Luton",
        "821",
        "LU",
        (1, 2, 3, 4),
        0.22,
        (("pakistani", 4), ("bangladeshi", 3), ("romanian", 3), ("polish", 2), ("british", 0.6)),
    ),
    _LocalAuthority(
        "E08000019",
        "Sheffield",
        "373",
        "S",
        tuple(range(1, 15)),
        0.56,
        (("arab", 2), ("czsk", 3), ("somali", 1.5), ("chinese", 1.5)),
    ),
)
LA_BY_CODE = {la.code: la for la in LOCAL_AUTHORITIES}
LA_CUM = tuple(itertools.accumulate(la.weight for la in LOCAL_AUTHORITIES))


def _background_table(la: _LocalAuthority) -> Weighted:
    mix = dict(la.mix)
    weights = [b.weight * mix.get(b.key, 1.0) for b in BACKGROUNDS]
    return tuple(b.key for b in BACKGROUNDS), tuple(itertools.accumulate(weights))


LA_BACKGROUNDS = {la.code: _background_table(la) for la in LOCAL_AUTHORITIES}

_STREET_NAMES = """
Mill Station Church Victoria Park Queen Albert Canal High Green Manor Kings New Grange School
North South West Chapel Windsor York Springfield Oak Elm Ash Beech Cedar Willow Meadow Highfield
Stanley George Alexandra Brook Hill Richmond Clarence Cromwell Nelson Wellington Derby Lime
Poplar Hawthorn Rose Orchard Market Bridge Dale Moor Heath Valley Cross Coronation Jubilee
St_Mary's St_John's Farm Mount Riverside Holly Ivy Cherry Sycamore Larch Rowan Peel Grosvenor
Lansdowne Tennyson Milton Shakespeare Dickens Byron Warwick Chester Lancaster Oxford Cambridge
"""
_STREETS = tuple(_STREET_NAMES.split())
STREET_TYPES = (
    ("Road", 30, ("Rd", "Rd.")),
    ("Street", 25, ("St", "St.")),
    ("Lane", 8, ("Ln",)),
    ("Avenue", 8, ("Ave", "Av")),
    ("Close", 7, ("Cl",)),
    ("Drive", 6, ("Dr",)),
    ("Court", 4, ("Ct",)),
    ("Gardens", 4, ("Gdns",)),
    ("Terrace", 4, ("Terr", "Ter")),
    ("Crescent", 4, ("Cres",)),
    ("Place", 3, ("Pl",)),
    ("Grove", 3, ("Gr", "Gro")),
    ("Way", 4, ()),
    ("Walk", 2, ()),
    ("Mews", 1, ()),
    ("Rise", 1, ()),
)
_STREET_TYPE_CUM = tuple(itertools.accumulate(t[1] for t in STREET_TYPES))
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Address:
    """A made-up address: flat, number and street under a plausible postcode."""

    local_authority: str
    number: int
    flat: str
    street: str
    street_type: str
    town: str
    postcode: str

    @property
    def line(self) -> str:
        street = f"{self.number} {self.street} {self.street_type}"
        return f"Flat {self.flat}, {street}" if self.flat else street


@dataclass(frozen=True)
class _Street:
    name: str  # "Mill"
    street_type: str  # "Lane"
    postcodes: tuple[str, ...]  # a street spans one to three postcodes
    houses: int


_STREETS_PER_LA = 1500
_STREET_CACHE: dict[str, tuple[_Street, ...]] = {}


def _postcode(rng: random.Random, la: _LocalAuthority, district: int) -> str:
    inward = f"{rng.randint(0, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    return f"{la.area}{district} {inward}"


def _streets(la_code: str) -> tuple[_Street, ...]:
    """A fixed made-up gazetteer per local authority, so unrelated families can be neighbours."""
    streets = _STREET_CACHE.get(la_code)
    if streets is None:
        la = LA_BY_CODE[la_code]
        rng = random.Random(f"streets:{la_code}")
        made: list[_Street] = []
        for _ in range(_STREETS_PER_LA):
            district = rng.choice(la.districts)
            street_type = rng.choices(STREET_TYPES, cum_weights=_STREET_TYPE_CUM)[0][0]
            postcodes = tuple(_postcode(rng, la, district) for _ in range(rng.randint(1, 3)))
            name = rng.choice(_STREETS).replace("_", " ")
            made.append(_Street(name, street_type, postcodes, rng.choice((30, 60, 100, 150, 250))))
        streets = _STREET_CACHE[la_code] = tuple(made)
    return streets


def new_address(rng: random.Random, la_code: str) -> Address:
    la = LA_BY_CODE[la_code]
    street = rng.choice(_streets(la_code))
    number = rng.randint(1, street.houses)
    flat = str(rng.randint(1, 24)) if rng.random() < 0.25 else ""
    block = (number - 1) * len(street.postcodes) // street.houses
    return Address(
        local_authority=la.code,
        number=number,
        flat=flat,
        street=street.name,
        street_type=street.street_type,
        town=la.name if la.code != "E09000030" else "London",
        postcode=street.postcodes[block],
    )


def address_history(rng: random.Random, la_code: str, cfg: PopulationConfig) -> list[Address]:
    """Oldest address first; the last one is where the household lives now."""
    history = [new_address(rng, la_code)]
    moves = 0
    if rng.random() < cfg.move_rate:
        moves = 2 if rng.random() < cfg.second_move_rate else 1
    for _ in range(moves):
        current = history[-1].local_authority
        if rng.random() < cfg.cross_la_move_rate:
            others = [la.code for la in LOCAL_AUTHORITIES if la.code != current]
            current = rng.choice(others)
        history.append(new_address(rng, current))
    return history
