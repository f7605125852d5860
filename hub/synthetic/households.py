"""The truth: invented people and the households they live in.

A household is a mother (or a father caring alone), perhaps a partner or step-father, children
(twins, close siblings, an unborn baby), perhaps a grandparent and a man who visits; with where
they have lived, and the NHS numbers and UPNs they were issued.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from hub.synthetic.backgrounds import (
    ASSIGNED_DOB_BACKGROUNDS,
    BACKGROUND,
    BACKGROUNDS,
    Background,
    Identity,
    feminine,
    identity,
    slavic_patronymic,
)
from hub.synthetic.config import PopulationConfig
from hub.synthetic.identifiers import NhsNumbers, Upns
from hub.synthetic.name_lists import TWIN_NAMES_MUSLIM, TWIN_NAMES_WESTERN
from hub.synthetic.places import (
    LA_BACKGROUNDS,
    LA_BY_CODE,
    LA_CUM,
    LOCAL_AUTHORITIES,
    Address,
    address_history,
    new_address,
)
from hub.synthetic.weighted import draw


@dataclass
class TruePerson:
    """One invented person as they really are; records are what agencies made of them."""

    person_id: str
    household_id: str
    role: str  # child, unborn, carer, partner, visitor
    relation: str  # mother, father, stepfather, child, grandmother, grandfather, visitor
    sex: str
    given: str
    middle: tuple[str, ...]
    family: str
    background: str
    recent: bool
    dob: dt.date | None  # None for a child not yet born
    addresses: tuple[Address, ...] = ()
    dob_assigned: bool = False  # a 1 January date given on arrival, the true one unknown
    unborn: bool = False  # recorded by midwifery before birth
    nhs: str = ""
    upn: str = ""
    known_as: str = ""  # another given name the person goes by
    alt_families: tuple[tuple[str, str], ...] = ()  # (why, surname) they may be recorded under
    suffix: str = ""  # Jr for a son named after his father
    father_id: str = ""
    mother_id: str = ""
    birth_group: str = ""  # shared by twins and triplets


@dataclass
class TrueHousehold:
    household_id: str
    background: str
    recent: bool
    addresses: tuple[Address, ...]
    people: list[TruePerson] = field(default_factory=list)


class _State:
    """Counters that run across households: person ids, NHS numbers, UPNs issued."""

    def __init__(self, seed: int) -> None:
        self.person = 0
        self.nhs_numbers = NhsNumbers(seed)
        self.upns = Upns()

    def person_id(self) -> str:
        self.person += 1
        return f"p{self.person:06d}"


def age_on(dob: dt.date | None, on: dt.date) -> float:
    """Age in years on the date; -1 for a child not yet born."""
    return (on - dob).days / 365.25 if dob else -1.0


def _years_before(when: dt.date, years: float) -> dt.date:
    return when - dt.timedelta(days=round(years * 365.25))


# --- the household --------------------------------------------------------------------------


def _sibling_gap_days(rng: random.Random, cfg: PopulationConfig) -> int:
    if rng.random() < cfg.close_sibling_rate:
        return rng.randint(300, 460)  # ten to fifteen months
    return int(rng.triangular(460, 3000, 900))


def _birth_dates(rng: random.Random, cfg: PopulationConfig) -> list[list[dt.date]]:
    """Children's birth dates, eldest first; twins and triplets share a birth."""
    ref = cfg.reference_date
    count = rng.choices(range(len(cfg.children_weights)), weights=cfg.children_weights)[0]
    if count == 0:
        return []
    youngest = ref - dt.timedelta(days=int(rng.triangular(20, 14 * 365, 2 * 365)))
    births = [youngest]
    for _ in range(count - 1):
        older = births[-1] - dt.timedelta(days=_sibling_gap_days(rng, cfg))
        if age_on(older, ref) >= 17.9:
            break
        births.append(older)
    births.reverse()
    out: list[list[dt.date]] = []
    for born in births:
        roll = rng.random()
        size = 3 if roll < cfg.triplet_rate else 2 if roll < cfg.triplet_rate + cfg.twin_rate else 1
        out.append([born] * size)
    return out


def _mother_dob(rng: random.Random, births: list[list[dt.date]], ref: dt.date) -> dt.date:
    if not births:
        return _years_before(ref, rng.triangular(17, 46, 27))
    eldest, youngest = births[0][0], births[-1][0]
    dob = _years_before(eldest, rng.triangular(15.5, 40, 23))
    if age_on(dob, youngest) > 45:
        dob = _years_before(youngest, rng.uniform(38, 45))
    return dob


def _father_dob(rng: random.Random, mother_dob: dt.date, births: list[list[dt.date]]) -> dt.date:
    """Usually a little older than the mother, and at least 16 at the eldest child's birth."""
    dob = _years_before(mother_dob, rng.triangular(-4, 15, 2))
    if births and age_on(dob, births[0][0]) < 16:
        dob = _years_before(births[0][0], rng.uniform(16, 22))
    return dob


@dataclass
class _Builder:
    """Everything needed while one household's people are invented."""

    rng: random.Random
    cfg: PopulationConfig
    state: _State
    household: TrueHousehold
    bg: Background

    def person(
        self,
        role: str,
        relation: str,
        sex: str,
        ident: Identity,
        dob: dt.date | None,
        bg: Background | None = None,
        family: str = "",
    ) -> TruePerson:
        bg = bg or self.bg
        person = TruePerson(
            person_id=self.state.person_id(),
            household_id=self.household.household_id,
            role=role,
            relation=relation,
            sex=sex,
            given=ident.given,
            middle=ident.middle,
            family=family or ident.family,
            background=bg.key,
            recent=self.household.recent,
            dob=dob,
            addresses=self.household.addresses,
            known_as=ident.known_as,
        )
        if ident.middle and not ident.known_as and self.rng.random() < self.cfg.goes_by_middle_rate:
            person.known_as = ident.middle[0]
        if ident.middle and ident.middle[0] in ("Kaur", "Singh"):
            person.alt_families += (("kaur_singh", ident.middle[0]),)
        if bg.patronymic == "somali" and ident.middle:
            person.alt_families += (("patronymic", ident.middle[0]),)
        self.household.people.append(person)
        return person

    def own_address(self, person: TruePerson, other_la_rate: float = 0.0) -> None:
        """The person lives elsewhere: usually in the same local authority."""
        la = self.household.addresses[-1].local_authority
        if self.rng.random() < other_la_rate:
            la = self.rng.choice(LOCAL_AUTHORITIES).code
        person.addresses = (new_address(self.rng, la),)


def _pick_background(rng: random.Random, la_code: str) -> Background:
    return BACKGROUND[draw(rng, LA_BACKGROUNDS[la_code])]


def _partner_background(rng: random.Random, cfg: PopulationConfig, bg: Background) -> Background:
    if rng.random() < cfg.mixed_background_rate:
        if bg.key != "british":
            return BACKGROUND["british"]
        return rng.choice(BACKGROUNDS[1:])
    return bg


def _married_rate(cfg: PopulationConfig, bg: Background) -> float:
    return min(1.0, cfg.married_name_rate * bg.married_name)


def _build_household(
    index: int, rng: random.Random, cfg: PopulationConfig, state: _State
) -> TrueHousehold:
    ref = cfg.reference_date
    la = LOCAL_AUTHORITIES[rng.choices(range(len(LOCAL_AUTHORITIES)), cum_weights=LA_CUM)[0]]
    bg = _pick_background(rng, la.code)
    recent = rng.random() < min(0.95, cfg.recent_arrival_rate * bg.recent)
    household = TrueHousehold(
        household_id=f"h{index + 1:06d}",
        background=bg.key,
        recent=recent,
        addresses=tuple(address_history(rng, la.code, cfg)),
    )
    build = _Builder(rng, cfg, state, household, bg)
    births = _birth_dates(rng, cfg)
    mother_dob = _mother_dob(rng, births, ref)
    father_dob = _father_dob(rng, mother_dob, births)
    father = identity(rng, _partner_background(rng, cfg, bg), "male", father_dob, not recent)
    mother = identity(rng, bg, "female", mother_dob, uk_born=not recent)
    if bg.patronymic == "somali":
        father.middle = (draw(rng, bg.boys),)
        mother.middle = (draw(rng, bg.boys),)

    single_father = rng.random() < cfg.single_father_rate
    has_partner = not single_father and rng.random() < cfg.partner_rate
    stepfather = has_partner and bool(births) and rng.random() < cfg.stepfather_rate
    mum: TruePerson | None = None
    dad: TruePerson | None = None
    step: TruePerson | None = None
    if single_father:
        dad = build.person("carer", "father", "male", father, father_dob)
    else:
        mum = _add_mother(build, mother, mother_dob, father, has_partner and not stepfather)
        if stepfather:
            step = _add_stepfather(build, mum, mother_dob)
        elif has_partner:
            dad = build.person("partner", "father", "male", father, father_dob)
            if rng.random() >= cfg.partner_resident_rate:
                build.own_address(dad)
    _add_children(build, births, mum, dad, step, father, mother)
    _add_unborn(build, births, mum, step or dad)
    _add_grandparent(build, mum or dad)
    _add_visitor(build)
    _assign_identifiers(build)
    return household


def _add_mother(
    build: _Builder, own: Identity, dob: dt.date, father: Identity, with_father: bool
) -> TruePerson:
    """The mother, under her birth name or (if married to the father) his surname."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    married_rate = _married_rate(cfg, bg) * (1.0 if with_father else 0.35)
    married = rng.random() < married_rate
    mum = build.person("carer", "mother", "female", own, dob)
    birth_name = feminine(own.family, bg.gendered, married=False)
    if bg.wife_surnames and rng.random() < 0.5:
        birth_name = draw(rng, bg.wife_surnames)
    line = own.family
    mum.family = birth_name
    if married:
        line = father.family
        mum.family = feminine(father.family, bg.gendered, married=True)
        if mum.family != birth_name:
            mum.alt_families += (("maiden", birth_name),)
    if bg.gendered and mum.family != line:
        mum.alt_families += (("masculine", line),)
    return mum


def _add_stepfather(build: _Builder, mum: TruePerson, mother_dob: dt.date) -> TruePerson:
    """The mother's new partner; the older children's father lives elsewhere."""
    rng, cfg = build.rng, build.cfg
    step_bg = _partner_background(rng, cfg, build.bg)
    step_dob = _years_before(mother_dob, rng.triangular(-6, 15, 3))
    step_dob = min(step_dob, _years_before(build.cfg.reference_date, 18))
    ident = identity(rng, step_bg, "male", step_dob, uk_born=not build.household.recent)
    step = build.person("partner", "stepfather", "male", ident, step_dob, bg=step_bg)
    if rng.random() >= cfg.partner_resident_rate:
        build.own_address(step)
    if rng.random() < _married_rate(cfg, build.bg) * 0.6:
        previous = mum.family
        mum.family = feminine(step.family, build.bg.gendered, married=True)
        maiden = dict(mum.alt_families).get("maiden", previous)
        kept = tuple(alt for alt in mum.alt_families if alt[0] not in ("maiden", "masculine"))
        mum.alt_families = (*kept, ("maiden", maiden))
        if previous != maiden:
            mum.alt_families += (("previous_married", previous),)
        if build.bg.gendered and mum.family != step.family:
            mum.alt_families += (("masculine", step.family),)
    return step


def _add_children(
    build: _Builder,
    births: list[list[dt.date]],
    mum: TruePerson | None,
    dad: TruePerson | None,
    step: TruePerson | None,
    father: Identity,
    mother: Identity,
) -> None:
    rng = build.rng
    by_step = 0
    has_own = step is not None and rng.random() < build.cfg.stepfather_own_children_rate
    if has_own and len(births) > 1:
        by_step = min(len(births) - 1, rng.randint(1, 2))
    for index, group in enumerate(births):
        if step is not None and index >= len(births) - by_step:
            step_ident = Identity(step.given, step.middle, step.family)
            _add_birth(build, group, index, mum, step, step_ident, mother)
        else:
            _add_birth(build, group, index, mum, dad, father, mother)
            if step is not None:
                for child in build.household.people[-len(group) :]:
                    child.alt_families += (("stepfather", step.family),)
    _same_names(build, dad, mum)


def _add_birth(
    build: _Builder,
    group: list[dt.date],
    index: int,
    mum: TruePerson | None,
    father_person: TruePerson | None,
    father: Identity,
    mother: Identity,
) -> None:
    """One birth: a single child, twins or triplets."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    names = _twin_names(rng, cfg, bg) if len(group) == 2 else None
    birth_group = f"{build.household.household_id}-b{index}" if len(group) > 1 else ""
    first: TruePerson | None = None
    for slot, dob in enumerate(group):
        sex = names[slot * 2 + 1] if names else ("male" if rng.random() < 0.512 else "female")
        if names:
            ident = identity(rng, bg, sex, dob, uk_born=True)
            ident.given, ident.known_as = names[slot * 2], ""
        else:
            ident = _sibling_identity(build, sex, dob)
        child = build.person("child", "child", sex, ident, dob)
        child.birth_group = birth_group
        child.mother_id = mum.person_id if mum else ""
        child.father_id = father_person.person_id if father_person else ""
        if first is None:
            _child_surname(build, child, father, mother, mum, father_person)
            first = child
        else:
            _twin_surname(build, first, child)


def _called(person: TruePerson) -> str:
    return person.known_as or person.given


def _sibling_identity(build: _Builder, sex: str, dob: dt.date) -> Identity:
    """A child's names, not the name a parent, brother or sister is already called by."""
    taken = {_called(p) for p in build.household.people}
    ident = identity(build.rng, build.bg, sex, dob, uk_born=True)
    for _ in range(6):
        if (ident.known_as or ident.given) not in taken:
            break
        ident = identity(build.rng, build.bg, sex, dob, uk_born=True)
    return ident


def _twin_surname(build: _Builder, first: TruePerson, child: TruePerson) -> None:
    """Twins and triplets carry one surname (in the form for each one's sex)."""
    bg = build.bg
    own = tuple(alt for alt in child.alt_families if alt[0] == "kaur_singh")
    shared = tuple(alt for alt in first.alt_families if alt[0] not in ("masculine", "kaur_singh"))
    child.alt_families = shared + own
    line = dict(first.alt_families).get("masculine", first.family)
    child.family = feminine(line, bg.gendered, married=False) if child.sex == "female" else line
    if child.family != line:
        child.alt_families += (("masculine", line),)
    if bg.patronymic in ("somali", "slavic") and first.middle:
        if bg.patronymic == "slavic" and first.sex != child.sex:
            father_given = first.middle[0].removesuffix("ovych").removesuffix("ivna")
            child.middle = (father_given + ("ovych" if child.sex == "male" else "ivna"),)
        else:
            child.middle = first.middle


def _twin_names(
    rng: random.Random, cfg: PopulationConfig, bg: Background
) -> tuple[str, str, str, str] | None:
    if rng.random() >= cfg.twin_similar_name_rate:
        return None
    if bg.key in ("british", "irish"):
        pair = rng.choice(TWIN_NAMES_WESTERN)
    elif bg.key in ("pakistani", "bangladeshi", "arab", "somali", "afghan"):
        pair = rng.choice(TWIN_NAMES_MUSLIM)
    else:
        return None
    return pair if rng.random() < 0.5 else (pair[2], pair[3], pair[0], pair[1])


_PARENTS_CHOOSE = frozenset({"british", "irish", "nigerian", "ghanaian", "romanian", "polish"})


def _child_surname(
    build: _Builder,
    child: TruePerson,
    father: Identity,
    mother: Identity,
    mum: TruePerson | None,
    father_person: TruePerson | None,
) -> None:
    """The child's surname by custom, and the other surnames agencies may use for them."""
    rng, cfg, bg = build.rng, build.cfg, build.bg
    mum_family = mum.family if mum else ""
    husband_name = feminine(father.family, bg.gendered, married=True)
    married = mum is not None and husband_name in (
        mum.family,
        dict(mum.alt_families).get("previous_married"),
    )
    line = father.family
    if bg.patronymic == "somali":
        child.middle = (father.given,)
        line = father.middle[0] if father.middle else father.family
        child.alt_families += (("patronymic", father.given),)
    elif bg.key == "ghanaian" and rng.random() < 0.35:
        line = draw(rng, bg.surnames)
    elif bg.key == "bangladeshi" and child.sex == "female" and rng.random() < 0.3:
        line = draw(rng, bg.wife_surnames or bg.surnames)
    elif bg.key in _PARENTS_CHOOSE:
        line = _child_line(rng, cfg, father.family, mother.family, married)
    if bg.patronymic == "slavic" and rng.random() < 0.6:
        child.middle = (slavic_patronymic(father.given, child.sex),)
    elif bg.patronymic == "father" and rng.random() < 0.4:
        child.middle = (father.given,)
    family = feminine(line, bg.gendered, married=False) if child.sex == "female" else line
    if bg.gendered and family != line:
        child.alt_families += (("masculine", line),)
    child.family = family
    if mum_family and mum_family != family:
        child.alt_families += (("other_parent", mum_family),)
    elif father.family != line and father_person is not None:
        child.alt_families += (("other_parent", father.family),)


def _child_line(
    rng: random.Random, cfg: PopulationConfig, father_family: str, mother_family: str, married: bool
) -> str:
    """Father's, mother's or both surnames: married parents mostly pass on the father's."""
    roll = rng.random()
    double = cfg.double_barrelled_rate * (0.25 if married else 1.0)
    if (
        roll < double
        and father_family != mother_family
        and "-" not in father_family + mother_family
    ):
        first, second = (mother_family, father_family)
        if rng.random() < 0.4:
            first, second = second, first
        return f"{first}-{second}"
    if married:
        return father_family
    return mother_family if roll < double + 0.35 else father_family


def _same_names(build: _Builder, dad: TruePerson | None, mum: TruePerson | None) -> None:
    """A son named after his father (Jr), a daughter after her mother."""
    rng, cfg = build.rng, build.cfg
    children = [p for p in build.household.people if p.relation == "child"]
    if dad is not None and rng.random() < cfg.father_son_same_name_rate:
        sons = [c for c in children if c.sex == "male" and c.father_id == dad.person_id]
        if sons and not sons[0].birth_group:
            son = sons[0]
            son.given, son.known_as, son.family, son.suffix = dad.given, "", dad.family, "Jr"
            if dad.middle and rng.random() < 0.5:
                son.middle = dad.middle
    if mum is not None and rng.random() < cfg.mother_daughter_same_name_rate:
        daughters = [c for c in children if c.sex == "female" and not c.birth_group]
        if daughters:
            daughters[0].given, daughters[0].known_as = mum.given, ""


def _add_unborn(
    build: _Builder, births: list[list[dt.date]], mum: TruePerson | None, dad: TruePerson | None
) -> None:
    rng, cfg, ref = build.rng, build.cfg, build.cfg.reference_date
    if mum is None or mum.dob is None or age_on(mum.dob, ref) > 44:
        return
    if births and age_on(births[-1][0], ref) < 0.9:
        return
    if rng.random() >= cfg.unborn_rate:
        return
    born = rng.random() < cfg.unborn_born_rate
    dob = ref - dt.timedelta(days=rng.randint(3, 160)) if born else None
    sex = "male" if rng.random() < 0.512 else "female"
    ident = _sibling_identity(build, sex, dob or ref)
    baby = build.person("unborn", "child", sex, ident, dob)
    baby.unborn = True
    baby.mother_id = mum.person_id
    baby.father_id = dad.person_id if dad else ""
    if dad is not None:
        father = Identity(
            dad.given, dad.middle, dict(dad.alt_families).get("masculine", dad.family)
        )
    else:
        father = Identity(draw(rng, build.bg.boys), (draw(rng, build.bg.boys),), mum.family)
    mother = Identity(mum.given, mum.middle, dict(mum.alt_families).get("maiden", mum.family))
    _child_surname(build, baby, father, mother, mum, dad)


_OWN_SURNAME_WOMEN = frozenset({"pakistani", "bangladeshi", "arab", "somali", "afghan", "chinese"})


def _add_grandparent(build: _Builder, parent: TruePerson | None) -> None:
    rng, cfg, bg = build.rng, build.cfg, build.bg
    if parent is None or parent.dob is None or rng.random() >= cfg.grandparent_rate:
        return
    sex = "female" if rng.random() < 0.7 else "male"
    dob = _years_before(parent.dob, rng.uniform(18, 32))
    alts = dict(parent.alt_families)
    line = alts.get("masculine", alts.get("maiden", parent.family))
    if bg.patronymic == "somali":
        line = parent.middle[0] if parent.middle else line
    ident = identity(rng, bg, sex, dob, uk_born=not build.household.recent, surname=line)
    family = feminine(line, bg.gendered, married=True) if sex == "female" else line
    if sex == "female" and bg.key in _OWN_SURNAME_WOMEN:
        family = draw(rng, bg.wife_surnames or bg.surnames)
    relation = "grandmother" if sex == "female" else "grandfather"
    grandparent = build.person("carer", relation, sex, ident, dob, family=family)
    if rng.random() >= cfg.grandparent_resident_rate:
        build.own_address(grandparent)


def _add_visitor(build: _Builder) -> None:
    rng, cfg = build.rng, build.cfg
    if rng.random() >= cfg.visitor_rate:
        return
    local = LA_BACKGROUNDS[build.household.addresses[-1].local_authority]
    bg = build.bg if rng.random() < 0.5 else BACKGROUND[draw(rng, local)]
    dob = _years_before(cfg.reference_date, rng.triangular(17, 58, 28))
    ident = identity(rng, bg, "male", dob, uk_born=rng.random() < 0.8)
    visitor = build.person("visitor", "visitor", "male", ident, dob, bg=bg)
    visitor.recent = build.household.recent and bg.key == build.bg.key
    build.own_address(visitor, other_la_rate=0.2)


def _assign_identifiers(build: _Builder) -> None:
    """NHS numbers for everyone born; UPNs for children who have started school."""
    rng, cfg, ref = build.rng, build.cfg, build.cfg.reference_date
    for person in build.household.people:
        if person.dob is not None:
            person.nhs = build.state.nhs_numbers.issue()
        if person.relation == "child" and person.dob and age_on(person.dob, ref) >= 4.3:
            person.upn = _new_upn(rng, build.state, person, ref)
        if (
            person.recent
            and person.dob
            and person.background in ASSIGNED_DOB_BACKGROUNDS
            and age_on(person.dob, ref) >= 16
            and rng.random() < cfg.assigned_dob_rate
        ):
            person.dob = dt.date(person.dob.year + rng.choice((-1, 0, 0, 1)), 1, 1)
            person.dob_assigned = True


def _new_upn(rng: random.Random, state: _State, person: TruePerson, ref: dt.date) -> str:
    """A UPN issued where the child started school (first or current address), that year."""
    assert person.dob is not None
    addresses = person.addresses
    first = addresses[0] if len(addresses) == 1 or rng.random() < 0.6 else addresses[-1]
    la = LA_BY_CODE[first.local_authority]
    start = dt.date(person.dob.year + 4 + (person.dob.month >= 9), 9, 1)
    year = min(start.year, ref.year) % 100
    return state.upns.issue(rng, la.dfe, year)


def iter_households(
    households: int, seed: int = 0, config: PopulationConfig | None = None
) -> Iterator[TrueHousehold]:
    """The true households and people behind `iter_population` (same seed, same config)."""
    cfg = config or PopulationConfig()
    rng = random.Random(f"truth:{seed}")
    state = _State(seed)
    for index in range(households):
        yield _build_household(index, rng, cfg, state)
