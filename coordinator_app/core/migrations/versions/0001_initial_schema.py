"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 21:53:12.439229
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("os_user", sa.String(length=255), nullable=False),
        sa.Column(
            "operation",
            sa.Enum(
                "create",
                "update",
                "delete",
                "submit",
                "reopen",
                "import",
                "restore",
                "anonymise",
                name="audit_operation",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("entity", sa.String(length=255), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)

    op.create_table(
        "localities",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=False),
        sa.Column("coordinated", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("action_counter", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_localities")),
        sa.UniqueConstraint("code", name=op.f("uq_localities_code")),
        sa.UniqueConstraint("name", name=op.f("uq_localities_name")),
    )
    op.create_table(
        "standards_frameworks",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("version", sa.String(length=255), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("c1_met_pct", sa.Double(), nullable=True),
        sa.Column("c2_met_pct", sa.Double(), nullable=True),
        sa.Column("c3_met_pct", sa.Double(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards_frameworks")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_standards_frameworks_name_version")),
    )
    op.create_table(
        "strategic_priorities",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategic_priorities")),
        sa.UniqueConstraint("name", name=op.f("uq_strategic_priorities_name")),
    )
    op.create_table(
        "trust_settings",
        sa.Column("trust_name", sa.String(length=255), nullable=False),
        sa.Column("coordinator_name", sa.String(length=255), nullable=False),
        sa.Column("default_payment_pence", sa.Integer(), nullable=False),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("backups_folder", sa.Text(), nullable=False),
        sa.Column("set_up", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_settings")),
    )
    op.create_table(
        "assessments",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "self_review",
                "peer_review",
                name="assessment_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessors", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                name="assessment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["standards_frameworks.id"],
            name=op.f("fk_assessments_framework_id_standards_frameworks"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_assessments_locality_id_localities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_locality_status_date",
            ["locality_id", "status", "assessed_on"],
            unique=False,
        )

    op.create_table(
        "forums",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "locality_forum",
                "carers_forum",
                "service_user_group",
                "co_production_group",
                "event",
                "other",
                name="forum_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("default_venue", sa.String(length=255), nullable=False),
        sa.Column(
            "default_format",
            sa.Enum(
                "in_person",
                "online",
                "hybrid",
                name="forum_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_forums_locality_id_localities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forums")),
        sa.UniqueConstraint("locality_id", "name", name=op.f("uq_forums_locality_id_name")),
    )
    with op.batch_alter_table("forums", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forums_locality_id"), ["locality_id"], unique=False)

    op.create_table(
        "improvement_projects",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("service", sa.String(length=255), nullable=False),
        sa.Column("lead", sa.String(length=255), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "active",
                "completed",
                name="project_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_improvement_projects_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_improvement_projects_locality_id_localities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_projects")),
    )
    with op.batch_alter_table("improvement_projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_improvement_projects_locality_id"), ["locality_id"], unique=False
        )

    op.create_table(
        "participants",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "service_user",
                "carer",
                "representative",
                "staff",
                "partner",
                "other",
                name="participant_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("locality_id", sa.Uuid(), nullable=True),
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("phone", sa.String(length=255), nullable=False),
        sa.Column("consent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("name_in_minutes", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column(
            "accessible_format",
            sa.Enum(
                "standard",
                "large_print",
                "easy_read",
                name="participant_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_participants_locality_id_localities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index("ix_participants_name", ["name"], unique=False)

    op.create_table(
        "standards",
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence_guidance", sa.Text(), nullable=False),
        sa.Column("criticality", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "criticality IN (1, 2, 3)", name=op.f("ck_standards_criticality_1_to_3")
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["standards_frameworks.id"],
            name=op.f("fk_standards_framework_id_standards_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_standards_framework_id_code")),
    )
    op.create_table(
        "meetings",
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("forum_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("venue", sa.String(length=255), nullable=False),
        sa.Column(
            "format",
            sa.Enum(
                "in_person",
                "online",
                "hybrid",
                name="meeting_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "held",
                "cancelled",
                name="meeting_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("chair", sa.String(length=255), nullable=False),
        sa.Column("minute_taker", sa.String(length=255), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "end_time IS NULL OR start_time IS NULL OR end_time > start_time",
            name=op.f("ck_meetings_end_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forums.id"], name=op.f("fk_meetings_forum_id_forums")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("reference", name=op.f("uq_meetings_reference")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_date_status", ["meeting_date", "status"], unique=False)
        batch_op.create_index("ix_meetings_forum_date", ["forum_id", "meeting_date"], unique=False)

    op.create_table(
        "project_participants",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "co_producer",
                "adviser",
                "reviewer",
                name="project_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_project_participants_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["improvement_projects.id"],
            name=op.f("fk_project_participants_project_id_improvement_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_participants")),
        sa.UniqueConstraint(
            "project_id",
            "participant_id",
            name=op.f("uq_project_participants_project_id_participant_id"),
        ),
    )
    with op.batch_alter_table("project_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_participants_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "standard_checks",
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("standard_id", sa.Uuid(), nullable=False),
        sa.Column(
            "rating",
            sa.Enum(
                "met",
                "partly_met",
                "not_met",
                "not_applicable",
                "not_yet_rated",
                name="check_rating",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_standard_checks_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"], ["standards.id"], name=op.f("fk_standard_checks_standard_id_standards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_checks")),
        sa.UniqueConstraint(
            "assessment_id",
            "standard_id",
            name=op.f("uq_standard_checks_assessment_id_standard_id"),
        ),
    )
    with op.batch_alter_table("standard_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_checks_standard_id"), ["standard_id"], unique=False
        )

    op.create_table(
        "agenda_items",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_agenda_items_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "attendances",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "apologies",
                "absent",
                name="attendance_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_attendances_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_attendances_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendances")),
        sa.UniqueConstraint(
            "meeting_id", "participant_id", name=op.f("uq_attendances_meeting_id_participant_id")
        ),
    )
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendances_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "evidence_files",
        sa.Column("standard_check_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_check_id"],
            ["standard_checks.id"],
            name=op.f("fk_evidence_files_standard_check_id_standard_checks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
    )
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_files_standard_check_id"), ["standard_check_id"], unique=False
        )

    op.create_table(
        "experience_items",
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "compliment",
                "concern",
                "suggestion",
                "question",
                "idea",
                name="experience_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("theme", sa.String(length=255), nullable=False),
        sa.Column("service", sa.String(length=255), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_experience_items_locality_id_localities"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_experience_items_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experience_items")),
    )
    with op.batch_alter_table("experience_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_experience_items_locality_date", ["locality_id", "received_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_experience_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "involvement_payments",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "declined",
                "paid",
                name="payment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("expenses_pence", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "amount_pence >= 0 AND expenses_pence >= 0",
            name=op.f("ck_involvement_payments_amounts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_involvement_payments_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_involvement_payments_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvement_payments")),
        sa.UniqueConstraint(
            "meeting_id",
            "participant_id",
            name=op.f("uq_involvement_payments_meeting_id_participant_id"),
        ),
    )
    with op.batch_alter_table("involvement_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_involvement_payments_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "polls",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_polls_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_polls_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "unnamed_attendances",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "service_user",
                "carer",
                "representative",
                "staff",
                "partner",
                "other",
                name="unnamed_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_unnamed_attendances_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_unnamed_attendances_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unnamed_attendances")),
        sa.UniqueConstraint(
            "meeting_id", "category", name=op.f("uq_unnamed_attendances_meeting_id_category")
        ),
    )
    op.create_table(
        "actions",
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("locality_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("experience_item_id", sa.Uuid(), nullable=True),
        sa.Column("standard_check_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "individual",
                "team_ward",
                "locality",
                "strategic",
                name="action_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("strategic_priority_id", sa.Uuid(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "completed",
                "cancelled",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status IN ('completed', 'cancelled')) = (closed_on IS NOT NULL)",
            name=op.f("ck_actions_closed_on_iff_closed"),
        ),
        sa.CheckConstraint(
            "due_on IS NULL OR due_on >= raised_on", name=op.f("ck_actions_due_not_before_raised")
        ),
        sa.ForeignKeyConstraint(
            ["experience_item_id"],
            ["experience_items.id"],
            name=op.f("fk_actions_experience_item_id_experience_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"], ["localities.id"], name=op.f("fk_actions_locality_id_localities")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_actions_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["standard_check_id"],
            ["standard_checks.id"],
            name=op.f("fk_actions_standard_check_id_standard_checks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["strategic_priority_id"],
            ["strategic_priorities.id"],
            name=op.f("fk_actions_strategic_priority_id_strategic_priorities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("reference", name=op.f("uq_actions_reference")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index("ix_actions_closed_on", ["closed_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_actions_experience_item_id"), ["experience_item_id"], unique=False
        )
        batch_op.create_index(
            "ix_actions_locality_raised", ["locality_id", "raised_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_actions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_actions_standard_check_id"), ["standard_check_id"], unique=False
        )
        batch_op.create_index("ix_actions_status_due", ["status", "due_on"], unique=False)

    op.create_table(
        "poll_answers",
        sa.Column("poll_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_poll_answers_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_answers_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_answers")),
        sa.UniqueConstraint("poll_id", "answer", name=op.f("uq_poll_answers_poll_id_answer")),
    )
    op.create_table(
        "action_updates",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_updates_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_updates_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "project_links",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=True),
        sa.Column("experience_item_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(action_id IS NULL) != (experience_item_id IS NULL)",
            name=op.f("ck_project_links_links_one_thing"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_project_links_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["experience_item_id"],
            ["experience_items.id"],
            name=op.f("fk_project_links_experience_item_id_experience_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["improvement_projects.id"],
            name=op.f("fk_project_links_project_id_improvement_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_links")),
        sa.UniqueConstraint(
            "project_id",
            "action_id",
            "experience_item_id",
            name=op.f("uq_project_links_project_id_action_id_experience_item_id"),
        ),
    )
    with op.batch_alter_table("project_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_links_action_id"), ["action_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_project_links_experience_item_id"), ["experience_item_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_links_experience_item_id"))
        batch_op.drop_index(batch_op.f("ix_project_links_action_id"))

    op.drop_table("project_links")
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_updates_action_id"))

    op.drop_table("action_updates")
    op.drop_table("poll_answers")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_status_due")
        batch_op.drop_index(batch_op.f("ix_actions_standard_check_id"))
        batch_op.drop_index(batch_op.f("ix_actions_meeting_id"))
        batch_op.drop_index("ix_actions_locality_raised")
        batch_op.drop_index(batch_op.f("ix_actions_experience_item_id"))
        batch_op.drop_index("ix_actions_closed_on")

    op.drop_table("actions")
    op.drop_table("unnamed_attendances")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polls_meeting_id"))

    op.drop_table("polls")
    with op.batch_alter_table("involvement_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_involvement_payments_participant_id"))

    op.drop_table("involvement_payments")
    with op.batch_alter_table("experience_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experience_items_meeting_id"))
        batch_op.drop_index("ix_experience_items_locality_date")

    op.drop_table("experience_items")
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_files_standard_check_id"))

    op.drop_table("evidence_files")
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendances_participant_id"))

    op.drop_table("attendances")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("standard_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_checks_standard_id"))

    op.drop_table("standard_checks")
    with op.batch_alter_table("project_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_participants_participant_id"))

    op.drop_table("project_participants")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_forum_date")
        batch_op.drop_index("ix_meetings_date_status")

    op.drop_table("meetings")
    op.drop_table("standards")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_name")

    op.drop_table("participants")
    with op.batch_alter_table("improvement_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_improvement_projects_locality_id"))

    op.drop_table("improvement_projects")
    with op.batch_alter_table("forums", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forums_locality_id"))

    op.drop_table("forums")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_locality_status_date")

    op.drop_table("assessments")
    op.drop_table("trust_settings")
    op.drop_table("strategic_priorities")
    op.drop_table("standards_frameworks")
    op.drop_table("localities")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")

    op.drop_table("audit_log")
