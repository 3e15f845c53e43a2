"""Every value a sighted coordinator reads, a screen reader reads too; every focus stop has a name
(issue #24 item 1).

Qt gives assistive technology a label's accessible name *instead of* its text: Home's seven
"This month so far" figures were read "Meetings held, Attendances…" with no numbers, the
greeting as "Greeting", a saved return as "Export result". The walk opens every page of the
main window over the small demo data (every tab of every page, a meeting's every part, an
assessment) and every dialog, and asks each visible widget what Qt would give a screen reader
(``unheard`` in ``tests/ui/conftest.py``).
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
from sqlalchemy import select

from coordinator_app.core.models import Assessment, Locality, Meeting, Participant
from coordinator_app.core.vocab import AssessmentStatus, MeetingStatus
from coordinator_app.ui.context import AppContext
from coordinator_app.ui.main_window import PAGE_HOME, PAGE_RETURNS, PAGE_TITLES, MainWindow

TODAY = date(2025, 3, 20)


pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def window(qtbot, demo_ctx):
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    return win


def _held_meeting(ctx: AppContext) -> Meeting:
    with ctx.db.session() as session:
        meeting = session.scalars(
            select(Meeting)
            .where(Meeting.status == MeetingStatus.HELD, Meeting.meeting_date <= TODAY)
            .order_by(Meeting.meeting_date.desc())
            .limit(1)
        ).one()
        session.expunge(meeting)
        return meeting


def _each_tab(root: QWidget, where: str, unheard, seen: set[str]) -> list[str]:
    """``unheard`` on ``root`` as it stands, then on every tab of every tab widget in it (tabs
    inside tabs too), leaving each as it was. What was found already (the status bar on every
    page) is said once: ``seen`` holds it without the place."""
    found = list(unheard(root, where))
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        kept = tabs.currentIndex()
        for index in range(tabs.count()):
            if index == kept or not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            found += unheard(tabs.currentWidget(), f"{where} > {tabs.tabText(index)}")
        tabs.setCurrentIndex(kept)
    new = []
    for problem in found:
        what = problem.split(": ", 1)[-1]
        if what not in seen:
            seen.add(what)
            new.append(problem)
    return new


def test_every_page_reads_its_values_and_names_its_focus_stops(qtbot, window, unheard) -> None:
    with qtbot.waitSignal(window.home.charts.loaded, timeout=10_000):
        window.show_page(PAGE_HOME)
    found: list[str] = []
    seen: set[str] = set()
    for index, title in enumerate(PAGE_TITLES):
        window.show_page(index)
        QApplication.processEvents()
        found += _each_tab(window, title, unheard, seen)
    ctx = window.ctx
    window.open_meeting(_held_meeting(ctx).id)
    QApplication.processEvents()
    found += _each_tab(window, "A held meeting", unheard, seen)
    for status in (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED):
        with ctx.db.session() as session:
            assessment_id = session.scalars(
                select(Assessment.id)
                .where(Assessment.status == status)
                .order_by(Assessment.assessed_on.desc())
                .limit(1)
            ).one()
        window.open_assessment(assessment_id)
        QApplication.processEvents()
        found += _each_tab(window, f"An assessment ({status.value})", unheard, seen)
    assert found == [], f"{len(found)} things a screen reader would not hear:\n" + "\n".join(found)


def test_a_saved_return_is_read_as_what_it_says(
    qtbot, window, unheard, monkeypatch, tmp_path
) -> None:
    """After an export the Returns page says "Saved Return-….xlsx in …"; a screen reader read
    "Export result"."""
    from coordinator_app.ui.views import returns as returns_view

    monkeypatch.setattr(
        returns_view, "choose_save_path", lambda parent, title, suggested: str(tmp_path / "r.xlsx")
    )
    window.show_page(PAGE_RETURNS)
    page = window.returns
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_return()
    qtbot.waitUntil(lambda: page.export_status.text().startswith("Saved"))
    assert unheard(page, "Returns after an export") == []


def test_every_dialog_reads_its_values_and_names_its_focus_stops(
    qtbot, demo_ctx, unheard, every_dialog, tmp_path
) -> None:
    ctx = demo_ctx
    meeting = _held_meeting(ctx)
    with ctx.db.session() as session:
        locality_id = session.scalars(
            select(Locality.id).where(Locality.coordinated).order_by(Locality.name).limit(1)
        ).one()
        person = session.scalars(select(Participant).limit(1)).one()
        participant = (person.id, person.name)
    found: list[str] = []
    seen: set[str] = set()
    for dialog in every_dialog(
        ctx,
        locality_id=locality_id,
        meeting_id=meeting.id,
        participant=participant,
        folder=tmp_path,
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        found += _each_tab(dialog, dialog.windowTitle() or type(dialog).__name__, unheard, seen)
        dialog.hide()
    assert found == [], f"{len(found)} things a screen reader would not hear:\n" + "\n".join(found)


def test_home_reads_this_months_figures_with_their_numbers(qtbot, window) -> None:
    """Each figure is read as its number, labelled by what it counts (the row's label)."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QFormLayout, QLabel

    form = window.home.month_form
    heard = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        value = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and isinstance(value, QLabel)
        face = QAccessible.queryAccessibleInterface(value)
        labels = [
            other.text(QAccessible.Text.Name)
            for other, _relation in face.relations(QAccessible.RelationFlag.Label)
        ]
        heard[label.text()] = (face.text(QAccessible.Text.Name), labels)
    assert len(heard) == 7
    assert heard["Meetings held"] == ("3", ["Meetings held"])  # the demo's March 2025 so far
    assert all(said.isdigit() and labels == [what] for what, (said, labels) in heard.items())


def test_every_sentence_shown_at_a_field_is_read(qtbot, unheard) -> None:
    """Two problems at one field: the label shows both, and a screen reader reads both (its
    name was the last sentence alone)."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QFormLayout, QLineEdit

    from coordinator_app.ui.widgets import FormErrors

    host = QWidget()
    qtbot.addWidget(host)
    errors = FormErrors()
    edit = errors.add_row(QFormLayout(host), "&Name", "name", QLineEdit())
    host.show()
    errors.show({"name": "Enter a name.", "elsewhere": "Choose a locality."}, fallback="name")
    error = errors._fields["name"][1]
    said = QAccessible.queryAccessibleInterface(error).text(QAccessible.Text.Name)
    assert "Enter a name." in said and "Choose a locality." in said
    assert unheard(host) == []
    assert edit.accessibleDescription() == "Enter a name. Choose a locality."


def test_a_field_s_error_goes_once_its_value_changes_and_only_that_field_s(qtbot) -> None:
    """Shared by every dialog's FormErrors: typing, a choice, a tick or a value clears the
    problem shown at that field; a value the code sets (textEdited, not textChanged) does not,
    nor does a change elsewhere clear another field's."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QPlainTextEdit

    from coordinator_app.ui.widgets import FormErrors

    host = QWidget()
    qtbot.addWidget(host)
    form = QFormLayout(host)
    errors = FormErrors()
    name = errors.add_row(form, "&Name", "name", QLineEdit())
    notes = errors.add_row(form, "N&otes", "notes", QPlainTextEdit())
    kind = QComboBox()
    kind.addItems(["One", "Two"])
    errors.add_row(form, "&Kind", "kind", kind)
    tick = errors.add_row(form, "&Active", "active", QCheckBox())
    host.show()
    problems = {f: "Wrong." for f in ("name", "notes", "kind", "active")}
    errors.show(problems, focus=False)
    name.setText("set by the code")
    assert errors.message("name") == "Wrong."
    qtbot.keyClicks(name, "x")
    assert errors.message("name") == "" and name.property("invalid") is False
    assert errors.message("notes") == "Wrong."  # only the field that changed
    qtbot.keyClicks(notes, "y")
    kind.activated.emit(1)
    tick.setChecked(True)
    assert not errors.has_errors()
