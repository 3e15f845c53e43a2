"""The monthly return's format (docs/monthly-return.md): its version, sheets, headers and the
plain values a return holds. ``core/returns.py`` writes it, ``core/return_reading.py`` reads it
back; both import these, so the contract is written once.

Format version 2 added the sheet Reach (issue #27); every other sheet is as in version 1. A
return of either version is read (``READ_VERSIONS``); one of version 1 has no Reach sheet and
reads back with an empty Reach table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import reach
from .figures import MonthFigures
from .rules import Month

FORMAT_VERSION = 2
#: The versions this app reads (consolidation takes both).
READ_VERSIONS: tuple[int, ...] = (1, 2)

RETURN_SHEET = "Return"
SUMMARY_SHEET = "Summary"
MEETINGS_SHEET = "Meetings"
ACTIONS_SHEET = "Actions"
EXPERIENCE_SHEET = "Experience"
ACCREDITATION_SHEET = "Accreditation"
POLLS_SHEET = "Polls"
REACH_SHEET = "Reach"

#: The sheets of a return, in order.
SHEETS: tuple[str, ...] = (
    RETURN_SHEET,
    SUMMARY_SHEET,
    MEETINGS_SHEET,
    ACTIONS_SHEET,
    EXPERIENCE_SHEET,
    ACCREDITATION_SHEET,
    POLLS_SHEET,
    REACH_SHEET,
)
#: The sheets a return of format version 1 has (all but Reach).
SHEETS_V1: tuple[str, ...] = SHEETS[:-1]
#: The fields of the Return sheet, in order.
RETURN_FIELDS: tuple[str, ...] = (
    "Trust",
    "Locality",
    "Month",
    "Prepared by",
    "Generated at",
    "App version",
    "Format version",
)
HEADERS: dict[str, tuple[str, ...]] = {
    RETURN_SHEET: ("Field", "Value"),
    SUMMARY_SHEET: ("Measure", "Value"),
    MEETINGS_SHEET: (
        "Date",
        "Forum",
        "Format",
        "Status",
        "Attendances",
        "Service users",
        "Carers",
        "Representatives",
        "Staff",
        "Partner organisations",
        "Other",
        "Actions raised",
    ),
    ACTIONS_SHEET: (
        "Reference",
        "Raised on",
        "Source",
        "Title",
        "Level",
        "Strategic priority",
        "Owner",
        "Due on",
        "Status",
        "Closed on",
        "Days overdue",
        "Outcome",
    ),
    EXPERIENCE_SHEET: (
        "Date",
        "Forum",
        "Kind",
        "Theme",
        "Service or team",
        "Summary",
        "Response",
    ),
    ACCREDITATION_SHEET: ("Code", "Domain", "Standard", "Criticality", "Rating", "Assessed on"),
    POLLS_SHEET: ("Date", "Forum", "Question", "Answer", "Count"),
    REACH_SHEET: reach.HEADERS,
}
#: The sheets holding one row per record (everything but Return and Summary).
TABLE_SHEETS: tuple[str, ...] = SHEETS[2:]
#: Columns holding dates (read back as ``date``, not ``datetime``).
DATE_COLUMNS = frozenset({"Date", "Raised on", "Due on", "Closed on", "Assessed on"})
#: Summary measures that are not whole numbers.
TEXT_MEASURES = frozenset({"Accreditation result"})
MONEY_MEASURES = frozenset({"Involvement payments (GBP)", "Expenses (GBP)"})
PERCENT_MEASURES = frozenset({"Standards met (%)"})

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ReturnContent:
    """Everything a return holds, as plain values (what ``export_return`` writes)."""

    trust: str
    locality: str
    month: Month
    prepared_by: str
    generated_at: datetime
    app_version: str
    figures: MonthFigures
    tables: dict[str, list[tuple[Any, ...]]]

    def return_rows(self) -> list[tuple[str, Any]]:
        return list(
            zip(
                RETURN_FIELDS,
                (
                    self.trust,
                    self.locality,
                    str(self.month),
                    self.prepared_by,
                    self.generated_at,
                    self.app_version,
                    FORMAT_VERSION,
                ),
                strict=True,
            )
        )


@dataclass(frozen=True)
class ReturnData:
    """A return read back from a file by ``read_return``, already validated."""

    path: Path
    fields: dict[str, Any]
    locality: str
    month: Month
    summary: tuple[tuple[str, Any], ...]
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def measure(self, label: str) -> Any:
        for name, value in self.summary:
            if name == label:
                return value
        raise KeyError(label)
