"""Privacy: anonymising participants (retention), withdrawing consent to contact, and the subject
access export (everything held about one person, as a workbook).

Anonymising keeps everything the figures count (the participant row and its id, category,
locality, attendances, payments and project roles), so every monthly figure is the same before
and after; it replaces the name with "Anonymised <category> <short code>" and clears everything
that identifies or contacts the person (email, phone, other names, organisation, notes,
consents, accessible format).

It sticks:

- **Free text.** A name also lives in text the coordinator typed, and once it is gone from the
  participant row nothing could recognise it there. So anonymising scrubs every free-text
  column of the database (``FREE_TEXT``: experience, actions and their progress, agenda
  titles, discussion and decisions, meeting notes, chair and venue, polls, other people's
  notes, evidence and notes of standard checks, assessors, improvement projects) and every
  draft (``core.drafts``) with the one redactor built for the person
  (``privacy.person_matcher``): their name and other names in every form, and their own
  e-mail address and phone number in any spelling. Pitfall: it is ``careful`` with names that
  are ordinary words ("Will", "Hope"): those are replaced where written with a capital or
  beside a word of the name that is not an ordinary word, so "the ward will reopen" survives
  anonymising "Will Ward".
  Text longer than its column after the replacement is cut to fit (a String column only).
- **Backups.** An erasure record (``erasures``: the person's id and the date, no personal
  data) is written in the same transaction; restoring an older backup applies every erasure
  the database knew again (``reapply_erasures``, called by ``core.backup``), and backups
  older than the trust's retention period are deleted (``core.backup``).
- **Equality monitoring.** The person's answers lose their link to them (``monitoring.detach``:
  consent cleared, the meetings they were present at kept beside the answers), so the reach of
  every past period stays true and nothing ties the answers to them.
- **Receipts.** The receipts attached to their payments' expenses are deleted
  (``payments.receipts.forget_receipts``); the payments themselves stay, counted.

One user action is one transaction: anonymising one person, a whole bulk selection, withdrawing a
consent. Audit summaries say what happened, never to whom by name. Anonymising returns the
redactor it used (``Anonymised.scrub``): the desktop app cleans the typing still open on screen
with it (a form open on a note naming them would otherwise save the name back, or keep it as a
draft), since once the person's row is anonymised nothing else could recognise the name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, delete, func, literal, select, update
from sqlalchemy.orm import Session

from . import audit, drafts, monitoring, schema
from .db import Database
from .errors import CoordinatorError, NotFoundError, ValidationError
from .fields import column_limit
from .models import (
    Attendance,
    AuditEntry,
    Erasure,
    Forum,
    ImprovementProject,
    Locality,
    Meeting,
    Participant,
    ProjectParticipant,
)
from .payments.receipts import forget_receipts
from .people import attended as attended_rule
from .privacy import CATEGORY_PLACEHOLDERS, Redactor, person_matcher
from .vocab import (
    AccessibleFormat,
    AttendanceStatus,
    AuditOperation,
    Category,
    PapersKind,
    PaymentMethod,
    PaymentStatus,
)

#: Every free-text column that may carry a participant's name or contact details: scrubbed
#: when anonymising, searched by the subject-access export. (Names of forums, localities,
#: priorities and standards are the trust's own words, not typed about people.)
FREE_TEXT: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (schema.experience_items, ("theme", "service", "summary", "response")),
    (schema.actions, ("title", "detail", "owner", "outcome")),
    (schema.action_updates, ("note",)),
    (schema.agenda_items, ("title", "discussion", "decisions")),
    (schema.meetings, ("notes", "chair", "minute_taker", "venue")),
    (schema.polls, ("question",)),
    (schema.poll_answers, ("answer",)),
    (schema.participants, ("notes", "organisation")),
    (schema.standard_checks, ("evidence", "notes")),
    (schema.assessments, ("assessors",)),
    (schema.improvement_projects, ("title", "service", "lead", "outcome")),
    (schema.involvement_activities, ("title", "notes")),  # 0009
)
MAX_YEARS = 100


@dataclass(frozen=True)
class Anonymised:
    """What anonymising did: how many people, and the one redactor that hid them (``scrubber``)
    for whatever still holds their name outside the database (the typing open on screen)."""

    count: int
    scrub: Redactor


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
) -> Anonymised:
    """Anonymise one participant (see the module docstring). Anonymising twice is refused."""
    with db.transaction() as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("That participant is no longer in the database.")
        if participant.anonymised_at is not None:
            raise CoordinatorError("This participant has already been anonymised.")
        scrub = _anonymise(session, [participant], now or datetime.now(UTC))
        audit.record(
            session,
            AuditOperation.ANONYMISE,
            "participant",
            participant_id,
            f"Participant anonymised ({participant.category.label.lower()})",
        )
    return Anonymised(1, scrub)


def anonymise_participants(
    db: Database, participant_ids: Sequence[uuid.UUID], *, now: datetime | None = None
) -> Anonymised:
    """Anonymise many participants in ONE transaction (all or none); says how many were
    anonymised (ids already anonymised or no longer there are skipped)."""
    if not participant_ids:
        return Anonymised(0, scrubber([]))
    with db.transaction() as session:
        found: list[Any] = []
        wanted = list(dict.fromkeys(participant_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found += session.scalars(
                select(Participant).where(
                    Participant.id.in_(chunk), Participant.anonymised_at.is_(None)
                )
            ).all()
        if not found:
            return Anonymised(0, scrubber([]))
        scrub = _anonymise(session, found, now or datetime.now(UTC))
        for participant in found:
            audit.record(
                session,
                AuditOperation.ANONYMISE,
                "participant",
                participant.id,
                f"Participant anonymised ({participant.category.label.lower()}, in bulk)",
            )
        return Anonymised(len(found), scrub)


def scrubber(participants: Iterable[Participant]) -> Redactor:
    """The redactor that scrubs these people from the records: their names and other names in
    every form (``careful`` with ordinary words), their own e-mail addresses and phone numbers
    in any spelling. A service user's placeholder wins when two share a word."""
    people = []
    contacts = []
    for p in participants:
        people.append((p.name or "", p.also_known_as or "", placeholder(p.category)))
        contacts += [p.email or "", p.phone or ""]
    return Redactor(people, every_contact=False, contacts=contacts, careful=True)


def _anonymise(session: Session, participants: list[Participant], when: datetime) -> Redactor:
    """Anonymise ``participants`` in the caller's transaction; returns the redactor that
    scrubbed them from the free text and the drafts."""
    scrub = scrubber(participants)
    for participant in participants:
        participant.name = anonymised_name(participant.id, participant.category)
        participant.also_known_as = ""
        participant.email = ""
        participant.phone = ""
        participant.postal_address = ""
        participant.organisation = ""
        participant.notes = ""
        participant.consent_to_contact = False
        participant.name_in_minutes = False
        participant.consent_date = None
        participant.benefits_advice_on = None
        participant.wants_vouchers = False
        participant.wants_no_payment = False
        participant.accessible_format = AccessibleFormat.STANDARD
        participant.active = False
        participant.anonymised_at = when
        session.add(Erasure(participant_id=participant.id, erased_at=when))
    session.flush()  # the rows above first: the scrub below updates tables directly
    # Their equality monitoring answers lose their link to them; past reach stays true.
    monitoring.detach(session, [p.id for p in participants], when)
    # Their receipts go (personal data); the payments stay, counted.
    forget_receipts(session, [p.id for p in participants])
    # Which forums they belonged to and which papers went to them go; a sending keeps its
    # counts (papers_sent), so what went when stays true.
    forget_membership(session, [p.id for p in participants])
    scrub_free_text(session, scrub)
    # Typing not saved yet may name them too; their own form's draft goes whole.
    drafts.forget_people(session, [p.id for p in participants], scrub)
    return scrub


def forget_membership(session: Session, participant_ids: list[uuid.UUID]) -> None:
    """Delete these people's forum memberships and their rows among the papers' recipients,
    in the caller's transaction."""
    for start in range(0, len(participant_ids), 500):
        ids = participant_ids[start : start + 500]
        for table in (schema.forum_members, schema.papers_recipients):
            session.execute(delete(table).where(table.c.participant_id.in_(ids)))


def scrub_free_text(session: Session, scrub: Redactor) -> int:
    """Apply ``scrub`` to every column of ``FREE_TEXT`` (each changed row's version is
    bumped, so an editor holding it is told someone else saved); returns how many rows
    changed. Text longer than a String column after the replacement is cut to fit; a poll's
    answer that would equal another of the same poll gets " (2)", " (3)"... ."""
    if not scrub:
        return 0
    changed = 0
    for table, columns in FREE_TEXT:
        cols = [table.c[c] for c in columns]
        extra = [table.c.poll_id] if table is schema.poll_answers else []
        rows = session.execute(select(table.c.id, *extra, *cols)).all()
        taken: dict[Any, set[str]] = {}
        if extra:
            for row in rows:
                taken.setdefault(row[1], set()).add(row[2])
        for row in rows:
            values = row[1 + len(extra) :]
            new: dict[str, str] = {}
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                clean = scrub(value)
                if clean != value:
                    new[column] = clean[: column_limit(table, column)]
            if not new:
                continue
            if extra:  # one answer per text in a poll
                siblings = taken[row[1]]
                base, n = new["answer"], 2
                while new["answer"] in siblings:
                    new["answer"] = f"{base} ({n})"[: column_limit(table, "answer")]
                    n += 1
                siblings.add(new["answer"])
            session.execute(
                update(table)
                .where(table.c.id == row[0])
                .values(**new, row_version=table.c.row_version + 1, updated_at=datetime.now(UTC))
            )
            changed += 1
    return changed


def reapply_erasures(session: Session, erasures: Iterable[tuple[uuid.UUID, datetime]]) -> int:
    """After a restore: anonymise again everyone ``erasures`` (participant id, when) names who
    is not anonymised in this database, and keep every erasure record here too. Returns how
    many people were anonymised again (people no longer in the database are skipped)."""
    wanted: dict[uuid.UUID, datetime] = {}
    for participant_id, when in erasures:
        wanted.setdefault(participant_id, when)
    if not wanted:
        return 0
    found: list[Participant] = []
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        found += session.scalars(
            select(Participant).where(
                Participant.id.in_(ids[start : start + 500]), Participant.anonymised_at.is_(None)
            )
        ).all()
    again = {p.id for p in found}
    known = set(session.scalars(select(Erasure.participant_id)))
    for participant_id, when in wanted.items():
        if participant_id not in known and participant_id not in again:
            session.add(Erasure(participant_id=participant_id, erased_at=when))
    for participant in found:  # each gets its erasure record from _anonymise
        _anonymise(session, [participant], wanted[participant.id])
        audit.record(
            session,
            AuditOperation.ANONYMISE,
            "participant",
            participant.id,
            f"Participant anonymised again after a restore ({participant.category.label.lower()})",
        )
    return len(found)


def erasures(session: Session) -> list[tuple[uuid.UUID, datetime]]:
    """Every erasure record: (participant id, when)."""
    return [
        (row[0], row[1])
        for row in session.execute(
            select(Erasure.participant_id, Erasure.erased_at).order_by(Erasure.erased_at)
        )
    ]


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _last_active_select() -> Select[Any]:
    """Each person not yet anonymised with their last attendance and number of attendances, by
    the one rule of a person's attendances (``people.attended``)."""
    attended = (
        select(func.max(Meeting.meeting_date))
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.participant_id == Participant.id, attended_rule())
        .correlate(Participant)
        .scalar_subquery()
    )
    count = (
        select(func.count())
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.participant_id == Participant.id, attended_rule())
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
        participant.postal_address = ""
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
    Person, Attendance, Payments, Improvement projects, Mentions (free text naming them), Audit
    (changes to their record), Equality monitoring (their consent and answers, if any), Forums
    and papers (memberships, and each paper sent to them) and Receipts (their payments'
    receipts, named).
    Text is stored as text, never as a formula."""
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
            ("Postal address", person.postal_address),
            ("Consent to contact", _yes(person.consent_to_contact)),
            ("Name in minutes", _yes(person.name_in_minutes)),
            ("Consent date", person.consent_date),
            ("Accessible format", person.accessible_format.label),
            ("Notes", person.notes),
            ("Active", _yes(person.active)),
            ("Added on", person.created_at),
            ("Last changed on", person.updated_at),
            ("Anonymised on", person.anonymised_at),
            ("Benefits advice offered on", person.benefits_advice_on),
            ("Asked for vouchers", _yes(person.wants_vouchers)),
            ("Asked to be paid nothing", _yes(person.wants_no_payment)),
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
        payments = _payments_of(session, participant_id)
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
        activities = _activities_of(session, participant_id)
        mentions = list(_mentions(session, person)) if person.anonymised_at is None else []
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
        monitored = monitoring.subject_access_rows(session, participant_id)
        contact = _contact_of(session, participant_id)
        receipts = _receipts_of(session, participant_id)

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
                "Activity",
                "Method",
                "Claimed on",
            ],
            [
                (d, f or "", loc, ref or "", s.label, _pounds(a), _pounds(e), p, act, m.label, c)
                for d, f, loc, ref, act, s, m, a, e, c, p in payments
            ],
        )
        write_table(
            wb.create_sheet("Improvement projects"),
            ["Project", "Locality", "Role", "Status"],
            [(t, loc, r.label, s.label) for t, loc, r, s in projects],
        )
        write_table(
            wb.create_sheet("Involvement activities"),
            ["Date", "Activity", "Title", "Locality"],
            activities,
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
        write_table(wb.create_sheet("Equality monitoring"), ["Field", "Value"], monitored)
        write_table(
            wb.create_sheet("Forums and papers"),
            ["What", "Forum", "Meeting reference", "Date", "How"],
            contact,
        )
        write_table(
            wb.create_sheet("Receipts"),
            ["Payment for", "Work date", "File", "Size (KB)", "Added on"],
            receipts,
        )
        wb.save(path)

    written = atomic_write(target, write)
    return SubjectAccessSummary(
        written, len(attendance), len(payments), len(projects), len(mentions), len(audit_rows)
    )


def _contact_of(session: Session, participant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """The forums the person is marked a member of (or not) and every paper sent to them
    (issue #29), for the subject access workbook."""
    fm, f = schema.forum_members, schema.forums
    ps, pr, m = schema.papers_sent, schema.papers_recipients, schema.meetings
    rows: list[tuple[Any, ...]] = [
        ("Member" if member else "Not a member (the coordinator's choice)", name, "", None, "")
        for name, member in session.execute(
            select(f.c.name, fm.c.member)
            .join(f, f.c.id == fm.c.forum_id)
            .where(fm.c.participant_id == participant_id)
            .order_by(f.c.name)
        )
    ]
    for kind, name, reference, sent_at, by_email in session.execute(
        select(ps.c.kind, f.c.name, m.c.reference, ps.c.sent_at, pr.c.by_email)
        .join(ps, ps.c.id == pr.c.sending_id)
        .join(m, m.c.id == ps.c.meeting_id)
        .join(f, f.c.id == m.c.forum_id)
        .where(pr.c.participant_id == participant_id)
        .order_by(ps.c.sent_at)
    ):
        rows.append(
            (
                f"Sent: {PapersKind(kind).label}",
                name,
                reference,
                sent_at,
                "E-mail" if by_email else "Letter",
            )
        )
    return rows


def _receipts_of(session: Session, participant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """The receipts kept for the person's payments (issue #28), named; the files themselves
    are given on request (Save a copy… in the payment's Receipts)."""
    from .payments.claims import WORK_DATE, A, M, P, occasion_label, with_occasion

    r = schema.payment_receipts
    found = session.execute(
        with_occasion(
            select(
                M.c.reference,
                A.c.kind,
                A.c.title,
                WORK_DATE,
                r.c.filename,
                r.c.size_bytes,
                r.c.created_at,
            ).join(r, r.c.payment_id == P.c.id)
        )
        .where(P.c.participant_id == participant_id)
        .order_by(WORK_DATE, r.c.filename)
    ).all()
    return [
        (occasion_label(reference, kind, title), day, filename, round(size / 1024, 1), added)
        for reference, kind, title, day, filename, size, added in found
    ]


def _activities_of(session: Session, participant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """The involvement activities other than meetings the person took part in (0009)."""
    from .models import ActivityParticipant, InvolvementActivity
    from .vocab import ActivityKind

    rows = session.execute(
        select(
            InvolvementActivity.activity_date,
            InvolvementActivity.kind,
            InvolvementActivity.title,
            Locality.name,
        )
        .join(ActivityParticipant, ActivityParticipant.activity_id == InvolvementActivity.id)
        .join(Locality, Locality.id == InvolvementActivity.locality_id)
        .where(ActivityParticipant.participant_id == participant_id)
        .order_by(InvolvementActivity.activity_date)
    ).all()
    return [(day, ActivityKind(kind).label, title, where) for day, kind, title, where in rows]


def _payments_of(session: Session, participant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """The person's payments, for meetings and other activities, by the day of the work:
    (date, forum, locality, meeting reference, activity, status, method, amount, expenses,
    claimed on, paid on)."""
    from .payments.claims import WORK_DATE, WORK_LOCALITY, A, F, M, P, occasion_label, with_occasion

    rows = session.execute(
        with_occasion(
            select(
                WORK_DATE.label("day"),
                F.c.name,
                schema.localities.c.name.label("locality"),
                M.c.reference,
                A.c.kind,
                A.c.title,
                P.c.status,
                P.c.method,
                P.c.amount_pence,
                P.c.expenses_pence,
                P.c.claimed_on,
                P.c.paid_on,
            )
        )
        .outerjoin(schema.localities, schema.localities.c.id == WORK_LOCALITY)
        .where(P.c.participant_id == participant_id)
        .order_by(WORK_DATE)
    ).all()
    return [
        (
            r.day,
            r.name,
            r.locality or "",
            r.reference,
            "" if r.reference else occasion_label(None, r.kind, r.title),
            PaymentStatus(r.status),
            PaymentMethod(r.method),
            r.amount_pence,
            r.expenses_pence,
            r.claimed_on,
            r.paid_on,
        )
        for r in rows
    ]


def _sources(person_id: uuid.UUID) -> list[tuple[str, Select[Any]]]:
    """Every column of ``FREE_TEXT`` with where it is, a date and a reference for a reader:
    (where, select(date, reference, *texts))."""
    t = schema
    e, a, u, g, m = t.experience_items, t.actions, t.action_updates, t.agenda_items, t.meetings
    p, pa, sc, asm = t.polls, t.poll_answers, t.standard_checks, t.assessments
    ip, ia = t.improvement_projects, t.involvement_activities
    return [
        (
            "Experience item",
            select(e.c.received_on, literal(""), *(e.c[c] for c in _columns(e))),
        ),
        ("Action", select(a.c.raised_on, a.c.reference, *(a.c[c] for c in _columns(a)))),
        (
            "Action progress",
            select(u.c.written_on, a.c.reference, u.c.note).join(a, a.c.id == u.c.action_id),
        ),
        (
            "Agenda item",
            select(m.c.meeting_date, m.c.reference, *(g.c[c] for c in _columns(g))).join(
                m, m.c.id == g.c.meeting_id
            ),
        ),
        ("Meeting", select(m.c.meeting_date, m.c.reference, *(m.c[c] for c in _columns(m)))),
        (
            "Quick poll",
            select(m.c.meeting_date, m.c.reference, p.c.question).join(m, m.c.id == p.c.meeting_id),
        ),
        (
            "Quick poll answer",
            select(m.c.meeting_date, m.c.reference, pa.c.answer)
            .join(p, p.c.id == pa.c.poll_id)
            .join(m, m.c.id == p.c.meeting_id),
        ),
        (
            "Another participant's record",
            select(
                literal(None), literal(""), t.participants.c.notes, t.participants.c.organisation
            ).where(t.participants.c.id != person_id),
        ),
        (
            "Standard check",
            select(asm.c.assessed_on, t.standards.c.code, sc.c.evidence, sc.c.notes)
            .join(asm, asm.c.id == sc.c.assessment_id)
            .join(t.standards, t.standards.c.id == sc.c.standard_id),
        ),
        ("Assessment", select(asm.c.assessed_on, literal(""), asm.c.assessors)),
        (
            "Improvement project",
            select(ip.c.started_on, literal(""), *(ip.c[c] for c in _columns(ip))),
        ),
        (
            "Involvement activity",
            select(ia.c.activity_date, literal(""), *(ia.c[c] for c in _columns(ia))),
        ),
    ]


def _columns(table: Table) -> tuple[str, ...]:
    return next(columns for found, columns in FREE_TEXT if found is table)


def _mentions(session: Session, person: Participant) -> Iterable[tuple[str, Any, str, str]]:
    """Free text that mentions the person, found by the one redactor built for them
    (``privacy.person_matcher``: every form of their name and other names, their own e-mail
    address and phone number): (where, date, reference, text). Drafts not saved yet count."""
    match = person_matcher(
        person.name or "", person.also_known_as or "", (person.email or "", person.phone or "")
    )
    for where, stmt in _sources(person.id):
        for row in session.execute(stmt):
            day, reference, *texts = row
            for text in texts:
                if text and match.hidden(text):
                    yield (where, day, reference or "", text)
    for draft in session.execute(select(schema.drafts.c.label, schema.drafts.c.fields)):
        label, typed = draft
        texts = [label or "", *drafts.typed_texts(typed)]
        for text in texts:
            if text and match.hidden(text):
                yield ("Draft (not saved yet)", None, label or "", text)


__all__ = [
    "AnonymiseCandidate",
    "Anonymised",
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
