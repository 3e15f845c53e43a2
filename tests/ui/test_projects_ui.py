"""Improvement projects in the UI: starting one from an experience item or an action in the
meeting editor, the Projects page (filters, people and roles, links, choosing a project with
the mouse, involving someone by typing part of their name), bad dates shown at the field with
nothing saved, and the participant editor's read-only list of projects.

``ProjectDialog.ask`` is patched with a stand-in that builds the real dialog, lets the test
fill it and presses Save: the dialog's own saving code runs, ``exec`` never does."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import actions, meetings, projects
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.projects import ProjectInput
from coordinator_app.core.vocab import (
    Category,
    ExperienceKind,
    MeetingStatus,
    ProjectRole,
    ProjectStatus,
)
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog
from coordinator_app.ui.dialogs.project_dialog import ProjectDialog
from coordinator_app.ui.views.meeting.editor import TAB_ACTIONS, TAB_EXPERIENCE, MeetingEditor
from coordinator_app.ui.views.projects import (
    ProjectLinksModel,
    ProjectPeopleModel,
    ProjectsModel,
    ProjectsPage,
)


def answer_project_dialog(qtbot, fill=lambda dialog: None):
    def ask(ctx, parent=None, **kwargs):
        dialog = ProjectDialog(ctx, parent, **kwargs)
        qtbot.addWidget(dialog)
        ask.dialog = dialog
        fill(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result_value

    ask.dialog = None
    return ask


@pytest.fixture
def event_meeting(db, place) -> uuid.UUID:
    return meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=place.events_forum_id,
            meeting_date=date(2025, 3, 12),
            status=MeetingStatus.HELD,
        ),
    )


def make_editor(qtbot, ctx, meeting_id) -> MeetingEditor:
    editor = MeetingEditor(ctx)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.load(meeting_id)
    return editor


def make_page(qtbot, ctx) -> ProjectsPage:
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_start_a_project_from_an_idea_heard_at_an_event(
    qtbot, ctx, db, place, event_meeting, monkeypatch
) -> None:
    item = meetings.add_experience(
        db,
        event_meeting,
        ExperienceInput(
            kind=ExperienceKind.IDEA,
            theme="Welcome",
            service="Ward 3",
            summary="Zoë suggested a welcome pack for new carers",
        ),
    )
    editor = make_editor(qtbot, ctx, event_meeting)
    editor.tabs.setCurrentIndex(TAB_EXPERIENCE)
    editor.experience_table.select_row(0)

    def fill(dialog):
        assert dialog.title_edit.text() == "Zoë suggested a welcome pack for new carers"
        assert dialog.service_edit.text() == "Ward 3"
        assert dialog.locality_combo.currentData() == place.locality_id
        dialog.lead_edit.setText("Seán Murphy")

    ask = answer_project_dialog(qtbot, fill)
    monkeypatch.setattr(ProjectDialog, "ask", ask)
    with qtbot.waitSignal(editor.projectStarted) as started:
        qtbot.mouseClick(editor.experience_project_button, Qt.MouseButton.LeftButton)
    detail = projects.get_project(db, started.args[0])
    assert (detail.title, detail.lead, detail.status) == (
        "Zoë suggested a welcome pack for new carers",
        "Seán Murphy",
        ProjectStatus.PROPOSED,
    )
    assert [(link.kind, link.target_id) for link in detail.links] == [("experience", item)]
    assert "started" in editor.save_state.text()


def test_start_a_project_from_an_action(qtbot, ctx, db, place, event_meeting, monkeypatch):
    action = actions.raise_action(
        db,
        locality_id=place.locality_id,
        meeting_id=event_meeting,
        data=actions.ActionInput(title="Co-design the discharge leaflet", owner="Siân"),
        today=date(2025, 3, 12),
    )
    editor = make_editor(qtbot, ctx, event_meeting)
    editor.tabs.setCurrentIndex(TAB_ACTIONS)
    editor.actions_table.select_row(0)
    monkeypatch.setattr(ProjectDialog, "ask", answer_project_dialog(qtbot))
    with qtbot.waitSignal(editor.projectStarted) as started:
        qtbot.mouseClick(editor.action_project_button, Qt.MouseButton.LeftButton)
    detail = projects.get_project(db, started.args[0])
    assert (detail.title, detail.lead) == ("Co-design the discharge leaflet", "Siân")
    assert [link.target_id for link in detail.links] == [action]


def test_a_project_ending_before_it_starts_is_refused_at_the_field(qtbot, ctx, db, place) -> None:
    dialog = ProjectDialog(ctx, prefill=ProjectInput(locality_id=place.locality_id, title="X"))
    qtbot.addWidget(dialog)
    widgets.select_data(dialog.status_combo, ProjectStatus.COMPLETED)
    dialog.started_edit.setText("10/03/2025")
    dialog.ended_edit.setText("09/03/2025")
    assert dialog.try_save() is False
    assert "cannot end before it starts" in dialog.errors.message("ended_on")
    dialog.ended_edit.setText("not a date")
    assert dialog.try_save() is False
    assert dialog.errors.message("ended_on")
    assert projects.list_projects(db) == []
    dialog.ended_edit.setText("10/03/2025")
    assert dialog.try_save() is True
    assert [r.title for r in projects.list_projects(db)] == ["X"]


def test_the_register_filters_and_edits_people_and_links(
    qtbot, ctx, db, place, event_meeting, add_person, questions
) -> None:
    running = projects.create_project(
        db,
        ProjectInput(
            locality_id=place.locality_id,
            title="Welcome pack",
            status=ProjectStatus.ACTIVE,
            started_on=date(2025, 1, 6),
        ),
    )
    projects.create_project(
        db, ProjectInput(locality_id=place.other_locality_id, title="Carers' café")
    )
    item = meetings.add_experience(
        db, event_meeting, ExperienceInput(kind=ExperienceKind.IDEA, summary="A café idea")
    )
    zoe = add_person("Zoë O'Neill", Category.CARER)
    page = make_page(qtbot, ctx)
    assert page.model.rowCount() == 2
    page.status_filter.setCurrentIndex(widgets.find_data(page.status_filter, ProjectStatus.ACTIVE))
    assert [r.title for r in page.model.rows()] == ["Welcome pack"]
    page.status_filter.setCurrentIndex(0)
    page.locality_filter.setCurrentIndex(
        widgets.find_data(page.locality_filter, place.other_locality_id)
    )
    assert [r.title for r in page.model.rows()] == ["Carers' café"]
    page.locality_filter.setCurrentIndex(0)

    page.show_project(running)
    assert "Welcome pack (Rugby): Active" in page.summary.text()
    page.person_combo.setCurrentIndex(widgets.find_data(page.person_combo, zoe))
    page.role_combo.setCurrentIndex(widgets.find_data(page.role_combo, ProjectRole.REVIEWER))
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert [(p.name, p.role) for p in page.people_model.rows()] == [
        ("Zoë O'Neill", ProjectRole.REVIEWER)
    ]
    page.link_combo.setCurrentIndex(widgets.find_data(page.link_combo, ("experience", item)))
    qtbot.mouseClick(page.link_button, Qt.MouseButton.LeftButton)
    assert [link.target_id for link in projects.get_project(db, running).links] == [item]
    assert (
        widgets.find_data(page.link_combo, ("experience", item)) == -1
    )  # linked: no longer offered
    page.links_table.select_row(0)
    qtbot.mouseClick(page.unlink_button, Qt.MouseButton.LeftButton)
    assert projects.get_project(db, running).links == []
    page.people_table.select_row(0)
    qtbot.mouseClick(page.remove_person_button, Qt.MouseButton.LeftButton)
    assert projects.get_project(db, running).people == []


def test_new_project_and_delete_from_the_page(qtbot, ctx, db, place, monkeypatch) -> None:
    page = make_page(qtbot, ctx)

    def fill(dialog):
        widgets.select_data(dialog.locality_combo, place.locality_id)
        dialog.title_edit.setText("15 Steps follow-up")

    monkeypatch.setattr(ProjectDialog, "ask", answer_project_dialog(qtbot, fill))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert [r.title for r in page.model.rows()] == ["15 Steps follow-up"]
    assert page.current_project_id() == page.model.id_at(0)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert projects.list_projects(db) == []
    assert page.model.rowCount() == 0


def test_the_participant_editor_lists_the_persons_projects(qtbot, ctx, db, place, add_person):
    sian = add_person("Siân Evans", Category.SERVICE_USER)
    pid = projects.create_project(
        db, ProjectInput(locality_id=place.locality_id, title="Welcome pack")
    )
    projects.add_participant(db, pid, sian, ProjectRole.CO_PRODUCER)
    dialog = ParticipantDialog(ctx, participant_id=sian)
    qtbot.addWidget(dialog)
    texts = [dialog.projects_list.item(i).text() for i in range(dialog.projects_list.count())]
    assert texts == ["Welcome pack (Rugby): Co-producer, proposed"]
    assert not dialog.is_dirty()


def test_project_models_pass_the_model_tester(qtmodeltester, db, place, add_person) -> None:
    pid = projects.create_project(db, ProjectInput(locality_id=place.locality_id, title="A"))
    projects.add_participant(db, pid, add_person("Zoë"), ProjectRole.ADVISER)
    for model, rows in (
        (ProjectsModel(), projects.list_projects(db)),
        (ProjectPeopleModel(), projects.get_project(db, pid).people),
        (ProjectLinksModel(), projects.get_project(db, pid).links),
    ):
        model.set_rows(rows)
        qtmodeltester.check(model)


def test_the_projects_page_names_every_control(qtbot, ctx, place, unnamed_controls) -> None:
    page = make_page(qtbot, ctx)
    assert unnamed_controls(page) == []
    dialog = ProjectDialog(ctx)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []


# --- choosing a project and involving someone by typing their name (journey 11) ---------------
# A click on a project shows it (the page once listened to the current row, which a click moves
# before it selects). The person box finds a name from any part of it, accents and apostrophes
# aside; a name that matches no one, or nothing typed, involves nobody.


def _project(db, place):
    return projects.create_project(db, ProjectInput(locality_id=place.locality_id, title="Café"))


def test_a_name_that_matches_no_one_involves_no_one(qtbot, ctx, db, place, add_person, questions):
    add_person("Aled Jones", Category.CARER)
    add_person("Zoë Smith", Category.CARER)
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    page.show_project(project)
    page.person_combo.lineEdit().setText("Nobody here")
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert projects.get_project(db, project).people == []
    assert questions.told


def test_typing_part_of_a_surname_finds_the_person(qtbot, ctx, db, place, add_person, questions):
    add_person("Aled Jones", Category.CARER)
    zoe = add_person("Zoë Smith", Category.CARER)
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    page.show_project(project)
    page.person_combo.setFocus()
    page.person_combo.lineEdit().clear()
    qtbot.keyClicks(page.person_combo.lineEdit(), "smi")
    popup = page.person_combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert [p.participant_id for p in projects.get_project(db, project).people] == [zoe]
    assert not questions.told


def test_clicking_the_first_project_shows_it(qtbot, ctx, db, place):
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail is not None and page.detail.id == project
    assert "Café" in page.summary.text()


def test_clicking_the_second_project_shows_it(qtbot, ctx, db, place):
    _project(db, place)
    second = projects.create_project(db, ProjectInput(locality_id=place.locality_id, title="Bus"))
    page = make_page(qtbot, ctx)
    row = page.model.row_of(second)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail is not None and page.detail.id == second


def test_a_name_is_found_without_its_accents_or_apostrophes(
    qtbot, ctx, db, place, add_person, questions
):
    zoe = add_person("Zoë Smith", Category.CARER)
    add_person("Siobhán O'Neill", Category.SERVICE_USER)
    add_person("Aled Jones", Category.CARER)
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    page.show_project(project)
    popup = page.person_combo.completer().popup()
    for typed, found in (("zoe", "Zoë Smith (Carer)"), ("oneill", "Siobhán O'Neill")):
        page.person_combo.setFocus()
        page.person_combo.lineEdit().clear()
        qtbot.keyClicks(page.person_combo.lineEdit(), typed)
        qtbot.waitUntil(popup.isVisible)
        shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
        assert len(shown) == 1 and shown[0].startswith(found), (typed, shown)
    page.person_combo.lineEdit().clear()
    qtbot.keyClicks(page.person_combo.lineEdit(), "zoe")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.person_combo.currentText() == "Zoë Smith (Carer)"  # its own text, not folded
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert [p.participant_id for p in projects.get_project(db, project).people] == [zoe]
    assert not questions.told


def test_the_empty_tables_show_their_whole_headings(qtbot, ctx, db, place):
    page = make_page(qtbot, ctx)  # no project chosen yet: both tables are empty
    for table in (page.people_table, page.links_table):
        header = table.horizontalHeader()
        model = table.model()
        for column in range(model.columnCount()):
            title = model.headerData(column, Qt.Orientation.Horizontal)
            needed = header.fontMetrics().horizontalAdvance(title)
            assert header.sectionSize(column) >= needed, (title, header.sectionSize(column))


def test_nobody_is_involved_until_someone_is_chosen(qtbot, ctx, db, place, add_person, questions):
    add_person("Aled Jones", Category.CARER)
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    page.show_project(project)
    assert page.person_combo.currentText() == ""  # the "Type part of a name…" hint shows
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert projects.get_project(db, project).people == []
    assert questions.told


def test_pay_for_project_work_waits_for_a_project_and_says_why(qtbot, ctx, db, place):
    """It was enabled with no project chosen and did nothing when pressed."""
    project = _project(db, place)
    page = make_page(qtbot, ctx)
    assert not page.work_button.isEnabled()
    assert "Choose a project" in page.work_button.toolTip()
    page.show_project(project)
    assert page.work_button.isEnabled()
    assert "Choose a project" not in page.work_button.toolTip()


def test_the_register_shows_every_heading_whole_at_1366(qtbot, ctx, db, place):
    """At 1366x768 (the page beside the navigation: about 1190 wide) the register's headings
    were cut ("ervice or tean") and it scrolled sideways."""
    for n in range(12):
        projects.create_project(
            db,
            ProjectInput(
                locality_id=place.locality_id,
                title=f"Co-designing the carers' welcome pack, part {n}",
                service="Early Intervention in Psychosis Service",
                lead="Dr Christopher Fitzgerald-Montgomery",
                status=ProjectStatus.COMPLETED,
                started_on=date(2025, 1, 6),
                ended_on=date(2025, 2, 6),
            ),
        )
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1190, 700)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    margin = header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin)
    for column in range(page.model.columnCount()):
        title = page.model.headerData(column, Qt.Orientation.Horizontal)
        needed = header.fontMetrics().horizontalAdvance(title) + 2 * margin
        assert header.sectionSize(column) >= needed, (title, header.sectionSize(column))
    assert page.table.horizontalScrollBar().maximum() == 0


def test_the_name_box_shows_its_prompt_whole_at_1366(qtbot, ctx, db, place):
    """Beside the role and two buttons in the side panel, the box for a person's name showed
    "Type p…" at 1366x768; on a row of its own it shows the whole prompt."""
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1190, 700)
    page.show()
    qtbot.waitExposed(page)
    typed = page.person_combo.lineEdit()
    assert typed is not None
    needed = typed.fontMetrics().horizontalAdvance(typed.placeholderText())
    assert typed.width() > needed + 20, (typed.width(), needed)


def test_the_links_show_every_heading_whole_at_1366(qtbot, ctx, db, place, event_meeting):
    """On the large demo at 1366x768 (the page beside the navigation: about 1190 wide) the
    links' heading "Reference or kind" showed as "ference or ki" while the Text column kept
    its full width and the table scrolled sideways; then the Text column gave way to 46 px.
    What is linked is one column now ("Action NAN-A2244"), and the text has the room."""
    project = _project(db, place)
    action = actions.raise_action(
        db,
        locality_id=place.locality_id,
        meeting_id=event_meeting,
        data=actions.ActionInput(title="Give every new carer the carers' centre's leaflet"),
        today=date(2025, 3, 12),
    )
    item = meetings.add_experience(
        db,
        event_meeting,
        ExperienceInput(
            kind=ExperienceKind.IDEA, summary="A carers' passport so carers are known on a ward"
        ),
    )
    projects.link_action(db, project, action)
    projects.link_experience(db, project, item)
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1190, 700)
    page.show()
    qtbot.waitExposed(page)
    page.show_project(project)
    table = page.links_table
    assert table.model().rowCount() == 2
    header = table.horizontalHeader()
    em = table.fontMetrics().horizontalAdvance("M")
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    for column in range(table.model().columnCount()):
        title = table.model().headerData(column, Qt.Orientation.Horizontal)
        needed = header.fontMetrics().horizontalAdvance(title) + margin + em // 2
        assert header.sectionSize(column) >= needed, (title, header.sectionSize(column))
    assert table.horizontalScrollBar().maximum() == 0
    # What is linked is one column, so the text has the room (it had 46 px, "Giv…").
    linked = [table.model().index(r, 0).data() for r in range(2)]
    assert linked[0].startswith("Action ") and linked[1] == "Experience: Idea", linked
    text = table.model().index(0, 1).data()
    needed = table.fontMetrics().horizontalAdvance(text[:20])
    assert header.sectionSize(1) >= needed, (header.sectionSize(1), needed)
