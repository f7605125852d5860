"""The domain model: who shares, whom they know about, what they saw, and how records are linked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(40))


class AgencyCredential(Base):
    """A key an agency system sends to push concerns. Only its SHA-256 is stored; the key
    decides which agency is publishing, never a field in the payload."""

    __tablename__ = "agency_credentials"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class Person(Base):
    """The hub's linked identity. After a merge, `merged_into_id` forwards to the survivor."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)

    links: Mapped[list[Link]] = relationship(back_populates="person")


class SourceRecord(Base):
    """One agency's record of one person, keyed by the agency's own reference."""

    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("agency_code", "source_ref", name="uq_source_record_agency_ref"),
        Index("ix_source_records_name_dob", "family_key", "given_key", "date_of_birth"),
        # Search matches a name word anywhere in a name (LIKE '% word%') on PostgreSQL through
        # trigram indexes (migration 0010); on SQLite they are plain indexes.
        Index(
            "ix_source_records_given_key_trgm",
            "given_key",
            postgresql_using="gin",
            postgresql_ops={"given_key": "gin_trgm_ops"},
        ),
        Index(
            "ix_source_records_family_key_trgm",
            "family_key",
            postgresql_using="gin",
            postgresql_ops={"family_key": "gin_trgm_ops"},
        ),
        Index("ix_source_records_date_of_birth", "date_of_birth"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    source_ref: Mapped[str] = mapped_column(String(120))
    local_authority: Mapped[str | None] = mapped_column(String(60))
    given_name: Mapped[str | None] = mapped_column(String(120))
    middle_names: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(120))
    given_key: Mapped[str | None] = mapped_column(String(120))
    family_key: Mapped[str | None] = mapped_column(String(120))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    upn: Mapped[str | None] = mapped_column(String(13), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    addresses: Mapped[list[SourceAddress]] = relationship(
        back_populates="source_record", cascade="all, delete-orphan", order_by="SourceAddress.id"
    )
    link: Mapped[Link | None] = relationship(back_populates="source_record", uselist=False)


class SourceAddress(Base):
    __tablename__ = "source_addresses"
    __table_args__ = (
        UniqueConstraint("source_record_id", "line", "postcode", name="uq_source_address"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    source_record: Mapped[SourceRecord] = relationship(back_populates="addresses")


class Link(Base):
    """Why a source record belongs to a person: the method, score, explanation and model."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    method: Mapped[str] = mapped_column(String(40))
    score: Mapped[float | None]
    explanation: Mapped[dict] = mapped_column(JSONType, default=dict)
    model_version: Mapped[str] = mapped_column(String(60))
    linked_by: Mapped[str] = mapped_column(String(120))
    linked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    source_record: Mapped[SourceRecord] = relationship(back_populates="link")
    person: Mapped[Person] = relationship(back_populates="links")


class BlockingKey(Base):
    """A matching blocking key of a source record: candidates are records sharing a key."""

    __tablename__ = "blocking_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_records.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReviewTask(Base):
    """An uncertain link: a person decides whether the record belongs to the candidate."""

    __tablename__ = "review_tasks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    candidate_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    probability: Mapped[float]
    reason: Mapped[str] = mapped_column(String(60))
    explanation: Mapped[dict] = mapped_column(JSONType, default=dict)
    model_version: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    decision: Mapped[str | None] = mapped_column(String(30))

    source_record: Mapped[SourceRecord] = relationship()


class Merge(Base):
    """Person `merged_id` folded into `survivor_id`; the moved source records are kept so an
    unmerge can put each one back."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    source_record_ids: Mapped[list] = mapped_column(JSONType, default=list)
    reason: Mapped[str] = mapped_column(String(200))
    merged_by: Mapped[str] = mapped_column(String(120))
    merged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    undone_by: Mapped[str | None] = mapped_column(String(120))
    undone_at: Mapped[dt.datetime | None]


class Concern(Base):
    """Something an agency saw or did about a person, as its latest revision says. `event_id`
    is the first event's; every event, the first included, is kept in `concern_revisions`."""

    __tablename__ = "concerns"
    __table_args__ = (
        Index("ix_concerns_person_occurred", "person_id", "occurred_at"),
        # A person's live concerns, newest first: the chronology's count and pages (0010).
        Index(
            "ix_concerns_person_live",
            "person_id",
            text("occurred_at DESC"),
            text("id DESC"),
            postgresql_where=text("NOT withdrawn"),
            sqlite_where=text("NOT withdrawn"),
        ),
        UniqueConstraint("agency_code", "concern_ref", name="uq_concern_agency_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    concern_ref: Mapped[str] = mapped_column(String(120))
    local_authority: Mapped[str | None] = mapped_column(String(60))
    occurred_at: Mapped[dt.datetime]
    reported_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    category: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(20))
    sensitivity: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    schema_version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[dt.datetime | None]

    agency: Mapped[Agency] = relationship()
    revisions: Mapped[list[ConcernRevision]] = relationship(
        back_populates="concern", order_by="ConcernRevision.id"
    )


class ConcernRevision(Base):
    """One event about a concern, as it arrived: the first report, each amendment, a
    withdrawal. Out-of-order arrivals are kept here too; only a higher revision changes the
    concern."""

    __tablename__ = "concern_revisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    revision: Mapped[int] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    occurred_at: Mapped[dt.datetime]
    category: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(20))
    sensitivity: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(120))

    concern: Mapped[Concern] = relationship(back_populates="revisions")


class Household(Base):
    """The people recorded at one address (postcode + normalised address line)."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("address_key", name="uq_households_address_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    address_key: Mapped[str | None] = mapped_column(String(400))


class HouseholdMembership(Base):
    """A person in a household over a time window: a child, a carer, a partner, a visitor."""

    __tablename__ = "household_memberships"
    __table_args__ = (
        UniqueConstraint("household_id", "person_id", "role", name="uq_household_member"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class DeclaredRelationship(Base):
    """What an agency says about who someone is to whom: the record at (related agency,
    related_source_ref) is this record's mother, father, partner, visitor... The other record
    may not have arrived yet; it is resolved to a person when it is read."""

    __tablename__ = "declared_relationships"
    __table_args__ = (
        UniqueConstraint(
            "source_record_id",
            "relationship",
            "related_source_ref",
            name="uq_declared_relationship",
        ),
        Index("ix_declared_relationship_target", "related_agency_code", "related_source_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(20))
    related_agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    related_source_ref: Mapped[str] = mapped_column(String(120))
    declared_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit trail: write it with `hub.audit.record`
    or seal it in from the inbox with `hub.audit.seal` (which pick the id and the hashes),
    never directly."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditInboxEntry(Base):
    """An audit entry waiting to be sealed into the chain (`audit_events`): written by
    `hub.audit.append_unsealed` without the audit lock, moved out by `hub.audit.seal`. Its id
    is only the order of arrival; the entry gets its chain id when sealed. The database refuses
    UPDATE (migration 0011); DELETE is how sealing moves a row out."""

    __tablename__ = "audit_inbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class DeadLetter(Base):
    """A message the pipeline could not accept, kept whole with the reason. Nothing is dropped."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payload_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_topic: Mapped[str] = mapped_column(String(200))
    message_key: Mapped[str | None] = mapped_column(String(300))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(String(60))
    errors: Mapped[dict] = mapped_column(JSONType, default=dict)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BusMessage(Base):
    """The embedded transport's durable log: one row per published message, in order."""

    __tablename__ = "bus_messages"
    __table_args__ = (Index("ix_bus_messages_topic_id", "topic", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(String(300))
    value: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BusOffset(Base):
    """The embedded transport's committed position of a consumer group on a topic."""

    __tablename__ = "bus_offsets"

    group_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)
    next_id: Mapped[int] = mapped_column(BigInteger, default=0)


class User(Base):
    """A person who signs in: their role, and the local authority whose children they serve."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    local_authority: Mapped[str | None] = mapped_column(String(60))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]


class ApiToken(Base):
    """A bearer token of a user's API client; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class BreakGlassGrant(Base):
    """Time-limited access to one person outside the worker's scope, with the reason given."""

    __tablename__ = "break_glass_grants"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    justification: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(String(300))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reviewed_at: Mapped[dt.datetime | None]


class Disclosure(Base):
    """The sharing ledger: a decision to share (or not) information about a person."""

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # shared | not_shared
    what: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(String(300))
    consent: Mapped[str] = mapped_column(String(20))  # given | refused | not_sought
    consent_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LegalHold(Base):
    """While a hold is open, retention never purges the person's records."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(120))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_by: Mapped[str | None] = mapped_column(String(120))
    released_at: Mapped[dt.datetime | None]
