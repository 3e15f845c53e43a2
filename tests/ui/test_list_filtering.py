"""Typing in a long list's filter (issue #23): the rows shown are those whose folded text holds
every folded word typed (case, accents and apostrophes ignored, parts of words matching), the
same whether the text was typed on (only the last matches searched), shortened, or changed;
sorting stays the source's; the selection stays on its row while that row is shown; and the
directory shows its first screenful at once, then the whole of it.
"""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from coordinator_app.core.people import list_participants
from coordinator_app.core.vocab import Category
from coordinator_app.ui import widgets
from coordinator_app.ui.models.participants import COL_NAME, ParticipantsFilter, ParticipantsModel
from coordinator_app.ui.models.table import fold

NAMES = (
    "Zoë Davies",
    "Zoe Davidson",
    "ZOË ADAMS",
    "Bob O'Neill",
    "Siân Jones",
    "Sian O’Brien",
    "Chloé Dubois",
    "Mary-Ann Smith",
)


@pytest.fixture
def people(ctx, place, add_person) -> dict[str, uuid.UUID]:
    ids = {name: add_person(name, Category.CARER, place.locality_id) for name in NAMES}
    ids["Dora Inactive"] = add_person("Dora Inactive", active=False)
    return ids


def _proxy(ctx) -> tuple[ParticipantsModel, ParticipantsFilter]:
    model = ParticipantsModel(list_participants(ctx.db, active=None, figures=False))
    model.sort(COL_NAME)
    proxy = ParticipantsFilter()
    proxy.setSourceModel(model)
    return model, proxy


def _shown(proxy) -> list[str]:
    return [proxy.row_at(n).name for n in range(proxy.rowCount())]


def _by_hand(model, proxy, text: str) -> list[str]:
    """The rows a filter should show, worked out row by row: every word of the folded text in
    the row's folded searchable text, the other filters passed, in the model's order."""
    words = fold(text).split()
    return [
        row.name
        for row in model.rows()
        if proxy.accepts(row) and all(w in fold(model.searchable(row)) for w in words)
    ]


def test_the_same_rows_match_the_same_text_whatever_was_typed_before(qtmodeltester, ctx, people):
    model, proxy = _proxy(ctx)
    qtmodeltester.check(proxy, force_py=True)  # stays connected: checks every change below
    typed = [*(("zoë davies")[:n] for n in range(1, 11))]  # typed on, letter by letter
    typed += ["zoë davi", "zoë d", "zoë", "zo", ""]  # and deleted again
    typed += ["SIAN", "sian o", "sian ob", "o'", "oneill", "O’NEILL", "dav zo", "da", "dav zoe"]
    typed += ["chloe", "chlo", "mary ann", "mary-ann", "xyz", "x", ""]
    for text in typed:
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text
    proxy.set_text("zoe")
    assert _shown(proxy) == ["ZOË ADAMS", "Zoe Davidson", "Zoë Davies"]
    proxy.set_text("zoe dav")
    assert _shown(proxy) == ["Zoe Davidson", "Zoë Davies"]
    proxy.set_text("sian")
    assert _shown(proxy) == ["Siân Jones", "Sian O’Brien"]
    proxy.set_text("o'neill")
    assert _shown(proxy) == ["Bob O'Neill"]


def test_the_other_filters_apply_with_the_text_and_before_it(ctx, people):
    model, proxy = _proxy(ctx)
    proxy.set_text("i")  # active people only: Dora is not shown
    assert "Dora Inactive" not in _shown(proxy)
    proxy.active = None  # changed without refilter(): the next keystroke applies it
    proxy.set_text("in")
    assert _shown(proxy) == _by_hand(model, proxy, "in") and "Dora Inactive" in _shown(proxy)
    proxy.category = Category.SERVICE_USER  # Dora's
    proxy.refilter()
    assert _shown(proxy) == ["Dora Inactive"]
    proxy.set_text("ina")  # typed on within the other filters
    assert _shown(proxy) == ["Dora Inactive"]
    proxy.category = None
    proxy.refilter()
    assert _shown(proxy) == _by_hand(model, proxy, "ina") == ["Dora Inactive"]


def test_sorting_and_removing_while_filtered_keep_the_filter(qtmodeltester, ctx, people):
    model, proxy = _proxy(ctx)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_text("zo")
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert _shown(proxy) == ["Zoë Davies", "Zoe Davidson", "ZOË ADAMS"]
    assert model.remove(people["ZOË ADAMS"])
    assert _shown(proxy) == ["Zoë Davies", "Zoe Davidson"]
    proxy.set_text("zoe")  # typed on after the removal
    assert _shown(proxy) == _by_hand(model, proxy, "zoe") == ["Zoë Davies", "Zoe Davidson"]
    proxy.set_text("")
    assert _shown(proxy) == _by_hand(model, proxy, "")


def test_the_selection_stays_on_its_row_while_it_is_shown(qtbot, ctx, people):
    _model, proxy = _proxy(ctx)  # the model kept alive beside its proxy
    table = widgets.RecordTable("People")
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.show()

    def selected() -> list[str]:
        return [proxy.row_at(i.row()).name for i in table.selectionModel().selectedRows()]

    def current() -> str | None:
        row = table.current_row()
        return proxy.row_at(row).name if row >= 0 else None

    table.select_row(_shown(proxy).index("Zoë Davies"))
    for text in ("z", "zo", "zoe", "zoe d", "dav", "zo"):  # Zoë Davies shown all along
        proxy.set_text(text)
        assert selected() == ["Zoë Davies"] and current() == "Zoë Davies", text
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert selected() == ["Zoë Davies"] and current() == "Zoë Davies"
    proxy.set_text("bob")  # no longer shown: nothing is selected
    assert selected() == [] and current() is None
    selection = table.selectionModel()
    selection.setCurrentIndex(
        proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    proxy.set_text("")  # everyone again: Bob stays chosen, wherever his row now is
    assert selected() == ["Bob O'Neill"] and current() == "Bob O'Neill"


def test_the_directory_shows_its_first_screenful_then_everyone(
    qtbot, ctx, people, monkeypatch
) -> None:
    """More people than a screenful: the first by name show with the page (and say the rest are
    coming); the whole directory replaces them, keeping the person selected and the text typed;
    its folded texts come with the rows, not from the keystrokes."""
    from coordinator_app.ui.models import table
    from coordinator_app.ui.views import participants

    monkeypatch.setattr(participants, "FIRST_SCREEN", 3)
    page = participants.ParticipantsPage(ctx)
    qtbot.addWidget(page)
    first = sorted(page.model.rows(), key=lambda r: r.name.lower())
    assert [r.name for r in first] == ["Bob O'Neill", "Chloé Dubois", "Dora Inactive"]
    assert page.count_label.text() == "Showing 2 of the first 3 participants; loading…"
    page._select(people["Chloé Dubois"])
    with qtbot.waitSignal(page.figures_loaded, timeout=10_000):
        page.show()
    assert page.model.rowCount() == len(NAMES) + 1
    assert page.count_label.text() == f"Showing {len(NAMES)} of {len(NAMES) + 1} participants"
    assert page.current_participant_id() == people["Chloé Dubois"]
    folded: list[str] = []
    real_fold = table.fold
    monkeypatch.setattr(table, "fold", lambda text: folded.append(text) or real_fold(text))
    qtbot.keyClicks(page.text_filter, "chl")
    assert folded == ["c", "ch", "chl"]  # the names were folded as they were read
    assert [page.proxy.row_at(n).name for n in range(page.proxy.rowCount())] == ["Chloé Dubois"]
    assert page.current_participant_id() == people["Chloé Dubois"]
