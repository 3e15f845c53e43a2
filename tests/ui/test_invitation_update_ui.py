"""The updated invitation offered in the meeting editor (issue #29): a save that moves or cancels
a meeting whose invitation went out shows a note with "Send the update…" above the tabs; the
editor asks once, when the meeting is left; "not now" leaves the note; making the drafts records
the sending in "Papers sent"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from test_papers_ui import TODAY, _editor, _forum_with_members

from coordinator_app.core import papers
from coordinator_app.core.vocab import MeetingStatus, PapersKind
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs import papers_dialog


def test_moving_then_cancelling_a_meeting_offers_the_updated_invitation(
    qtbot, ctx, db, place, add_meeting_at, add_person, type_text, monkeypatch, tmp_path: Path
) -> None:
    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    first = tmp_path / "agenda"
    first.mkdir()
    papers.send_papers(db, meeting_id, PapersKind.AGENDA, first, today=TODAY)
    editor = _editor(qtbot, ctx, meeting_id)
    details, tab = editor.details_tab, editor.papers_tab
    assert tab.update_note.isHidden() and tab.update_button.isHidden()

    asked: list[str] = []
    choices: list[list[str]] = []
    answers = [True, False]
    monkeypatch.setattr(
        widgets,
        "ask_choice",
        lambda parent, title, text, offered, default=-1: (
            asked.append(text)
            or choices.append(offered)
            or (0 if answers.pop(0) else len(offered) - 1)
        ),
    )
    told: list[str] = []
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text: told.append(text))
    out = tmp_path / "update"
    out.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: True)

    # Not in a calendar: nothing asked.
    details.chair_edit.setText("Rhian")
    assert details.save_details()
    assert asked == []

    # The venue changes: the note shows, nothing asked; leaving asks once, the drafts made
    # for the two who had it by e-mail.
    details.venue_edit.clear()
    type_text(details.venue_edit, "Town Hall")
    assert details.save_details()
    assert asked == [] and not tab.update_note.isHidden()
    editor.offer_update()
    assert len(asked) == 1 and "venue changed" in asked[0] and "2 members" in asked[0]
    assert choices[0] == ["&Make the drafts and letters…", "Not &now"]
    assert "a letter for the 1 member who had it and has only a postal address" in asked[0]
    assert sorted(p.name for p in out.glob("*.eml")) == [
        "Invitation update for Ann Able.eml",
        "Invitation update for Bea Bold.eml",
    ]
    assert len(list(out.glob("Letters - Invitation update - *.pdf"))) == 1  # Dev's
    assert "Wrote 2 e-mail drafts and a PDF of 1 letter to print and post" in told[-1]
    assert editor.save_state.text() == (
        "All changes saved; the invitation update made: 2 e-mail drafts and 1 letter to print "
        "and post."
    )
    assert tab.sent_list.item(0).text().startswith("Invitation update sent ")
    assert tab.update_note.isHidden()

    # Cancelled, "not now": the Papers tab keeps offering; a save of the same facts asks no more.
    widgets.select_data(details.status_combo, MeetingStatus.CANCELLED)
    assert details.save_details()
    assert len(asked) == 1
    editor.offer_update()
    assert len(asked) == 2 and "cancelled" in asked[1]
    assert "out of date" in editor.save_state.text()
    assert not tab.update_note.isHidden() and tab.update_button.isEnabled()
    details.notes_edit.setPlainText("Room flooded")
    assert details.save_details()
    editor.offer_update()
    assert len(asked) == 2
    cancel = tmp_path / "cancel"
    cancel.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(cancel))
    qtbot.mouseClick(tab.update_button, Qt.MouseButton.LeftButton)
    assert len(list(cancel.glob("Cancellation for *.eml"))) == 2
    assert len(list(cancel.glob("Letters - Cancellation - *.pdf"))) == 1
    assert tab.sent_list.item(0).text().startswith("Cancellation sent ")
    assert tab.update_note.isHidden()
    history = papers.papers_history(db, meeting_id=meeting_id)
    assert [h.kind for h in history] == [
        PapersKind.CANCELLATION, PapersKind.INVITATION_UPDATE, PapersKind.AGENDA,
    ]  # fmt: skip


def test_the_papers_tab_with_an_out_of_date_invitation_is_named(
    qtbot, ctx, db, place, add_meeting_at, add_person, unnamed_controls, tmp_path: Path
) -> None:
    from coordinator_app.core import meetings

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    papers.send_papers(db, meeting_id, PapersKind.AGENDA, tmp_path, today=TODAY)
    detail = meetings.get_meeting(db, meeting_id)
    meetings.update_meeting(
        db,
        meeting_id,
        meetings.MeetingInput(detail.forum_id, detail.meeting_date, venue="Elsewhere"),
    )
    editor = _editor(qtbot, ctx, meeting_id)
    assert not editor.papers_tab.update_note.isHidden()
    assert unnamed_controls(editor.papers_tab) == []
    # The note and its button are above the tabs: seen, and named, on Details too.
    editor.tabs.setCurrentWidget(editor.details_tab)
    assert editor.papers_tab.update_button.isVisible()
    assert unnamed_controls(editor) == []


def test_the_update_is_offered_when_only_letter_members_still_agree(
    qtbot, ctx, db, place, add_meeting_at, add_person, monkeypatch, tmp_path: Path
) -> None:
    """Ann and Bea (by e-mail) withdrew consent; Dev had the agenda by letter: "Send the
    update…" makes his letter."""
    from coordinator_app.core import anonymise, meetings

    people = _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    papers.send_papers(db, meeting_id, PapersKind.AGENDA, tmp_path, today=TODAY)
    anonymise.withdraw_consent_to_contact(db, people["ann"])
    anonymise.withdraw_consent_to_contact(db, people["bea"])
    detail = meetings.get_meeting(db, meeting_id)
    meetings.update_meeting(
        db,
        meeting_id,
        meetings.MeetingInput(
            detail.forum_id, detail.meeting_date, venue="Town Hall", status=MeetingStatus.CANCELLED
        ),
    )
    editor = _editor(qtbot, ctx, meeting_id)
    tab = editor.papers_tab
    assert (
        "a letter for the 1 member who had it and has only a postal address"
        in tab.update_note.text()
    )
    assert "2 members who had it will get nothing" in tab.update_note.text()
    assert tab.update_button.isEnabled()
    out = tmp_path / "update"
    out.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: True)
    told: list[str] = []
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text: told.append(text))
    qtbot.mouseClick(tab.update_button, Qt.MouseButton.LeftButton)
    assert told == [f"Wrote a PDF of 1 letter to print and post (cancellation) in {out}."]
    # Only letters were made: the status line says so (it said "the cancellation drafts made").
    assert editor.save_state.text() == (
        "All changes saved; the cancellation made: 1 letter to print and post."
    )
    assert [p.name for p in out.iterdir()] == [
        "Letters - Cancellation - Rugby Locality Forum - "
        f"{detail.meeting_date.day} {detail.meeting_date:%B %Y}.pdf"
    ]
    assert tab.sent_list.item(0).text().startswith("Cancellation sent ")
    assert "0 by e-mail, 1 by letter; 2 sent nothing" in tab.sent_list.item(0).text()


def test_moving_a_meeting_asks_once_when_it_is_left_with_every_change(
    qtbot, ctx, db, place, add_meeting_at, add_person, type_text, monkeypatch, tmp_path: Path
) -> None:
    """The journey walk (issue #29): the start time, then the end time, then the venue changed
    asked three times, and could send three half-updated invitations. Now the note shows on
    Details as the first is saved, nothing is asked, and leaving the meeting asks once; the
    drafts then carry all three."""
    from email import message_from_bytes
    from email.policy import default

    from coordinator_app.ui.main_window import MainWindow

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    papers.send_papers(db, meeting_id, PapersKind.AGENDA, tmp_path, today=TODAY)
    asked: list[str] = []
    monkeypatch.setattr(
        widgets,
        "ask_choice",
        lambda parent, title, text, offered, default=-1: asked.append(text) or 0,
    )
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text: None)
    out = tmp_path / "update"
    out.mkdir()
    monkeypatch.setattr(papers_dialog, "choose_folder", lambda parent: str(out))
    monkeypatch.setattr(papers_dialog, "open_folder", lambda path: True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_meeting(meeting_id)
    editor = window.meetings.editor
    details = editor.details_tab
    editor.tabs.setCurrentWidget(details)
    for edit, text in (
        (details.start_edit, "11:15"),
        (details.end_edit, "12:45"),
        (details.venue_edit, "Town Hall"),
    ):
        edit.setFocus()
        edit.selectAll()
        type_text(edit, text)
        assert details.save_details()
        assert asked == []
        assert editor.papers_tab.update_note.isVisible()  # seen on Details, above the tabs
    assert "start time, end time and venue changed" in editor.papers_tab.update_note.text()
    window.meetings.show_list()
    assert len(asked) == 1
    assert "start time, end time and venue changed" in asked[0]
    drafts = sorted(out.glob("*.eml"))
    assert len(drafts) == 2
    for path in drafts:
        message = message_from_bytes(path.read_bytes(), policy=default)
        body = message.get_body(("plain",)).get_content()
        assert "Town Hall" in body, body
        calendar = next(message.iter_attachments()).get_content()
        calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
        assert "T111500" in calendar and "T124500" in calendar and "Town Hall" in calendar
    # Left again with nothing changed since: not asked again.
    window.open_meeting(meeting_id)
    window.meetings.show_list()
    assert len(asked) == 1


def test_the_note_above_the_tabs_takes_no_alt_letter_of_theirs(
    qtbot, ctx, db, place, add_meeting_at, add_person, tmp_path: Path
) -> None:
    """Shown above every tab, the note's button would share its letter with a field (Alt+U
    was Details' Status); Details leaves only q and z free."""
    from test_mnemonics import clashes_on_every_tab

    from coordinator_app.core import meetings
    from coordinator_app.ui.main_window import MainWindow

    _forum_with_members(db, place, add_meeting_at, add_person)
    meeting_id = add_meeting_at(place.forum_id, TODAY + timedelta(days=7))
    papers.send_papers(db, meeting_id, PapersKind.AGENDA, tmp_path, today=TODAY)
    detail = meetings.get_meeting(db, meeting_id)
    meetings.update_meeting(
        db,
        meeting_id,
        meetings.MeetingInput(detail.forum_id, detail.meeting_date, venue="Elsewhere"),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_meeting(meeting_id)
    editor = window.meetings.editor
    assert editor.papers_tab.update_button.isVisible()
    assert clashes_on_every_tab(window, editor) == {}
