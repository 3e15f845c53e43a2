"""kept_returns: the engagement group's returns kept between months, its targets and highlights

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:00:00

Issue #30 (the Board's picture; docs/monthly-return.md#kept-between-months):

- ``kept_returns``: each locality's return for a month as consolidation checked it (its
  ``ReturnData`` as JSON, without Prepared by), with the file it came from, its Generated at
  and Format version and when it was kept; one per locality (any case) and month.
- ``board_targets``: the group's targets (measure, value, higher or lower is better, each
  locality or the trust total, the amber margin), in the group's order; they were kept in the
  app's settings (QSettings) before, and are moved here once by the app.
- ``board_highlights``: the completed actions the group features in the Board report's
  "You said, we did" section, by locality and action reference.

Returns hold no personal data (consolidation refuses a contact detail or anything that looks
like a name), so neither do these tables. Plain CREATE TABLE: no table is rebuilt, so no row
can be lost. On a trust server everyone signed in reads and writes them (the trust's own
figures, no one's records).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COORDINATOR = "involvement_coordinator"
ENGAGEMENT = "involvement_engagement_group"
ADMINISTRATOR = "involvement_administrator"
TABLES = ("kept_returns", "board_targets", "board_highlights")


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), primary_key=True, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "kept_returns",
        sa.Column("locality", sa.String(255), nullable=False),
        sa.Column("locality_key", sa.String(255), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(1000), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=True),
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_kept_returns"),
        sa.UniqueConstraint("locality_key", "month", name="uq_kept_returns_locality_key_month"),
    )
    op.create_table(
        "board_targets",
        sa.Column("measure", sa.String(255), nullable=False),
        sa.Column("per", sa.String(16), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("amber_within", sa.Double(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_board_targets"),
        sa.UniqueConstraint("measure", "per", name="uq_board_targets_measure_per"),
    )
    op.create_table(
        "board_highlights",
        sa.Column("locality", sa.String(255), nullable=False),
        sa.Column("locality_key", sa.String(255), nullable=False),
        sa.Column("reference", sa.String(255), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_board_highlights"),
        sa.UniqueConstraint(
            "locality_key", "reference", name="uq_board_highlights_locality_key_reference"
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        everyone = f"{COORDINATOR}, {ENGAGEMENT}, {ADMINISTRATOR}"
        for table in TABLES:
            op.get_bind().exec_driver_sql(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {everyone}"
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
