"""The Accreditation page: rating a whole assessment by keyboard with a live tally, submit and
reopen, evidence saved on leaving the box, files refused over 20 MB, an action raised from a gap,
progress over time, framework import and export, the report, and the models under the model
tester."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from coordinator_app.core import accreditation, actions, standards
from coordinator_app.core.accreditation import (
    assessment_checks,
    assessment_summary,
    set_check,
    start_assessment,
    submit_assessment,
)
from coordinator_app.core.models import Action
from coordinator_app.core.rules import AccreditationResult
from coordinator_app.core.vocab import (
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    Rating,
)
from coordinator_app.ui import widgets
from coordinator_app.ui.dialogs.assessment_dialogs import (
    AssessmentActionDialog,
    NewAssessmentDialog,
)
from coordinator_app.ui.dialogs.framework_problems import FrameworkProblemsDialog
from coordinator_app.ui.models.accreditation_checklist import ChecklistModel
from coordinator_app.ui.models.accreditation_tables import (
    AssessmentsModel,
    ChangesModel,
    FrameworksModel,
    HistoryModel,
)
from coordinator_app.ui.views.accreditation import AccreditationPage
from coordinator_app.ui.views.accreditation import questions as view

TODAY = date(2025, 3, 20)  # the ``ctx`` fixture's today

KEYS = {
    Rating.MET: Qt.Key.Key_1,
    Rating.PARTLY_MET: Qt.Key.Key_2,
    Rating.NOT_MET: Qt.Key.Key_3,
    Rating.NOT_APPLICABLE: Qt.Key.Key_4,
}


def _default_framework(db) -> uuid.UUID:
    with db.transaction() as session:
        return standards.load_default_framework(session)


def _start(db, locality_id, framework_id, on: date = date(2025, 3, 18)) -> uuid.UUID:
    return start_assessment(
        db,
        locality_id=locality_id,
        framework_id=framework_id,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=on,
        assessors=["Zoë Smith", "Siân O'Neill"],
    )


def _ratings(db, assessment_id) -> list[Rating]:
    with db.session() as session:
        return [c.rating for c in assessment_checks(session, assessment_id)]


def _status(db, assessment_id) -> AssessmentStatus:
    with db.session() as session:
        return assessment_summary(session, assessment_id).status


def make_page(qtbot, ctx) -> AccreditationPage:
    page = AccreditationPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def opened(qtbot, ctx, place):
    """The page with a draft self-review of Rugby against the default framework open."""
    framework_id = _default_framework(ctx.db)
    assessment_id = _start(ctx.db, place.locality_id, framework_id)
    page = make_page(qtbot, ctx)
    page.open_assessment(assessment_id)
    return page, assessment_id


# --- rating by keyboard ---------------------------------------------------------------------


def test_a_whole_assessment_is_rated_with_keys_1_to_4(qtbot, ctx, opened):
    page, assessment_id = opened
    panel, tree = page.panel, page.panel.tree
    checks = panel.model.checks()
    assert len(checks) == 36
    assert panel.current_check().id == checks[0].id
    assert "Incomplete (36 not yet rated)" in panel.result_label.text()

    pattern = list(itertools.islice(itertools.cycle(KEYS), len(checks)))
    for number, rating in enumerate(pattern, start=1):
        qtbot.keyClick(tree, KEYS[rating])
        if number < len(checks):
            # The next standard is selected, and the tally says what is left.
            assert panel.current_check().id == checks[number].id
            assert f"Incomplete ({len(checks) - number} not yet rated)" in (
                panel.result_label.text()
            )
    assert _ratings(ctx.db, assessment_id) == pattern
    with ctx.db.session() as session:
        expected = assessment_summary(session, assessment_id)
    assert panel.result_label.text() == f"Result if submitted now: {expected.result.value}"
    essential = expected.by_criticality[1]
    assert panel.tally_labels[1].text().startswith(f"{essential.met} met of {essential.rated}")
    assert [c.rating for c in panel.model.checks()] == pattern  # the list shows them too

    # Rate every standard met: from the first one, key 1 thirty-six times.
    panel.select_check(checks[0].id)
    for _ in checks:
        qtbot.keyClick(tree, Qt.Key.Key_1)
    assert _ratings(ctx.db, assessment_id) == [Rating.MET] * 36
    assert panel.result_label.text() == "Result if submitted now: Accredited"
    assert "100%" in panel.tally_labels[1].text()
    # The last standard stays selected after its rating (there is no next one).
    assert panel.current_check().id == checks[-1].id

    # One essential standard not met: no longer accredited.
    first_essential = next(c for c in checks if c.criticality == 1)
    panel.select_check(first_essential.id)
    qtbot.keyClick(tree, Qt.Key.Key_3)
    assert "Accredited" not in panel.result_label.text()
    with ctx.db.session() as session:
        assert assessment_summary(session, assessment_id).result != AccreditationResult.ACCREDITED
        assert panel.result_label.text().endswith(
            assessment_summary(session, assessment_id).result.value
        )


def test_a_rating_by_key_is_said_and_ctrl_z_takes_it_back(qtbot, ctx, opened):
    """Issue #22 / journey 10: digits typed while the list had the keyboard (meant for the
    evidence box) re-rated 5.1 from Partly met to Met with no sign and no undo. A rating by key
    is now said under the tally, and Ctrl+Z in the list takes it back."""
    page, assessment_id = opened
    panel, tree = page.panel, page.panel.tree
    checks = panel.model.checks()
    qtbot.keyClick(tree, Qt.Key.Key_2)  # the first: partly met
    panel.select_check(checks[0].id)
    qtbot.keyClick(tree, Qt.Key.Key_1)  # the slip: met
    said = panel.status_label.text()
    assert said == f"Standard {checks[0].code}: Met (was partly met). Ctrl+Z in the list undoes it."
    assert panel.current_check().id == checks[1].id
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _ratings(ctx.db, assessment_id)[0] == Rating.PARTLY_MET
    assert panel.current_check().id == checks[0].id
    assert panel.status_label.text() == f"Undone: standard {checks[0].code} is partly met again."
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _ratings(ctx.db, assessment_id)[0] == Rating.NOT_YET_RATED  # the one before
    assert panel.undo_rating() is False  # nothing left: said, nothing changed
    assert panel.status_label.text() == "Nothing to undo."


def test_rating_keys_on_a_domain_heading_change_nothing(qtbot, ctx, opened):
    page, assessment_id = opened
    panel = page.panel
    panel.tree.setCurrentIndex(panel.model.index(0, 0))  # the first domain's heading
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)
    assert set(_ratings(ctx.db, assessment_id)) == {Rating.NOT_YET_RATED}
    assert "Select a standard" in panel.status_label.text()


def test_the_rating_box_rates_for_mouse_users(qtbot, ctx, opened):
    page, assessment_id = opened
    panel = page.panel
    panel.rating_combo.setCurrentIndex(widgets.find_data(panel.rating_combo, Rating.PARTLY_MET))
    panel.rating_combo.activated.emit(panel.rating_combo.currentIndex())
    assert _ratings(ctx.db, assessment_id)[0] == Rating.PARTLY_MET
    assert panel.model.checks()[0].rating == Rating.PARTLY_MET


def test_selecting_a_standard_shows_what_it_asks_and_its_criticality_in_words(qtbot, opened):
    page, _ = opened
    panel = page.panel
    check = panel.model.checks()[3]
    panel.select_check(check.id)
    assert panel.standard_label.text() == f"{check.code} {check.title}"
    word = {1: "Essential", 2: "Expected", 3: "Desirable"}[check.criticality]
    assert f"Criticality: {word}." in panel.facts_label.text()
    assert panel.description_label.text() == (check.description or "No description.")
    assert panel.guidance_label.text() == (check.evidence_guidance or "No guidance given.")


def test_adding_an_evidence_file_is_in_view_beside_the_standards(qtbot, opened):
    """On a 1200x800 page the evidence and notes boxes keep their height, so "Add file…" shows
    without scrolling the standard's pane (before, the boxes grew and pushed it out of view)."""
    page, _ = opened
    panel = page.panel
    panel.select_check(panel.model.checks()[0].id)
    QApplication.processEvents()
    button = panel.add_file_button
    scroll = next(a for a in panel.findChildren(QScrollArea) if a.widget() is panel.detail)
    top = button.mapTo(scroll.viewport(), button.rect().topLeft()).y()
    assert top >= 0 and top + button.height() <= scroll.viewport().height()
    assert panel.evidence_edit.height() == panel.evidence_edit.minimumHeight()


# --- evidence --------------------------------------------------------------------------------


def test_evidence_is_saved_when_the_box_loses_focus(qtbot, ctx, opened, type_text):
    page, assessment_id = opened
    panel = page.panel
    panel.evidence_edit.setFocus()
    type_text(panel.evidence_edit, "Zoë's survey of 40 people")
    panel.notes_edit.setFocus()  # leaving the box saves
    with ctx.db.session() as session:
        first = assessment_checks(session, assessment_id)[0]
    assert first.evidence == "Zoë's survey of 40 people"

    panel.notes_edit.setPlainText("Siân to check the minutes")
    panel.select_check(panel.model.checks()[1].id)  # moving on saves too
    with ctx.db.session() as session:
        assert assessment_checks(session, assessment_id)[0].notes == "Siân to check the minutes"
    panel.select_check(panel.model.checks()[0].id)
    assert panel.evidence_edit.toPlainText() == "Zoë's survey of 40 people"


def test_papers_sent_are_added_to_the_evidence(qtbot, ctx, opened, place, add_meeting_at):
    """Issue #29: the dates the agenda and minutes went out, from the app's record."""
    from datetime import UTC, datetime, time

    from coordinator_app.core import papers
    from coordinator_app.core.vocab import PapersKind

    page, assessment_id = opened
    held = add_meeting_at(place.forum_id, date(2025, 3, 6))
    sent = datetime.combine(date(2025, 3, 16), time(9), tzinfo=UTC)
    papers.record_sending(
        ctx.db, held, PapersKind.MINUTES, emails=5, letters=1, not_sent=2, sent_at=sent
    )
    panel = page.panel
    panel.evidence_edit.setPlainText("Survey")
    qtbot.mouseClick(panel.papers_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as session:
        evidence = assessment_checks(session, assessment_id)[0].evidence
    assert evidence.startswith("Survey\n\nPapers sent for the last 1 meeting held")
    assert "no agenda recorded; minutes sent 16/03/2025 (10 days after)" in evidence


def test_evidence_files_over_20_mb_are_refused_with_the_core_sentence(
    qtbot, ctx, opened, questions, monkeypatch, tmp_path
):
    page, assessment_id = opened
    panel = page.panel
    big = tmp_path / "recording.mp4"
    with big.open("wb") as handle:
        handle.truncate(accreditation.MAX_EVIDENCE_BYTES + 1)
    small = tmp_path / "Forum poster.pdf"
    small.write_bytes(b"%PDF-1.4 poster")
    answers = iter([str(big), str(small)])
    monkeypatch.setattr(view, "open_file_name", lambda *args, **kwargs: next(answers))

    panel.add_file_button.click()
    assert len(questions.told) == 1
    assert "an evidence file can be at most 20 MB" in questions.told[0]
    assert panel.files_list.count() == 0

    panel.add_file_button.click()
    assert panel.files_list.count() == 1
    assert panel.files_list.item(0).text().startswith("Forum poster.pdf")
    assert panel.model.checks()[0].file_count == 1
    with ctx.db.session() as session:
        assert assessment_checks(session, assessment_id)[0].file_count == 1

    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(view, "save_file_name", lambda *args, **kwargs: str(target))
    panel.copy_file_button.click()
    assert target.read_bytes() == b"%PDF-1.4 poster"


# --- submit and reopen -----------------------------------------------------------------------


def test_submit_asks_then_locks_and_reopen_unlocks(qtbot, ctx, opened, questions):
    page, assessment_id = opened
    panel = page.panel
    questions.answer = False
    panel.submit_button.click()
    assert _status(ctx.db, assessment_id) == AssessmentStatus.DRAFT
    assert "36 standards are not yet rated" in questions.asked[0]

    questions.answer = True
    panel.submit_button.click()
    assert _status(ctx.db, assessment_id) == AssessmentStatus.SUBMITTED
    assert panel.result_label.text() == "Result: Incomplete"
    assert not panel.submit_button.isEnabled() and panel.reopen_button.isEnabled()
    assert panel.evidence_edit.isReadOnly() and not panel.rating_combo.isEnabled()
    assert not panel.add_file_button.isEnabled()
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)
    assert set(_ratings(ctx.db, assessment_id)) == {Rating.NOT_YET_RATED}
    assert "reopen it first" in panel.status_label.text()
    page.tabs.setCurrentIndex(page.TAB_PROGRESS)  # the lists catch up when seen
    assert page.history_model.rowCount() == 1
    page.tabs.setCurrentIndex(page.TAB_ASSESSMENTS)

    panel.back_button.click()
    assert "Current result: Incomplete" in page.current_label.text()
    page.open_assessment(assessment_id)
    panel.reopen_button.click()
    assert "Reopen the assessment of Rugby" in questions.asked[-1]
    assert _status(ctx.db, assessment_id) == AssessmentStatus.DRAFT
    assert not panel.evidence_edit.isReadOnly() and panel.rating_combo.isEnabled()
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)
    assert _ratings(ctx.db, assessment_id)[0] == Rating.MET


def test_saves_are_announced_to_other_pages(qtbot, ctx, opened):
    page, assessment_id = opened
    with qtbot.waitSignal(ctx.events.accreditationChanged) as blocker:
        qtbot.keyClick(page.panel.tree, Qt.Key.Key_1)
    assert blocker.args == [str(assessment_id)]


# --- from gap to action ----------------------------------------------------------------------


def test_an_action_raised_from_a_not_met_standard_is_linked_and_shown(
    qtbot, ctx, opened, monkeypatch
):
    page, assessment_id = opened
    panel = page.panel
    first = panel.model.checks()[0]
    qtbot.keyClick(panel.tree, Qt.Key.Key_1)  # met: no action offered
    panel.select_check(first.id)
    assert not panel.raise_button.isEnabled()
    qtbot.keyClick(panel.tree, Qt.Key.Key_3)  # not met
    panel.select_check(first.id)
    assert panel.raise_button.isEnabled()
    assert panel.actions_list.item(0).text() == "No open actions."

    seen: list[AssessmentActionDialog] = []

    def answer(ctx_, check_id, parent=None):
        dialog = AssessmentActionDialog(ctx_, check_id, parent)
        qtbot.addWidget(dialog)
        seen.append(dialog)
        dialog.owner_edit.setText("Siân O'Neill")
        assert dialog.try_save()
        return dialog.result_value

    monkeypatch.setattr(AssessmentActionDialog, "ask", staticmethod(answer))
    with qtbot.waitSignal(ctx.events.actionsChanged):
        panel.raise_button.click()
    dialog = seen[0]
    assert dialog.title_edit.text() == f"Meet standard {first.code}: {first.title}"
    assert dialog.level_combo.currentData() == ActionLevel.LOCALITY
    assert dialog.raised_edit.value() == TODAY
    assert dialog.locality_label.text() == "Rugby"

    with ctx.db.session() as session:
        action = session.query(Action).one()
        assert action.standard_check_id == first.id
        assert action.locality_id == assessment_summary(session, assessment_id).locality_id
        assert action.raised_on == TODAY and action.level == ActionLevel.LOCALITY
        reference = action.reference
    assert panel.open_action_ids() == [action.id]
    assert panel.actions_list.item(0).text().startswith(f"{reference} Meet standard")


def test_actions_list_follows_actions_closed_elsewhere(qtbot, ctx, opened):
    page, _ = opened
    panel = page.panel
    check = panel.model.checks()[0]
    set_check(ctx.db, check.id, rating=Rating.NOT_MET)
    action_id = actions.raise_action(
        ctx.db,
        locality_id=page.locality_id(),
        data=actions.ActionInput(title="Publish 'you said, we did'"),
        standard_check_id=check.id,
        today=TODAY,
    )
    ctx.events.actionsChanged.emit(str(action_id))
    assert panel.open_action_ids() == [action_id]
    actions.update_action(
        ctx.db,
        action_id,
        actions.ActionInput(title="Publish 'you said, we did'", status=ActionStatus.COMPLETED),
        outcome="Published in the newsletter",
        today=TODAY,
    )
    ctx.events.actionsChanged.emit(str(action_id))
    assert panel.open_action_ids() == []


# --- new assessment --------------------------------------------------------------------------


def test_new_assessment_dialog_starts_a_peer_review_with_named_reviewers(
    qtbot, ctx, place, monkeypatch
):
    framework_id = _default_framework(ctx.db)
    page = make_page(qtbot, ctx)
    widgets.select_data(page.locality_combo, place.locality_id)

    def answer(ctx_, parent=None, *, locality_id=None):
        dialog = NewAssessmentDialog(ctx_, parent, locality_id=locality_id)
        qtbot.addWidget(dialog)
        assert dialog.locality_combo.currentData() == place.locality_id
        assert dialog.framework_combo.currentData() == framework_id
        assert dialog.date_edit.value() == TODAY
        widgets.select_data(dialog.kind_combo, AssessmentKind.PEER_REVIEW)
        dialog.assessors_edit.setText("Zoë Smith (service user), Seán Byrne (carer), ")
        assert dialog.try_save()
        return dialog.result_value

    monkeypatch.setattr(NewAssessmentDialog, "ask", staticmethod(answer))
    page.new_button.click()
    assert page.assessment_stack.currentWidget() is page.panel
    assessment_id = page.panel.assessment_id
    with ctx.db.session() as session:
        summary = assessment_summary(session, assessment_id)
    assert summary.kind == AssessmentKind.PEER_REVIEW
    assert summary.assessors == "Zoë Smith (service user), Seán Byrne (carer)"
    assert "Peer review of Rugby" in page.panel.title_label.text()

    page.panel.back_button.click()
    assert page.assessment_stack.currentIndex() == 0
    assert page.assessments_model.rowCount() == 1
    index = page.assessments_model.index(0, 5)
    assert page.assessments_model.data(index) == "Incomplete (if submitted now)"


def test_new_assessment_dialog_shows_a_bad_date_at_the_field(qtbot, ctx, place):
    _default_framework(ctx.db)
    dialog = NewAssessmentDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    dialog.date_edit.setText("31/02/2025")
    assert not dialog.try_save()
    assert "not a date" in dialog.errors.message("assessed_on")
    assert accreditation.list_assessments  # nothing saved:
    with ctx.db.session() as session:
        assert accreditation.list_assessments(session) == []


# --- progress over time ----------------------------------------------------------------------


def test_progress_shows_history_and_what_improved_and_slipped(qtbot, ctx, place):
    framework_id = _default_framework(ctx.db)
    earlier = _start(ctx.db, place.locality_id, framework_id, date(2024, 3, 1))
    later = _start(ctx.db, place.locality_id, framework_id, date(2025, 3, 1))
    with ctx.db.session() as session:
        first_checks = assessment_checks(session, earlier)
        second_checks = assessment_checks(session, later)
    for n, (a, b) in enumerate(zip(first_checks, second_checks, strict=True)):
        set_check(ctx.db, a.id, rating=Rating.NOT_MET if n == 0 else Rating.MET)
        set_check(ctx.db, b.id, rating=Rating.NOT_MET if n in (1, 2) else Rating.MET)
    submit_assessment(ctx.db, earlier)
    submit_assessment(ctx.db, later)
    page = make_page(qtbot, ctx)
    assert page.locality_combo.currentText() == "Coventry"  # the first by name
    widgets.select_data(page.locality_combo, place.locality_id)
    page.tabs.setCurrentIndex(page.TAB_PROGRESS)
    history = page.history_model.rows()
    assert [h.assessment_id for h in history] == [later, earlier]
    assert page.history_model.data(page.history_model.index(0, 2)) in {
        r.value for r in AccreditationResult
    }
    assert [c.code for c in page.improved_model.rows()] == [first_checks[0].code]
    assert [c.code for c in page.slipped_model.rows()] == [
        second_checks[1].code,
        second_checks[2].code,
    ]
    assert "1 improved, 2 slipped" in page.compare_label.text()
    page._open_history_row(1)
    assert page.panel.assessment_id == earlier
    assert page.tabs.currentIndex() == page.TAB_ASSESSMENTS


# --- frameworks ------------------------------------------------------------------------------


def _bad_framework(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Framework"
    sheet.append(["Field", "Value"])
    sheet.append(["Version", "2"])
    standards_sheet = workbook.create_sheet("Standards")
    standards_sheet.append(["Code", "Domain", "Title", "Criticality"])
    standards_sheet.append(["1.1", "Forums and feedback", "Forums meet", 1])
    standards_sheet.append(["1.2", "", "No domain", 7])
    workbook.save(path)
    return path


def test_a_bad_framework_workbook_lists_its_problems_and_loads_nothing(
    qtbot, ctx, place, monkeypatch, tmp_path
):
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(page.TAB_FRAMEWORKS)
    path = _bad_framework(tmp_path / "Zoë's standards.xlsx")
    monkeypatch.setattr(view, "open_file_name", lambda *args, **kwargs: str(path))
    shown: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(
        FrameworkProblemsDialog,
        "show_problems",
        staticmethod(lambda parent, summary, problems: shown.append((summary, list(problems)))),
    )
    page.import_button.click()
    summary, problems = shown[0]
    assert "Zoë's standards.xlsx" in summary
    assert any(p.startswith("Sheet 'Framework'") and "Name" in p for p in problems)
    assert any(p.startswith("Sheet 'Standards' row 3:") for p in problems)
    assert standards.list_frameworks(ctx.db) == []
    assert page.frameworks_model.rowCount() == 0

    dialog = FrameworkProblemsDialog(summary, problems)
    qtbot.addWidget(dialog)
    assert dialog.problems_text().splitlines() == problems
    assert f"the {len(problems)} problems below" in dialog.count_label.text()


def test_import_and_export_a_framework(qtbot, ctx, place, monkeypatch, tmp_path, questions):
    _default_framework(ctx.db)
    page = make_page(qtbot, ctx)
    assert page.frameworks_model.rowCount() == 1
    info = page.frameworks_model.row_at(0)
    assert page.frameworks_model.data(page.frameworks_model.index(0, 3)) == "36"

    target = tmp_path / "exported.xlsx"
    monkeypatch.setattr(view, "save_file_name", lambda *args, **kwargs: str(target))
    page.export_button.click()
    assert target.exists()
    assert "Saved" in questions.told[-1]

    data = standards.read_framework_workbook(target)
    renamed = standards.FrameworkData(
        data.name, "2.0", date(2025, 4, 1), data.standards, data.c1_met_pct
    )
    new_version = standards.write_framework_workbook(renamed, tmp_path / "v2.xlsx")
    answers = iter([str(target), str(new_version)])
    monkeypatch.setattr(view, "open_file_name", lambda *args, **kwargs: next(answers))
    page.import_button.click()  # the same name and version again: refused
    assert "already loaded" in questions.told[-1]
    page.import_button.click()
    assert "version 2.0 with 36 standards" in questions.told[-1]
    assert sorted(f.version for f in page.frameworks_model.rows()) == sorted([info.version, "2.0"])


# --- report ---------------------------------------------------------------------------------


class FakePrinting:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def preview(self, parent, document, title):
        self.calls.append(("preview", document.text()))

    def print_document(self, parent, document, title=""):
        self.calls.append(("print", document.text()))

    def write_pdf(self, document, path):
        self.calls.append(("pdf", document.text()))
        Path(path).write_bytes(b"%PDF")
        return Path(path)


def test_report_buttons_hand_the_report_to_printing(qtbot, ctx, opened, monkeypatch, tmp_path):
    page, _ = opened
    panel = page.panel
    qtbot.keyClick(panel.tree, Qt.Key.Key_3)
    fake = FakePrinting()
    monkeypatch.setattr(view, "_printing", lambda: fake)
    monkeypatch.setattr(view, "save_file_name", lambda *a, **k: str(tmp_path / "report"))
    panel.preview_button.click()
    panel.print_button.click()
    panel.pdf_button.click()
    assert [kind for kind, _ in fake.calls] == ["preview", "print", "pdf"]
    html = fake.calls[0][1]
    assert "Accreditation assessment: Rugby" in html
    assert "Standards not met or partly met" in html
    assert (tmp_path / "report.pdf").exists()


def test_report_pdf_refused_says_so_titled_report_not_saved_and_says_nothing_saved(
    qtbot, ctx, opened, monkeypatch, tmp_path
):
    """The file cannot be written (open in another program): the sentence titled "Report not
    saved"; the panel does not say it saved it (issue #20: through ``operations.export``)."""
    from coordinator_app.core.errors import CoordinatorError

    page, _ = opened
    panel = page.panel
    qtbot.keyClick(panel.tree, Qt.Key.Key_3)
    busy = "report.pdf could not be replaced: it may be open in another program."

    class Refusing(FakePrinting):
        def write_pdf(self, document, path):
            raise CoordinatorError(busy)

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    monkeypatch.setattr(view, "_printing", lambda: Refusing())
    monkeypatch.setattr(view, "save_file_name", lambda *a, **k: str(tmp_path / "report"))
    panel.pdf_button.click()
    assert told == [("Report not saved", busy)]
    assert "Saved the report" not in panel.status_label.text()
    assert not (tmp_path / "report.pdf").exists()


def test_report_saved_as_pdf_has_its_text(qtbot, ctx, opened, tmp_path):
    from coordinator_app.ui import printing

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    page, assessment_id = opened
    qtbot.keyClick(page.panel.tree, Qt.Key.Key_3)
    document = accreditation.assessment_report_document(ctx.db, assessment_id, today=TODAY)
    pdf = printing.write_pdf(document, tmp_path / "report.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Accreditation assessment: Rugby" in text
    assert "Standards not met or partly met" in text


# --- accessibility and models ----------------------------------------------------------------


def test_every_control_has_an_accessible_name(qtbot, ctx, opened, unnamed_controls):
    page, _ = opened
    assert unnamed_controls(page) == []
    dialog = NewAssessmentDialog(ctx)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    action_dialog = AssessmentActionDialog(ctx, page.panel.model.checks()[0].id)
    qtbot.addWidget(action_dialog)
    assert unnamed_controls(action_dialog) == []
    problems = FrameworkProblemsDialog("Not loaded.", ["Sheet 'Standards' row 2: bad."])
    qtbot.addWidget(problems)
    assert unnamed_controls(problems) == []


def test_the_accreditation_models_pass_the_model_tester(qtmodeltester, ctx, place):
    framework_id = _default_framework(ctx.db)
    earlier = _start(ctx.db, place.locality_id, framework_id, date(2024, 3, 1))
    later = _start(ctx.db, place.locality_id, framework_id, date(2025, 3, 1))
    with ctx.db.session() as session:
        checks = assessment_checks(session, later)
    set_check(ctx.db, checks[0].id, rating=Rating.PARTLY_MET)
    submit_assessment(ctx.db, earlier)
    submit_assessment(ctx.db, later)
    with ctx.db.session() as session:
        checks = assessment_checks(session, later)
        rows = accreditation.list_assessments(session, place.locality_id)
        history = accreditation.result_history(session, place.locality_id)
        comparison = accreditation.compare_latest_two(session, place.locality_id)

    checklist = ChecklistModel()
    checklist.set_checks(checks)
    assert checklist.rowCount() == len({c.domain for c in checks})
    qtmodeltester.check(checklist, force_py=True)
    checklist.update_check(checks[1])
    qtmodeltester.check(checklist, force_py=True)

    assessments = AssessmentsModel()
    assessments.set_results(rows, {r.id: "Incomplete" for r in rows})
    frameworks = FrameworksModel(standards.list_frameworks(ctx.db))
    assert comparison is not None
    for model in (
        assessments,
        frameworks,
        HistoryModel(history),
        ChangesModel(comparison.improved),
        ChangesModel(comparison.slipped),
        ChangesModel([]),
    ):
        qtmodeltester.check(model, force_py=True)
