"""The Returns page over the small demo data (generated once, copied per test): the figures on
screen are the return's Summary, export writes the workbook (and refuses a read-only target with
one sentence, the old file intact), and consolidation lists good and refused returns and writes
the trust-wide workbook.

No real dialog opens: the file choosers, ``tasks.show_error`` and the settings store are patched.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt

from coordinator_app.core import meetings
from coordinator_app.core.db import Database
from coordinator_app.core.figures import SUMMARY_MEASURES, month_figures
from coordinator_app.core.returns import SHEETS, read_return
from coordinator_app.core.rules import Month
from coordinator_app.ui import tasks
from coordinator_app.ui.context import AppContext
from coordinator_app.ui.views import returns as returns_view
from coordinator_app.ui.views.returns import (
    FigureRow,
    FiguresModel,
    ReturnFileRow,
    ReturnFilesModel,
    ReturnsPage,
)

TODAY = date(2025, 3, 20)
LAST_MONTH = Month(2025, 2)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, list]:
    """Settings in a file of this test; file choosers and errors recorded, never shown."""
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(
        returns_view, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat)
    )
    seen: dict[str, list] = {"errors": [], "suggested": [], "opened": []}
    monkeypatch.setattr(
        tasks, "show_error", lambda parent, title, text: seen["errors"].append(text)
    )
    monkeypatch.setattr(returns_view, "open_folder", lambda folder: seen["opened"].append(folder))
    return seen


def answer_save(monkeypatch: pytest.MonkeyPatch, seen: dict[str, list], path: Path) -> None:
    def choose(parent, title, suggested):
        seen["suggested"].append(suggested)
        return str(path)

    monkeypatch.setattr(returns_view, "choose_save_path", choose)


def make_page(qtbot, ctx: AppContext) -> ReturnsPage:
    page = ReturnsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def locality_id(db: Database, name: str):
    return next(row.id for row in meetings.list_localities(db) if row.name == name)


def export_through_page(qtbot, monkeypatch, seen, page, target: Path) -> Path | None:
    answer_save(monkeypatch, seen, target)
    with qtbot.waitSignal(page.exported, timeout=10_000, raising=False):
        written = page.export_return()
    return written


# --- the monthly return ---------------------------------------------------------------------


def test_page_opens_on_last_month_with_the_coordinated_locality_first(qtbot, demo_ctx) -> None:
    page = make_page(qtbot, demo_ctx)
    assert page.month() == LAST_MONTH
    assert page.locality_combo.itemText(0) == "Rugby"  # the demo's coordinated locality
    assert page.locality()[1] == "Rugby"
    assert "February 2025" in page.figures_caption.text()


def test_previous_and_next_buttons_cross_the_year(qtbot, demo_ctx) -> None:
    page = make_page(qtbot, demo_ctx)
    page.set_month(Month(2025, 1))
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    assert page.month() == Month(2024, 12)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.month() == Month(2025, 2)


def test_figures_on_screen_are_the_summary_of_the_chosen_locality_and_month(
    qtbot, demo_ctx, demo_db
) -> None:
    page = make_page(qtbot, demo_ctx)
    coventry = locality_id(demo_db, "Coventry")
    page.select_locality(coventry)
    page.set_month(Month(2025, 1))
    with demo_db.session() as session:
        expected = month_figures(session, coventry, Month(2025, 1))
    assert page.figure_rows() == expected.rows()
    model = page.figures_table.model()
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown == list(SUMMARY_MEASURES)
    assert model.index(0, 1).data() == str(expected.meetings_held)
    assert expected.meetings_held > 0  # the comparison is about something
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Measure"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Value"


def test_figures_follow_a_change_of_month(qtbot, demo_ctx, demo_db) -> None:
    page = make_page(qtbot, demo_ctx)
    rugby = locality_id(demo_db, "Rugby")
    page.month_edit.setDate(page.month_edit.date().addMonths(-2))  # as the user's arrows do
    assert page.month() == Month(2024, 12)
    with demo_db.session() as session:
        assert page.figure_rows() == month_figures(session, rugby, Month(2024, 12)).rows()


def test_export_writes_the_return_with_the_default_name_in_the_last_folder(
    qtbot, monkeypatch, demo_ctx, demo_db, isolated, tmp_path
) -> None:
    page = make_page(qtbot, demo_ctx)
    folder = tmp_path / "Returns for Siân"
    folder.mkdir()
    target = folder / "Return-Rugby-2025-02.xlsx"
    written = export_through_page(qtbot, monkeypatch, isolated, page, target)

    assert written == target.resolve()
    assert Path(isolated["suggested"][0]).name == "Return-Rugby-2025-02.xlsx"
    data = read_return(target)
    assert data.locality == "Rugby" and data.month == LAST_MONTH
    book = load_workbook(target, read_only=True)
    try:
        assert book.sheetnames == list(SHEETS)
    finally:
        book.close()
    with demo_db.session() as session:
        figures = month_figures(session, locality_id(demo_db, "Rugby"), LAST_MONTH)
    assert data.measure("Attendances") == figures.attendances
    assert "Saved Return-Rugby-2025-02.xlsx" in page.export_status.text()
    assert isolated["errors"] == []

    qtbot.mouseClick(page.open_folder_button, Qt.MouseButton.LeftButton)
    assert isolated["opened"] == [target.resolve().parent]

    # The next export suggests the folder used last time, with the new locality and month.
    page.select_locality(locality_id(demo_db, "North Warwickshire"))
    page.set_month(Month(2025, 1))
    export_through_page(qtbot, monkeypatch, isolated, page, folder / "nw.xlsx")
    assert Path(isolated["suggested"][1]) == (
        target.resolve().parent / "Return-North Warwickshire-2025-01.xlsx"
    )


def test_a_read_only_target_shows_one_sentence_and_keeps_the_old_file(
    qtbot, monkeypatch, demo_ctx, isolated, tmp_path
) -> None:
    page = make_page(qtbot, demo_ctx)
    target = tmp_path / "Return-Rugby-2025-02.xlsx"
    target.write_bytes(b"the old return")
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        answer_save(monkeypatch, isolated, target)
        assert page.export_return() is None
    finally:
        os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    assert len(isolated["errors"]) == 1
    assert "read-only" in isolated["errors"][0]
    assert isolated["errors"][0].count(".") >= 1 and "\n" not in isolated["errors"][0]
    assert target.read_bytes() == b"the old return"
    assert "was not saved" in page.export_status.text()
    assert not page.open_folder_button.isVisible()


def test_cancelling_the_save_dialog_writes_nothing(qtbot, monkeypatch, demo_ctx, tmp_path) -> None:
    page = make_page(qtbot, demo_ctx)
    monkeypatch.setattr(returns_view, "choose_save_path", lambda parent, title, suggested: "")
    assert page.export_return() is None
    assert list(tmp_path.glob("*.xlsx")) == []


def test_with_no_localities_export_is_disabled_and_says_why(qtbot, ctx) -> None:
    page = make_page(qtbot, ctx)
    assert not page.export_button.isEnabled()
    assert "No localities" in page.figures_caption.text()
    assert page.figure_rows() == []


def test_every_control_has_an_accessible_name(qtbot, demo_ctx, unnamed_controls) -> None:
    page = make_page(qtbot, demo_ctx)
    assert unnamed_controls(page) == []
    page.tabs.setCurrentIndex(returns_view.TAB_CONSOLIDATE)
    assert unnamed_controls(page) == []


# --- consolidation --------------------------------------------------------------------------


def test_consolidating_two_returns_lists_both_and_writes_the_workbook(
    qtbot, monkeypatch, demo_ctx, demo_db, isolated, tmp_path
) -> None:
    page = make_page(qtbot, demo_ctx)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    export_through_page(qtbot, monkeypatch, isolated, page, inbox / "Return-Rugby-2025-02.xlsx")
    page.select_locality(locality_id(demo_db, "Coventry"))
    page.set_month(Month(2025, 1))
    export_through_page(qtbot, monkeypatch, isolated, page, inbox / "Return-Coventry-2025-01.xlsx")
    (inbox / "wrong-file.xlsx").write_bytes(b"not a workbook at all")
    (inbox / "~$Return-Rugby-2025-02.xlsx").write_bytes(b"an Excel lock file")

    page.tabs.setCurrentIndex(returns_view.TAB_CONSOLIDATE)
    monkeypatch.setattr(returns_view, "choose_folder", lambda parent, title, start: str(inbox))
    qtbot.mouseClick(page.choose_folder_button, Qt.MouseButton.LeftButton)

    rows = {row.file: row for row in page.return_file_rows()}
    found = {"Return-Coventry-2025-01.xlsx", "Return-Rugby-2025-02.xlsx", "wrong-file.xlsx"}
    assert set(rows) == found
    rugby = rows["Return-Rugby-2025-02.xlsx"]
    assert (rugby.locality, rugby.month) == ("Rugby", "2025-02")
    assert rows["Return-Coventry-2025-01.xlsx"].accepted
    assert rugby.prepared_by  # the demo's coordinator
    junk = rows["wrong-file.xlsx"]
    assert not junk.accepted and "is not a spreadsheet" in junk.problem
    model = page.files_table.model()
    checks = [model.index(r, 4).data() for r in range(model.rowCount())]
    # The refused one comes first, above the ready ones, though its name sorts after them.
    assert checks[0].startswith("Refused: wrong-file.xlsx is not a spreadsheet")
    assert page.return_file_rows()[0].file == "wrong-file.xlsx"  # named after the returns
    assert "2 returns ready; 1 refused, listed first" in page.files_caption.text()

    out = tmp_path / "out"
    out.mkdir()
    answer_save(monkeypatch, isolated, out / "Consolidated.xlsx")
    summary = page.consolidate_returns()

    assert summary is not None and summary.returns == 2
    assert Path(isolated["suggested"][-1]).name == "Consolidated-2025-01-to-2025-02.xlsx"
    book = load_workbook(out / "Consolidated.xlsx", read_only=True)
    try:
        assert "Summary" in book.sheetnames and "Actions" in book.sheetnames
        summary_rows = list(book["Summary"].iter_rows(values_only=True))
    finally:
        book.close()
    assert [r[:2] for r in summary_rows[1:]] == [
        ("Coventry", "2025-01"),
        ("Rugby", "2025-02"),
        ("Trust total", "2025-01"),
        ("Trust total", "2025-02"),
    ]
    assert "Saved Consolidated.xlsx" in page.consolidate_status.text()
    assert "The Trust view tab shows the trust's picture." in page.consolidate_status.text()
    assert isolated["errors"] == []
    # The Trust view shows what was consolidated, without reading the files again.
    view = page.trust_view
    assert view.picture is not None and view.picture.localities == ("Coventry", "Rugby")
    assert view.missing_label.text() == (
        "Returns not received: Rugby (2025-01), Coventry (2025-02)."
    )


def test_consolidation_is_not_written_when_the_left_out_files_are_not_accepted(
    qtbot, monkeypatch, demo_ctx, isolated, questions, tmp_path
) -> None:
    page = make_page(qtbot, demo_ctx)
    good = tmp_path / "Return-Rugby-2025-02.xlsx"
    export_through_page(qtbot, monkeypatch, isolated, page, good)
    junk = tmp_path / "Zoë's notes.xlsx"
    junk.write_bytes(b"junk")
    monkeypatch.setattr(
        returns_view, "choose_files", lambda parent, title, start: [str(good), str(junk)]
    )
    qtbot.mouseClick(page.choose_files_button, Qt.MouseButton.LeftButton)
    questions.answer = False
    answer_save(monkeypatch, isolated, tmp_path / "Consolidated.xlsx")
    assert page.consolidate_returns() is None
    assert "Zoë's notes.xlsx" in questions.asked[0]
    assert not (tmp_path / "Consolidated.xlsx").exists()


def test_of_two_returns_for_the_same_locality_and_month_the_newer_is_used(
    tmp_path, demo_db
) -> None:
    """As on the command line: the one generated later wins, whatever the files are called."""
    from coordinator_app.core.returns import export_return

    newer = export_return(
        demo_db, locality="Rugby", month=LAST_MONTH, target=tmp_path / "a.xlsx", app_version="t"
    )
    older = tmp_path / "a (1).xlsx"
    older.write_bytes(newer.read_bytes())
    workbook = load_workbook(older)
    for row in workbook["Return"].iter_rows(min_row=2):
        if row[0].value == "Generated at":
            row[1].value = row[1].value.replace(year=2020)
    workbook.save(older)
    rows = returns_view.check_files([older, newer])
    assert not rows[0].accepted and not rows[0].problem
    assert rows[0].result.startswith(
        "Set aside: Rugby 2025-02 was generated again later: a.xlsx (generated"
    )
    assert rows[1].accepted


def test_default_file_names() -> None:
    assert returns_view.return_file_name("Rugby", LAST_MONTH) == "Return-Rugby-2025-02.xlsx"
    assert returns_view.return_file_name('A/B: "C"', LAST_MONTH) == "Return-A-B- -C-2025-02.xlsx"
    assert (
        returns_view.consolidated_file_name(["2025-03", "2024-11", "2025-01"])
        == "Consolidated-2024-11-to-2025-03.xlsx"
    )


# --- models ---------------------------------------------------------------------------------


def test_table_models_pass_the_model_tester(qtmodeltester, tmp_path) -> None:
    figures = FiguresModel()
    figures.set_rows([FigureRow("Meetings held", 3), FigureRow("Standards met (%)", None)])
    qtmodeltester.check(figures)
    assert figures.index(1, 1).data() == "none"
    files = ReturnFilesModel()
    files.set_rows(
        [
            ReturnFileRow(tmp_path / "a.xlsx", "Rugby", "2025-02", "Siân Evans"),
            ReturnFileRow(tmp_path / "b.xlsx", problem="b.xlsx is not an Excel workbook (.xlsx)."),
        ]
    )
    qtmodeltester.check(files)
    assert files.index(1, 4).data() == "Refused: b.xlsx is not an Excel workbook (.xlsx)."


def test_a_new_locality_appears_after_settings_change(qtbot, demo_ctx, demo_db) -> None:
    from coordinator_app.core.settings import ensure_locality

    page = make_page(qtbot, demo_ctx)
    with demo_db.transaction() as session:
        ensure_locality(session, "Zoë's Place")
    names = [page.locality_combo.itemText(i) for i in range(page.locality_combo.count())]
    assert "Zoë's Place" not in names
    demo_ctx.events.settingsChanged.emit()
    names = [page.locality_combo.itemText(i) for i in range(page.locality_combo.count())]
    assert "Zoë's Place" in names
    assert page.locality()[1] == "Rugby"  # the choice is kept
