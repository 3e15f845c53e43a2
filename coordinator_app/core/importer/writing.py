"""Writing a plan (``apply_import``): its rows resolved again inside one transaction, then
inserted in bulk, a chunk at a time (``cancelled`` is read between chunks and rolls everything
back), with one audit entry of counts only; and ``import_workbook``, reading and writing in one
call.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import audit, monitoring
from ..db import Database
from ..errors import WorkbookError
from ..models import (
    Action,
    ActivityParticipant,
    Assessment,
    Attendance,
    ExperienceItem,
    Forum,
    InvolvementActivity,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    PaymentExpense,
    StandardCheck,
    StrategicPriority,
    UnnamedAttendance,
)
from ..payments.activities import preferred_method
from ..settings import ensure_locality
from ..text import counted
from ..vocab import (
    ActivityKind,
    AssessmentStatus,
    AuditOperation,
    ForumKind,
    PaymentMethod,
    PaymentStatus,
    RateUnit,
    Rating,
)
from .common import _CHUNK, Cancelled, Progress, _check, _fold
from .reading import read_import_workbook
from .resolving import PersonKey, _pairs, _resolve, _Resolved
from .rows import ImportPlan, ImportSummary, PaymentIn

#: How consent was given, for equality monitoring answers that came in an import workbook.
IMPORT_CONSENT_HOW = "Recorded in an import workbook"


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Write ``plan`` in one transaction; all or nothing.

    Refuses (``WorkbookError``) a plan with problems, and one that has become wrong since it was
    made (the rows are resolved again inside the transaction). ``cancelled()`` turning true
    raises ``ImportCancelled`` and rolls everything back. Records one IMPORT audit entry with
    counts only (no names).
    """
    summary_text = f"{plan.path.name} cannot be imported; nothing was changed."
    if plan.problems:
        raise WorkbookError(summary_text, plan.problems)
    with db.transaction() as session:
        problems: list[str] = []
        resolved = _resolve(session, plan.rows, problems)
        if problems:
            raise WorkbookError(summary_text, problems)
        summary = _write(session, resolved, progress, cancelled)
        counts = ", ".join(f"{sheet}: {n}" for sheet, n in summary.added.items())
        audit.record(
            session,
            AuditOperation.IMPORT,
            "import",
            None,
            f"Import workbook added {counts or 'nothing'}; "
            f"{sum(summary.skipped.values())} already present were skipped; "
            f"{len(summary.new_localities)} localities, {len(summary.new_forums)} forums, "
            f"{len(summary.new_priorities)} strategic priorities and "
            f"{summary.new_assessments} assessments created.",
        )
    return summary


def import_workbook(
    db: Database,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
    sheet: str | None = None,
) -> ImportSummary:
    """Read, validate and import a workbook (``sheet``: a .csv's sheet, see
    ``read_import_workbook``); ``WorkbookError`` lists every problem, and then
    nothing is written. ``progress`` gets reading, then writing, each from 0 to its total."""
    plan = read_import_workbook(
        path, db, progress=progress, cancelled=cancelled, today=today, sheet=sheet
    )
    if plan.problems:
        raise WorkbookError(
            f"{plan.path.name} cannot be imported; nothing was changed. "
            f"{counted(len(plan.problems), 'problem')} to put right:",
            plan.problems,
        )
    return apply_import(db, plan, progress=progress, cancelled=cancelled)


# --- Writing --------------------------------------------------------------------------------


def _forum_kind(name: str) -> ForumKind:
    text = name.lower()
    for words, kind in (
        (("carer",), ForumKind.CARERS_FORUM),
        (("service user", "service-user"), ForumKind.SERVICE_USER_GROUP),
        (("co-production", "coproduction", "co production"), ForumKind.CO_PRODUCTION_GROUP),
        (("event", "workshop", "open day"), ForumKind.EVENT),
        (("forum",), ForumKind.LOCALITY_FORUM),
    ):
        if any(w in text for w in words):
            return kind
    return ForumKind.OTHER


def _write_activity_payments(
    session: Session, r: _Resolved, person_id: Callable[[PersonKey], uuid.UUID]
) -> None:
    """Payments for other involvement activities (issue #28): each activity (locality, kind,
    date) made when the database has none, each person added to it, then their payment (paid
    ones dated the activity's date)."""
    if not r.activity_payments:
        return
    new_activities = []
    for key, _who, _p in r.activity_payments:
        if key not in r.activities:
            r.activities[key] = uuid.uuid4()
            loc, kind, on = key
            new_activities.append(
                {
                    "id": r.activities[key],
                    "locality_id": r.localities[loc],
                    "kind": ActivityKind(kind),
                    "activity_date": on,
                    "title": "",
                    "unit": RateUnit.SESSION,
                    "quantity": 1.0,
                    "cost_code": "",
                    "notes": "",
                }
            )
    if new_activities:
        session.execute(insert(InvolvementActivity), new_activities)
    on_them = _pairs(
        session,
        ActivityParticipant.activity_id,
        ActivityParticipant.participant_id,
        list({r.activities[key] for key, _, _ in r.activity_payments}),
    )
    links, payments = [], []
    for key, who, p in r.activity_payments:
        a_id, person = r.activities[key], person_id(who)
        if (a_id, person) not in on_them:
            on_them.add((a_id, person))
            links.append({"id": uuid.uuid4(), "activity_id": a_id, "participant_id": person})
        payments.append(_payment_row(p, person, key[2], activity_id=a_id))
    if links:
        session.execute(insert(ActivityParticipant), links)
    _insert_payments(session, payments, [p for _, _, p in r.activity_payments])


def _payment_row(
    p: PaymentIn,
    person: uuid.UUID,
    worked_on: date,
    *,
    meeting_id: uuid.UUID | None = None,
    activity_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """One payment's values: a paid one with no Paid on is dated the work's date."""
    paid = p.status == PaymentStatus.PAID
    return {
        "id": uuid.uuid4(),
        "meeting_id": meeting_id,
        "activity_id": activity_id,
        "participant_id": person,
        "status": p.status,
        "amount_pence": p.amount,
        "expenses_pence": p.expenses,
        "paid_on": (p.paid_on or worked_on) if paid else None,
        "claimed_on": p.claimed_on,
        "method": p.method,
    }


def _insert_payments(session: Session, rows: list[dict[str, Any]], given: list[PaymentIn]) -> None:
    """Insert ``rows`` (one per ``given``): a blank Method takes the person's preference
    (``preferred_method``, as the app does), and the expenses by kind go in with them."""
    if not rows:
        return
    blank_method = list({row["participant_id"] for row in rows if row["method"] is None})
    people = {
        person.id: preferred_method(person)
        for start in range(0, len(blank_method), _CHUNK)
        for person in session.scalars(
            select(Participant).where(Participant.id.in_(blank_method[start : start + _CHUNK]))
        )
    }
    for row in rows:
        if row["method"] is None:
            row["method"] = people.get(row["participant_id"], PaymentMethod.MONEY)
    session.execute(insert(InvolvementPayment), rows)
    expenses = [
        {"id": uuid.uuid4(), "payment_id": row["id"], "kind": kind, "pence": pence}
        for row, p in zip(rows, given, strict=True)
        for kind, pence in (p.kinds or {}).items()
    ]
    if expenses:
        session.execute(insert(PaymentExpense), expenses)


def _write(
    session: Session,
    r: _Resolved,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> ImportSummary:
    total = (
        len(r.new_people)
        + len(r.new_meetings)
        + len(r.attendance)
        + len(r.unnamed)
        + len(r.actions)
        + len(r.experience)
        + len(r.payments)
        + len(r.activity_payments)
        + len(r.checks)
    )
    done = 0

    def bulk(model: Any, rows: list[dict[str, Any]]) -> None:
        nonlocal done
        for start in range(0, len(rows), _CHUNK):
            _check(cancelled)
            chunk = rows[start : start + _CHUNK]
            session.execute(insert(model), chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)

    _check(cancelled)
    for name in r.new_locality_names:
        r.localities[_fold(name)] = ensure_locality(session, name)
    for loc_key, name, _ in r.new_forums:
        f_id = uuid.uuid4()
        session.execute(
            insert(Forum),
            [
                {
                    "id": f_id,
                    "locality_id": r.localities[loc_key],
                    "name": name,
                    "kind": _forum_kind(name),
                }
            ],
        )
        r.forums[(loc_key, _fold(name))] = f_id
    for position, name in enumerate(r.new_priority_names, start=r.priority_position):
        p_id = uuid.uuid4()
        session.execute(
            insert(StrategicPriority), [{"id": p_id, "name": name, "position": position}]
        )
        r.priorities[_fold(name)] = p_id

    people: dict[int, uuid.UUID] = {}
    rows: list[dict[str, Any]] = []
    for p in r.new_people:
        people[p.row] = uuid.uuid4()
        rows.append(
            {
                "id": people[p.row],
                "name": " ".join(p.name.split()),
                "category": p.category,
                "locality_id": r.localities[_fold(p.locality)] if p.locality else None,
                "organisation": p.organisation,
                "email": p.email,
                "phone": p.phone,
                "consent_to_contact": p.consent,
                "name_in_minutes": p.name_in_minutes,
                "consent_date": p.consent_date,
                "accessible_format": p.accessible_format,
                "postal_address": p.postal_address,
            }
        )
    bulk(Participant, rows)
    for p in r.new_people:  # special-category data, only ever with the consent date checked
        if p.answers:
            monitoring.write_answers(
                session, people[p.row], p.monitoring_consent, IMPORT_CONSENT_HOW, p.answers
            )

    def person_id(key: PersonKey) -> uuid.UUID:
        return key[1] if key[0] == "db" else people[key[1]]

    rows = []
    for m in r.new_meetings:
        m_id = uuid.uuid4()
        r.meetings[m.reference.upper()] = m_id
        loc = r.meeting_locality[m.reference.upper()]
        rows.append(
            {
                "id": m_id,
                "reference": m.reference,
                "forum_id": r.forums[(loc, _fold(m.forum))],
                "meeting_date": m.on,
                "start_time": m.start,
                "venue": m.venue,
                "format": m.format,
                "status": m.status,
            }
        )
    bulk(Meeting, rows)

    bulk(
        Attendance,
        [
            {
                "id": uuid.uuid4(),
                "meeting_id": r.meetings[ref],
                "participant_id": person_id(who),
                "status": status,
            }
            for ref, who, status in r.attendance
        ],
    )
    bulk(
        UnnamedAttendance,
        [
            {"id": uuid.uuid4(), "meeting_id": r.meetings[ref], "category": cat, "count": n}
            for ref, cat, n in r.unnamed
        ],
    )
    for start in range(0, len(r.payments), _CHUNK):
        _check(cancelled)
        chunk = r.payments[start : start + _CHUNK]
        _insert_payments(
            session,
            [
                _payment_row(p, person_id(who), r.meeting_date[ref], meeting_id=r.meetings[ref])
                for ref, who, p in chunk
            ],
            [p for _, _, p in chunk],
        )
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    _write_activity_payments(session, r, person_id)
    bulk(
        ExperienceItem,
        [
            {
                "id": uuid.uuid4(),
                "locality_id": r.localities[loc],
                "meeting_id": r.meetings[e.meeting.upper()] if e.meeting else None,
                "received_on": on,
                "kind": e.kind,
                "theme": e.theme,
                "service": e.service,
                "summary": e.summary,
                "response": e.response,
            }
            for e, loc, on in r.experience
        ],
    )

    codes: dict[uuid.UUID, tuple[str, int]] = {}
    if r.actions:
        for loc_id, code, counter in session.execute(
            select(Locality.id, Locality.code, Locality.action_counter)
        ):
            codes[loc_id] = (code, counter)
    rows = []
    for act, loc, raised in r.actions:
        loc_id = r.localities[loc]
        reference = act.reference
        if not reference:
            code, number = codes[loc_id]
            number += 1
            while f"{code}-A{number}".upper() in r.used_action_refs:
                number += 1
            codes[loc_id] = (code, number)
            reference = f"{code}-A{number}"
            r.used_action_refs.add(reference.upper())
        rows.append(
            {
                "id": uuid.uuid4(),
                "reference": reference,
                "locality_id": loc_id,
                "meeting_id": r.meetings[act.meeting.upper()] if act.meeting else None,
                "title": act.title,
                "detail": act.detail,
                "owner": act.owner,
                "level": act.level,
                "strategic_priority_id": r.priorities[_fold(act.priority)]
                if act.priority
                else None,
                "raised_on": raised,
                "due_on": act.due_on,
                "status": act.status,
                "closed_on": act.closed_on,
                "outcome": act.outcome,
            }
        )
    for loc_id, (_code, number) in codes.items():
        locality = session.get(Locality, loc_id)
        if locality is not None and locality.action_counter != number:
            locality.action_counter = number
    bulk(Action, rows)

    now = datetime.now(UTC)
    assessment_rows = []
    for akey, first in r.new_assessments.items():
        a_id = uuid.uuid4()
        r.assessments[akey] = a_id
        submitted = first.status == AssessmentStatus.SUBMITTED
        assessment_rows.append(
            {
                "id": a_id,
                "locality_id": r.localities[akey[0]],
                "framework_id": akey[1],
                "kind": first.kind,
                "assessed_on": first.assessed_on,
                "status": first.status,
                "submitted_at": now if submitted else None,
            }
        )
    if assessment_rows:
        session.execute(insert(Assessment), assessment_rows)
    given = {(r.assessments[akey], s_id): c for akey, s_id, c in r.checks}
    check_rows = [
        {
            "id": uuid.uuid4(),
            "assessment_id": a_id,
            "standard_id": s_id,
            "rating": c.rating,
            "evidence": c.evidence,
        }
        for (a_id, s_id), c in given.items()
    ]
    for akey in r.new_assessments:
        a_id = r.assessments[akey]
        for s_id in r.framework_standards.get(akey[1], []):
            if (a_id, s_id) not in given:
                check_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "assessment_id": a_id,
                        "standard_id": s_id,
                        "rating": Rating.NOT_YET_RATED,
                        "evidence": "",
                    }
                )
    before = done
    bulk(StandardCheck, check_rows)
    done = before + len(r.checks)
    if progress is not None:
        progress(total, total)
    _check(cancelled)

    added = {sheet: count.new for sheet, count in r.counts.items()}
    skipped = {sheet: count.existing for sheet, count in r.counts.items()}
    return ImportSummary(
        added=added,
        skipped=skipped,
        new_localities=tuple(r.new_locality_names),
        new_forums=tuple(f"{name} ({loc})" for _, name, loc in r.new_forums),
        new_priorities=tuple(r.new_priority_names),
        new_assessments=len(r.new_assessments),
    )
