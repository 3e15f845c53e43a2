"""The lists read the coordinator's own localities by default, and every locality in one click
(``ui.scope``): at sixteen times the large demo a list of every locality took 1.7 s to open.

The ``place`` fixture coordinates Rugby and Coventry; Solihull, added here, is another
coordinator's, with a forum, a meeting, a person and an action of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from coordinator_app.core import actions, meetings, people
from coordinator_app.core.settings import ensure_locality
from coordinator_app.core.vocab import Category, ForumKind
from coordinator_app.ui import widgets
from coordinator_app.ui.scope import EVERY, MINE

TODAY = date(2025, 3, 20)  # the ``ctx`` fixture's today


@dataclass(frozen=True)
class Elsewhere:
    locality_id: uuid.UUID
    meeting_id: uuid.UUID
    person_id: uuid.UUID
    action_id: uuid.UUID


@pytest.fixture
def elsewhere(db, place, add_meeting_at, add_person) -> Elsewhere:
    with db.transaction() as session:
        solihull = ensure_locality(session, "Solihull")
    forum = meetings.create_forum(
        db, locality_id=solihull, name="Solihull Forum", kind=ForumKind.LOCALITY_FORUM
    )
    add_meeting_at(place.forum_id)  # and one each here
    add_person("Zoë Davies", Category.CARER, place.locality_id)
    actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=actions.ActionInput(title="Fix the ramp", raised_on=TODAY),
        today=TODAY,
    )
    return Elsewhere(
        solihull,
        add_meeting_at(forum),
        add_person("Seán Murphy", Category.CARER, solihull),
        actions.raise_action(
            db,
            locality_id=solihull,
            data=actions.ActionInput(title="Solihull's own", raised_on=TODAY),
            today=TODAY,
        ),
    )


def _shown(page, attribute: str) -> set[object]:
    proxy = page.proxy
    return {getattr(proxy.row_at(row), attribute) for row in range(proxy.rowCount())}


def test_the_meetings_list_shows_my_localities_then_all_in_one_click(qtbot, ctx, elsewhere) -> None:
    from coordinator_app.ui.views.meetings import MeetingsPage

    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.locality_combo.currentData() == MINE
    assert page.locality_combo.currentText() == "My localities (Coventry, Rugby)"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert elsewhere.meeting_id not in _shown(page, "id")
    assert page.count_label.text() == "Showing 1 of 1 meetings in my localities"
    assert page.show_all.isVisible()
    page.show_all.click()
    assert page.locality_combo.currentData() == EVERY and not page.show_all.isVisible()
    qtbot.waitUntil(lambda: elsewhere.meeting_id in _shown(page, "id"))
    assert page.count_label.text() == "Showing 2 of 2 meetings"
    widgets.select_data(page.locality_combo, elsewhere.locality_id)  # one other locality
    qtbot.waitUntil(lambda: _shown(page, "id") == {elsewhere.meeting_id})
    assert [page.forum_combo.itemText(i) for i in range(page.forum_combo.count())] == [
        "All forums",
        "Solihull Forum (Solihull)",
    ]


def test_the_directory_shows_my_localities_then_all_in_one_click(qtbot, ctx, elsewhere) -> None:
    from coordinator_app.ui.views.participants import ParticipantsPage

    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.locality_combo.currentData() == MINE
    assert _shown(page, "name") == {"Zoë Davies"}
    assert page.count_label.text() == "Showing 1 of 1 participants in my localities"
    page.show_all.click()
    assert _shown(page, "name") == {"Zoë Davies", "Seán Murphy"}
    widgets.select_data(page.locality_combo, elsewhere.locality_id)
    assert _shown(page, "name") == {"Seán Murphy"}
    # A person added with a locality of its own is read where that locality is in scope; the
    # new person's default locality is the one chosen.
    assert page.locality_combo.currentData() == elsewhere.locality_id


def test_a_person_with_no_locality_is_in_every_scope(qtbot, ctx, elsewhere, add_person) -> None:
    from coordinator_app.ui.views.participants import ParticipantsPage

    add_person("Nobody's Locality", Category.OTHER)
    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    assert "Nobody's Locality" in _shown(page, "name")
    page.show_all.click()
    assert "Nobody's Locality" in _shown(page, "name")
    assert len(people.list_participants(ctx.db, active=None)) == 3


def test_the_tracker_shows_my_localities_then_all_in_one_click(qtbot, ctx, elsewhere) -> None:
    from coordinator_app.ui.views.actions import ActionsPage

    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.locality_combo.currentData() == MINE
    assert _shown(page, "title") == {"Fix the ramp"}
    qtbot.waitUntil(lambda: "loading" not in page.count_label.text())
    assert page.count_label.text() == "Showing 1 of 1 actions in my localities"
    page.update_choice_counts(page.locality_combo)
    texts = [page.locality_combo.itemText(i) for i in range(page.locality_combo.count())]
    assert texts[0] == "My localities (Coventry, Rugby) (1)"
    assert "All localities" in texts and "Solihull" in texts  # not read: no count
    page.show_all.click()
    qtbot.waitUntil(lambda: _shown(page, "title") == {"Fix the ramp", "Solihull's own"})
    page.update_choice_counts(page.locality_combo)
    texts = [page.locality_combo.itemText(i) for i in range(page.locality_combo.count())]
    assert "All localities (2)" in texts and "Solihull (1)" in texts
    assert texts[0] == "My localities (Coventry, Rugby) (1)"


def test_only_the_scopes_forums_are_read_for_a_list(db, place, elsewhere) -> None:
    """A trust-wide database holds hundreds of forums: a list of my localities reads only theirs
    (in SQL), and every forum again when "All localities" is chosen (None)."""
    mine = meetings.list_forums(db, include_inactive=True, locality_ids=[place.locality_id])
    assert {f.locality_id for f in mine} == {place.locality_id}
    assert "Solihull Forum" not in {f.name for f in mine}
    everyone = meetings.list_forums(db, include_inactive=True, locality_ids=None)
    assert "Solihull Forum" in {f.name for f in everyone}
    assert meetings.list_forums(db, locality_ids=[]) == []


def test_the_trackers_forum_names_are_the_scopes_or_every_one_an_action_needs(
    db, place, elsewhere
) -> None:
    """The tracker's forum names come from the scope's forums; an action raised in my locality
    from a meeting of another locality's forum still shows that forum's name."""
    from coordinator_app.ui.views.actions import read_tracker

    loaded = read_tracker(db, TODAY, locality_ids=[place.locality_id])
    assert "Solihull Forum" not in {f.name for f in loaded.forums}
    actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=actions.ActionInput(title="Shared ramp", raised_on=TODAY),
        meeting_id=elsewhere.meeting_id,
        today=TODAY,
    )
    loaded = read_tracker(db, TODAY, locality_ids=[place.locality_id])
    assert "Solihull Forum" in {f.name for f in loaded.forums}


def test_the_projects_page_reads_my_localities_first_as_the_other_lists_do(
    qtbot, ctx, db, place, elsewhere
):
    """It opened on "All localities" while Meetings, Participants and Actions open on mine."""
    from coordinator_app.core import projects
    from coordinator_app.core.projects import ProjectInput
    from coordinator_app.ui.views.projects import ProjectsPage

    for locality, title in (
        (place.locality_id, "Rugby's"),
        (place.other_locality_id, "Coventry's"),
        (elsewhere.locality_id, "Solihull's"),
    ):
        projects.create_project(db, ProjectInput(locality_id=locality, title=title))
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.locality_filter.currentData() == MINE
    assert sorted(r.title for r in page.model.rows()) == ["Coventry's", "Rugby's"]
    assert page.show_all.isVisible()
    page.show_all.click()
    assert page.locality_filter.currentData() == EVERY
    assert len(page.model.rows()) == 3 and not page.show_all.isVisible()
    page.locality_filter.setCurrentIndex(widgets.find_data(page.locality_filter, place.locality_id))
    assert [r.title for r in page.model.rows()] == ["Rugby's"]


def test_the_meetings_filters_of_every_forum_are_not_sized_by_measuring_each_forum(
    qtbot, ctx, db, elsewhere
) -> None:
    """At sixteen times the large demo Qt measured all 880 forum names twice as the list first
    showed (9-15 ms of its opening, issue #23): the forum and locality filters take their
    width from the filter rows' stretch, so a longer name or more forums change no size hint."""
    from coordinator_app.ui.views.meetings import MeetingsPage

    def hints() -> list[object]:
        page = MeetingsPage(ctx)
        qtbot.addWidget(page)
        page.show_all.click()
        page.show()
        qtbot.waitUntil(lambda: elsewhere.meeting_id in _shown(page, "id"))
        combos = (page.forum_combo, page.locality_combo)
        return [size for c in combos for size in (c.sizeHint(), c.minimumSizeHint())]

    before = hints()
    with db.transaction() as session:
        far = ensure_locality(session, "A locality whose name is far longer than any other " * 2)
    for n in range(40):
        meetings.create_forum(
            db, locality_id=far, name=f"Forum {n} " * 12, kind=ForumKind.LOCALITY_FORUM
        )
    assert hints() == before


def test_all_localities_chosen_before_the_meetings_list_shows_reads_no_more(
    qtbot, ctx, elsewhere, monkeypatch
) -> None:
    """With "All localities" chosen before the page first shows, the localities are read when it
    is made and when it shows, not also on the choice (issue #23: 128 localities at sixteen
    times the large demo); the forums once, on the show."""
    from coordinator_app.ui.views import meetings as view

    reads: list[str] = []
    real_localities, real_forums = view.meetings.list_localities, view.forum_choices
    monkeypatch.setattr(
        view.meetings, "list_localities", lambda db: reads.append("L") or real_localities(db)
    )
    monkeypatch.setattr(
        view, "forum_choices", lambda db, ids=None: reads.append("F") or real_forums(db, ids)
    )
    page = view.MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show_all.click()
    page.show()
    qtbot.waitUntil(lambda: elsewhere.meeting_id in _shown(page, "id"))
    assert reads == ["L", "L", "F"]  # made, shown: the localities, then the scope's forums
    assert page.locality_combo.currentData() == EVERY
    assert page.count_label.text().startswith("Showing 2 of 2 meetings")
