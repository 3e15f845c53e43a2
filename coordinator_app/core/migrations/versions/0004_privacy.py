"""privacy: other names a person goes by, erasures, how long backups are kept

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14 10:00:00

- ``participants.also_known_as``: other names the person goes by ("Bobby", a maiden name),
  which the redactor hides like the name (``core/privacy.py``).
- ``trust_settings.backup_retention_months``: backups older than this are deleted
  (``core/backup.py``); 12 until the trust says otherwise.
- ``erasures``: one row per person anonymised, holding their id and the date only (no personal
  data), so that restoring an older backup anonymises them again.

ADD COLUMN with a server default and a plain CREATE TABLE: no table is rebuilt, so no row can
be lost (docs/engineering-notes.md#sqlite-and-alembic).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "participants",
        sa.Column("also_known_as", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "trust_settings",
        sa.Column("backup_retention_months", sa.Integer(), nullable=False, server_default="12"),
    )
    op.create_table(
        "erasures",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(
        op.f("ix_erasures_participant_id"), "erasures", ["participant_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_erasures_participant_id"), table_name="erasures")
    op.drop_table("erasures")
    with op.batch_alter_table("trust_settings") as batch:
        batch.drop_column("backup_retention_months")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("also_known_as")
