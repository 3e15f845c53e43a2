"""The Trust view (ui/views/trust_view.py) over the hand-worked four localities of
tests/core/test_board.py: exceptions first, missing returns named, the trust's row added up,
targets added by keyboard and kept in the database, ratings read as words, the Board report saved,
and every value heard by a screen reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from coordinator_app.core import kept_returns
from coordinator_app.ui import tasks
from coordinator_app.ui.views import trust_view
from coordinator_app.ui.views.trust_view import TINTS, TrustView
from tests.core.test_board import _returns


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(trust_view, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    errors: list[str] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, title, text: errors.append(text))
    return errors


def _view(qtbot, ctx) -> TrustView:
    view = TrustView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    view.set_returns(_returns())
    return view


def _cells(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_exceptions_first_missing_returns_named_and_the_trust_added_up(qtbot, demo_ctx) -> None:
    view = _view(qtbot, demo_ctx)
    exceptions = [row[2] for row in _cells(view.exceptions_model)]
    assert "Dorset: no return for 2026-09 (other localities sent theirs)." in exceptions
    assert exceptions[-2:] == [
        "Avon: action A-1 is 123 days overdue at the end of 2026-10 (Fix A-1).",
        "Calne: no forum meeting held in 2026-09 or 2026-10.",
    ]
    # Only the months the group is chasing: not last October (Avon's, kept for last year's).
    assert view.missing_label.text() == "Returns not received: Dorset (2026-09)."
    assert view.month_combo.currentText() == "2026-10"  # the latest month first
    rows = {row[0]: row for row in _cells(view.places_model)}
    assert rows["Trust total"][1:3] == ["46", "+16"]
    assert rows["Dorset"][2] == "no return"  # no September to compare with
    # The trust's "+16" is partly Dorset's return arriving: said under the table, as the Board
    # report says it (the view gave the change with no word of it).
    assert view.compared_label.isVisible()
    assert view.compared_label.text().startswith(
        "The changes compare with the returns then received (3 of 4 in September 2026"
    )
    assert rows["Trust total"][-2:] == ["by locality", "by locality"]
    assert _cells(view.themes_model)[0] == ["Access", "Concern", "4", "Avon, Bath"]
    view.month_combo.setCurrentIndex(view.month_combo.findText("2026-09"))
    assert _cells(view.themes_model) == [["Access", "Concern", "1", "Bath"]]
    rows = {row[0]: row for row in _cells(view.places_model)}
    assert rows["Dorset"][1] == "no return" and rows["Trust total"][1] == "30"


def test_a_target_added_by_keyboard_is_rated_in_words_and_kept(qtbot, demo_ctx) -> None:
    view = _view(qtbot, demo_ctx)
    view.measure_combo.setCurrentText("Attendances")
    view.value_spin.setValue(10)
    view.add_target_button.setFocus()
    qtbot.keyClick(view.add_target_button, Qt.Key.Key_Space)
    ratings = {row[2]: row[4] for row in _cells(view.ratings_model)}
    assert ratings == {
        "Avon": "Green: on target",
        "Bath": "Green: on target",
        "Calne": "Red: off target",
        "Dorset": "Amber: near target",
    }
    calne = next(r for r in range(4) if view.ratings_model.index(r, 2).data() == "Calne")
    colour = view.ratings_model.index(calne, 4).data(Qt.ItemDataRole.BackgroundRole)
    assert colour.name() == TINTS[trust_view.Rating.RED]  # the colour, with its word
    # Kept in the database: a new view (the next session) has the target.
    again = TrustView(demo_ctx)
    qtbot.addWidget(again)
    assert [(t.measure, t.value, t.per) for t in again.targets] == [
        ("Attendances", 10.0, "locality")
    ]
    view.targets_table.setCurrentIndex(view.targets_model.index(0, 0))
    qtbot.mouseClick(view.remove_target_button, Qt.MouseButton.LeftButton)
    assert view.ratings_model.rowCount() == 0
    assert kept_returns.load_targets(demo_ctx.db) == []


def test_every_value_is_heard_and_every_control_named(qtbot, demo_ctx, unheard) -> None:
    view = _view(qtbot, demo_ctx)
    view.measure_combo.setCurrentText("Attendances")
    view.value_spin.setValue(10)
    view.add_target()
    assert unheard(view, "The Trust view") == []
    empty = TrustView(demo_ctx)
    qtbot.addWidget(empty)
    empty.show()
    assert unheard(empty, "The Trust view before consolidating") == []
    assert not empty.save_button.isEnabled()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_save_board_report_writes_the_redacted_tagged_pdf(
    qtbot, demo_ctx, monkeypatch, tmp_path, isolated
) -> None:
    from tests.core.test_typeset import pdf_info, pdf_text

    view = _view(qtbot, demo_ctx)
    qtbot.keyClicks(view.narrative, "Ring 07700 900123 for the detail.")
    target = tmp_path / "board"
    monkeypatch.setattr(trust_view, "choose_save_path", lambda parent, title, sug: str(target))
    with qtbot.waitSignal(view.report_saved, timeout=30_000):
        written = view.save_report()
    assert written == target.with_name("board.pdf").resolve()
    assert pdf_info(written)["Tagged"] == "yes"
    text = " ".join(pdf_text(written).split())
    assert "Ring [contact details removed] for the detail." in text
    assert "Dorset (2026-09)" in text
    assert view.report_status.text().startswith("Saved board.pdf")
    assert isolated == []


def test_the_trust_view_tab_gives_every_alt_letter_one_place(qtbot, demo_ctx) -> None:
    from coordinator_app.ui.main_window import PAGE_RETURNS, MainWindow
    from coordinator_app.ui.views import returns as returns_view
    from tests.ui.test_mnemonics import clashes

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page(PAGE_RETURNS)
    window.returns.tabs.setCurrentIndex(returns_view.TAB_TRUST)
    window.returns.trust_view.set_returns(_returns())
    assert window.returns.trust_view.isVisible()
    assert clashes(window) == {}


def test_a_summary_that_looks_like_it_names_someone_is_said_before_saving(
    qtbot, demo_ctx, monkeypatch, tmp_path
) -> None:
    from coordinator_app.ui import widgets

    view = _view(qtbot, demo_ctx)
    view.narrative.setPlainText("Thanks to Mr Jenkins, who told Margaret about it.")
    asked: list[str] = []
    monkeypatch.setattr(widgets, "confirm", lambda parent, title, text, yes: asked.append(text))
    monkeypatch.setattr(trust_view, "choose_save_path", lambda *a: str(tmp_path / "never.pdf"))
    assert view.save_report() is None
    assert '"Jenkins"' in asked[0] and '"Margaret"' in asked[0]
    assert not (tmp_path / "never.pdf").exists()
    assert view.report_status.text() == "The Board report was not saved: reword the summary."


def test_tab_reaches_every_control_in_order(qtbot, demo_ctx) -> None:
    from PySide6.QtWidgets import QApplication

    view = _view(qtbot, demo_ctx)
    view.add_target()  # "Remove target" is enabled once there is one to remove
    view.activateWindow()
    view.exceptions_table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.exceptions_table)
    reached = []
    for _ in range(21):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    wanted = [
        view.month_combo,
        view.places_table,
        view.place_actions_table,
        view.themes_table,
        view.ratings_table,
        view.targets_table,
        view.measure_combo,
        view.direction_combo,
        view.value_spin,
        view.per_combo,
        view.add_target_button,
        view.remove_target_button,
        view.narrative,  # Tab leaves the summary (it does not type a tab)
        view.save_button,
    ]
    order = [w for w in reached if w in wanted]
    assert order[: len(wanted)] == wanted
