"""households keyed by address

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:35:32.998162
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_key", sa.String(length=400), nullable=True))
        batch_op.create_unique_constraint("uq_households_address_key", ["address_key"])


def downgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_constraint("uq_households_address_key", type_="unique")
        batch_op.drop_column("address_key")
