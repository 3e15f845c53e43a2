"""equality_monitoring: the trust's characteristics, answers kept apart, population shares

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:30:00

Issue #27 (docs/engineering-notes.md "Equality monitoring"):

- ``monitoring_characteristics`` and ``monitoring_groups``: what the trust monitors, in its
  order (a group may be one of the seldom-heard groups the trust aims to reach), written here
  with the defaults (2021 Census wording, each with "Prefer not to say" and
  "Not asked"); the trust changes them afterwards (core/monitoring.py).
- ``population_shares``: a locality's share of each group, in per cent.
- ``monitoring_records`` (consent date and how it was given, per participant),
  ``monitoring_answers`` (one group per characteristic) and ``monitoring_presence`` (the
  meetings a detached record was present at, copied when the person is anonymised).

Plain CREATE TABLE and INSERT: no table is rebuilt, so no row can be lost. On a trust server
(PostgreSQL) the grants and row-level security follow 0005: the characteristics, groups and
population shares are reference data (everyone reads, administrators change); the records,
answers and presence are a coordinator's, for the participants a coordinator may change, like
the participants table; the engagement group and administrators read none of them. The reach
figures are counted by the server (the SECURITY DEFINER function ``involvement_reach``, which
hands back answers under a number of the call, never an id), so a return is the same whoever
exports it and nobody reads anyone's answers to make it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NOT_STATED = ("Prefer not to say", "Not asked")
#: The defaults of issue #27, written as the 2021 Census writes them.
DEFAULTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Age band",
        (
            "Under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64",
            "65 to 74", "75 and over",
        ),
    ),
    ("Sex", ("Female", "Male")),
    ("Gender identity same as at birth", ("Yes", "No")),
    (
        "Sexual orientation",
        ("Straight or Heterosexual", "Gay or Lesbian", "Bisexual", "Other sexual orientation"),
    ),
    (
        "Ethnic group",
        (
            "Asian, Asian British or Asian Welsh: Bangladeshi",
            "Asian, Asian British or Asian Welsh: Chinese",
            "Asian, Asian British or Asian Welsh: Indian",
            "Asian, Asian British or Asian Welsh: Pakistani",
            "Asian, Asian British or Asian Welsh: Other Asian",
            "Black, Black British, Black Welsh, Caribbean or African: African",
            "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
            "Black, Black British, Black Welsh, Caribbean or African: Other Black",
            "Mixed or Multiple ethnic groups: White and Asian",
            "Mixed or Multiple ethnic groups: White and Black African",
            "Mixed or Multiple ethnic groups: White and Black Caribbean",
            "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
            "White: English, Welsh, Scottish, Northern Irish or British",
            "White: Irish",
            "White: Gypsy or Irish Traveller",
            "White: Roma",
            "White: Other White",
            "Other ethnic group: Arab",
            "Other ethnic group: Any other ethnic group",
        ),
    ),
    (
        "Religion or belief",
        ("No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh",
         "Other religion"),
    ),
    ("Disability", ("Yes, limited a lot", "Yes, limited a little", "No")),
    ("Carer", ("Yes", "No")),
    ("Armed forces", ("Yes", "No")),
)  # fmt: skip

COORDINATOR = "involvement_coordinator"
ENGAGEMENT = "involvement_engagement_group"
ADMINISTRATOR = "involvement_administrator"
EVERYONE = f"{COORDINATOR}, {ENGAGEMENT}, {ADMINISTRATOR}"


def _common() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "monitoring_characteristics",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_characteristics")),
        sa.UniqueConstraint("name", name=op.f("uq_monitoring_characteristics_name")),
    )
    op.create_table(
        "monitoring_groups",
        sa.Column("characteristic_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seldom_heard", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["monitoring_characteristics.id"],
            name=op.f("fk_monitoring_groups_characteristic_id_monitoring_characteristics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_groups")),
        sa.UniqueConstraint(
            "characteristic_id", "name", name=op.f("uq_monitoring_groups_characteristic_id_name")
        ),
    )
    op.create_table(
        "population_shares",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("share_pct", sa.Double(), nullable=False),
        *_common(),
        sa.CheckConstraint(
            "share_pct >= 0 AND share_pct <= 100", name=op.f("ck_population_shares_share_0_to_100")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["monitoring_groups.id"],
            name=op.f("fk_population_shares_group_id_monitoring_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_population_shares_locality_id_localities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population_shares")),
        sa.UniqueConstraint(
            "locality_id", "group_id", name=op.f("uq_population_shares_locality_id_group_id")
        ),
    )
    op.create_index(
        op.f("ix_population_shares_group_id"), "population_shares", ["group_id"], unique=False
    )
    op.create_table(
        "monitoring_records",
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_how", sa.String(length=255), nullable=False),
        sa.Column("detached_at", sa.DateTime(), nullable=True),
        *_common(),
        sa.CheckConstraint(
            "(participant_id IS NULL) = (detached_at IS NOT NULL)",
            name=op.f("ck_monitoring_records_detached_iff_no_person"),
        ),
        sa.CheckConstraint(
            "detached_at IS NOT NULL OR consent_date IS NOT NULL",
            name=op.f("ck_monitoring_records_consent_while_attached"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_monitoring_records_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_records")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_monitoring_records_participant_id")),
    )
    op.create_table(
        "monitoring_answers",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("characteristic_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["monitoring_characteristics.id"],
            name=op.f("fk_monitoring_answers_characteristic_id_monitoring_characteristics"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["monitoring_groups.id"],
            name=op.f("fk_monitoring_answers_group_id_monitoring_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["monitoring_records.id"],
            name=op.f("fk_monitoring_answers_record_id_monitoring_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_answers")),
        sa.UniqueConstraint(
            "record_id",
            "characteristic_id",
            name=op.f("uq_monitoring_answers_record_id_characteristic_id"),
        ),
    )
    op.create_index(
        op.f("ix_monitoring_answers_characteristic_id"),
        "monitoring_answers",
        ["characteristic_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_monitoring_answers_group_id"), "monitoring_answers", ["group_id"], unique=False
    )
    op.create_table(
        "monitoring_presence",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_monitoring_presence_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["monitoring_records.id"],
            name=op.f("fk_monitoring_presence_record_id_monitoring_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_presence")),
        sa.UniqueConstraint(
            "record_id", "meeting_id", name=op.f("uq_monitoring_presence_record_id_meeting_id")
        ),
    )
    op.create_index(
        op.f("ix_monitoring_presence_meeting_id"),
        "monitoring_presence",
        ["meeting_id"],
        unique=False,
    )
    _defaults()
    if op.get_bind().dialect.name == "postgresql":
        _server_access()


def _defaults() -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    stamps = (sa.column("created_at", sa.DateTime()), sa.column("updated_at", sa.DateTime()))
    characteristics = sa.table(
        "monitoring_characteristics",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("position", sa.Integer()),
        *stamps,
    )
    groups = sa.table(
        "monitoring_groups",
        sa.column("id", sa.Uuid()),
        sa.column("characteristic_id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("position", sa.Integer()),
        *(sa.column(c.name, sa.DateTime()) for c in stamps),
    )
    rows, group_rows = [], []
    for position, (name, named) in enumerate(DEFAULTS):
        cid = uuid.uuid4()
        rows.append(
            {"id": cid, "name": name, "position": position, "created_at": now, "updated_at": now}
        )
        for place, group in enumerate((*named, *NOT_STATED)):
            group_rows.append(
                {
                    "id": uuid.uuid4(),
                    "characteristic_id": cid,
                    "name": group,
                    "position": place,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    op.bulk_insert(characteristics, rows)
    op.bulk_insert(groups, group_rows)


def _server_access() -> None:
    conn = op.get_bind()
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    path = f'"{schema}", pg_temp'

    def run(sql: str) -> None:
        conn.exec_driver_sql(sql)

    # The reach figures (core/reach.py), counted by the server: one row per answer of each
    # person present in the period and scope, the person a number of this call only (never a
    # participant's or a record's id), and a row with no answer for someone who gave none. A
    # coordinator counts their own localities' meetings; the engagement group and
    # administrators any; the owner (no login in access_logins) everything; a login whose
    # first password is unchanged nothing. So the return is the same whoever exports it, and
    # nobody reads anyone's answers to get it.
    run(
        "CREATE FUNCTION involvement_reach(p_first date, p_last date, p_locality uuid, "
        "p_forum uuid) RETURNS TABLE (person bigint, characteristic_id uuid, group_id uuid) "
        f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $$ "
        "WITH allowed AS (SELECT m.id FROM meetings m JOIN forums f ON f.id = m.forum_id "
        "WHERE m.status = 'held' AND m.meeting_date BETWEEN p_first AND p_last "
        "AND (p_locality IS NULL OR f.locality_id = p_locality) "
        "AND (p_forum IS NULL OR m.forum_id = p_forum) "
        "AND (NOT EXISTS (SELECT 1 FROM access_logins l WHERE l.login = session_user) "
        "OR involvement_signed_in('engagement_group') OR involvement_signed_in('administrator') "
        "OR (involvement_signed_in('coordinator') "
        "AND f.locality_id IN (SELECT involvement_my_localities())))), "
        "people AS (SELECT a.participant_id AS pid, r.id AS rid FROM attendances a "
        "JOIN participants p ON p.id = a.participant_id "
        "LEFT JOIN monitoring_records r ON r.participant_id = a.participant_id "
        "WHERE a.status = 'present' AND p.anonymised_at IS NULL "
        "AND a.meeting_id IN (SELECT id FROM allowed) "
        "UNION SELECT NULL::uuid, pr.record_id FROM monitoring_presence pr "
        "WHERE pr.meeting_id IN (SELECT id FROM allowed)), "
        "numbered AS (SELECT row_number() OVER (ORDER BY pid, rid) AS person, rid FROM people) "
        "SELECT n.person, a.characteristic_id, a.group_id FROM numbered n "
        "LEFT JOIN monitoring_answers a ON a.record_id = n.rid $$"
    )
    function = "involvement_reach(date, date, uuid, uuid)"
    run(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    run(f"GRANT EXECUTE ON FUNCTION {function} TO {EVERYONE}")

    gate = "((SELECT involvement_signed_in('coordinator')))"
    admin = "((SELECT involvement_signed_in('administrator')))"
    for table in ("monitoring_characteristics", "monitoring_groups", "population_shares"):
        run(f"GRANT SELECT ON {table} TO {EVERYONE}")
        run(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {ADMINISTRATOR}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(f"CREATE POLICY {table}_read ON {table} FOR SELECT TO {EVERYONE} USING (true)")
        run(
            f"CREATE POLICY {table}_administrator ON {table} TO {ADMINISTRATOR} "
            f"USING {admin} WITH CHECK {admin}"
        )
    private = ("monitoring_records", "monitoring_answers", "monitoring_presence")
    for table in private:
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {COORDINATOR}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    # The participants a coordinator may change (participants_coordinator_change of 0005): the
    # subquery reads participants under its own policies, so it yields only those they see.
    mine = (
        "(SELECT p.id FROM participants p WHERE p.locality_id IN "
        "(SELECT involvement_my_localities()) OR p.locality_id IS NULL)"
    )
    # A detached record (its person anonymised) is no one's: a coordinator may see it, which
    # PostgreSQL needs to let them detach one (the updated row must stay visible); it holds
    # answers and nothing that leads to a person (the reach figures come from the server).
    run(
        f"CREATE POLICY monitoring_records_coordinator ON monitoring_records TO {COORDINATOR} "
        f"USING ({gate} AND (participant_id IS NULL OR participant_id IN {mine})) "
        f"WITH CHECK ({gate} AND (participant_id IS NULL OR participant_id IN {mine}))"
    )
    run(
        f"CREATE POLICY monitoring_answers_coordinator ON monitoring_answers TO {COORDINATOR} "
        "USING (record_id IN (SELECT r.id FROM monitoring_records r)) "
        "WITH CHECK (record_id IN (SELECT r.id FROM monitoring_records r))"
    )
    run(
        f"CREATE POLICY monitoring_presence_coordinator ON monitoring_presence TO {COORDINATOR} "
        "USING (meeting_id IN (SELECT involvement_my_meetings())) "
        "WITH CHECK (meeting_id IN (SELECT involvement_my_meetings()))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS involvement_reach(date, date, uuid, uuid)")
    op.drop_table("monitoring_presence")
    op.drop_table("monitoring_answers")
    op.drop_table("monitoring_records")
    op.drop_table("population_shares")
    op.drop_table("monitoring_groups")
    op.drop_table("monitoring_characteristics")
