"""Edit > Organisation… (issue #22): a new coordinator adds their forum without a spreadsheet,
renames and retires localities and forums, and changes the welcome's answers, by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from coordinator_app.core import meetings
from coordinator_app.core.rows import list_localities
from coordinator_app.core.settings import complete_first_run, get_settings
from coordinator_app.core.vocab import ForumKind, MeetingFormat
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog
from coordinator_app.ui.dialogs.record_dialog import (
    CANCEL,
    DISCARD,
    SAVE,
    ask_save_discard,
)


def _dialog(qtbot, ctx, tab: int = 0) -> OrganisationDialog:
    dialog = OrganisationDialog(ctx, tab=tab)
    qtbot.addWidget(dialog)
    return dialog


def _welcome(db) -> None:
    complete_first_run(db, trust_name="Test Trust", coordinator_name="Siân", localities=["Rugby"])


def test_a_forum_is_added_from_the_app(qtbot, ctx, db, type_text) -> None:
    """The blocker: after the welcome no screen made a forum, so no meeting could be planned."""
    _welcome(db)
    assert meetings.list_forums(db) == []
    dialog = _dialog(qtbot, ctx, tab=2)
    assert dialog.forum_locality.currentText() == "Rugby (yours)"
    type_text(dialog.forum_name, "Rugby Carers' Forum")
    dialog.forum_kind.setCurrentIndex(dialog.forum_kind.findData(ForumKind.CARERS_FORUM))
    type_text(dialog.forum_venue, "Benn Hall")
    dialog.forum_format.setCurrentIndex(dialog.forum_format.findData(MeetingFormat.HYBRID))
    qtbot.mouseClick(dialog.add_forum_button, Qt.MouseButton.LeftButton)
    (forum,) = meetings.list_forums(db)
    assert (forum.name, forum.kind, forum.default_venue, forum.default_format) == (
        "Rugby Carers' Forum",
        ForumKind.CARERS_FORUM,
        "Benn Hall",
        MeetingFormat.HYBRID,
    )
    assert dialog.forum_list.currentItem().text() == "Rugby Carers' Forum (Carers forum)"


def test_a_refused_forum_name_shows_at_its_box_and_nothing_is_saved(qtbot, ctx, db) -> None:
    _welcome(db)
    dialog = _dialog(qtbot, ctx, tab=2)
    dialog.forum_name.setText("")
    assert dialog.add_forum() is None
    assert meetings.list_forums(db) == []
    assert dialog.forum_errors.has_errors()


def test_localities_are_added_renamed_marked_and_retired(qtbot, ctx, db, questions) -> None:
    _welcome(db)
    dialog = _dialog(qtbot, ctx, tab=1)
    dialog.locality_name.setText("South Warwickshire")
    added = dialog.add_locality()
    assert added is not None
    assert {r.name for r in list_localities(db)} == {"Rugby", "South Warwickshire"}
    dialog.locality_name.setText("South Warwickshire and Stratford")
    assert dialog.rename_locality()
    dialog.toggle_yours()  # added as yours; now not
    dialog.toggle_locality_retired()
    rows = {r.name: r for r in list_localities(db)}
    shown = rows["South Warwickshire and Stratford"]
    assert not shown.coordinated and not shown.active
    assert dialog.locality_list.currentItem().text() == "South Warwickshire and Stratford (retired)"
    assert questions.asked and questions.asked[0].startswith("Retire South Warwickshire")
    dialog.locality_name.setText("rugby")
    assert dialog.add_locality() is None  # refused: there is one already
    assert dialog.locality_errors.has_errors()


def test_the_welcome_answers_can_be_changed_later(qtbot, ctx, db) -> None:
    _welcome(db)
    dialog = _dialog(qtbot, ctx)
    dialog.trust_name.setText("Arden Valley Partnership NHS Foundation Trust")
    dialog.coordinator_name.setText("Seán O'Neill")
    assert dialog.save_trust()
    saved = get_settings(db)
    assert (saved.trust_name, saved.coordinator_name) == (
        "Arden Valley Partnership NHS Foundation Trust",
        "Seán O'Neill",
    )
    dialog.trust_name.setText("")
    assert not dialog.save_trust()
    assert get_settings(db).trust_name == "Arden Valley Partnership NHS Foundation Trust"


def test_the_edit_menu_opens_it(qtbot, ctx, db, monkeypatch) -> None:
    from coordinator_app.ui.main_window import MainWindow

    _welcome(db)
    opened = []
    monkeypatch.setattr(
        OrganisationDialog, "ask", classmethod(lambda cls, c, p, tab=0: opened.append(c))
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.act_organisation.trigger()
    assert opened == [ctx]


def test_a_forums_usual_day_times_and_standing_items_are_set_by_keyboard(
    qtbot, ctx, db, type_text
) -> None:
    """Issue #22 item 1: a forum's usual day, time and standing agenda items had no place."""
    from datetime import time

    from coordinator_app.core.forum_usual import Usual

    _welcome(db)
    dialog = _dialog(qtbot, ctx, tab=2)
    type_text(dialog.forum_name, "Rugby Locality Forum")
    assert not dialog.forum_weekday.isEnabled(), "no usual day: no weekday to choose"
    dialog.forum_week.setCurrentIndex(dialog.forum_week.findData(2))
    assert dialog.forum_weekday.isEnabled()
    dialog.forum_weekday.setCurrentIndex(dialog.forum_weekday.findData(1))
    type_text(dialog.forum_start, "2pm")
    type_text(dialog.forum_end, "16:00")
    dialog.forum_items.setPlainText("Welcome\n\nApologies\n  Service updates  \n")
    assert dialog.add_forum() is not None
    (forum,) = meetings.list_forums(db)
    assert forum.usual == Usual(
        2, 1, time(14), time(16), ("Welcome", "Apologies", "Service updates")
    )

    dialog.forum_end.setText("13:00")  # before the start: refused at the times, nothing saved
    assert dialog.save_forum() is False
    assert "after the start" in dialog.forum_errors._fields["usual_end"][1].text()
    dialog.forum_end.setText("half past")
    assert dialog.save_forum() is False
    assert meetings.list_forums(db)[0].usual == forum.usual

    dialog.forum_end.setText("")
    dialog.forum_week.setCurrentIndex(dialog.forum_week.findData(None))
    assert dialog.save_forum()
    assert meetings.list_forums(db)[0].usual == Usual(
        start=time(14), standing_items=forum.usual.standing_items
    )


def test_alt_d_and_alt_m_reach_the_usual_day_and_times(qtbot, ctx, db) -> None:
    """Issue #22's first-day walk: "Usual &day" and "Usual ti&mes" did nothing, their label's
    buddy (the row holding two boxes) took no focus; Tab still goes box to box."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    _welcome(db)
    meetings.create_forum(
        db,
        locality_id=list_localities(db)[0].id,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
    )
    dialog = _dialog(qtbot, ctx, tab=2)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.forum_name.setFocus()

    def press(key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(QApplication.focusWidget(), key, modifier)

    press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.forum_week
    press(Qt.Key.Key_3)  # 3rd of the month
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.forum_weekday
    press(Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.forum_start
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.forum_end
    assert dialog.forum_week.currentData() == 3


def test_the_rate_and_the_logo_are_set_from_the_trust_tab(qtbot, ctx, db, tmp_path) -> None:
    """Issue #22 item 1: the payment rate and the trust's logo could not be changed in the app."""
    from PySide6.QtGui import QColor, QImage

    from coordinator_app.core.settings import PNG_SIGNATURE, get_logo

    _welcome(db)
    dialog = _dialog(qtbot, ctx)
    dialog.rate_edit.setText("25.50")
    assert dialog.save_trust()
    assert get_settings(db).default_payment_pence == 2550
    dialog.rate_edit.setText("lots")
    assert dialog.save_trust() is False
    assert dialog.trust_errors.has_errors()
    assert get_settings(db).default_payment_pence == 2550

    picture = QImage(1200, 300, QImage.Format.Format_RGB32)
    picture.fill(QColor("navy"))
    jpeg = tmp_path / "logo.jpg"
    assert picture.save(str(jpeg))
    assert dialog.set_logo_from(jpeg)
    logo = get_logo(db)
    assert logo is not None and logo.startswith(PNG_SIGNATURE)
    kept = QImage.fromData(logo)
    assert (kept.width(), kept.height()) == (600, 150), "scaled to what prints, shape kept"
    assert dialog.remove_logo_button.isEnabled()

    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("minutes", encoding="utf-8")
    assert dialog.set_logo_from(not_a_picture) is False
    assert "not a picture" in dialog.logo_errors._fields["logo"][1].text()
    assert get_logo(db) == logo, "the logo kept is unchanged"
    dialog.remove_logo()
    assert get_logo(db) is None
    assert not dialog.remove_logo_button.isEnabled()


def _forum(db, name: str = "Rugby Locality Forum"):
    return meetings.create_forum(
        db, locality_id=list_localities(db)[0].id, name=name, kind=ForumKind.LOCALITY_FORUM
    )


def _escape_with_a_venue_typed(qtbot, ctx, db, type_text, questions, discard: bool):
    """Organisation's Forums tab, "Benn Hall" typed as the venue and not saved, then Esc, the
    question "Discard changes?" answered ``discard``; the dialog."""
    from PySide6.QtTest import QTest

    _welcome(db)
    _forum(db)
    dialog = _dialog(qtbot, ctx, tab=2)
    type_text(dialog.forum_venue, "Benn Hall")
    questions.answer = discard
    with qtbot.waitActive(dialog):
        dialog.show()
    QTest.keyClick(dialog.forum_venue, Qt.Key.Key_Escape)
    return dialog


def test_escape_with_a_venue_typed_asks_and_keep_leaves_it_there(
    qtbot, ctx, db, type_text, questions
) -> None:
    """Issue #22 follow-up: Esc closed Organisation and threw away a venue typed, unsaved."""
    dialog = _escape_with_a_venue_typed(qtbot, ctx, db, type_text, questions, discard=False)
    assert questions.asked == ["You have typed something that is not saved yet. Discard it?"]
    assert dialog.isVisible()
    assert dialog.forum_venue.text() == "Benn Hall"


def test_escape_with_a_venue_typed_and_discard_closes_and_saves_nothing(
    qtbot, ctx, db, type_text, questions
) -> None:
    dialog = _escape_with_a_venue_typed(qtbot, ctx, db, type_text, questions, discard=True)
    assert len(questions.asked) == 1
    assert not dialog.isVisible()
    assert meetings.list_forums(db)[0].default_venue == ""


def test_a_staff_member_typed_not_added_is_asked_about(
    qtbot, ctx, db, type_text, questions
) -> None:
    _welcome(db)
    dialog = _dialog(qtbot, ctx, tab=3)
    type_text(dialog.staff_panel.name_edit, "Zoë Price")
    type_text(dialog.staff_panel.email_edit, "zoe.price@nhs.net")
    questions.answer = False
    dialog.reject()
    assert len(questions.asked) == 1 and dialog.unsaved() == ["Staff (action owners)"]
    assert dialog.staff_panel.name_edit.text() == "Zoë Price"
    assert dialog.staff_panel.save(new=True)
    dialog.reject()  # added: nothing left unsaved, so no question
    assert len(questions.asked) == 1


def test_closing_with_nothing_typed_or_everything_saved_does_not_ask(
    qtbot, ctx, db, type_text, questions
) -> None:
    _welcome(db)
    _forum(db)
    dialog = _dialog(qtbot, ctx, tab=2)
    assert dialog.unsaved() == []
    type_text(dialog.forum_venue, "Benn Hall")
    type_text(dialog.trust_name, " NHS")
    assert dialog.unsaved() == ["Trust", "Forums"]
    assert dialog.save_forum() and dialog.save_trust()
    assert dialog.unsaved() == []
    dialog.reject()
    assert questions.asked == []


def test_the_forums_tab_opens_on_the_first_forum_ready_to_save(qtbot, ctx, db) -> None:
    """Issue #22 follow-up: no forum was chosen, the form was blank, Save changes greyed (and
    Alt+S typed an "s" into a box)."""
    _welcome(db)
    _forum(db, "Rugby Carers' Forum")
    _forum(db, "Rugby Locality Forum")
    dialog = _dialog(qtbot, ctx, tab=2)
    first = meetings.list_forums(db)[0]
    assert dialog.current_forum() == first.id
    assert dialog.forum_name.text() == first.name
    assert dialog.save_forum_button.isEnabled()
    dialog.reload()
    assert dialog.current_forum() == first.id


def test_the_windows_x_asks_once_and_keeps_or_closes(qtbot, ctx, db, type_text, questions) -> None:
    _welcome(db)
    _forum(db)
    dialog = _dialog(qtbot, ctx, tab=2)
    with qtbot.waitActive(dialog):
        dialog.show()
    type_text(dialog.forum_venue, "Benn Hall")
    questions.answer = False
    dialog.close()
    assert len(questions.asked) == 1 and dialog.isVisible()
    questions.answer = True
    dialog.close()
    assert len(questions.asked) == 2 and not dialog.isVisible()
    assert meetings.list_forums(db)[0].default_venue == ""


# --- another row chosen with typing not saved: Save, Discard or Cancel ------------------------


def _two_forums(qtbot, ctx, db, type_text) -> tuple[OrganisationDialog, object, object]:
    """The Forums tab on the first of two forums, its venue typed and not saved."""
    _welcome(db)
    first = _forum(db, "Rugby Carers' Forum")
    second = meetings.create_forum(
        db,
        locality_id=list_localities(db)[0].id,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        default_venue="Benn Hall",
    )
    dialog = _dialog(qtbot, ctx, tab=2)
    assert dialog.current_forum() == first
    type_text(dialog.forum_venue, "Temple Street Library")
    return dialog, first, second


def _venue(db, forum_id) -> str:
    return next(f.default_venue for f in meetings.list_forums(db) if f.id == forum_id)


def test_another_forum_chosen_with_typing_asks_and_cancel_keeps_the_typing(
    qtbot, ctx, db, type_text, questions
) -> None:
    """The coordinator's walk: a venue typed, another forum chosen, and the typing was replaced
    by that forum's details without a word ("Nothing lost")."""
    dialog, first, _second = _two_forums(qtbot, ctx, db, type_text)
    questions.choice = CANCEL
    dialog.forum_list.setCurrentRow(1)
    assert questions.choices == [
        "You changed Rugby Carers' Forum and have not saved the changes. Save them first?"
    ]
    assert dialog.current_forum() == first
    assert dialog.forum_list.selectedItems() == [dialog.forum_list.currentItem()]
    assert dialog.forum_name.text() == "Rugby Carers' Forum"
    assert dialog.forum_venue.text() == "Temple Street Library"
    assert _venue(db, first) == ""
    assert dialog.unsaved() == ["Forums"]  # still asked about on closing


def test_another_forum_chosen_and_discard_moves_on_saving_nothing(
    qtbot, ctx, db, type_text, questions
) -> None:
    dialog, first, second = _two_forums(qtbot, ctx, db, type_text)
    questions.choice = DISCARD
    dialog.forum_list.setCurrentRow(1)
    assert len(questions.choices) == 1
    assert dialog.current_forum() == second
    assert (dialog.forum_name.text(), dialog.forum_venue.text()) == (
        "Rugby Locality Forum",
        "Benn Hall",
    )
    assert _venue(db, first) == ""
    assert dialog.unsaved() == []


def test_another_forum_chosen_and_save_saves_then_moves_on(
    qtbot, ctx, db, type_text, questions
) -> None:
    dialog, first, second = _two_forums(qtbot, ctx, db, type_text)
    questions.choice = SAVE
    dialog.forum_list.setCurrentRow(1)
    assert len(questions.choices) == 1
    assert _venue(db, first) == "Temple Street Library"
    assert dialog.current_forum() == second
    assert (dialog.forum_name.text(), dialog.forum_venue.text()) == (
        "Rugby Locality Forum",
        "Benn Hall",
    )
    assert dialog.unsaved() == []


def test_another_forum_chosen_and_a_refused_save_stays_with_the_problem_shown(
    qtbot, ctx, db, type_text, questions
) -> None:
    dialog, first, _second = _two_forums(qtbot, ctx, db, type_text)
    dialog.forum_name.clear()  # a forum needs a name
    questions.choice = SAVE
    dialog.forum_list.setCurrentRow(1)
    assert len(questions.choices) == 1
    assert dialog.current_forum() == first
    assert dialog.forum_errors.message("name")  # the clear sentence, under the name box
    assert (dialog.forum_name.text(), dialog.forum_venue.text()) == ("", "Temple Street Library")
    forum = next(f for f in meetings.list_forums(db) if f.id == first)
    assert (forum.name, forum.default_venue) == ("Rugby Carers' Forum", ""), "nothing saved"


def test_a_click_on_another_forum_then_cancel_leaves_the_first_chosen_and_highlighted(
    qtbot, ctx, db, type_text, questions
) -> None:
    """A click chooses the row under the mouse, tells the form, then highlights the row:
    Cancel must leave the first forum both chosen and highlighted. Then Discard: the click
    chooses the second forum."""
    dialog, first, _second = _two_forums(qtbot, ctx, db, type_text)
    with qtbot.waitActive(dialog):
        dialog.show()
    questions.choice = CANCEL
    shown = dialog.forum_list
    qtbot.mouseClick(
        shown.viewport(),
        Qt.MouseButton.LeftButton,
        pos=shown.visualItemRect(shown.item(1)).center(),
    )
    assert len(questions.choices) == 1
    assert shown.selectedItems() == [shown.item(0)]
    assert dialog.current_forum() == first
    assert dialog.forum_venue.text() == "Temple Street Library"
    questions.choice = DISCARD
    qtbot.mouseClick(
        shown.viewport(),
        Qt.MouseButton.LeftButton,
        pos=shown.visualItemRect(shown.item(1)).center(),
    )
    assert len(questions.choices) == 2
    assert dialog.current_forum() == _second
    assert shown.selectedItems() == [shown.item(1)]
    assert (dialog.forum_venue.text(), dialog.unsaved()) == ("Benn Hall", [])
    assert _venue(db, first) == ""


def test_another_locality_above_the_forums_with_typing_asks_first(
    qtbot, ctx, db, type_text, questions
) -> None:
    from coordinator_app.core.settings import ensure_locality

    dialog, first, _second = _two_forums(qtbot, ctx, db, type_text)
    with db.transaction() as session:
        ensure_locality(session, "Nuneaton")
    dialog.reload()
    shown = dialog.forum_locality.currentIndex()
    questions.choice = CANCEL
    dialog.forum_locality.setCurrentIndex(1 - shown)
    assert len(questions.choices) == 1
    assert dialog.forum_locality.currentIndex() == shown
    assert dialog.current_forum() == first
    assert dialog.forum_venue.text() == "Temple Street Library"
    questions.choice = DISCARD
    dialog.forum_locality.setCurrentIndex(1 - shown)
    assert dialog.forum_locality.currentText().startswith("Nuneaton")
    assert dialog.forum_list.count() == 0 and dialog.unsaved() == []


def test_another_locality_chosen_with_a_new_name_typed_asks(
    qtbot, ctx, db, type_text, questions
) -> None:
    _welcome(db)
    dialog = _dialog(qtbot, ctx, tab=1)
    dialog.locality_name.setText("Nuneaton")
    assert dialog.add_locality() is not None
    shown = dialog.locality_list
    rows = {shown.item(i).text().split(" (")[0]: i for i in range(shown.count())}
    shown.setCurrentRow(rows["Rugby"])
    assert questions.choices == []  # the name box was just filled from Nuneaton: nothing typed
    dialog.locality_name.clear()
    type_text(dialog.locality_name, "Rugby and Dunchurch")
    questions.choice = CANCEL
    shown.setCurrentRow(rows["Nuneaton"])
    assert questions.choices == [
        "You changed the name of Rugby to “Rugby and Dunchurch” and have not saved it. "
        "Save it first?"
    ]
    assert dialog.locality_name.text() == "Rugby and Dunchurch"
    assert shown.currentRow() == rows["Rugby"]
    assert {r.name for r in list_localities(db)} == {"Rugby", "Nuneaton"}
    questions.choice = SAVE
    shown.setCurrentRow(rows["Nuneaton"])
    assert {r.name for r in list_localities(db)} == {"Rugby and Dunchurch", "Nuneaton"}
    assert shown.currentItem().text().startswith("Nuneaton")
    assert dialog.locality_name.text() == "Nuneaton"
    assert dialog.unsaved() == []


def test_the_save_discard_cancel_question_has_a_letter_and_a_name_on_each_button(
    qtbot, monkeypatch
) -> None:
    """The question is ``widgets.ask_choice``'s box: each button has an Alt letter of its own
    and is named for a screen reader, Save is the default (Enter loses nothing) and Escape is
    Cancel."""
    from tests.ui.test_mnemonics import _letter

    asked = []

    def ask_choice(parent, title, text, choices, *, default=-1):
        asked.append(widgets.choice_box(parent, title, text, choices, default=default))
        return CANCEL

    monkeypatch.setattr(widgets, "ask_choice", ask_choice)
    assert ask_save_discard(None, "You changed Rugby Locality Forum.") == CANCEL
    ((box, buttons),) = asked
    qtbot.addWidget(box)
    assert [(b.text(), b.accessibleName()) for b in buttons] == [
        ("&Save", "Save"),
        ("&Discard", "Discard"),
        ("&Cancel", "Cancel"),
    ]
    assert len({_letter(b.text()) for b in buttons}) == 3
    assert (box.defaultButton(), box.escapeButton()) == (buttons[0], buttons[2])
    assert box.windowTitle() == "Save changes?"


def test_a_save_on_another_tab_keeps_the_typing_not_saved_here(
    qtbot, ctx, db, type_text, questions
) -> None:
    """Every save fills the dialog again from the database: a locality added on its tab threw
    away a forum's venue typed and not saved on the Forums tab (and the trust's name typed)."""
    dialog, first, _second = _two_forums(qtbot, ctx, db, type_text)
    type_text(dialog.trust_name, " NHS")
    dialog.locality_name.setText("Nuneaton")
    assert dialog.add_locality() is not None
    assert dialog.current_forum() == first
    assert dialog.forum_venue.text() == "Temple Street Library"
    assert dialog.trust_name.text() == "Test Trust NHS"
    assert dialog.unsaved() == ["Trust", "Forums"]  # still not saved, still asked about
    assert dialog.save_forum()
    assert dialog.trust_name.text() == "Test Trust NHS"
    assert dialog.unsaved() == ["Trust"]
