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
    assert dialog.summary.text() == (
        "Of 4 members of Rugby Locality Forum: 2 by e-mail, 1 by letter; 1 sent nothing "
        "(1 with no consent to contact or no address)."
    )
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
    assert "2 by e-mail, 1 by letter; 1 sent nothing" in tab.sent_list.item(0).text()
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
        "2 sent nothing (1 with no consent to contact or no address, 1 inactive)."
    )  # the inactive member counted once, as ``papers`` and the Papers sent history do
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


def test_send_papers_offers_nothing_for_a_cancelled_meeting(
    qtbot, ctx, db, place, add_meeting_at, add_person
) -> None:
    """Each kind of papers is disabled, its reason as the choice's tooltip, and the dialog says
    the one sentence; nothing can be written."""
    from coordinator_app.core.vocab import MeetingStatus
    from coordinator_app.ui.dialogs import papers_dialog

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7), MeetingStatus.CANCELLED)
    dialog = papers_dialog.SendPapersDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == (
        "This meeting is cancelled, so its agenda and invitation are not sent: only the "
        "cancellation goes to its members."
    )
    assert not dialog.write_button.isEnabled() and not dialog.kind_combo.isEnabled()
    model = dialog.kind_combo.model()
    assert [model.item(row).isEnabled() for row in range(dialog.kind_combo.count())] == [
        False, False, False,
    ]  # fmt: skip
    assert model.item(1).toolTip().startswith("This meeting is cancelled, so it has no minutes")


def test_send_papers_says_only_what_it_made(
    qtbot, ctx, db, place, add_meeting_at, add_person, monkeypatch, tmp_path: Path
) -> None:
    """Only letters made: "a PDF of 1 letter", no "0 e-mail drafts" and no word of drafts."""
    from coordinator_app.ui.dialogs import papers_dialog

    people = _forum_with_members(db, place, add_meeting_at, add_person)
    for key in ("ann", "bea"):
        members.remove_member(db, place.forum_id, people[key])
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    out = tmp_path / "papers"
    out.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: True)
    dialog = papers_dialog.SendPapersDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    assert dialog.write() is True
    assert dialog.message.text() == f"Wrote a PDF of 1 letter in {out.resolve()}."


def test_send_papers_opens_wide_enough_for_its_lines(
    qtbot, ctx, db, place, add_meeting_at, add_person, monkeypatch, tmp_path: Path
) -> None:
    """A member with a long address: the dialog opens showing the whole line, with no
    sideways scrolling (it opened at 511 px wide at 1366x768, its lines cut)."""
    from PySide6.QtCore import QSettings

    from coordinator_app.ui import dialog_sizes
    from coordinator_app.ui.dialogs import papers_dialog

    sizes = QSettings(str(tmp_path / "sizes.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(dialog_sizes, "store_override", sizes)  # no size kept from before

    _forum_with_members(db, place, add_meeting_at, add_person)
    long = add_person(
        "Dr Aarav Fernández",
        consent_to_contact=True,
        email="aarav.fernandez-longname@ardenvalley-community-nhs.example",
    )
    members.add_member(db, place.forum_id, long)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    dialog = papers_dialog.SendPapersDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    metrics = dialog.plan_list.fontMetrics()
    widest = max(
        metrics.horizontalAdvance(dialog.plan_list.item(row).text())
        for row in range(dialog.plan_list.count())
    )
    assert widest <= dialog.plan_list.viewport().width()
    assert not dialog.plan_list.horizontalScrollBar().isVisible()
    assert dialog.plan_list.height() >= metrics.lineSpacing() * 15  # a score of members shows
