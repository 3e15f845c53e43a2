"""Alt+letter keys: on every screen a coordinator types in, each letter reaches one thing.

Two visible mnemonics on the same letter make Qt alternate between them (checked under Xvfb:
Alt+F on the Meetings list went to the filter, then opened the File menu, then the filter), and a
button whose letter is shared is only focused, never pressed. The menu bar's letters (File, Edit,
Privacy, View, Help) count: they are live on every page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget

from coordinator_app.ui.main_window import PAGE_TITLES, MainWindow


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(top: QWidget) -> dict[str, list[str]]:
    """Letters reached by more than one visible mnemonic in ``top``'s window."""
    seen: dict[str, list[str]] = defaultdict(list)

    def note(text: str) -> None:
        letter = _letter(text)
        if letter:
            seen[letter].append(text)

    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not top:
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            note(widget.text())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                note(widget.tabText(index))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                note(action.text())
        elif isinstance(widget, QGroupBox):  # checkable: ticks it; else its first box
            note(widget.title())
    return {letter: texts for letter, texts in seen.items() if len(texts) > 1}


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path):
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setOrganizationName("Involvement Coordinator Tests")
    QCoreApplication.setApplicationName("Mnemonic tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(qtbot, ctx, place):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def meeting_id(place, add_meeting_at):
    return add_meeting_at(place.forum_id)


@pytest.mark.parametrize("page", range(len(PAGE_TITLES)), ids=PAGE_TITLES)
def test_each_page_gives_every_alt_letter_one_place(window, page):
    window.show_page(page)
    assert clashes(window) == {}


def test_each_part_of_a_meeting_gives_every_alt_letter_one_place(window, meeting_id):
    window.open_meeting(meeting_id)
    tabs = window.meetings.editor.tabs
    found = {}
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        if clashes(window):
            found[tabs.tabText(index)] = clashes(window)
    assert found == {}


def test_the_meeting_dialogs_give_every_alt_letter_one_place(qtbot, ctx, place, meeting_id):
    from coordinator_app.ui.dialogs.meeting_dialogs import (
        ExperienceDialog,
        NewMeetingDialog,
        PaymentDialog,
    )
    from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog

    found = {}
    for dialog in (
        NewMeetingDialog(ctx),
        ExperienceDialog(ctx, meeting_id),
        PaymentDialog(ctx, meeting_id, []),
        ParticipantDialog(ctx),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        if clashes(dialog):
            found[dialog.windowTitle()] = clashes(dialog)
    assert found == {}


def test_a_self_review_gives_every_alt_letter_one_place(window, ctx, place):
    from coordinator_app.core import accreditation, standards
    from coordinator_app.core.vocab import AssessmentKind

    with ctx.db.transaction() as session:
        framework_id = standards.load_default_framework(session)
    assessment_id = accreditation.start_assessment(
        ctx.db,
        locality_id=place.locality_id,
        framework_id=framework_id,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=date(2025, 3, 18),
        assessors=["Zoë Smith"],
    )
    window.open_assessment(assessment_id)
    assert clashes(window) == {}


def test_the_action_editor_gives_every_alt_letter_one_place(qtbot, ctx, place):
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    dialog = ActionEditor(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert clashes(dialog) == {}


def _tabs_of(dialog: QWidget) -> list[tuple[QWidget, int]]:
    from PySide6.QtWidgets import QTabWidget

    found = [(t, i) for t in dialog.findChildren(QTabWidget) for i in range(t.count())]
    return found or [(dialog, -1)]


def test_every_dialog_gives_every_alt_letter_one_place(
    qtbot, ctx, place, meeting_id, add_person, tmp_path, every_dialog
):
    """Issue #22: Alt letters clashed in dialogs ('Alt+T is "To:" and the Tracker tab'); the
    test covered a few. Every dialog the app opens, on each of its tabs."""
    from PySide6.QtWidgets import QTabWidget

    zoe = add_person("Zoë Price")
    made = every_dialog(
        ctx,
        locality_id=place.locality_id,
        meeting_id=meeting_id,
        participant=(zoe, "Zoë Price"),
        folder=tmp_path,
    )
    found = {}
    for dialog in made:
        qtbot.addWidget(dialog)
        dialog.show()
        for tabs, index in _tabs_of(dialog):
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentIndex(index)
            if clashes(dialog):
                found[f"{dialog.windowTitle()} {index}"] = clashes(dialog)
    assert found == {}


def test_every_menu_gives_every_alt_letter_one_item(window):
    """Issue #22: the Privacy menu had A twice, and 'Email owners…' showed a letter that
    opened Edit. Within each menu, each letter reaches one item."""
    found = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        seen: dict[str, list[str]] = defaultdict(list)
        for action in menu.actions():
            letter = _letter(action.text())
            if letter and action.isVisible():
                seen[letter].append(action.text())
        clashing = {k: v for k, v in seen.items() if len(v) > 1}
        if clashing:
            found[top.text()] = clashing
    assert found == {}
