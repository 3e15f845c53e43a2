"""Choosing a project and involving someone in it by typing their name (journey 11).

A click on a project shows it (before, the click moved the current row before selecting it and
the page, listening to the current row, found nothing chosen: no click ever showed a project).

The person box is editable: typing a few letters of any part of a name finds the person, and a
name that matches no one (or only half-typed) involves nobody rather than whoever the box had
chosen before the typing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from coordinator_app.core import projects
from coordinator_app.core.projects import ProjectInput
from coordinator_app.core.vocab import Category
from coordinator_app.ui.views.projects import ProjectsPage


def make_page(qtbot, ctx) -> ProjectsPage:
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


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
