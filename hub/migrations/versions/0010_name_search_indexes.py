"""indexes for the case view: name search and the chronology

Search matches each name word typed anywhere in a record's names (LIKE '% word%'), which no
b-tree serves; pg_trgm's GIN indexes do (and equality too, from PostgreSQL 14). pg_trgm is a
trusted extension: the database owner may create it. A search by date of birth alone needs its
own index. The chronology counts and pages a person's live concerns newest first: a partial
index answers both from the index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ("given_key", "family_key")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.create_index(
            f"ix_source_records_{column}_trgm",
            "source_records",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )

    op.create_index("ix_source_records_date_of_birth", "source_records", ["date_of_birth"])
    op.create_index(
        "ix_concerns_person_live",
        "concerns",
        ["person_id", sa.text("occurred_at DESC"), sa.text("id DESC")],
        postgresql_where=sa.text("NOT withdrawn"),
        sqlite_where=sa.text("NOT withdrawn"),
    )


def downgrade() -> None:
    op.drop_index("ix_concerns_person_live", table_name="concerns")
    op.drop_index("ix_source_records_date_of_birth", table_name="source_records")
    for column in COLUMNS:
        op.drop_index(f"ix_source_records_{column}_trgm", table_name="source_records")
