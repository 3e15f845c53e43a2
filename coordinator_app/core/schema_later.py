"""The tables nothing reads on the way to Home: 18 of the schema's 46 (payments' rates, expenses
and receipts, typing kept, the audit log, a trust server's logins, papers sent, the engagement
group's picture ...), defined the first time anything names one of them or ``schema.metadata``
(``schema.__getattr__``: the ORM, Alembic, a backup, a form), not at every start. Defining them
took about 10 ms of the start-up (issue #23; docs/engineering-notes.md "Where start-up goes").

Part of the one definition of the schema in ``core.schema`` (read its docstring): always named
through it (``schema.drafts``), never imported from here.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)

from .schema import UTCDateTime, _col, _table, utcnow, vocab
from .vocab import AccessRole, ActivityKind, AuditOperation, ExpenseKind, PapersKind, RateUnit

# --- Accreditation evidence and the audit log ----------------------------------------------------

evidence_files = _table(
    "evidence_files",
    _col(
        "standard_check_id",
        Uuid(),
        ForeignKey("standard_checks.id", ondelete="CASCADE"),
        index=True,
    ),
    _col("filename", String(255)),
    _col("size_bytes", Integer()),
    _col("content", LargeBinary()),
)

audit_log = _table(
    "audit_log",
    _col("at", UTCDateTime(), default=utcnow),
    _col("actor", String(255), default=""),
    _col("os_user", String(255), default=""),
    _col("operation", vocab(AuditOperation, "audit_operation")),
    _col("entity", String(255), default=""),
    _col("entity_id", Uuid(), nullable=True),
    _col("summary", Text(), default=""),
    # The server login that made the change (0005): on PostgreSQL the server fills it in
    # (DEFAULT session_user, and a policy refuses any other value); empty on SQLite.
    _col("login", String(63), server_default=""),
    Index("ix_audit_log_at", "at"),
)


# --- Improvement projects' links -----------------------------------------------------------------

project_links = _table(
    "project_links",
    _col("project_id", Uuid(), ForeignKey("improvement_projects.id", ondelete="CASCADE")),
    _col(
        "action_id", Uuid(), ForeignKey("actions.id", ondelete="CASCADE"), nullable=True, index=True
    ),
    _col(
        "experience_item_id",
        Uuid(),
        ForeignKey("experience_items.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    UniqueConstraint("project_id", "action_id", "experience_item_id"),
    CheckConstraint("(action_id IS NULL) != (experience_item_id IS NULL)", name="links_one_thing"),
)


# --- Involvement beyond meetings and its payments (0009, 0013) -----------------------------------

activity_participants = _table(
    "activity_participants",
    _col("activity_id", Uuid(), ForeignKey("involvement_activities.id", ondelete="CASCADE")),
    _col("participant_id", Uuid(), ForeignKey("participants.id"), index=True),
    UniqueConstraint("activity_id", "participant_id"),
)

# The trust's rates: per kind of activity and unit, each from the day it starts. A payment keeps
# the amount it was given, so a new rate never rewrites an old payment.
payment_rates = _table(
    "payment_rates",
    _col("kind", vocab(ActivityKind, "rate_kind")),
    _col("unit", vocab(RateUnit, "rate_unit")),
    _col("pence", Integer()),
    _col("starts_on", Date()),
    _col("cost_code", String(64), default=""),
    UniqueConstraint("kind", "unit", "starts_on"),
    CheckConstraint("pence >= 0", name="pence_not_negative"),
)

# A payment's expenses by kind; ``involvement_payments.expenses_pence`` is their sum.
payment_expenses = _table(
    "payment_expenses",
    _col("payment_id", Uuid(), ForeignKey("involvement_payments.id", ondelete="CASCADE")),
    _col("kind", vocab(ExpenseKind, "expense_kind")),
    _col("pence", Integer()),
    UniqueConstraint("payment_id", "kind"),
    CheckConstraint("pence >= 0", name="pence_not_negative"),
)

# A receipt for a payment's expenses (issue #28), kept inside the database so a backup holds
# it, as evidence files are; personal data: it goes with its payment (0013).
payment_receipts = _table(
    "payment_receipts",
    _col(
        "payment_id",
        Uuid(),
        ForeignKey("involvement_payments.id", ondelete="CASCADE"),
        index=True,
    ),
    _col("filename", String(255)),
    _col("size_bytes", Integer()),
    _col("content", LargeBinary()),
)


# --- Typing kept, people anonymised (0004, 0006) -------------------------------------------------

drafts = _table(
    "drafts",
    # Who was typing ("user@computer"): on a shared server each coordinator recovers only their
    # own drafts.
    _col("owner", String(255)),
    # Which form and which record ("ActionEditor:actions:<id>"); one draft per owner and key.
    _col("key", String(255)),
    _col("form", String(64)),
    # What a person reads: "the minutes of Rugby Locality Forum, 6 October 2025".
    _col("label", Text()),
    # The record the form edits or adds to; the draft is offered only as text once it is gone.
    _col("record_table", String(64), nullable=True),
    _col("record_id", Uuid(), nullable=True),
    # JSON: how to open the form again, and the values of its fields as typed.
    _col("context", Text(), default="{}"),
    _col("fields", Text(), default="[]"),
    # The server login that typed it (0005): on PostgreSQL the server fills it in and a policy
    # shows each login its own drafts only; empty on SQLite.
    _col("login", String(63), server_default=""),
    UniqueConstraint("owner", "key"),
)

erasures = _table(
    "erasures",
    # Who was anonymised and when (0004): the participant's id and the date, never a name.
    # Kept so that restoring an older backup anonymises them again (core/backup/); no foreign
    # key, since the record outlives the participant row.
    _col("participant_id", Uuid(), index=True),
    _col("erased_at", UTCDateTime()),
)


# --- A trust server's logins (0005) --------------------------------------------------------------

# Who may see what on a trust server (0005, core/access.py). Empty on SQLite, where one
# coordinator uses one laptop; on PostgreSQL the server's row-level security reads them.
access_logins = _table(
    "access_logins",
    # The PostgreSQL login (role) name, as the server spells it.
    _col("login", String(63), unique=True),
    _col("role", vocab(AccessRole, "access_role")),
    # Set by ``access add``: the app asks for a new password at the next sign-in, and the
    # server shows the login nothing personal until then.
    _col("must_change_password", Boolean(), default=False),
)

access_localities = _table(
    "access_localities",
    _col("login_id", Uuid(), ForeignKey("access_logins.id", ondelete="CASCADE")),
    _col("locality_id", Uuid(), ForeignKey("localities.id", ondelete="CASCADE"), index=True),
    UniqueConstraint("login_id", "locality_id"),
)


# --- Papers to members (0008, 0014, core/members.py, core/papers.py) -----------------------------

# A forum's members beyond the default (whoever attended in the last 12 months, present or
# apologies): ``member`` True puts someone on the list, False takes them off it.
forum_members = _table(
    "forum_members",
    _col("forum_id", Uuid(), ForeignKey("forums.id", ondelete="CASCADE")),
    _col("participant_id", Uuid(), ForeignKey("participants.id", ondelete="CASCADE"), index=True),
    _col("member", Boolean(), default=True),
    UniqueConstraint("forum_id", "participant_id"),
)

# Each sending of a meeting's papers: what, how many e-mails and letters, how many were sent
# nothing (no consent, or no address), when and by whom; who is in ``papers_recipients``.
papers_sent = _table(
    "papers_sent",
    _col("meeting_id", Uuid(), ForeignKey("meetings.id", ondelete="CASCADE"), index=True),
    _col("kind", vocab(PapersKind, "papers_kind")),
    _col("sent_at", UTCDateTime()),
    _col("emails", Integer(), default=0),
    _col("letters", Integer(), default=0),
    _col("not_sent", Integer(), default=0),
    _col("sent_by", String(255), default=""),
    # What the calendar invitation said when it went (0014; core/invitation_updates.py): the
    # meeting's date, times, venue, format, link and whether cancelled, as JSON; empty for papers
    # with no invitation and for sendings before 0014.
    _col("invitation", Text(), default="", server_default=""),
)

# Who each sending went to (0014): one row per member sent an e-mail draft or a letter, so an
# invitation update goes to exactly those who had the first. Read by the coordinator only.
papers_recipients = _table(
    "papers_recipients",
    _col("sending_id", Uuid(), ForeignKey("papers_sent.id", ondelete="CASCADE")),
    _col("participant_id", Uuid(), ForeignKey("participants.id", ondelete="CASCADE"), index=True),
    _col("by_email", Boolean(), default=True),
    UniqueConstraint("sending_id", "participant_id"),
)

# The trust's staff who own actions (name and work e-mail), so a reminder has a recipient. An
# action's ``owner`` text names one of them (any case); not a participant, never a service user.
staff = _table(
    "staff",
    _col("name", String(255), unique=True),
    _col("email", String(255), default=""),
    _col("active", Boolean(), default=True),
)


# --- The engagement group's picture kept between months (0012, core/kept_returns.py) -------------

# Each locality's return for a month as consolidation checked it (``ReturnData`` as JSON,
# without Prepared by): the Trust view's picture is built from these with no file read again.
# ``locality_key`` is the name folded (any case is one locality). Returns hold no personal data.
kept_returns = _table(
    "kept_returns",
    _col("locality", String(255)),
    _col("locality_key", String(255)),
    _col("month", String(7)),
    _col("content", Text()),
    _col("source_file", String(1000)),
    _col("generated_at", UTCDateTime(), nullable=True),
    _col("format_version", Integer()),
    _col("kept_at", UTCDateTime()),
    UniqueConstraint("locality_key", "month"),
)

# The group's targets for the Trust view and the Board report, in the group's order.
board_targets = _table(
    "board_targets",
    _col("measure", String(255)),
    _col("per", String(16)),
    _col("value", Double()),
    _col("higher_is_better", Boolean()),
    _col("amber_within", Double(), nullable=True),
    _col("position", Integer()),
    UniqueConstraint("measure", "per"),
)

# The completed actions the group features in the Board report's "You said, we did".
board_highlights = _table(
    "board_highlights",
    _col("locality", String(255)),
    _col("locality_key", String(255)),
    _col("reference", String(255)),
    UniqueConstraint("locality_key", "reference"),
)
