"""File > Import... and File > Save import template...: the wizard shows the plan and every
problem, enables Import only without problems, imports in the background, and a cancelled import
leaves nothing behind. Driven as a widget; the file choosers are patched."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from coordinator_app.core.db import Database
from coordinator_app.core.models import Attendance, Meeting, Participant
from coordinator_app.core.resources import resource_path
from coordinator_app.core.standards import load_default_framework
from coordinator_app.ui import tasks
from coordinator_app.ui.dialogs import import_wizard
from coordinator_app.ui.dialogs.import_wizard import ImportWizard, save_import_template


def _book(path: Path, meeting_date: Any = date(2025, 1, 14)) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = {
        "Participants": [["Name", "Category"], ["Zoë Hart", "Service user"],
                         ["Siân O'Neill", "Carer"]],
        "Meetings": [["Reference", "Locality", "Forum", "Date"],
                     ["RUG-2501", "Rugby", "Rugby Locality Forum", meeting_date]],
        "Attendance": [["Meeting reference", "Name"], ["RUG-2501", "Zoë Hart"],
                       ["RUG-2501", "Siân O'Neill"]],
    }  # fmt: skip
    for name, sheet_rows in rows.items():
        ws = workbook.create_sheet(name)
        for row in sheet_rows:
            ws.append(row)
    workbook.save(path)
    return path


def _count(db: Database, model: Any) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def wizard(qtbot, ctx):
    dialog = ImportWizard(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_plan_is_shown_and_import_adds_the_records(
    qtbot, wizard, db: Database, tmp_path: Path, errors
) -> None:
    wizard.load(_book(tmp_path / "register.xlsx"))
    text = wizard.plan_label.text()
    assert "Participants: 2 to add, 0 already present" in text
    assert "New localities: Rugby" in text
    assert "New forums: Rugby Locality Forum (Rugby)" in text
    assert wizard.problems.isHidden()
    assert wizard.import_button.isEnabled()
    changed: list[str] = []
    wizard.ctx.events.participantsChanged.connect(changed.append)

    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)

    assert _count(db, Participant) == 2 and _count(db, Attendance) == 2
    assert wizard.status.text().startswith("Imported 2 participants, 1 meetings, 2 attendance")
    assert wizard.close_button.text() == "Clos&e"
    assert not wizard.import_button.isEnabled()
    assert changed == [""]
    assert errors == []


def test_every_problem_is_listed_and_import_stays_disabled(
    qtbot, wizard, db: Database, tmp_path: Path
) -> None:
    wizard.load(_book(tmp_path / "bad.xlsx", meeting_date="31/02/2026"))
    items = [wizard.problems.item(i).text() for i in range(wizard.problems.count())]
    assert items == [
        "Sheet 'Meetings' row 2: Date '31/02/2026' is not a date; write it as YYYY-MM-DD or "
        "DD/MM/YYYY."
    ]
    assert wizard.problems.isVisible()
    assert not wizard.import_button.isEnabled()
    assert "Nothing can be imported" in wizard.plan_label.text()
    assert _count(db, Meeting) == 0


def test_a_file_that_is_not_a_workbook_is_explained_in_one_sentence(wizard, tmp_path: Path) -> None:
    path = tmp_path / "register.txt"
    path.write_text("Name,Category\nZoë Hart,Carer\n", encoding="utf-8")
    wizard.load(path)
    assert wizard.problems.count() == 1
    said = wizard.problems.item(0).text()
    assert "register.txt is not a spreadsheet" in said and "LibreOffice" in said
    assert not wizard.import_button.isEnabled()


def test_a_workbook_already_imported_has_nothing_to_add(
    qtbot, wizard, tmp_path: Path, errors
) -> None:
    path = _book(tmp_path / "register.xlsx")
    wizard.load(path)
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    wizard.load(path)
    assert "already in the app" in wizard.plan_label.text()
    assert "Participants: 0 to add, 2 already present" in wizard.plan_label.text()
    assert not wizard.import_button.isEnabled()


def test_a_cancelled_import_leaves_nothing_behind(
    qtbot, wizard, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors
) -> None:
    wizard.load(_book(tmp_path / "register.xlsx"))
    before = (_count(db, Participant), _count(db, Meeting))
    monkeypatch.setattr(tasks.Task, "is_cancelled", lambda self: True)  # as if Cancel was pressed

    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "did not finish" in wizard.status.text(), timeout=5000)

    assert (_count(db, Participant), _count(db, Meeting)) == before == (0, 0)
    assert wizard.summary is None
    assert wizard.import_button.isEnabled()  # the user may try again
    assert errors == []


def test_choose_workbook_button_uses_the_patched_chooser(
    wizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path / "register.xlsx")
    monkeypatch.setattr(import_wizard, "choose_workbook", lambda parent: str(path))
    wizard.choose_button.click()
    assert wizard.file_label.text() == str(path)
    assert wizard.import_button.isEnabled()


def test_ask_returns_false_without_a_dialog_when_no_file_is_chosen(
    ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_wizard, "choose_workbook", lambda parent: "")
    monkeypatch.setattr(ImportWizard, "exec", lambda self: pytest.fail("no dialog expected"))
    assert ImportWizard.ask(ctx) is False


def test_ask_reports_whether_anything_was_imported(
    ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors
) -> None:
    path = _book(tmp_path / "register.xlsx")
    monkeypatch.setattr(import_wizard, "choose_workbook", lambda parent: str(path))
    # Instead of a blocking exec, press Import and close, as the user would.
    monkeypatch.setattr(ImportWizard, "exec", lambda self: (self.run_import(), self.close_wizard()))
    assert ImportWizard.ask(ctx) is True
    assert ImportWizard.ask(ctx) is False  # the second time adds nothing


def test_the_shipped_example_imports_through_the_wizard(
    qtbot, wizard, db: Database, errors
) -> None:
    with db.transaction() as session:
        load_default_framework(session)
    wizard.load(resource_path("samples", "import-example.xlsx"))
    assert wizard.problems.count() == 0
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    assert _count(db, Participant) == 4


def test_every_control_has_an_accessible_name(wizard, unnamed_controls) -> None:
    assert unnamed_controls(wizard) == []


def test_save_import_template_writes_the_template_where_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, questions
) -> None:
    target = tmp_path / "my template"
    monkeypatch.setattr(import_wizard, "choose_template_target", lambda parent: str(target))
    written = save_import_template(None)
    assert written == tmp_path / "my template.xlsx"
    assert "Notes" in load_workbook(written).sheetnames
    assert questions.told and "import template was saved" in questions.told[0]


def test_save_import_template_does_nothing_when_cancelled(
    monkeypatch: pytest.MonkeyPatch, questions
) -> None:
    monkeypatch.setattr(import_wizard, "choose_template_target", lambda parent: "")
    assert save_import_template(None) is None
    assert questions.told == []
