"""Consent in "New participant" (issue #24's walk): without consent to be contacted the contact
fields' Alt letters lead to the consent box with a note (the fields stay disabled), and a
consent ticked is dated today unless a date is given."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from coordinator_app.core import people
from coordinator_app.ui.dialogs.participant_dialog import TICK_CONSENT_FIRST, ParticipantDialog

ALT = Qt.KeyboardModifier.AltModifier


def _dialog(qtbot, ctx, **kwargs) -> ParticipantDialog:
    dialog = ParticipantDialog(ctx, **kwargs)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    return dialog


def _press(key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_contact_fields_alt_letter_without_consent_leads_to_the_consent_box(qtbot, ctx, place):
    dialog = _dialog(qtbot, ctx, name="Dev Dale")
    for key in (Qt.Key.Key_E, Qt.Key.Key_H, Qt.Key.Key_R):
        dialog.name_edit.setFocus()
        dialog.form.setRowVisible(dialog.consent_note, False)
        _press(key, ALT)
        assert QApplication.focusWidget() is dialog.consent_check, key
        assert dialog.consent_note.isVisible() and dialog.consent_note.text() == TICK_CONSENT_FIRST
        assert dialog.consent_check.accessibleDescription() == TICK_CONSENT_FIRST
    # Nothing is ticked for them, and the fields stay disabled without consent.
    assert not dialog.consent_check.isChecked()
    assert not any(
        e.isEnabled() for e in (dialog.email_edit, dialog.phone_edit, dialog.postal_edit)
    )
    # Space ticks it: the note goes, and Alt+E now leads to the email address.
    _press(Qt.Key.Key_Space)
    assert dialog.consent_check.isChecked() and not dialog.consent_note.isVisible()
    assert dialog.consent_check.accessibleDescription() == ""
    _press(Qt.Key.Key_E, ALT)
    assert QApplication.focusWidget() is dialog.email_edit
    qtbot.keyClicks(dialog.email_edit, "dev@example.org")
    assert dialog.try_save()
    row = people.get_participant(ctx.db, dialog.result_value)
    assert (row.consent_to_contact, row.email) == (True, "dev@example.org")


def test_consent_ticked_is_dated_today_unless_a_date_is_given(qtbot, ctx, place):
    dialog = _dialog(qtbot, ctx, name="Dev Dale")
    assert dialog.consent_date_edit.text() == ""
    qtbot.mouseClick(dialog.consent_check, Qt.MouseButton.LeftButton)
    assert dialog.consent_date_edit.value() == ctx.today()  # shown, and editable
    assert dialog.try_save()
    assert people.get_participant(ctx.db, dialog.result_value).consent_date == ctx.today()
    # A date typed first is kept; so is one changed after ticking.
    other = _dialog(qtbot, ctx, name="Eve Evans")
    qtbot.keyClicks(other.consent_date_edit, "1/3/2025")
    qtbot.mouseClick(other.minutes_check, Qt.MouseButton.LeftButton)
    assert other.consent_date_edit.value() == date(2025, 3, 1)
    qtbot.mouseClick(other.consent_check, Qt.MouseButton.LeftButton)
    other.consent_date_edit.setText("2/3/2025")
    assert other.try_save()
    assert people.get_participant(ctx.db, other.result_value).consent_date == date(2025, 3, 2)


def test_opening_a_person_with_consent_and_no_date_adds_no_date(qtbot, ctx, place, add_person):
    """The date is the coordinator's tick, not the dialog's: a record loaded is left as it was."""
    dev = add_person("Dev Dale", consent_to_contact=True)
    dialog = _dialog(qtbot, ctx, participant_id=dev)
    assert dialog.consent_check.isChecked() and dialog.consent_date_edit.text() == ""
