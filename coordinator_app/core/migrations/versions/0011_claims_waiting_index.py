"""claims_waiting_index: Home's "Claimed, unpaid over 30 days" read from an index

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:00:00

Home lists the payments claimed and not yet paid for longer than the trust's limit
(``payments.claims.claims_waiting``). Without an index that read scanned every involvement
payment ever recorded: 10 ms at the large demo, 80 ms at sixteen times it (828,032 payments),
on the way to Home at every start (issue "Fast at sixteen times the data"). A partial index on
``claimed_on`` of the payments still offered and claimed holds only the few waiting (4,016 at
16x): 0.2 ms.

An index only: no table is rebuilt and no row touched. SQLite and PostgreSQL both take the
``WHERE`` of a partial index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'offered' AND claimed_on IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_involvement_payments_claims_waiting",
        "involvement_payments",
        ["claimed_on"],
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )


def downgrade() -> None:
    op.drop_index("ix_involvement_payments_claims_waiting", table_name="involvement_payments")
