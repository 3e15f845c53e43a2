""" "You said, we did": filters, the clipboard table (HTML and tab-separated) and printing."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from coordinator_app.core import actions, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.vocab import ActionStatus, ExperienceKind, MeetingStatus

TODAY = date(2025, 3, 20)


@pytest.fixture
def view(qtbot, db, ctx, place):
    meeting = meetings.create_meeting(
        db, MeetingInput(place.forum_id, date(2025, 2, 12), status=MeetingStatus.HELD)
    )
    waits = meetings.add_experience(
        db,
        meeting,
        ExperienceInput(ExperienceKind.CONCERN, theme="Waiting times", summary="Waits <too> long"),
    )
    meetings.add_experience(
        db,
        meeting,
        ExperienceInput(
            ExperienceKind.SUGGESTION,
            theme="Information",
            summary="Leaflets in Polish",
            response="Leaflets ordered",
            received_on=date(2025, 2, 20),
        ),
    )
    meetings.add_experience_for_locality(
        db,
        place.other_locality_id,
        ExperienceInput(ExperienceKind.COMPLIMENT, summary="Zoë was kind", received_on=TODAY),
    )
    aid = actions.raise_action(
        db,
        locality_id=place.locality_id,
        data=ActionInput(title="Extend clinic hours", raised_on=date(2025, 2, 12)),
        experience_item_id=waits,
        today=TODAY,
    )
    actions.set_status(db, aid, ActionStatus.COMPLETED, outcome="Clinic open till 8pm", today=TODAY)

    from coordinator_app.ui.views.you_said_we_did import YouSaidWeDidView

    widget = YouSaidWeDidView(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def summaries(view) -> list[str]:
    return [r.summary for r in view.model.rows()]


def test_pairs_and_filters(qtmodeltester, view) -> None:
    qtmodeltester.check(view.model)
    assert summaries(view) == ["Zoë was kind", "Leaflets in Polish", "Waits <too> long"]
    assert view.model.index(2, 4).data() == "Clinic open till 8pm"
    view.locality_combo.setCurrentIndex(view.locality_combo.findText("Rugby"))
    assert summaries(view) == ["Leaflets in Polish", "Waits <too> long"]
    view.theme_combo.setCurrentIndex(view.theme_combo.findText("Waiting times"))
    assert summaries(view) == ["Waits <too> long"]
    view.theme_combo.setCurrentIndex(0)
    view.actions_only.setChecked(True)
    assert summaries(view) == ["Waits <too> long"]
    view.actions_only.setChecked(False)
    view.from_edit.setText("13/02/2025")
    view.from_edit.editingFinished.emit()
    assert summaries(view) == ["Leaflets in Polish"]
    assert view.title() == "You said, we did · Rugby · 13/02/2025 to today"
    view.to_edit.setText("32/01/2025")
    view.to_edit.editingFinished.emit()
    assert view.errors.message("date_to").startswith("'32/01/2025' is not a date")


def test_copy_as_table_puts_html_and_tab_separated_text(view) -> None:
    view.copy_table()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and mime.hasText()
    html = mime.html()
    assert "<table" in html and "Waits &lt;too&gt; long" in html
    lines = mime.text().splitlines()
    assert lines[0] == "Date\tForum\tTheme\tYou said\tWe did\tStatus"
    assert len(lines) == 4 and all(line.count("\t") == 5 for line in lines)
    # Leave no data on the clipboard: the offscreen platform crashes at exit with some there.
    QApplication.clipboard().clear()


def test_print_preview_and_pdf_use_one_document(view, monkeypatch, tmp_path: Path) -> None:
    from coordinator_app.ui import printing
    from coordinator_app.ui.views import you_said_we_did

    seen: dict[str, object] = {}
    monkeypatch.setattr(printing, "preview", lambda parent, doc, title: seen.update(p=doc))

    def write_pdf(doc: object, path: str) -> Path:  # as printing.write_pdf: the path written
        seen.update(pdf=doc, path=str(path))
        return Path(path)

    monkeypatch.setattr(printing, "write_pdf", write_pdf)
    view.preview()
    document = seen["p"]
    text = document.text()
    assert "Date | Forum | Theme | You said | We did | Status" in text  # the header row
    assert "Waits <too> long" in text  # data, printed as typed
    assert document.trust_name == "Test Trust" and document.landscape
    target = tmp_path / "ysyd.pdf"
    monkeypatch.setattr(you_said_we_did, "ask_pdf_path", lambda parent, suggested: str(target))
    assert view.save_pdf() == str(target)
    assert seen["path"] == str(target) and seen["pdf"] == seen["p"]
    monkeypatch.setattr(you_said_we_did, "ask_pdf_path", lambda parent, suggested: "")
    assert view.save_pdf() == ""


def test_the_two_columns_have_the_room_and_the_trust_is_named(view, tmp_path: Path) -> None:
    """The printout had narrow "You said" / "We did" columns and no trust name."""
    from coordinator_app.core.document import Table
    from coordinator_app.ui import printing

    document = view.document()
    table = next(b for b in document.blocks if isinstance(b, Table))
    widths = {c.header: c.width for c in table.columns}
    assert (widths["You said"] + widths["We did"]) / sum(widths.values()) >= 0.55
    target = tmp_path / "ysyd.pdf"
    printing.write_pdf(document, target)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Test Trust" in text and "Waits <too> long" in text and "Leaflets ordered" in text
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info


def test_every_control_has_an_accessible_name(view, unnamed_controls) -> None:
    assert unnamed_controls(view) == []
