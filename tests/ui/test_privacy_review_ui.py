"""The privacy review on screen (``ui/privacy_review.py``): the Returns page and the print chooser
list the pieces of free text to check, highlighted, and a rewording typed there is saved to its
record through ``ui.operations`` (off the GUI thread) before anything leaves."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from coordinator_app.core import meetings
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.vocab import AttendanceStatus, Category, ExperienceKind, MeetingStatus
from coordinator_app.ui import operations
from coordinator_app.ui.dialogs import print_dialog
from coordinator_app.ui.privacy_review import CHECK_COLOUR, HIDDEN_COLOUR
from coordinator_app.ui.views.returns import ReturnsPage


@pytest.fixture
def february(db: Database, place, add_person):
    """A held February meeting (last month, so the Returns page shows it): Gareth (not named
    in minutes) said something, and Mr Patel is mentioned."""
    gareth = add_person("Gareth Hughes", Category.SERVICE_USER)
    meeting = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=place.forum_id, meeting_date=date(2025, 2, 13), status=MeetingStatus.HELD
        ),
    )
    meetings.set_attendance(db, meeting, gareth, AttendanceStatus.PRESENT)
    said = meetings.add_experience(
        db,
        meeting,
        ExperienceInput(ExperienceKind.CONCERN, summary="Gareth said the crisis line rang out."),
    )
    meetings.add_experience(
        db, meeting, ExperienceInput(ExperienceKind.IDEA, summary="Ask Mr Patel about leaflets.")
    )
    meetings.add_agenda_item(db, meeting, "Crisis line", "Gareth Hughes said calls wait too long.")
    return meeting, said


def test_the_returns_page_lists_the_pieces_and_saves_a_rewording(
    qtbot, ctx, place, february, db: Database
) -> None:
    _meeting, said = february
    page = ReturnsPage(ctx)
    qtbot.addWidget(page)
    panel = page.review_panel
    page.select_locality(place.locality_id)
    items = panel.items()
    assert [i.where for i in items] == [
        "Experience item of 13/02/2025, Summary",
        "Experience item of 13/02/2025, Summary",
    ]
    assert panel.list.count() == 2
    assert panel.list.item(0).text() == (
        "Experience item of 13/02/2025, Summary: “Gareth” (a service user's or carer's name)"
    )
    assert "2 pieces of free text to check" in panel.caption.text()
    shown = panel.piece_view.toHtml()
    assert HIDDEN_COLOUR in shown and "[service user] said the crisis line" in shown
    assert panel.editor.toPlainText() == "Gareth said the crisis line rang out."

    panel.list.setCurrentRow(1)
    assert CHECK_COLOUR in panel.piece_view.toHtml()
    panel.list.setCurrentRow(0)
    panel.editor.setPlainText("A service user said the crisis line rang out.")
    assert panel.save_rewording()
    assert operations.last_thread() is not threading.main_thread()

    assert [i.text for i in panel.items()] == ["Ask Mr Patel about leaflets."]
    detail = meetings.get_meeting(db, _meeting)
    assert [e.summary for e in detail.experience if e.id == said] == [
        "A service user said the crisis line rang out."
    ]


def test_the_print_chooser_reviews_the_chosen_printout(qtbot, ctx, february, db: Database) -> None:
    meeting, _said = february
    dialog = print_dialog.PrintChooser(ctx, meeting)
    qtbot.addWidget(dialog)
    panel = dialog.review_panel
    assert dialog.kind() == print_dialog.MINUTES
    assert [i.where for i in panel.items()] == [
        "Agenda item 1 of RUG-2502, Discussion",
        "Experience item of 13 Feb 2025, Summary",
        "Experience item of 13 Feb 2025, Summary",
    ]
    assert not panel.pieces.isHidden()
    dialog.sign_in_radio.setChecked(True)
    assert panel.items() == [] and "nothing to check" in panel.caption.text()
    # Issue #22's walk: no empty list, piece and "Choose a piece above" box under that.
    assert panel.pieces.isHidden() and not panel.caption.isHidden()
    dialog.minutes_radio.setChecked(True)
    assert not panel.pieces.isHidden()
    panel.list.setCurrentRow(0)
    panel.editor.setPlainText("A member said calls wait too long.")
    assert panel.save_rewording()
    assert panel.items()[0].where == "Experience item of 13 Feb 2025, Summary"
    assert "A member said calls wait too long." in dialog.document()[0].text()


def test_a_review_that_cannot_be_made_says_why_in_its_caption_and_lists_nothing(
    qtbot, ctx, february, questions
) -> None:
    """The review's read refused (the meeting went meanwhile): the sentence in the caption, no
    message, nothing listed, and the panel says it reviewed nothing (issue #20: through
    ``operations.read``'s ``on_refused``)."""
    from coordinator_app.core.errors import NotFoundError

    meeting, _said = february
    dialog = print_dialog.PrintChooser(ctx, meeting)
    qtbot.addWidget(dialog)
    panel = dialog.review_panel
    assert panel.items()

    def gone() -> list:
        raise NotFoundError("That meeting is no longer listed.")

    reviewed: list[int] = []
    panel.reviewed.connect(reviewed.append)
    panel.set_source(gone)
    assert panel.caption.text() == (
        "The privacy review could not be made: That meeting is no longer listed."
    )
    assert panel.items() == [] and panel.list.count() == 0 and panel.pieces.isHidden()
    assert reviewed == [0] and questions.told == []


def test_a_piece_changed_meanwhile_is_not_overwritten(
    qtbot, ctx, place, february, db: Database, questions
) -> None:
    meeting, said = february
    page = ReturnsPage(ctx)
    qtbot.addWidget(page)
    page.select_locality(place.locality_id)
    panel = page.review_panel
    meetings.update_experience(
        db, said, ExperienceInput(ExperienceKind.CONCERN, summary="Changed elsewhere by Gareth.")
    )
    panel.editor.setPlainText("Mine")
    assert not panel.save_rewording()
    assert questions.told and "was changed since you opened it" in questions.told[-1]
    # The review is made again: it shows what the record says now; the typing is kept.
    assert panel.items()[0].text == "Changed elsewhere by Gareth."
    assert panel.editor.toPlainText() == "Mine"
    summaries = [e.summary for e in meetings.get_meeting(db, meeting).experience]
    assert "Mine" not in summaries
