"""Equality monitoring on screen (issue #27): consent first, every control named, saved through
the one operation, a stack of paper forms at keyboard speed, nothing in the participants list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from coordinator_app.core import monitoring
from coordinator_app.core.vocab import Category
from coordinator_app.ui import operations
from coordinator_app.ui.dialogs.monitoring_dialog import (
    NO_ANSWER,
    EqualityMonitoringDialog,
    QuickEntryDialog,
)
from coordinator_app.ui.views.participants import ParticipantsPage

INDIAN = "Asian, Asian British or Asian Welsh: Indian"


def _choose(combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def test_consent_comes_first_and_answers_are_saved(qtbot, ctx, place, add_person, type_text):
    zoe = add_person("Zoë Davies", Category.CARER, place.locality_id)
    dialog = EqualityMonitoringDialog(ctx, zoe, "Zoë Davies")
    qtbot.addWidget(dialog)
    dialog.show()
    fields = dialog.fields
    ethnic = fields.combos["Ethnic group"]
    assert ethnic.accessibleName() == "Ethnic group"
    assert ethnic.currentText() == NO_ANSWER
    assert not ethnic.isEnabled()  # consent first
    type_text(fields.consent_date_edit, "05/01/2025")
    assert not ethnic.isEnabled()
    type_text(fields.consent_how_edit, "On the paper form")
    assert ethnic.isEnabled()
    _choose(ethnic, INDIAN)
    _choose(fields.combos["Age band"], "25 to 34")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert operations.last_thread() is not None
    assert monitoring.read_answers(ctx.db, zoe) == monitoring.Answers(
        date(2025, 1, 5), "On the paper form", {"Age band": "25 to 34", "Ethnic group": INDIAN}
    )
    again = EqualityMonitoringDialog(ctx, zoe, "Zoë Davies")
    qtbot.addWidget(again)
    assert again.fields.combos["Ethnic group"].currentText() == INDIAN
    assert again.remove_button.isEnabled()


def test_a_bad_consent_date_is_shown_at_its_field_and_nothing_saved(
    qtbot, ctx, place, add_person, type_text
):
    zoe = add_person("Zoë Davies", Category.CARER, place.locality_id)
    dialog = EqualityMonitoringDialog(ctx, zoe, "Zoë Davies")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.fields.consent_date_edit, "01/01/2099")
    type_text(dialog.fields.consent_how_edit, "Phone")
    _choose(dialog.fields.combos["Sex"], "Female")
    dialog.save()
    assert dialog.isVisible()
    assert "future" in dialog.fields.errors.message("consent_date")
    assert monitoring.read_answers(ctx.db, zoe) is None


def test_quick_entry_saves_a_stack_of_forms(qtbot, ctx, place, add_person, type_text):
    ids = [
        add_person(name, Category.SERVICE_USER, place.locality_id) for name in ("Ann Lee", "Bo Kay")
    ]
    dialog = QuickEntryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    type_text(dialog.fields.consent_date_edit, "03/02/2025")
    type_text(dialog.fields.consent_how_edit, "Paper form at the forum")
    for name, sex in (("Ann", "Female"), ("Bo Kay", "Male")):
        type_text(dialog.search_edit, name)
        assert dialog.results.count() == 1
        _choose(dialog.fields.combos["Sex"], sex)
        combo = dialog.fields.combos["Sex"]
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert dialog.search_edit.text() == ""
        assert dialog.fields.combos["Sex"].currentText() == NO_ANSWER
    assert dialog.saved == 2 and dialog.status.text() == "2 forms saved."
    assert [monitoring.read_answers(ctx.db, i).answers for i in ids] == [  # type: ignore[union-attr]
        {"Sex": "Female"},
        {"Sex": "Male"},
    ]


def test_the_participants_list_shows_no_answers(qtbot, ctx, place, add_person):
    zoe = add_person("Zoë Davies", Category.CARER, place.locality_id)
    monitoring.record_answers(
        ctx.db, zoe, consent_date=date(2025, 1, 5), consent_how="Form", answers={"Sex": "Female"}
    )
    page = ParticipantsPage(ctx)
    qtbot.addWidget(page)
    model = page.model
    cells = [
        str(model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert not [c for c in cells if "Female" in c or c == "Form"]
    assert page.monitoring_button.accessibleName() == (
        "Equality monitoring of the selected participant"
    )


def test_the_reach_tab_puts_the_most_under_represented_first(qtbot, ctx, place, answered_sex):
    from pytestqt.modeltest import ModelTester

    from coordinator_app.ui.views.returns import ReturnsPage

    answered_sex(6, female=5)
    sex = next(c for c in monitoring.read_characteristics(ctx.db) if c.name == "Sex")
    monitoring.save_population_shares(
        ctx.db, place.locality_id, {sex.groups[0].id: 51.0, sex.groups[1].id: 49.0}
    )
    page = ReturnsPage(ctx)
    qtbot.addWidget(page)
    panel = page.reach_panel
    assert page.tabs.tabText(page.tabs.indexOf(panel)) == "Re&ach"
    widgets_select = panel.scope_combo.findText("Rugby")
    panel.scope_combo.setCurrentIndex(widgets_select)
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    ModelTester(None).check(panel.model)
    first = [panel.model.data(panel.model.index(0, c)) for c in range(6)]
    assert first == ["Sex", "Male", "<5", "<5", "49.0", ""]  # hidden, yet the furthest below
    second = [panel.model.data(panel.model.index(1, c)) for c in range(6)]
    assert second == ["Sex", "Female", "*", "*", "51.0", ""]
    assert panel.summary.text() == "6 people counted from 01/04/2024 to 20/03/2025."
    assert panel.chart_combo.currentText() == "Sex"  # the most under-represented group's
    assert "Male hidden (<5: fewer than 5, not 0)" in panel.chart.text
    panel.hide_small.setChecked(False)
    first = [panel.model.data(panel.model.index(0, c)) for c in range(6)]
    assert first == ["Sex", "Male", "1", "16.7", "49.0", "-32.3"]
    assert "Male 16.7% (population 49.0%)" in panel.chart.text


def test_population_shares_are_entered_per_locality(qtbot, ctx, place, type_text):
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog

    dialog = OrganisationDialog(ctx)
    qtbot.addWidget(dialog)
    panel = dialog.shares_panel
    assert dialog.tabs.tabText(dialog.tabs.indexOf(panel)) == "&Population shares"
    panel.locality_combo.setCurrentIndex(panel.locality_combo.findText("Rugby"))
    sex = next(c for c in monitoring.read_characteristics(ctx.db) if c.name == "Sex")
    female, male = sex.groups[0].id, sex.groups[1].id
    assert panel.edits[female].accessibleName() == "Sex: Female, per cent"
    type_text(panel.edits[female], "51.2%")
    type_text(panel.edits[male], "lots")
    assert not panel.save()
    assert "not a number" in panel.errors.message(str(male))
    panel.edits[male].clear()
    type_text(panel.edits[male], "60")
    assert not panel.save()  # 111.2% in all: the core refuses, nothing saved
    assert "over 100" in panel.errors.message(str(male)) + panel.errors.message(str(female))
    with ctx.db.reading() as conn:
        assert monitoring.population_shares(conn, place.locality_id) == {}
    panel.edits[male].clear()
    type_text(panel.edits[male], "48.8")
    assert panel.save()
    with ctx.db.reading() as conn:
        assert monitoring.population_shares(conn, place.locality_id) == {female: 51.2, male: 48.8}


def test_the_trust_edits_its_lists(qtbot, ctx, place):
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog

    dialog = OrganisationDialog(ctx)
    qtbot.addWidget(dialog)
    panel = dialog.lists_panel
    text = panel.editor.toPlainText()
    assert text.startswith("Age band\nUnder 16\n16 to 24") and "Not asked" not in text
    panel.editor.setPlainText(text + "\n\nFirst language\nEnglish\nWelsh")
    assert panel.save()
    known = {c.name: [g.name for g in c.groups] for c in monitoring.read_characteristics(ctx.db)}
    assert known["First language"] == ["English", "Welsh", "Prefer not to say", "Not asked"]
    panel.editor.setPlainText("Sex\nFemale\n\nsex\nMale")
    assert not panel.save()
    assert "twice" in panel.problem.text()


def test_quick_entry_prints_a_blank_form_in_large_print(qtbot, ctx, place, monkeypatch):
    from coordinator_app.ui import printing

    shown = []
    monkeypatch.setattr(printing, "preview", lambda parent, document: shown.append(document))
    dialog = QuickEntryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.large_check.setChecked(True)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    (document,) = shown
    assert document.large_print and document.title == "Equality monitoring form"


def test_the_reach_chart_says_what_it_shows(qtbot, ctx, place, add_person):
    from coordinator_app.ui.reach_chart import ReachChart, chart_text

    chart = ReachChart()
    qtbot.addWidget(chart)
    rows = [("Female", 75.0, 51.0), ("Male", "<5", 49.0)]
    chart.draw("Sex", rows)
    assert chart.plot.accessibleDescription() == (
        "Sex: Female 75.0% (population 51.0%); "
        "Male hidden (<5: fewer than 5, not 0) (population 49.0%)."
    )
    assert chart_text("Carer", [("Yes", None, None)]) == "Carer: Yes no one to count."


def test_the_reach_tab_and_the_new_dialogs_give_every_alt_letter_one_place(qtbot, ctx, place):
    from test_mnemonics import clashes

    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog
    from coordinator_app.ui.main_window import PAGE_TITLES, MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page(PAGE_TITLES.index("Returns"))
    returns = next(w for w in window.findChildren(QWidget) if hasattr(w, "reach_panel"))
    returns.tabs.setCurrentWidget(returns.reach_panel)
    assert returns.reach_panel.isVisible()
    assert clashes(window) == {}
    for dialog in (QuickEntryDialog(ctx), OrganisationDialog(ctx)):
        qtbot.addWidget(dialog)
        dialog.show()
        tabs = getattr(dialog, "tabs", None)
        for index in range(tabs.count() if tabs else 1):
            if tabs:
                tabs.setCurrentIndex(index)
            assert clashes(dialog) == {}, index


def test_the_trust_names_seldom_heard_groups_and_home_shows_them(qtbot, ctx, place):
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog
    from coordinator_app.ui.views.home import HomePage

    dialog = OrganisationDialog(ctx)
    qtbot.addWidget(dialog)
    panel = dialog.lists_panel
    panel.editor.setPlainText(panel.editor.toPlainText().replace("\n16 to 24\n", "\n* 16 to 24\n"))
    assert panel.save()
    again = OrganisationDialog(ctx)
    qtbot.addWidget(again)
    assert "\n* 16 to 24\n" in again.lists_panel.editor.toPlainText()
    home = HomePage(ctx)
    qtbot.addWidget(home)
    text = home.seldom_text.text()
    assert "<b>Rugby</b>: 16 to 24: 0 people" in text
    assert home.seldom_text.accessibleDescription() == "Seldom-heard groups reached"


def test_home_says_plainly_that_no_seldom_heard_group_is_set_and_where_to_set_one(
    qtbot, ctx, place
):
    """With none marked, the card said "(Organisation, Monitoring groups: start a group with
    *)". Now a sentence says what that means and what to do, naming the menu and the tab as
    they are (the tab is there, and its own words say * marks a seldom-heard group)."""
    from coordinator_app.ui.dialogs.organisation_dialog import OrganisationDialog
    from coordinator_app.ui.views.home import HomePage

    home = HomePage(ctx)
    qtbot.addWidget(home)
    assert home.seldom_text.text() == (
        "No seldom-heard groups are set yet, so there is no progress to show. To follow a group "
        "the trust wants to hear from more (for example people aged 16 to 24), choose Edit, "
        "Organisation, open the Monitoring groups tab and type * at the start of that group's "
        "line."
    )
    dialog = OrganisationDialog(ctx)
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i).replace("&", "") for i in range(dialog.tabs.count())]
    assert "Monitoring groups" in tabs
    assert "16 to 24" in dialog.lists_panel.editor.toPlainText()


def test_enter_in_the_participant_box_chooses_the_person_and_opens_nothing(
    qtbot, ctx, place, add_person, type_text, monkeypatch
):
    """The reviewer's walk: a name and Enter opened the blank form's print preview (its button
    was the dialog's default). Now it chooses the person and moves on; no button is a default."""
    from PySide6.QtWidgets import QPushButton

    from coordinator_app.ui import printing

    shown: list[object] = []
    monkeypatch.setattr(printing, "preview", lambda parent, document: shown.append(document))
    add_person("Ann Lee", Category.SERVICE_USER, place.locality_id)
    dialog = QuickEntryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    type_text(dialog.search_edit, "Ann")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert shown == []
    assert dialog.fields.consent_date_edit.hasFocus()
    assert dialog.chosen() is not None
    assert [
        b.text() for b in dialog.findChildren(QPushButton) if b.autoDefault() or b.isDefault()
    ] == []
    # With the consent kept from the last form, Enter goes on to the first answer.
    type_text(dialog.fields.consent_date_edit, "03/02/2025")
    type_text(dialog.fields.consent_how_edit, "Paper form")
    dialog.search_edit.setFocus()
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert shown == [] and next(iter(dialog.fields.combos.values())).hasFocus()


def test_every_question_and_its_whole_answer_box_show_without_scrolling_sideways(qtbot, ctx, place):
    """It opened 526 wide with a sideways scroll bar and the answer boxes cut at the right."""
    from PySide6.QtWidgets import QScrollArea

    for dialog in (QuickEntryDialog(ctx), EqualityMonitoringDialog(ctx, place.locality_id, "X")):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        area = dialog.findChild(QScrollArea)
        assert area.horizontalScrollBar().maximum() == 0
        viewport = area.viewport().rect()
        for combo in dialog.fields.combos.values():
            right = combo.mapTo(area.viewport(), combo.rect().topRight()).x()
            assert right <= viewport.right(), combo.accessibleName()
            assert combo.width() >= combo.sizeHint().width(), combo.accessibleName()
        # Asked for the height of every question (the screen may give less).
        assert dialog.height() >= min(
            dialog.fields.sizeHint().height(), dialog.screen().availableGeometry().height() - 100
        )
