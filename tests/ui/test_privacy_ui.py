"""Privacy and audit in the desktop app: anonymise one or in bulk with a preview, withdraw
consent, the subject access export, and the read-only audit log viewer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QAbstractItemView

from coordinator_app.core import meetings, people
from coordinator_app.core.audit_view import list_audit
from coordinator_app.core.vocab import AttendanceStatus, AuditOperation, Category, MeetingStatus
from coordinator_app.ui.dialogs import privacy_dialogs
from coordinator_app.ui.dialogs.audit_viewer import AuditViewer
from coordinator_app.ui.dialogs.privacy_dialogs import (
    BulkAnonymiseDialog,
    anonymise_one,
    subject_access_export,
    withdraw_consent,
)


def _attended(db, place, person, on: date) -> None:
    meeting = meetings.create_meeting(
        db,
        meetings.MeetingInput(forum_id=place.forum_id, meeting_date=on, status=MeetingStatus.HELD),
    )
    meetings.set_attendance(db, meeting, person, AttendanceStatus.PRESENT)


def test_anonymising_one_person_asks_then_tells_the_pages(qtbot, ctx, place, add_person, questions):
    zoe = add_person("Zoë O'Neill", Category.SERVICE_USER, place.locality_id)
    _attended(ctx.db, place, zoe, date(2024, 5, 1))
    heard: list[str] = []
    ctx.events.participantsChanged.connect(heard.append)
    assert anonymise_one(ctx, zoe)
    assert "Anonymise Zoë O'Neill?" in questions.asked[0]
    assert "1 attendance still count" in questions.asked[0]
    assert heard == [str(zoe)]
    row = people.get_participant(ctx.db, zoe)
    assert row.name.startswith("Anonymised service user") and row.attendance_count == 1
    # A second time is refused in plain words.
    assert not anonymise_one(ctx, zoe)
    assert questions.told[-1] == "This participant has already been anonymised."


def test_saying_no_keeps_the_person(qtbot, ctx, place, add_person, questions) -> None:
    zoe = add_person("Zoë O'Neill")
    questions.answer = False
    assert not anonymise_one(ctx, zoe)
    assert people.get_participant(ctx.db, zoe).name == "Zoë O'Neill"


def test_bulk_anonymising_previews_then_applies(
    qtbot, ctx, place, add_person, questions, unnamed_controls
) -> None:
    old = add_person("Seán Murphy", Category.CARER)
    recent = add_person("Siân Evans", Category.SERVICE_USER)
    _attended(ctx.db, place, old, date(2020, 1, 10))
    _attended(ctx.db, place, recent, date(2025, 1, 10))
    dialog = BulkAnonymiseDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.years.value() == 3
    assert [r.name for r in dialog.model.rows()] == ["Seán Murphy"]
    assert dialog.summary.text() == "1 participant would be anonymised."
    dialog.years.setValue(10)
    assert dialog.model.rows() == [] and not dialog.apply_button.isEnabled()
    dialog.years.setValue(3)
    assert unnamed_controls(dialog) == []
    assert dialog.apply() == 1
    assert "Anonymise 1 participant?" in questions.asked[0]
    assert people.get_participant(ctx.db, old).name.startswith("Anonymised carer")
    assert people.get_participant(ctx.db, recent).name == "Siân Evans"
    assert dialog.model.rows() == []  # the preview was refreshed


def test_withdrawing_consent_removes_contacts(qtbot, ctx, add_person, questions) -> None:
    zoe = add_person("Zoë O'Neill", consent_to_contact=True, email="zoe@example.org")
    assert withdraw_consent(ctx, zoe)
    row = people.get_participant(ctx.db, zoe)
    assert (row.email, row.consent_to_contact) == ("", False)


def test_subject_access_export_saves_where_chosen(
    qtbot, ctx, place, add_person, questions, monkeypatch, tmp_path: Path
) -> None:
    zoe = add_person("Zoë O'Neill", Category.SERVICE_USER, place.locality_id)
    _attended(ctx.db, place, zoe, date(2024, 5, 1))
    target = tmp_path / "SAR.xlsx"
    suggested: list[Path] = []

    def choose(parent, proposal):
        suggested.append(proposal)
        return target

    monkeypatch.setattr(privacy_dialogs, "choose_export_file", choose)
    summary = subject_access_export(ctx, zoe)
    assert summary is not None and summary.attended == 1
    assert suggested[0].name == "Subject access - Zoë O'Neill.xlsx"
    assert load_workbook(target)["Person"]["B2"].value == "Zoë O'Neill"
    ((offered, what, detail),) = questions.offered
    assert offered == target and what == "everything held about this person"
    assert detail == "It holds 1 attendance, 0 payments and 0 mentions in notes."
    # The export is in the audit log, in words, by the person's id (never their name).
    (logged,) = [r for r in list_audit(ctx.db) if r.summary.startswith("Subject access")]
    assert logged.entity_id == zoe and "Zoë" not in logged.summary
    monkeypatch.setattr(privacy_dialogs, "choose_export_file", lambda parent, proposal: None)
    assert subject_access_export(ctx, zoe) is None


def test_the_audit_viewer_filters_and_cannot_edit(
    qtbot, ctx, place, add_person, unnamed_controls
) -> None:
    zoe = add_person("Zoë O'Neill")
    add_person("Seán Murphy")
    from coordinator_app.core.anonymise import anonymise_participant

    anonymise_participant(ctx.db, zoe)
    viewer = AuditViewer(ctx.db)
    qtbot.addWidget(viewer)
    everything = viewer.model.rowCount()
    assert everything >= 4
    assert viewer.count.text() == f"{everything} entries."
    assert viewer.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    index = viewer.operation.findData(AuditOperation.ANONYMISE)
    viewer.operation.setCurrentIndex(index)
    assert viewer.model.rowCount() == 1
    assert viewer.model.row_at(0).who.startswith("Siân Evans")
    viewer.operation.setCurrentIndex(0)
    viewer.text.setText("participant added")
    assert viewer.model.rowCount() == 2
    viewer.who.setText("nobody-of-that-name")
    assert viewer.model.rowCount() == 0
    assert unnamed_controls(viewer) == []
    # No personal data in what the log shows.
    viewer.who.clear()
    viewer.text.clear()
    shown = " ".join(
        str(viewer.model.index(r, c).data())
        for r in range(viewer.model.rowCount())
        for c in range(viewer.model.columnCount())
    )
    assert "Zoë" not in shown and "Murphy" not in shown
