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

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from stdnum.gb import nhs, upn

from hub.access import Scope
from hub.errors import InvalidQuery
from hub.models import BlockingKey, Link, SourceAddress, SourceRecord
from hub.records import matching_record
from hub.schemas import UK_POSTCODE
from matching import search as ranking
from matching.model import Model
from matching.normalise import name_key
from matching.record import prepare

SEARCH_LIMIT = 50
MAX_CANDIDATES = 200  # per precise way in: each candidate is ranked in Python, with the model
FEW = 50  # per fallback way in (one name only)
FALLBACK_BELOW = 5  # hits from the precise ways under which the fallbacks are tried
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


def search(session: Session, q: str, scope: Scope, model: Model) -> list[dict]:
    """Persons in scope matching the query, best first: each with its score, why, and the
    records that matched. The fallback ways in (records sharing only one of the names typed)
    are tried only when the precise ways find few: they are the costly ones."""
    terms = parse_query(q)
    precise, fallback = _ways_in(terms, session.get_bind().dialect.name)
    records = _candidates(session, precise, scope)
    hits = _hits(model, terms, records)
    if len(hits) < FALLBACK_BELOW and fallback:
        known = {r.id for r in records}
        records += [r for r in _candidates(session, fallback, scope) if r.id not in known]
        hits = _hits(model, terms, records)
    persons: dict[int, dict] = {}
    for record in sorted(records, key=lambda r: (-hits.get(r.id, (0,))[0], r.id)):
        if record.id not in hits or record.link is None:
            continue
        score, why = hits[record.id]
        pid = record.link.person_id  # links move with merges: always the current person
        entry = persons.setdefault(
            pid, {"person_id": pid, "score": score, "why": _why(why), "records": []}
        )
        entry["records"].append(record)
    return list(persons.values())[:SEARCH_LIMIT]


def _hits(model: Model, terms: SearchTerms, records: list[SourceRecord]) -> dict[int, tuple]:
    if terms.nhs_number or terms.upn:
        field = "nhs_number" if terms.nhs_number else "upn"
        return {r.id: (100.0, ((field, "exact"),)) for r in records}
    return _ranked(model, terms, records)


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


def _ranked(model: Model, terms: SearchTerms, records: list[SourceRecord]) -> dict[int, tuple]:
    views = [matching_record(r) for r in records]
    best: dict[int, tuple] = {}
    for query in _queries(terms):
        for hit in ranking.rank(model, query, views):
            record_id = int(hit.record_id)
            if record_id not in best or hit.weight > best[record_id][0]:
                best[record_id] = (hit.weight, hit.reasons)
    return best


def _candidates(session: Session, ways: list[tuple], scope: Scope) -> list[SourceRecord]:
    """Records in scope found by any of `ways`: each has its own limit, so a common family name
    cannot crowd out the records that share a precise key."""
    ids: set[int] = set()
    for found, nearest_first, limit in ways:
        linked = (
            select(SourceRecord.id)
            .join(Link, Link.source_record_id == SourceRecord.id)
            .where(found, scope(Link.person_id))
            .order_by(*nearest_first, SourceRecord.id.desc())
            .limit(limit)
        )
        ids.update(session.scalars(linked))
    return list(
        session.scalars(
            select(SourceRecord)
            .options(selectinload(SourceRecord.addresses), selectinload(SourceRecord.link))
            .where(SourceRecord.id.in_(sorted(ids)))
        )
    )


def _ways_in(terms: SearchTerms, dialect: str) -> tuple[list[tuple], list[tuple]]:
    """(condition, ordering, limit) for each way in, precise and fallback. The precise ways
    (identifiers, shared blocking keys, an address, a date of birth, every name word) take up
    to MAX_CANDIDATES; the fallbacks, for a name misspelt past its sound (records sharing just
    one of the names), take a few, nearest in spelling first where the database can say
    (PostgreSQL's pg_trgm `similarity`)."""
    if terms.nhs_number:
        return [(SourceRecord.nhs_number == terms.nhs_number, (), MAX_CANDIDATES)], []
    if terms.upn:
        return [(SourceRecord.upn == terms.upn, (), MAX_CANDIDATES)], []
    keys = sorted({k for query in _queries(terms) for k in ranking.query_keys(query)})
    by_key = select(BlockingKey.source_record_id).where(BlockingKey.key.in_(keys))
    precise: list[tuple] = [(SourceRecord.id.in_(by_key), (), MAX_CANDIDATES)]
    if terms.postcode:
        at = select(SourceAddress.source_record_id).where(SourceAddress.postcode == terms.postcode)
        precise.append((SourceRecord.id.in_(at), (), MAX_CANDIDATES))
    if terms.date_of_birth:
        precise.append((SourceRecord.date_of_birth == terms.date_of_birth, (), MAX_CANDIDATES))
    if not terms.names:
        return precise, []
    precise.append((_names_start(terms.names), (), MAX_CANDIDATES))
    given, family = terms.names[0], terms.names[-1]
    fallback = [
        (SourceRecord.family_key == family, _nearest(SourceRecord.given_key, given, dialect), FEW)
    ]
    if len(terms.names) > 1:
        nearest = _nearest(SourceRecord.family_key, family, dialect)
        fallback.append((SourceRecord.given_key == given, nearest, FEW))
    return precise, fallback


def _nearest(column, word: str, dialect: str) -> tuple:
    return (func.similarity(column, word).desc(),) if dialect == "postgresql" else ()


def _names_start(names: list[str]):
    """Every word typed starts a given or family name word (the exact-spelling path)."""
    return and_(
        *(
            or_(
                SourceRecord.given_key.like(f"{word}%"),
                SourceRecord.given_key.like(f"% {word}%"),
                SourceRecord.family_key.like(f"{word}%"),
                SourceRecord.family_key.like(f"% {word}%"),
            )
            for word in names
        )
    )
