"""agency credentials

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:46:14.406011
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_credentials",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("agency_credentials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_credentials_agency_code"), ["agency_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("agency_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_credentials_agency_code"))

    op.drop_table("agency_credentials")
