"""Answering a subject access request: the workbook of everything held about one person
(``anonymise.subject_access_export`` writes it) and one audit entry per export, so the log
records when the request was answered and that their data, equality monitoring included, left
the database. The entry names the person by id and the sheets exported, never their name or
any value (docs/engineering-notes.md "Subject access"). The one door for the app (and for the
command line, should it gain the export)."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from . import audit
from .anonymise import SubjectAccessSummary, subject_access_export
from .models import Attendance, Meeting
from .people import attended
from .text import counted
from .vocab import AttendanceStatus, AuditOperation

if TYPE_CHECKING:
    from .db import Database

#: The workbook's sheets, in its order: what left, in the audit entry's words.
SHEETS = (
    "Person (contact details)",
    "Attendance",
    "Payments",
    "Improvement projects",
    "Involvement activities",
    "Mentions",
    "Audit",
    "Equality monitoring",
    "Forums and papers",
    "Receipts",
)

#: The audit entry's summary: the same for everyone (no name, no value).
AUDIT_SUMMARY = "Subject access request answered: workbook exported with " + ", ".join(SHEETS)

#: The audit entry's operation. A subject access export is the person's data sent out, so it is
#: logged as a "submit" (the log's operations are fixed by a CHECK constraint of migration 0001).
AUDIT_OPERATION = AuditOperation.SUBMIT


@dataclass(frozen=True)
class SubjectAccessExport:
    """What was written, counted as the rest of the app counts: ``attended`` by the one rule of
    a person's attendances (``people.attended``: the Participants list and the anonymise
    question give the same number); the Attendance sheet's other rows are apologies, absences
    or a meeting that was cancelled."""

    summary: SubjectAccessSummary
    attended: int
    apologies: int
    absences: int

    @property
    def path(self) -> Path:
        return self.summary.path

    @property
    def in_words(self) -> str:
        """ "It holds 46 attendances, 1 apology, 3 payments and 2 mentions in notes." """
        parts = [counted(self.attended, "attendance")]
        if self.apologies:
            parts.append(counted(self.apologies, "apology", "apologies"))
        if self.absences:
            parts.append(counted(self.absences, "absence"))
        parts.append(counted(self.summary.payments, "payment"))
        listed = ", ".join(parts)
        return f"It holds {listed} and {counted(self.summary.mentions, 'mention')} in notes."


def export_subject_access(
    db: Database, participant_id: uuid.UUID, target: str | Path
) -> SubjectAccessExport:
    """Write the subject access workbook for one person to ``target`` and record it in the
    audit log. If the entry cannot be written (a database opened only for reading, a lost
    connection), the workbook is removed again and the error raised: no export goes unlogged."""
    summary = subject_access_export(db, participant_id, target)
    try:
        with db.transaction() as session:
            audit.record(session, AUDIT_OPERATION, "participant", participant_id, AUDIT_SUMMARY)
            marks = session.execute(
                select(
                    func.count().filter(attended()),
                    func.count().filter(Attendance.status == AttendanceStatus.APOLOGIES),
                    func.count().filter(Attendance.status == AttendanceStatus.ABSENT),
                )
                .select_from(Attendance)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(Attendance.participant_id == participant_id)
            ).one()
    except BaseException:
        with suppress(OSError):
            summary.path.unlink()
        raise
    present, apologies, absences = (int(n or 0) for n in marks)
    return SubjectAccessExport(summary, present, apologies, absences)
