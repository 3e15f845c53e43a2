"""The postal address and the papers' format where a coordinator records a person (issue #29):
the participant dialog keeps them, with consent to contact governing the address as it does the
email and phone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coordinator_app.core import members, people
from coordinator_app.core.vocab import AccessibleFormat
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog


def _dialog(qtbot, ctx, **kwargs) -> ParticipantDialog:
    dialog = ParticipantDialog(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_person_is_saved_with_their_postal_address_and_format(qtbot, ctx, place, type_text):
    dialog = _dialog(qtbot, ctx, name="Dev Dale")
    assert not dialog.postal_edit.isEnabled()  # no consent yet
    dialog.consent_check.setChecked(True)
    qtbot.keyClicks(dialog.postal_edit, "1 High  Street")
    qtbot.keyClick(dialog.postal_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.postal_edit, "Rugby CV21 1AA")
    widgets.select_data(dialog.format_combo, AccessibleFormat.LARGE_PRINT)
    assert dialog.try_save()
    row = people.get_participant(ctx.db, dialog.result_value)
    assert row.postal_address == "1 High Street\nRugby CV21 1AA"
    assert row.accessible_format == AccessibleFormat.LARGE_PRINT
    # Reopened, the dialog shows it; the forum's members get a letter.
    again = _dialog(qtbot, ctx, participant_id=dialog.result_value)
    assert again.postal_edit.toPlainText() == "1 High Street\nRugby CV21 1AA"
    assert members.delivery(True, row.email, row.postal_address).how == members.LETTER


def test_withdrawing_consent_clears_the_postal_address(qtbot, ctx, place, add_person):
    dev = add_person("Dev Dale", consent_to_contact=True)
    members.set_postal_address(ctx.db, dev, "1 High Street\nRugby")
    dialog = _dialog(qtbot, ctx, participant_id=dev)
    assert dialog.postal_edit.toPlainText() == "1 High Street\nRugby"
    qtbot.mouseClick(dialog.consent_check, Qt.MouseButton.LeftButton)
    assert dialog.postal_edit.toPlainText() == "" and not dialog.postal_edit.isEnabled()
    assert dialog.try_save()
    assert people.get_participant(ctx.db, dev).postal_address == ""


def test_a_postal_address_too_long_is_refused_at_its_field(qtbot, ctx, place, add_person):
    dev = add_person("Dev Dale", consent_to_contact=True)
    dialog = _dialog(qtbot, ctx, participant_id=dev)
    dialog.postal_edit.setPlainText("x" * (members.POSTAL_ADDRESS_MAX + 1))
    assert dialog.try_save() is False
    assert "at most" in dialog.errors.message("postal_address")
    assert people.get_participant(ctx.db, dev).postal_address == ""


def test_the_postal_address_is_named(qtbot, ctx, place, unnamed_controls):
    dialog = _dialog(qtbot, ctx, name="Dev Dale")
    assert unnamed_controls(dialog) == []
    assert dialog.postal_edit.accessibleName() == "Postal address"


def _abena(add_person, ctx):
    abena = add_person(
        "Abena Evans", consent_to_contact=True, email="abena@example.org", phone="01788 123456"
    )
    members.set_postal_address(ctx.db, abena, "2 Bank Street\nRugby")
    return abena


def test_saving_a_withdrawal_that_deletes_contact_details_asks_once_first(
    qtbot, ctx, place, add_person, questions
):
    """The walk (issue #24): Alt+C then Ctrl+Enter deleted Abena's e-mail, phone and postal
    address without a word. Now saving asks once; on Cancel nothing is saved and the form is
    as it was."""
    abena = _abena(add_person, ctx)
    before = people.get_participant(ctx.db, abena)
    dialog = _dialog(qtbot, ctx, participant_id=abena)
    qtbot.mouseClick(dialog.consent_check, Qt.MouseButton.LeftButton)
    assert dialog.email_edit.text() == "" and not dialog.email_edit.isEnabled()
    questions.answer = False
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert questions.asked == [
        "Withdrawing consent to be contacted deletes Abena Evans's email address, phone number "
        "and postal address. Delete them?"
    ]
    assert people.get_participant(ctx.db, abena) == before  # nothing changed
    assert dialog.isVisible() and dialog.consent_check.isChecked()
    assert dialog.email_edit.text() == "abena@example.org" and dialog.email_edit.isEnabled()
    assert dialog.phone_edit.text() == "01788 123456"
    assert dialog.postal_edit.toPlainText() == "2 Bank Street\nRugby"

    questions.answer = True
    qtbot.mouseClick(dialog.consent_check, Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    assert len(questions.asked) == 2
    row = people.get_participant(ctx.db, abena)
    assert (row.consent_to_contact, row.email, row.phone, row.postal_address) == (
        False, "", "", "",
    )  # fmt: skip


def test_saving_without_a_withdrawal_asks_nothing(qtbot, ctx, place, add_person, questions):
    abena = _abena(add_person, ctx)
    dialog = _dialog(qtbot, ctx, participant_id=abena)
    dialog.notes_edit.setPlainText("Prefers afternoons")
    assert dialog.try_save()
    nobody = add_person("Cal Crane")  # never consented: nothing held to delete
    dialog = _dialog(qtbot, ctx, participant_id=nobody)
    dialog.notes_edit.setPlainText("New")
    assert dialog.try_save()
    assert questions.asked == []


def test_the_no_consent_placeholder_shows_whole(qtbot, ctx, place):
    """At 1366x768 "Only kept with consent…" was cut in the e-mail and phone fields."""
    dialog = _dialog(qtbot, ctx, name="Dev Dale")
    dialog.resize(dialog.minimumSizeHint())
    QApplication.processEvents()  # the layout settles
    for edit in (dialog.email_edit, dialog.phone_edit):
        text = edit.placeholderText()
        assert text
        margins = edit.textMargins()
        room = edit.contentsRect().width() - margins.left() - margins.right() - 4
        assert edit.fontMetrics().horizontalAdvance(text) <= room, (text, room)
    text = dialog.postal_edit.placeholderText()
    assert dialog.postal_edit.fontMetrics().horizontalAdvance(text) < (
        dialog.postal_edit.viewport().width()
    )
