"""Two instances on one database, seen from the accreditation page and the strategic priorities
dialog: a save over someone else's change to the same standard (evidence, notes or rating) asks
Reload or Keep editing (``widgets.ask_conflict``, answered by the ``questions`` fixture). Reload
shows their text; Keep editing keeps my text on screen, keeps the selection on that standard and
saves nothing. A stale rename or retire of a priority is refused the same way.

"Someone else" is a second ``Database`` opened on the same database as the page's.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from coordinator_app.core import actions, standards
from coordinator_app.core.accreditation import (
    CheckRow,
    assessment_checks,
    set_check,
    start_assessment,
)
from coordinator_app.core.db import Database
from coordinator_app.core.vocab import AssessmentKind, Rating
from coordinator_app.ui.dialogs.priorities_dialog import PrioritiesDialog
from coordinator_app.ui.views.accreditation import AccreditationPage

CONFLICT = (
    "This standard check was changed since you opened it. Reload to see it as saved now; "
    "your edits are kept on screen until you do."
)


@pytest.fixture
def opened(qtbot, ctx, place):
    """The page with a draft self-review of Rugby open, its first standard selected."""
    with ctx.db.transaction() as session:
        framework_id = standards.load_default_framework(session)
    assessment_id = start_assessment(
        ctx.db,
        locality_id=place.locality_id,
        framework_id=framework_id,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=date(2025, 3, 18),
        assessors=["Zoë Smith"],
    )
    page = AccreditationPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    page.open_assessment(assessment_id)
    return page, assessment_id


def stored(db: Database, assessment_id: uuid.UUID, n: int = 0) -> CheckRow:
    with db.session() as session:
        return assessment_checks(session, assessment_id)[n]


def their_save(other: Database, assessment_id: uuid.UUID, **changes: object) -> None:
    check = stored(other, assessment_id)
    set_check(other, check.id, expected_version=check.version, **changes)  # type: ignore[arg-type]


def test_reload_shows_their_evidence_and_my_next_save_goes_through(
    qtbot, opened, other, questions
) -> None:
    page, assessment_id = opened
    panel = page.panel
    first = panel.model.checks()[0]
    their_save(other, assessment_id, evidence="Siân's minutes of 3 May", rating=Rating.MET)
    panel.evidence_edit.setFocus()
    panel.evidence_edit.setPlainText("Zoë's survey of 40 people")
    panel.notes_edit.setFocus()  # leaving the box saves: refused
    assert questions.conflicts == [CONFLICT]
    assert stored(other, assessment_id).evidence == "Siân's minutes of 3 May"
    # Reload (the fixture's answer): theirs on screen, the same standard still shown.
    assert panel.current_check().id == first.id
    assert panel.evidence_edit.toPlainText() == "Siân's minutes of 3 May"
    assert panel.rating_combo.currentData() == Rating.MET
    assert "Reloaded" in panel.status_label.text()
    # The page now holds their version: my next save goes through without a question.
    panel.notes_edit.setPlainText("Seen by Seán")
    panel.select_check(panel.model.checks()[1].id)
    assert len(questions.conflicts) == 1
    saved = stored(other, assessment_id)
    assert (saved.evidence, saved.notes) == ("Siân's minutes of 3 May", "Seen by Seán")
    assert panel.current_check().id == panel.model.checks()[1].id


def test_keep_editing_keeps_my_text_and_the_selection_and_saves_nothing(
    qtbot, opened, other, questions
) -> None:
    page, assessment_id = opened
    panel = page.panel
    checks = panel.model.checks()
    questions.reload = False
    their_save(other, assessment_id, notes="Seen by Seán")
    panel.evidence_edit.setPlainText("Zoë's survey of 40 people")
    # A click on another standard tries to save first: refused, and the click is undone.
    target = panel.model.index_of(checks[2].id)
    panel.tree.scrollTo(target)
    qtbot.mouseClick(
        panel.tree.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.tree.visualRect(target).center(),
    )
    assert questions.conflicts == [CONFLICT]
    assert panel.current_check().id == checks[0].id
    qtbot.waitUntil(
        lambda: (
            [panel.model.check_at(i).id for i in panel.tree.selectionModel().selectedRows()]
            == [checks[0].id]
        )
    )
    assert panel.evidence_edit.toPlainText() == "Zoë's survey of 40 people"
    assert panel.notes_edit.toPlainText() == ""  # theirs not shown until I reload
    assert "Not saved" in panel.status_label.text()
    assert panel.theirs_button.isVisible()
    # True whoever changed it (another computer, or this coordinator anonymising someone it
    # named), and the button is heard by the words it shows (label in name).
    said = " ".join([panel.status_label.text(), questions.asked[-1] if questions.asked else ""])
    assert "someone else" not in said.casefold()
    heard = QAccessible.queryAccessibleInterface(panel.theirs_button)
    assert heard.text(QAccessible.Text.Name).startswith("Show it as saved")
    saved = stored(other, assessment_id)
    assert (saved.evidence, saved.notes) == ("", "Seen by Seán")

    # Trying again with the same text is refused without asking again; so is a rating.
    panel.select_check(checks[1].id)
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)
    assert len(questions.conflicts) == 1
    assert panel.current_check().id == checks[0].id
    assert panel.evidence_edit.toPlainText() == "Zoë's survey of 40 people"
    assert stored(other, assessment_id).rating == Rating.NOT_YET_RATED

    # Leaving the assessment asks first; staying keeps everything.
    questions.answer = False
    page.panel.back_button.click()
    assert "could not be saved" in questions.asked[-1]
    assert "someone else" not in questions.asked[-1]
    assert page.assessment_stack.currentWidget() is panel
    assert page.finish_editing() is False
    assert panel.evidence_edit.toPlainText() == "Zoë's survey of 40 people"

    # Show it as saved: theirs on screen, mine dropped, and the selection free again.
    panel.theirs_button.click()
    assert panel.notes_edit.toPlainText() == "Seen by Seán"
    assert panel.evidence_edit.toPlainText() == ""
    assert not panel.theirs_button.isVisible()
    panel.select_check(checks[1].id)
    assert panel.current_check().id == checks[1].id
    assert len(questions.conflicts) == 1


def test_a_stale_rating_is_refused_and_the_selection_does_not_move_on(
    qtbot, opened, other, questions
) -> None:
    page, assessment_id = opened
    panel = page.panel
    first = panel.model.checks()[0]
    their_save(other, assessment_id, rating=Rating.NOT_MET)
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)  # met, over their not met
    assert questions.conflicts == [CONFLICT]
    assert stored(other, assessment_id).rating == Rating.NOT_MET
    # Reloaded: their rating shown on the same standard, in the list and the box.
    assert panel.current_check().id == first.id
    assert panel.current_check().rating == Rating.NOT_MET
    assert panel.rating_combo.currentData() == Rating.NOT_MET
    # Rating again now goes through, and moves on as usual.
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)
    assert len(questions.conflicts) == 1
    assert stored(other, assessment_id).rating == Rating.MET
    assert panel.current_check().id == panel.model.checks()[1].id


def test_keep_editing_a_rating_leaves_the_box_on_the_rating_shown(
    qtbot, opened, other, questions
) -> None:
    page, assessment_id = opened
    panel = page.panel
    questions.reload = False
    their_save(other, assessment_id, evidence="Theirs")
    qtbot.keyClick(panel.tree, Qt.Key.Key_2)
    assert questions.conflicts == [CONFLICT]
    assert panel.rating_combo.currentData() == Rating.NOT_YET_RATED
    assert panel.current_check().rating == Rating.NOT_YET_RATED
    saved = stored(other, assessment_id)
    assert (saved.rating, saved.evidence) == (Rating.NOT_YET_RATED, "Theirs")


# --- strategic priorities -----------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot, ctx):
    priority = actions.create_priority(ctx.db, "Our communities")
    dialog = PrioritiesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.select_name("Our communities")
    assert dialog.selected_id() == priority
    return dialog, priority


def names(db: Database) -> list[str]:
    return [p.name for p in actions.list_priorities(db, include_retired=True)]


def test_a_stale_rename_asks_and_reload_lists_their_name(dialog, other, questions) -> None:
    dialog, priority = dialog
    actions.rename_priority(other, priority, "Our places")
    dialog.name_edit.setText("Our neighbourhoods")
    assert dialog.rename() is False
    assert len(questions.conflicts) == 1
    assert "strategic priority" in questions.conflicts[0]
    assert "Our places" in names(other) and "Our neighbourhoods" not in names(other)
    # Reloaded: their name listed, still selected, my typed name kept for another try.
    assert "Our places" in dialog.names()
    assert dialog.selected_id() == priority
    assert dialog.name_edit.text() == "Our neighbourhoods"
    assert dialog.rename() is True
    assert "Our neighbourhoods" in names(other)


def test_a_stale_retire_with_keep_editing_changes_nothing(dialog, other, questions) -> None:
    dialog, priority = dialog
    questions.reload = False
    actions.rename_priority(other, priority, "Our places")
    assert dialog.toggle_retired() is False
    assert len(questions.conflicts) == 1
    assert "Our communities" in dialog.names()  # the list as it was
    assert "Not saved" in dialog.name_error.text()
    assert not any(p.retired for p in actions.list_priorities(other, include_retired=True))


def test_anonymising_someone_takes_their_name_from_the_evidence_being_typed(
    qtbot, opened, add_person, questions
) -> None:
    """Typed, not saved yet, when the person was anonymised from the Privacy menu: leaving the
    box saved the name back into the record, where nothing could find it any more."""
    from coordinator_app.ui.dialogs.privacy_dialogs import anonymise_one

    page, assessment_id = opened
    panel = page.panel
    zeb = add_person("Zebedee Quartermain")
    panel.evidence_edit.setPlainText("Zebedee Quartermain chaired the panel.")
    assert anonymise_one(page.ctx, zeb, page)
    assert panel.evidence_edit.toPlainText() == "[service user] chaired the panel."
    assert panel.save_texts()
    assert stored(page.ctx.db, assessment_id).evidence == "[service user] chaired the panel."
    assert questions.conflicts == []
