"""Privacy: anonymising participants (retention), withdrawing consent to contact, and the subject
access export (everything held about one person, as a workbook).

Anonymising keeps everything the figures count (the participant row and its id, category,
locality, attendances, payments and project roles), so every monthly figure is the same before
and after; it replaces the name with "Anonymised <category> <short code>" and clears everything
that identifies or contacts the person (email, phone, organisation, notes, consents, accessible
format). Pitfall: a name also lives in free text the coordinator typed (experience summaries,
action titles and notes, agenda notes): once the name is gone from the participant row, the
returns could no longer recognise it there, so anonymising also replaces the whole name in those
texts by the category in brackets ("[service user]"), with the same forgiving matching as
returns (``privacy.Redactor``: any case or accents, whole names only). Typing not saved yet
(``core.drafts``) is treated alike: the draft of the person's own details goes, and their name is
replaced in every other draft; withdrawing consent drops the draft of their details too.

One user action is one transaction: anonymising one person, a whole bulk selection, withdrawing a
consent. Audit summaries say what happened, never to whom by name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from . import audit, drafts
from .db import Database
from .errors import CoordinatorError, NotFoundError, ValidationError
from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    AuditEntry,
    ExperienceItem,
    Forum,
    ImprovementProject,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Poll,
    ProjectParticipant,
)
from .privacy import CATEGORY_PLACEHOLDERS, Redactor
from .vocab import AccessibleFormat, AttendanceStatus, AuditOperation, Category, MeetingStatus

#: Free-text columns that may carry a participant's name, scanned when anonymising.
FREE_TEXT_COLUMNS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (ExperienceItem, ("summary", "response")),
    (Action, ("title", "detail", "outcome")),
    (ActionUpdate, ("note",)),
    (AgendaItem, ("title", "discussion", "decisions")),
    (Meeting, ("notes",)),
    (Poll, ("question",)),
)
MAX_YEARS = 100


@dataclass(frozen=True)
class AnonymiseCandidate:
    """A participant offered for bulk anonymising, with why (their last activity)."""

    id: uuid.UUID
    name: str
    category: Category
    locality_name: str
    last_active: date
    attendance_count: int


def placeholder(category: Category) -> str:
    """What the person's name becomes in free text: "[service user]", "[carer]", "[staff]"..."""
    category = Category(category)
    return CATEGORY_PLACEHOLDERS.get(category, f"[{category.label.lower()}]")


def anonymised_name(participant_id: uuid.UUID, category: Category) -> str:
    """ "Anonymised service user 3F2A9C": the category and a short code from the id, so two
    anonymised people in one register stay tellable apart."""
    return f"Anonymised {Category(category).label.lower()} {participant_id.hex[:6].upper()}"


# --- anonymising -------------------------------------------------------------------------------


def anonymise_participant(
    db: Database, participant_id: uuid.UUID, *, now: datetime | None = None
) -> None:
    """Anonymise one participant (see the module docstring). Anonymising twice is refused."""
    with db.transaction() as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("That participant is no longer in the database.")
        if participant.anonymised_at is not None:
            raise CoordinatorError("This participant has already been anonymised.")
        _anonymise(session, [participant], now or datetime.now(UTC))
        audit.record(
            session,
            AuditOperation.ANONYMISE,
            "participant",
            participant_id,
            f"Participant anonymised ({participant.category.label.lower()})",
        )


def anonymise_participants(
    db: Database, participant_ids: Sequence[uuid.UUID], *, now: datetime | None = None
) -> int:
    """Anonymise many participants in ONE transaction (all or none); returns how many were
    anonymised (ids already anonymised or no longer there are skipped)."""
    if not participant_ids:
        return 0
    with db.transaction() as session:
        found = []
        wanted = list(dict.fromkeys(participant_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found += session.scalars(
                select(Participant).where(
                    Participant.id.in_(chunk), Participant.anonymised_at.is_(None)
                )
            ).all()
        if not found:
            return 0
        _anonymise(session, found, now or datetime.now(UTC))
        for participant in found:
            audit.record(
                session,
                AuditOperation.ANONYMISE,
                "participant",
                participant.id,
                f"Participant anonymised ({participant.category.label.lower()}, in bulk)",
            )
        return len(found)


def _anonymise(session: Session, participants: list[Participant], when: datetime) -> None:
    replacements: dict[str, str] = {}
    for participant in participants:
        clean = " ".join((participant.name or "").split())
        # A service user's bracket wins when two people share a name (privacy wins).
        if clean and replacements.get(clean) != CATEGORY_PLACEHOLDERS[Category.SERVICE_USER]:
            replacements[clean] = placeholder(participant.category)
    redactor = Redactor(replacements)
    _redact_free_text(session, redactor)
    # Typing not saved yet may name them too; their own form's draft goes whole.
    drafts.forget_people(session, [p.id for p in participants], redactor if redactor else None)
    for participant in participants:
        participant.name = anonymised_name(participant.id, participant.category)
        participant.email = ""
        participant.phone = ""
        participant.organisation = ""
        participant.notes = ""
        participant.consent_to_contact = False
        participant.name_in_minutes = False
        participant.consent_date = None
        participant.accessible_format = AccessibleFormat.STANDARD
        participant.active = False
        participant.anonymised_at = when


def _redact_free_text(session: Session, redactor: Redactor) -> int:
    """Replace the names in every free-text column; returns how many rows changed."""
    if not redactor:
        return 0
    changed = 0
    for model, columns in FREE_TEXT_COLUMNS:
        cols = [getattr(model, c) for c in columns]
        for row in session.execute(select(model.id, *cols)).all():
            new = {c: redactor(v) if v else v for c, v in zip(columns, row[1:], strict=True)}
            if any(new[c] != v for c, v in zip(columns, row[1:], strict=True)):
                obj = session.get(model, row[0])
                for c, v in new.items():
                    setattr(obj, c, v)
                changed += 1
    return changed


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _last_active_select() -> Select[Any]:
    attended = (
        select(func.max(Meeting.meeting_date))
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Attendance.participant_id == Participant.id,
            Attendance.status == AttendanceStatus.PRESENT,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .correlate(Participant)
        .scalar_subquery()
    )
    count = (
        select(func.count())
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Attendance.participant_id == Participant.id,
            Attendance.status == AttendanceStatus.PRESENT,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .correlate(Participant)
        .scalar_subquery()
    )
    return select(
        Participant.id,
        Participant.name,
        Participant.category,
        func.coalesce(Locality.name, ""),
        attended,
        Participant.created_at,
        count,
    ).outerjoin(Locality, Locality.id == Participant.locality_id)


def inactive_candidates(
    db: Database, years: int, *, today: date | None = None
) -> list[AnonymiseCandidate]:
    """The preview for bulk anonymising: participants not yet anonymised whose last activity (the
    latest meeting they were present at, or when they were added if never) is more than
    ``years`` years before ``today``. Oldest activity first."""
    if not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ValidationError({"years": f"Give a number of years from 1 to {MAX_YEARS}."})
    cutoff = years_before(today or date.today(), years)
    with db.session() as session:
        rows = session.execute(
            _last_active_select().where(Participant.anonymised_at.is_(None))
        ).all()
    found = []
    for pid, name, category, locality, attended, created, count in rows:
        if isinstance(attended, str):
            attended = date.fromisoformat(attended)
        last = attended if attended is not None else created.date()
        if last < cutoff:
            found.append(
                AnonymiseCandidate(pid, name, Category(category), locality, last, int(count or 0))
            )
    found.sort(key=lambda c: (c.last_active, c.name.lower()))
    return found


# --- consent -----------------------------------------------------------------------------------


def withdraw_consent_to_contact(db: Database, participant_id: uuid.UUID) -> None:
    """The person no longer wants to be contacted: their email and phone are removed with the
    consent, in one transaction."""
    with db.transaction() as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("That participant is no longer in the database.")
        participant.consent_to_contact = False
        participant.email = ""
        participant.phone = ""
        drafts.forget_people(session, [participant_id])  # a draft of their details had them
        audit.record(
            session,
            AuditOperation.UPDATE,
            "participant",
            participant_id,
            "Consent to contact withdrawn; contact details removed",
        )


# --- subject access ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectAccessSummary:
    path: Path
    attendances: int
    payments: int
    projects: int
    mentions: int
    audit_entries: int


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _pounds(pence: int | None) -> Decimal:
    return (Decimal(pence or 0) / 100).quantize(Decimal("0.01"))


def subject_access_export(
    db: Database, participant_id: uuid.UUID, target: str | Path
) -> SubjectAccessSummary:
    """Write everything held about one person to the workbook ``target`` (atomically): sheets
    Person, Attendance, Payments, Improvement projects, Mentions (free text naming them) and
    Audit (changes to their record). Text is stored as text, never as a formula."""
    from openpyxl import Workbook

    from .files import atomic_write
    from .xlsx import write_table

    with db.session() as session:
        person = session.get(Participant, participant_id)
        if person is None:
            raise NotFoundError("That participant is no longer in the database.")
        locality = session.get(Locality, person.locality_id) if person.locality_id else None
        details = [
            ("Name", person.name),
            ("Category", person.category.label),
            ("Locality", locality.name if locality else ""),
            ("Organisation", person.organisation),
            ("Email", person.email),
            ("Phone", person.phone),
            ("Consent to contact", _yes(person.consent_to_contact)),
            ("Name in minutes", _yes(person.name_in_minutes)),
            ("Consent date", person.consent_date),
            ("Accessible format", person.accessible_format.label),
            ("Notes", person.notes),
            ("Active", _yes(person.active)),
            ("Added on", person.created_at),
            ("Last changed on", person.updated_at),
            ("Anonymised on", person.anonymised_at),
        ]
        meeting_cols = (Meeting.meeting_date, Forum.name, Locality.name, Meeting.reference)
        attendance = session.execute(
            select(*meeting_cols, Attendance.status)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .join(Locality, Locality.id == Forum.locality_id)
            .where(Attendance.participant_id == participant_id)
            .order_by(Meeting.meeting_date)
        ).all()
        payments = session.execute(
            select(
                *meeting_cols,
                InvolvementPayment.status,
                InvolvementPayment.amount_pence,
                InvolvementPayment.expenses_pence,
                InvolvementPayment.paid_on,
            )
            .join(Meeting, Meeting.id == InvolvementPayment.meeting_id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .join(Locality, Locality.id == Forum.locality_id)
            .where(InvolvementPayment.participant_id == participant_id)
            .order_by(Meeting.meeting_date)
        ).all()
        projects = session.execute(
            select(
                ImprovementProject.title,
                Locality.name,
                ProjectParticipant.role,
                ImprovementProject.status,
            )
            .join(ImprovementProject, ImprovementProject.id == ProjectParticipant.project_id)
            .join(Locality, Locality.id == ImprovementProject.locality_id)
            .where(ProjectParticipant.participant_id == participant_id)
            .order_by(ImprovementProject.title)
        ).all()
        mentions = list(_mentions(session, person.name)) if person.anonymised_at is None else []
        audit_rows = session.execute(
            select(
                AuditEntry.at,
                AuditEntry.operation,
                AuditEntry.summary,
                AuditEntry.actor,
                AuditEntry.os_user,
            )
            .where(AuditEntry.entity_id == participant_id)
            .order_by(AuditEntry.at)
        ).all()

    def write(path: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "Person"
        write_table(ws, ["Field", "Value"], details)
        write_table(
            wb.create_sheet("Attendance"),
            ["Date", "Forum", "Locality", "Meeting reference", "Status"],
            [(d, f, loc, ref, AttendanceStatus(s).label) for d, f, loc, ref, s in attendance],
        )
        write_table(
            wb.create_sheet("Payments"),
            [
                "Date",
                "Forum",
                "Locality",
                "Meeting reference",
                "Status",
                "Amount (GBP)",
                "Expenses (GBP)",
                "Paid on",
            ],
            [
                (d, f, loc, ref, s.label, _pounds(a), _pounds(e), paid)
                for d, f, loc, ref, s, a, e, paid in payments
            ],
        )
        write_table(
            wb.create_sheet("Improvement projects"),
            ["Project", "Locality", "Role", "Status"],
            [(t, loc, r.label, s.label) for t, loc, r, s in projects],
        )
        write_table(wb.create_sheet("Mentions"), ["Where", "Date", "Reference", "Text"], mentions)
        write_table(
            wb.create_sheet("Audit"),
            ["When", "What", "Summary", "By", "Computer user"],
            [
                (at, op.label, summary, actor, os_user)
                for at, op, summary, actor, os_user in audit_rows
            ],
        )
        wb.save(path)

    written = atomic_write(target, write)
    return SubjectAccessSummary(
        written, len(attendance), len(payments), len(projects), len(mentions), len(audit_rows)
    )


def _mentions(session: Session, name: str) -> Iterable[tuple[str, Any, str, str]]:
    """Free text that names the person: (where, date, reference, text)."""
    redactor = Redactor({" ".join(name.split()): "\x00"})
    if not redactor:
        return
    sources: list[tuple[str, Select[Any], tuple[str, ...]]] = [
        (
            "Experience item",
            select(
                ExperienceItem.received_on,
                literal(""),
                ExperienceItem.summary,
                ExperienceItem.response,
            ),
            ("summary", "response"),
        ),
        (
            "Action",
            select(Action.raised_on, Action.reference, Action.title, Action.detail, Action.outcome),
            ("title", "detail", "outcome"),
        ),
        (
            "Action progress",
            select(ActionUpdate.written_on, Action.reference, ActionUpdate.note).join(
                Action, Action.id == ActionUpdate.action_id
            ),
            ("note",),
        ),
        (
            "Agenda item",
            select(
                Meeting.meeting_date,
                Meeting.reference,
                AgendaItem.title,
                AgendaItem.discussion,
                AgendaItem.decisions,
            ).join(Meeting, Meeting.id == AgendaItem.meeting_id),
            ("title", "discussion", "decisions"),
        ),
        (
            "Meeting notes",
            select(Meeting.meeting_date, Meeting.reference, Meeting.notes),
            ("notes",),
        ),
    ]
    for where, stmt, _columns in sources:
        for row in session.execute(stmt):
            day, reference, *texts = row
            for text in texts:
                if text and redactor(text) != text:
                    yield (where, day, reference or "", text)


__all__ = [
    "AnonymiseCandidate",
    "SubjectAccessSummary",
    "anonymise_participant",
    "anonymise_participants",
    "anonymised_name",
    "inactive_candidates",
    "placeholder",
    "subject_access_export",
    "withdraw_consent_to_contact",
    "years_before",
]
