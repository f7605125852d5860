"""Synthetic case data for the case-view benchmark, bulk-loaded with COPY.

Persons, their agencies' source records (names from `hub.synthetic`'s lists, keys made with
`matching.normalise.name_key` as `hub.records` does), one link per record, addresses, concerns
with a heavy tail, and one `concern_revisions` row per concern (the first event, as the pipeline
stores it). A fixed set of "heavy" persons gets exactly `HEAVY_CONCERNS` concerns from at least
four agencies: the timeline probes. Most records and concerns name `BENCH_LA`, the bench user's
area, so that user can see the probes.

Columns are made with numpy per chunk and sent as COPY text (FREEZE, into tables truncated in
the same transaction). The schema comes from the project's migrations; the bulk tables'
constraints and indexes are dropped before the load and re-created from their own definitions
(`pg_get_constraintdef` / `pg_indexes`) afterwards, then VACUUM ANALYZE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from psycopg.copy import QueuedLibpqWriter

from hub.schemas import AGENCIES, EVENT_NAMESPACE
from hub.synthetic.agencies import HABITS
from hub.synthetic.backgrounds import BACKGROUNDS, Background, feminine
from hub.synthetic.places import LA_BACKGROUNDS, LOCAL_AUTHORITIES, new_address
from hub.synthetic.weighted import Weighted
from matching.normalise import name_key

BENCH_LA = "E08000025"
HEAVY_CONCERNS = 500
MIN_HEAVY_AGENCIES = 4
BULK_TABLES = (
    "persons",
    "source_records",
    "source_addresses",
    "links",
    "concerns",
    "concern_revisions",
)
CHUNK = 200_000
NULL = "\\N"
EPOCH_START = int(dt.datetime(2019, 1, 1, tzinfo=dt.UTC).timestamp())
EPOCH_END = int(dt.datetime(2025, 11, 1, tzinfo=dt.UTC).timestamp())

AGENCY_CODES = tuple(AGENCIES)
# How often each agency is the first to record a person (later records: the other agencies).
FIRST_AGENCY_WEIGHT = {
    "police": 20,
    "school": 15,
    "gp": 15,
    "health_ae": 10,
    "childrens_social_care": 10,
    "health_visitor": 6,
    "housing": 8,
    "midwifery": 4,
    "probation": 4,
    "adult_mental_health": 4,
    "substance_misuse": 4,
}
HEALTH = {"health_ae", "gp", "health_visitor", "midwifery", "adult_mental_health"}
CATEGORIES = (
    "domestic_abuse",
    "neglect",
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "missing_from_home",
    "missing_education",
    "child_exploitation",
    "parental_substance_misuse",
    "parental_mental_health",
    "self_harm",
    "injury_unexplained",
    "housing_conditions",
    "antisocial_behaviour",
    "online_safety",
)
SEVERITIES = (("low", 40), ("medium", 35), ("high", 20), ("critical", 5))
_WHO = ("Child", "Young person", "Mother", "Father", "Carer", "Sibling", "Neighbour", "Teacher")
_WHAT = (
    "reported an argument at the address late at night",
    "attended with an injury not consistent with the account given",
    "was not collected from school and no adult could be reached",
    "disclosed that there is often no food in the house",
    "was found away from home without a responsible adult",
    "described a parent being unwell and not getting up for days",
    "raised concerns about an older adult visiting the household",
    "missed three consecutive health appointments",
    "was seen with unexplained bruising on the arm",
    "reported threats made by a former partner",
    "said they were frightened to go home",
    "was absent from school for most of the half term",
)
_ACTIONS = (
    "Referred to MASH for a multi-agency check.",
    "Safety plan agreed with the parent; follow-up visit booked.",
    "Strategy discussion requested.",
    "Information shared with the health visitor.",
    "Welfare check completed by officers.",
    "School DSL informed; attendance monitored.",
)
SUMMARIES = tuple(f"{who} {what}." for who in _WHO for what in _WHAT)


@dataclass(frozen=True)
class Plan:
    persons: int
    concerns: int
    heavy: int
    seed: int = 7
    revisions: bool = True
    bench_la_share: float = 0.8  # persons whose area is BENCH_LA

    @classmethod
    def sized(cls, persons: int, concerns: int, heavy: int | None = None, **kw: Any) -> Plan:
        """`heavy` defaults to 200, fewer when there are too few concerns to spare."""
        if heavy is None:
            heavy = max(1, min(200, concerns // 5000))
        if heavy * HEAVY_CONCERNS > concerns or heavy > persons:
            raise ValueError(f"{heavy} heavy persons need {heavy * HEAVY_CONCERNS} concerns")
        return cls(persons, concerns, heavy, **kw)


Log = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# Schema: drop the bulk tables' constraints and indexes before the load, re-create them after
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaObject:
    kind: str  # "fk", "key" (primary/unique constraint) or "index"
    table: str
    name: str
    definition: str

    def create_sql(self) -> str:
        if self.kind == "index":
            return self.definition
        return f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{self.name}" {self.definition}'

    def drop_sql(self) -> str:
        if self.kind == "index":
            return f'DROP INDEX "{self.name}"'
        return f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{self.name}"'


def bulk_schema_objects(
    conn: psycopg.Connection, tables: tuple[str, ...] = BULK_TABLES
) -> list[SchemaObject]:
    """Constraints and indexes of the bulk tables, and foreign keys pointing at them, in the
    order to re-create them (keys, then plain indexes, then foreign keys)."""
    tables = list(tables)
    keys = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY(%s)"
        " ORDER BY contype, conname",
        (tables,),
    ).fetchall()
    indexes = conn.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        " AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        " ORDER BY indexname",
        (tables,),
    ).fetchall()
    fks = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND (conrelid::regclass::text = ANY(%s)"
        " OR confrelid::regclass::text = ANY(%s)) ORDER BY conname",
        (tables, tables),
    ).fetchall()
    return (
        [SchemaObject("key", *row) for row in keys]
        + [SchemaObject("index", *row) for row in indexes]
        + [SchemaObject("fk", *row) for row in fks]
    )


def reset_schema(conn: psycopg.Connection) -> None:
    conn.execute("DROP SCHEMA public CASCADE")
    conn.execute("CREATE SCHEMA public")
    conn.commit()


# --------------------------------------------------------------------------------------------
# Vectorised helpers
# --------------------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, table: Weighted, n: int) -> np.ndarray:
    names, cumulative = table
    cum = np.asarray(cumulative)
    idx = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
    return np.asarray(names, dtype=object)[np.minimum(idx, len(names) - 1)]


def _given_table(bg: Background, sex: str, cohort: int) -> Weighted:
    """As `hub.synthetic.backgrounds`: children, adults and elders draw from different lists."""
    male = sex == "male"
    if cohort == 0:
        return bg.boys if male else bg.girls
    table = None
    if cohort == 2:
        table = bg.elder_men if male else bg.elder_women
    table = table or (bg.men if male else bg.women)
    return table or (bg.boys if male else bg.girls)


def _strs(values: np.ndarray) -> list[str]:
    return list(map(str, values.tolist()))


class Stamps:
    """Second-resolution UTC timestamps as COPY text, through two lookup tables."""

    def __init__(self, start: int, end: int) -> None:
        self.first_day = start // 86400
        days = end // 86400 - self.first_day + 2
        base = np.datetime64(self.first_day, "D")
        self.days = np.array([f"{base + i}T" for i in range(days)], dtype=object)
        self.times = np.array(
            [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z" for s in range(86400)],
            dtype=object,
        )

    def text(self, seconds: np.ndarray) -> list[str]:
        day = self.days[seconds // 86400 - self.first_day].tolist()
        return [d + t for d, t in zip(day, self.times[seconds % 86400].tolist(), strict=True)]


def event_ids(names: list[str]) -> list[str]:
    """`hub.schemas.event_id_for(agency, ref)` (uuid5 of 'agency:ref'), vectorised."""
    prefix = EVENT_NAMESPACE.bytes
    digests = b"".join([hashlib.sha1(prefix + n.encode()).digest()[:16] for n in names])
    raw = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x50
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = np.frombuffer(raw.tobytes().hex().encode(), dtype=np.uint8).reshape(-1, 32)
    out = np.full((len(names), 36), ord("-"), dtype=np.uint8)
    for src, dst in ((0, 0), (8, 9), (12, 14), (16, 19), (20, 24)):
        width = {0: 8, 8: 4, 12: 4, 16: 4, 20: 12}[src]
        out[:, dst : dst + width] = hexed[:, src : src + width]
    return np.frombuffer(out.tobytes(), dtype="S36").astype("U36").tolist()


def nhs_numbers(index: np.ndarray, seed: int) -> np.ndarray:
    """Valid (modulus 11) NHS numbers for person indexes, none repeated; None where the body
    has no valid check digit (1 in 11)."""
    span, step = 400_000_000, 193_877_317
    offset = random.Random(f"nhs:{seed}").randrange(span)
    body = 400_000_000 + ((index.astype(np.int64) + offset) * step) % span
    total, rest = np.zeros_like(body), body.copy()
    for weight in range(2, 11):
        total += weight * (rest % 10)
        rest //= 10
    check = (11 - total % 11) % 11
    out = np.array(_strs(body * 10 + check), dtype=object)
    out[check == 10] = None
    return out


def _text_rows(columns: list[list[str]]) -> bytes:
    return ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode()


def _nullable(values: np.ndarray) -> list[str]:
    return [NULL if v is None else v for v in values.tolist()]


# --------------------------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------------------------


@dataclass
class People:
    la: np.ndarray  # object: local authority code
    sex: np.ndarray  # object
    dob: np.ndarray  # datetime64[D]
    given: np.ndarray  # object
    middle: np.ndarray  # object or None
    family: np.ndarray  # object
    nhs: np.ndarray  # object or None
    line: np.ndarray  # object: current address
    postcode: np.ndarray
    heavy: np.ndarray  # person indexes (0-based) of the timeline probes


def make_people(plan: Plan, rng: np.random.Generator, log: Log) -> People:
    n = plan.persons
    t0 = time.perf_counter()
    others = [la for la in LOCAL_AUTHORITIES if la.code != BENCH_LA]
    weights = np.array([la.weight for la in others])
    la_idx = rng.choice(len(others), size=n, p=weights / weights.sum())
    la = np.array([others[i].code for i in la_idx], dtype=object)
    la[rng.random(n) < plan.bench_la_share] = BENCH_LA
    heavy = rng.choice(np.flatnonzero(la == BENCH_LA), size=plan.heavy, replace=False)
    heavy.sort()

    sex = np.where(rng.random(n) < 0.5, "female", "male").astype(object)
    child = rng.random(n) < 0.65
    start = np.where(child, 13149, -3653)  # 2006-01-01 / 1960-01-01, days since 1970
    end = np.where(child, 20269, 13148)  # 2025-06-30 / 2005-12-31
    dob = (start + (rng.random(n) * (end - start)).astype(np.int64)).astype("datetime64[D]")
    year = dob.astype("datetime64[Y]").astype(int) + 1970
    cohort = np.where(year >= 2006, 0, np.where(year >= 1972, 1, 2))

    bg_idx = np.empty(n, dtype=np.int64)
    keys = {b.key: i for i, b in enumerate(BACKGROUNDS)}
    for code in np.unique(la):
        where = np.flatnonzero(la == code)
        bg_names, cum = LA_BACKGROUNDS[code]
        picks = np.searchsorted(np.asarray(cum), rng.random(len(where)) * cum[-1], side="right")
        bg_idx[where] = [keys[bg_names[min(p, len(bg_names) - 1)]] for p in picks]

    given = np.empty(n, dtype=object)
    middle = np.full(n, None, dtype=object)
    family = np.empty(n, dtype=object)
    for b, bg in enumerate(BACKGROUNDS):
        in_bg = bg_idx == b
        if not in_bg.any():
            continue
        where = np.flatnonzero(in_bg)
        family[where] = _draw(rng, bg.surnames, len(where))
        for s in ("female", "male"):
            for c in (0, 1, 2):
                group = np.flatnonzero(in_bg & (sex == s) & (cohort == c))
                if not len(group):
                    continue
                table = _given_table(bg, s, c)
                given[group] = _draw(rng, table, len(group))
                has_middle = group[rng.random(len(group)) < bg.middle]
                middle[has_middle] = _draw(rng, table, len(has_middle))
        if bg.gendered:
            girls = np.flatnonzero(in_bg & (sex == "female"))
            forms = {s: feminine(s, bg.gendered, False) for s in set(family[girls].tolist())}
            family[girls] = [forms[s] for s in family[girls].tolist()]

    py = random.Random(f"caseview:{plan.seed}")
    line = np.empty(n, dtype=object)
    postcode = np.empty(n, dtype=object)
    for i, code in enumerate(la.tolist()):
        address = new_address(py, code)
        line[i], postcode[i] = address.line, address.postcode
    log(f"  people: {n:,} in {time.perf_counter() - t0:.1f}s")
    return People(
        la,
        sex,
        dob,
        given,
        middle,
        family,
        nhs_numbers(np.arange(n), plan.seed),
        line,
        postcode,
        heavy,
    )


@dataclass
class Records:
    person: np.ndarray  # person index of each record, in record-id order
    agency: np.ndarray  # agency index
    la: np.ndarray  # object
    first: np.ndarray  # bool: the person's first record (its link made the person)
    start: np.ndarray  # per person: offset of its records in `by_person`
    count: np.ndarray  # per person: number of records
    by_person: np.ndarray  # record ids (1-based) grouped by person


def make_records(plan: Plan, people: People, rng: np.random.Generator) -> Records:
    n = plan.persons
    count = rng.choice([1, 2, 3], size=n, p=[0.45, 0.35, 0.20])
    count[people.heavy] = rng.integers(MIN_HEAVY_AGENCIES, 7, size=len(people.heavy))
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    total = int(count.sum())
    person = np.repeat(np.arange(n), count)
    k = np.arange(total) - np.repeat(start, count)
    weights = np.array([FIRST_AGENCY_WEIGHT[a] for a in AGENCY_CODES], dtype=float)
    first_agency = rng.choice(len(AGENCY_CODES), size=n, p=weights / weights.sum())
    step = rng.integers(1, len(AGENCY_CODES), size=n)  # 11 agencies, a prime: k distinct
    agency = (first_agency[person] + k * step[person]) % len(AGENCY_CODES)
    la = people.la[person].copy()
    moved = rng.random(total) < 0.05
    moved &= ~np.isin(person, people.heavy)
    la[moved] = rng.choice([x.code for x in LOCAL_AUTHORITIES], size=int(moved.sum()))
    # Records arrive over time: ids in no person order.
    ids = rng.permutation(total) + 1
    order = np.argsort(ids)  # record id i+1 is grouped record order[i]
    return Records(
        person=person[order],
        agency=agency[order],
        la=la[order],
        first=(k == 0)[order],
        start=start,
        count=count,
        by_person=ids,
    )


def concern_owners(plan: Plan, people: People, rng: np.random.Generator) -> np.ndarray:
    """The person index of every concern: the heavy persons exactly HEAVY_CONCERNS each, the
    rest spread over everyone else with a heavy (log-normal) tail."""
    rest = plan.concerns - plan.heavy * HEAVY_CONCERNS
    weights = rng.lognormal(0.0, 1.0, size=plan.persons)
    weights[people.heavy] = 0.0
    counts = rng.multinomial(rest, weights / weights.sum())
    counts[people.heavy] = HEAVY_CONCERNS
    return np.repeat(np.arange(plan.persons), counts)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


class Loader:
    """COPY FREEZE into a table truncated in the same transaction, on its own connection."""

    def __init__(self, url: str, table: str, columns: tuple[str, ...]) -> None:
        self.table, self.rows = table, 0
        self.conn = psycopg.connect(url)
        self.conn.execute("SET synchronous_commit = off")
        self.conn.execute(f'TRUNCATE "{table}"')
        self.cursor = self.conn.cursor()
        cols = ", ".join(columns)
        self._copy_cm = self.cursor.copy(
            f'COPY "{table}" ({cols}) FROM STDIN WITH (FREEZE)',
            writer=QueuedLibpqWriter(self.cursor),
        )
        self.copy = self._copy_cm.__enter__()

    def write(self, data: bytes, rows: int) -> None:
        self.copy.write(data)
        self.rows += rows

    def close(self) -> None:
        self._copy_cm.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()


PERSON_COLS = ("id", "created_at", "merged_into_id")
RECORD_COLS = (
    "id",
    "agency_code",
    "source_ref",
    "local_authority",
    "given_name",
    "middle_names",
    "family_name",
    "given_key",
    "family_key",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "updated_at",
)
LINK_COLS = (
    "id",
    "source_record_id",
    "person_id",
    "method",
    "score",
    "explanation",
    "model_version",
    "linked_by",
    "linked_at",
)
ADDRESS_COLS = ("id", "source_record_id", "line", "postcode", "valid_from", "valid_to")
CONCERN_COLS = (
    "id",
    "event_id",
    "person_id",
    "source_record_id",
    "agency_code",
    "concern_ref",
    "local_authority",
    "occurred_at",
    "reported_at",
    "received_at",
    "category",
    "severity",
    "sensitivity",
    "summary",
    "action_taken",
    "schema_version",
    "revision",
    "withdrawn",
    "updated_at",
)
REVISION_COLS = (
    "id",
    "concern_id",
    "event_id",
    "revision",
    "withdrawn",
    "received_at",
    "source_record_id",
    "occurred_at",
    "category",
    "severity",
    "sensitivity",
    "summary",
    "action_taken",
)


def _chunks(total: int, size: int = CHUNK) -> Iterator[slice]:
    for lo in range(0, total, size):
        yield slice(lo, min(total, lo + size))


def load_persons(url: str, plan: Plan, rng: np.random.Generator, stamps: Stamps) -> int:
    loader = Loader(url, "persons", PERSON_COLS)
    for part in _chunks(plan.persons):
        n = part.stop - part.start
        created = rng.integers(EPOCH_START, EPOCH_END, size=n)
        ids = _strs(np.arange(part.start + 1, part.stop + 1))
        loader.write(_text_rows([ids, stamps.text(created), [NULL] * n]), n)
    loader.close()
    return loader.rows


def _upns(rng: np.random.Generator, dob: np.ndarray, la: np.ndarray) -> list[str]:
    from stdnum.gb import upn

    dfe = {x.code: x.dfe for x in LOCAL_AUTHORITIES}
    years = (dob.astype("datetime64[Y]").astype(int) + 1975) % 100
    schools = rng.integers(2000, 4000, size=len(dob))
    serials = rng.integers(0, 1000, size=len(dob))
    out = []
    for code, yy, school, serial in zip(
        la.tolist(), years.tolist(), schools.tolist(), serials.tolist(), strict=True
    ):
        body = f"{dfe[code]}{school}{yy:02d}{serial:03d}"
        out.append(upn.calc_check_digit(body) + body)
    return out


def load_records(
    url: str,
    plan: Plan,
    people: People,
    records: Records,
    rng: np.random.Generator,
    stamps: Stamps,
    model_version: str,
) -> dict[str, int]:
    """source_records, links and source_addresses, in record-id order."""
    rec = Loader(url, "source_records", RECORD_COLS)
    links = Loader(url, "links", LINK_COLS)
    addresses = Loader(url, "source_addresses", ADDRESS_COLS)
    key_cache: dict[str | None, str | None] = {}

    def keys(names: list[str | None]) -> list[str]:
        out = []
        for name in names:
            if name not in key_cache:
                key_cache[name] = name_key(name)
            key = key_cache[name]
            out.append(NULL if key is None else key)
        return out

    agencies = np.asarray(AGENCY_CODES, dtype=object)
    prefixes = [HABITS[a].prefix for a in AGENCY_CODES]
    address_id = 0
    total = len(records.person)
    for part in _chunks(total):
        n = part.stop - part.start
        ids = np.arange(part.start + 1, part.stop + 1)
        person = records.person[part]
        agency_idx = records.agency[part]
        agency = agencies[agency_idx]
        given = people.given[person].copy()
        family = people.family[person].copy()
        upper = rng.random(n) < np.where(agency == "police", 0.75, 0.05)
        family[upper] = [s.upper() for s in family[upper].tolist()]
        middle = people.middle[person].copy()
        middle[rng.random(n) < 0.4] = None  # agencies often drop middle names
        dob = people.dob[person]
        dob_text = np.datetime_as_string(dob).astype(object)
        dob_text[rng.random(n) < 0.03] = NULL
        sex = people.sex[person].copy()
        sex[rng.random(n) < 0.05] = None
        is_health = np.isin(agency, list(HEALTH))
        nhs = np.where(is_health, people.nhs[person], None)
        upn = np.full(n, NULL, dtype=object)
        school = np.flatnonzero(agency == "school")
        upn[school] = _upns(rng, dob[school], records.la[part][school])
        refs = [
            f"{prefixes[a]}{i:08d}" for a, i in zip(agency_idx.tolist(), ids.tolist(), strict=True)
        ]
        updated = stamps.text(rng.integers(EPOCH_START, EPOCH_END, size=n))
        id_text = _strs(ids)
        rec.write(
            _text_rows(
                [
                    id_text,
                    agency.tolist(),
                    refs,
                    records.la[part].tolist(),
                    given.tolist(),
                    _nullable(middle),
                    family.tolist(),
                    keys(given.tolist()),
                    keys(family.tolist()),
                    dob_text.tolist(),
                    _nullable(sex),
                    _nullable(nhs),
                    upn.tolist(),
                    updated,
                ]
            ),
            n,
        )
        first = records.first[part]
        score = np.where(first, NULL, np.char.mod("%.4f", 0.9 + 0.0999 * rng.random(n)))
        links.write(
            _text_rows(
                [
                    id_text,
                    id_text,
                    _strs(person + 1),
                    np.where(first, "new_person", "probabilistic").tolist(),
                    score.tolist(),
                    np.where(
                        first,
                        '{"decision": "new", "reason": "no candidate"}',
                        '{"decision": "link", "reason": "above threshold"}',
                    ).tolist(),
                    [model_version] * n,
                    ["pipeline"] * n,
                    updated,
                ]
            ),
            n,
        )
        # The current address; 15% also an older one (somebody else's address now), first.
        older = np.flatnonzero(rng.random(n) < 0.15)
        donors = rng.integers(0, plan.persons, size=len(older))
        rec_of = np.concatenate([older, np.arange(n)])
        order = np.argsort(rec_of, kind="stable")
        rec_of = rec_of[order]
        line = np.concatenate([people.line[donors], people.line[person]])[order]
        postcode = np.concatenate([people.postcode[donors], people.postcode[person]])[order]
        is_old = np.concatenate([np.ones(len(older), bool), np.zeros(n, bool)])[order]
        moved_in = rng.integers(14000, 20000, size=len(rec_of)).astype("datetime64[D]")
        valid_from = np.datetime_as_string(moved_in).astype(object)
        valid_to = np.where(is_old, np.datetime_as_string(moved_in + 700), NULL).astype(object)
        dup = is_old & (line == np.roll(line, -1)) & (postcode == np.roll(postcode, -1))
        keep = ~dup
        m = int(keep.sum())
        addresses.write(
            _text_rows(
                [
                    _strs(np.arange(address_id + 1, address_id + m + 1)),
                    _strs(ids[rec_of[keep]]),
                    line[keep].tolist(),
                    postcode[keep].tolist(),
                    valid_from[keep].tolist(),
                    valid_to[keep].tolist(),
                ]
            ),
            m,
        )
        address_id += m
    for loader in (rec, links, addresses):
        loader.close()
    return {"source_records": rec.rows, "links": links.rows, "source_addresses": addresses.rows}


def load_concerns(
    url: str,
    plan: Plan,
    people: People,
    records: Records,
    rng: np.random.Generator,
    stamps: Stamps,
) -> dict[str, int]:
    owner = concern_owners(plan, people, rng)
    # Each concern comes from one of its person's records (so from that record's agency).
    pick = (rng.random(len(owner)) * records.count[owner]).astype(np.int64)
    record_id = records.by_person[records.start[owner] + pick]
    occurred = rng.integers(EPOCH_START, EPOCH_END - 10 * 86400, size=len(owner))
    reported = occurred + rng.exponential(1.5 * 86400, size=len(owner)).astype(np.int64)
    received = reported + rng.exponential(600, size=len(owner)).astype(np.int64)
    order = np.argsort(received, kind="stable")  # ids in arrival order
    owner, record_id = owner[order], record_id[order]
    occurred, reported, received = occurred[order], reported[order], received[order]

    concerns = Loader(url, "concerns", CONCERN_COLS)
    revisions = Loader(url, "concern_revisions", REVISION_COLS) if plan.revisions else None
    agencies = np.asarray(AGENCY_CODES, dtype=object)
    prefixes = [HABITS[a].prefix for a in AGENCY_CODES]
    categories = np.asarray(CATEGORIES, dtype=object)
    severities = np.asarray([s for s, _ in SEVERITIES], dtype=object)
    sev_p = np.array([w for _, w in SEVERITIES], dtype=float)
    summaries = np.asarray(SUMMARIES, dtype=object)
    actions = np.asarray((*_ACTIONS, NULL), dtype=object)
    health = np.isin(agencies, list(HEALTH))
    for part in _chunks(len(owner)):
        n = part.stop - part.start
        ids = np.arange(part.start + 1, part.stop + 1)
        rec = record_id[part] - 1
        agency_idx = records.agency[rec]
        agency = agencies[agency_idx]
        la = records.la[rec].copy()
        elsewhere = rng.random(n) < 0.05
        la[elsewhere] = people.la[owner[part][elsewhere]]
        refs = [
            f"{prefixes[a]}INC{i:09d}"
            for a, i in zip(agency_idx.tolist(), ids.tolist(), strict=True)
        ]
        events = event_ids([f"{a}:{r}" for a, r in zip(agency.tolist(), refs, strict=True)])
        roll = rng.random(n)
        sensitivity = np.full(n, "standard", dtype=object)
        sensitivity[(agency == "police") & (roll < 0.15)] = "police_intelligence"
        sensitivity[health[agency_idx] & (roll < 0.15)] = "health_confidential"
        sensitivity[roll > 0.98] = "restricted"
        withdrawn = np.where(rng.random(n) < 0.01, "t", "f").tolist()
        id_text, rec_text = _strs(ids), _strs(record_id[part])
        occurred_text = stamps.text(occurred[part])
        received_text = stamps.text(received[part])
        category = categories[rng.integers(0, len(categories), size=n)].tolist()
        severity = severities[rng.choice(len(severities), size=n, p=sev_p / sev_p.sum())].tolist()
        summary = summaries[rng.integers(0, len(summaries), size=n)].tolist()
        action = actions[rng.integers(0, len(actions), size=n)].tolist()
        sens = sensitivity.tolist()
        concerns.write(
            _text_rows(
                [
                    id_text,
                    events,
                    _strs(owner[part] + 1),
                    rec_text,
                    agency.tolist(),
                    refs,
                    la.tolist(),
                    occurred_text,
                    stamps.text(reported[part]),
                    received_text,
                    category,
                    severity,
                    sens,
                    summary,
                    action,
                    ["1"] * n,
                    ["1"] * n,
                    withdrawn,
                    [NULL] * n,
                ]
            ),
            n,
        )
        if revisions is not None:
            revisions.write(
                _text_rows(
                    [
                        id_text,
                        id_text,
                        events,
                        ["1"] * n,
                        withdrawn,
                        received_text,
                        rec_text,
                        occurred_text,
                        category,
                        severity,
                        sens,
                        summary,
                        action,
                    ]
                ),
                n,
            )
    concerns.close()
    out = {"concerns": concerns.rows}
    if revisions is not None:
        revisions.close()
        out["concern_revisions"] = revisions.rows
    return out


KEY_COLS = ("key", "source_record_id")
RECORDS_FOR_KEYS = """
SELECT r.id, r.agency_code, r.given_name, r.middle_names, r.family_name, r.date_of_birth, r.sex,
       r.nhs_number, r.upn, a.line, a.postcode
FROM source_records r
LEFT JOIN (SELECT DISTINCT ON (source_record_id) source_record_id, line, postcode
           FROM source_addresses ORDER BY source_record_id, id DESC) a
       ON a.source_record_id = r.id
ORDER BY r.id
"""


def load_blocking_keys(url: str, log: Log) -> dict[str, Any]:
    """`blocking_keys` as the pipeline stores them (`hub.records.link_records`): the sorted,
    distinct keys of each record as the matcher sees it (`matching.record.prepare` of its
    person fields and latest address), read back from the loaded records. Person search
    finds candidates through them."""
    from matching.blocking import keys_of
    from matching.record import prepare

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        objects = bulk_schema_objects(conn, ("blocking_keys",))
        for obj in reversed(objects):
            conn.execute(obj.drop_sql())
    loader = Loader(url, "blocking_keys", KEY_COLS)
    records = 0
    with psycopg.connect(url) as conn, conn.cursor(name="records_for_keys") as cur:
        cur.itersize = 20_000
        cur.execute(RECORDS_FOR_KEYS)
        while rows := cur.fetchmany(50_000):
            lines = []
            for rid, agency, given, middle, family, dob, sex, nhs, upn, line, postcode in rows:
                view = prepare(
                    {
                        "record_id": str(rid),
                        "agency": agency,
                        "given_name": given,
                        "middle_names": middle,
                        "family_name": family,
                        "date_of_birth": dob,
                        "sex": sex,
                        "nhs_number": nhs,
                        "upn": upn,
                        "postcode": postcode,
                        "address_line": line,
                    }
                )
                lines.extend(f"{key}\t{rid}" for key in sorted(set(keys_of(view))))
            loader.write(("\n".join(lines) + "\n").encode(), len(lines))
            records += len(rows)
    loader.close()
    copied = time.perf_counter()
    log(f"  blocking keys: {loader.rows:,} for {records:,} records in {copied - started:.1f}s")
    index_seconds = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for obj in objects:
            t1 = time.perf_counter()
            conn.execute(obj.create_sql())
            index_seconds[obj.name] = round(time.perf_counter() - t1, 2)
        conn.execute("VACUUM (ANALYZE) blocking_keys")
    return {
        "rows": loader.rows,
        "copy_seconds": round(copied - started, 2),
        "index_seconds": index_seconds,
        "seconds": round(time.perf_counter() - started, 2),
    }


def psycopg_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def generate(sqlalchemy_url: str, plan: Plan, log: Log = print) -> dict[str, Any]:
    """Build the schema with the project's migrations and load the plan's data. Returns
    timings (seconds per phase), row counts and rows/s."""
    from hub import migrate
    from hub.db import make_engine
    from hub.settings import Settings
    from matching.model import Model, default_model_path

    url = psycopg_url(sqlalchemy_url)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 2)
        log(f"{name}: {timings[name]:.1f}s")
        return now

    with psycopg.connect(url) as conn:
        reset_schema(conn)
    engine = make_engine(Settings.from_env({}, database_url=sqlalchemy_url))
    migrate.upgrade(engine)
    engine.dispose()
    t = phase("migrate", started)

    with psycopg.connect(url, autocommit=True) as conn:
        objects = bulk_schema_objects(conn)
        for obj in reversed(objects):  # foreign keys first, keys last
            conn.execute(obj.drop_sql())
    t = phase("drop_constraints", t)

    rng = np.random.default_rng(plan.seed)
    stamps = Stamps(EPOCH_START, EPOCH_END + 30 * 86400)
    people = make_people(plan, rng, log)
    records = make_records(plan, people, rng)
    t = phase("generate_people", t)
    rows = {"persons": load_persons(url, plan, rng, stamps)}
    t = phase("copy_persons", t)
    version = Model.load(default_model_path()).version
    rows.update(load_records(url, plan, people, records, rng, stamps, version))
    t = phase("copy_records_links_addresses", t)
    rows.update(load_concerns(url, plan, people, records, rng, stamps))
    t = phase("copy_concerns_revisions", t)

    index_seconds: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for obj in objects:
            t1 = time.perf_counter()
            conn.execute(obj.create_sql())
            index_seconds[obj.name] = round(time.perf_counter() - t1, 2)
        for table in BULK_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" GREATEST((SELECT max(id) FROM {table}), 1))"
            )
    t = phase("constraints_indexes", t)
    with psycopg.connect(url, autocommit=True) as conn:
        for table in BULK_TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    t = phase("vacuum_analyze", t)
    keys = load_blocking_keys(url, log)
    rows["blocking_keys"] = keys["rows"]
    index_seconds.update(keys["index_seconds"])
    t = phase("blocking_keys", t)
    with psycopg.connect(url) as conn:
        sizes = dict(
            conn.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                ([*BULK_TABLES, "blocking_keys"],),
            ).fetchall()
        )
        db_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    total_rows = sum(rows.values())
    total = time.perf_counter() - started
    copy_seconds = keys["copy_seconds"] + sum(
        v for k, v in timings.items() if k.startswith(("copy", "generate"))
    )
    return {
        "plan": plan.__dict__,
        "rows": rows,
        "seconds": timings,
        "index_seconds": index_seconds,
        "blocking_keys_copy_seconds": keys["copy_seconds"],
        "total_seconds": round(total, 1),
        "copy_rows_per_s": round(total_rows / copy_seconds) if copy_seconds else None,
        "overall_rows_per_s": round(total_rows / total),
        "table_bytes": sizes,
        "database_bytes": db_bytes,
        "heavy_person_ids": (people.heavy + 1).tolist(),
    }
