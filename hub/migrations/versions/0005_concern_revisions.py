"""concern revisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:41:37.030809
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concern_revisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "concern_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "source_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("sensitivity", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("concern_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concern_revisions_concern_id"), ["concern_id"], unique=False
        )

    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("withdrawn", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint("uq_concern_agency_ref", ["agency_code", "concern_ref"])

    # Every concern stored so far was its own first (and only) revision.
    op.execute(
        "INSERT INTO concern_revisions (concern_id, event_id, revision, withdrawn, received_at,"
        " source_record_id, occurred_at, category, severity, sensitivity, summary, action_taken)"
        " SELECT id, event_id, revision, withdrawn, received_at, source_record_id, occurred_at,"
        " category, severity, sensitivity, summary, action_taken FROM concerns"
    )


def downgrade() -> None:
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_constraint("uq_concern_agency_ref", type_="unique")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("withdrawn")
        batch_op.drop_column("revision")

    with op.batch_alter_table("concern_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_revisions_concern_id"))

    op.drop_table("concern_revisions")
