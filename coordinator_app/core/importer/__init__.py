"""Bringing existing spreadsheets in: the import workbook of docs/import-workbook.md.

Two steps, so a screen can show what would happen before anything is written:

- ``read_import_workbook(path, db)`` parses every sheet and validates every row against the
  database (read only) into an ``ImportPlan``: counts per sheet of the records it would ADD and of
  those already present that it would SKIP, the localities, forums and strategic priorities it
  would create, and ``problems`` (every problem, as ``Sheet 'X' row N: ...``, N as Excel numbers
  the row, the header being row 1).
- ``apply_import(db, plan)`` writes the plan in ONE transaction. It resolves the rows again
  inside that transaction (the database may have changed since the plan was made), refuses a
  plan with problems, and rolls everything back when cancelled: all or nothing.

``import_workbook(db, path)`` does both and raises ``WorkbookError`` listing every problem.

Forgiving where it is safe: sheet and header names in any case and order, extra columns and
sheets ignored (the template's Notes sheet), empty rows skipped, surrounding spaces trimmed.
Every cell is read by ``core.parsing`` and checked by ``core.fields``, the very functions the
screens and the core services use, so a cell is taken exactly when the same text typed in the
app would be: dates as Excel dates or text (``YYYY-MM-DD``, ``DD/MM/YYYY``, ``14.03.2025``,
``14 Mar 2025``, ``14/03/25``), from 1900 to 2100; times as Excel times or text (``14:00``,
``6pm``, ``1830``); money as numbers or text (``£25.50``, ``1,025``); yes/no as Yes/Y/True/1
and No/N/False/0 (blank is no); vocabulary words in any case; text no longer than its field
holds (refused with the column named, never cut); the consent to contact and email rules.
A framework Version that Excel kept as a number (``1.0`` as 1) names the loaded version of the
same value.

Natural keys (what "already present" means, so importing twice adds nothing):

- Meetings: the Reference (any case). A reference already in the database for another date is a
  problem, not a silent skip.
- Actions: the Reference (any case); an action with no reference by Locality + Title (any case)
  + Raised on, counted (two identical rows add two actions once, never four). Actions with no
  reference get the locality's next reference (``RUG-A3``).
- Participants: Name (any case, spaces collapsed) + Category + Email (any case). The same
  participant twice in the workbook is a problem. A participant already present is skipped, not
  updated.
- Attendance: meeting + participant; unnamed attendees: meeting + category.
- Experience: meeting (or locality when there is no meeting) + Date + Kind + Summary, counted.
- Payments: meeting + participant.
- Standard checks: the assessment (Locality + Framework + Version + Assessed on + Kind) + Code.
  A new assessment gets a check for every standard of the framework (the ones not in the
  workbook not yet rated), as ``accreditation.start_assessment`` does; a check already in the
  database is skipped, whatever its rating.

Choices a coordinator should know (each is in the template's Notes sheet):

- Contact details need consent: a row with an Email or Phone and Consent to contact not yes is
  refused with a problem (docs/import-workbook.md#participants: kept only with consent).
- A Name in Attendance or Payments must match exactly one participant, in the workbook or the
  database (anonymised participants never match).
- Actions and Experience take their locality from their meeting; without a meeting they need an
  optional ``Locality`` column.
- Defaults for blank cells: meeting Format in person; meeting Status held when dated today or
  earlier, else planned; attendance Status present; action Level locality, Status open, Raised on
  the meeting's date; experience Date the meeting's date; payment Status offered, Amount and
  Expenses 0, Method the person's preference (``payments.activities.preferred_method``), Paid
  on (of a paid one) the meeting's or activity's date; check Kind self-review, Status draft,
  Rating not yet rated.
- Payments may give their expenses by kind (``Travel (GBP)`` ... ``Other expenses (GBP)``):
  those are then the expenses, and Expenses must be blank or their sum. Claimed on follows the
  app's rule for a claim's dates (not before the work, not after the payment, never for a
  declined payment), checked once the meeting's date is known (``resolving``).
- A new forum's kind is guessed from its name (carers, service user, co-production, event,
  forum), else "other".

Pitfall: ``read_import_workbook`` and ``apply_import`` each open their own session, so both may
run on a worker thread; neither touches a GUI. Cancelling raises ``ImportCancelled`` (an
``ExportCancelled``, which ``ui.tasks`` already understands).

One package, split by step: ``sheets`` (the workbook format, ``SHEETS``, which the template is
written from too), ``rows`` (what the steps hand each other: the plan, the summary and the rows
parsed from each sheet), ``reading`` (``read_import_workbook``: every sheet's cells parsed and
checked), ``resolving`` (the parsed rows matched against the database) and ``writing``
(``apply_import``, ``import_workbook``); ``common`` holds the private helpers they share. Callers
use the package (``importer.SHEETS``, ``from ...core.importer import read_import_workbook``),
never a sub-module.
"""

from __future__ import annotations

from .common import Cancelled, Progress
from .reading import read_import_workbook
from .resolving import PersonKey
from .rows import (
    ActionIn,
    AttendanceIn,
    CheckIn,
    ExperienceIn,
    ImportCancelled,
    ImportPlan,
    ImportSummary,
    MeetingIn,
    ParsedRows,
    PaymentIn,
    PersonIn,
    SheetCount,
)
from .sheets import (
    ACTIONS,
    ATTENDANCE,
    CHECKS,
    EXPERIENCE,
    MEETINGS,
    PARTICIPANTS,
    PAYMENTS,
    SHEETS,
    ColumnSpec,
)
from .writing import apply_import, import_workbook

__all__ = [
    "ACTIONS",
    "ATTENDANCE",
    "CHECKS",
    "EXPERIENCE",
    "MEETINGS",
    "PARTICIPANTS",
    "PAYMENTS",
    "SHEETS",
    "ActionIn",
    "AttendanceIn",
    "Cancelled",
    "CheckIn",
    "ColumnSpec",
    "ExperienceIn",
    "ImportCancelled",
    "ImportPlan",
    "ImportSummary",
    "MeetingIn",
    "ParsedRows",
    "PaymentIn",
    "PersonIn",
    "PersonKey",
    "Progress",
    "SheetCount",
    "apply_import",
    "import_workbook",
    "read_import_workbook",
]
