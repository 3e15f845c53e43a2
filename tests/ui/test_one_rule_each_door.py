"""One rule, one place, whichever door the data comes in by (issue #20 item 3): the same text
typed in a screen's date, time or pounds box and written in a cell of the import workbook gets
the same answer, the same value or a refusal, because both read it with ``core.parsing``. And a
value too long for its column is said at its field in the participant dialog, not lost in a
database error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coordinator_app.core import people
from coordinator_app.core.importer import read_import_workbook
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog

TODAY = date(2025, 3, 20)
REFUSED = "refused"

DATES = [
    "14/03/2025", "14/3/25", "14/03/25", "14.03.2025", "14-03-2025", "2025-03-14", "2025-3-14",
    "14 Mar 2025", "14 March 2025", "today", "Yesterday", "31/02/2025", "29/02/2024",
    "14/13/2025", "1/1/0001", "01/01/2101", "31/12/1899", "next week", "14 Mar", "45000", "14-",
]  # fmt: skip
TIMES = [
    "18:30", "18.30", "1830", "6pm", "6.30 pm", "6:30PM", "12am", "12pm", "0:00", "18:30:00",
    "9", "24:00", "18:60", "13pm", "0am", "half six", "18:3", "6 o'clock",
]  # fmt: skip
AMOUNTS = [
    "25", "25.5", "£25.50", "1,025.00", "0.01", "100,000.00", "1e3", "100,000.01", "-1",
    "25.505", "twenty", "nan", "inf", "£",
]  # fmt: skip


def _screen(box: Any, typed: str) -> Any:
    """What a screen's box makes of ``typed``: its value, or REFUSED with a sentence."""
    box.setText(typed)
    try:
        return box.value()
    except ValueError:
        return REFUSED


def _imported(
    write_workbook: Any,
    tmp_path: Path,
    sheets: dict[str, list[list[Any]]],
    rows: Callable[[Any], list[Any]],
) -> dict[int, Any]:
    """Each data row's value as the import reads it, by Excel row number (REFUSED when the row
    has a problem of its own)."""
    plan = read_import_workbook(write_workbook(tmp_path / "door.xlsx", sheets), None, today=TODAY)
    return dict(rows(plan.rows))


def _meetings(cells: list[tuple[str, str]]) -> list[list[Any]]:
    header = ["Reference", "Locality", "Forum", "Date", "Start time", "Status"]
    return [header] + [
        [f"RUG-{n}", "Rugby", "Rugby Forum", day, start, "Planned"]
        for n, (day, start) in enumerate(cells, start=2)
    ]


def test_a_date_gets_the_same_answer_in_a_box_and_in_the_import(
    qtbot, tmp_path: Path, write_workbook
) -> None:
    box = widgets.DateEdit(today=TODAY)
    qtbot.addWidget(box)
    imported = _imported(
        write_workbook,
        tmp_path,
        {"Meetings": _meetings([(typed, "") for typed in DATES])},
        lambda parsed: [(m.row, m.on) for m in parsed.meetings],
    )
    answers = {
        typed: (_screen(box, typed), imported.get(row, REFUSED))
        for row, typed in enumerate(DATES, start=2)
    }
    assert {typed: pair for typed, pair in answers.items() if pair[0] != pair[1]} == {}
    assert answers["14.03.2025"][0] == answers["14 Mar 2025"][0] == date(2025, 3, 14)
    assert answers["1/1/0001"][0] == REFUSED


def test_a_time_gets_the_same_answer_in_a_box_and_in_the_import(
    qtbot, tmp_path: Path, write_workbook
) -> None:
    box = widgets.TimeEdit()
    qtbot.addWidget(box)
    imported = _imported(
        write_workbook,
        tmp_path,
        {"Meetings": _meetings([("2025-03-14", typed) for typed in TIMES])},
        lambda parsed: [(m.row, m.start) for m in parsed.meetings],
    )
    answers = {
        typed: (_screen(box, typed), imported.get(row, REFUSED))
        for row, typed in enumerate(TIMES, start=2)
    }
    assert {typed: pair for typed, pair in answers.items() if pair[0] != pair[1]} == {}
    assert answers["6pm"][0] is not REFUSED and answers["1830"][0] == answers["6.30 pm"][0]


def test_an_amount_gets_the_same_answer_in_a_box_and_in_the_import(
    qtbot, tmp_path: Path, write_workbook
) -> None:
    box = widgets.PoundsEdit()
    qtbot.addWidget(box)
    sheets = {
        "Participants": [["Name", "Category"], ["Zoë Hart", "Carer"]],
        "Meetings": _meetings([("2025-03-14", "")]),
        "Payments": [["Meeting reference", "Name", "Amount"]]
        + [["RUG-2", "Zoë Hart", typed] for typed in AMOUNTS],
    }
    imported = _imported(
        write_workbook,
        tmp_path,
        sheets,
        lambda parsed: [(p.row, p.amount) for p in parsed.payments],
    )
    answers = {
        typed: (_screen(box, typed), imported.get(row, REFUSED))
        for row, typed in enumerate(AMOUNTS, start=2)
    }
    assert {typed: pair for typed, pair in answers.items() if pair[0] != pair[1]} == {}
    assert answers["£25.50"][0] == 2550 and answers["25.505"][0] == REFUSED


@pytest.mark.parametrize(("field", "label"), [("organisation", "Organisation"), ("phone", "Phone")])
def test_a_participant_detail_too_long_is_said_at_its_field(
    qtbot, ctx, place, db, field: str, label: str
) -> None:
    """On a PostgreSQL server Save used to leave the dialog open with no message (a database
    error the dialog does not catch); on SQLite the text was saved whole past its column."""
    dialog = ParticipantDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Zoë Hart")
    dialog.consent_check.setChecked(True)
    getattr(dialog, f"{field}_edit").setText("1" * 310)
    assert dialog.try_save() is False
    assert dialog.errors.message(field) == f"{label} can be at most 255 characters (this is 310)."
    assert people.list_participants(db, active=None) == []
