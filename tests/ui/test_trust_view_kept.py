"""The Trust view over returns kept between months (ui/views/trust_view.py, core/kept_returns.py;
docs/monthly-return.md#kept-between-months): the kept picture on opening with no file read,
consolidating keeps what it read, forgetting one, targets moved out of QSettings once, the trend
table and the "You said, we did" ticks."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from coordinator_app.core import kept_returns
from coordinator_app.core.board import MEDIAN_DAYS, TRUST, Target
from coordinator_app.core.rules import Month
from coordinator_app.ui import tasks, widgets
from coordinator_app.ui.views import trust_view
from coordinator_app.ui.views.trust_view import KEY_TARGETS, TrustView
from tests.core.test_board import OCT, SEP, _action, _return, _returns


@pytest.fixture(autouse=True)
def ini(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    path = str(tmp_path / "settings.ini")
    monkeypatch.setattr(trust_view, "settings", lambda: QSettings(path, QSettings.Format.IniFormat))
    monkeypatch.setattr(tasks, "show_error", lambda parent, title, text: None)
    return path


def _view(qtbot, ctx) -> TrustView:
    view = TrustView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def _cells(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_on_opening_the_kept_picture_is_shown_with_no_file_read(qtbot, demo_ctx) -> None:
    kept_returns.keep(demo_ctx.db, _returns())
    view = _view(qtbot, demo_ctx)
    assert view.picture is not None
    assert view.picture.localities == ("Avon", "Bath", "Calne", "Dorset")
    assert "Dorset (2026-09)" in view.missing_label.text()
    assert "(12 kept)" in view.caption.text()
    assert view.kept_model.rowCount() == 12
    assert view.save_button.isEnabled()


def test_consolidating_keeps_what_it_read_and_says_so(qtbot, demo_ctx) -> None:
    kept_returns.keep(demo_ctx.db, [_return("Avon", SEP, 12)])
    view = _view(qtbot, demo_ctx)
    view.keep_returns([_return("Avon", SEP, 12), _return("Bath", OCT, 22)])
    assert view.kept_status.text() == "Kept 1 return; 1 already kept."
    assert view.picture is not None and view.picture.localities == ("Avon", "Bath")
    again = _view(qtbot, demo_ctx)  # the next session
    assert again.kept_model.rowCount() == 2


def test_a_kept_return_is_forgotten_after_asking(qtbot, demo_ctx, monkeypatch) -> None:
    kept_returns.keep(demo_ctx.db, [_return("Avon", SEP, 12), _return("Bath", OCT, 22)])
    view = _view(qtbot, demo_ctx)
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(
        widgets, "confirm", lambda parent, title, text, yes: asked.append(text) or answer[0]
    )
    view.kept_table.setCurrentIndex(view.kept_model.index(1, 0))
    qtbot.mouseClick(view.forget_button, Qt.MouseButton.LeftButton)
    assert "Forget the kept return of Bath for 2026-10 (Bath-2026-10.xlsx)?" in asked[0]
    assert view.kept_model.rowCount() == 2  # not answered yes: nothing forgotten
    answer[0] = True
    view.kept_table.setFocus()
    qtbot.keyClick(view.kept_table, Qt.Key.Key_Delete)
    assert [k.locality for k in kept_returns.kept(demo_ctx.db)] == ["Avon"]
    assert view.picture is not None and view.picture.localities == ("Avon",)
    assert view.kept_status.text() == "Forgot the return of Bath for 2026-10."


def test_targets_in_the_old_settings_move_into_the_database_once(qtbot, demo_ctx, ini) -> None:
    old = [
        {"measure": "Attendances", "value": 10, "higher_is_better": True, "per": "locality"},
        {"measure": MEDIAN_DAYS, "value": 30, "higher_is_better": False, "per": "trust"},
        {"measure": "No such measure", "value": 1, "higher_is_better": True},
    ]
    QSettings(ini, QSettings.Format.IniFormat).setValue(KEY_TARGETS, json.dumps(old))
    view = _view(qtbot, demo_ctx)
    qtbot.waitUntil(lambda: len(view.targets) == 2)
    assert kept_returns.load_targets(demo_ctx.db) == [
        Target("Attendances", 10),
        Target(MEDIAN_DAYS, 30, False, "trust"),
    ]
    assert not QSettings(ini, QSettings.Format.IniFormat).contains(KEY_TARGETS)
    kept_returns.remove_target(demo_ctx.db, "Attendances", "locality")
    _view(qtbot, demo_ctx)  # the key is gone: nothing is moved again
    assert len(kept_returns.load_targets(demo_ctx.db)) == 1


def test_the_trend_of_a_measure_for_the_trust_or_a_locality(qtbot, demo_ctx) -> None:
    kept_returns.keep(demo_ctx.db, _returns())
    view = _view(qtbot, demo_ctx)
    assert view.trend_place_combo.currentText() == TRUST
    assert view.trend_measure_combo.currentText() == "Attendances"
    assert _cells(view.trend_model) == [
        ["2026-10", "46", "+16", "+37"],
        ["2026-09", "30", "-12", "no return"],
        ["2026-08", "42", "no return", "no return"],
        ["2025-10", "9", "no return", "no return"],
    ]
    view.trend_place_combo.setCurrentText("Dorset")
    assert _cells(view.trend_model)[:2] == [
        ["2026-10", "9", "no return", "no return"],
        ["2026-09", "no return", "no return", "no return"],
    ]
    view.trend_measure_combo.setCurrentText("Standards met (%)")
    assert _cells(view.trend_model)[0] == ["2026-10", "85", "no return", "no return"]
    view.trend_place_combo.setCurrentText(TRUST)
    assert _cells(view.trend_model)[0] == ["2026-10", "by locality", "", ""]


def test_the_group_ticks_completed_actions_to_feature(qtbot, demo_ctx) -> None:
    kept_returns.keep(demo_ctx.db, _returns())
    view = _view(qtbot, demo_ctx)
    assert [row[1:3] for row in _cells(view.highlights_model)] == [
        ["Bath", "B-1"], ["Avon", "A-2"], ["Bath", "B-2"],
    ]  # fmt: skip
    assert view.highlights_note.text().startswith(
        '3 actions completed from October 2025 to October 2026 (the returns\' "Actions completed")'
    )
    assert view.highlights_table.currentIndex().row() == 0  # the button has one to act on
    view.highlights_table.setCurrentIndex(view.highlights_model.index(1, 0))
    assert view.feature_button.text() == "Feature &in the Board report"
    view.highlights_table.setFocus()
    qtbot.keyClick(view.highlights_table, Qt.Key.Key_Return)
    assert kept_returns.highlights(demo_ctx.db) == [("Avon", "A-2")]
    assert _cells(view.highlights_model)[1][0] == "Featured"
    checked = view.highlights_model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole)
    assert checked == Qt.CheckState.Checked
    assert view.feature_button.text() == "Stop featur&ing it"
    assert view.picture is not None and [a.reference for a in view.picture.featured] == ["A-2"]
    qtbot.mouseClick(view.feature_button, Qt.MouseButton.LeftButton)
    assert kept_returns.highlights(demo_ctx.db) == []
    # A click on the tick itself features the action clicked.
    tick = view.highlights_table.visualRect(view.highlights_model.index(2, 0)).center()
    qtbot.mouseClick(view.highlights_table.viewport(), Qt.MouseButton.LeftButton, pos=tick)
    assert kept_returns.highlights(demo_ctx.db) == [("Bath", "B-2")]


def test_you_said_we_did_counts_as_the_returns_do_and_names_the_month(qtbot, demo_ctx) -> None:
    """A November return made in December lists an action closed in December as Completed
    (docs/monthly-return.md): November's "Actions completed" does not count it, nor does the
    list of actions to feature."""
    nov = Month(2026, 11)
    actions = [
        _action("C-1", date(2026, 10, 1), "Completed", date(2026, 11, 20)),
        _action("C-2", date(2026, 10, 1), "Completed", date(2026, 12, 4)),
    ]
    kept_returns.keep(demo_ctx.db, [_return("Calne", nov, 3, actions, Actions_completed=1)])
    view = _view(qtbot, demo_ctx)
    assert [row[2] for row in _cells(view.highlights_model)] == ["C-1"]
    assert view.highlights_note.text().startswith(
        '1 action completed in November 2026 (the returns\' "Actions completed"); 0 featured'
    )


def test_every_new_control_is_named_and_heard(qtbot, demo_ctx, unheard) -> None:
    kept_returns.keep(demo_ctx.db, _returns())
    view = _view(qtbot, demo_ctx)
    view.keep_returns([_return("Avon", OCT, 15)])
    assert unheard(view, "The Trust view with kept returns") == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_board_report_prints_the_ticked_actions(qtbot, demo_ctx, monkeypatch, tmp_path) -> None:
    from tests.core.test_typeset import pdf_text

    kept_returns.keep(demo_ctx.db, _returns())
    kept_returns.feature(demo_ctx.db, "Bath", "B-2", True)
    view = _view(qtbot, demo_ctx)
    target = tmp_path / "board.pdf"
    monkeypatch.setattr(trust_view, "choose_save_path", lambda parent, title, sug: str(target))
    with qtbot.waitSignal(view.report_saved, timeout=30_000):
        view.save_report()
    text = " ".join(pdf_text(target).split())
    assert "You said, we did" in text and "Fix B-2" in text and "Fix B-1" not in text
