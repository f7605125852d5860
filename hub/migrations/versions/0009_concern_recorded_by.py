"""who recorded a concern, by role

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("concerns", "concern_revisions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("recorded_by", sa.String(length=120), nullable=True))


def downgrade() -> None:
    for table in ("concerns", "concern_revisions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("recorded_by")
