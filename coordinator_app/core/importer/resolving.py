"""Matching the parsed rows against the database (``_resolve``), read only: bulk reads up front,
never a query per row. What is already present is counted to be skipped, what is missing
(localities, forums, strategic priorities, assessments) noted to be created, and every problem
appended as ``Sheet 'X' row N: ...``. It runs for the plan, and again inside the import's
transaction (the database may have changed since the plan was made).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Action,
    Assessment,
    Attendance,
    ExperienceItem,
    Forum,
    InvolvementActivity,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Standard,
    StandardCheck,
    StandardsFramework,
    StrategicPriority,
    UnnamedAttendance,
)
from ..parsing import same_version
from ..payments.activities import check_claim_dates
from ..vocab import AttendanceStatus, Category, PaymentStatus
from .common import _fold
from .rows import (
    ActionIn,
    AttendanceIn,
    CheckIn,
    ExperienceIn,
    MeetingIn,
    ParsedRows,
    PaymentIn,
    PersonIn,
    SheetCount,
)
from .sheets import ACTIONS, ATTENDANCE, CHECKS, EXPERIENCE, MEETINGS, PARTICIPANTS, PAYMENTS

#: A participant: ("db", id) for one in the database, ("wb", row) for a new one in the workbook.
PersonKey = tuple[str, Any]


#: An involvement activity as the Payments sheet names it: (locality key, kind, date).
ActivityKey = tuple[str, str, date]


@dataclass
class _Resolved:
    counts: dict[str, SheetCount] = field(default_factory=dict)
    localities: dict[str, uuid.UUID] = field(default_factory=dict)  # folded name -> id
    new_locality_names: list[str] = field(default_factory=list)
    forums: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)
    new_forums: list[tuple[str, str, str]] = field(default_factory=list)  # loc key, name, loc
    priorities: dict[str, uuid.UUID] = field(default_factory=dict)
    new_priority_names: list[str] = field(default_factory=list)
    priority_position: int = 0
    meetings: dict[str, uuid.UUID] = field(default_factory=dict)  # REF -> id (database)
    meeting_locality: dict[str, str] = field(default_factory=dict)  # REF -> locality key
    meeting_date: dict[str, date] = field(default_factory=dict)
    new_people: list[PersonIn] = field(default_factory=list)
    new_meetings: list[MeetingIn] = field(default_factory=list)
    attendance: list[tuple[str, PersonKey, AttendanceStatus]] = field(default_factory=list)
    unnamed: list[tuple[str, Category, int]] = field(default_factory=list)
    actions: list[tuple[ActionIn, str, date]] = field(default_factory=list)  # row, loc, raised
    experience: list[tuple[ExperienceIn, str, date]] = field(default_factory=list)
    payments: list[tuple[str, PersonKey, PaymentIn]] = field(default_factory=list)
    #: Payments for other involvement activities: ((locality key, kind, date), who, row).
    activity_payments: list[tuple[ActivityKey, PersonKey, PaymentIn]] = field(default_factory=list)
    #: The activities already in the database, by (locality key, kind, date).
    activities: dict[ActivityKey, uuid.UUID] = field(default_factory=dict)
    new_assessments: dict[tuple[Any, ...], CheckIn] = field(default_factory=dict)
    assessments: dict[tuple[Any, ...], uuid.UUID] = field(default_factory=dict)
    checks: list[tuple[tuple[Any, ...], uuid.UUID, CheckIn]] = field(default_factory=list)
    framework_standards: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    used_action_refs: set[str] = field(default_factory=set)


def _pairs(session: Session, key: Any, other: Any, ids: Sequence[Any]) -> set[tuple[Any, Any]]:
    """``(key, other)`` of the rows whose ``key`` is in ``ids`` (queried in chunks of 900)."""
    found: set[tuple[Any, Any]] = set()
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        found.update(
            tuple(row) for row in session.execute(select(key, other).where(key.in_(chunk)))
        )
    return found


class _Resolver:
    """Matches every parsed row against the database: bulk reads up front, no per-row query.

    Each sheet has one method, run in dependency order (meetings and participants first, since
    the other sheets point at them); problems are appended to ``problems``.
    """

    def __init__(self, session: Session | None, parsed: ParsedRows, problems: list[str]) -> None:
        self.session = session
        self.parsed = parsed
        self.problems = problems
        self.r = _Resolved()
        self.locality_by_id: dict[uuid.UUID, str] = {}
        self.by_name: dict[str, set[PersonKey]] = {}
        self.wb_refs = {m.reference.upper() for m in parsed.meetings}
        self._new_locality_keys: set[str] = set()
        self._activities_read = False
        self._activity_paid: set[tuple[Any, Any]] = set()
        r = self.r
        if session is not None:
            for loc_id, name in session.execute(select(Locality.id, Locality.name)):
                r.localities[_fold(name)] = loc_id
                self.locality_by_id[loc_id] = _fold(name)
            for f_id, loc_id, name in session.execute(
                select(Forum.id, Forum.locality_id, Forum.name)
            ):
                r.forums[(self.locality_by_id[loc_id], _fold(name))] = f_id
            for p_id, name, position in session.execute(
                select(StrategicPriority.id, StrategicPriority.name, StrategicPriority.position)
            ):
                r.priorities[_fold(name)] = p_id
                r.priority_position = max(r.priority_position, position + 1)
        for sheet in parsed.present:
            r.counts[sheet] = SheetCount()

    def run(self) -> _Resolved:
        self.meetings()
        self.people()
        self.attendance()
        self.payments()
        self.actions()
        self.experience()
        self.checks()
        return self.r

    # --- shared lookups -------------------------------------------------------------------

    def problem(self, sheet: str, row: int, text: str) -> None:
        self.problems.append(f"Sheet '{sheet}' row {row}: {text}")

    def count(self, sheet: str, new: int, existing: int) -> None:
        if sheet in self.parsed.present:
            self.r.counts[sheet] = SheetCount(new, existing)

    def locality(self, name: str) -> str:
        """The key of the locality called ``name``, noting it for creation when missing."""
        key = _fold(name)
        if key not in self.r.localities and key not in self._new_locality_keys:
            self._new_locality_keys.add(key)
            self.r.new_locality_names.append(" ".join(name.split()))
        return key

    def meeting_known(self, sheet: str, row: int, ref: str) -> bool:
        key = ref.upper()
        if key in self.r.meeting_date or key in self.wb_refs:
            return True
        if key in self.parsed.defined_meetings:
            return False  # its Meetings row has a problem of its own
        self.problem(
            sheet, row, f"Meeting reference '{ref}' is not a meeting in this workbook or the "
            "database."
        )  # fmt: skip
        return False

    def person(self, sheet: str, row: int, name: str) -> PersonKey | None:
        found = self.by_name.get(_fold(name), set())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            if _fold(name) in self.parsed.defined_names:
                return None  # its Participants row has a problem of its own
            self.problem(
                sheet, row, f"Name '{name}' is not a participant in this workbook or the "
                "database; add them to the Participants sheet."
            )  # fmt: skip
        else:
            self.problem(
                sheet, row, f"Name '{name}' matches {len(found)} participants; names must match "
                "exactly one (add a distinguishing detail to one of them)."
            )  # fmt: skip
        return None

    def where_from(self, sheet: str, row: int, meeting: str, loc_name: str) -> str | None:
        """The locality key of an action or experience item: its meeting's, else its column."""
        if meeting:
            if not self.meeting_known(sheet, row, meeting):
                return None
            return self.r.meeting_locality.get(meeting.upper())
        if loc_name:
            return self.locality(loc_name)
        self.problem(
            sheet, row, "Meeting reference is blank and there is no Locality; give one of them "
            "so the locality is known."
        )  # fmt: skip
        return None

    def _db_meeting_ids(self) -> list[uuid.UUID]:
        return list(self.r.meetings.values())

    # --- one method per sheet ---------------------------------------------------------------

    def meetings(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        db_meetings: dict[str, tuple[uuid.UUID, date]] = {}
        referring: list[AttendanceIn | ActionIn | ExperienceIn | PaymentIn] = [
            *parsed.attendance,
            *parsed.actions,
            *parsed.experience,
            *parsed.payments,
        ]
        wanted_refs = set(parsed.defined_meetings) | {
            x.meeting.upper() for x in referring if x.meeting
        }
        if session is not None and wanted_refs:
            forum_locality = dict(session.execute(select(Forum.id, Forum.locality_id)).all())
            for m_id, ref, on, forum_id in session.execute(
                select(Meeting.id, Meeting.reference, Meeting.meeting_date, Meeting.forum_id)
            ):
                key = ref.upper()
                if key in wanted_refs:
                    db_meetings[key] = (m_id, on)
                    r.meetings[key] = m_id
                    r.meeting_locality[key] = self.locality_by_id[forum_locality[forum_id]]
                    r.meeting_date[key] = on
        new_forums: set[tuple[str, str]] = set()
        skipped = 0
        for m in parsed.meetings:
            key = m.reference.upper()
            if key in db_meetings:
                skipped += 1
                stored_on = db_meetings[key][1]
                if stored_on != m.on:
                    self.problem(
                        MEETINGS, m.row, f"Reference '{m.reference}' is already in the database "
                        f"for a meeting on {stored_on:%d/%m/%Y}, not {m.on:%d/%m/%Y}; give this "
                        "meeting another reference."
                    )  # fmt: skip
                continue
            loc = self.locality(m.locality)
            forum_key = (loc, _fold(m.forum))
            if forum_key not in r.forums and forum_key not in new_forums:
                new_forums.add(forum_key)
                r.new_forums.append((loc, " ".join(m.forum.split()), " ".join(m.locality.split())))
            r.meeting_locality[key] = loc
            r.meeting_date[key] = m.on
            r.new_meetings.append(m)
        self.count(MEETINGS, len(r.new_meetings), skipped)

    def people(self) -> None:
        r, session = self.r, self.session
        db_people: list[tuple[uuid.UUID, str, Category, str]] = []
        if session is not None:
            db_people = [
                (p_id, name, Category(cat), email or "")
                for p_id, name, cat, email in session.execute(
                    select(
                        Participant.id, Participant.name, Participant.category, Participant.email
                    ).where(Participant.anonymised_at.is_(None))
                )
            ]
        by_key: dict[tuple[str, Category, str], uuid.UUID] = {}
        for p_id, name, cat, email in db_people:
            by_key.setdefault((_fold(name), cat, email.casefold()), p_id)
            self.by_name.setdefault(_fold(name), set()).add(("db", p_id))
        seen: dict[tuple[str, Category, str], int] = {}
        skipped = 0
        for p in self.parsed.people:
            key = (_fold(p.name), p.category, p.email.casefold())
            if key in seen:
                self.problem(
                    PARTICIPANTS, p.row, f"Name '{p.name}' is the same participant as row "
                    f"{seen[key]} (same name, category and email)."
                )  # fmt: skip
                continue
            seen[key] = p.row
            if key in by_key:
                skipped += 1
                continue
            if p.locality:
                self.locality(p.locality)
            r.new_people.append(p)
            self.by_name.setdefault(_fold(p.name), set()).add(("wb", p.row))
        self.count(PARTICIPANTS, len(r.new_people), skipped)

    def attendance(self) -> None:
        r, session, ids = self.r, self.session, self._db_meeting_ids()
        existing: set[tuple[Any, Any]] = set()
        existing_unnamed: set[tuple[Any, str]] = set()
        if session is not None and ids and self.parsed.attendance:
            existing = _pairs(session, Attendance.meeting_id, Attendance.participant_id, ids)
            existing_unnamed = {
                (m_id, str(cat))
                for m_id, cat in _pairs(
                    session, UnnamedAttendance.meeting_id, UnnamedAttendance.category, ids
                )
            }
        seen: dict[tuple[Any, ...], int] = {}
        new = skipped = 0
        for a in self.parsed.attendance:
            if not self.meeting_known(ATTENDANCE, a.row, a.meeting):
                continue
            ref = a.meeting.upper()
            m_id = r.meetings.get(ref)
            who: PersonKey | None = None
            if a.category is not None:
                key: tuple[Any, ...] = (ref, "unnamed", a.category)
                what = f"Category '{a.category.label}'"
            else:
                who = self.person(ATTENDANCE, a.row, a.name)
                if who is None:
                    continue
                key = (ref, who)
                what = f"Name '{a.name}'"
            if key in seen:
                self.problem(
                    ATTENDANCE, a.row, f"{what} is recorded twice for meeting '{a.meeting}' "
                    f"(first on row {seen[key]})."
                )  # fmt: skip
                continue
            seen[key] = a.row
            if who is None and a.category is not None:
                if m_id is not None and (m_id, str(a.category)) in existing_unnamed:
                    skipped += 1
                    continue
                r.unnamed.append((ref, a.category, a.count))
            elif who is not None:
                if m_id is not None and who[0] == "db" and (m_id, who[1]) in existing:
                    skipped += 1
                    continue
                r.attendance.append((ref, who, a.status))
            new += 1
        self.count(ATTENDANCE, new, skipped)

    def payments(self) -> None:
        r, session, ids = self.r, self.session, self._db_meeting_ids()
        existing: set[tuple[Any, Any]] = set()
        if session is not None and ids and self.parsed.payments:
            existing = _pairs(
                session, InvolvementPayment.meeting_id, InvolvementPayment.participant_id, ids
            )
        seen: dict[tuple[Any, PersonKey], int] = {}
        skipped = 0
        for pay in self.parsed.payments:
            if not pay.meeting:
                skipped += self._activity_payment(pay, seen)
                continue
            if not self.meeting_known(PAYMENTS, pay.row, pay.meeting):
                continue
            who = self.person(PAYMENTS, pay.row, pay.name)
            if who is None:
                continue
            ref = pay.meeting.upper()
            if (ref, who) in seen:
                self.problem(
                    PAYMENTS, pay.row, f"Name '{pay.name}' has a payment for meeting "
                    f"'{pay.meeting}' already (row {seen[(ref, who)]})."
                )  # fmt: skip
                continue
            seen[(ref, who)] = pay.row
            self.claim_dates(pay, r.meeting_date.get(ref), "meeting")
            m_id = r.meetings.get(ref)
            if m_id is not None and who[0] == "db" and (m_id, who[1]) in existing:
                skipped += 1
                continue
            r.payments.append((ref, who, pay))
        self.count(PAYMENTS, len(r.payments) + len(r.activity_payments), skipped)

    def claim_dates(self, pay: PaymentIn, worked_on: date | None, work: str) -> None:
        """The payment's Claimed on against the work's date and the day it was paid (a paid
        one with no Paid on is dated the work's date, as it is written)."""
        paid_on = pay.paid_on
        if paid_on is None and pay.status == PaymentStatus.PAID:
            paid_on = worked_on
        problems: dict[str, str] = {}
        check_claim_dates(
            problems, worked_on=worked_on, claimed_on=pay.claimed_on, paid_on=paid_on, work=work
        )
        if "claimed_on" in problems and pay.claimed_on is not None:
            self.problem(
                PAYMENTS, pay.row, f"Claimed on '{pay.claimed_on:%d/%m/%Y}': "
                f"{problems['claimed_on']}"
            )  # fmt: skip

    def _activity_payment(self, pay: PaymentIn, seen: dict[tuple[Any, PersonKey], int]) -> int:
        """A payment for another involvement activity: the activity is the one of the same
        locality, kind and date (in the database or made by this workbook). Returns 1 when it
        is already recorded (skipped)."""
        r = self.r
        who = self.person(PAYMENTS, pay.row, pay.name)
        if who is None or pay.activity is None or pay.on is None:
            return 0
        key: ActivityKey = (self.locality(pay.locality), str(pay.activity), pay.on)
        if (key, who) in seen:
            self.problem(
                PAYMENTS, pay.row, f"Name '{pay.name}' has a payment for the "
                f"{pay.activity.label.lower()} on {pay.on:%d/%m/%Y} in {pay.locality} already "
                f"(row {seen[(key, who)]})."
            )  # fmt: skip
            return 0
        seen[(key, who)] = pay.row
        self.claim_dates(pay, pay.on, "activity")
        if self.session is not None and not self._activities_read:
            self._read_activities()
        a_id = r.activities.get(key)
        if a_id is not None and who[0] == "db" and (a_id, who[1]) in self._activity_paid:
            return 1
        r.activity_payments.append((key, who, pay))
        return 0

    _activities_read = False
    _activity_paid: set[tuple[Any, Any]] = set()

    def _read_activities(self) -> None:
        """The database's activities on the dates the sheet names, and who is paid for them."""
        assert self.session is not None
        self._activities_read = True
        days = {p.on for p in self.parsed.payments if not p.meeting and p.on}
        for a_id, loc_id, kind, on in self.session.execute(
            select(
                InvolvementActivity.id,
                InvolvementActivity.locality_id,
                InvolvementActivity.kind,
                InvolvementActivity.activity_date,
            ).where(InvolvementActivity.activity_date.in_(sorted(days)))
        ):
            self.r.activities.setdefault((self.locality_by_id[loc_id], str(kind), on), a_id)
        self._activity_paid = _pairs(
            self.session,
            InvolvementPayment.activity_id,
            InvolvementPayment.participant_id,
            list(self.r.activities.values()),
        )

    def actions(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        raised: date | None  # a database row's, then each row's (blank: its meeting's date)
        db_refs: set[str] = set()
        db_keys: Counter[tuple[str, str, date]] = Counter()
        if session is not None and parsed.actions:
            db_refs = {ref.upper() for ref in session.scalars(select(Action.reference))}
            # Blank Raised on dates take their meeting's date: include those in the window.
            dates = [a.raised_on for a in parsed.actions if a.raised_on]
            dates = dates + list(r.meeting_date.values()) or [date.min]
            for loc_id, title, raised in session.execute(
                select(Action.locality_id, Action.title, Action.raised_on).where(
                    Action.raised_on >= min(dates)
                )
            ):
                db_keys[(self.locality_by_id[loc_id], _fold(title), raised)] += 1
        r.used_action_refs = set(db_refs)
        new_priorities: set[str] = set()
        seen_refs: dict[str, int] = {}
        unreferenced: Counter[tuple[str, str, date]] = Counter()
        skipped = 0
        for act in parsed.actions:
            if act.reference:
                ref = act.reference.upper()
                if ref in seen_refs:
                    self.problem(
                        ACTIONS, act.row, f"Reference '{act.reference}' is used twice (first on "
                        f"row {seen_refs[ref]})."
                    )  # fmt: skip
                    continue
                seen_refs[ref] = act.row
            loc = self.where_from(ACTIONS, act.row, act.meeting, act.locality)
            if loc is None:
                continue
            raised = act.raised_on
            if raised is None:
                raised = r.meeting_date.get(act.meeting.upper()) if act.meeting else None
                if raised is None:
                    self.problem(
                        ACTIONS, act.row, "Raised on is blank and there is no meeting to take "
                        "the date from."
                    )  # fmt: skip
                    continue
                if act.due_on is not None and act.due_on < raised:
                    self.problem(
                        ACTIONS, act.row, f"Due on '{act.due_on:%d/%m/%Y}' is before the "
                        f"meeting's date '{raised:%d/%m/%Y}'."
                    )  # fmt: skip
                    continue
            if act.reference:
                if act.reference.upper() in db_refs:
                    skipped += 1
                    continue
                r.used_action_refs.add(act.reference.upper())
            else:
                key = (loc, _fold(act.title), raised)
                unreferenced[key] += 1
                if unreferenced[key] <= db_keys[key]:
                    skipped += 1
                    continue
            priority = _fold(act.priority)
            if priority and priority not in r.priorities and priority not in new_priorities:
                new_priorities.add(priority)
                r.new_priority_names.append(" ".join(act.priority.split()))
            r.actions.append((act, loc, raised))
        self.count(ACTIONS, len(r.actions), skipped)

    def experience(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        on: date | None  # a database row's, then each row's (blank: its meeting's date)
        db_items: Counter[tuple[Any, ...]] = Counter()
        if session is not None and parsed.experience:
            dates = [e.on for e in parsed.experience if e.on]
            dates = dates + list(r.meeting_date.values()) or [date.min]
            ref_by_id = {m_id: ref for ref, m_id in r.meetings.items()}
            for loc_id, m_id, on, kind, summary in session.execute(
                select(
                    ExperienceItem.locality_id,
                    ExperienceItem.meeting_id,
                    ExperienceItem.received_on,
                    ExperienceItem.kind,
                    ExperienceItem.summary,
                ).where(ExperienceItem.received_on >= min(dates))
            ):
                where = ref_by_id.get(m_id, "") if m_id is not None else ""
                if m_id is not None and not where:
                    continue  # at a meeting the workbook does not name
                db_items[(where, self.locality_by_id[loc_id], on, str(kind), summary.strip())] += 1
        seen: Counter[tuple[Any, ...]] = Counter()
        skipped = 0
        for e in parsed.experience:
            loc = self.where_from(EXPERIENCE, e.row, e.meeting, e.locality)
            if loc is None:
                continue
            on = e.on or (r.meeting_date.get(e.meeting.upper()) if e.meeting else None)
            if on is None:
                self.problem(
                    EXPERIENCE, e.row, "Date is blank and there is no meeting to take the date "
                    "from."
                )  # fmt: skip
                continue
            key = (e.meeting.upper(), loc, on, str(e.kind), e.summary)
            seen[key] += 1
            if seen[key] <= db_items[key]:
                skipped += 1
                continue
            r.experience.append((e, loc, on))
        self.count(EXPERIENCE, len(r.experience), skipped)

    def checks(self) -> None:
        r, parsed, session = self.r, self.parsed, self.session
        # A database row's ids, then each row's (None: not found).
        f_id: uuid.UUID | None
        s_id: uuid.UUID | None
        a_id: uuid.UUID | None
        if not parsed.checks:
            return
        frameworks: dict[str, list[tuple[str, uuid.UUID]]] = {}  # folded name -> versions
        standards: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        db_assessments: dict[tuple[Any, ...], uuid.UUID] = {}
        db_checks: set[tuple[uuid.UUID, uuid.UUID]] = set()
        if session is not None:
            for f_id, name, version in session.execute(
                select(StandardsFramework.id, StandardsFramework.name, StandardsFramework.version)
            ):
                frameworks.setdefault(_fold(name), []).append((version, f_id))
            for s_id, f_id, code in session.execute(
                select(Standard.id, Standard.framework_id, Standard.code).order_by(
                    Standard.position
                )
            ):
                standards[(f_id, _fold(code))] = s_id
                r.framework_standards.setdefault(f_id, []).append(s_id)
            for a_id, loc_id, f_id, on, kind in session.execute(
                select(
                    Assessment.id,
                    Assessment.locality_id,
                    Assessment.framework_id,
                    Assessment.assessed_on,
                    Assessment.kind,
                )
            ):
                db_assessments[(self.locality_by_id[loc_id], f_id, on, str(kind))] = a_id
            if db_assessments:
                db_checks = {
                    (a_id, s_id)
                    for a_id, s_id in session.execute(
                        select(StandardCheck.assessment_id, StandardCheck.standard_id)
                    )
                }
        seen: dict[tuple[Any, ...], int] = {}
        first_of: dict[tuple[Any, ...], CheckIn] = {}
        skipped = 0
        for c in parsed.checks:
            f_id = self.framework(frameworks.get(_fold(c.framework), []), c)
            if f_id is None:
                self.problem(
                    CHECKS, c.row, f"Framework '{c.framework}' version '{c.version}' is not "
                    "loaded; load it first (Accreditation, Frameworks, Import)."
                )  # fmt: skip
                continue
            s_id = standards.get((f_id, _fold(c.code)))
            if s_id is None:
                self.problem(
                    CHECKS, c.row, f"Code '{c.code}' is not a standard of '{c.framework}' "
                    f"version {c.version}."
                )  # fmt: skip
                continue
            akey = (self.locality(c.locality), f_id, c.assessed_on, str(c.kind))
            first = first_of.setdefault(akey, c)
            if first.status != c.status:
                self.problem(
                    CHECKS, c.row, f"Status '{c.status.label}' differs from row {first.row} "
                    f"('{first.status.label}') for the same assessment."
                )  # fmt: skip
                continue
            if (akey, s_id) in seen:
                self.problem(
                    CHECKS, c.row, f"Code '{c.code}' is given twice for the same assessment "
                    f"(first on row {seen[(akey, s_id)]})."
                )  # fmt: skip
                continue
            seen[(akey, s_id)] = c.row
            a_id = db_assessments.get(akey)
            if a_id is not None:
                r.assessments[akey] = a_id
                if (a_id, s_id) in db_checks:
                    skipped += 1
                    continue
            else:
                r.new_assessments.setdefault(akey, c)
            r.checks.append((akey, s_id, c))
        self.count(CHECKS, len(r.checks), skipped)

    @staticmethod
    def framework(versions: list[tuple[str, uuid.UUID]], c: CheckIn) -> uuid.UUID | None:
        """The loaded framework a check row names: its version as text, else (a number in
        the cell) the one loaded version of the same value."""
        exact = [f_id for version, f_id in versions if _fold(version) == _fold(c.version)]
        if exact:
            return exact[0]
        same = [
            f_id
            for version, f_id in versions
            if same_version(version, c.version, given_as_number=c.version_as_number)
        ]
        return same[0] if len(same) == 1 else None


def _resolve(session: Session | None, parsed: ParsedRows, problems: list[str]) -> _Resolved:
    """Match every parsed row against the database (bulk reads, no per-row query)."""
    return _Resolver(session, parsed, problems).run()
