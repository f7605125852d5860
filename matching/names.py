"""Given-name equivalence: nicknames and short forms, and transliteration variants.

Nicknames come from the maintained `nicknames` package; only direct relations count
(Tom~Thomas), never two names that merely share a canonical form (Ellie and Danielle both
shorten to Elle, but they are not the same name). Transliteration groups are ours: the
spellings agencies really use for the same name.
"""

from __future__ import annotations

from functools import cache

from nicknames import name_triplets

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
    ("hussein", "hussain", "husain", "hossein", "husein", "hassan"),
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
    ("krzysztof", "krystof", "christoph"),
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


def _canonical(name: str, group: int | None) -> str:
    return name if group is None else TRANSLITERATION_GROUPS[group][0]


@cache
def known_given_names() -> frozenset[str]:
    """Given names known to be names (the nickname list and our transliteration groups)."""
    names = {name for pair in _nickname_pairs() for name in pair}
    names.update(spelling for group in TRANSLITERATION_GROUPS for spelling in group)
    return frozenset(names)
