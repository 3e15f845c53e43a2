"""The action tracker: filters that combine with counts beside them, overdue in words and by icon,
sorting, the action editor (bad input at the field, closing with an outcome, reopening, progress,
the source), strategic priorities and "Email owners"."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from coordinator_app.core import actions, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import ActionLevel, ActionStatus, MeetingStatus
from coordinator_app.ui.focus import ERROR_COLOUR

TODAY = date(2025, 3, 20)  # the ``ctx`` fixture's today


def raise_(db, locality_id, **kw) -> uuid.UUID:
    values = {"title": "Publish waiting times", "owner": "Zoë O'Neill", "raised_on": TODAY}
    meeting_id = kw.pop("meeting_id", None)
    outcome = kw.pop("outcome", "")
    values.update(kw)
    return actions.raise_action(
        db,
        locality_id=locality_id,
        data=ActionInput(**values),
        meeting_id=meeting_id,
        outcome=outcome,
        today=TODAY,
    )


@pytest.fixture
def some(db, place) -> dict[str, uuid.UUID]:
    """Five actions: overdue, due this week, later, completed (Rugby) and one in Coventry."""
    early = TODAY - timedelta(days=30)
    return {
        "overdue": raise_(
            db,
            place.locality_id,
            title="Fix the ramp",
            raised_on=early,
            due_on=TODAY - timedelta(days=5),
            level=ActionLevel.TEAM_WARD,
        ),
        "soon": raise_(
            db, place.locality_id, title="Order leaflets", owner="Siân Evans", due_on=TODAY
        ),
        "later": raise_(
            db,
            place.locality_id,
            title="Book the hall",
            owner="Ahmed Khan",
            due_on=TODAY + timedelta(days=30),
        ),
        "done": raise_(
            db,
            place.locality_id,
            title="Publish minutes online",
            raised_on=early,
            status=ActionStatus.COMPLETED,
            outcome="Minutes are on the website",
        ),
        "coventry": raise_(
            db,
            place.other_locality_id,
            title="Visit the ward",
            raised_on=early,
            due_on=TODAY - timedelta(days=1),
        ),
    }


@pytest.fixture
def page(qtbot, ctx, some):
    from coordinator_app.ui.views.actions import ActionsPage

    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    return widget


def shown_titles(page) -> list[str]:
    return sorted(r.title for r in page.proxy.shown_rows())


def choose(combo, text_start: str) -> None:
    for i in range(combo.count()):
        if combo.itemText(i).startswith(text_start):
            combo.setCurrentIndex(i)
            return
    raise AssertionError(
        f"no {text_start!r} in {[combo.itemText(i) for i in range(combo.count())]}"
    )


def heard(control) -> str:
    """The name a screen reader is given (WCAG 2.5.3: it starts with what is shown)."""
    from PySide6.QtGui import QAccessible

    return QAccessible.queryAccessibleInterface(control).text(QAccessible.Text.Name)


# --- the models ------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester, page) -> None:
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    page.overdue_check.setChecked(True)
    qtmodeltester.check(page.proxy)
    page.text_filter.setText("nothing matches this")
    qtmodeltester.check(page.proxy)


# --- filters ------------------------------------------------------------------------------------


def test_filters_combine_and_show_counts(page, place) -> None:
    assert page.count_label.text() == "Showing 5 of 5 actions"
    assert page.status_combo.itemText(0) == "Any status (5)"
    assert page.overdue_check.text() == "Over&due now (2)"
    assert page.due_soon_check.text() == "Due this wee&k (1)"

    choose(page.locality_combo, "Rugby")
    assert shown_titles(page) == [
        "Book the hall",
        "Fix the ramp",
        "Order leaflets",
        "Publish minutes online",
    ]
    # Counts beside the other filters now count within Rugby; a list counts its choices as it
    # opens.
    assert page.overdue_check.text() == "Over&due now (1)"
    assert heard(page.overdue_check) == "Overdue now (1)"  # the count heard, in step
    assert heard(page.due_soon_check).startswith("Due this week (")
    assert page.locality_combo.currentText() == "Rugby (4)"
    page.status_combo.showPopup()
    page.status_combo.hidePopup()
    assert page.status_combo.itemText(1) == "Open now (open or in progress) (3)"
    assert page.status_combo.itemText(4) == "Completed (1)"
    # The locality's own counts ignore the locality chosen.
    page.update_choice_counts(page.locality_combo)
    assert page.locality_combo.itemText(0) == "All localities (5)"
    assert any(
        page.locality_combo.itemText(i) == "Coventry (1)"
        for i in range(page.locality_combo.count())
    )

    choose(page.status_combo, "Open now")
    assert shown_titles(page) == ["Book the hall", "Fix the ramp", "Order leaflets"]
    page.update_choice_counts(page.owner_combo)
    owners = [page.owner_combo.itemText(i) for i in range(page.owner_combo.count())]
    assert owners == [
        "Any owner (3)",
        "No owner (0)",
        "Ahmed Khan (1)",
        "Siân Evans (1)",
        "Zoë O'Neill (1)",
    ]
    page.overdue_check.setChecked(True)
    assert shown_titles(page) == ["Fix the ramp"]
    page.overdue_check.setChecked(False)
    page.due_soon_check.setChecked(True)
    assert shown_titles(page) == ["Order leaflets"]
    page.due_soon_check.setChecked(False)

    choose(page.owner_combo, "Siân Evans")
    assert shown_titles(page) == ["Order leaflets"]
    choose(page.owner_combo, "Any owner")
    choose(page.level_combo, "Team/ward")
    assert shown_titles(page) == ["Fix the ramp"]
    page.clear_filters()
    assert page.proxy.rowCount() == 5


def test_free_text_is_forgiving_and_narrows_as_you_type(page, type_text) -> None:
    type_text(page.text_filter, "zoe")
    assert shown_titles(page) == [
        "Fix the ramp",
        "Publish minutes online",
        "Visit the ward",
    ]
    type_text(page.text_filter, " oneill fix")
    assert shown_titles(page) == ["Fix the ramp"]
    page.text_filter.clear()
    type_text(page.text_filter, "RUG-A")
    assert page.proxy.rowCount() == 4
    assert page.count_label.text() == "Showing 4 of 5 actions"


def test_due_date_range_and_a_bad_date_said_at_the_field(page) -> None:
    page.from_edit.setText(f"{TODAY:%d/%m/%Y}")
    page.from_edit.editingFinished.emit()
    assert shown_titles(page) == ["Book the hall", "Order leaflets"]
    page.to_edit.setText(f"{TODAY:%d/%m/%Y}")
    page.to_edit.editingFinished.emit()
    assert shown_titles(page) == ["Order leaflets"]
    page.to_edit.setText("31/02/2025")
    page.to_edit.editingFinished.emit()
    assert page.filter_errors.message("due_to").startswith("'31/02/2025' is not a date")


def test_overdue_is_shown_in_words_by_icon_and_colour(page, some) -> None:
    from coordinator_app.ui.models.actions import COL_DUE, COL_STATUS

    page.overdue_check.setChecked(True)
    row = [r.id for r in page.proxy.shown_rows()].index(some["overdue"])
    index = page.proxy.index(row, COL_STATUS)
    assert index.data() == "Overdue 5 days · Open"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert page.proxy.index(row, COL_DUE).data(Qt.ItemDataRole.ForegroundRole) is not None
    page.overdue_check.setChecked(False)
    page.due_soon_check.setChecked(True)
    assert page.proxy.index(0, COL_STATUS).data() == "Due this week · Open"
    assert page.proxy.index(0, COL_STATUS).data(Qt.ItemDataRole.DecorationRole) is None


def test_sorting_on_any_column(page) -> None:
    from coordinator_app.ui.models.actions import COL_DUE, COL_OWNER, COL_TITLE

    page.table.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert page.proxy.shown_rows()[0].title == "Book the hall"
    page.table.sortByColumn(COL_OWNER, Qt.SortOrder.DescendingOrder)
    assert page.proxy.shown_rows()[0].owner == "Zoë O'Neill"
    choose(page.locality_combo, "Rugby")
    page.table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
    # Sorting keeps the filter; an action with no due date sorts last.
    assert [r.title for r in page.proxy.shown_rows()] == [
        "Fix the ramp",
        "Order leaflets",
        "Book the hall",
        "Publish minutes online",
    ]


def test_every_control_has_an_accessible_name(page, unnamed_controls) -> None:
    assert unnamed_controls(page) == []


# --- the editor ---------------------------------------------------------------------------------


@pytest.fixture
def editor(qtbot, ctx, some):
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    def make(action_id=None, **kw):
        dialog = ActionEditor(ctx, action_id, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def test_bad_input_is_said_at_the_field_and_nothing_is_saved(db, editor, some, type_text) -> None:
    before = actions.get_action(db, some["later"], TODAY)
    dialog = editor(some["later"])
    dialog.title_edit.clear()
    dialog.owner_edit.setText("x" * 121)
    dialog.due_edit.set_value(TODAY - timedelta(days=1))  # before the raised date
    assert dialog.try_save() is False
    assert dialog.errors.message("title") == "Say what the action is."
    assert dialog.errors.message("owner") == "Owner can be at most 120 characters (this is 121)."
    assert dialog.errors.message("due_on") == (
        "The due date cannot be before the date it was raised."
    )
    assert actions.get_action(db, some["later"], TODAY) == before

    dialog.title_edit.setText("Book the Benn Hall")
    dialog.owner_edit.setText("x" * 120)  # the boundary passes
    dialog.due_edit.set_value(TODAY)
    dialog.raised_edit.setText("not a date")
    assert dialog.try_save() is False
    assert dialog.errors.message("raised_on").startswith("'not a date' is not a date")
    dialog.raised_edit.set_value(TODAY)
    assert dialog.try_save() is True
    saved = actions.get_action(db, some["later"], TODAY)
    assert (saved.title, saved.owner, saved.due_on) == ("Book the Benn Hall", "x" * 120, TODAY)


def test_closing_asks_for_the_outcome_and_reopening_clears_the_date(
    db, editor, some, type_text
) -> None:
    dialog = editor(some["later"])
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Completed"))
    # Choosing a closed status says at once that the outcome is needed.
    assert "'we did'" in dialog.errors.message("outcome")
    assert dialog.closed_edit.isEnabled() and dialog.closed_edit.value() == TODAY
    assert dialog.try_save() is False
    assert actions.get_action(db, some["later"], TODAY).status is ActionStatus.OPEN

    type_text(dialog.outcome_edit, "Hall booked for Zoë's group")
    assert dialog.try_save() is True
    row = actions.get_action(db, some["later"], TODAY)
    assert (row.status, row.closed_on, row.outcome) == (
        ActionStatus.COMPLETED,
        TODAY,
        "Hall booked for Zoë's group",
    )

    reopen = editor(some["later"])
    assert reopen.closed_edit.value() == TODAY
    reopen.status_combo.setCurrentIndex(reopen.status_combo.findText("In progress"))
    assert not reopen.closed_edit.isEnabled() and reopen.closed_edit.value() is None
    assert reopen.try_save() is True
    row = actions.get_action(db, some["later"], TODAY)
    assert (row.status, row.closed_on) == (ActionStatus.IN_PROGRESS, None)


def test_progress_notes_are_dated_and_kept_in_order(db, editor, some, type_text) -> None:
    dialog = editor(some["overdue"])
    assert dialog.log_list.item(0).text() == "No progress noted yet."
    assert dialog.add_note() is False
    assert dialog.errors.message("note") == "Write the progress note first."
    type_text(dialog.note_edit, "Estates say next week")
    assert dialog.add_note() is True
    assert dialog.log_list.item(0).text() == f"{TODAY:%d/%m/%Y}  Estates say next week"
    assert dialog.note_edit.text() == ""
    assert [p.note for p in actions.progress_log(db, some["overdue"])] == ["Estates say next week"]


def test_new_action_needs_a_locality_and_a_retired_priority_is_not_offered(
    db, editor, place
) -> None:
    care = next(p for p in actions.list_priorities(db) if p.name == "Our care")
    actions.retire_priority(db, care.id)
    dialog = editor()
    texts = [dialog.priority_combo.itemText(i) for i in range(dialog.priority_combo.count())]
    assert "Our care" not in texts and "Our care (retired)" not in texts
    dialog.title_edit.setText("Invite the pharmacist")
    assert dialog.try_save() is False
    assert dialog.errors.message("locality") == "Choose the locality the action belongs to."
    dialog.locality_combo.setCurrentIndex(dialog.locality_combo.findText("Coventry"))
    assert dialog.try_save() is True
    row = actions.get_action(db, dialog.result_value, TODAY)
    assert (row.locality_name, row.raised_on, row.reference) == ("Coventry", TODAY, "COV-A2")


def test_an_old_action_keeps_its_retired_priority(db, editor, place) -> None:
    care = next(p for p in actions.list_priorities(db) if p.name == "Our care")
    aid = raise_(db, place.locality_id, strategic_priority_id=care.id)
    actions.retire_priority(db, care.id)
    dialog = editor(aid)
    assert dialog.priority_combo.currentText() == "Our care (retired)"
    dialog.title_edit.setText("Publish waiting times monthly")
    assert dialog.try_save() is True
    assert actions.get_action(db, aid, TODAY).priority_name == "Our care"


def test_the_source_is_shown_and_opens(qtbot, db, ctx, page, place, monkeypatch) -> None:
    from coordinator_app.ui.dialogs import action_editor
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    meeting = meetings.create_meeting(
        db, MeetingInput(place.forum_id, date(2025, 3, 12), status=MeetingStatus.HELD)
    )
    aid = raise_(db, place.locality_id, meeting_id=meeting)
    dialog = ActionEditor(ctx, aid)
    qtbot.addWidget(dialog)
    assert len(dialog.source_buttons) == 1
    assert "Rugby Locality Forum" in dialog.source_buttons[0].accessibleName()
    with qtbot.waitSignal(dialog.sourceRequested) as signal:
        dialog.source_buttons[0].click()
    assert signal.args[0].meeting_id == meeting
    assert dialog.source_chosen is not None

    # The page passes the request to the shell after the editor has closed.
    source = dialog.source_chosen
    monkeypatch.setattr(
        action_editor.ActionEditor, "ask", classmethod(lambda cls, *a, **k: (None, source))
    )
    with qtbot.waitSignal(page.openMeeting) as opened:
        page.open_action(aid)
    assert opened.args == [meeting]


def test_an_edit_updates_its_row_in_place(qtbot, db, ctx, page, some, place) -> None:
    before = page.model.rowCount()
    actions.update_action(
        db,
        some["soon"],
        ActionInput(title="Order leaflets in Polish", owner="Siân Evans", raised_on=TODAY),
        today=TODAY,
    )
    ctx.events.actionsChanged.emit(str(some["soon"]))
    assert page.model.rowCount() == before
    assert "Order leaflets in Polish" in [r.title for r in page.model.rows()]
    # A new action reloads the list (in the background).
    new = raise_(db, place.locality_id, title="Brand new")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit(str(new))
    assert page.model.rowCount() == before + 1


def test_a_new_action_is_selected_once_the_list_has_reloaded(qtbot, db, ctx, page, some, place):
    page.selection.select(some["later"])
    new = raise_(db, place.locality_id, title="Brand new")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit(str(new))  # what the editor's save sends
    assert page.selection.current() == new


def test_a_row_the_user_picks_while_the_list_loads_stays_picked(qtbot, ctx, page, some) -> None:
    page.selection.select(some["overdue"])  # raised earliest: not the top row
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()  # the whole list is read again in the background...
        page.table.select_row(0)  # ...while the user picks the top row
        picked = page.proxy.row_at(0).id
    assert picked != some["overdue"]
    assert page.selection.current() == picked


def test_a_row_selected_by_code_is_kept_over_an_earlier_wish_for_a_hidden_row(
    qtbot, db, ctx, page, some, place, monkeypatch
) -> None:
    from coordinator_app.ui.dialogs.action_editor import ActionEditor

    page.overdue_check.setChecked(True)
    hidden = raise_(db, place.locality_id, title="Not overdue", due_on=TODAY + timedelta(days=9))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit(str(hidden))  # new, but the filter hides it
    monkeypatch.setattr(ActionEditor, "ask", classmethod(lambda cls, *a, **k: (None, None)))
    page.open_action(some["coventry"])  # from Home, say: selected by code
    assert page.selection.current() == some["coventry"]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    # The hidden action, asked for earlier, no longer wins (it left nothing selected).
    assert page.selection.current() == some["coventry"]


# --- strategic priorities ----------------------------------------------------------------------


def test_priorities_dialog_names_orders_and_retires(qtbot, db, ctx, place, type_text) -> None:
    from coordinator_app.ui.dialogs.priorities_dialog import PrioritiesDialog

    dialog = PrioritiesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.names()[0] == "Our care"
    with qtbot.waitSignal(ctx.events.settingsChanged):
        type_text(dialog.name_edit, "Our communities")
        assert dialog.add() is True
    assert dialog.names()[-1] == "Our communities"
    type_text(dialog.name_edit, "our care")
    assert dialog.add() is False
    assert dialog.errors.message("name") == "There is already a priority called Our care."

    dialog.select_name("Our communities")
    assert dialog.move_priority(-1) is True
    assert dialog.names()[-2:] == ["Our communities", "Our partnerships"]
    dialog.name_edit.setText("Our places")
    assert dialog.rename() is True
    assert dialog.toggle_retired() is True
    assert "Our places (retired)" in dialog.names()
    assert dialog.retire_button.text() == "&Restore"
    assert "Our places" not in [p.name for p in actions.list_priorities(db)]
    assert dialog.toggle_retired() is True
    assert "Our places" in [p.name for p in actions.list_priorities(db)]


# --- email owners -------------------------------------------------------------------------------


def test_email_owners_opens_drafts_or_saves_eml_files(
    qtbot, ctx, some, monkeypatch, tmp_path: Path
) -> None:
    from coordinator_app.core import staff
    from coordinator_app.ui.dialogs import email_owners
    from coordinator_app.ui.dialogs.email_owners import EmailOwnersDialog

    staff.save_staff(ctx.db, "Siân Evans", "sian@nhs.example")  # on the staff list (#29)
    dialog = EmailOwnersDialog(ctx)
    qtbot.addWidget(dialog)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        "Ahmed Khan (no address): 1 open",
        "Siân Evans (to sian@nhs.example): 1 open",
        "Zoë O'Neill (no address): 2 open, 2 overdue",
    ]
    opened: list[str] = []
    monkeypatch.setattr(email_owners, "open_url", lambda url: opened.append(url) or True)
    assert dialog.open_drafts() == 3
    assert [url.split("?")[0] for url in opened] == [
        "mailto:",
        "mailto:sian@nhs.example",
        "mailto:",
    ]

    monkeypatch.setattr(email_owners, "open_url", lambda url: False)
    assert dialog.open_drafts() == 0
    assert "No mail program answered" in dialog.message.text()

    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    folder = tmp_path / "drafts"
    folder.mkdir()
    monkeypatch.setattr(email_owners, "choose_folder", lambda parent: str(folder))
    assert dialog.save_drafts() == 2
    assert sorted(p.name for p in folder.iterdir()) == [
        "Actions for Siân Evans.eml",
        "Actions for Zoë O Neill.eml",
    ]
    assert b"To: sian@nhs.example" in (folder / "Actions for Siân Evans.eml").read_bytes()
    monkeypatch.setattr(email_owners, "choose_folder", lambda parent: "")
    assert dialog.save_drafts() == 0  # cancelled: nothing written, nothing said


def test_email_owners_opens_showing_every_owner_whole(qtbot, ctx, some) -> None:
    """At 1366x768 the dialog opened at 399x310: the owners' lines cut, scrolling sideways
    (issue #24's walk). It opens wide enough for the longest line and tall enough for all."""
    from coordinator_app.core import staff
    from coordinator_app.ui.dialogs.email_owners import EmailOwnersDialog

    staff.save_staff(ctx.db, "Siân Evans", "sian.evans@arden-valley-partnership.nhs.example")
    dialog = EmailOwnersDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    owners = dialog.list
    assert owners.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to
    assert owners.verticalScrollBar().maximum() == 0  # every owner shown
    for row in range(owners.count()):
        assert owners.visualItemRect(owners.item(row)).right() <= owners.viewport().width()
        needed = owners.fontMetrics().horizontalAdvance(owners.item(row).text())
        assert needed < owners.viewport().width(), owners.item(row).text()


def test_email_drafts_refused_say_so_in_the_dialog_and_none_are_written(
    qtbot, ctx, some, monkeypatch, tmp_path: Path, questions
) -> None:
    """The folder went between choosing it and saving (a USB stick pulled out): the sentence
    in the dialog's own line, no message, nothing written (issue #20: ``operations.export``'s
    ``on_refused``)."""
    from coordinator_app.core.errors import CoordinatorError
    from coordinator_app.core.files import atomic_write
    from coordinator_app.ui.dialogs import email_owners
    from coordinator_app.ui.dialogs.email_owners import EmailOwnersDialog

    gone = tmp_path / "stick"
    with pytest.raises(CoordinatorError) as refusal:
        atomic_write(gone / "x.eml", lambda temp: None)
    dialog = EmailOwnersDialog(ctx)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(email_owners, "choose_folder", lambda parent: str(gone))
    assert dialog.save_drafts() == 0
    assert dialog.message.text() == f"Error: {refusal.value}"
    assert questions.told == [] and not gone.exists()
    # In the app's one error look (``focus.show_as_error``: red and bold from the palette and
    # the font), not a style sheet of its own.
    assert dialog.message.styleSheet() == ""
    assert dialog.message.palette().color(QPalette.ColorRole.WindowText) == QColor(ERROR_COLOUR)
    assert dialog.message.font().bold()


def test_an_action_done_earlier_is_closed_on_that_day(db, editor, some, type_text) -> None:
    """Issue #22: the closed date was always today, so an action finished in November and
    recorded in December counted in December."""
    dialog = editor(some["overdue"])
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Completed"))
    type_text(dialog.outcome_edit, "Hall booked")
    earlier = TODAY - timedelta(days=5)
    dialog.closed_edit.set_value(TODAY + timedelta(days=1))
    assert dialog.try_save() is False
    assert dialog.errors.message("closed_on") == "The closed date cannot be in the future."
    assert actions.get_action(db, some["overdue"], TODAY).status is ActionStatus.OPEN
    dialog.closed_edit.set_value(earlier)
    assert dialog.try_save() is True
    assert actions.get_action(db, some["overdue"], TODAY).closed_on == earlier


def test_enter_in_the_note_adds_it_and_the_editor_stays_open(db, editor, some, type_text) -> None:
    """Issue #22: Enter in the progress-note box added the note and also closed the editor
    (the dialog's Save took the key too)."""
    dialog = editor(some["overdue"])
    dialog.note_edit.setFocus()
    type_text(dialog.note_edit, "Zoë chased Estates")
    qtbot_key(dialog.note_edit, Qt.Key.Key_Return)
    assert [p.note for p in actions.progress_log(db, some["overdue"])] == ["Zoë chased Estates"]
    assert dialog.isVisible() and dialog.result() == 0


def test_ctrl_enter_saves_from_a_multi_line_box_and_focus_starts_in_the_first_field(
    db, editor, some, type_text
) -> None:
    """Issue #22: multi-line dialogs saved only with Alt+S, and a dialog opened on its Save
    button."""
    dialog = editor(some["later"])
    assert dialog.focusWidget() is dialog.first_field() is dialog.title_edit
    dialog.detail_edit.setFocus()
    type_text(dialog.detail_edit, "Ask for the big room")
    qtbot_key(dialog.detail_edit, Qt.Key.Key_Return)  # a new line, nothing saved
    assert actions.get_action(db, some["later"], TODAY).detail == ""
    assert dialog.isVisible()
    qtbot_key(dialog.detail_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert actions.get_action(db, some["later"], TODAY).detail == "Ask for the big room"
    assert not dialog.isVisible()


def qtbot_key(widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, key, modifiers)


def test_an_action_gone_meanwhile_is_not_opened_and_says_so(
    qtbot, db, ctx, page, monkeypatch
) -> None:
    """Opening an action deleted since the list was read: its sentence titled "Cannot open the
    action", no editor shown (issue #20: through ``operations.read``)."""
    from coordinator_app.core.errors import NotFoundError
    from coordinator_app.ui import widgets

    gone = uuid.uuid4()
    with pytest.raises(NotFoundError) as refusal:
        actions.get_action(db, gone, today=TODAY)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    page.open_action(gone)
    assert told == [("Cannot open the action", str(refusal.value))]


def test_a_changed_row_that_cannot_be_read_now_is_read_with_the_list_and_nothing_said(
    qtbot, db, ctx, page, some, monkeypatch, questions
) -> None:
    """A row changed elsewhere that cannot be read on its own just now (the server away): no
    message; the whole list is read again, which shows the change. An id that is no action's
    is the same."""
    from coordinator_app.core.errors import CoordinatorError
    from coordinator_app.ui.views import actions as actions_view

    actions.update_action(
        db,
        some["soon"],
        ActionInput(title="Order leaflets in Polish", owner="Siân Evans", raised_on=TODAY),
        today=TODAY,
    )
    whole_list = actions_view.actions.tracker_rows

    def away(db_, *, today, action_ids=None, **kw):
        if action_ids is not None:
            raise CoordinatorError("The server cannot be reached.")
        return whole_list(db_, today=today, **kw)

    monkeypatch.setattr(actions_view.actions, "tracker_rows", away)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit(str(some["soon"]))
    assert "Order leaflets in Polish" in [r.title for r in page.model.rows()]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.actionsChanged.emit("not an action's id")
    assert questions.told == []


def test_counts_changing_as_you_type_do_not_lay_the_page_out_again(page, type_text) -> None:
    """The count beside the list and the tick boxes' counts change on every keystroke; the
    page's tabs are not asked to lay out again (a ``QTabWidget`` then repaints every filter and
    the list whole: 5-8 ms of each keystroke with every locality of a trust-wide database)."""
    from PySide6.QtCore import QEvent, QObject

    class Requests(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    type_text(page.text_filter, "x")  # the filter's clear button shown once (it lays out)
    page.text_filter.clear()
    for _ in range(3):
        QApplication.processEvents()
    requests = Requests()
    page.tabs.installEventFilter(requests)
    seen = []
    for text in ("f", "fi", "fix", "", "zoe", "book the", ""):
        page.text_filter.clear()
        type_text(page.text_filter, text)
        for _ in range(3):
            QApplication.processEvents()
        seen.append((page.count_label.text(), page.overdue_check.text()))
    assert ("Showing 1 of 5 actions", "Over&due now (1)") in seen  # "fix": the ramp
    assert len(set(seen)) >= 4  # the counts changed all along
    assert ("Showing 1 of 5 actions", "Over&due now (0)") in seen  # "book the": the hall
    assert requests.count == 0
    page.tabs.removeEventFilter(requests)
