"""The meetings list on a long history: the newest screenful at once on the GUI thread, the whole
list from the task executor (``loaded``), with filters, sort and selection kept; a refresh never
shrinks the rows shown; a page left early loads again when shown; a failed load says so; a list
shorter than a screenful is read whole at once; nothing is read before the page is first shown,
so a scope chosen by then is the only one read.

``FIRST_SCREEN`` is patched down to 5 so that a handful of meetings makes a "long" list.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import meetings
from coordinator_app.core.errors import CoordinatorError
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import MeetingStatus
from coordinator_app.ui import tasks, widgets
from coordinator_app.ui.models.meetings import COL_REFERENCE
from coordinator_app.ui.views import meetings as meetings_view
from coordinator_app.ui.views.meetings import MeetingsPage

SCREEN = 5
FIRST = date(2025, 1, 6)


@pytest.fixture(autouse=True)
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meetings_view, "FIRST_SCREEN", SCREEN)


def add_meetings(ctx, place, count: int, start: date = FIRST) -> list[uuid.UUID]:
    """``count`` meetings a week apart from ``start``, every third one cancelled; oldest first."""
    return [
        meetings.create_meeting(
            ctx.db,
            MeetingInput(
                forum_id=place.forum_id,
                meeting_date=start + timedelta(weeks=n),
                status=MeetingStatus.CANCELLED if n % 3 == 0 else MeetingStatus.PLANNED,
            ),
        )
        for n in range(count)
    ]


def new_page(qtbot, ctx) -> MeetingsPage:
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    return page


def shown_ids(page) -> list[uuid.UUID]:
    return [page.proxy.row_at(n).id for n in range(page.proxy.rowCount())]


def test_the_newest_screenful_first_then_the_whole_list(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, 8)
    page = new_page(qtbot, ctx)
    # Shown: the newest five are shown at once, newest first, and the label says more is coming.
    page.show()
    assert shown_ids(page) == ids[::-1][:SCREEN]
    assert page.count_label.text() == "Showing 5 of the newest 5 meetings; loading…"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert shown_ids(page) == ids[::-1]
    assert page.count_label.text() == "Showing 8 of 8 meetings"


def test_filters_sort_and_selection_are_kept_when_the_whole_list_arrives(
    qtbot, ctx, place, monkeypatch
) -> None:
    ids = add_meetings(ctx, place, 8)
    typed: list[bool] = []
    real_note_typing = tasks.note_typing
    monkeypatch.setattr(tasks, "note_typing", lambda: (typed.append(True), real_note_typing()))
    page = new_page(qtbot, ctx)
    page.show()
    widgets.select_data(page.status_combo, MeetingStatus.PLANNED)
    page.table.sortByColumn(COL_REFERENCE, Qt.SortOrder.AscendingOrder)
    qtbot.keyClicks(page.text_filter, "rugby")  # the forum's name: every meeting matches
    assert typed, "typing in the filter must hold the background load back"
    planned_in_screen = [m for m in ids[::-1][:SCREEN] if ids.index(m) % 3 != 0]
    page.selection.select(planned_in_screen[-1])
    assert page.selection.current() == planned_in_screen[-1]

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    shown = [page.proxy.row_at(n) for n in range(page.proxy.rowCount())]
    assert {r.id for r in shown} == {m for n, m in enumerate(ids) if n % 3 != 0}
    assert [r.reference for r in shown] == sorted(r.reference for r in shown)
    assert page.text_filter.text() == "rugby"
    assert page.selection.current() == planned_in_screen[-1]
    assert page.count_label.text() == "Showing 5 of 8 meetings"


def test_a_refresh_with_rows_shown_never_shows_fewer(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, 8)
    page = new_page(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.selection.select(ids[0])  # the oldest: not in a screenful
    counts: list[int] = []
    page.model.modelReset.connect(lambda: counts.append(page.model.rowCount()))
    newest = meetings.create_meeting(
        ctx.db, MeetingInput(forum_id=place.forum_id, meeting_date=FIRST + timedelta(weeks=20))
    )
    page.refresh()
    assert page.model.rowCount() == 8  # the old rows stay while the whole list is read
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert counts == [9]
    assert shown_ids(page)[0] == newest
    assert page.selection.current() == ids[0]


def test_a_list_shorter_than_a_screenful_is_read_whole_at_once(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, SCREEN - 1)
    page = new_page(qtbot, ctx)
    page.show()
    assert shown_ids(page) == ids[::-1]
    assert page.count_label.text() == "Showing 4 of 4 meetings"
    assert not page._loader.busy  # nothing runs in the background
    meetings.create_meeting(ctx.db, MeetingInput(forum_id=place.forum_id, meeting_date=FIRST))
    page.refresh()  # now exactly a screenful: it may be longer, so the rest is read
    assert page.model.rowCount() == SCREEN
    assert page._loader.busy
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert page.model.rowCount() == SCREEN
    assert page.count_label.text() == "Showing 5 of 5 meetings"


def test_a_page_left_before_the_list_arrived_loads_again_when_shown(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, 8)
    page = new_page(qtbot, ctx)
    page.show()
    assert page._loader.busy
    page.hide()
    assert not page._loader.busy  # the executor is given back
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert shown_ids(page) == ids[::-1]


def test_a_failed_load_says_so_and_keeps_the_screenful(qtbot, ctx, place, monkeypatch) -> None:
    ids = add_meetings(ctx, place, 8)
    real = meetings.list_meetings

    def failing(db, *, limit=None, **kwargs):
        if limit is None:
            raise CoordinatorError("The database file could not be read.")
        return real(db, limit=limit, **kwargs)

    monkeypatch.setattr(meetings, "list_meetings", failing)
    page = new_page(qtbot, ctx)
    page.show()
    qtbot.waitUntil(lambda: "could not be read" in page.count_label.text(), timeout=10_000)
    assert page.count_label.text() == (
        "Error: the meetings could not be read. The database file could not be read."
    )
    assert shown_ids(page) == ids[::-1][:SCREEN]
    assert not page._loader.busy
    # Nothing more is coming: typing in the filter does not bring back "loading…", and the list
    # is read again when next shown.
    qtbot.keyClicks(page.text_filter, "x")
    assert "loading" not in page.count_label.text()
    assert page._list_stale


def test_the_selection_survives_the_list_growing_past_a_screenful(qtbot, ctx, place) -> None:
    """A short list read whole, an old meeting selected; then the list grows past a screenful
    (an import, a colleague on the server): the old meeting is still selected once it arrives."""
    old = add_meetings(ctx, place, 4, date(2020, 1, 6))
    page = new_page(qtbot, ctx)
    page.show()
    page.selection.select(old[0])
    assert page.selection.current() == old[0]
    add_meetings(ctx, place, 8, date(2024, 1, 6))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.model.rowCount() == 12
    assert page.selection.current() == old[0]


def test_back_from_the_editor_selects_the_meeting_just_made(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, 8, date(2020, 1, 6))
    page = new_page(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.selection.select(ids[3])
    page.open_meeting(ids[3])
    new = add_meetings(ctx, place, 1, date(2030, 1, 6))[0]
    ctx.events.meetingsChanged.emit(str(new))
    page.open_meeting(new)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show_list()
    assert page.selection.current() == new


def test_a_row_the_user_picks_while_the_list_loads_stays_picked(qtbot, ctx, place) -> None:
    ids = add_meetings(ctx, place, 8)
    page = new_page(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.selection.select(ids[2])
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()  # the whole list is read again in the background...
        page.table.select_row(0)  # ...while the user picks the top row
    assert page.selection.current() == ids[-1]


def test_a_deleted_meeting_leaves_the_list_at_once(qtbot, ctx, place, monkeypatch) -> None:
    ids = add_meetings(ctx, place, 8)
    page = new_page(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    monkeypatch.setattr(widgets, "confirm", lambda *args, **kwargs: True)
    page.selection.select(ids[-1])
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page._delete_row(page.table.current_row())
        assert ids[-1] not in shown_ids(page)  # before the list is read again
    assert shown_ids(page) == ids[::-1][1:]


def test_a_scope_chosen_before_the_page_shows_is_the_only_one_read(
    qtbot, ctx, db, place, monkeypatch
) -> None:
    """ "All localities" chosen as the page is made (as "Show all localities" does): the first
    read is of every locality; the coordinator's own screenful is not read and thrown away
    (issue #23: 16 to 50 ms at sixteen times the large demo)."""
    from coordinator_app.core.settings import ensure_locality
    from coordinator_app.core.vocab import ForumKind
    from coordinator_app.ui.scope import EVERY, MINE

    with db.transaction() as session:
        solihull = ensure_locality(session, "Solihull")  # another coordinator's
    forum = meetings.create_forum(
        db, locality_id=solihull, name="Solihull Forum", kind=ForumKind.LOCALITY_FORUM
    )
    mine = add_meetings(ctx, place, 2)
    theirs = meetings.create_meeting(ctx.db, MeetingInput(forum_id=forum, meeting_date=FIRST))
    scopes: list[object] = []
    real = meetings.list_meetings

    def listing(db, *, limit=None, locality_ids=None, **kwargs):
        scopes.append(None if locality_ids is None else set(locality_ids))
        return real(db, limit=limit, locality_ids=locality_ids, **kwargs)

    monkeypatch.setattr(meetings, "list_meetings", listing)
    page = new_page(qtbot, ctx)
    assert page.locality_combo.currentData() == MINE and not page.show_all.isHidden()
    page.show_all.click()
    assert page.locality_combo.currentData() == EVERY
    assert scopes == []  # nothing read before the page shows
    page.show()
    assert set(shown_ids(page)) == {*mine, theirs}  # every locality's rows, with the page
    assert scopes == [None]
    assert page.count_label.text() == "Showing 3 of 3 meetings"
    # Shown on "My localities" and then all of them: each scope read as it is chosen.
    other = new_page(qtbot, ctx)
    other.show()
    assert set(shown_ids(other)) == set(mine)
    other.show_all.click()
    assert set(shown_ids(other)) == {*mine, theirs}
    assert scopes == [None, {place.locality_id, place.other_locality_id}, None]


def test_another_scope_s_rows_are_fitted_again_unless_sized_by_hand(qtbot, ctx, db, place) -> None:
    """ "Show all localities" kept the columns fitted to the coordinator's own localities: a
    longer locality's name was cut short. Now the new scope's rows are fitted, unless the user
    has sized a column by hand."""
    from coordinator_app.core.settings import ensure_locality
    from coordinator_app.core.vocab import ForumKind
    from coordinator_app.ui.models.meetings import COL_LOCALITY
    from coordinator_app.ui.scope import MINE

    long_name = "Nuneaton and Bedworth"
    with db.transaction() as session:
        nuneaton = ensure_locality(session, long_name)  # another coordinator's
    forum = meetings.create_forum(
        db, locality_id=nuneaton, name="Nuneaton Forum", kind=ForumKind.LOCALITY_FORUM
    )
    add_meetings(ctx, place, 2)
    meetings.create_meeting(ctx.db, MeetingInput(forum_id=forum, meeting_date=FIRST))
    page = new_page(qtbot, ctx)
    page.show()
    header = page.table.horizontalHeader()
    needed = page.table.fontMetrics().horizontalAdvance(long_name)
    assert header.sectionSize(COL_LOCALITY) < needed  # Rugby's width
    page.show_all.click()
    assert header.sectionSize(COL_LOCALITY) > needed
    header.resizeSection(COL_LOCALITY, needed // 2)  # sized by hand: kept from here on
    widgets.select_data(page.locality_combo, MINE)
    widgets.select_data(page.locality_combo, nuneaton)
    assert header.sectionSize(COL_LOCALITY) == needed // 2
