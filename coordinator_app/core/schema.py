"""The database schema as SQLAlchemy Core tables: one ``Table`` per glossary entity.

This is the one definition of the schema, with ``core.schema_later``: the 18 tables nothing
reads on the way to Home are written there and defined when first named through this module
(``schema.drafts``, ``schema.metadata``: ``__getattr__``), not at every start. The ORM classes
in ``core.models`` map onto these tables (``__table__``); Alembic's migrations compare against
``metadata``. Code that only reads figures (Home's month card, the monthly return, the counting
rules of docs/counting-rules.md) selects from these tables directly, so it never pays for
importing and configuring the ORM (about a quarter of a second on a laptop) before the window or
the return is ready.

Every table ends with the same four columns: a UUID key, UTC creation and update timestamps,
and ``row_version`` for optimistic concurrency (the ORM's ``version_id_col``). Columns are NOT
NULL unless marked ``nullable=True``. Column and constraint order matches the databases already
in use (SQLite keeps each table's CREATE statement as written): add new columns at the end of
the table's own columns, through a migration.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)

from .vocab import (
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    ActivityKind,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
    ProjectRole,
    ProjectStatus,
    RateUnit,
    Rating,
    ThresholdPeriod,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The tables defined so far. ``metadata`` (the name, ``__getattr__``) is this same object once
#: ``core.schema_later``'s tables are in it too: the whole schema.
_metadata = MetaData(naming_convention=NAMING_CONVENTION)
metadata: MetaData

if TYPE_CHECKING:  # held here once first named (``__getattr__``)
    from .schema_later import (  # noqa: F401
        access_localities,
        access_logins,
        activity_participants,
        audit_log,
        board_highlights,
        board_targets,
        drafts,
        erasures,
        evidence_files,
        forum_members,
        kept_returns,
        papers_recipients,
        papers_sent,
        payment_expenses,
        payment_rates,
        payment_receipts,
        project_links,
        staff,
    )


def __getattr__(name: str) -> Any:
    """PEP 562: a name this module does not hold. ``metadata``, or a table of
    ``core.schema_later``, defines that module's tables (the first time; importing is
    thread-safe) and is then held here like the rest."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import schema_later

    tables = {key: value for key, value in vars(schema_later).items() if isinstance(value, Table)}
    if name != "metadata" and name not in tables:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals().update(tables, metadata=_metadata)
    return globals()[name]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC (portable) and always returned timezone-aware in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def vocab(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A string column restricted to an enum's values by a named CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def _col(name: str, *args: Any, nullable: bool = False, **kwargs: Any) -> Column[Any]:
    """A column, NOT NULL unless ``nullable``."""
    return Column(name, *args, nullable=nullable, **kwargs)


def _where_from(name: str, table: str) -> Column[Any]:
    """An optional, indexed link to the record something came from (the meeting an action was
    raised at ...): the link is cleared, not the row deleted, when that record goes."""
    return _col(
        name, Uuid(), ForeignKey(f"{table}.id", ondelete="SET NULL"), nullable=True, index=True
    )


def _table(name: str, *items: Any) -> Table:
    """A table with its own columns, then the four columns every table has, then its own
    constraints and indexes (which may name those four)."""
    columns = [item for item in items if isinstance(item, Column)]
    others = [item for item in items if not isinstance(item, Column)]
    return Table(
        name,
        _metadata,
        *columns,
        _col("id", Uuid(), primary_key=True, default=uuid.uuid4),
        _col("created_at", UTCDateTime(), default=utcnow),
        _col("updated_at", UTCDateTime(), default=utcnow, onupdate=utcnow),
        _col("row_version", Integer(), default=1, server_default="1"),
        *others,
    )


trust_settings = _table(
    "trust_settings",
    _col("trust_name", String(255), default=""),
    _col("coordinator_name", String(255), default=""),
    _col("default_payment_pence", Integer(), default=0),
    _col("logo_png", LargeBinary(), nullable=True),
    _col("backups_folder", Text(), default=""),
    _col("set_up", Boolean(), default=False),
    # How long backups are kept, in months (core/backup/ deletes older ones). 0004.
    _col("backup_retention_months", Integer(), default=12, server_default="12"),
    # Involvement payments (0009): the most a person may be paid over a period before the app
    # warns (a benefit's earnings limit; none by default), and how many days a claim may wait
    # unpaid before Home lists it.
    _col("payment_threshold_pence", Integer(), nullable=True),
    _col(
        "payment_threshold_period",
        vocab(ThresholdPeriod, "threshold_period"),
        default=ThresholdPeriod.WEEK,
        server_default=ThresholdPeriod.WEEK.value,
    ),
    _col("unpaid_limit_days", Integer(), default=30, server_default="30"),
)

localities = _table(
    "localities",
    _col("name", String(255), unique=True),
    _col("code", String(255), unique=True),
    _col("coordinated", Boolean(), default=False),
    _col("active", Boolean(), default=True),
    _col("action_counter", Integer(), default=0),
)

forums = _table(
    "forums",
    _col("locality_id", Uuid(), ForeignKey("localities.id"), index=True),
    _col("name", String(255)),
    _col("kind", vocab(ForumKind, "forum_kind")),
    _col("default_venue", String(255), default=""),
    _col("default_format", vocab(MeetingFormat, "forum_format"), default=MeetingFormat.IN_PERSON),
    _col("active", Boolean(), default=True),
    # The usual day (the 2nd Tuesday: week 2, weekday 1; week 5 is the last), times and standing
    # agenda items (one per line), from migration 0006.
    _col("usual_week", Integer(), nullable=True),
    _col("usual_weekday", Integer(), nullable=True),
    _col("usual_start", Time(), nullable=True),
    _col("usual_end", Time(), nullable=True),
    _col("standing_items", Text(), default="", server_default=""),
    # The link its online or hybrid meetings usually use (a Teams link), from migration 0008.
    _col("online_link", String(1000), default="", server_default=""),
    UniqueConstraint("locality_id", "name"),
)

strategic_priorities = _table(
    "strategic_priorities",
    _col("name", String(255), unique=True),
    _col("position", Integer(), default=0),
    _col("retired", Boolean(), default=False),
)

standards_frameworks = _table(
    "standards_frameworks",
    _col("name", String(255)),
    _col("version", String(255), default="1"),
    _col("issued_on", Date(), nullable=True),
    _col("c1_met_pct", Double(), nullable=True),
    _col("c2_met_pct", Double(), nullable=True),
    _col("c3_met_pct", Double(), nullable=True),
    UniqueConstraint("name", "version"),
)

standards = _table(
    "standards",
    _col("framework_id", Uuid(), ForeignKey("standards_frameworks.id", ondelete="CASCADE")),
    _col("position", Integer(), default=0),
    _col("code", String(255)),
    _col("domain", String(255)),
    _col("title", Text()),
    _col("description", Text(), default=""),
    _col("evidence_guidance", Text(), default=""),
    _col("criticality", Integer()),
    UniqueConstraint("framework_id", "code"),
    CheckConstraint("criticality IN (1, 2, 3)", name="criticality_1_to_3"),
)

assessments = _table(
    "assessments",
    _col("locality_id", Uuid(), ForeignKey("localities.id")),
    _col("framework_id", Uuid(), ForeignKey("standards_frameworks.id")),
    _col("kind", vocab(AssessmentKind, "assessment_kind")),
    _col("assessed_on", Date()),
    _col("assessors", Text(), default=""),
    _col("status", vocab(AssessmentStatus, "assessment_status"), default=AssessmentStatus.DRAFT),
    _col("submitted_at", UTCDateTime(), nullable=True),
    Index("ix_assessments_locality_status_date", "locality_id", "status", "assessed_on"),
)

standard_checks = _table(
    "standard_checks",
    _col("assessment_id", Uuid(), ForeignKey("assessments.id", ondelete="CASCADE")),
    _col("standard_id", Uuid(), ForeignKey("standards.id"), index=True),
    _col("rating", vocab(Rating, "check_rating"), default=Rating.NOT_YET_RATED),
    _col("evidence", Text(), default=""),
    _col("notes", Text(), default=""),
    UniqueConstraint("assessment_id", "standard_id"),
)

participants = _table(
    "participants",
    _col("name", String(255)),
    _col("category", vocab(Category, "participant_category")),
    _col("locality_id", Uuid(), ForeignKey("localities.id"), nullable=True),
    _col("organisation", String(255), default=""),
    _col("email", String(255), default=""),
    _col("phone", String(255), default=""),
    _col("consent_to_contact", Boolean(), default=False),
    _col("name_in_minutes", Boolean(), default=False),
    _col("consent_date", Date(), nullable=True),
    _col(
        "accessible_format",
        vocab(AccessibleFormat, "participant_format"),
        default=AccessibleFormat.STANDARD,
    ),
    _col("notes", Text(), default=""),
    _col("active", Boolean(), default=True),
    _col("anonymised_at", UTCDateTime(), nullable=True),
    # Other names the person goes by ("Bobby", a maiden name), hidden like the name (0004).
    _col("also_known_as", Text(), default="", server_default=""),
    # Where letters go for someone with no e-mail address (0008): lines as on an envelope.
    # Contact details: removed with consent to contact and on anonymising.
    _col("postal_address", Text(), default="", server_default=""),
    # Payments and benefits (0009): when benefits advice was offered, and whether they asked
    # for vouchers instead of money or to be paid nothing.
    _col("benefits_advice_on", Date(), nullable=True),
    _col("wants_vouchers", Boolean(), default=False, server_default=false()),
    _col("wants_no_payment", Boolean(), default=False, server_default=false()),
    Index("ix_participants_name", "name"),
)

meetings = _table(
    "meetings",
    _col("reference", String(255), unique=True),
    _col("forum_id", Uuid(), ForeignKey("forums.id")),
    _col("meeting_date", Date()),
    _col("start_time", Time(), nullable=True),
    _col("end_time", Time(), nullable=True),
    _col("venue", String(255), default=""),
    _col("format", vocab(MeetingFormat, "meeting_format"), default=MeetingFormat.IN_PERSON),
    _col("status", vocab(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED),
    _col("chair", String(255), default=""),
    _col("minute_taker", String(255), default=""),
    _col("notes", Text(), default=""),
    # The online meeting's link (0008; the forum's ``online_link`` by default): in invitations
    # and e-mails always, on paper only when ``print_link`` is chosen.
    _col("online_link", String(1000), default="", server_default=""),
    _col("print_link", Boolean(), default=False, server_default=false()),
    CheckConstraint(
        "end_time IS NULL OR start_time IS NULL OR end_time > start_time", name="end_after_start"
    ),
    Index("ix_meetings_date_status", "meeting_date", "status"),
    Index("ix_meetings_id_status_date", "id", "status", "meeting_date"),  # 0002
)

agenda_items = _table(
    "agenda_items",
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE"), index=True),
    _col("position", Integer()),
    _col("title", String(255)),
    _col("discussion", Text(), default=""),
    _col("decisions", Text(), default=""),
)

attendances = _table(
    "attendances",
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE")),
    _col("participant_id", Uuid(), ForeignKey("participants.id")),
    _col("status", vocab(AttendanceStatus, "attendance_status"), default=AttendanceStatus.PRESENT),
    UniqueConstraint("meeting_id", "participant_id"),
    # Covering indexes for the lists' counts (migration 0002).
    Index("ix_attendances_meeting_status", "meeting_id", "status"),
    Index("ix_attendances_participant_status", "participant_id", "status", "meeting_id"),
)

unnamed_attendances = _table(
    "unnamed_attendances",
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE")),
    _col("category", vocab(Category, "unnamed_category")),
    _col("count", Integer(), default=0),
    UniqueConstraint("meeting_id", "category"),
    CheckConstraint("count >= 0", name="count_not_negative"),
)

involvement_payments = _table(
    "involvement_payments",
    # A payment is for a meeting OR another involvement activity (0009), never both.
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE"), nullable=True),
    _col("participant_id", Uuid(), ForeignKey("participants.id"), index=True),
    _col("status", vocab(PaymentStatus, "payment_status"), default=PaymentStatus.OFFERED),
    _col("amount_pence", Integer(), default=0),
    _col("expenses_pence", Integer(), default=0),
    _col("paid_on", Date(), nullable=True),
    # 0009: the activity (when not a meeting), the day the person claimed (offered and claimed
    # is "claimed"), and whether it is paid in money or vouchers.
    _col(
        "activity_id",
        Uuid(),
        ForeignKey("involvement_activities.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    _col("claimed_on", Date(), nullable=True),
    _col(
        "method",
        vocab(PaymentMethod, "payment_method"),
        default=PaymentMethod.MONEY,
        server_default=PaymentMethod.MONEY.value,
    ),
    UniqueConstraint("meeting_id", "participant_id"),
    CheckConstraint("amount_pence >= 0 AND expenses_pence >= 0", name="amounts_not_negative"),
    UniqueConstraint("activity_id", "participant_id"),
    CheckConstraint("(meeting_id IS NULL) != (activity_id IS NULL)", name="one_occasion"),
)

polls = _table(
    "polls",
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE"), index=True),
    _col("position", Integer(), default=0),
    _col("question", Text()),
)

poll_answers = _table(
    "poll_answers",
    _col("poll_id", Uuid(), ForeignKey("polls.id", ondelete="CASCADE")),
    _col("position", Integer(), default=0),
    _col("answer", String(255)),
    _col("count", Integer(), default=0),
    UniqueConstraint("poll_id", "answer"),
    CheckConstraint("count >= 0", name="count_not_negative"),
)

experience_items = _table(
    "experience_items",
    _col("locality_id", Uuid(), ForeignKey("localities.id")),
    _where_from("meeting_id", "meetings"),
    _col("received_on", Date()),
    _col("kind", vocab(ExperienceKind, "experience_kind")),
    _col("theme", String(255), default=""),
    _col("service", String(255), default=""),
    _col("summary", Text()),
    _col("response", Text(), default=""),
    _col("responded_on", Date(), nullable=True),
    Index("ix_experience_items_locality_date", "locality_id", "received_on"),
)

actions = _table(
    "actions",
    _col("reference", String(255), unique=True),
    _col("locality_id", Uuid(), ForeignKey("localities.id")),
    _where_from("meeting_id", "meetings"),
    _where_from("experience_item_id", "experience_items"),
    _where_from("standard_check_id", "standard_checks"),
    _col("title", Text()),
    _col("detail", Text(), default=""),
    _col("owner", String(255), default=""),
    _col("level", vocab(ActionLevel, "action_level")),
    _col("strategic_priority_id", Uuid(), ForeignKey("strategic_priorities.id"), nullable=True),
    _col("raised_on", Date()),
    _col("due_on", Date(), nullable=True),
    _col("status", vocab(ActionStatus, "action_status"), default=ActionStatus.OPEN),
    _col("closed_on", Date(), nullable=True),
    _col("outcome", Text(), default=""),
    # The owner on the staff list (0014, core/staff.py), set when ``owner`` names a staff member
    # as the action is saved; a rename of the staff member then renames ``owner`` with it.
    # Empty for owners not on the list (and rows older than 0014 not matched by name). No
    # foreign key: staff are never deleted, only set aside, and adding one would rebuild the
    # table on SQLite.
    _col("owner_staff_id", Uuid(), nullable=True, index=True),
    CheckConstraint("due_on IS NULL OR due_on >= raised_on", name="due_not_before_raised"),
    CheckConstraint(
        "(status IN ('completed', 'cancelled')) = (closed_on IS NOT NULL)",
        name="closed_on_iff_closed",
    ),
    Index("ix_actions_closed_on", "closed_on"),
    Index("ix_actions_status_due", "status", "due_on"),
)

action_updates = _table(
    "action_updates",
    _col("action_id", Uuid(), ForeignKey("actions.id", ondelete="CASCADE"), index=True),
    _col("written_on", Date()),
    _col("note", Text()),
)

improvement_projects = _table(
    "improvement_projects",
    _col("locality_id", Uuid(), ForeignKey("localities.id"), index=True),
    _col("title", String(255)),
    _col("service", String(255), default=""),
    _col("lead", String(255), default=""),
    _col("status", vocab(ProjectStatus, "project_status"), default=ProjectStatus.PROPOSED),
    _col("started_on", Date(), nullable=True),
    _col("ended_on", Date(), nullable=True),
    _col("outcome", Text(), default=""),
    CheckConstraint(
        "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="ends_after_start"
    ),
)

project_participants = _table(
    "project_participants",
    _col("project_id", Uuid(), ForeignKey("improvement_projects.id", ondelete="CASCADE")),
    _col("participant_id", Uuid(), ForeignKey("participants.id"), index=True),
    _col("role", vocab(ProjectRole, "project_role")),
    UniqueConstraint("project_id", "participant_id"),
)

# --- Involvement beyond meetings (0009) ---------------------------------------------------------

# An involvement activity other than a meeting (improvement project work, an interview panel,
# training ...): people take part, and may be paid for it (``involvement_payments.activity_id``).
involvement_activities = _table(
    "involvement_activities",
    _col("locality_id", Uuid(), ForeignKey("localities.id")),
    _col("kind", vocab(ActivityKind, "activity_kind")),
    _col("activity_date", Date()),
    _col("title", String(255), default=""),
    # How long: so many hours, half days, days or sessions.
    _col("unit", vocab(RateUnit, "activity_unit"), default=RateUnit.SESSION),
    _col("quantity", Double(), default=1.0),
    _where_from("project_id", "improvement_projects"),
    # Finance's code for the budget it is paid from (the finance list shows it).
    _col("cost_code", String(64), default=""),
    _col("notes", Text(), default=""),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_involvement_activities_locality_date", "locality_id", "activity_date"),
)

# --- The lists' indexes (0007) ------------------------------------------------------------------

# Each list's first screenful is read in its own order straight from an index, with no sort of
# the rows in a temporary B-tree however many localities the database holds (issue "Fast at
# sixteen times the data"; tests/core/test_list_plans.py). ``lower(name)`` is what
# ``people.participant_rows`` orders by. They replace (locality, raised_on) on actions and
# (forum, date) on meetings, which are their leading columns.
# The tracker: one locality's actions newest raised first, and all localities'.
Index(
    "ix_actions_locality_raised_created",
    actions.c.locality_id,
    actions.c.raised_on,
    actions.c.created_at,
    actions.c.id,
)
Index("ix_actions_raised_created", actions.c.raised_on, actions.c.created_at, actions.c.id)
# The meetings list: one forum's meetings newest first, and every forum's.
Index(
    "ix_meetings_forum_date_time_reference",
    meetings.c.forum_id,
    meetings.c.meeting_date,
    meetings.c.start_time,
    meetings.c.reference,
)
Index(
    "ix_meetings_date_time_reference",
    meetings.c.meeting_date,
    meetings.c.start_time,
    meetings.c.reference,
)
# The participant directory: one locality's people by name, and everyone.
Index(
    "ix_participants_locality_lower_name",
    participants.c.locality_id,
    func.lower(participants.c.name),
    participants.c.id,
)
Index("ix_participants_lower_name", func.lower(participants.c.name), participants.c.id)

# --- Equality monitoring (0010) -----------------------------------------------------------------

# The characteristics the trust monitors and their groups, in the trust's order (issue #27;
# defaults from the 2021 Census written by migration 0010); every characteristic keeps the
# groups "Prefer not to say" and "Not asked" (core/monitoring.py).
monitoring_characteristics = _table(
    "monitoring_characteristics",
    _col("name", String(255), unique=True),
    _col("position", Integer(), default=0),
)

monitoring_groups = _table(
    "monitoring_groups",
    _col(
        "characteristic_id",
        Uuid(),
        ForeignKey("monitoring_characteristics.id", ondelete="CASCADE"),
    ),
    _col("name", String(255)),
    _col("position", Integer(), default=0),
    # One of the seldom-heard groups the trust aims to reach: Home shows progress towards it.
    _col("seldom_heard", Boolean(), default=False, server_default=false()),
    UniqueConstraint("characteristic_id", "name"),
)

# A locality's population share of a group (per cent, e.g. from the 2021 Census), entered by the
# trust; the reach figures compare the people who took part against it.
population_shares = _table(
    "population_shares",
    _col("locality_id", Uuid(), ForeignKey("localities.id", ondelete="CASCADE")),
    _col("group_id", Uuid(), ForeignKey("monitoring_groups.id", ondelete="CASCADE"), index=True),
    _col("share_pct", Double()),
    UniqueConstraint("locality_id", "group_id"),
    CheckConstraint("share_pct >= 0 AND share_pct <= 100", name="share_0_to_100"),
)

# Special-category data, kept apart from the participant: one record per person who consented
# (when and how), holding their answers. Anonymising the person detaches the record
# (participant_id emptied, detached_at set, consent cleared) and copies the meetings they were
# present at into monitoring_presence, so past reach figures stay true while nothing ties the
# answers to the person any more (core/monitoring.py ``detach``).
monitoring_records = _table(
    "monitoring_records",
    _col(
        "participant_id",
        Uuid(),
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    _col("consent_date", Date(), nullable=True),
    _col("consent_how", String(255), default=""),
    _col("detached_at", UTCDateTime(), nullable=True),
    CheckConstraint(
        "(participant_id IS NULL) = (detached_at IS NOT NULL)", name="detached_iff_no_person"
    ),
    CheckConstraint(
        "detached_at IS NOT NULL OR consent_date IS NOT NULL", name="consent_while_attached"
    ),
)

monitoring_answers = _table(
    "monitoring_answers",
    _col("record_id", Uuid(), ForeignKey("monitoring_records.id", ondelete="CASCADE")),
    _col("characteristic_id", Uuid(), ForeignKey("monitoring_characteristics.id"), index=True),
    _col("group_id", Uuid(), ForeignKey("monitoring_groups.id"), index=True),
    UniqueConstraint("record_id", "characteristic_id"),
)

monitoring_presence = _table(
    "monitoring_presence",
    _col("record_id", Uuid(), ForeignKey("monitoring_records.id", ondelete="CASCADE")),
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE"), index=True),
    UniqueConstraint("record_id", "meeting_id"),
)

# --- Home's waiting claims (0011) ---------------------------------------------------------------

# "Claimed, unpaid over 30 days" on Home (``payments.claims.claims_waiting``) reads the few
# payments still offered and claimed from this partial index, not every payment ever made.
# Its PostgreSQL half is added by ``complete_for_postgresql``.
_WAITING = text("status = 'offered' AND claimed_on IS NOT NULL")
claims_waiting_index = Index(
    "ix_involvement_payments_claims_waiting",
    involvement_payments.c.claimed_on,
    sqlite_where=_WAITING,
)


def complete_for_postgresql() -> None:
    """Add the definitions' PostgreSQL options (the waiting claims index's WHERE, as migration
    0011 made it on a server). ``engine.make_engine`` calls this for every PostgreSQL address.

    Kept out of the definitions themselves: naming a ``postgresql_`` option makes SQLAlchemy
    import its PostgreSQL dialect and that dialect's five drivers (about 20 ms), which a laptop
    on SQLite, the default, would otherwise pay at every start on the way to Home. Calling this
    again changes nothing.
    """
    claims_waiting_index.dialect_kwargs["postgresql_where"] = _WAITING
