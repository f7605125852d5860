"""Recording errors: how an agency's record of a person differs from the truth.

Names (the known-as name, nicknames, maiden and other parents' surnames, transliterations and
other scripts, typos, case and punctuation), dates of birth, sex, NHS numbers and UPNs (missing,
mistyped, a relative's, formatted), addresses (stale, abbreviated, postcode typos) and roles.
Each error happens at its `PopulationConfig` rate, scaled by the agency's recording habits.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from stdnum.gb import nhs

from hub.synthetic.agencies import HABITS, Habits
from hub.synthetic.backgrounds import BACKGROUND
from hub.synthetic.config import PopulationConfig
from hub.synthetic.households import TrueHousehold, TruePerson
from hub.synthetic.name_variants import (
    CHINESE_SYLLABLES,
    FORMAL_OF,
    NICKNAMES,
    RESPELLABLE,
    SCRIPTS,
    SPELLINGS,
    VARIANTS,
)
from hub.synthetic.places import POSTCODE_LETTERS, STREET_TYPES, Address

# --- names ------------------------------------------------------------------------------------

_ALT_RATES = {
    "maiden": "maiden_name_rate",
    "previous_married": "maiden_name_rate",
    "masculine": "masculine_surname_rate",
    "other_parent": "other_parent_surname_rate",
    "stepfather": "stepfather_surname_rate",
    "patronymic": "custom_surname_rate",
    "kaur_singh": "custom_surname_rate",
}
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_KEY_ROWS):
        for i, key in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                near += [_KEY_ROWS[r - 1][j] for j in (i, i + 1) if j < len(_KEY_ROWS[r - 1])]
            if r < 2:
                near += [_KEY_ROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(_KEY_ROWS[r + 1])]
            out[key] = "".join(near)
    return out


_NEIGHBOURS = _keyboard_neighbours()
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _in_script(name: str, script: str) -> str:
    """The name as written in its own script, where we know it (Kovalenko -> Коваленко)."""
    table = SCRIPTS[script]
    if name in table:
        return table[name]
    if script in ("ukrainian", "bulgarian") and name.endswith("a") and name[:-1] in table:
        return table[name[:-1]] + "\u0430"  # feminine surname: Ivanova -> Иванова
    return name


def _typo(text: str, rng: random.Random) -> str:
    """One keying error: a neighbouring key, a dropped, doubled or swapped letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha() and c.isascii()]
    if len(letters) < 3:
        return text
    pos = rng.choice(letters[1:]) if rng.random() < 0.85 else letters[0]
    char = text[pos]
    roll = rng.random()
    if roll < 0.35:
        near = _NEIGHBOURS.get(char.lower()) or "e"
        new = rng.choice(near)
        return text[:pos] + (new.upper() if char.isupper() else new) + text[pos + 1 :]
    if roll < 0.6:
        return text[:pos] + text[pos + 1 :]
    if roll < 0.8:
        extra = char if rng.random() < 0.6 else rng.choice(_NEIGHBOURS.get(char.lower()) or "e")
        return text[: pos + 1] + extra.lower() + text[pos + 1 :]
    if pos + 1 < len(text) and text[pos + 1].isalpha():
        return text[:pos] + text[pos + 1] + char + text[pos + 2 :]
    return text[:pos] + text[pos + 1 :]


def _respell(
    name: str, person: TruePerson, habits: Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    """Another spelling of the same name: transliteration, English variants, diacritics."""
    if not name or (name.isascii() and name not in RESPELLABLE and name[:3] != "Al-"):
        return name
    rate = cfg.transliteration_rate if person.recent else cfg.settled_transliteration_rate
    variants = VARIANTS.get(person.background, {}).get(name)
    if variants and rng.random() < rate:
        name = rng.choice(variants)
    elif name.startswith("Al-") and rng.random() < rate:
        rest = name[3:]
        name = rng.choice((f"Al {rest}", f"Al{rest.lower()}", f"El-{rest}", rest))
    elif name in CHINESE_SYLLABLES and rng.random() < 0.3:
        first, second = CHINESE_SYLLABLES[name]
        name = rng.choice((f"{first} {second.title()}", f"{first}-{second}", first + second))
    elif name in SPELLINGS and rng.random() < cfg.spelling_variant_rate:
        name = rng.choice(SPELLINGS[name])
    if not name.isascii() and rng.random() >= cfg.diacritics_kept_rate * habits.diacritics:
        name = _strip_accents(name)
    return name


def _chosen_given(
    person: TruePerson, habits: Habits, rng: random.Random, cfg: PopulationConfig
) -> tuple[str, list[str]]:
    """The given name this agency uses (legal, known-as, short form) and the middle names."""
    given, middle = person.given, list(person.middle)
    if person.known_as and rng.random() < cfg.known_as_rate * habits.known_as:
        middle = [m for m in middle if m != person.known_as]
        if rng.random() < 0.3:
            middle.insert(0, given)
        given = person.known_as
    elif middle and rng.random() < cfg.middle_as_first_rate:
        given, middle = middle[0], middle[1:]
    if given in NICKNAMES and rng.random() < cfg.nickname_rate * habits.nickname:
        given = rng.choice(NICKNAMES[given])
    elif given in FORMAL_OF and rng.random() < cfg.nickname_rate * habits.nickname * 0.15:
        given = FORMAL_OF[given]
    if " " in given and rng.random() < 0.15:  # Abdul Rahman -> Abdul, middle Rahman
        given, rest = given.split(" ", 1)
        middle.insert(0, rest)
    if middle and rng.random() >= habits.middle_kept:
        middle = []
    if middle and rng.random() < cfg.middle_in_given_rate:
        given, middle = f"{given} {middle[0]}", middle[1:]
    elif middle and rng.random() < 0.08:
        middle = [m[0] for m in middle]
    return given, middle


def _chosen_family(person: TruePerson, rng: random.Random, cfg: PopulationConfig) -> str:
    """The surname this agency uses: current, maiden, other parent's, one half of a double."""
    family = person.family
    for kind, name in person.alt_families:
        if rng.random() < getattr(cfg, _ALT_RATES[kind]):
            family = name
            break
    if "-" in family and not family.startswith(("Al-", "El-")):
        roll = rng.random()
        parts = family.split("-")
        if roll < cfg.hyphen_part_rate:
            family = parts[-1] if rng.random() < 0.6 else parts[0]
        elif roll < cfg.hyphen_part_rate + 0.15:
            family = " ".join(parts) if rng.random() < 0.7 else "".join(parts)
    return family


def _prenatal_names(
    person: TruePerson, household: TrueHousehold, rng: random.Random
) -> tuple[str, str, str]:
    """An unborn child: 'Baby' or nothing, under the mother's (sometimes father's) surname."""
    given = rng.choices(("", "Baby", "Unborn", "Infant"), weights=(50, 30, 15, 5))[0]
    people = {p.person_id: p for p in household.people}
    mum = people.get(person.mother_id)
    dad = people.get(person.father_id)
    roll = rng.random()
    if dad is not None and roll < 0.12:
        family = dad.family
    elif mum is not None and roll < 0.95:
        family = mum.family
    else:
        family = ""
    return given, "", family


def _style(text: str, upper: bool, rng: random.Random, cfg: PopulationConfig) -> str:
    """Case, whitespace and punctuation as they come out of the agency's system and keyboard."""
    if not text or not text.isascii():
        return text
    if upper:
        text = text.upper()
    if rng.random() >= cfg.case_noise_rate:
        return text
    roll = rng.random()
    if roll < 0.25:
        return text.lower()
    if roll < 0.4:
        return text.upper()
    if roll < 0.55:
        return text + " "
    if roll < 0.65:
        return " " + text
    if "'" in text:
        return text.replace("'", rng.choice(("", " ", "\u2019", "`")))
    if "-" in text:
        return text.replace("-", rng.choice((" ", "", " - ")))
    if " " in text.strip():
        return text.replace(" ", "  ", 1)
    return text + "." if roll < 0.8 else text.title() if text.isupper() else text.upper()


def record_names(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    prenatal: bool,
    rng: random.Random,
    cfg: PopulationConfig,
) -> tuple[str, str, str]:
    habits = HABITS[agency]
    if prenatal:
        given, _, family = _prenatal_names(person, household, rng)
        family = _respell(family, person, habits, rng, cfg)
        upper = rng.random() < habits.all_upper
        return _style(given, upper, rng, cfg), "", _style(family, upper, rng, cfg)
    given, middle = _chosen_given(person, habits, rng, cfg)
    family = _chosen_family(person, rng, cfg)
    bg = BACKGROUND[person.background]
    script = bg.script if person.recent else ""
    if script and rng.random() < cfg.non_latin_script_rate:
        given, family = _in_script(given, script), _in_script(family, script)
        middle = [_in_script(m, script) for m in middle]
    else:
        given = _respell(given, person, habits, rng, cfg)
        family = _respell(family, person, habits, rng, cfg)
        if middle:
            middle = [_respell(m, person, habits, rng, cfg) for m in middle]
    if person.suffix and rng.random() < cfg.suffix_rate:
        suffix = rng.choice(("Jr", "Jnr", "Junior"))
        if rng.random() < 0.6:
            family = f"{family} {suffix}"
        else:
            given = f"{given} {suffix}"
    swap = cfg.east_asian_order_swap_rate if bg.east_asian else 0.0
    if rng.random() < swap + cfg.name_order_swap_rate:
        given, family = family, given
    given = _typo(given, rng) if rng.random() < cfg.typo_rate else given
    family = _typo(family, rng) if rng.random() < cfg.typo_rate else family
    if middle:
        middle = [_typo(m, rng) if rng.random() < cfg.typo_rate / 2 else m for m in middle]
    all_upper = rng.random() < habits.all_upper
    surname_upper = all_upper or rng.random() < habits.surname_upper
    return (
        _style(given, all_upper, rng, cfg),
        _style(" ".join(middle), all_upper, rng, cfg),
        _style(family, surname_upper, rng, cfg),
    )


# --- dates, sex, identifiers, addresses ---------------------------------------------------------


def _dob_digit_error(dob: dt.date, rng: random.Random, ref: dt.date) -> dt.date:
    """One digit of the date keyed wrongly, giving another real date in the past."""
    text = dob.strftime("%Y%m%d")
    positions, weights = (2, 3, 5, 6, 7), (10, 30, 15, 15, 30)
    for _ in range(10):
        pos = rng.choices(positions, weights=weights)[0]
        candidate = text[:pos] + str(rng.randint(0, 9)) + text[pos + 1 :]
        try:
            new = dt.date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if new != dob and new < ref:
            return new
    return dob + dt.timedelta(days=rng.choice((-1, 1)))


def record_dob(
    person: TruePerson, habits: Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    dob = person.dob
    if dob is None:
        return ""
    if person.dob_assigned:  # 1 January of an estimated year; agencies disagree on the year
        roll = rng.random()
        if roll < 0.3:
            return str(dob.year)
        if roll < 0.4:
            return f"{dob.year + rng.choice((-1, 1))}-01-01"
    vague = 3.0 if person.role == "visitor" else 1.0  # police know a visitor by rough age
    missing = cfg.dob_missing_rate * habits.dob_missing * vague
    year_only = cfg.dob_year_only_rate * vague
    swap, digit, day = (
        cfg.dob_day_month_swap_rate,
        cfg.dob_digit_error_rate,
        cfg.dob_off_by_one_rate,
    )
    roll = rng.random()
    if roll >= missing + year_only + swap + digit + day:
        return dob.isoformat()
    for rate, kind in (
        (missing, "missing"),
        (year_only, "year"),
        (swap, "swap"),
        (digit, "digit"),
        (day, "day"),
    ):
        if roll < rate:
            return _wrong_dob(dob, kind, rng, cfg.reference_date)
        roll -= rate
    return dob.isoformat()


def _wrong_dob(dob: dt.date, kind: str, rng: random.Random, ref: dt.date) -> str:
    """A recording error of the given kind; wrong dates stay real dates before `ref`."""
    if kind == "missing":
        return ""
    if kind == "year":
        return str(dob.year)
    if kind == "swap" and dob.day <= 12 and dob.day != dob.month:
        swapped = dt.date(dob.year, dob.day, dob.month)
        if swapped < ref:
            return swapped.isoformat()
    if kind == "day":
        step = rng.choice((-1, 1)) if dob + dt.timedelta(days=1) < ref else -1
        return (dob + dt.timedelta(days=step)).isoformat()
    return _dob_digit_error(dob, rng, ref).isoformat()


def record_sex(
    person: TruePerson, prenatal: bool, habits: Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    if prenatal:
        return person.sex if rng.random() < 0.15 else ""
    roll = rng.random()
    missing = cfg.sex_missing_rate * habits.sex_missing
    if roll < missing:
        return ""
    if roll < missing + cfg.sex_wrong_rate:
        return "female" if person.sex == "male" else "male"
    return person.sex


def _garble(number: str, rng: random.Random) -> str:
    """A keying slip in an identifier: one digit wrong, two swapped, or one dropped."""
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    pos = rng.choice(digits[:-1])
    roll = rng.random()
    if roll < 0.6:
        new = str((int(number[pos]) + rng.randint(1, 9)) % 10)
        return number[:pos] + new + number[pos + 1 :]
    if roll < 0.9 and number[pos] != number[pos + 1]:
        return number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    return number[:pos] + number[pos + 1 :]


_PresenceTable = tuple[tuple[str, float], ...]
_PRESENCE_CACHE: dict[int, tuple[_PresenceTable, dict[str, float]]] = {}


def _presence(table: _PresenceTable, agency: str) -> float:
    """How often the agency records the identifier (tables are looked up by identity: fast)."""
    cached = _PRESENCE_CACHE.get(id(table))
    if cached is None or cached[0] is not table:
        cached = _PRESENCE_CACHE[id(table)] = (table, dict(table))
    return cached[1].get(agency, 0.0)


def _relative_nhs(person: TruePerson, household: TrueHousehold, rng: random.Random) -> str:
    """The NHS number of someone else in the household (mother's on the baby's record)."""
    people = {p.person_id: p for p in household.people}
    mother = people.get(person.mother_id)
    if mother is not None and mother.nhs:
        return mother.nhs
    others = [p.nhs for p in household.people if p.nhs and p is not person]
    return rng.choice(others) if others else person.nhs


def record_nhs(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    duplicate: bool,
    rng: random.Random,
    cfg: PopulationConfig,
) -> str:
    presence = _presence(cfg.nhs_presence, agency) * (0.6 if duplicate else 1.0)
    if not person.nhs or rng.random() >= presence:
        return ""
    number = person.nhs
    roll = rng.random()
    if roll < cfg.identifier_typo_rate:
        number = _garble(number, rng)
    elif roll < cfg.identifier_typo_rate + cfg.identifier_of_relative_rate:
        number = _relative_nhs(person, household, rng)
    if rng.random() < cfg.identifier_format_rate and len(number) == 10:
        number = nhs.format(number, separator=rng.choice((" ", " ", "-")))
    return number


def record_upn(
    person: TruePerson, agency: str, duplicate: bool, rng: random.Random, cfg: PopulationConfig
) -> str:
    presence = _presence(cfg.upn_presence, agency) * (0.6 if duplicate else 1.0)
    if not person.upn or rng.random() >= presence:
        return ""
    if rng.random() < cfg.identifier_typo_rate:
        return _garble(person.upn, rng)
    return person.upn


def record_address(
    person: TruePerson,
    household: TrueHousehold,
    agency: str,
    rng: random.Random,
    cfg: PopulationConfig,
) -> tuple[Address, str]:
    """The address on the record and the local authority of the agency that holds it."""
    history = person.addresses
    current = history[-1]
    lives_elsewhere = history is not household.addresses
    if (
        lives_elsewhere
        and agency in _INCIDENT_AGENCIES
        and rng.random() < cfg.found_at_family_address_rate
    ):  # recorded at the family home, where he was found
        current = household.addresses[-1]
        return current, current.local_authority
    if len(history) > 1 and rng.random() < cfg.stale_address_rate:
        old = rng.choice(history[:-1])
        la = current.local_authority if rng.random() < 0.15 else old.local_authority
        return old, la
    return current, current.local_authority


_INCIDENT_AGENCIES = frozenset({"police", "childrens_social_care"})


def _postcode_typo(postcode: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(postcode) if c != " "]
    pos = rng.choice(positions[1:])
    char = postcode[pos]
    confusable = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B"}
    if char in confusable and rng.random() < 0.4:
        new = confusable[char]
    elif char.isdigit():
        new = str((int(char) + rng.choice((-1, 1, 2))) % 10)
    else:
        new = rng.choice(POSTCODE_LETTERS.replace(char, ""))
    return postcode[:pos] + new + postcode[pos + 1 :]


def record_postcode(
    postcode: str, habits: Habits, rng: random.Random, cfg: PopulationConfig
) -> str:
    if rng.random() < cfg.postcode_missing_rate * habits.postcode_missing:
        return ""
    if rng.random() < cfg.postcode_typo_rate:
        postcode = _postcode_typo(postcode, rng)
    if rng.random() < cfg.postcode_format_rate:
        postcode = rng.choice(
            (postcode.replace(" ", ""), postcode.lower(), postcode.replace(" ", "  "))
        )
    return postcode


def _street_type(address: Address, rng: random.Random) -> str:
    for name, _, short in STREET_TYPES:
        if name == address.street_type and short and rng.random() < 0.6:
            return rng.choice(short)
    return address.street_type


def record_address_line(address: Address, rng: random.Random, cfg: PopulationConfig) -> str:
    """The first line of the address as typed: '12 Mill Lane', '12, Mill Ln', 'Flat 2, ...'."""
    if rng.random() < cfg.address_missing_rate:
        return ""
    if rng.random() >= cfg.address_variant_rate:
        return address.line
    number = str(address.number)
    if rng.random() < 0.04 and len(number) > 1:  # digits swapped
        number = number[::-1]
    street = f"{address.street} {_street_type(address, rng)}"
    line = f"{number}{rng.choice((' ', ', ', ' '))}{street}"
    if address.flat:
        style = rng.choice(("Flat {f}, ", "Flat {f} ", "{f}/", "Apartment {f}, ", "", "Flat {f}, "))
        line = style.format(f=address.flat) + line
    if rng.random() < 0.15:
        line = f"{line}, {address.town}"
    roll = rng.random()
    if roll < 0.15:
        line = line.upper()
    elif roll < 0.2:
        line = line.lower()
    return line


_ROLE_CONFUSERS = frozenset({"police", "childrens_social_care", "housing"})
_PARENT_AGENCIES = frozenset({"childrens_social_care", "health_visitor", "school", "gp"})


def record_role(
    person: TruePerson, agency: str, prenatal: bool, rng: random.Random, cfg: PopulationConfig
) -> str:
    if prenatal:
        return "unborn"
    if person.unborn:
        return "child"
    role = person.role
    if person.relation == "father" and agency in _PARENT_AGENCIES and rng.random() < 0.35:
        return "carer"  # the children's agencies see a resident father as a carer
    confusable = role in ("partner", "visitor") and agency in _ROLE_CONFUSERS
    if confusable and rng.random() < cfg.role_confusion_rate:
        return "visitor" if role == "partner" else "partner"
    return role
