"""papers_updates: invitation updates and cancellations, who each sending went to, owners by id

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 16:00:00

Issue #29 (docs/printouts.md "Papers to members"):

- ``papers_sent.kind`` takes two more words, ``invitation_update`` and ``cancellation`` (the
  calendar invitation sent again after the meeting moved, or its cancellation), and
  ``papers_sent.invitation`` keeps what the invitation said when it went (JSON, empty for
  papers with none and for every sending before this revision).
- ``papers_recipients``: who each sending went to (the participant, by e-mail or by letter), so
  an update goes to exactly those who had the first invitation.
- ``actions.owner_staff_id``: the action's owner on the staff list by id (``core/staff.py``), so
  renaming a staff member keeps their actions and reminders; filled here for every action whose
  owner is a staff member's name (any case, spaces at the ends ignored). Added nullable, with
  no foreign key (staff are never deleted; one would rebuild ``actions`` on SQLite).

On SQLite the new CHECK on ``kind`` rebuilds ``papers_sent`` (batch mode, ``INSERT ... SELECT``
inside the one migration transaction, foreign keys off as core/db.py runs every migration, so
nothing cascades); the table is given as it was at 0008 (``copy_from``) with ``kind`` a plain
string, and the new CHECK is added by name. On PostgreSQL the CHECK is replaced in place and the
column added. ``papers_recipients`` gets the grants and row-level security of ``papers_sent``
for a coordinator (their own localities' meetings); the engagement group and administrators read
the counts, never who.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.naming import conv

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
COORDINATOR = "involvement_coordinator"
MY_MEETINGS = "(SELECT involvement_my_meetings())"
KINDS_0008 = ("agenda", "minutes", "you_said_we_did")
KINDS = (*KINDS_0008, "invitation_update", "cancellation")
KIND_CHECK = conv("ck_papers_sent_papers_kind")


def _in(words: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{w}'" for w in words) + ")"


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
    ]


def _papers_sent_at_0008() -> sa.Table:
    """``papers_sent`` as 0008 made it, ``kind`` without its CHECK (added again by name)."""
    meta = sa.MetaData(naming_convention=NAMING_CONVENTION)
    return sa.Table(
        "papers_sent",
        meta,
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("emails", sa.Integer(), nullable=False),
        sa.Column("letters", sa.Integer(), nullable=False),
        sa.Column("not_sent", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.String(255), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_papers_sent"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_papers_sent_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.Index("ix_papers_sent_meeting_id", "meeting_id"),
    )


def upgrade() -> None:
    invitation = sa.Column("invitation", sa.Text(), nullable=False, server_default="")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(KIND_CHECK, "papers_sent", type_="check")
        op.create_check_constraint(KIND_CHECK, "papers_sent", _in(KINDS))
        op.add_column("papers_sent", invitation)
    else:
        with op.batch_alter_table(
            "papers_sent",
            copy_from=_papers_sent_at_0008(),
            naming_convention=NAMING_CONVENTION,
            recreate="always",
        ) as batch:
            batch.add_column(invitation)
            batch.create_check_constraint(KIND_CHECK, _in(KINDS))
    op.create_table(
        "papers_recipients",
        sa.Column("sending_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("by_email", sa.Boolean(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["sending_id"],
            ["papers_sent.id"],
            name="fk_papers_recipients_sending_id_papers_sent",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_papers_recipients_participant_id_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_papers_recipients"),
        sa.UniqueConstraint(
            "sending_id", "participant_id", name="uq_papers_recipients_sending_id_participant_id"
        ),
    )
    op.create_index("ix_papers_recipients_participant_id", "papers_recipients", ["participant_id"])
    op.add_column("actions", sa.Column("owner_staff_id", sa.Uuid(), nullable=True))
    op.create_index("ix_actions_owner_staff_id", "actions", ["owner_staff_id"])
    op.execute(
        "UPDATE actions SET owner_staff_id = (SELECT s.id FROM staff s "
        "WHERE lower(s.name) = lower(trim(actions.owner))) WHERE owner <> ''"
    )
    if op.get_bind().dialect.name == "postgresql":
        _server_access()


def _server_access() -> None:
    """A coordinator's own localities' sendings (the policy of ``papers_sent`` in 0008)."""
    conn = op.get_bind()
    rows = f"sending_id IN (SELECT s.id FROM papers_sent s WHERE s.meeting_id IN {MY_MEETINGS})"
    for sql in (
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON papers_recipients TO {COORDINATOR}",
        "ALTER TABLE papers_recipients ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY papers_recipients_coordinator ON papers_recipients TO {COORDINATOR} "
        f"USING ({rows}) WITH CHECK ({rows})",
    ):
        conn.exec_driver_sql(sql)


def downgrade() -> None:
    op.drop_index("ix_actions_owner_staff_id", table_name="actions")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("owner_staff_id")
    op.drop_index("ix_papers_recipients_participant_id", table_name="papers_recipients")
    op.drop_table("papers_recipients")
    op.execute("DELETE FROM papers_sent WHERE kind IN ('invitation_update', 'cancellation')")
    with op.batch_alter_table("papers_sent", naming_convention=NAMING_CONVENTION) as batch:
        batch.drop_constraint(KIND_CHECK, type_="check")
        batch.drop_column("invitation")
        batch.create_check_constraint(KIND_CHECK, _in(KINDS_0008))
