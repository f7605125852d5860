"""users, api tokens, break-glass grants, the sharing ledger and legal holds

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 18:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("username", sa.String(120), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("local_authority", sa.String(60)),
        sa.Column("manager_id", ID, sa.ForeignKey("users.id")),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", AT),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("last_login_at", AT),
    )
    op.create_table(
        "api_tokens",
        _id(),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(200)),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("revoked_at", AT),
    )
    op.create_table(
        "break_glass_grants",
        _id(),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("person_id", ID, sa.ForeignKey("persons.id"), nullable=False, index=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.String(300), nullable=False),
        sa.Column("granted_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("manager_id", ID, sa.ForeignKey("users.id"), index=True),
        sa.Column("reviewed_at", AT),
    )
    op.create_table(
        "disclosures",
        _id(),
        sa.Column("person_id", ID, sa.ForeignKey("persons.id"), nullable=False, index=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.String(300), nullable=False),
        sa.Column("consent", sa.String(20), nullable=False),
        sa.Column("consent_note", sa.Text()),
        sa.Column("decided_by", sa.String(120), nullable=False),
        sa.Column("decided_at", AT, nullable=False),
    )
    op.create_table(
        "legal_holds",
        _id(),
        sa.Column("person_id", ID, sa.ForeignKey("persons.id"), nullable=False, index=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(120), nullable=False),
        sa.Column("placed_at", AT, nullable=False),
        sa.Column("released_by", sa.String(120)),
        sa.Column("released_at", AT),
    )


def downgrade() -> None:
    for table in ("legal_holds", "disclosures", "break_glass_grants", "api_tokens", "users"):
        op.drop_table(table)
