"""Printouts rendered to real PDFs (ui/printing.py over core/typeset.py) and read back with
pdftotext, the preview's and printer's pages, and the Print chooser (no dialog is ever
exec'd)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest

from coordinator_app.core import actions, meetings, minutes
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.document import Document, Heading
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.vocab import AccessibleFormat, AttendanceStatus, Category, MeetingStatus

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True)
    # No NFKC here: the PDFs hold letters, never ligature characters (tests/core/test_typeset.py).
    return out.stdout.decode("utf-8")


def word_heights(path: Path) -> list[float]:
    """Heights (points) of the words on the PDF's pages (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [
        float(y2) - float(y1)
        for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)
    ]


@pytest.fixture
def held_meeting(db: Database, place, add_person):
    """A held meeting at the Rugby forum: Zoë (named), Gareth (not named), staff Siân."""
    zoe = add_person("Zoë Price", Category.SERVICE_USER, name_in_minutes=True)
    gareth = add_person("Gareth Hughes", Category.SERVICE_USER)
    staff = add_person("Siân Evans", Category.STAFF)
    m = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=place.forum_id,
            meeting_date=date(2025, 3, 13),
            start_time=time(18, 30),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
        ),
    )
    for pid in (zoe, gareth, staff):
        meetings.set_attendance(db, m, pid, AttendanceStatus.PRESENT)
    meetings.add_agenda_item(db, m, "Crisis line", "Gareth Hughes said calls wait too long.", "")
    meetings.add_agenda_item(db, m, "Ffurflen / Formularz", "Diolch yn fawr; zażółć gęślą jaźń.")
    return m


def test_pdf_has_real_text_with_the_right_names(
    qtbot, db: Database, place, held_meeting, tmp_path: Path
) -> None:
    from coordinator_app.ui.printing import write_pdf

    out = write_pdf(minutes.minutes_document(db, held_meeting), tmp_path / "minutes.pdf")
    assert out == (tmp_path / "minutes.pdf").resolve()
    text = pdf_text(out)
    for shown in (
        "Test Trust",
        "Rugby Locality Forum",
        "Zoë Price",
        "Siân Evans",
        "1. Crisis line",
        "2. Ffurflen / Formularz",
        "zażółć gęślą jaźń",
        "Thursday 13 March 2025",
        "Page 1 of 1",
    ):
        assert shown in text, shown
    assert "Gareth" not in text and "Hughes" not in text
    assert "[service user] said calls wait too long." in text
    assert not list(tmp_path.glob(".minutes-*"))  # no temporary file left behind


def test_long_actions_table_repeats_its_header_on_the_next_page(
    qtbot, db: Database, place, held_meeting, tmp_path: Path
) -> None:
    from coordinator_app.ui.printing import write_pdf

    refs = []
    for i in range(45):
        aid = actions.raise_action(
            db,
            locality_id=place.locality_id,
            meeting_id=held_meeting,
            data=ActionInput(
                title=f"Action number {i + 1} for the forum",
                owner="Siân Evans",
                raised_on=date(2025, 3, 13),
            ),
        )
        refs.append(actions.get_action(db, aid).reference)
    long_text = "\n\n".join(["The forum talked at length about waiting times. " * 12] * 12)
    meetings.add_agenda_item(db, held_meeting, "Long item", long_text, "Agreed.")
    out = write_pdf(minutes.minutes_document(db, held_meeting), tmp_path / "long.pdf")
    text = pdf_text(out)
    for ref in refs:
        assert ref in text
    assert "3. Long item" in text
    count = int(re.search(r"Page 1 of (\d+)", text).group(1))
    pages = [pdf_text(out, n) for n in range(1, count + 1)]
    with_actions = [p for p in pages if "Action number" in p]
    assert len(with_actions) >= 2
    for page in with_actions:
        assert "Ref." in page and "Owner" in page and "Due" in page  # the header row


def test_large_print_pdf_uses_16_point_type(
    qtbot, db: Database, place, held_meeting, tmp_path: Path
) -> None:
    from coordinator_app.ui.printing import write_pdf

    large = write_pdf(
        minutes.minutes_document(db, held_meeting, large_print=True), tmp_path / "l.pdf"
    )
    standard = write_pdf(minutes.minutes_document(db, held_meeting), tmp_path / "s.pdf")
    # In typst's PDFs a word's box (pdftotext -bbox) is as tall as its type size.
    assert min(word_heights(large)) >= 16 - 0.01
    assert min(word_heights(standard)) < 16


def test_sign_in_sheet_and_actions_log_pdfs(
    qtbot, db: Database, place, held_meeting, tmp_path: Path
) -> None:
    from coordinator_app.ui.printing import write_pdf

    actions.raise_action(
        db,
        locality_id=place.locality_id,
        meeting_id=held_meeting,
        data=ActionInput(
            title="Ask Gareth Hughes about parking",
            owner="Siân Evans",
            raised_on=date(2025, 3, 13),
            due_on=date(2025, 3, 15),
        ),
    )
    nxt = meetings.plan_next_meeting(db, held_meeting)
    sheet = pdf_text(write_pdf(minutes.sign_in_sheet_document(db, nxt), tmp_path / "sign.pdf"))
    assert "Sign-in sheet" in sheet and "Zoë Price" in sheet and "Signature" in sheet
    assert "Gareth" not in sheet
    log = pdf_text(
        write_pdf(
            minutes.actions_log_document(db, place.forum_id, today=date(2025, 3, 20)),
            tmp_path / "log.pdf",
        )
    )
    assert "RUG-A1" in log and "Overdue" in log and "[service user]" in log
    assert "Gareth" not in log


def test_write_pdf_into_a_missing_folder_is_a_clear_error(qtbot, tmp_path: Path) -> None:
    from coordinator_app.core.errors import CoordinatorError
    from coordinator_app.ui.printing import write_pdf

    with pytest.raises(CoordinatorError):
        write_pdf(Document("x", (Heading(1, "x"),)), tmp_path / "nowhere" / "x.pdf")


def test_print_chooser_saves_the_chosen_printout(
    qtbot,
    ctx,
    db: Database,
    place,
    held_meeting,
    add_person,
    tmp_path: Path,
    monkeypatch,
    questions,
) -> None:
    from coordinator_app.ui.dialogs import print_dialog

    reader = add_person(
        "Ffion Jones", Category.CARER, accessible_format=AccessibleFormat.LARGE_PRINT
    )
    meetings.set_attendance(db, held_meeting, reader, AttendanceStatus.PRESENT)
    dialog = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(dialog)
    assert dialog.minutes_radio.isChecked()
    assert dialog.large_radio.isChecked()  # suggested: Ffion prefers large print
    target = tmp_path / "chosen.pdf"
    monkeypatch.setattr(print_dialog, "choose_pdf_path", lambda parent, name: str(target))
    dialog.sign_in_radio.setChecked(True)
    dialog.standard_radio.setChecked(True)
    assert dialog.suggested_file_name() == "RUG-2503-sign-in-sheet.pdf"
    dialog.pdf_button.click()
    assert dialog.saved_path == target.resolve()
    assert "Sign-in sheet" in pdf_text(target)
    # Saved: offered to open (it said only "Saved …" before).
    assert questions.offered == [(target.resolve(), "the sign-in sheet", "")]
    previews = []
    monkeypatch.setattr(
        print_dialog.printing, "preview", lambda parent, document, title: previews.append(title)
    )
    dialog.actions_radio.setChecked(True)
    dialog.preview_button.click()
    assert previews and previews[0].startswith("Open actions Rugby Locality Forum")


def test_print_chooser_refused_says_so_titled_by_its_button_and_nothing_is_written(
    qtbot, ctx, held_meeting, tmp_path: Path, monkeypatch
) -> None:
    """The meeting went meanwhile: Preview, Print and Save as PDF each show the sentence titled
    as before ("Print preview", "Print", "Save as PDF"); nothing is previewed, printed or
    saved (issue #20: through ``operations``)."""
    from coordinator_app.core.errors import NotFoundError
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs import print_dialog

    dialog = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(dialog)
    gone = "That meeting is no longer listed."

    def refused(*_args, **_kwargs):
        raise NotFoundError(gone)

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    monkeypatch.setattr(print_dialog.minutes, "minutes_document", refused)
    shown: list[str] = []
    monkeypatch.setattr(print_dialog.printing, "preview", lambda *a: shown.append("preview"))
    monkeypatch.setattr(print_dialog.printing, "print_document", lambda *a: shown.append("print"))
    target = tmp_path / "minutes.pdf"
    monkeypatch.setattr(print_dialog, "choose_pdf_path", lambda parent, name: str(target))
    dialog.preview_button.click()
    dialog.print_button.click()
    assert dialog.save_pdf() is None
    assert told == [("Print preview", gone), ("Print", gone), ("Save as PDF", gone)]
    assert shown == [] and dialog.saved_path is None and not target.exists()


def test_print_chooser_pdf_on_a_full_disk_says_so_as_a_refusal(
    qtbot, ctx, held_meeting, tmp_path: Path, monkeypatch, questions
) -> None:
    """The disk filled while the PDF was written (an ``OSError``, not a bug): its sentence,
    titled "Save as PDF"; not offered to open."""
    import errno

    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs import print_dialog

    dialog = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(dialog)

    def full(document, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "inform", lambda _parent, title, text: told.append((title, text)))
    monkeypatch.setattr(print_dialog.printing, "write_pdf", full)
    monkeypatch.setattr(print_dialog, "choose_pdf_path", lambda p, n: str(tmp_path / "x.pdf"))
    assert dialog.save_pdf() is None
    assert told == [
        ("Save as PDF", "The disk is full, so nothing was saved; free some space and try again.")
    ]
    assert questions.offered == [] and dialog.saved_path is None


def test_print_chooser_without_a_meeting_says_so(qtbot, ctx, questions) -> None:
    from coordinator_app.ui.dialogs.print_dialog import PrintChooser

    assert PrintChooser.ask(ctx, None) is None
    assert questions.told == ["Choose a meeting first, then print."]


def test_print_chooser_offers_the_agenda_first_for_a_planned_meeting(
    qtbot, ctx, db: Database, held_meeting, tmp_path: Path, monkeypatch
) -> None:
    from coordinator_app.ui.dialogs import print_dialog

    planned = meetings.plan_next_meeting(db, held_meeting)
    meetings.add_agenda_item(db, planned, "Crisis line answer times", "", "")
    dialog = print_dialog.PrintChooser(ctx, planned)
    qtbot.addWidget(dialog)
    assert dialog.agenda_radio.isChecked()  # before a meeting: its agenda, then the sheet
    assert dialog.suggested_file_name().endswith("-agenda.pdf")
    target = tmp_path / "agenda.pdf"
    monkeypatch.setattr(print_dialog, "choose_pdf_path", lambda parent, name: str(target))
    dialog.pdf_button.click()
    text = pdf_text(target)
    assert "Agenda: Rugby Locality Forum" in text
    assert "Crisis line answer times" in text and "Matters arising" in text
    held = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(held)
    assert held.minutes_radio.isChecked()  # after it: the minutes


def test_preview_and_printer_pages_are_the_pdfs_pages(
    qtbot, db: Database, place, held_meeting, tmp_path: Path
) -> None:
    """The preview and the printer paint typst's pages: as many as the PDF has, edge to edge,
    with the same text (one renderer for all three)."""
    from PySide6.QtGui import QPdfWriter

    from coordinator_app.ui.printing import render_to, write_pdf

    document = minutes.minutes_document(db, held_meeting, large_print=True)
    saved = write_pdf(document, tmp_path / "saved.pdf")
    pages = int(re.search(r"Page 1 of (\d+)", pdf_text(saved)).group(1))
    painted = tmp_path / "painted.pdf"
    writer = QPdfWriter(str(painted))
    writer.setResolution(150)
    assert render_to(writer, document, dpi=40) == pages
    del writer
    out = subprocess.run(["pdfinfo", str(painted)], capture_output=True, text=True).stdout
    assert f"Pages:           {pages}" in out


def test_the_print_chooser_shows_four_flagged_pieces_and_the_chosen_ones_detail(
    qtbot, ctx, db: Database, held_meeting, add_person, tmp_path, monkeypatch
):
    """It opened 413x647 with one and a half flagged pieces showing (each wrapped over two
    lines): now four show whole, one line each, above the chosen one's detail. (Its first
    opening: no size kept from an earlier one.)"""
    from PySide6.QtCore import QSettings

    from coordinator_app.ui import dialog_sizes
    from coordinator_app.ui.dialogs import print_dialog

    kept = QSettings(str(tmp_path / "sizes.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(dialog_sizes, "store_override", kept)

    for name in ("Gareth Hughes", "Rhiannon Pugh", "Tomasz Wójcik", "Priya Chaudhry"):
        add_person(name, Category.SERVICE_USER)
        meetings.add_agenda_item(db, held_meeting, "Item", f"{name} said calls wait too long.")
    dialog = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    listed = dialog.review_panel.list
    assert listed.count() >= 4
    room = listed.viewport().rect()
    for row in range(4):
        shown = listed.visualItemRect(listed.item(row))
        assert room.contains(shown), (row, shown, room)
        assert shown.height() <= listed.fontMetrics().lineSpacing() * 3 // 2, "one line each"
    assert dialog.review_panel.piece_view.isVisible()
    assert dialog.review_panel.piece_view.height() >= listed.fontMetrics().lineSpacing() * 4
    # A size kept from before (413x647) is not given back narrower than a piece's line.
    from PySide6.QtCore import QSize

    dialog.close()  # keeps its size: then the old one instead
    kept.setValue(dialog_sizes.key_of(dialog), QSize(413, 647))
    again = print_dialog.PrintChooser(ctx, held_meeting)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    first = again.review_panel.list.visualItemRect(again.review_panel.list.item(0))
    assert first.height() <= again.review_panel.list.fontMetrics().lineSpacing() * 3 // 2
