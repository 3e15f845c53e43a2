"""Papers to members in the desktop app (issue #29): the meeting's Papers tab (online link,
"Send papers…", papers sent), the forum's members and the staff list."""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from PySide6.QtCore import Qt

from coordinator_app.core import members, papers, staff
from coordinator_app.core.vocab import AccessibleFormat, AttendanceStatus, Category, PapersKind
from coordinator_app.ui.views.meeting.editor import MeetingEditor

TODAY = date(2025, 3, 20)  # the ``ctx`` fixture's today


def _forum_with_members(db, place, add_meeting_at, add_person):
    held = add_meeting_at(place.forum_id, TODAY - timedelta(days=14))
    people = {
        "ann": add_person(
            "Ann Able",
            consent_to_contact=True,
            email="ann@example.org",
            locality_id=place.locality_id,
        ),
        "bea": add_person(
            "Bea Bold",
            Category.CARER,
            consent_to_contact=True,
            email="bea@example.org",
            accessible_format=AccessibleFormat.LARGE_PRINT,
        ),
        "dev": add_person("Dev Dale", consent_to_contact=True),
        "eve": add_person("Eve Elm"),
    }
    from coordinator_app.core import meetings

    for pid in people.values():
        meetings.set_attendance(db, held, pid, AttendanceStatus.PRESENT)
    members.set_postal_address(db, people["dev"], "1 High Street\nRugby")
    return people


def _editor(qtbot, ctx, meeting_id) -> MeetingEditor:
    editor = MeetingEditor(ctx)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.load(meeting_id)
    editor.tabs.setCurrentWidget(editor.papers_tab)
    return editor


def test_send_papers_from_the_meeting_writes_drafts_and_letters_and_shows_when(
    qtbot, ctx, db, place, add_meeting_at, add_person, type_text, monkeypatch, tmp_path: Path
) -> None:
    from coordinator_app.ui.dialogs import papers_dialog

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    editor = _editor(qtbot, ctx, meeting_id)
    tab = editor.papers_tab
    assert tab.sent_list.item(0).text() == "No papers sent yet."

    # The online link: refused until it is a web address, then saved.
    type_text(tab.link_edit, "teams meeting")
    assert tab.save_link() is False
    assert "https://" in tab.link_message.text()
    tab.link_edit.clear()
    type_text(tab.link_edit, "https://teams.example/m/1")
    qtbot.mouseClick(tab.save_link_button, Qt.MouseButton.LeftButton)
    assert members.meeting_link(db, meeting_id).own == "https://teams.example/m/1"
    # The editor keeps the new version: its next save is not taken for someone else's.
    editor.details_tab.chair_edit.setText("Rhian")
    editor.details_tab.save_details()
    assert "saved" in editor.save_state.text().lower()

    out = tmp_path / "papers"
    out.mkdir()
    opened: list[Path] = []
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: opened.append(path) or True)
    dialog = papers_dialog.SendPapersDialog(ctx, meeting_id, editor)
    qtbot.addWidget(dialog)
    lines = [dialog.plan_list.item(i).text() for i in range(dialog.plan_list.count())]
    assert lines == [
        "Ann Able: e-mail to ann@example.org (standard)",
        "Bea Bold: e-mail to bea@example.org (large print)",
        "Dev Dale: letter (standard)",
        "Eve Elm: nothing, has not consented to be contacted",
    ]
    assert "2 by e-mail, 1 by letter, 1 sent nothing" in dialog.summary.text()
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None and opened == [out.resolve()]
    drafts = sorted(out.glob("*.eml"))
    assert [d.name for d in drafts] == ["Agenda for Ann Able.eml", "Agenda for Bea Bold.eml"]
    bea = message_from_bytes(drafts[1].read_bytes(), policy=default)
    assert bea["To"] == "bea@example.org"
    names = [part.get_filename() for part in bea.iter_attachments()]  # type: ignore[attr-defined]
    assert any(n and n.endswith("large print.pdf") for n in names)
    assert len(list(out.glob("Letters - *.pdf"))) == 1
    files_opened: list[Path] = []
    monkeypatch.setattr(papers_dialog, "open_file", lambda p: files_opened.append(p) or True)
    qtbot.mouseClick(dialog.open_drafts_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in files_opened] == [d.name for d in drafts]
    assert "Opened 2 drafts" in dialog.message.text()
    dialog.close()

    editor.reload_parts()
    assert tab.sent_list.item(0).text().startswith("Agenda sent ")
    assert "2 by e-mail, 1 by letter, 1 not sent" in tab.sent_list.item(0).text()
    assert papers.papers_history(db, meeting_id=meeting_id)[0].kind == PapersKind.AGENDA


def test_send_papers_says_how_many_members_are_inactive_and_sends_them_nothing(
    qtbot, ctx, db, place, add_meeting_at, add_person, monkeypatch, tmp_path: Path
) -> None:
    from coordinator_app.ui.dialogs import papers_dialog

    _forum_with_members(db, place, add_meeting_at, add_person)
    ola = add_person("Ola Off", consent_to_contact=True, email="ola@example.org", active=False)
    members.add_member(db, place.forum_id, ola)  # left, but still on the list
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    assert ola in {m.participant_id for m in members.forum_members(db, place.forum_id, TODAY)}
    dialog = papers_dialog.SendPapersDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    lines = [dialog.plan_list.item(i).text() for i in range(dialog.plan_list.count())]
    assert "Ola Off: nothing, is inactive" in lines
    assert dialog.summary.text().endswith(
        "2 sent nothing (of 5 members of Rugby Locality Forum). 1 member is inactive and gets "
        "no papers."
    )
    out = tmp_path / "papers"
    out.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: True)
    assert dialog.write()
    assert not any(b"ola@example.org" in p.read_bytes() for p in out.iterdir())
    dialog.close()


def test_every_control_of_the_papers_screens_is_named(
    qtbot, ctx, db, place, add_meeting_at, add_person, unnamed_controls
) -> None:
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog
    from coordinator_app.ui.dialogs.papers_dialog import ForumMembersDialog, SendPapersDialog

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    editor = _editor(qtbot, ctx, meeting_id)
    for widget in (
        editor.papers_tab,
        SendPapersDialog(ctx, meeting_id),
        ForumMembersDialog(ctx, place.forum_id),
        OrganisationDialog(ctx),
    ):
        qtbot.addWidget(widget)
        assert unnamed_controls(widget) == []


def test_forum_members_are_added_taken_off_and_given_an_address(
    qtbot, ctx, db, place, add_meeting_at, add_person, type_text
) -> None:
    from coordinator_app.ui.dialogs.papers_dialog import ForumMembersDialog

    people = _forum_with_members(db, place, add_meeting_at, add_person)
    add_person("Nia New", Category.STAFF, consent_to_contact=True, email="nia@nhs.example")
    dialog = ForumMembersDialog(ctx, place.forum_id)
    qtbot.addWidget(dialog)
    assert dialog.member_list.count() == 4
    type_text(dialog.find_edit, "Nia")
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    assert dialog.found_combo.currentText() == "Nia New"
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    names = {m.name for m in members.forum_members(db, place.forum_id, TODAY)}
    assert "Nia New" in names and dialog.member_list.count() == 5

    dialog.member_list.setCurrentRow([m.participant_id for m in dialog.rows].index(people["eve"]))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "Eve Elm" not in {m.name for m in members.forum_members(db, place.forum_id, TODAY)}

    dialog.member_list.setCurrentRow([m.participant_id for m in dialog.rows].index(people["ann"]))
    dialog.address_edit.setPlainText("2 Low Road\nRugby")
    qtbot.mouseClick(dialog.save_address_button, Qt.MouseButton.LeftButton)
    ann = next(m for m in members.forum_members(db, place.forum_id, TODAY) if m.name == "Ann Able")
    assert ann.postal_address == "2 Low Road\nRugby"

    type_text(dialog.link_edit, "https://teams.example/forum")
    qtbot.mouseClick(dialog.save_link_button, Qt.MouseButton.LeftButton)
    assert members.forum_link(db, place.forum_id)[1] == "https://teams.example/forum"


def test_the_staff_list_is_kept_in_the_organisation_dialog(qtbot, ctx, db, place, type_text):
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog

    dialog = OrganisationDialog(ctx)
    qtbot.addWidget(dialog)
    panel = dialog.staff_panel
    type_text(panel.name_edit, "Rhian Llewelyn")
    type_text(panel.email_edit, "not an address")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("Error:") and staff.list_staff(db) == []
    panel.email_edit.clear()
    type_text(panel.email_edit, "rhian@nhs.example")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert [(s.name, s.email) for s in staff.list_staff(db)] == [
        ("Rhian Llewelyn", "rhian@nhs.example")
    ]
    qtbot.mouseClick(panel.aside_button, Qt.MouseButton.LeftButton)
    assert staff.list_staff(db) == [] and panel.staff_list.count() == 0


def test_the_invitation_is_saved_from_the_papers_tab(
    qtbot, ctx, db, place, add_meeting_at, monkeypatch, tmp_path: Path, questions
) -> None:
    from icalendar import Calendar

    from coordinator_app.core.invitation import meeting_uid
    from coordinator_app.ui import files

    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    editor = _editor(qtbot, ctx, meeting_id)
    target = tmp_path / "invite.ics"
    monkeypatch.setattr(files, "ask_save", lambda *args, **kwargs: target)
    qtbot.mouseClick(editor.papers_tab.invitation_button, Qt.MouseButton.LeftButton)
    event = Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting_uid(meeting_id)
    assert str(event["LOCATION"]) == "Benn Hall"
