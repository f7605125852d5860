"""Person search: free text in, persons out, ranked by the matcher's weights, each with why.

Identifiers (NHS number, UPN) find their records exactly. Otherwise the query is read as a
partial record — given name, family name, date of birth, postcode — and candidates are the
records that share a blocking key with it (so nicknames, transliterations and typos that sound
alike meet), or whose names start with the words typed. The matcher's model then ranks them
by the fields the query gave (`matching.search`). Scope is applied in SQL, before any limit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache, partial

from sqlalchemy import Select, String, and_, bindparam, func, or_, select, true, union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased
from stdnum.gb import nhs, upn

from hub.access import Actor, Scope, scope_values, visible
from hub.errors import InvalidQuery
from hub.models import BlockingKey, Link, SourceAddress, SourceRecord
from hub.records import PERSON_FIELDS, prepared_record
from hub.schemas import UK_POSTCODE
from matching import search as ranking
from matching.model import Model
from matching.normalise import name_key
from matching.record import Record, prepare

SEARCH_LIMIT = 50
MAX_CANDIDATES = 200  # records with the NHS number or UPN typed
NEAREST = 60  # from the blocking keys, shared among them: a common name's block holds thousands
MIN_PER_KEY = 5
FEW = 50  # per way in by names, postcode or date of birth: each is ranked in Python
FALLBACK_BELOW = 5  # hits from the precise ways under which the fallbacks are tried,
# unless one of them agrees with everything typed:
AGREES = {"exact", "middle_name_or_swapped", "swapped_with_given", "same_address", "same_postcode"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_POSTCODE_IN_TEXT = re.compile(r"\b" + UK_POSTCODE.strip("^$").replace(" ?", r"\s*") + r"\b")


@dataclass(frozen=True)
class SearchTerms:
    names: list[str]
    date_of_birth: dt.date | None = None
    postcode: str | None = None
    nhs_number: str | None = None
    upn: str | None = None


def parse_query(q: str) -> SearchTerms:
    """Split a free-text query into name words, a date of birth, a postcode and identifiers."""
    if not q.split() or len(q) > 200:
        raise InvalidQuery(
            {"q": ["Give a name, a date of birth, a postcode, an NHS number or a UPN."]}
        )
    compact = re.sub(r"[\s-]", "", q)
    if compact.isdigit() and nhs.is_valid(compact):
        return SearchTerms([], nhs_number=compact)
    if upn.is_valid(compact):
        return SearchTerms([], upn=upn.compact(compact))
    postcode = None
    if found := _POSTCODE_IN_TEXT.search(q):
        code = re.sub(r"\s", "", found.group()).upper()
        postcode = f"{code[:-3]} {code[-3:]}"
        q = q[: found.start()] + " " + q[found.end() :]
    names, dob = [], None
    for word in q.split():
        if parsed := _parse_date(word):
            dob = parsed
        elif key := name_key(word):
            names.extend(key.split())
    if not (names or dob or postcode):
        raise InvalidQuery({"q": ["No name, date of birth, postcode or valid identifier found."]})
    return SearchTerms(names, date_of_birth=dob, postcode=postcode)


def _parse_date(word: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


def search(session: Session, q: str, actor: Actor, model: Model) -> list[dict]:
    """Persons the actor may see matching the query, best first: each with its score, why,
    and the records that matched (plain rows: id, agency_code, source_ref, the person fields,
    person_id). The fallback ways in (names by their spelling, records sharing only one of the
    names typed) are tried only when the precise ways find few: they are the costly ones."""
    terms = parse_query(q)
    keys = _keys(terms)
    shape = _Shape.of(terms, len(keys), session.get_bind().dialect.name, actor)
    precise, fallback = _statements(shape)
    values = {**_values(terms, keys), **scope_values(actor)}
    records = _candidates(session, precise, values)
    hits = _hits(model, terms, records)
    if fallback is not None and len(hits) < FALLBACK_BELOW and not any(map(_agrees, hits.values())):
        known = {r.id for r in records}
        extra = _candidates(session, fallback, values)
        records += [r for r in extra if r.id not in known]
        hits = _hits(model, terms, records)
    persons: dict[int, dict] = {}
    for record in sorted(records, key=lambda r: (-hits.get(r.id, (0,))[0], r.id)):
        if record.id not in hits:
            continue
        score, why = hits[record.id]
        pid = record.person_id  # links move with merges: always the current person
        entry = persons.setdefault(
            pid, {"person_id": pid, "score": score, "why": _why(why), "records": []}
        )
        entry["records"].append(record)
    return list(persons.values())[:SEARCH_LIMIT]


def _hits(model: Model, terms: SearchTerms, records: list[Candidate]) -> dict[int, tuple]:
    if terms.nhs_number or terms.upn:
        field = "nhs_number" if terms.nhs_number else "upn"
        return {r.id: (100.0, ((field, "exact"),)) for r in records}
    return _ranked(model, terms, records)


def _agrees(hit: tuple) -> bool:
    """Every field typed agrees at its best level (names swapped count): the searcher has
    found whom they typed, so there is no need to look further by spelling."""
    return all(level in AGREES for _, level in hit[1])


def _why(reasons) -> list[dict]:
    return [{"field": field, "level": level} for field, level in reasons]


def _queries(terms: SearchTerms) -> list:
    """The query as partial records: the first name word as given name, the rest as family
    name (the comparisons see names typed the other way round as swapped); one name word as
    either."""
    base = {"date_of_birth": terms.date_of_birth, "postcode": terms.postcode}
    names = terms.names
    if not names:
        return [prepare(base)]
    if len(names) == 1:
        return [
            prepare({**base, "given_name": names[0]}),
            prepare({**base, "family_name": names[0]}),
        ]
    return [prepare({**base, "given_name": names[0], "family_name": " ".join(names[1:])})]


def _ranked(model: Model, terms: SearchTerms, records: list[Candidate]) -> dict[int, tuple]:
    views = [r.view for r in records]
    best: dict[int, tuple] = {}
    for query in _queries(terms):
        for hit in ranking.rank(model, query, views):
            record_id = int(hit.record_id)
            if record_id not in best or hit.weight > best[record_id][0]:
                best[record_id] = (hit.weight, hit.reasons)
    return best


@dataclass(frozen=True)
class Candidate:
    """A record found, as shown (id, agency_code, source_ref, the person fields) and as the
    matcher sees it (`view`), with the person it is linked to."""

    id: int
    agency_code: str
    source_ref: str
    person_id: int
    given_name: str | None
    middle_names: str | None
    family_name: str | None
    date_of_birth: dt.date | None
    local_authority: str | None
    view: Record


_SHOWN = (
    SourceRecord.id,
    SourceRecord.agency_code,
    SourceRecord.source_ref,
    Link.person_id,
    *(getattr(SourceRecord, name) for name in PERSON_FIELDS),
)


@dataclass(frozen=True)
class _Shape:
    """What a query's statements depend on beside its values: they are built once per shape
    (`_statements`), since building them cost as much as a quick query's whole run."""

    dialect: str
    identifier: str | None  # "nhs_number" or "upn": looked up directly
    names: int
    postcode: bool
    date_of_birth: bool
    keys: int
    role: str
    has_area: bool

    @classmethod
    def of(cls, terms: SearchTerms, keys: int, dialect: str, actor: Actor) -> _Shape:
        identifier = "nhs_number" if terms.nhs_number else "upn" if terms.upn else None
        return cls(
            dialect,
            identifier,
            len(terms.names),
            terms.postcode is not None,
            terms.date_of_birth is not None,
            keys,
            actor.role,
            actor.local_authority is not None,
        )


def _values(terms: SearchTerms, keys: list[str]) -> dict:
    """The values of the named parameters in the statements of the query's shape."""
    names = terms.names
    values = {
        "nhs_number": terms.nhs_number,
        "upn": terms.upn,
        "postcode": terms.postcode,
        "date_of_birth": terms.date_of_birth,
        "search_keys": keys,
        **{f"key_{i}": key for i, key in enumerate(keys)},
    }
    if names:
        values |= {
            "typed": " ".join(names),
            "first": names[0],
            "rest": " ".join(names[1:]),
            "last": names[-1],
            **{f"starts_{i}": f"{word}%" for i, word in enumerate(names)},
            **{f"inner_{i}": f"% {word}%" for i, word in enumerate(names)},
        }
    return values


@lru_cache(maxsize=1024)
def _statements(shape: _Shape) -> tuple[Select | None, Select | None]:
    """The query's precise and fallback statements (see `_ways_in`), for any actor and values
    of the shape: the scope's values are named parameters too (`scope_values`)."""
    template = Actor(None, "", shape.role, "" if shape.has_area else None)
    scope = partial(visible, template)
    precise, fallback = _ways_in(shape)
    parts = _filed_under(shape, scope) + _parts(precise, scope)
    return _candidates_statement(parts), _candidates_statement(_parts(fallback, scope))


def _parts(ways: list[tuple], scope: Scope) -> list[Select]:
    """The ids of records in scope found by each way in, up to its own limit, so a common
    family name cannot crowd out the records that share a precise key."""
    return [
        select(
            select(SourceRecord.id)
            .join(Link, Link.source_record_id == SourceRecord.id)
            .where(condition, scope(Link.person_id, SourceRecord.local_authority))
            .order_by(*nearest_first, SourceRecord.id.desc())
            .limit(limit)
            .subquery()
        )
        for condition, nearest_first, limit in ways
    ]


def _filed_under(shape: _Shape, scope: Scope) -> list[Select]:
    """The newest records in scope filed under each blocking key, a share of NEAREST each. On
    PostgreSQL one LATERAL part over the keys as an array: the same statement whatever their
    number, so its plan is made once (the planning of a part per key cost more than running
    it); elsewhere a part per key."""
    if not shape.keys:
        return []
    per_key = max(MIN_PER_KEY, NEAREST // shape.keys)
    if shape.dialect != "postgresql":
        filed = [
            (SourceRecord.id.in_(_records_under(bindparam(f"key_{i}"))), (), per_key)
            for i in range(shape.keys)
        ]
        return _parts(filed, scope)
    wanted = (
        func.unnest(bindparam("search_keys", type_=ARRAY(String)))
        .table_valued("key")
        .render_derived(name="wanted")
    )
    newest = (
        select(BlockingKey.source_record_id.label("id"))
        .join(Link, Link.source_record_id == BlockingKey.source_record_id)
        .join(SourceRecord, SourceRecord.id == BlockingKey.source_record_id)
        .where(
            BlockingKey.key == wanted.c.key,
            scope(Link.person_id, SourceRecord.local_authority),
        )
        .order_by(BlockingKey.source_record_id.desc())
        .limit(per_key)
        .lateral("newest")
    )
    return [select(newest.c.id).select_from(wanted).join(newest, true())]


def _candidates_statement(parts: list[Select]) -> Select | None:
    """The records the parts find, with each one's newest address (None: nothing to find)."""
    if not parts:
        return None
    newer = aliased(SourceAddress)
    newest_address = (
        select(func.max(newer.id)).where(newer.source_record_id == SourceRecord.id)
    ).scalar_subquery()
    return (
        select(*_SHOWN, SourceAddress.line, SourceAddress.postcode)
        .join(Link, Link.source_record_id == SourceRecord.id)
        .outerjoin(SourceAddress, SourceAddress.id == newest_address)
        .where(SourceRecord.id.in_(union(*parts)))
    )


def _candidates(session: Session, statement: Select | None, values: dict) -> list[Candidate]:
    """The records found, as plain rows, not ORM objects: a search reads up to a few hundred
    and keeps a few."""
    if statement is None:
        return []
    return [_candidate(row) for row in session.execute(statement, values)]


def _candidate(row) -> Candidate:
    fields = {name: getattr(row, name) for name in PERSON_FIELDS}
    return Candidate(
        id=row.id,
        agency_code=row.agency_code,
        source_ref=row.source_ref,
        person_id=row.person_id,
        given_name=row.given_name,
        middle_names=row.middle_names,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        local_authority=row.local_authority,
        view=prepared_record(row.id, row.agency_code, fields, (row.line, row.postcode)),
    )


def _ways_in(shape: _Shape) -> tuple[list[tuple], list[tuple]]:
    """(condition, ordering, limit) for each way in, precise and fallback.

    Precise, beside the blocking keys (`_filed_under`: sound-alikes, nicknames,
    transliterations; a common name's block holds thousands, so each gives its newest few and
    the date of birth or postcode narrows the search): the names exactly as typed (either
    order); the postcode and the date of birth, nearest in spelling to the names typed first
    where the database can say (PostgreSQL's pg_trgm `similarity`; these sets are small).
    The exact names come youngest first.
    Fallbacks, for names typed in part or misspelt past their sound (names starting with the
    words typed; records sharing just one of the names): FEW each, nearest in spelling first."""
    if shape.identifier:
        column = getattr(SourceRecord, shape.identifier)
        return [(column == bindparam(shape.identifier), (), MAX_CANDIDATES)], []
    postgresql = shape.dialect == "postgresql"
    spelling = ()
    if shape.names and postgresql:
        both = func.concat_ws(" ", SourceRecord.given_key, SourceRecord.family_key)
        spelling = (func.similarity(both, _text("typed")).desc(),)
    precise: list[tuple] = []
    if shape.names > 1:
        # Youngest first, along the (family, given, date of birth) index: a common name can
        # have thousands of records, and the scope is checked only until FEW are found.
        youngest = (SourceRecord.date_of_birth.desc(),)
        for given, family in (("first", "rest"), ("rest", "first")):
            exactly = and_(
                SourceRecord.family_key == bindparam(family),
                SourceRecord.given_key == bindparam(given),
            )
            precise.append((exactly, youngest, FEW))
    if shape.postcode:
        at = select(SourceAddress.source_record_id).where(
            SourceAddress.postcode == bindparam("postcode")
        )
        precise.append((SourceRecord.id.in_(at), spelling, FEW))
    if shape.date_of_birth:
        born = SourceRecord.date_of_birth == bindparam("date_of_birth")
        precise.append((born, spelling, FEW))
    if not shape.names:
        return precise, []
    nearest_given = (func.similarity(SourceRecord.given_key, _text("first")).desc(),)
    fallback = [
        (_names_start(shape.names), spelling, FEW),
        (SourceRecord.family_key == bindparam("last"), nearest_given if postgresql else (), FEW),
    ]
    if shape.names > 1:
        nearest_family = (func.similarity(SourceRecord.family_key, _text("last")).desc(),)
        given = SourceRecord.given_key == bindparam("first")
        fallback.append((given, nearest_family if postgresql else (), FEW))
    return precise, fallback


def _keys(terms: SearchTerms) -> list[str]:
    """The blocking keys a record matching the query would be filed under (none for an
    identifier: those are looked up directly)."""
    if terms.nhs_number or terms.upn:
        return []
    return sorted({k for query in _queries(terms) for k in ranking.query_keys(query)})


def _records_under(key) -> Select:
    return select(BlockingKey.source_record_id).where(BlockingKey.key == key)


def _text(name: str):
    return bindparam(name, type_=String)


def _names_start(words: int):
    """Every word typed starts a given or family name word (the exact-spelling path)."""
    return and_(
        *(
            or_(
                SourceRecord.given_key.like(bindparam(f"starts_{i}")),
                SourceRecord.given_key.like(bindparam(f"inner_{i}")),
                SourceRecord.family_key.like(bindparam(f"starts_{i}")),
                SourceRecord.family_key.like(bindparam(f"inner_{i}")),
            )
            for i in range(words)
        )
    )
