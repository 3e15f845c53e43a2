"""payment_receipts: a receipt for a payment's expenses, kept inside the database

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:00:00

Issue #28 (docs/engineering-notes.md "Receipts"): ``payment_receipts`` (payment, file name,
size, content) holds the receipts a coordinator attaches to a payment's expenses (a PDF or a
picture, at most 20 MB each, as an evidence file), inside the database so a backup holds them.
A receipt is personal data: it goes with its payment (ON DELETE CASCADE), and anonymising or
erasing the person removes it (core/anonymise.py).

A plain CREATE TABLE: nothing is rebuilt, so no row can be lost. On a trust server
(PostgreSQL) the table gets the coordinator's grants and row-level security of 0005 and 0009
(the receipts of the payments of a coordinator's own meetings and activities); the engagement
group and administrators read none of it (they read the figures, never a receipt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COORDINATOR = "involvement_coordinator"
MY = "(SELECT involvement_my_localities())"
MY_MEETINGS = "(SELECT involvement_my_meetings())"
MY_ACTIVITIES = f"(SELECT a.id FROM involvement_activities a WHERE a.locality_id IN {MY})"


def upgrade() -> None:
    op.create_table(
        "payment_receipts",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["involvement_payments.id"],
            name="fk_payment_receipts_payment_id_involvement_payments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_receipts"),
    )
    op.create_index("ix_payment_receipts_payment_id", "payment_receipts", ["payment_id"])
    if op.get_bind().dialect.name == "postgresql":
        _server_access()


def _server_access() -> None:
    """A coordinator's own payments' receipts; nobody else's grant."""
    conn = op.get_bind()
    mine = (
        "payment_id IN (SELECT p.id FROM involvement_payments p WHERE "
        f"p.meeting_id IN {MY_MEETINGS} OR p.activity_id IN {MY_ACTIVITIES})"
    )
    for sql in (
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON payment_receipts TO {COORDINATOR}",
        "ALTER TABLE payment_receipts ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY payment_receipts_coordinator ON payment_receipts TO {COORDINATOR} "
        f"USING ({mine}) WITH CHECK ({mine})",
    ):
        conn.exec_driver_sql(sql)


def downgrade() -> None:
    op.drop_index("ix_payment_receipts_payment_id", table_name="payment_receipts")
    op.drop_table("payment_receipts")
