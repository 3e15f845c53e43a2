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
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QTabWidget,
    QWidget,
)

from coordinator_app.ui.main_window import PAGE_TITLES, MainWindow


def _letter(text: str) -> str | None:
    """The letter after a single ``&`` ("&&" is a literal ampersand), lower-cased."""
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(top: QWidget) -> dict[str, list[str]]:
    """Letters reached by more than one visible mnemonic in ``top``'s window."""
    seen: dict[str, list[str]] = defaultdict(list)

    def note(text: str, what: str = "") -> None:
        letter = _letter(text)
        if letter:
            seen[letter].append(f"{what} {text!r}" if what else text)

    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not top:
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            note(widget.text(), type(widget).__name__)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                note(widget.tabText(index), "tab")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                note(action.text(), "menu")
        elif isinstance(widget, QGroupBox):  # checkable: ticks it; else its first box
            note(widget.title(), "QGroupBox")
    return {letter: texts for letter, texts in seen.items() if len(texts) > 1}


pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def window(qtbot, ctx, place):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def meeting_id(place, add_meeting_at):
    return add_meeting_at(place.forum_id)


def _outermost_tabs(scope: QWidget, top: QWidget) -> list[QTabWidget]:
    """The visible tab widgets in ``scope`` (in ``top``'s window) not inside another of them."""
    shown = [
        tabs for tabs in scope.findChildren(QTabWidget) if tabs.isVisible() and tabs.window() is top
    ]

    def inside_another(tabs: QTabWidget) -> bool:
        parent = tabs.parentWidget()
        while parent is not None and parent is not scope:
            if parent in shown:
                return True
            parent = parent.parentWidget()
        return False

    return [tabs for tabs in shown if not inside_another(tabs)]


def clashes_on_every_tab(
    top: QWidget, scope: QWidget, where: str = "", visited: list[str] | None = None
) -> dict[str, dict[str, list[str]]]:
    """``clashes(top)`` with each tab of each tab widget in ``scope`` shown in turn (nested tab
    widgets too), keyed by where: "tab" or "tab / inner tab". ``visited`` gets each place."""
    found: dict[str, dict[str, list[str]]] = {}
    outer = _outermost_tabs(scope, top)
    if not outer:
        if visited is not None:
            visited.append(where or "(no tabs)")
        if clashes(top):
            found[where or "(no tabs)"] = clashes(top)
        return found
    for tabs in outer:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            # A tab built on first showing replaces its placeholder: ask for the page again.
            page = tabs.widget(index)
            name = re.sub("&(.)", r"\1", tabs.tabText(index))
            here = f"{where} / {name}" if where else name
            if page is not None:
                found.update(clashes_on_every_tab(top, page, here, visited))
    return found


@pytest.mark.parametrize("page", range(len(PAGE_TITLES)), ids=PAGE_TITLES)
def test_each_page_gives_every_alt_letter_one_place(window, page):
    window.show_page(page)
    assert clashes(window) == {}


@pytest.mark.parametrize("page", range(len(PAGE_TITLES)), ids=PAGE_TITLES)
def test_every_tab_of_each_page_gives_every_alt_letter_one_place(window, page):
    """Issue #24: only each page's first tab was checked. On "You said, we did" Alt+V opened the
    View menu, not Print preview; on Frameworks Alt+E, on Consolidate Alt+R reached two places.
    Every tab of every page (and tabs within tabs), with the menu bar's letters."""
    window.show_page(page)
    shown = [tabs.count() for tabs in _outermost_tabs(window.page(page), window)]
    visited: list[str] = []
    assert clashes_on_every_tab(window, window.page(page), visited=visited) == {}
    assert len(visited) >= max([1, *shown])


def test_each_part_of_a_meeting_gives_every_alt_letter_one_place(window, meeting_id):
    window.open_meeting(meeting_id)
    editor = window.meetings.editor
    assert editor.isVisible()
    visited: list[str] = []
    assert clashes_on_every_tab(window, editor, visited=visited) == {}
    assert len(visited) >= editor.tabs.count() > 1


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
    page = window.page(window.pages.currentIndex())
    assert clashes_on_every_tab(window, page) == {}


def test_the_action_editor_gives_every_alt_letter_one_place(qtbot, ctx, place):
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    dialog = ActionEditor(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert clashes(dialog) == {}


@pytest.fixture
def make_dialogs(ctx, place, meeting_id, add_person, tmp_path, every_dialog):
    """Every dialog the app opens (``every_dialog``), made afresh at each call."""
    zoe = add_person("Zoë Price")
    return lambda: every_dialog(
        ctx,
        locality_id=place.locality_id,
        meeting_id=meeting_id,
        participant=(zoe, "Zoë Price"),
        folder=tmp_path,
    )


def _each_tab(qtbot, dialogs):
    """Each of ``dialogs`` shown, on each of its tabs in turn: (dialog, the tab's index, or -1
    for a dialog without tabs)."""
    from PySide6.QtWidgets import QTabWidget

    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        for tabs, index in _tabs_of(dialog):
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentIndex(index)
            yield dialog, index


def _tabs_of(dialog: QWidget) -> list[tuple[QWidget, int]]:
    from PySide6.QtWidgets import QTabWidget

    found = [(t, i) for t in dialog.findChildren(QTabWidget) for i in range(t.count())]
    return found or [(dialog, -1)]


def test_every_dialog_gives_every_alt_letter_one_place(qtbot, make_dialogs):
    """Issue #22: Alt letters clashed in dialogs ('Alt+T is "To:" and the Tracker tab'); the
    test covered a few. Every dialog the app opens, on each of its tabs."""

    found = {}
    for dialog, index in _each_tab(qtbot, make_dialogs()):
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


def unlettered(top: QWidget, scope: QWidget) -> list[str]:
    """The visible labelled controls (a label with a buddy, a button, a group box) in ``scope``
    whose text has no Alt letter."""
    missing = []
    for widget in scope.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not top:
            continue
        button = isinstance(widget, QAbstractButton) and bool(widget.text())
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if (button or labelled) and _letter(widget.text()) is None:
            missing.append(widget.text())
    return missing


def test_every_part_of_a_meeting_has_a_letter(window, meeting_id):
    """The walk at 1366x768 (issue #24): the Papers tab alone had none ("every Alt letter is
    taken"). The two times share Details' row and letter, and the tab is "Papers & link"."""
    window.open_meeting(meeting_id)
    tabs = window.meetings.editor.tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if _letter(tabs.tabText(i)) is None] == []
    assert _letter(tabs.tabText(tabs.indexOf(window.meetings.editor.papers_tab))) == "k"


def test_the_meeting_details_and_papers_give_every_labelled_control_a_letter(window, meeting_id):
    """The walk at 1366x768 (issue #22): Venue, Format, Chair and Notes on Details, and Save
    link, Save invitation and Papers sent on Papers, had no Alt letter."""
    window.open_meeting(meeting_id)
    editor = window.meetings.editor
    for tab in (editor.details_tab, editor.papers_tab):
        editor.tabs.setCurrentWidget(tab)
        QApplication.processEvents()
        page = editor.tabs.currentWidget()
        assert unlettered(window, page) == [], editor.tabs.tabText(editor.tabs.currentIndex())
        assert clashes(window) == {}


def test_the_projects_page_gives_every_control_its_own_letter(window, ctx, place):
    """The walk at 1366x768 (issue #24): "Show all localities", the name box, the role, the
    link chooser and the two tables of a chosen project had no Alt letter."""
    from coordinator_app.core import projects
    from coordinator_app.core.projects import ProjectInput
    from coordinator_app.ui.views.projects import ProjectsPage

    projects.create_project(ctx.db, ProjectInput(locality_id=place.locality_id, title="Café"))
    page = next(
        p for p in (window.page(i) for i in range(len(PAGE_TITLES))) if isinstance(p, ProjectsPage)
    )
    window.show_page(window.pages.indexOf(page))
    page.refresh()
    page.table.selectRow(0)
    page.show_all.setVisible(True)  # shown while "My localities" is chosen
    QApplication.processEvents()
    assert page.detail is not None
    assert clashes(window) == {}
    assert unlettered(window, page) == []
    assert _letter(page.show_all.text())
    labels = [label for label in page.findChildren(QLabel) if label.buddy() is not None]
    for control in (page.person_combo, page.role_combo, page.link_combo):
        assert any(label.buddy() is control and _letter(label.text()) for label in labels)
    for table in (page.people_table, page.links_table):
        box = table.parentWidget()
        assert isinstance(box, QGroupBox) and _letter(box.title()), box


def test_the_welcome_gives_each_way_to_start_its_own_letter(qtbot, ctx):
    """The first-day walk: the welcome's three ways to start (empty, a spreadsheet, the demo)
    had no Alt letter, so only the mouse or Tab and arrows reached them. Alt+letter chooses."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from coordinator_app.ui.dialogs.welcome import WelcomeDialog

    dialog = WelcomeDialog(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    choices = (dialog.start_empty, dialog.start_import, dialog.start_demo)
    assert [c.text() for c in choices if _letter(c.text()) is None] == []
    assert clashes(dialog) == {}
    for choice in reversed(choices):  # the first is already chosen
        letter = _letter(choice.text())
        assert letter is not None
        QTest.keyClick(dialog.trust, Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(choice.isChecked)  # a mnemonic clicks as the mouse does, a moment later


def test_every_button_of_every_dialog_has_a_letter(qtbot, make_dialogs):
    """The dialog walk above looked only for a letter reached twice: a button with no letter
    at all (the welcome's Cancel) passed it. Every push button of every dialog, on each of its
    tabs, has a letter: Qt's own Close, Cancel, Save and OK too, which Qt names with none
    (issue #22: 21 dialogs had such a button; ``dialogs/buttons.letter_buttons`` names them)."""
    from PySide6.QtWidgets import QPushButton

    found: dict[str, set[str]] = {}
    for dialog, _index in _each_tab(qtbot, make_dialogs()):
        for button in dialog.findChildren(QPushButton):
            shown = button.isVisible() and button.window() is dialog and button.text()
            if shown and _letter(button.text()) is None:
                found.setdefault(type(dialog).__name__, set()).add(button.text())
    assert found == {}


def _way_out(dialog: QWidget):
    """The button that leaves ``dialog`` without doing anything: its Close or Cancel."""
    from PySide6.QtWidgets import QDialogButtonBox

    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole:
                return button
    return getattr(dialog, "close_button", None)  # the import wizard's Cancel, then Close


def test_each_dialogs_alt_letter_closes_it_and_escape_still_does(qtbot, make_dialogs):
    """Issue #22: Close and Cancel had no Alt letter in 21 dialogs. Each dialog's Alt letter
    for its Close or Cancel now presses it (the dialog closes, nothing saved), and the button
    keeps its role: Escape still closes a dialog, as before."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    pressed: list[str] = []
    for dialog in make_dialogs():
        qtbot.addWidget(dialog)
        button = _way_out(dialog)
        if button is None:
            continue
        letter = _letter(button.text())
        assert letter is not None, (type(dialog).__name__, button.text())
        with qtbot.waitActive(dialog):
            dialog.show()
        QTest.keyClick(dialog, Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())  # a mnemonic clicks a moment later
        pressed.append(type(dialog).__name__)
    assert {"ParticipantDialog", "PaymentDialog", "ActionEditor", "OrganisationDialog"} <= set(
        pressed
    )
    assert "AuditViewer" in pressed and "ImportWizard" in pressed and len(pressed) >= 21, pressed

    for dialog in make_dialogs():
        qtbot.addWidget(dialog)
        if _way_out(dialog) is None:
            continue
        with qtbot.waitActive(dialog):
            dialog.show()
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible(), type(dialog).__name__


def test_no_dialog_shows_an_ampersand_for_a_letter(qtbot, make_dialogs):
    """The 1366x768 look at the audit log (issue #22): its "&Dates:" label had no control to
    lead to (a row of two date boxes), so Qt showed the "&" itself and Alt+D did nothing. A
    label with an Alt letter in any dialog leads somewhere."""
    from PySide6 import QtGui
    from PySide6.QtCore import Qt

    found: dict[str, set[str]] = {}
    for dialog, _index in _each_tab(qtbot, make_dialogs()):
        for label in dialog.findChildren(QLabel):
            if not label.isVisible() or label.buddy() is not None:
                continue
            plain = label.textFormat() == Qt.TextFormat.PlainText or (
                label.textFormat() == Qt.TextFormat.AutoText
                and not QtGui.Qt.mightBeRichText(label.text())
            )
            if plain and _letter(label.text()):
                found.setdefault(type(dialog).__name__, set()).add(label.text())
    assert found == {}


def test_the_dialogs_the_walk_leaves_out_letter_their_buttons_once(
    qtbot, ctx, place, meeting_id, add_person
):
    """Issue #22: dialogs ``every_dialog`` does not build (payments, monitoring, passwords, a
    framework's problems, receipts) had Qt's Close, Cancel, Save or OK with no Alt letter too.
    Each of their push buttons has a letter, no letter reaches two places, and Close or Cancel
    still is the button Escape presses."""
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from coordinator_app.core.meetings.payments import set_payment
    from coordinator_app.core.vocab import PaymentStatus
    from coordinator_app.ui.dialogs import (
        access_dialogs,
        framework_problems,
        monitoring_dialog,
        payments_dialogs,
    )
    from coordinator_app.ui.dialogs.payments.receipts import ReceiptsDialog

    ann = add_person("Ann Quill")
    payment = set_payment(ctx.db, meeting_id, ann, status=PaymentStatus.PAID)
    made = [
        access_dialogs.ChangePasswordDialog(ctx, first=False),
        access_dialogs.AddLoginDialog(ctx, ["Coventry", "Rugby"], None),
        payments_dialogs.PaymentsListDialog(ctx),
        payments_dialogs.ActivityDialog(ctx, locality_id=place.locality_id),
        payments_dialogs.RatesDialog(ctx),
        payments_dialogs.ActivitiesDialog(ctx),
        monitoring_dialog.EqualityMonitoringDialog(ctx, ann, "Ann Quill"),
        monitoring_dialog.QuickEntryDialog(ctx),
        framework_problems.FrameworkProblemsDialog("Not loaded.", ["Row 3: no code."]),
        ReceiptsDialog(ctx, payment, "Ann Quill"),
    ]
    unlettered: dict[str, list[str]] = {}
    clashing = {}
    for dialog in made:
        qtbot.addWidget(dialog)
        dialog.show()
        name = type(dialog).__name__
        for button in dialog.findChildren(QPushButton):
            if button.isVisible() and button.text() and _letter(button.text()) is None:
                unlettered.setdefault(name, []).append(button.text())
        if clashes(dialog):
            clashing[name] = clashes(dialog)
        ways_out = [
            button
            for box in dialog.findChildren(QDialogButtonBox)
            for button in box.buttons()
            if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole
        ]
        assert len(ways_out) == 1 and _letter(ways_out[0].text()), name
    assert unlettered == {}
    assert clashing == {}
