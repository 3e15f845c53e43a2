"""The meeting's side-by-side lists (agenda, quick polls) are wide enough to read.

Before, each list got about a third of the width with every column sized to its text, so an
agenda title such as "Welcome, introductions and apologies" was cut off behind a horizontal
scroll bar on a 1366-pixel screen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

from coordinator_app.core import meetings
from coordinator_app.ui.views.meetings import MeetingsPage

LONG_TITLE = "Notes of the last meeting and matters arising, with Siân's update"


def _splitter_of(widget) -> QSplitter:
    parent = widget.parentWidget()
    while not isinstance(parent, QSplitter):
        parent = parent.parentWidget()
    return parent


def test_the_agenda_list_takes_half_the_width_and_never_scrolls_sideways(
    qtbot, ctx, place, add_meeting_at
):
    meeting_id = add_meeting_at(place.forum_id)
    for title in ("Welcome, introductions and apologies", LONG_TITLE, "Any other business"):
        meetings.add_agenda_item(ctx.db, meeting_id, title)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.tabs.setCurrentIndex(1)  # the agenda
    table = editor.agenda_table
    qtbot.waitUntil(lambda: table.isVisible())
    splitter = _splitter_of(table)
    left, right = splitter.sizes()
    assert left >= (left + right) * 0.45
    assert table.horizontalScrollBar().maximum() == 0


def test_the_polls_list_takes_two_fifths_of_the_width(qtbot, ctx, place, add_meeting_at):
    meeting_id = add_meeting_at(place.forum_id)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.open_meeting(meeting_id)
    editor = page.editor
    editor.tabs.setCurrentWidget(editor.polls_tab)  # no longer the last tab: Papers is (#29)
    table = editor.polls_table
    qtbot.waitUntil(lambda: table.isVisible())
    left, right = _splitter_of(table).sizes()
    assert left >= (left + right) * 0.35
