"""The first day, by keyboard alone, from an empty database with no spreadsheet (issue #22's
"Done when"): trust → locality → forum → plan a meeting → agenda → print the agenda and the
sign-in sheet → register (regulars, a new face, two unnamed) → payments → minutes → the month's
return.

Every step is a key a coordinator presses on the widget that has the focus (Tab, Enter, Alt+
letters, the menus' shortcuts); nothing is set or called directly. Modal dialogs are answered
from a timer inside their own event loop (``Keyboard.dialogs``), and each one is checked to fit
a 1366×768 laptop. The file chooser is Qt's own on Linux (``ui/files.py``): the path is typed into
it as a person would.

``first_day`` is the journey itself: ``tests/tools/walk_first_day.py`` walks the same one under
Xvfb and takes a screenshot at each ``shot``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from time import monotonic

import pytest
from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

from coordinator_app.ui import files, widgets

#: The real questions: the UI tests' ``questions`` fixture answers them without a box, and here
#: every box is shown and answered by keyboard.
REAL_QUESTIONS = {
    (widgets, "confirm"): widgets.confirm,
    (widgets, "inform"): widgets.inform,
    (widgets, "ask_choice"): widgets.ask_choice,
    (widgets, "ask_conflict"): widgets.ask_conflict,
    (files, "offer_to_open"): files.offer_to_open,
}

#: The laptop the journey is walked on, and what its taskbar leaves of the screen.
LAPTOP = QSize(1366, 768)
TASKBAR = 40
#: Today, all day long: the forum's (the third Thursday of March 2025), typed up that evening.
FORUM_DAY = date(2025, 3, 20)

Key = Qt.Key
NO = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def wait_until(condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """Run the event loop until ``condition()`` holds (no fixed pause); fail after ``timeout``."""
    deadline = monotonic() + timeout
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        QTest.qWait(5)


@dataclass
class Keyboard:
    """Keys pressed as a person presses them: on the widget with the focus (or the open menu)."""

    #: Every dialog answered, by window title, with its size as shown and the least it needs.
    dialogs_seen: list[tuple[str, QSize, QSize]] = field(default_factory=list)

    # --- keys -------------------------------------------------------------------------------

    @staticmethod
    def focus() -> QWidget:
        popup = QApplication.activePopupWidget()
        widget = popup if popup is not None else QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Key, modifiers: Qt.KeyboardModifier = NO, *, times: int = 1) -> None:
        for _ in range(times):
            QTest.keyClick(self.focus(), key, modifiers)

    def alt(self, letter: str) -> None:
        """Alt+letter: the mnemonic (a label's buddy, a button, a tab, a menu)."""
        self.press(Key(ord(letter.upper())), ALT)

    def ctrl(self, key: Key | str) -> None:
        self.press(Key(ord(key.upper())) if isinstance(key, str) else key, CTRL)

    def type(self, text: str) -> None:
        """Type ``text`` into the focused widget, letters beyond ASCII too (``keyClicks`` stops
        at "â"): a key press and release carrying each character."""
        for ch in text:
            if ch == "\n":
                self.press(Key.Key_Return)
                continue
            widget = self.focus()
            if ch.isascii():
                QTest.keyClick(widget, ch)
                continue
            for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Key.Key_unknown, NO, ch))

    def replace(self, text: str) -> None:
        """Select what the focused box holds and type over it."""
        self.ctrl("a")
        self.type(text)

    def tab_to(self, found: Callable[[QWidget], bool], what: str, *, limit: int = 30) -> None:
        """Press Tab until the focus is on the widget ``found`` recognises."""
        for _ in range(limit):
            if found(self.focus()):
                return
            self.press(Key.Key_Tab)
        raise AssertionError(f"Tab never reached {what}")

    def tab_to_button(self, text: str) -> None:
        self.tab_to(
            lambda w: isinstance(w, QAbstractButton) and w.text().replace("&", "") == text,
            f"the button {text!r}",
        )

    # --- modal dialogs ----------------------------------------------------------------------

    def dialogs(self, opener: Callable[[], object], *answers: Callable[[QDialog], None]) -> object:
        """Run ``opener`` (a key press that opens modal dialogs one after another) and answer
        each dialog, in order, with the next of ``answers``, from a timer inside the dialog's
        own event loop once it is the active window (each is first checked to fit the laptop).
        Each answer must close its dialog by keyboard; one that fails (or leaves it open)
        closes it, and the failure is raised here, as is a dialog that never opened. Returns
        what ``opener`` returned.

        Offscreen no window manager gives the window back the keyboard when its last dialog
        closes: that is done here, as a desktop would."""
        before = QApplication.activeModalWidget()
        window = QApplication.activeWindow()
        pending = list(answers)
        seen: list[QWidget] = []
        errors: list[BaseException] = []
        stop = [False]

        def poll() -> None:
            if stop[0] or not pending:
                return
            dialog = QApplication.activeModalWidget()
            if (
                dialog is None
                or dialog is before
                or dialog in seen
                or not dialog.isVisible()
                or QApplication.activeWindow() is not dialog
            ):
                QTimer.singleShot(10, poll)
                return
            seen.append(dialog)
            answer = pending.pop(0)
            try:
                self.check_fits(dialog)
                answer(dialog)
                wait_until(lambda: not dialog.isVisible(), f"{dialog.windowTitle()} to close")
            except BaseException as exc:
                errors.append(exc)
                pending.clear()
                if isinstance(dialog, QDialog) and dialog.isVisible():
                    dialog.done(0)
                return
            QTimer.singleShot(0, poll)

        QTimer.singleShot(0, poll)
        try:
            result = opener()
            # A button's Alt+letter clicks it a moment later (``animateClick``): its dialogs
            # open after the key press has returned.
            wait_until(lambda: not pending or errors, "the dialogs to open")
        finally:
            stop[0] = True
        active = QApplication.activeWindow()
        if window is not None and window.isVisible() and (active is None or not active.isVisible()):
            # (Offscreen a file chooser's closed completer list may still count as active.)
            window.activateWindow()
            wait_until(lambda: QApplication.activeWindow() is window, "the window to be active")
        if errors:
            raise errors[0]
        assert not pending, f"{len(pending)} dialog(s) never opened (after {len(seen)})"
        return result

    def check_fits(self, dialog: QWidget) -> None:
        """The dialog as shown fits the laptop's screen, what it needs fits above the taskbar
        and, on a real 1366×768 screen (the walk under Xvfb), it lies wholly on it. Offscreen
        the screen is 800×800 and places nothing where a laptop would: there the sizes are
        what counts."""
        frame = dialog.frameGeometry()
        needs = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        self.dialogs_seen.append((dialog.windowTitle(), frame.size(), needs))
        title = dialog.windowTitle()
        assert frame.width() <= LAPTOP.width() and frame.height() <= LAPTOP.height(), (
            f"{title} is {frame.width()}×{frame.height()}"
        )
        assert needs.width() <= LAPTOP.width() and needs.height() <= LAPTOP.height() - TASKBAR, (
            f"{title} needs {needs.width()}×{needs.height()}"
        )
        # The laptop has one screen. Not ``dialog.screen()``: asked of a message box Qt made on
        # its own stack (QMessageBox.question), PySide 6.11 tied the screen's wrapper to the
        # box's; once that was collected the QScreen itself was deleted, and the next layout
        # crashed in QWidget::screen (seen under Xvfb).
        screen = QGuiApplication.primaryScreen()
        if screen is not None and screen.geometry().size() == LAPTOP:  # a real laptop's screen
            assert screen.geometry().contains(frame), f"{title} is partly off the screen: {frame}"


def _nothing(_name: str) -> None:
    """No screenshot: the test's ``shot``."""


def pdf_text(path: Path | None) -> str:
    assert path is not None and path.exists(), f"no PDF at {path}"
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return out.stdout.decode("utf-8")


# --- the journey --------------------------------------------------------------------------------


@dataclass
class Walked:
    """What the journey made, for the test to check against the database and the files."""

    agenda_pdf: Path | None = None
    sign_in_pdf: Path | None = None
    return_xlsx: Path | None = None


def first_day(
    keys: Keyboard, window, ctx, folder: Path, shot: Callable[[str], None] = _nothing
) -> Walked:
    """The first day, by keyboard, each step checked as a coordinator would see it. ``window``
    is a ``MainWindow`` shown (and active) but not yet attached; ``ctx`` is over an empty
    database, its today ``FORUM_DAY``; the PDFs and the return are saved in ``folder``;
    ``shot(name)`` is called at each step worth a picture."""
    from coordinator_app.core.settings import needs_first_run
    from coordinator_app.ui.dialogs.welcome import WelcomeDialog

    walked = Walked()
    assert needs_first_run(ctx.db) and ctx.today() == FORUM_DAY

    # 1. The welcome, as start-up shows it on a new database (``ui/app.py``): the trust, my
    #    name, my locality; a forum is proposed for it.
    def welcome(dialog: QDialog) -> None:
        assert keys.focus() is dialog.trust
        keys.type("Arden Valley Partnership NHS Foundation Trust")
        keys.press(Key.Key_Tab)
        keys.type("Siân Evans")
        keys.press(Key.Key_Tab)
        keys.type("Rugby")
        assert dialog.forums.toPlainText() == "Rugby: Rugby Locality Forum"
        shot("01-welcome")
        keys.press(Key.Key_Return)  # Start

    assert keys.dialogs(lambda: WelcomeDialog.ask(ctx, window), welcome) is True
    window.attach(ctx)
    home = window.home
    assert "Hello, Siân." in home.greeting.text()
    shot("02-home")

    # 2. The forum's usual venue, day, times and standing items: Edit > Organisation > Forums.
    def organisation(dialog: QDialog) -> None:
        assert dialog.trust_name.text() == "Arden Valley Partnership NHS Foundation Trust"
        assert dialog.coordinator_name.text() == "Siân Evans"
        keys.alt("r")  # the rate per session
        keys.replace("25.00")
        keys.alt("s")
        wait_until(lambda: dialog.trust_status.text() == "Saved.", "the trust's details saved")
        keys.alt("o")  # the Forums tab
        assert dialog.tabs.currentIndex() == 2
        keys.alt("y")  # its locality (Localit&y: C is Close)
        keys.press(Key.Key_Tab)  # the forums of Rugby
        assert keys.focus() is dialog.forum_list
        keys.press(Key.Key_Down)
        assert dialog.forum_name.text() == "Rugby Locality Forum"
        keys.alt("v")
        keys.type("Benn Hall")
        keys.alt("f")
        keys.type("In")  # In person
        keys.alt("d")
        keys.type("3")  # 3rd of the month
        keys.press(Key.Key_Tab)
        keys.type("Th")  # Thursday
        keys.alt("m")
        keys.type("18:30")
        keys.press(Key.Key_Tab)
        keys.type("20:30")
        keys.alt("i")
        keys.type("Welcome and introductions\nApologies\nMatters arising")
        shot("03-organisation-forum")
        keys.alt("s")  # Save changes
        wait_until(lambda: _forum(ctx).usual.standing_items, "the forum saved")
        assert not dialog.forum_errors.has_errors()
        keys.press(Key.Key_Escape)  # Close

    def edit_organisation() -> None:
        keys.alt("e")  # the Edit menu
        assert keys.focus().title() == "&Edit"  # type: ignore[attr-defined]
        keys.press(Key.Key_O)  # Organisation (trust, localities, forums)…

    keys.dialogs(edit_organisation, organisation)
    forum = _forum(ctx)
    assert forum.default_venue == "Benn Hall"
    assert (forum.usual.week, forum.usual.weekday) == (3, 3)
    assert forum.usual.standing_items == (
        "Welcome and introductions",
        "Apologies",
        "Matters arising",
    )

    # 3. Last month's paper register, typed in so the forum has its regulars: File > New
    #    meeting (Ctrl+N) proposes the forum's usual day, times and venue; the date is typed.
    def new_meeting(dialog: QDialog) -> None:
        assert keys.focus() is dialog.forum_combo
        keys.press(Key.Key_Down)  # the one forum
        assert dialog.forum_combo.currentText() == "Rugby: Rugby Locality Forum (Locality forum)"
        assert dialog.date_edit.text() == "20/03/2025"  # the 3rd Thursday
        assert (dialog.start_edit.text(), dialog.end_edit.text()) == ("18:30", "20:30")
        assert dialog.venue_edit.text() == "Benn Hall"
        assert dialog.usual_hint.text() == (
            "Usually 3rd Thursday of the month, 18:30 to 20:30. "
            "The agenda starts with its 3 standing items."
        )
        shot("04-new-meeting")
        keys.alt("d")
        keys.replace("20/02/2025")
        keys.press(Key.Key_Return, CTRL)  # Save

    keys.dialogs(lambda: keys.ctrl("n"), new_meeting)
    page = window.meetings
    editor = page.editor
    assert page.stack.currentWidget() is editor
    assert "Rugby Locality Forum" in editor.title_label.text()
    assert "20/02/2025 — Planned" in editor.title_label.text()
    assert _agenda(editor) == ["Welcome and introductions", "Apologies", "Matters arising"]
    february = editor.meeting_id

    def new_person(
        picture: str, *, named_in_minutes: bool, category: str = ""
    ) -> Callable[[QDialog], None]:
        def answer(dialog: QDialog) -> None:
            assert dialog.windowTitle() == "New participant"
            assert keys.focus() is dialog.name_edit  # the name typed in the register
            assert dialog.locality_combo.currentText() == "Rugby"
            if category:
                keys.alt("g")
                keys.type(category)
            if named_in_minutes:
                keys.alt("m")  # Consent to be named in minutes
                wait_until(dialog.minutes_check.isChecked, "the consent ticked")
            shot(picture)
            keys.press(Key.Key_Return, CTRL)  # Save

        return answer

    def mark_held(picture: str, day: str) -> Callable[[QDialog], None]:
        def answer(box: QDialog) -> None:
            assert box.windowTitle() == "Mark the meeting held?"
            assert box.text().startswith(f"This meeting was on {day} and is still marked planned.")
            shot(picture)
            keys.tab_to_button("Mark held")  # Cancel is the default
            keys.press(Key.Key_Space)

        return answer

    keys.alt("t")  # the Register tab
    assert editor.tabs.currentWidget() is editor.register_tab
    keys.alt("i")  # Find a person
    assert keys.focus() is editor.find_edit
    keys.type("Ann Jones")
    keys.dialogs(
        lambda: keys.press(Key.Key_Return),
        new_person("05-new-person-ann", named_in_minutes=True),
        mark_held("06-mark-held-february", "20/02/2025"),
    )
    assert keys.focus() is editor.find_edit
    keys.type("Bob Hale")
    keys.dialogs(
        lambda: keys.press(Key.Key_Return),
        new_person("07-new-person-bob", named_in_minutes=False),
    )
    assert "Present: 2" in editor.register_counts.text()
    assert "20/02/2025 — Held" in editor.title_label.text()
    shot("08-last-month-register")

    # 4. Plan this month's meeting from last month's (Alt+N): the usual day, venue and standing
    #    items; then two agenda items of my own.
    keys.alt("n")  # Plan next meeting
    wait_until(lambda: "20/03/2025" in editor.title_label.text(), "the next meeting to open")
    assert "20/03/2025 — Planned" in editor.title_label.text()
    assert editor.meeting_id not in (None, february)
    keys.alt("g")  # the Agenda tab
    keys.alt("w")  # New item
    assert keys.focus() is editor.agenda_new_edit
    for title in ("Crisis line waiting times", "Car parking at the Benn Hall"):
        keys.type(title)
        keys.press(Key.Key_Return)
        wait_until(lambda: not editor.agenda_new_edit.text(), f"“{title}” added")
    assert _agenda(editor) == [
        "Welcome and introductions",
        "Apologies",
        "Matters arising",
        "Crisis line waiting times",
        "Car parking at the Benn Hall",
    ]
    assert editor.agenda_tab.agenda_feedback.text() == (
        "Item 5, “Car parking at the Benn Hall”, added. Ctrl+Z in the list undoes it."
    )
    shot("09-agenda")

    # 5. Print the agenda and the sign-in sheet as PDFs (File > Print, Ctrl+P).
    def save_as(path: Path, picture: str) -> Callable[[QDialog], None]:
        def answer(chooser: QDialog) -> None:
            assert chooser.windowTitle() == "Save as PDF"
            shot(picture)
            keys.replace(str(path))  # the file name box has the focus
            keys.press(Key.Key_Return)

        return answer

    def saved(picture: str) -> Callable[[QDialog], None]:
        def answer(box: QDialog) -> None:
            assert box.windowTitle() == "Saved"
            assert "Open it now?" in box.text()
            shot(picture)
            keys.press(Key.Key_Escape)  # Close: not now

        return answer

    def print_papers(chooser: QDialog) -> None:
        assert chooser.windowTitle().startswith("Print - ")
        assert chooser.agenda_radio.isChecked()  # a planned meeting: its agenda first
        shot("10-print-agenda")
        walked.agenda_pdf = folder / "agenda.pdf"
        keys.dialogs(
            lambda: keys.alt("d"),
            save_as(walked.agenda_pdf, "11-save-agenda"),
            saved("12-saved-agenda"),
        )
        keys.alt("s")  # the sign-in sheet
        wait_until(chooser.sign_in_radio.isChecked, "the sign-in sheet chosen")
        walked.sign_in_pdf = folder / "sign-in.pdf"
        keys.dialogs(
            lambda: keys.alt("d"),
            save_as(walked.sign_in_pdf, "13-save-sign-in"),
            saved("14-saved-sign-in"),
        )
        keys.press(Key.Key_Escape)  # Close

    keys.dialogs(lambda: keys.ctrl("p"), print_papers)
    agenda = pdf_text(walked.agenda_pdf)
    for line in ("Agenda", "Rugby Locality Forum", "Thursday 20 March 2025", "Benn Hall"):
        assert line in agenda, line
    assert "4. Crisis line waiting times" in agenda
    assert "5. Car parking at the Benn Hall" in agenda
    sheet = pdf_text(walked.sign_in_pdf)
    assert "Sign-in sheet: Rugby Locality Forum" in sheet
    # The regulars are pre-filled, but only Ann agreed to be named: Bob gets a blank row.
    assert "Ann Jones" in sheet and "Bob" not in sheet

    # 6. After the forum, the same evening, from the paper: the regulars wait on the register
    #    as expected; a few letters and Enter marks one, P the other; a new face is added from
    #    the register; two people would rather not be named.
    keys.alt("t")
    assert _register(editor) == [
        ("Ann Jones", "Expected (not yet marked)"),
        ("Bob Hale", "Expected (not yet marked)"),
    ]
    shot("15-register-expected")
    keys.alt("i")
    keys.type("An")
    assert editor.suggestions.currentItem().text().startswith("Ann Jones")
    keys.dialogs(lambda: keys.press(Key.Key_Return), mark_held("16-mark-held", "20/03/2025"))
    assert "20/03/2025 — Held" in editor.title_label.text()
    keys.tab_to(lambda w: w is editor.register_table, "the register")
    keys.press(Key.Key_Down)  # Bob, still expected
    keys.type("p")
    assert _register(editor) == [("Ann Jones", "✓ Present"), ("Bob Hale", "✓ Present")]
    keys.alt("i")
    keys.type("Priya Shah")
    assert editor.suggestions.count() == 0
    keys.dialogs(
        lambda: keys.press(Key.Key_Return),
        new_person("17-new-person-priya", named_in_minutes=True, category="Carer"),
    )
    keys.alt("u")  # Unnamed attendees: the first count, service users
    assert keys.focus().accessibleName() == "Unnamed service user count"
    keys.type("2")
    keys.press(Key.Key_Return)
    wait_until(lambda: "Unnamed: 2" in editor.register_counts.text(), "the unnamed count saved")
    assert editor.register_counts.text().startswith("Present: 3   Apologies: 0   Absent: 0")
    assert ("Priya Shah", "✓ Present") in _register(editor)
    shot("18-register")

    # 7. Payments: offered to everyone present in one step, then all marked paid.
    keys.alt("y")
    keys.tab_to_button("Offer to everyone present")
    keys.press(Key.Key_Space)
    wait_until(lambda: editor.payments_model.rowCount() == 3, "the payments offered")
    keys.alt("p")  # All offered paid
    wait_until(
        lambda: all(p.status.value == "paid" for p in editor.payments_model.rows()),
        "the payments marked paid",
    )
    assert sorted(p.name for p in editor.payments_model.rows()) == [
        "Ann Jones",
        "Bob Hale",
        "Priya Shah",
    ]
    assert all(p.amount_pence == 2500 for p in editor.payments_model.rows())
    shot("19-payments")

    # 8. Minutes: what was said and decided at an agenda item, and an action agreed.
    keys.alt("g")
    keys.tab_to(lambda w: w is editor.agenda_table, "the agenda list")
    assert editor.item_title_edit.text() == "Car parking at the Benn Hall"  # the last added
    keys.press(Key.Key_Up)
    assert editor.item_title_edit.text() == "Crisis line waiting times"
    keys.alt("u")  # Discussion
    keys.type("People waited over an hour for the crisis line at night.")
    keys.alt("s")  # Decisions
    keys.type("Ask the crisis team to come to the May forum.")
    keys.press(Key.Key_Tab)  # leaving the box saves it
    wait_until(lambda: not editor.agenda_dirty(), "the minutes saved")
    shot("20-minutes")

    def raise_action(dialog: QDialog) -> None:
        assert dialog.windowTitle() == "Raise an action"
        keys.type("Invite the crisis team manager to the May forum")
        keys.alt("o")
        keys.type("Siân Evans")
        keys.alt("u")
        keys.type("15/05/2025")
        shot("21-action")
        keys.press(Key.Key_Return, CTRL)

    keys.alt("c")  # the Actions tab
    keys.dialogs(lambda: keys.alt("s"), raise_action)
    assert editor.actions_model.rowCount() == 1
    assert editor.actions_model.row_at(0).title == "Invite the crisis team manager to the May forum"

    # 9. The month's return, from the Returns page (View > Returns, Ctrl+7).
    keys.ctrl(Key.Key_7)
    returns = window.returns
    assert window.pages.currentWidget() is returns
    if returns.month().first != FORUM_DAY.replace(day=1):  # last month is offered first
        keys.alt("n")  # Next month
        wait_until(lambda: returns.month().first == FORUM_DAY.replace(day=1), "March chosen")
    figures = dict(returns.figure_rows())
    assert figures["Meetings held"] == 1
    assert figures["Attendances"] == 5  # three named present and two unnamed
    assert figures["New participants"] == 1  # Priya: Ann and Bob came in February
    shot("22-returns")

    def save_return(chooser: QDialog) -> None:
        assert chooser.windowTitle() == "Save the monthly return"
        keys.replace(str(walked.return_xlsx))
        keys.press(Key.Key_Return)

    walked.return_xlsx = folder / "return.xlsx"
    keys.dialogs(lambda: keys.alt("x"), save_return)
    wait_until(lambda: returns.export_status.text().startswith("Saved"), "the return saved")
    assert returns.export_status.text() == f"Saved return.xlsx in {folder}."
    shot("23-return-saved")

    # 10. Home (View > Home, Ctrl+1) has the month so far, and nothing planned yet.
    keys.ctrl(Key.Key_1)
    assert window.pages.currentWidget() is home
    month = {
        home.month_form.itemAt(r, home.month_form.ItemRole.LabelRole)
        .widget()
        .text(): home.month_form.itemAt(r, home.month_form.ItemRole.FieldRole).widget().text()
        for r in range(home.month_form.rowCount())
    }
    assert (month["Meetings held"], month["Attendances"], month["New participants"]) == (
        "1",
        "5",
        "1",
    )
    shot("24-home-after")
    return walked


def _agenda(editor) -> list[str]:
    model = editor.agenda_model
    return [model.row_at(row).title for row in range(model.rowCount())]


def _register(editor) -> list[tuple[str, str]]:
    model = editor.register_model
    return [(model.row_at(r).name, model.index(r, 2).data()) for r in range(model.rowCount())]


def _forum(ctx):
    from coordinator_app.core.meetings import list_forums

    (forum,) = list_forums(ctx.db)
    return forum


# --- the test -----------------------------------------------------------------------------------


def _check_the_database(ctx) -> None:
    """What the keys left in the database: two held meetings, March's register, unnamed
    counts, payments, minutes and action."""
    from coordinator_app.core import actions, meetings
    from coordinator_app.core.vocab import Category

    rows = sorted(meetings.list_meetings(ctx.db), key=lambda m: m.meeting_date)
    assert [(m.reference, m.meeting_date, m.status.value) for m in rows] == [
        ("RUG-2502", date(2025, 2, 20), "held"),
        ("RUG-2503", FORUM_DAY, "held"),
    ]
    march = meetings.get_meeting(ctx.db, rows[1].id)
    assert (march.venue, march.start_time, march.end_time) == (
        "Benn Hall",
        time(18, 30),
        time(20, 30),
    )
    assert sorted((r.name, r.category.value, r.status.value) for r in march.register) == [
        ("Ann Jones", "service_user", "present"),
        ("Bob Hale", "service_user", "present"),
        ("Priya Shah", "carer", "present"),
    ]
    assert march.unnamed == {Category.SERVICE_USER: 2}
    assert sorted((p.name, p.status.value, p.amount_pence, p.paid_on) for p in march.payments) == [
        ("Ann Jones", "paid", 2500, FORUM_DAY),
        ("Bob Hale", "paid", 2500, FORUM_DAY),
        ("Priya Shah", "paid", 2500, FORUM_DAY),
    ]
    item = next(i for i in march.agenda if i.title == "Crisis line waiting times")
    assert item.discussion == "People waited over an hour for the crisis line at night."
    assert item.decisions == "Ask the crisis team to come to the May forum."
    (action,) = actions.list_actions(ctx.db, meeting_id=march.id)
    assert (action.title, action.owner, action.due_on, action.status.value) == (
        "Invite the crisis team manager to the May forum",
        "Siân Evans",
        date(2025, 5, 15),
        "open",
    )


def _check_the_return(path: Path | None) -> None:
    """The workbook the engagement group gets: March's figures as docs/monthly-return.md and
    docs/counting-rules.md count them, and nobody's name."""
    from openpyxl import load_workbook

    assert path is not None
    book = load_workbook(path, read_only=True)
    assert book.sheetnames[:3] == ["Return", "Summary", "Meetings"]
    fields = {row[0]: row[1] for row in book["Return"].iter_rows(min_row=2, values_only=True)}
    assert fields["Trust"] == "Arden Valley Partnership NHS Foundation Trust"
    assert (fields["Locality"], fields["Month"]) == ("Rugby", "2025-03")
    assert fields["Prepared by"] == "Siân Evans"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    # Attendances: named participants present plus the unnamed counts (counting-rules.md).
    assert summary["Attendances"] == 5
    assert summary["Attendances - service users"] == 4  # Ann, Bob and the two unnamed
    assert summary["Attendances - carers"] == 1  # Priya
    assert summary["Distinct named participants"] == 3
    assert summary["New participants"] == 1  # Ann and Bob were present in February
    assert summary["Meetings held"] == 1  # February's is another month's
    assert summary["Involvement payments"] == 3
    assert summary["Involvement payments (GBP)"] == 75
    assert summary["Actions raised"] == 1
    assert summary["Actions open at month end"] == 1
    meetings = list(book["Meetings"].iter_rows(min_row=2, values_only=True))
    assert [(m[1], m[3], m[4]) for m in meetings] == [("Rugby Locality Forum", "Held", 5)]
    text = " ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "Invite the crisis team manager to the May forum" in text
    for name in ("Ann", "Jones", "Bob", "Hale", "Priya", "Shah"):
        assert name not in text, f"{name} is in the return"


@pytest.fixture
def fresh_settings(qapp, tmp_path):
    """QSettings of the test's own: no window size, page or folder remembered from elsewhere."""
    from PySide6.QtCore import QCoreApplication

    org, name = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("Involvement Coordinator Tests")
    QCoreApplication.setApplicationName("First day journey")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield
    QCoreApplication.setOrganizationName(org)
    QCoreApplication.setApplicationName(name)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"]
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_first_day_by_keyboard_alone(
    qtbot, qapp, tmp_path, empty_db_target, fresh_settings, monkeypatch
) -> None:
    """Issue #22's "Done when", offscreen; ``tests/tools/walk_first_day.py`` walks it on a
    1366×768 X display and takes its pictures."""
    from coordinator_app.core.db import open_database
    from coordinator_app.ui import dialog_sizes
    from coordinator_app.ui.context import AppContext
    from coordinator_app.ui.main_window import MainWindow

    for (module, name), real in REAL_QUESTIONS.items():
        monkeypatch.setattr(module, name, real)
    # Dialogs size themselves (``dialog_sizes.Dialog``), in a file of this test's own.
    monkeypatch.setattr(
        dialog_sizes,
        "store_override",
        QSettings(str(tmp_path / "sizes.ini"), QSettings.Format.IniFormat),
    )
    db = open_database(empty_db_target)  # a new file (or an empty server database): no data
    try:
        ctx = AppContext(db=db, today_override=FORUM_DAY)
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(LAPTOP)
        with qtbot.waitActive(window):
            window.show()
        keys = Keyboard()
        out = tmp_path / "saved"
        out.mkdir()
        walked = first_day(keys, window, ctx, out)
        _check_the_database(ctx)
        _check_the_return(walked.return_xlsx)
        # Every dialog on the way was answered by keyboard and fitted the laptop.
        assert [title for title, _size, _needs in keys.dialogs_seen] == [
            "Welcome to Involvement Coordinator",
            "Organisation",
            "New meeting",
            "New participant",
            "Mark the meeting held?",
            "New participant",
            "Print - RUG-2503",
            "Save as PDF",
            "Saved",
            "Save as PDF",
            "Saved",
            "Mark the meeting held?",
            "New participant",
            "Raise an action",
            "Save the monthly return",
        ]
    finally:
        db.dispose()
