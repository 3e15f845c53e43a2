"""The postal address and the papers' format where a coordinator records a person (issue #29):
the participant dialog keeps them, with consent to contact governing the address as it does the
email and phone."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
