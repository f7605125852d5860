"""Family backgrounds: each one's name lists, share of households and naming customs.

Naming customs: gendered surnames (Kowalski / Kowalska), patronymics, Kaur and Singh, Muhammad
before the name a man is called by, Akan day names, English names alongside Chinese ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from hub.synthetic import name_lists as names
from hub.synthetic.weighted import Weighted, draw


@dataclass(frozen=True)
class Background:
    key: str
    weight: float  # share of households before the local authority's mix is applied
    girls: Weighted
    boys: Weighted
    surnames: Weighted
    women: Weighted | None = None  # adults' names when they differ from children's
    men: Weighted | None = None
    elder_women: Weighted | None = None
    elder_men: Weighted | None = None
    wife_surnames: Weighted | None = None  # women's own surnames (Begum, Bibi)
    gendered: str = ""  # how a woman's surname is formed: polish, czsk, slavic, lithuanian
    patronymic: str = ""  # somali, slavic (middle from father), father (father's given)
    married_name: float = 1.0  # scales PopulationConfig.married_name_rate
    middle: float = 0.0  # share with a middle name
    recent: float = 1.0  # scales PopulationConfig.recent_arrival_rate
    uk_names: float = 0.0  # UK-born children given a name from the British list
    script: str = ""
    east_asian: bool = False


BACKGROUNDS = (
    Background(
        "british",
        0.6,
        names.BRITISH_GIRLS,
        names.BRITISH_BOYS,
        names.BRITISH_SURNAMES,
        names.BRITISH_WOMEN,
        names.BRITISH_MEN,
        names.BRITISH_ELDER_WOMEN,
        names.BRITISH_ELDER_MEN,
        middle=0.7,
        recent=0.0,
    ),
    Background(
        "irish",
        0.02,
        names.IRISH_GIRLS,
        names.IRISH_BOYS,
        names.IRISH_SURNAMES,
        middle=0.6,
        recent=0,
    ),
    Background(
        "pakistani",
        0.06,
        names.PAKISTANI_GIRLS,
        names.PAKISTANI_BOYS,
        names.PAKISTANI_SURNAMES,
        wife_surnames=names.PAKISTANI_WIFE_SURNAMES,
        married_name=0.6,
        middle=0.15,
        recent=0.4,
    ),
    Background(
        "bangladeshi",
        0.025,
        names.BANGLADESHI_GIRLS,
        names.BANGLADESHI_BOYS,
        names.BANGLADESHI_SURNAMES,
        wife_surnames=names.BANGLADESHI_WIFE_SURNAMES,
        married_name=0.3,
        middle=0.1,
        recent=0.4,
    ),
    Background(
        "indian",
        0.025,
        names.INDIAN_GIRLS,
        names.INDIAN_BOYS,
        names.INDIAN_SURNAMES,
        patronymic="father",
        married_name=1.6,
        recent=0.5,
        uk_names=0.1,
    ),
    Background(
        "sikh",
        0.012,
        names.SIKH_GIRLS,
        names.SIKH_BOYS,
        names.SIKH_SURNAMES,
        married_name=1.4,
        recent=0.3,
    ),
    Background(
        "arab",
        0.025,
        names.ARAB_GIRLS,
        names.ARAB_BOYS,
        names.ARAB_SURNAMES,
        patronymic="father",
        married_name=0.0,
        recent=1.8,
        script="arabic",
    ),
    Background(
        "afghan",
        0.01,
        names.AFGHAN_GIRLS,
        names.AFGHAN_BOYS,
        names.AFGHAN_SURNAMES,
        married_name=0.2,
        recent=2.5,
        script="arabic",
    ),
    Background(
        "somali",
        0.015,
        names.SOMALI_GIRLS,
        names.SOMALI_BOYS,
        names.SOMALI_SURNAMES,
        patronymic="somali",
        married_name=0.0,
        recent=1.0,
    ),
    Background(
        "polish",
        0.04,
        names.POLISH_GIRLS,
        names.POLISH_BOYS,
        names.POLISH_SURNAMES,
        gendered="polish",
        married_name=1.8,
        middle=0.35,
        recent=0.8,
        uk_names=0.2,
    ),
    Background(
        "romanian",
        0.03,
        names.ROMANIAN_GIRLS,
        names.ROMANIAN_BOYS,
        names.ROMANIAN_SURNAMES,
        married_name=1.6,
        middle=0.2,
        recent=1.3,
        uk_names=0.15,
    ),
    Background(
        "ukrainian",
        0.01,
        names.UKRAINIAN_GIRLS,
        names.UKRAINIAN_BOYS,
        names.UKRAINIAN_SURNAMES,
        gendered="slavic",
        patronymic="slavic",
        married_name=1.8,
        recent=3.0,
        script="ukrainian",
    ),
    Background(
        "lithuanian",
        0.01,
        names.LITHUANIAN_GIRLS,
        names.LITHUANIAN_BOYS,
        names.LITHUANIAN_SURNAMES,
        gendered="lithuanian",
        married_name=1.8,
        middle=0.1,
        recent=0.8,
        uk_names=0.2,
    ),
    Background(
        "czsk",
        0.01,
        names.CZSK_GIRLS,
        names.CZSK_BOYS,
        names.CZSK_SURNAMES,
        gendered="czsk",
        married_name=1.6,
        recent=0.8,
        uk_names=0.15,
    ),
    Background(
        "bulgarian",
        0.008,
        names.BULGARIAN_GIRLS,
        names.BULGARIAN_BOYS,
        names.BULGARIAN_SURNAMES,
        gendered="slavic",
        married_name=1.6,
        recent=1.2,
        script="bulgarian",
    ),
    Background(
        "nigerian",
        0.025,
        names.NIGERIAN_GIRLS,
        names.NIGERIAN_BOYS,
        names.NIGERIAN_SURNAMES,
        married_name=1.5,
        middle=0.6,
        recent=1.0,
    ),
    Background(
        "ghanaian",
        0.012,
        names.GHANAIAN_GIRLS,
        names.GHANAIAN_BOYS,
        names.GHANAIAN_SURNAMES,
        married_name=1.2,
        recent=0.7,
    ),
    Background(
        "chinese",
        0.012,
        names.CHINESE_GIRLS,
        names.CHINESE_BOYS,
        names.CHINESE_SURNAMES,
        married_name=0.1,
        recent=1.3,
        uk_names=0.5,
        script="chinese",
        east_asian=True,
    ),
    Background(
        "vietnamese",
        0.008,
        names.VIETNAMESE_GIRLS,
        names.VIETNAMESE_BOYS,
        names.VIETNAMESE_SURNAMES,
        married_name=0.0,
        recent=1.0,
        uk_names=0.4,
        east_asian=True,
    ),
)
BACKGROUND = {b.key: b for b in BACKGROUNDS}
ASSIGNED_DOB_BACKGROUNDS = frozenset({"afghan", "somali", "arab"})


# --------------------------------------------------------------------------------------------
# Naming customs
# --------------------------------------------------------------------------------------------


def _given_table(bg: Background, sex: str, born: int) -> Weighted:
    if born >= 2006:
        return bg.boys if sex == "male" else bg.girls
    if born >= 1972:
        table = bg.men if sex == "male" else bg.women
    else:
        table = bg.elder_men if sex == "male" else bg.elder_women
        table = table or (bg.men if sex == "male" else bg.women)
    return table or (bg.boys if sex == "male" else bg.girls)


def _given_name(rng: random.Random, bg: Background, sex: str, born: int, uk_born: bool) -> str:
    if uk_born and bg.uk_names and rng.random() < bg.uk_names:
        bg = BACKGROUND["british"]
    return draw(rng, _given_table(bg, sex, born))


def feminine(surname: str, rule: str, married: bool) -> str:
    """The form of a family surname a woman or girl carries under her background's custom."""
    if rule == "polish":
        for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
            if surname.endswith(male):
                return surname[: -len(male)] + female
        return surname
    if rule == "slavic":
        if surname.endswith("skyi"):
            return surname[:-4] + "ska"
        return surname + "a" if surname.endswith(("ov", "ev", "in")) else surname
    if rule == "czsk":
        if surname.endswith("ý"):
            return surname[:-1] + "á"
        return (surname[:-1] if surname.endswith(("a", "o", "e")) else surname) + "ová"
    if rule == "lithuanian":
        return _lithuanian_feminine(surname, married)
    return surname


def _lithuanian_feminine(surname: str, married: bool) -> str:
    if married:
        for end in ("ius", "as", "us", "is", "ys", "a"):
            if surname.endswith(end):
                return surname[: -len(end)] + "ienė"
        return surname
    for end, girl in (("ius", "iūtė"), ("as", "aitė"), ("us", "utė"), ("is", "ytė"), ("a", "aitė")):
        if surname.endswith(end):
            return surname[: -len(end)] + girl
    return surname


def slavic_patronymic(father_given: str, sex: str) -> str:
    stem = father_given[:-1] if father_given.endswith(("o", "a")) else father_given
    return stem + ("ovych" if sex == "male" else "ivna")


@dataclass
class Identity:
    given: str
    middle: tuple[str, ...]
    family: str  # the surname of the family line (masculine form where gendered)
    known_as: str = ""


def identity(
    rng: random.Random, bg: Background, sex: str, dob: dt.date, uk_born: bool, surname: str = ""
) -> Identity:
    """Given and middle names by the background's custom; surname drawn unless supplied."""
    given = _given_name(rng, bg, sex, dob.year, uk_born)
    family = surname or draw(rng, bg.surnames)
    middle: tuple[str, ...] = ()
    known_as = ""
    if bg.middle and rng.random() < bg.middle:
        count = 2 if bg.key == "british" and rng.random() < 0.1 else 1
        for _ in range(count):
            name = _middle_name(rng, bg, sex, dob.year, uk_born)
            if name != given and name not in middle:
                middle += (name,)
    if bg.key in ("pakistani", "bangladeshi", "arab") and sex == "male" and rng.random() < 0.2:
        # Muhammad first, then the name he is called by.
        middle, known_as = (given,), given
        given = rng.choice(("Muhammad", "Mohammed", "Mohammad"))
    elif bg.key == "sikh":
        middle = ("Singh",) if sex == "male" else ("Kaur",)
    elif bg.key == "vietnamese" and given in bg.girls[0] + bg.boys[0]:
        table = names.VIETNAMESE_MIDDLE_MEN if sex == "male" else names.VIETNAMESE_MIDDLE_WOMEN
        middle = (draw(rng, table),)
    elif bg.key == "ghanaian":
        given, middle, known_as = _akan_names(rng, given, sex, dob)
    elif bg.key == "chinese" and given in bg.girls[0] + bg.boys[0] and rng.random() < 0.35:
        english = names.ENGLISH_NAMES_MEN if sex == "male" else names.ENGLISH_NAMES_WOMEN
        known_as = draw(rng, english)
    elif bg.key == "nigerian" and middle and rng.random() < 0.3:
        known_as = middle[0]
    return Identity(given, middle, family, known_as)


def _middle_name(rng: random.Random, bg: Background, sex: str, born: int, uk_born: bool) -> str:
    if bg.key == "british" and born >= 1985:
        return draw(rng, names.BRITISH_MIDDLE_BOYS if sex == "male" else names.BRITISH_MIDDLE_GIRLS)
    if bg.key == "nigerian":
        other = names.NIGERIAN_BOYS if sex == "male" else names.NIGERIAN_GIRLS
        return draw(rng, other)
    return _given_name(rng, bg, sex, born, uk_born)


def _akan_names(
    rng: random.Random, given: str, sex: str, dob: dt.date
) -> tuple[str, tuple[str, ...], str]:
    day_name = names.AKAN_DAY_NAMES[dob.weekday()][0 if sex == "male" else 1]
    roll = rng.random()
    if roll < 0.5:
        return given, (day_name,), day_name if rng.random() < 0.4 else ""
    if roll < 0.75:
        return day_name, (given,), given if rng.random() < 0.4 else ""
    return given, (), ""
