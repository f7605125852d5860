"""audit inbox: audited reads append without waiting for the audit lock

`audit_inbox` holds audit entries not yet sealed into the hash chain (`audit_events`): readers
insert there without a lock, and whoever next holds the audit lock moves them into the chain
(hub.audit.seal) and deletes them from the inbox. A trigger refuses UPDATE; DELETE stays
allowed, because sealing is a delete.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PG_FUNCTION = """
CREATE FUNCTION audit_inbox_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_inbox is insert-only until sealed: % refused', TG_OP;
END;
$$
"""
TRIGGER = "audit_inbox_no_update"


def upgrade() -> None:
    op.create_table(
        "audit_inbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.String(length=64), nullable=True),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON audit_inbox "
            "FOR EACH ROW EXECUTE FUNCTION audit_inbox_no_update()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON audit_inbox BEGIN "
            "SELECT RAISE(ABORT, 'audit_inbox is insert-only until sealed: UPDATE refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_inbox")
        op.execute("DROP FUNCTION IF EXISTS audit_inbox_no_update()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    op.drop_table("audit_inbox")
