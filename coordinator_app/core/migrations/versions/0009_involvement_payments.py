"""involvement_payments: payments for any involvement activity, claims, rates and benefits

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:00:00

Issue #28 (docs/counting-rules.md#involvement-payments):

- ``involvement_activities`` (locality, kind, date, title, unit and quantity, an optional
  improvement project, cost code, notes) and ``activity_participants`` (who took part): an
  involvement activity other than a meeting.
- ``payment_rates`` (kind, unit, pence, starts on, cost code): the trust's rates. A payment keeps
  its own amount, so a new rate never rewrites an old payment.
- ``payment_expenses`` (payment, kind, pence): a payment's expenses by kind (travel, care cover,
  subsistence, other); ``involvement_payments.expenses_pence`` stays their sum, so existing
  payments (with no breakdown) keep their expenses.
- ``involvement_payments``: ``meeting_id`` may now be empty, for a payment of an activity
  (``activity_id``; exactly one of the two, a named CHECK), ``claimed_on`` (offered and claimed
  is "claimed") and ``method`` (money or vouchers, money for every existing payment).
- ``participants``: ``benefits_advice_on``, ``wants_vouchers``, ``wants_no_payment``.
- ``trust_settings``: ``payment_threshold_pence`` (none), ``payment_threshold_period`` (week),
  ``unpaid_limit_days`` (30).

On SQLite, making ``meeting_id`` nullable rebuilds ``involvement_payments`` (batch mode, copied
``INSERT ... SELECT`` inside the one migration transaction, with foreign keys off as core/db.py
runs every migration, so the cascade from meetings deletes nothing); the table is given as it
was at 0007 (``copy_from``), so its CHECK constraints survive the rebuild. Every other change
adds a column (nullable or with a server default) or a table: nothing else is rebuilt.

On PostgreSQL the new tables get the grants and row-level security of 0005 (a coordinator's own
localities: the activity's locality; the engagement group reads the figures, not the notes),
and the payments' policy and ``involvement_my_participants()`` are replaced to cover payments
and people of a coordinator's activities.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.naming import conv

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTIVITY_KINDS = (
    "meeting",
    "project_work",
    "interview_panel",
    "training",
    "consultation",
    "review_or_visit",
    "other",
)
UNITS = ("hour", "half_day", "day", "session")
EXPENSE_KINDS = ("travel", "care_cover", "subsistence", "other")


def _word(name: str, values: tuple[str, ...]) -> sa.Enum:
    """A string column limited to ``values`` by a named CHECK (``schema.vocab`` as at 0009)."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _common() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"),
    ]


def _payments_at_0007() -> sa.Table:
    """``involvement_payments`` exactly as 0001 made it (unchanged to 0008)."""
    meta = sa.MetaData(naming_convention=NAMING_CONVENTION)
    return sa.Table(
        "involvement_payments",
        meta,
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status", _word("payment_status", ("offered", "declined", "paid")), nullable=False
        ),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("expenses_pence", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        *_common(),
        sa.PrimaryKeyConstraint("id", name="pk_involvement_payments"),
        sa.CheckConstraint(
            "amount_pence >= 0 AND expenses_pence >= 0",
            name=conv("ck_involvement_payments_amounts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_involvement_payments_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_involvement_payments_participant_id_participants",
        ),
        sa.UniqueConstraint(
            "meeting_id", "participant_id", name="uq_involvement_payments_meeting_id_participant_id"
        ),
        sa.Index("ix_involvement_payments_participant_id", "participant_id"),
    )


def upgrade() -> None:
    op.create_table(
        "involvement_activities",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _word("activity_kind", ACTIVITY_KINDS), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("unit", _word("activity_unit", UNITS), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("cost_code", sa.String(64), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_common(),
        sa.CheckConstraint(
            "quantity > 0", name=conv("ck_involvement_activities_quantity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name="fk_involvement_activities_locality_id_localities",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["improvement_projects.id"],
            name="fk_involvement_activities_project_id_improvement_projects",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_involvement_activities"),
    )
    op.create_index(
        "ix_involvement_activities_locality_date",
        "involvement_activities",
        ["locality_id", "activity_date"],
    )
    op.create_index(
        "ix_involvement_activities_project_id", "involvement_activities", ["project_id"]
    )
    op.create_table(
        "activity_participants",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["involvement_activities.id"],
            name="fk_activity_participants_activity_id_involvement_activities",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_activity_participants_participant_id_participants",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_activity_participants"),
        sa.UniqueConstraint(
            "activity_id",
            "participant_id",
            name="uq_activity_participants_activity_id_participant_id",
        ),
    )
    op.create_index(
        "ix_activity_participants_participant_id", "activity_participants", ["participant_id"]
    )
    op.create_table(
        "payment_rates",
        sa.Column("kind", _word("rate_kind", ACTIVITY_KINDS), nullable=False),
        sa.Column("unit", _word("rate_unit", UNITS), nullable=False),
        sa.Column("pence", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("cost_code", sa.String(64), nullable=False),
        *_common(),
        sa.CheckConstraint("pence >= 0", name=conv("ck_payment_rates_pence_not_negative")),
        sa.PrimaryKeyConstraint("id", name="pk_payment_rates"),
        sa.UniqueConstraint(
            "kind", "unit", "starts_on", name="uq_payment_rates_kind_unit_starts_on"
        ),
    )

    method = _word("payment_method", ("money", "vouchers"))
    with op.batch_alter_table(
        "involvement_payments",
        copy_from=_payments_at_0007(),
        naming_convention=NAMING_CONVENTION,
    ) as batch:
        batch.alter_column("meeting_id", existing_type=sa.Uuid(), nullable=True)
        batch.add_column(sa.Column("activity_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("claimed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("method", method, nullable=False, server_default="money"))
        batch.create_foreign_key(
            "fk_involvement_payments_activity_id_involvement_activities",
            "involvement_activities",
            ["activity_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_unique_constraint(
            "uq_involvement_payments_activity_id_participant_id", ["activity_id", "participant_id"]
        )
        batch.create_check_constraint(
            conv("ck_involvement_payments_one_occasion"),
            "(meeting_id IS NULL) != (activity_id IS NULL)",
        )
        batch.create_index("ix_involvement_payments_activity_id", ["activity_id"])

    op.create_table(
        "payment_expenses",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _word("expense_kind", EXPENSE_KINDS), nullable=False),
        sa.Column("pence", sa.Integer(), nullable=False),
        *_common(),
        sa.CheckConstraint("pence >= 0", name=conv("ck_payment_expenses_pence_not_negative")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["involvement_payments.id"],
            name="fk_payment_expenses_payment_id_involvement_payments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_expenses"),
        sa.UniqueConstraint("payment_id", "kind", name="uq_payment_expenses_payment_id_kind"),
    )

    op.add_column("participants", sa.Column("benefits_advice_on", sa.Date(), nullable=True))
    op.add_column(
        "participants",
        sa.Column("wants_vouchers", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "participants",
        sa.Column("wants_no_payment", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "trust_settings", sa.Column("payment_threshold_pence", sa.Integer(), nullable=True)
    )
    op.add_column(
        "trust_settings",
        sa.Column(
            "payment_threshold_period",
            sa.String(32),
            nullable=False,
            server_default="week",
        ),
    )
    op.add_column(
        "trust_settings",
        sa.Column("unpaid_limit_days", sa.Integer(), nullable=False, server_default="30"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(
            conv("ck_trust_settings_threshold_period"),
            "trust_settings",
            "payment_threshold_period IN ('week', 'month', 'tax_year')",
        )
        _server_access()


COORDINATOR = "involvement_coordinator"
ENGAGEMENT = "involvement_engagement_group"
ADMINISTRATOR = "involvement_administrator"
MY = "(SELECT involvement_my_localities())"
MY_MEETINGS = "(SELECT involvement_my_meetings())"
MY_ACTIVITIES = f"(SELECT a.id FROM involvement_activities a WHERE a.locality_id IN {MY})"


def _gate(role: str) -> str:
    return f"((SELECT involvement_signed_in('{role}')))"


def _server_access() -> None:
    """The grants and policies of 0005 for the new tables; the payments' policy and
    ``involvement_my_participants()`` replaced to cover activities."""
    conn = op.get_bind()

    def run(sql: str) -> None:
        conn.exec_driver_sql(sql)

    everyone = f"{COORDINATOR}, {ENGAGEMENT}, {ADMINISTRATOR}"
    readers = f"{ENGAGEMENT}, {ADMINISTRATOR}"
    reader = f"({_gate('engagement_group')} OR {_gate('administrator')})"
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    run(
        "CREATE OR REPLACE FUNCTION involvement_my_participants() RETURNS SETOF uuid "
        f'LANGUAGE sql STABLE SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$ '
        "SELECT a.participant_id FROM attendances a "
        "WHERE a.meeting_id IN (SELECT involvement_my_meetings()) "
        "UNION SELECT p.participant_id FROM involvement_payments p "
        "WHERE p.meeting_id IN (SELECT involvement_my_meetings()) "
        "OR p.activity_id IN (SELECT ia.id FROM involvement_activities ia "
        "WHERE ia.locality_id IN (SELECT involvement_my_localities())) "
        "UNION SELECT ap.participant_id FROM activity_participants ap "
        "JOIN involvement_activities ia ON ia.id = ap.activity_id "
        "WHERE ia.locality_id IN (SELECT involvement_my_localities()) "
        "UNION SELECT pp.participant_id FROM project_participants pp "
        "JOIN improvement_projects ip ON ip.id = pp.project_id "
        "WHERE ip.locality_id IN (SELECT involvement_my_localities()) $$"
    )
    payments = f"(meeting_id IN {MY_MEETINGS} OR activity_id IN {MY_ACTIVITIES})"
    run("DROP POLICY involvement_payments_coordinator ON involvement_payments")
    run(
        f"CREATE POLICY involvement_payments_coordinator ON involvement_payments "
        f"TO {COORDINATOR} USING {payments} WITH CHECK {payments}"
    )
    rows = {
        "involvement_activities": f"locality_id IN {MY}",
        "activity_participants": f"activity_id IN {MY_ACTIVITIES}",
        "payment_expenses": (
            "payment_id IN (SELECT p.id FROM involvement_payments p WHERE "
            f"p.meeting_id IN {MY_MEETINGS} OR p.activity_id IN {MY_ACTIVITIES})"
        ),
    }
    read_columns = {
        "involvement_activities": (
            "(id, locality_id, kind, activity_date, unit, quantity, project_id, cost_code, "
            "created_at, updated_at, row_version)"
        ),
        "activity_participants": "",
        "payment_expenses": "",
    }
    for table, expression in rows.items():
        run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {COORDINATOR}")
        run(f"GRANT SELECT {read_columns[table]} ON {table} TO {readers}")
        run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        run(
            f"CREATE POLICY {table}_coordinator ON {table} TO {COORDINATOR} "
            f"USING ({expression}) WITH CHECK ({expression})"
        )
        run(f"CREATE POLICY {table}_read ON {table} FOR SELECT TO {readers} USING {reader}")
    run(f"GRANT SELECT ON payment_rates TO {everyone}")
    run(f"GRANT INSERT, UPDATE, DELETE ON payment_rates TO {ADMINISTRATOR}")


def downgrade() -> None:
    op.drop_column("trust_settings", "unpaid_limit_days")
    op.drop_column("trust_settings", "payment_threshold_period")
    op.drop_column("trust_settings", "payment_threshold_pence")
    op.drop_column("participants", "wants_no_payment")
    op.drop_column("participants", "wants_vouchers")
    op.drop_column("participants", "benefits_advice_on")
    op.drop_table("payment_expenses")
    op.execute("DELETE FROM involvement_payments WHERE meeting_id IS NULL")
    with op.batch_alter_table("involvement_payments") as batch:
        batch.drop_index("ix_involvement_payments_activity_id")
        batch.drop_constraint(conv("ck_involvement_payments_one_occasion"), type_="check")
        batch.drop_constraint("uq_involvement_payments_activity_id_participant_id", type_="unique")
        batch.drop_constraint(
            "fk_involvement_payments_activity_id_involvement_activities", type_="foreignkey"
        )
        batch.drop_column("method")
        batch.drop_column("claimed_on")
        batch.drop_column("activity_id")
        batch.alter_column("meeting_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_table("payment_rates")
    op.drop_table("activity_participants")
    op.drop_table("involvement_activities")
