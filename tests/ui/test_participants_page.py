"""The participant directory and the participant dialog: filters, consents, duplicates pointed
out but never blocked, problems at the field, deletion after asking."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from coordinator_app.core import people
from coordinator_app.core.vocab import AccessibleFormat, Category
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog
from coordinator_app.ui.scope import EVERY
from coordinator_app.ui.views.participants import ParticipantsPage


def make_page(qtbot, ctx) -> ParticipantsPage:
    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown_names(page) -> list[str]:
    return sorted(page.proxy.row_at(n).name for n in range(page.proxy.rowCount()))


def make_dialog(qtbot, ctx, **kwargs) -> ParticipantDialog:
    dialog = ParticipantDialog(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_directory_filters_by_text_category_locality_and_active(qtbot, ctx, place, add_person):
    add_person("Zoë Davies", Category.CARER, place.locality_id)
    add_person("Bob O'Neill", Category.SERVICE_USER, place.other_locality_id)
    add_person("Siân Jones", Category.STAFF, place.locality_id, active=False)
    page = make_page(qtbot, ctx)
    assert shown_names(page) == ["Bob O'Neill", "Zoë Davies"]
    assert page.count_label.text() == "Showing 2 of 3 participants"

    qtbot.keyClicks(page.text_filter, "zoe")  # no accent typed
    assert shown_names(page) == ["Zoë Davies"]
    page.text_filter.clear()
    qtbot.keyClicks(page.text_filter, "oneill")  # no apostrophe typed
    assert shown_names(page) == ["Bob O'Neill"]
    qtbot.keyClick(page.text_filter, Qt.Key.Key_Escape)

    widgets.select_data(page.category_combo, Category.CARER)
    assert shown_names(page) == ["Zoë Davies"]
    widgets.select_data(page.category_combo, None)
    widgets.select_data(page.locality_combo, place.other_locality_id)
    assert shown_names(page) == ["Bob O'Neill"]
    widgets.select_data(page.locality_combo, EVERY)  # all: ui.scope
    widgets.select_data(page.active_combo, False)
    assert shown_names(page) == ["Siân Jones"]
    widgets.select_data(page.active_combo, "all")
    assert len(shown_names(page)) == 3


def test_new_participant_is_saved_and_selected(qtbot, ctx, place, monkeypatch):
    page = make_page(qtbot, ctx)

    def ask(ctx_, parent=None, *, participant_id=None, name="", locality_id=None):
        dialog = ParticipantDialog(ctx_, None, name=name, locality_id=locality_id)
        qtbot.addWidget(dialog)
        dialog.name_edit.setText("Siân Evans")
        widgets.select_data(dialog.category_combo, Category.CARER)
        widgets.select_data(dialog.locality_combo, place.locality_id)
        dialog.consent_check.setChecked(True)
        qtbot.keyClicks(dialog.email_edit, "sian@example.org")
        qtbot.keyClicks(dialog.phone_edit, "07700 900123")
        dialog.minutes_check.setChecked(True)
        qtbot.keyClicks(dialog.consent_date_edit, "1/3/2025")
        widgets.select_data(dialog.format_combo, AccessibleFormat.LARGE_PRINT)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    monkeypatch.setattr(ParticipantDialog, "ask", ask)
    with qtbot.waitSignal(ctx.events.participantsChanged):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    (row,) = people.list_participants(ctx.db)
    assert (row.name, row.category, row.email, row.phone) == (
        "Siân Evans",
        Category.CARER,
        "sian@example.org",
        "07700 900123",
    )
    assert row.consent_to_contact and row.name_in_minutes
    assert row.consent_date == date(2025, 3, 1)
    assert row.accessible_format == AccessibleFormat.LARGE_PRINT
    assert page.current_participant_id() == row.id


def test_enter_opens_a_participant_and_edits_are_saved(qtbot, ctx, place, add_person, monkeypatch):
    zoe = add_person("Zoë Davies", Category.CARER)
    page = make_page(qtbot, ctx)
    opened = []

    def ask(ctx_, parent=None, *, participant_id=None, name="", locality_id=None):
        opened.append(participant_id)
        dialog = ParticipantDialog(ctx_, None, participant_id=participant_id)
        qtbot.addWidget(dialog)
        assert dialog.name_edit.text() == "Zoë Davies"
        dialog.organisation_edit.setText("Carers Trust")
        dialog.active_check.setChecked(False)
        assert dialog.try_save()
        return dialog.result_value

    monkeypatch.setattr(ParticipantDialog, "ask", ask)
    page.table.setFocus()
    page.table.select_row(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [zoe]
    row = people.get_participant(ctx.db, zoe)
    assert row.organisation == "Carers Trust" and row.active is False
    assert shown_names(page) == []  # inactive people are filtered out by default


def test_a_participant_with_no_name_is_refused_at_the_field(qtbot, ctx, place):
    dialog = make_dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.organisation_edit, "Age UK")
    assert dialog.try_save() is False
    assert dialog.errors.message("name") == "Please give the participant's name."
    assert dialog.name_edit.styleSheet()  # the red border beside the sentence
    assert dialog.isVisible()
    assert people.list_participants(ctx.db, active=None) == []
    # A name typed: the field is no longer called wrong (the walk heard the red sentence stay
    # until the next save); the other field's value is untouched.
    qtbot.keyClicks(dialog.name_edit, "Zoe")
    assert dialog.errors.message("name") == ""
    assert not dialog.name_edit.styleSheet() and not dialog.errors.has_errors()
    assert dialog.name_edit.accessibleDescription() == ""


def test_a_consent_date_typed_wrongly_is_refused_at_the_field(qtbot, ctx, place):
    dialog = make_dialog(qtbot, ctx, name="Zoë Davies")
    qtbot.keyClicks(dialog.consent_date_edit, "32/01/2025")
    assert dialog.try_save() is False
    assert "not a date" in dialog.errors.message("consent_date")
    assert people.list_participants(ctx.db, active=None) == []


def test_contact_details_need_consent_and_go_when_it_is_withdrawn(qtbot, ctx, place):
    dialog = make_dialog(qtbot, ctx, name="Bob O'Neill")
    assert not dialog.email_edit.isEnabled() and not dialog.phone_edit.isEnabled()
    dialog.consent_check.setChecked(True)
    qtbot.keyClicks(dialog.email_edit, "bob@example.org")
    qtbot.keyClicks(dialog.phone_edit, "01234 567890")
    dialog.consent_check.setChecked(False)  # changed their mind
    assert dialog.email_edit.text() == "" and not dialog.email_edit.isEnabled()
    assert dialog.try_save()
    row = people.get_participant(ctx.db, dialog.result_value)
    assert (row.email, row.phone, row.consent_to_contact) == ("", "", False)


def test_withdrawing_consent_on_an_existing_participant_clears_their_details(
    qtbot, ctx, place, add_person
):
    bob = add_person("Bob O'Neill", consent_to_contact=True, email="bob@example.org")
    dialog = make_dialog(qtbot, ctx, participant_id=bob)
    assert dialog.email_edit.text() == "bob@example.org"
    qtbot.mouseClick(dialog.consent_check, Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    assert people.get_participant(ctx.db, bob).email == ""


def test_a_bad_email_is_shown_at_the_email_field(qtbot, ctx, place):
    dialog = make_dialog(qtbot, ctx, name="Bob O'Neill")
    dialog.consent_check.setChecked(True)
    qtbot.keyClicks(dialog.email_edit, "bob-at-example")
    assert dialog.try_save() is False
    assert "email" in dialog.errors.message("email")
    assert people.list_participants(ctx.db, active=None) == []


def test_a_possible_duplicate_is_pointed_out_but_saving_is_allowed(qtbot, ctx, place, add_person):
    add_person("Zoë Davies", Category.CARER, place.locality_id)
    dialog = make_dialog(qtbot, ctx)
    type_into = dialog.name_edit
    type_into.setText("zoe davies")
    type_into.editingFinished.emit()
    assert dialog.duplicate_notice.isVisible()
    assert "Zoë Davies" in dialog.duplicate_notice.text()
    assert dialog.try_save()  # two people may share a name
    assert len(people.list_participants(ctx.db)) == 2


def test_no_duplicate_notice_for_a_new_name(qtbot, ctx, place, add_person):
    add_person("Zoë Davies")
    dialog = make_dialog(qtbot, ctx, name="Priya Shah")
    assert not dialog.duplicate_notice.isVisible()


def test_a_participant_with_non_ascii_typing(qtbot, ctx, place, type_text):
    dialog = make_dialog(qtbot, ctx)
    dialog.name_edit.setFocus()
    type_text(dialog.name_edit, "Seán Ó Briain")
    assert dialog.try_save()
    assert people.get_participant(ctx.db, dialog.result_value).name == "Seán Ó Briain"


def test_deleting_asks_first(qtbot, ctx, place, add_person, questions):
    add_person("Zoë Davies")
    page = make_page(qtbot, ctx)
    page.table.setFocus()
    page.table.select_row(0)
    questions.answer = False
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(questions.asked) == 1 and "Zoë Davies" in questions.asked[0]
    assert len(people.list_participants(ctx.db)) == 1
    questions.answer = True
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert people.list_participants(ctx.db) == []
    assert page.proxy.rowCount() == 0


def test_the_directory_refreshes_when_someone_is_added_elsewhere(qtbot, ctx, place, add_person):
    page = make_page(qtbot, ctx)
    new_id = add_person("Priya Shah")
    ctx.events.participantsChanged.emit(str(new_id))
    assert shown_names(page) == ["Priya Shah"]


def test_every_control_has_an_accessible_name(qtbot, ctx, place, unnamed_controls):
    page = make_page(qtbot, ctx)
    assert unnamed_controls(page) == []
    assert unnamed_controls(make_dialog(qtbot, ctx)) == []


def test_labels_have_buddies_for_their_mnemonics(qtbot, ctx, place):
    from PySide6.QtWidgets import QLabel

    dialog = make_dialog(qtbot, ctx)
    with_mnemonic = [lb for lb in dialog.findChildren(QLabel) if "&" in lb.text()]
    assert with_mnemonic
    assert all(lb.buddy() is not None for lb in with_mnemonic)


def test_names_show_at_once_and_attendance_figures_follow_keeping_the_selection(
    qtbot, ctx, place, add_person
):
    """The directory lists names first, then fills Last attended and Attended from the
    background without resetting the list (the selection stays)."""
    from datetime import date as _date

    from coordinator_app.core import meetings
    from coordinator_app.core.vocab import AttendanceStatus, MeetingStatus
    from coordinator_app.ui.models.participants import COL_ATTENDANCES, COL_LAST_ATTENDED

    zoe = add_person("Zoë Hart", Category.CARER)
    add_person("Siân Jones", Category.SERVICE_USER)
    meeting = meetings.create_meeting(
        ctx.db,
        meetings.MeetingInput(
            forum_id=place.forum_id, meeting_date=_date(2026, 3, 10), status=MeetingStatus.HELD
        ),
    )
    meetings.set_attendance(ctx.db, meeting, zoe, AttendanceStatus.PRESENT)
    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.figures_loaded, timeout=10_000):
        page.show()
        page._select(zoe)
        assert page.current_participant_id() == zoe
    model_row = page.model.row_of(zoe)
    assert page.model.row_at(model_row).attendance_count == 1
    index = page.model.index(model_row, COL_LAST_ATTENDED)
    assert page.model.data(index) == widgets.format_date(_date(2026, 3, 10))
    assert page.model.data(page.model.index(model_row, COL_ATTENDANCES)) == "1"
    assert page.current_participant_id() == zoe  # no reset lost the selection


def test_figures_wait_while_the_user_types_and_are_applied_after(qtbot, ctx, add_person):
    """Figures that arrive while the user is typing in the filter (~25 ms of work on 4,000
    people) are held back until typing pauses, then applied."""
    from coordinator_app.ui import tasks

    zoe = add_person("Zoë Hart", Category.CARER)
    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.figures_loaded, timeout=10_000):
        page.show()
    row = page.model.row_of(zoe)
    assert page.model.row_at(row).attendance_count == 0

    qtbot.keyClicks(page.text_filter, "zo")
    assert tasks.typing_left() > 0  # the filter box told the background work
    figures = {zoe: (date(2026, 3, 10), 3)}
    with qtbot.waitSignal(page.figures_loaded, timeout=10_000):
        page._figures_loaded((page._generation, figures))  # as if from the worker, mid-typing
        assert page.model.row_at(row).attendance_count == 0  # not while typing is recent
    assert tasks.typing_left() == 0
    assert page.model.row_at(row).attendance_count == 3
    assert page.model.row_at(row).last_attended == date(2026, 3, 10)


def test_search_texts_are_folded_while_idle_before_the_first_keystroke(
    qtbot, ctx, add_person, monkeypatch
):
    """The first keystroke in a long directory should not fold every name: the page does it as
    soon as the event loop is idle after the rows are set, and the attendance figures arriving
    later keep those texts."""
    add_person("Zoë Ó Briain", Category.CARER)
    add_person("Mary Smith", Category.SERVICE_USER)
    folded: list[str] = []
    from coordinator_app.ui.models import table

    real_fold = table.fold
    monkeypatch.setattr(table, "fold", lambda text: folded.append(text) or real_fold(text))
    page = make_page(qtbot, ctx)
    with qtbot.waitSignal(page.figures_loaded):
        pass
    assert any(text.startswith("Zoë") for text in folded)  # with no key pressed
    folded.clear()
    qtbot.keyClicks(page.text_filter, "zoe")
    assert folded == ["z", "zo", "zoe"]  # only what was typed: the names were folded already
    assert shown_names(page) == ["Zoë Ó Briain"]


def test_the_filter_leads_into_the_list_and_a_lone_match_is_chosen(
    qtbot, ctx, place, add_person, type_text
) -> None:
    """Issue #22: Enter or Down in a list's filter did not reach the results, and filtering to
    one row did not select it (Privacy > Export then said "Choose a person first")."""
    from PySide6.QtTest import QTest

    zoe = add_person("Zoë Price")
    add_person("Bob Hale")
    add_person("Siân Evans")
    page = make_page(qtbot, ctx)
    page.text_filter.setFocus()
    type_text(page.text_filter, "zoe")
    assert shown_names(page) == ["Zoë Price"]
    assert page.current_participant_id() == zoe
    page.text_filter.clear()
    QTest.keyClick(page.text_filter, Qt.Key.Key_Down)
    # Into the list, on the row chosen before (the first row when none is).
    assert page.focusWidget() is page.table and page.current_participant_id() == zoe
