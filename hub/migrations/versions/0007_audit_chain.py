"""audit chain: role, remote address, reason, hash chain; append-only at the database

Existing entries are numbered 1..n in their id order (a PostgreSQL sequence leaves gaps after
rollbacks, and from now on a gap means a deletion) and chained with hub.audit's hash. Then
triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on audit_events.

On SQLite a later batch_alter_table on audit_events rebuilds the table and loses the triggers:
such a migration must create them again (see SQLITE_TRIGGERS).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 10:02:31.118204
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hub.audit import GENESIS, compute_hash

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 1000

PG_FUNCTION = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$
"""
PG_TRIGGERS = {
    "audit_events_append_only_row": "BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW",
    "audit_events_append_only_truncate": "BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT",
}
SQLITE_TRIGGERS = {
    "audit_events_no_update": "BEFORE UPDATE ON audit_events",
    "audit_events_no_delete": "BEFORE DELETE ON audit_events",
}

events = sa.table(
    "audit_events",
    sa.column("id", sa.BigInteger()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("role", sa.String()),
    sa.column("action", sa.String()),
    sa.column("subject_type", sa.String()),
    sa.column("subject_id", sa.String()),
    sa.column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("remote_addr", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("remote_addr", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))

    _chain_existing_entries(op.get_bind())

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_events_entry_hash", ["entry_hash"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for name, when in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION audit_events_append_only()")
    else:
        for name, when in SQLITE_TRIGGERS.items():
            verb = when.split()[1]
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN "
                f"SELECT RAISE(ABORT, 'audit_events is append-only: {verb} refused'); END"
            )


def _chain_existing_entries(connection) -> None:
    """Renumber 1..n and hash, a batch at a time (keyset on the old ids, which only shrink)."""
    columns = [c for c in events.c if c.name not in ("prev_hash", "entry_hash")]
    last_old_id, new_id, prev_hash = 0, 0, GENESIS
    while True:
        rows = connection.execute(
            sa.select(*columns).where(events.c.id > last_old_id).order_by(events.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            fields = dict(row._mapping)
            last_old_id, new_id = fields["id"], new_id + 1
            if new_id != last_old_id:
                connection.execute(
                    events.update().where(events.c.id == last_old_id).values(id=new_id)
                )
            fields["id"] = new_id
            entry_hash = compute_hash(fields, prev_hash)
            connection.execute(
                events.update()
                .where(events.c.id == new_id)
                .values(prev_hash=prev_hash, entry_hash=entry_hash)
            )
            prev_hash = entry_hash


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_events_entry_hash", type_="unique")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("reason")
        batch_op.drop_column("remote_addr")
        batch_op.drop_column("role")
