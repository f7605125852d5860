"""declared relationships

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:31:39.939853
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declared_relationships",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "source_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("relationship", sa.String(length=20), nullable=False),
        sa.Column("related_agency_code", sa.String(length=40), nullable=False),
        sa.Column("related_source_ref", sa.String(length=120), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["related_agency_code"],
            ["agencies.code"],
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "source_record_id",
            "relationship",
            "related_source_ref",
            name="uq_declared_relationship",
        ),
    )
    with op.batch_alter_table("declared_relationships", schema=None) as batch_op:
        batch_op.create_index(
            "ix_declared_relationship_target",
            ["related_agency_code", "related_source_ref"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_declared_relationships_source_record_id"),
            ["source_record_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("declared_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declared_relationships_source_record_id"))
        batch_op.drop_index("ix_declared_relationship_target")

    op.drop_table("declared_relationships")
