"""Given-name equivalence: nicknames and short forms, and transliteration variants.

Nicknames come from the maintained `nicknames` package; only direct relations count
(Tom~Thomas), never two names that merely share a canonical form (Ellie and Danielle both
shorten to Elle, but they are not the same name). Transliteration groups are ours: the
spellings agencies really use for the same name.
"""

from __future__ import annotations

import re
from functools import cache

from nicknames import name_triplets
from rapidfuzz.distance import Levenshtein

TRANSLITERATION_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "muhammad",
        "mohammed",
        "mohamed",
        "mohammad",
        "muhammed",
        "mohamad",
        "mohamud",
        "mahomed",
        "muhamed",
        "mohd",
        "mohammod",
        "muhamad",
        "mehmet",
        "mehmed",
    ),
    ("ahmed", "ahmad", "ahmet", "ahamed"),
    ("abdulrahman", "abdul rahman", "abdur rahman", "abdurrahman", "abdelrahman", "abd al rahman"),
    ("abdullah", "abdulla", "abdallah", "abdalla"),
    ("yusuf", "yousef", "youssef", "yousuf", "yusif", "yosef", "joseph"),
    ("ibrahim", "ebrahim", "ibraheem", "ibrahima"),
    ("hussein", "hussain", "husain", "hossein", "husein"),
    ("mustafa", "mustapha", "mostafa", "moustafa"),
    ("omar", "umar", "omer"),
    ("osman", "usman", "othman", "uthman"),
    ("fatima", "fatimah", "fatma", "fatema", "fatuma"),
    ("aisha", "ayesha", "aysha", "aishah", "ayse", "aicha"),
    ("khadija", "khadijah", "hadiza", "khadeeja"),
    ("maryam", "mariam", "miriam", "meryem", "mariyam"),
    ("zainab", "zaynab", "zeinab", "zaineb"),
    ("yasmin", "yasmine", "jasmine", "yasmeen"),
    ("hamza", "hamzah", "hamsa"),
    ("bilal", "belal"),
    ("amir", "ameer", "emir"),
    ("nur", "noor", "nour"),
    ("aleksandra", "alexandra", "oleksandra", "aleksandrah"),
    ("aleksander", "alexander", "oleksandr", "aleksandr", "alexandru"),
    ("mikhail", "michal", "mihail", "mykhailo", "michael"),
    ("yuri", "yury", "iurii", "jurij"),
    ("natalia", "natalya", "nataliya", "natalija"),
    ("olga", "olha"),
    ("sergei", "sergey", "serhiy", "sergiu"),
    ("dmitri", "dmitry", "dmytro", "dimitri"),
    ("andrei", "andrey", "andriy", "andrzej"),
    ("nguyen", "nguyn", "ngyuen"),
    ("wojciech", "voytek", "wojtek"),
    ("krzysztof", "krystof", "christoph", "christopher"),
    ("chidi", "chidiebere"),
    ("oluwaseun", "seun"),
    ("oluwatobi", "tobi"),
)


# British short forms the package lacks.
EXTRA_NICKNAMES: tuple[tuple[str, str], ...] = (
    ("alfie", "alfred"),
    ("archie", "archibald"),
    ("ollie", "oliver"),
    ("freddie", "frederick"),
    ("lottie", "charlotte"),
    ("tilly", "matilda"),
    ("millie", "amelia"),
    ("milly", "amelia"),
    ("izzy", "isabella"),
    ("izzy", "isabel"),
    ("bella", "isabella"),
    ("evie", "evelyn"),
    ("evie", "eve"),
    ("maddie", "madison"),
    ("maddie", "madeleine"),
    ("rosie", "rose"),
    ("georgie", "georgia"),
    ("gracie", "grace"),
    ("lexi", "alexa"),
    ("lexie", "alexandra"),
    ("sonny", "samuel"),
    ("teddy", "edward"),
    ("teddy", "theodore"),
    ("theo", "theodore"),
    ("reggie", "reginald"),
    ("kaz", "karen"),
    ("shaz", "sharon"),
    ("tel", "terence"),
    ("baz", "barry"),
    ("kath", "katherine"),
    ("kath", "kathryn"),
    ("cath", "catherine"),
    ("kuba", "jakub"),
    ("sasha", "aleksandr"),
    ("sasha", "alexander"),
    ("misha", "mikhail"),
    ("gaz", "gary"),
    ("del", "derek"),
    ("mo", "muhammad"),
    ("mo", "maureen"),
    ("izzy", "isabelle"),
    ("nicky", "nicola"),
    ("nikki", "nicola"),
    ("livvy", "olivia"),
    ("liv", "olivia"),
    ("nell", "eleanor"),
    ("nell", "helen"),
    ("charlie", "charlotte"),
    # Polish diminutives, used as everyday names
    ("gosia", "malgorzata"),
    ("kasia", "katarzyna"),
    ("basia", "barbara"),
    ("asia", "joanna"),
    ("ola", "aleksandra"),
    ("tomek", "tomasz"),
    ("wojtek", "wojciech"),
)


@cache
def _nickname_pairs() -> frozenset[tuple[str, str]]:
    pairs = {(a, b) for a, b in EXTRA_NICKNAMES} | {(b, a) for a, b in EXTRA_NICKNAMES}
    for triplet in name_triplets():
        a, b = triplet.name1, triplet.name2
        pairs.add((a, b))
        pairs.add((b, a))
    return frozenset(pairs)


@cache
def _transliteration_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for number, group in enumerate(TRANSLITERATION_GROUPS):
        for spelling in group:
            index[spelling] = number
            index[spelling.replace(" ", "")] = number
    return index


def transliteration_group(name: str) -> int | None:
    return _transliteration_index().get(name)


def are_equivalent(a: str, b: str) -> bool:
    """Same given name in another form: a nickname of it, or another transliteration."""
    if a == b:
        return True
    pairs = _nickname_pairs()
    if (a, b) in pairs:
        return True
    group_a, group_b = transliteration_group(a), transliteration_group(b)
    if group_a is not None and group_a == group_b:
        return True
    return (_canonical(a, group_a), _canonical(b, group_b)) in pairs


_DIMINUTIVE_ENDINGS = ("ie", "ey", "y", "i")


def _stem(short: str) -> str:
    """'ibby' -> 'ib', 'nicky' -> 'nic', 'dani' -> 'dan': a pet form without its ending."""
    for ending in _DIMINUTIVE_ENDINGS:
        if short.endswith(ending) and len(short) - len(ending) >= 2:
            short = short[: -len(ending)]
            break
    short = short.replace("ck", "c")
    if len(short) > 2 and short[-1] == short[-2]:
        short = short[:-1]
    return short


def is_diminutive(short: str, full: str) -> bool:
    """A pet form made from the start of the full name (Ibby/Ibrahim, Nicky/Nicola,
    Dani/Danielle), the way British short forms are usually made; catches the ones no list
    holds. Only short forms of up to six letters, of a longer name, and only short forms no
    list knows: a known name (Harry) is not guessed to be short for another (Harvey)."""
    if len(short) > len(full):
        short, full = full, short
    stem = _stem(short)
    if len(short) > 6 or len(full) < len(stem) + 2 or short in known_given_names():
        return False
    return len(stem) >= 2 and full.replace("ck", "c").startswith(stem)


def _fold(name: str) -> str:
    name = name.replace("ph", "f").replace("ck", "k").replace("y", "i")
    name = re.sub(r"([a-z])\1+", r"\1", name)  # Anastasiia/Anastasia, Hannah/Hana
    return name[:-1] if name.endswith("h") and len(name) > 3 else name


def is_spelling_variant(a: str, b: str) -> bool:
    """One name spelled two ways (Olena/Elena, Jayden/Jaden, Anastasiia/Anastasia): the same
    consonants in the same order, at most one vowel changed. Parents give twins names that
    sound different, so two spellings that sound alike are one person's, not twins'."""
    x, y = _fold(a), _fold(b)
    if x == y:
        return True
    if min(len(x), len(y)) < 5 or _consonants(x) != _consonants(y):
        return False
    return Levenshtein.distance(x, y) <= 1


def _consonants(name: str) -> str:
    return "".join(c for c in name if c not in "aeiou")


def _canonical(name: str, group: int | None) -> str:
    return name if group is None else TRANSLITERATION_GROUPS[group][0]


@cache
def known_given_names() -> frozenset[str]:
    """Given names known to be names (the nickname list and our transliteration groups)."""
    names = {name for pair in _nickname_pairs() for name in pair}
    names.update(spelling for group in TRANSLITERATION_GROUPS for spelling in group)
    return frozenset(names)


@cache
def _partners() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for a, b in _nickname_pairs():
        found.setdefault(a, set()).add(b)
    for group in TRANSLITERATION_GROUPS:
        spellings = {s.replace(" ", "") for s in group}
        for spelling in spellings:
            found.setdefault(spelling, set()).update(spellings)
    return {name: frozenset(partners) for name, partners in found.items()}


def variants(name: str) -> frozenset[str]:
    """The name and the forms `are_equivalent` accepts for it (nicknames, transliterations):
    what a search must also look under."""
    partners = _partners()
    group = transliteration_group(name)
    canonical = _canonical(name, group)
    return frozenset({name, *partners.get(name, ()), *partners.get(canonical, ())})
