"""One definition of each field's limits and checks: how long each piece of text may be, what an
email address looks like, when contact details may be kept. Core services (which raise
``ValidationError({field: sentence})`` so a dialog shows the sentence at its field), the import
workbook (``Sheet 'X' row N: <sentence>``) and the standards workbook all ask here, so a value
is refused for the same reason whichever door it comes in by.

Limits: a ``String(n)`` column's limit is ``n`` (``core.schema`` is the one definition; some
fields are kept narrower on purpose, e.g. a person's name at 200 so it fits a sign-in sheet); a
``Text`` column's is ``FREE_TEXT_MAX``, what one Excel cell holds, because every record can
leave the app in a workbook (the monthly return, a privacy export, a framework export) and a
cell cannot hold more. Text over its limit is refused with the field named, never cut.

Pitfalls:

- On SQLite a too-long value would be stored as it is; on PostgreSQL it is a database error that
  no dialog understands. So every piece of text a user types goes through ``Field.clean`` (or
  ``Field.problem``) before it is written.
- ``Field.label`` is the import workbook's header where the field has one, so the sentence reads
  the same in a dialog and in the import's list of problems.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Column, String, Table

from . import schema
from .parsing import E, date_problem, parse_choice

#: The most text one Excel cell holds; the limit of every free-text (``Text``) field.
FREE_TEXT_MAX = 32_767

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
CONSENT_SENTENCE = "Contact details can only be kept with consent to contact."
EMAIL_SENTENCE = "That does not look like an email address (name@example.org)."


def column_limit(table: Table, name: str) -> int:
    """The most characters ``table.name`` holds: its ``String`` length, else ``FREE_TEXT_MAX``."""
    column: Column[Any] = table.c[name]
    if isinstance(column.type, String) and column.type.length:
        return int(column.type.length)
    return FREE_TEXT_MAX


class Field(NamedTuple):
    """A piece of text a user gives: ``key`` is the name a form shows problems at, ``label``
    names it in a sentence (the import's header where it has one), ``limit`` the most
    characters it holds. ``one_line`` fields have their spaces and line breaks collapsed;
    the others (notes, summaries) keep their lines and are only trimmed."""

    key: str
    label: str
    limit: int
    one_line: bool = True

    def tidy(self, value: Any) -> str:
        """The text as it is kept: trimmed, and collapsed to one line for a one-line field."""
        text = "" if value is None else str(value)
        return " ".join(text.split()) if self.one_line else text.strip()

    def problem(self, text: str, *, label: str | None = None) -> str | None:
        """The sentence refusing ``text`` (already tidied) when it is too long, else None."""
        if len(text) <= self.limit:
            return None
        return (
            f"{label or self.label} can be at most {self.limit:,} characters "
            f"(this is {len(text):,})."
        )

    def clean(self, value: Any, problems: dict[str, str], *, required: str = "") -> str:
        """``value`` tidied; a problem noted at ``key`` when it is too long, or blank and
        ``required`` (the sentence to say then)."""
        text = self.tidy(value)
        if not text and required:
            problems[self.key] = required
        elif sentence := self.problem(text):
            problems[self.key] = sentence
        return text


def _field(
    table: Table,
    column: str,
    label: str,
    *,
    key: str | None = None,
    at_most: int | None = None,
    one_line: bool | None = None,
) -> Field:
    """A field of ``table.column``: its limit is the column's, or ``at_most`` when narrower."""
    limit = column_limit(table, column)
    if at_most is not None:
        limit = min(limit, at_most)
    if one_line is None:
        one_line = isinstance(table.c[column].type, String)
    return Field(key or column, label, limit, one_line)


# --- Every field a user fills in ----------------------------------------------------------------

NAME_MAX = 200  # a person's name fits a sign-in sheet's column
OWNER_MAX = 120
TITLE_MAX = 2000
PRIORITY_MAX = 120
QUESTION_MAX = 500

TRUST_NAME = _field(schema.trust_settings, "trust_name", "The trust's name")
COORDINATOR_NAME = _field(schema.trust_settings, "coordinator_name", "Your name")
LOCALITY_NAME = _field(schema.localities, "name", "Locality")
FORUM_NAME = _field(schema.forums, "name", "Forum")
FORUM_VENUE = _field(schema.forums, "default_venue", "Usual venue")
PRIORITY_NAME = _field(
    schema.strategic_priorities, "name", "Strategic priority", at_most=PRIORITY_MAX
)

PARTICIPANT_NAME = _field(schema.participants, "name", "Name", at_most=NAME_MAX)
PARTICIPANT_ORGANISATION = _field(schema.participants, "organisation", "Organisation")
PARTICIPANT_EMAIL = _field(schema.participants, "email", "Email")
PARTICIPANT_PHONE = _field(schema.participants, "phone", "Phone")
PARTICIPANT_NOTES = _field(schema.participants, "notes", "Notes")
PARTICIPANT_ALSO_KNOWN_AS = _field(
    schema.participants, "also_known_as", "Also known as", at_most=500, one_line=True
)

MEETING_REFERENCE = _field(schema.meetings, "reference", "Reference")
MEETING_VENUE = _field(schema.meetings, "venue", "Venue")
MEETING_CHAIR = _field(schema.meetings, "chair", "Chair")
MEETING_MINUTE_TAKER = _field(schema.meetings, "minute_taker", "Minute taker")
MEETING_NOTES = _field(schema.meetings, "notes", "Notes")
AGENDA_TITLE = _field(schema.agenda_items, "title", "Title")
AGENDA_DISCUSSION = _field(schema.agenda_items, "discussion", "Discussion")
AGENDA_DECISIONS = _field(schema.agenda_items, "decisions", "Decisions")

EXPERIENCE_THEME = _field(schema.experience_items, "theme", "Theme")
EXPERIENCE_SERVICE = _field(schema.experience_items, "service", "Service or team")
EXPERIENCE_SUMMARY = _field(schema.experience_items, "summary", "Summary")
EXPERIENCE_RESPONSE = _field(schema.experience_items, "response", "Response")

ACTION_REFERENCE = _field(schema.actions, "reference", "Reference")
ACTION_TITLE = _field(schema.actions, "title", "Title", at_most=TITLE_MAX, one_line=True)
ACTION_DETAIL = _field(schema.actions, "detail", "Detail")
ACTION_OWNER = _field(schema.actions, "owner", "Owner", at_most=OWNER_MAX)
ACTION_OUTCOME = _field(schema.actions, "outcome", "Outcome")
PROGRESS_NOTE = _field(schema.action_updates, "note", "Progress note")

PROJECT_TITLE = _field(schema.improvement_projects, "title", "Title")
PROJECT_SERVICE = _field(schema.improvement_projects, "service", "Service or team")
PROJECT_LEAD = _field(schema.improvement_projects, "lead", "Lead")
PROJECT_OUTCOME = _field(schema.improvement_projects, "outcome", "Outcome")

POLL_QUESTION = _field(schema.polls, "question", "Question", at_most=QUESTION_MAX, one_line=True)
POLL_ANSWER = _field(schema.poll_answers, "answer", "Answer")

FRAMEWORK_NAME = _field(schema.standards_frameworks, "name", "Name")
FRAMEWORK_VERSION = _field(schema.standards_frameworks, "version", "Version")
STANDARD_CODE = _field(schema.standards, "code", "Code")
STANDARD_DOMAIN = _field(schema.standards, "domain", "Domain")
STANDARD_TITLE = _field(schema.standards, "title", "Title", at_most=TITLE_MAX, one_line=False)
STANDARD_DESCRIPTION = _field(schema.standards, "description", "Description")
STANDARD_GUIDANCE = _field(schema.standards, "evidence_guidance", "Evidence guidance")
ASSESSORS = _field(schema.assessments, "assessors", "Assessors")
CHECK_EVIDENCE = _field(schema.standard_checks, "evidence", "Evidence")
CHECK_NOTES = _field(schema.standard_checks, "notes", "Notes")


# --- Checks that are more than a length ------------------------------------------------------


def contact_problems(consent: bool, email: str, phone: str) -> dict[str, str]:
    """Contact details need consent to contact (docs/glossary.md), and an email must look like one:
    the problems keyed ``email`` and ``phone`` (empty when all is well). ``email`` and
    ``phone`` are the tidied text."""
    problems: dict[str, str] = {}
    if not consent:
        if email:
            problems[PARTICIPANT_EMAIL.key] = CONSENT_SENTENCE
        if phone:
            problems[PARTICIPANT_PHONE.key] = CONSENT_SENTENCE
    elif email and not EMAIL_RE.match(email):
        problems[PARTICIPANT_EMAIL.key] = EMAIL_SENTENCE
    return problems


def consent_date_problem(day: date | None, today: date) -> str | None:
    """A consent date is from 1900 to 2100 and not in the future."""
    if sentence := date_problem(day):
        return sentence
    if day is not None and day > today:
        return "The consent date cannot be in the future."
    return None


def choice(
    enum_cls: type[E], value: Any, problems: dict[str, str], key: str, sentence: str, default: Any
) -> Any:
    """``value`` as a word of the fixed list ``enum_cls`` (``parsing.parse_choice``: the member,
    its value or its label), or ``default`` with ``sentence`` noted at ``key``."""
    try:
        return parse_choice(enum_cls, value)
    except ValueError:
        problems[key] = sentence
        return default


def check_dates(problems: dict[str, str], **days: date | None) -> None:
    """Note at its key every date outside 1900-2100 (``check_dates(problems, due_on=...)``);
    a key that already has a problem keeps it."""
    for key, day in days.items():
        sentence = date_problem(day)
        if sentence and key not in problems:
            problems[key] = sentence
