"""access: each person their own server login, and the server enforcing who sees what

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-20 10:00:00

On both backends (so the table list is the same everywhere):

- ``access_logins`` (login, role, must_change_password) and ``access_localities`` (login ->
  locality): who may see what on a trust server, kept by ``core/access.py``. Empty on SQLite.
- ``audit_log.login`` and ``drafts.login``: the server login that wrote the row; empty on SQLite.

On PostgreSQL only (docs/engineering-notes.md#access-on-a-trust-server), nothing else on SQLite:

- three group roles, shared by the cluster and created when missing: ``involvement_coordinator``,
  ``involvement_engagement_group`` and ``involvement_administrator`` (NOLOGIN; a person's login
  is made a member of one by ``access add``);
- table and column privileges for each, row-level security on every table whose rows belong to
  a locality or a login, and the policies that read the access tables through a few SECURITY
  DEFINER functions (so a policy never reads a table whose own policy reads it back);
- ``audit_log.login`` and ``drafts.login`` default to ``session_user``, and a policy refuses any
  other value, so no login can write an audit entry or a draft in another's name; no role may
  change or delete an audit entry.

The table owner (the account that migrates, the trust's DBA) is not subject to row-level
security: connected as the owner the app sees everything, as before this revision.

ADD COLUMN with a server default and plain CREATE TABLE: no table is rebuilt, so no row can be
lost. Everything runs in the one migration transaction. Never edit this file once released: a
later change to the policies is a new revision (its tables need their grants and policies too).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COORDINATOR = "involvement_coordinator"
ENGAGEMENT = "involvement_engagement_group"
ADMINISTRATOR = "involvement_administrator"
GROUP_ROLES = (COORDINATOR, ENGAGEMENT, ADMINISTRATOR)

#: Tables every role reads whole: trust-wide reference data, no personal data.
REFERENCE = (
    "alembic_version",
    "localities",
    "forums",
    "trust_settings",
    "strategic_priorities",
    "standards_frameworks",
    "standards",
)

#: Tables of a coordinator's own localities (reads and writes), and the rows they own there.
#: (table, the expression naming the rows of the signed-in coordinator's localities)
MY = "(SELECT involvement_my_localities())"
MY_MEETINGS = "(SELECT involvement_my_meetings())"
LOCALITY_ROWS: tuple[tuple[str, str], ...] = (
    ("meetings", f"forum_id IN (SELECT f.id FROM forums f WHERE f.locality_id IN {MY})"),
    ("agenda_items", f"meeting_id IN {MY_MEETINGS}"),
    ("attendances", f"meeting_id IN {MY_MEETINGS}"),
    ("unnamed_attendances", f"meeting_id IN {MY_MEETINGS}"),
    ("involvement_payments", f"meeting_id IN {MY_MEETINGS}"),
    ("polls", f"meeting_id IN {MY_MEETINGS}"),
    (
        "poll_answers",
        f"poll_id IN (SELECT p.id FROM polls p WHERE p.meeting_id IN {MY_MEETINGS})",
    ),
    ("experience_items", f"locality_id IN {MY}"),
    ("actions", f"locality_id IN {MY}"),
    (
        "action_updates",
        f"action_id IN (SELECT a.id FROM actions a WHERE a.locality_id IN {MY})",
    ),
    ("improvement_projects", f"locality_id IN {MY}"),
    (
        "project_participants",
        f"project_id IN (SELECT p.id FROM improvement_projects p WHERE p.locality_id IN {MY})",
    ),
    (
        "project_links",
        f"project_id IN (SELECT p.id FROM improvement_projects p WHERE p.locality_id IN {MY})",
    ),
    ("assessments", f"locality_id IN {MY}"),
    (
        "standard_checks",
        f"assessment_id IN (SELECT s.id FROM assessments s WHERE s.locality_id IN {MY})",
    ),
    (
        "evidence_files",
        "standard_check_id IN (SELECT c.id FROM standard_checks c JOIN assessments s "
        f"ON s.id = c.assessment_id WHERE s.locality_id IN {MY})",
    ),
)

#: What the engagement group and administrators read of each table: the tables and columns the
#: monthly return, the privacy review and the trust-wide figures use, and no contact detail,
#: note or name (the redactor's names come through ``involvement_protected_people``). None:
#: every column. Not listed, not read: agenda items and evidence files.
READABLE_BY_ALL_LOCALITIES: dict[str, tuple[str, ...] | None] = {
    "meetings": (
        "id", "reference", "forum_id", "meeting_date", "start_time", "end_time", "venue",
        "format", "status", "chair", "minute_taker", "created_at", "updated_at", "row_version",
    ),
    "attendances": None,
    "unnamed_attendances": None,
    "involvement_payments": None,
    "polls": None,
    "poll_answers": None,
    "experience_items": None,
    "actions": None,
    # Progress on actions: the lists show the latest (the engagement group follows actions).
    "action_updates": None,
    "improvement_projects": None,
    "project_participants": None,
    "project_links": None,
    "assessments": None,
    "standard_checks": None,
    "participants": (
        "id", "category", "locality_id", "active", "anonymised_at", "created_at",
        "updated_at", "row_version",
    ),
}  # fmt: skip

#: The participants a coordinator sees besides their own localities' (SECURITY DEFINER, so it
#: reads the registers whole): those on a register, a payment or a project of theirs.
PARTICIPANT_OWN = f"locality_id IN {MY}"
PARTICIPANT_SEEN = f"({PARTICIPANT_OWN} OR id IN (SELECT involvement_my_participants()))"


def _gate(role: str) -> str:
    """True once per query for a login of ``role`` in the access table whose first password
    has been changed (an InitPlan, not a call per row)."""
    return f"((SELECT involvement_signed_in('{role}')))"


def upgrade() -> None:
    for table in ("audit_log", "drafts"):
        op.add_column(table, sa.Column("login", sa.String(63), nullable=False, server_default=""))
    op.create_table(
        "access_logins",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "coordinator",
                "engagement_group",
                "administrator",
                name="access_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_logins")),
        sa.UniqueConstraint("login", name=op.f("uq_access_logins_login")),
    )
    op.create_table(
        "access_localities",
        sa.Column("login_id", sa.Uuid(), nullable=False),
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["login_id"],
            ["access_logins.id"],
            name=op.f("fk_access_localities_login_id_access_logins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_access_localities_locality_id_localities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_localities")),
        sa.UniqueConstraint(
            "login_id", "locality_id", name=op.f("uq_access_localities_login_id_locality_id")
        ),
    )
    op.create_index(
        op.f("ix_access_localities_locality_id"),
        "access_localities",
        ["locality_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        _server_access()


def _server_access() -> None:
    conn = op.get_bind()
    _group_roles(conn)
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    path = f'"{schema}", pg_temp'

    def run(sql: str) -> None:
        conn.exec_driver_sql(sql)

    # --- who is signed in: functions the policies call (as the owner: no policy loops) --------
    definer = f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path}"
    run(
        "CREATE FUNCTION involvement_signed_in(wanted text) RETURNS boolean "
        f"{definer} AS $$ SELECT EXISTS (SELECT 1 FROM access_logins a "
        "WHERE a.login = session_user AND a.role = wanted AND NOT a.must_change_password) $$"
    )
    run(
        "CREATE FUNCTION involvement_my_localities() RETURNS SETOF uuid "
        f"{definer} AS $$ SELECT l.locality_id FROM access_localities l "
        "JOIN access_logins a ON a.id = l.login_id WHERE a.login = session_user "
        "AND a.role = 'coordinator' AND NOT a.must_change_password $$"
    )
    run(
        "CREATE FUNCTION involvement_my_meetings() RETURNS SETOF uuid "
        f"{definer} AS $$ SELECT m.id FROM meetings m JOIN forums f ON f.id = m.forum_id "
        "WHERE f.locality_id IN (SELECT involvement_my_localities()) $$"
    )
    run(
        "CREATE FUNCTION involvement_my_participants() RETURNS SETOF uuid "
        f"{definer} AS $$ "
        "SELECT a.participant_id FROM attendances a "
        "WHERE a.meeting_id IN (SELECT involvement_my_meetings()) "
        "UNION SELECT p.participant_id FROM involvement_payments p "
        "WHERE p.meeting_id IN (SELECT involvement_my_meetings()) "
        "UNION SELECT pp.participant_id FROM project_participants pp "
        "JOIN improvement_projects ip ON ip.id = pp.project_id "
        "WHERE ip.locality_id IN (SELECT involvement_my_localities()) $$"
    )
    # What the redactor hides, trust-wide (a Coventry carer may be named in Rugby's notes): the
    # names and other names of service users and carers not anonymised, nothing else about
    # them, to a login that has access (docs/engineering-notes.md#access-on-a-trust-server).
    run(
        "CREATE FUNCTION involvement_protected_people(for_minutes boolean) "
        "RETURNS TABLE (name text, also_known_as text, category text) "
        f"{definer} AS $$ SELECT p.name::text, p.also_known_as, p.category::text "
        "FROM participants p WHERE p.category IN ('service_user', 'carer') "
        "AND p.anonymised_at IS NULL AND (NOT for_minutes OR NOT p.name_in_minutes) "
        "AND NOT EXISTS (SELECT 1 FROM access_logins a WHERE a.login = session_user "
        "AND a.must_change_password) $$"
    )
    # The first password changed (the app has just run ALTER ROLE CURRENT_USER PASSWORD).
    run(
        "CREATE FUNCTION involvement_password_changed() RETURNS void "
        f"LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {path} AS $$ "
        "UPDATE access_logins SET must_change_password = false, updated_at = "
        "(now() AT TIME ZONE 'UTC'), row_version = row_version + 1 "
        "WHERE login = session_user AND must_change_password $$"
    )
    functions = (
        "involvement_signed_in(text)",
        "involvement_my_localities()",
        "involvement_my_meetings()",
        "involvement_my_participants()",
        "involvement_protected_people(boolean)",
        "involvement_password_changed()",
    )
    everyone = ", ".join(GROUP_ROLES)
    for function in functions:
        run(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        run(f"GRANT EXECUTE ON FUNCTION {function} TO {everyone}")

    # --- what each role may touch ---------------------------------------------------------
    run(f'GRANT USAGE ON SCHEMA "{schema}" TO {everyone}')
    for table in REFERENCE:
        run(f"GRANT SELECT ON {table} TO {everyone}")
    run(f"GRANT SELECT, INSERT ON audit_log TO {everyone}")
    run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON drafts TO {everyone}")
    run(f"GRANT SELECT ON access_logins, access_localities TO {everyone}")
    run(f"GRANT SELECT, INSERT ON erasures TO {COORDINATOR}")
    run(f"GRANT SELECT ON erasures TO {ENGAGEMENT}, {ADMINISTRATOR}")
    for table, _rows in LOCALITY_ROWS:
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {COORDINATOR}")
    run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON participants TO {COORDINATOR}")
    run(f"GRANT INSERT, UPDATE ON forums TO {COORDINATOR}")
    # A coordinator numbers their localities' actions (references.next_action_reference).
    run(f"GRANT UPDATE (action_counter, updated_at, row_version) ON localities TO {COORDINATOR}")
    for table, columns in READABLE_BY_ALL_LOCALITIES.items():
        listed = "" if columns is None else f" ({', '.join(columns)})"
        run(f"GRANT SELECT{listed} ON {table} TO {ENGAGEMENT}, {ADMINISTRATOR}")
    for table in (
        "localities",
        "forums",
        "trust_settings",
        "strategic_priorities",
        "standards_frameworks",
        "standards",
    ):
        run(f"GRANT INSERT, UPDATE ON {table} TO {ADMINISTRATOR}")
    run(f"GRANT DELETE ON standards_frameworks, standards TO {ADMINISTRATOR}")
    run(f"GRANT INSERT, UPDATE, DELETE ON access_logins, access_localities TO {ADMINISTRATOR}")

    # --- the login that wrote it, filled in by the server --------------------------------
    for table in ("audit_log", "drafts"):
        run(f"ALTER TABLE {table} ALTER COLUMN login SET DEFAULT session_user")

    # --- row-level security ---------------------------------------------------------------
    coordinator = _gate("coordinator")
    reader = f"({_gate('engagement_group')} OR {_gate('administrator')})"
    readers = f"{ENGAGEMENT}, {ADMINISTRATOR}"
    for table, rows in LOCALITY_ROWS:
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(
            f"CREATE POLICY {table}_coordinator ON {table} TO {COORDINATOR} "
            f"USING ({rows}) WITH CHECK ({rows})"
        )
        if table in READABLE_BY_ALL_LOCALITIES:
            run(f"CREATE POLICY {table}_read ON {table} FOR SELECT TO {readers} USING {reader}")

    run("ALTER TABLE participants ENABLE ROW LEVEL SECURITY")
    run(
        f"CREATE POLICY participants_coordinator_read ON participants FOR SELECT "
        f"TO {COORDINATOR} USING {PARTICIPANT_SEEN}"
    )
    run(
        f"CREATE POLICY participants_coordinator_add ON participants FOR INSERT "
        f"TO {COORDINATOR} WITH CHECK ({coordinator} AND (locality_id IS NULL OR "
        f"{PARTICIPANT_OWN}))"
    )
    run(
        f"CREATE POLICY participants_coordinator_change ON participants FOR UPDATE "
        f"TO {COORDINATOR} USING ({PARTICIPANT_OWN} OR (locality_id IS NULL AND "
        f"{PARTICIPANT_SEEN})) WITH CHECK (locality_id IS NULL OR {PARTICIPANT_OWN})"
    )
    run(
        f"CREATE POLICY participants_coordinator_delete ON participants FOR DELETE "
        f"TO {COORDINATOR} USING ({PARTICIPANT_OWN})"
    )
    run(f"CREATE POLICY participants_read ON participants FOR SELECT TO {readers} USING {reader}")

    # Localities and forums: everyone reads them; a coordinator changes their own.
    for table, own in (("localities", f"id IN {MY}"), ("forums", f"locality_id IN {MY}")):
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(f"CREATE POLICY {table}_read ON {table} FOR SELECT TO {everyone} USING (true)")
        run(
            f"CREATE POLICY {table}_coordinator_change ON {table} FOR UPDATE TO {COORDINATOR} "
            f"USING ({own}) WITH CHECK ({own})"
        )
        run(
            f"CREATE POLICY {table}_administrator ON {table} TO {ADMINISTRATOR} "
            f"USING {_gate('administrator')} WITH CHECK {_gate('administrator')}"
        )
    run(
        f"CREATE POLICY forums_coordinator_add ON forums FOR INSERT TO {COORDINATOR} "
        f"WITH CHECK (locality_id IN {MY})"
    )

    # Each login's own audit entries and drafts; an administrator reads the whole audit log.
    run("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
    run(
        f"CREATE POLICY audit_log_own ON audit_log FOR SELECT TO {everyone} "
        "USING (login = session_user)"
    )
    run(
        f"CREATE POLICY audit_log_administrator ON audit_log FOR SELECT TO {ADMINISTRATOR} "
        f"USING {_gate('administrator')}"
    )
    run(
        f"CREATE POLICY audit_log_write ON audit_log FOR INSERT TO {everyone} "
        "WITH CHECK (login = session_user)"
    )
    run("ALTER TABLE drafts ENABLE ROW LEVEL SECURITY")
    run(
        f"CREATE POLICY drafts_own ON drafts TO {everyone} "
        "USING (login = session_user) WITH CHECK (login = session_user)"
    )

    # The access tables: each login reads its own row; administrators keep them.
    run("ALTER TABLE access_logins ENABLE ROW LEVEL SECURITY")
    run(
        f"CREATE POLICY access_logins_own ON access_logins FOR SELECT TO {everyone} "
        "USING (login = session_user)"
    )
    run("ALTER TABLE access_localities ENABLE ROW LEVEL SECURITY")
    run(
        f"CREATE POLICY access_localities_own ON access_localities FOR SELECT TO {everyone} "
        "USING (login_id IN (SELECT a.id FROM access_logins a WHERE a.login = session_user))"
    )
    for table in ("access_logins", "access_localities"):
        run(
            f"CREATE POLICY {table}_administrator ON {table} TO {ADMINISTRATOR} "
            f"USING {_gate('administrator')} WITH CHECK {_gate('administrator')}"
        )


def _group_roles(conn: sa.Connection) -> None:
    """Create the group roles the policies name, unless the cluster has them already (another
    database of this app on the same server, or the DBA made them first)."""
    existing = set(
        conn.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%(names)s)",
            {"names": list(GROUP_ROLES)},
        ).scalars()
    )
    missing = [role for role in GROUP_ROLES if role not in existing]
    if not missing:
        return
    allowed = conn.exec_driver_sql(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).scalar()
    if not allowed:
        from coordinator_app.core.errors import DatabaseOpenError

        raise DatabaseOpenError(
            "Upgrading the database on the server needs the roles "
            f"{', '.join(missing)}, which its owner may not create; ask the server's "
            "administrator to create them (NOLOGIN) or to let the owner create roles, so it was "
            "left as it was."
        )
    for role in missing:
        conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("audit_log", "drafts"):
            op.execute(f"ALTER TABLE {table} ALTER COLUMN login SET DEFAULT ''")
    op.drop_index(op.f("ix_access_localities_locality_id"), table_name="access_localities")
    op.drop_table("access_localities")
    op.drop_table("access_logins")
    for table in ("drafts", "audit_log"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("login")
