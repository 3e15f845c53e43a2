"""forum_usual: when and how a forum usually meets, and its standing agenda items

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-21 10:00:00

- ``forums.usual_week`` (1 to 4 for the first to fourth, 5 for the last) and
  ``forums.usual_weekday`` (0 Monday to 6 Sunday): the forum's usual day, e.g. the second
  Tuesday; both empty when it has none. A new meeting's date is proposed from them and "Plan
  next meeting" keeps to them (``core/meetings/writing.py``).
- ``forums.usual_start`` and ``forums.usual_end``: its usual times, empty when it has none.
- ``forums.standing_items``: the agenda items every meeting of the forum starts with, one per
  line (``core/meetings/writing.py`` copies them into a new meeting's agenda).

ADD COLUMN, nullable or with a server default: no table is rebuilt, so no row can be lost
(docs/engineering-notes.md#sqlite-and-alembic). On a trust server the forums table's grants
are table-wide (0005), so every role reads and writes the new columns as it does the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("forums", sa.Column("usual_week", sa.Integer(), nullable=True))
    op.add_column("forums", sa.Column("usual_weekday", sa.Integer(), nullable=True))
    op.add_column("forums", sa.Column("usual_start", sa.Time(), nullable=True))
    op.add_column("forums", sa.Column("usual_end", sa.Time(), nullable=True))
    op.add_column(
        "forums", sa.Column("standing_items", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("forums") as batch:
        for column in ("standing_items", "usual_end", "usual_start", "usual_weekday", "usual_week"):
            batch.drop_column(column)
