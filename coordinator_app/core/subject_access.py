"""Answering a subject access request: the workbook of everything held about one person
(``anonymise.subject_access_export`` writes it) and one audit entry per export, so the log
records when the request was answered and that their data, equality monitoring included, left
the database. The entry names the person by id and the sheets exported, never their name or
any value (docs/engineering-notes.md "Subject access"). The one door for the app (and for the
command line, should it gain the export)."""

from __future__ import annotations

import uuid
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from . import audit
from .anonymise import SubjectAccessSummary, subject_access_export
from .vocab import AuditOperation

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


def export_subject_access(
    db: Database, participant_id: uuid.UUID, target: str | Path
) -> SubjectAccessSummary:
    """Write the subject access workbook for one person to ``target`` and record it in the
    audit log. If the entry cannot be written (a database opened only for reading, a lost
    connection), the workbook is removed again and the error raised: no export goes unlogged."""
    summary = subject_access_export(db, participant_id, target)
    try:
        with db.transaction() as session:
            audit.record(session, AUDIT_OPERATION, "participant", participant_id, AUDIT_SUMMARY)
    except BaseException:
        with suppress(OSError):
            summary.path.unlink()
        raise
    return summary
