"""papers: forum members, papers sent, the online link and the staff who own actions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 13:30:00

Issue #29 (papers out to members):

- ``forums.online_link``: the forum's usual online link, a new meeting's default;
  ``meetings.online_link`` and ``meetings.print_link`` (printed on paper only when chosen).
- ``participants.postal_address``: where letters go for someone with no e-mail address (a
  contact detail: removed with consent to contact and on anonymising).
- ``forum_members``: who is on a forum's list beyond, or taken off, the default (everyone who
  attended it in the last 12 months); ``papers_sent``: each sending, counts only;
  ``staff``: the staff who own actions, with their work e-mail.

ADD COLUMN with a server default and plain CREATE TABLE: no table is rebuilt, so no row can be
lost. On a trust server the new tables get the grants and row-level security of 0005: members
and sendings belong to the forum's or meeting's locality; everyone reads the staff list and a
coordinator keeps it; the engagement group reads the sendings (evidence for the standards).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COORDINATOR = "involvement_coordinator"
ENGAGEMENT = "involvement_engagement_group"
ADMINISTRATOR = "involvement_administrator"
MY = "(SELECT involvement_my_localities())"
MY_MEETINGS = "(SELECT involvement_my_meetings())"


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), primary_key=True, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.add_column(
        "forums",
        sa.Column("online_link", sa.String(1000), nullable=False, server_default=""),
    )
    op.add_column(
        "participants",
        sa.Column("postal_address", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "meetings",
        sa.Column("online_link", sa.String(1000), nullable=False, server_default=""),
    )
    op.add_column(
        "meetings",
        sa.Column("print_link", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "forum_members",
        sa.Column(
            "forum_id",
            sa.Uuid(),
            sa.ForeignKey("forums.id", ondelete="CASCADE", name="fk_forum_members_forum_id_forums"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.Uuid(),
            sa.ForeignKey(
                "participants.id",
                ondelete="CASCADE",
                name="fk_forum_members_participant_id_participants",
            ),
            nullable=False,
        ),
        sa.Column("member", sa.Boolean(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_forum_members"),
        sa.UniqueConstraint(
            "forum_id", "participant_id", name="uq_forum_members_forum_id_participant_id"
        ),
    )
    op.create_index("ix_forum_members_participant_id", "forum_members", ["participant_id"])
    op.create_table(
        "papers_sent",
        sa.Column(
            "meeting_id",
            sa.Uuid(),
            sa.ForeignKey(
                "meetings.id", ondelete="CASCADE", name="fk_papers_sent_meeting_id_meetings"
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "agenda",
                "minutes",
                "you_said_we_did",
                name="papers_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("emails", sa.Integer(), nullable=False),
        sa.Column("letters", sa.Integer(), nullable=False),
        sa.Column("not_sent", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.String(255), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_papers_sent"),
    )
    op.create_index("ix_papers_sent_meeting_id", "papers_sent", ["meeting_id"])
    op.create_table(
        "staff",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("name", name="uq_staff_name"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _server_access()


def _server_access() -> None:
    """The grants and policies of 0005 for the new tables (the new columns are covered by the
    table-wide grants of their tables; the engagement group's column list of ``meetings`` and
    ``participants`` does not name them, so it never reads a link or an address)."""
    conn = op.get_bind()

    def run(sql: str) -> None:
        conn.exec_driver_sql(sql)

    everyone = f"{COORDINATOR}, {ENGAGEMENT}, {ADMINISTRATOR}"
    readers = f"{ENGAGEMENT}, {ADMINISTRATOR}"
    reader = (
        "((SELECT involvement_signed_in('engagement_group')) "
        "OR (SELECT involvement_signed_in('administrator')))"
    )
    own = {
        "forum_members": f"forum_id IN (SELECT f.id FROM forums f WHERE f.locality_id IN {MY})",
        "papers_sent": f"meeting_id IN {MY_MEETINGS}",
    }
    for table, rows in own.items():
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {COORDINATOR}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(
            f"CREATE POLICY {table}_coordinator ON {table} TO {COORDINATOR} "
            f"USING ({rows}) WITH CHECK ({rows})"
        )
    run(f"GRANT SELECT ON papers_sent TO {readers}")
    run(f"CREATE POLICY papers_sent_read ON papers_sent FOR SELECT TO {readers} USING {reader}")
    run(f"GRANT SELECT ON staff TO {everyone}")
    run(f"GRANT INSERT, UPDATE ON staff TO {COORDINATOR}, {ADMINISTRATOR}")


def downgrade() -> None:
    op.drop_table("staff")
    op.drop_index("ix_papers_sent_meeting_id", table_name="papers_sent")
    op.drop_table("papers_sent")
    op.drop_index("ix_forum_members_participant_id", table_name="forum_members")
    op.drop_table("forum_members")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("print_link")
        batch.drop_column("online_link")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("postal_address")
    with op.batch_alter_table("forums") as batch:
        batch.drop_column("online_link")
