"""The import workbook's format: its sheets (``PARTICIPANTS``, ``MEETINGS`` ...) and their
columns (``SHEETS``), which the reader checks each sheet's headers against and the template
(``core.import_template``) is written from, so the two always match (docs/import-workbook.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..vocab import (
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    Category,
    ExpenseKind,
    ExperienceKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
    Rating,
    Vocabulary,
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import sheet: ``vocabulary`` gives the template a drop-down list."""

    name: str
    required: bool = False
    note: str = ""
    vocabulary: type[Vocabulary] | None = None
    yes_no: bool = False
    is_date: bool = False


def _col(name: str, note: str, **kw: Any) -> ColumnSpec:
    return ColumnSpec(name, note=note, **kw)


PARTICIPANTS = "Participants"
MEETINGS = "Meetings"
ATTENDANCE = "Attendance"
ACTIONS = "Actions"
EXPERIENCE = "Experience"
PAYMENTS = "Payments"
CHECKS = "Standard checks"

#: The Payments sheet's optional columns of expenses by kind (issue #28), named as the payments
#: list for finance names them (docs/command-line.md#payments-list).
EXPENSE_COLUMNS: dict[ExpenseKind, str] = {
    ExpenseKind.TRAVEL: "Travel (GBP)",
    ExpenseKind.CARE_COVER: "Care cover (GBP)",
    ExpenseKind.SUBSISTENCE: "Subsistence (GBP)",
    ExpenseKind.OTHER: "Other expenses (GBP)",
}

SHEETS: dict[str, tuple[ColumnSpec, ...]] = {
    PARTICIPANTS: (
        _col("Name", "The person's name as you write it in other sheets.", required=True),
        _col(
            "Category",
            "Service user, carer, representative, staff, partner organisation or other.",
            required=True,
            vocabulary=Category,
        ),
        _col("Locality", "Their locality; created when missing. May be blank."),
        _col("Organisation", "Their organisation, if any."),
        _col("Email", "Only with Consent to contact yes."),
        _col("Phone", "Only with Consent to contact yes."),
        _col(
            "Consent to contact",
            "Yes or no (blank is no). Without it, leave Email, Phone and Postal address "
            "blank: the row is refused otherwise.",
            yes_no=True,
        ),
        _col(
            "Name in minutes",
            "Yes or no (blank is no): may a service user or carer be named in minutes?",
            yes_no=True,
        ),
        _col("Consent date", "When consent was given.", is_date=True),
        _col(
            "Accessible format",
            "The format of their papers: standard, large print or easy read (blank is standard).",
            vocabulary=AccessibleFormat,
        ),
        _col(
            "Postal address",
            "Where letters go when they have no email: one line of the address per line of "
            "the cell (Alt+Enter). Only with Consent to contact yes.",
        ),
        _col(
            "Equality monitoring consent date",
            "Needed with any equality monitoring answer: when the person consented to give "
            "them. The answers go in further columns named as the trust's characteristics "
            "(Age band, Sex, Ethnic group, Disability ...), each a group from its list.",
            is_date=True,
        ),
    ),
    MEETINGS: (
        _col(
            "Reference",
            "Your reference for the meeting (e.g. RUG-2501); other sheets use it. Kept as given.",
            required=True,
        ),
        _col("Locality", "Created when missing.", required=True),
        _col("Forum", "Created in the locality when missing.", required=True),
        _col("Date", "The date of the meeting.", required=True, is_date=True),
        _col("Start time", "HH:MM, e.g. 14:00."),
        _col("Venue", "Where it was held."),
        _col(
            "Format", "In person, online or hybrid (blank is in person).", vocabulary=MeetingFormat
        ),
        _col(
            "Status",
            "Planned, held or cancelled (blank: held when dated today or earlier, else planned).",
            vocabulary=MeetingStatus,
        ),
    ),
    ATTENDANCE: (
        _col(
            "Meeting reference",
            "A Reference from the Meetings sheet or already in the app.",
            required=True,
        ),
        _col(
            "Name",
            "A participant's name (Participants sheet or the app). Leave blank and give "
            "Category and Count for people who did not want to be named.",
        ),
        _col(
            "Status",
            "Present, apologies or absent (blank is present).",
            vocabulary=AttendanceStatus,
        ),
        _col("Category", "For unnamed attendees only.", vocabulary=Category),
        _col("Count", "For unnamed attendees only: how many came."),
    ),
    ACTIONS: (
        _col("Reference", "Your reference for the action (e.g. RUG-A12); blank gets the next one."),
        _col("Meeting reference", "The meeting that raised it; may be blank."),
        _col("Title", "What is to be done.", required=True),
        _col("Detail", "More detail."),
        _col("Owner", "Who will do it."),
        _col(
            "Level",
            "Individual, team/ward, locality or strategic (blank is locality).",
            vocabulary=ActionLevel,
        ),
        _col("Strategic priority", "Created when missing."),
        _col("Raised on", "Blank takes the meeting's date.", is_date=True),
        _col("Due on", "Not before Raised on.", is_date=True),
        _col(
            "Status",
            "Open, in progress, completed or cancelled (blank is open).",
            vocabulary=ActionStatus,
        ),
        _col("Closed on", "Required when completed or cancelled; blank otherwise.", is_date=True),
        _col("Outcome", 'What was done ("we did").'),
        _col("Locality", "Needed only when there is no Meeting reference (optional column)."),
    ),
    EXPERIENCE: (
        _col("Meeting reference", "Where it was heard; may be blank (then give Locality)."),
        _col("Date", "Blank takes the meeting's date.", is_date=True),
        _col(
            "Kind",
            "Compliment, concern, suggestion, question or idea.",
            required=True,
            vocabulary=ExperienceKind,
        ),
        _col("Theme", "e.g. Access, Communication."),
        _col("Service or team", "The service or team it is about."),
        _col("Summary", "What was said, without names.", required=True),
        _col("Response", 'The response given ("we did").'),
        _col("Locality", "Needed only when there is no Meeting reference (optional column)."),
    ),
    PAYMENTS: (
        _col(
            "Meeting reference",
            "The meeting the payment is for; blank for another involvement activity (then give "
            "Activity, Date and Locality).",
        ),
        _col("Name", "A participant's name.", required=True),
        _col("Status", "Offered, declined or paid (blank is offered).", vocabulary=PaymentStatus),
        _col("Amount", "In pounds, e.g. 25 or 25.00 (blank is 0)."),
        _col(
            "Expenses",
            "All their expenses, in pounds (blank is 0); or give them by kind in the four "
            "columns Travel (GBP) ... Other expenses (GBP), named as in the payments list.",
        ),
        _col(
            "Activity",
            "With no Meeting reference: improvement project work, interview panel, training, "
            "consultation, review or visit, or other (optional column).",
        ),
        _col("Date", "With no Meeting reference: the activity's date.", is_date=True),
        _col(
            "Locality", "With no Meeting reference: the activity's locality (created when missing)."
        ),
        _col(
            "Method",
            "Money or vouchers (blank: the person's preference, vouchers for one who asked for "
            "them, else money; optional column).",
            vocabulary=PaymentMethod,
        ),
        *(
            _col(
                header,
                f"{kind.label} expenses in pounds (optional column). Give the expenses by kind "
                "in these four columns (blank is 0), then leave Expenses blank or give their sum.",
            )
            for kind, header in EXPENSE_COLUMNS.items()
        ),
        _col(
            "Claimed on",
            "The day they claimed: not before the meeting or activity, not after Paid on; "
            "not for a declined payment.",
            is_date=True,
        ),
        _col(
            "Paid on",
            "Only with Status paid: the day it was paid (blank: the meeting's or the "
            "activity's date; optional column).",
            is_date=True,
        ),
    ),
    CHECKS: (
        _col("Locality", "Created when missing.", required=True),
        _col("Framework", "A standards framework already loaded in the app.", required=True),
        _col("Version", "The framework's version, e.g. 1.0.", required=True),
        _col("Assessed on", "The date of the assessment.", required=True, is_date=True),
        _col(
            "Kind", "Self-review or peer review (blank is self-review).", vocabulary=AssessmentKind
        ),
        _col(
            "Status",
            "Draft or submitted (blank is draft); the same on every row of one assessment.",
            vocabulary=AssessmentStatus,
        ),
        _col("Code", "The standard's code, e.g. 2.3.", required=True),
        _col(
            "Rating",
            "Met, partly met, not met, not applicable or not yet rated (blank is not yet rated).",
            vocabulary=Rating,
        ),
        _col("Evidence", "The evidence seen."),
    ),
}
