"""drafts: what is being typed, kept until it is saved or thrown away

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 10:00:00

A new table only (``core/drafts.py``): a dialog's fields as typed, or a meeting's text that
could not be saved yet, written within seconds of the last keystroke so that a crash or a power
cut loses at most those seconds. One row per person and form (``owner``, ``key``).

Plain CREATE TABLE: no table is rebuilt, so no row can be lost (docs/engineering-notes.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("form", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("owner", "key", name=op.f("uq_drafts_owner_key")),
    )


def downgrade() -> None:
    op.drop_table("drafts")
