"""The action tracker's letter-pair index (issue #23, "Fast at sixteen times the data"): a
keystroke reads the rows holding its letters from ``TextIndex`` instead of every row's text, and
the rows shown are exactly those a scan of every text shows (``table.matching_rows``): typed
on, shortened, changed, with other filters, after a sort and after an edited action is put in
place.
"""

from __future__ import annotations

import random
import sys
import uuid
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core.actions import TrackerRow
from coordinator_app.core.vocab import ActionLevel, ActionStatus
from coordinator_app.ui.models import actions as actions_model
from coordinator_app.ui.models import text_index
from coordinator_app.ui.models.actions import (
    COL_OWNER,
    COL_RAISED,
    ActionsFilter,
    ActionsModel,
    build_index,
    search_text,
)
from coordinator_app.ui.models.table import fold, matching_rows
from coordinator_app.ui.models.text_index import TextIndex

TITLES = (
    "Carers' forum: book the room",
    "Access audit of the café",
    "Zoë to send the minutes",
    "Rugby forum — agenda",
    "Chase the ørsted leaflet",
    "Straße signs in Welsh and English",
    "caring for carers",
    "CAR PARK access for carers",
    "Accessible formats (easy read)",
    "Tell Zoe O'Neill",
)
OWNERS = ("Siân Jones", "Bob O'Neill", "", "Zoë Davies", "carer lead")
LOCALITIES = ("a" * 32, "b" * 32)

TYPED = [
    *("carers"[:n] for n in range(1, 7)),  # typed on, a letter at a time
    "carer",
    "car",
    "ca",
    "c",
    "",  # and deleted again
    *("access"[:n] for n in range(1, 7)),
    "zo",
    "zoe",
    "zoe o",
    "zoe on",
    "oneill",
    "o'neill",
    "rugby",
    "rugby ",
    "rugby f",
    "rugby forum",
    "forum rugby",
    "ø",
    "ørs",
    "orsted",
    "strasse",
    "ss",
    "café",
    "cafe",
    "é",
    "rug2-",
    "rug2-0",
    "-00",
    "zz",
    "qx",
    "",
    "a",
    "a c",
    "e",
]


@pytest.fixture(autouse=True, params=["bytes", "texts"])
def way(request, monkeypatch) -> str:
    """Every test twice: longer words found in the texts' bytes, and read in the texts of the
    rows that may hold them (the index chooses by how many those are, ``_FEW``)."""
    monkeypatch.setattr(text_index, "_FEW", 0 if request.param == "bytes" else 10**9)
    monkeypatch.setattr(actions_model, "TEXT_INDEX_FROM", 1)  # these lists are short
    return request.param


def _rows(count: int = 240) -> list[TrackerRow]:
    pick = random.Random(23)
    rows = []
    for n in range(count):
        rows.append(
            TrackerRow(
                key=uuid.UUID(int=n + 1).hex,
                reference=f"RUG{n % 3}-{n:04d}",
                title=pick.choice(TITLES),
                owner=pick.choice(OWNERS),
                level=pick.choice(list(ActionLevel)),
                status=pick.choice(list(ActionStatus)),
                raised_on=date(2026, 1, 1 + n % 28),
                due_on=None,
                closed_on=None,
                priority_key=None,
                locality_key=LOCALITIES[n % 2],
                forum_key=None,
                meeting_key=None,
                source="",
                is_open=n % 3 != 0,
                overdue=n % 5 == 0,
                due_soon=n % 7 == 0,
            )
        )
    return rows


def _loaded() -> tuple[ActionsModel, ActionsFilter]:
    """As the page does with the whole list read in the background: the index built beside
    the rows, then the rows set."""
    rows = _rows()
    model = ActionsModel()
    proxy = ActionsFilter()
    proxy.setSourceModel(model)
    proxy.expect(build_index(rows, text=True))
    model.set_rows(rows)
    return model, proxy


def _shown(proxy: ActionsFilter) -> list[str]:
    return [row.reference for row in proxy.shown_rows()]


def _by_hand(model: ActionsModel, proxy: ActionsFilter, text: str) -> list[str]:
    """Every folded word in the row's folded text, the locality filter passed, in the model's
    order."""
    words = fold(text).split()
    return [
        row.reference
        for row in model.rows()
        if (proxy.locality_key is None or row.locality_key == proxy.locality_key)
        and all(w in fold(search_text(row)) for w in words)
    ]


def test_the_index_finds_the_rows_a_scan_of_every_text_finds() -> None:
    texts = [fold(search_text(r)) for r in _rows()]
    index = TextIndex(list(range(len(texts))), texts)
    order = list(range(len(texts)))
    random.Random(7).shuffle(order)
    shuffled = [texts[n] for n in order]
    import numpy as np

    for text in TYPED:
        words = fold(text).split()
        if not words:
            continue
        assert index.rows(words, texts) == matching_rows(texts, words, None), text
        # The same rows in another order (the source sorted): numbered in that order.
        assert index.rows(words, shuffled, np.array(order)) == matching_rows(
            shuffled, words, None
        ), text


def test_no_rows_an_empty_text_and_a_text_of_one_letter() -> None:
    assert TextIndex([], []).rows(["a"], []) == []
    assert TextIndex([], []).rows(["abc"], []) == []
    texts = ["", "abc", "x"]
    index = TextIndex([1, 2, 3], texts)
    for word in ("a", "abc", "bc", "c", "x", "xy", "xyz", "abcd"):
        assert index.rows([word], texts) == matching_rows(texts, [word], None), word


def test_an_edited_text_is_found_by_its_new_words_only() -> None:
    texts = ["alpha beta", "gamma delta", "alphabet soup"]
    index = TextIndex([10, 11, 12], texts)
    assert index.rows(["alph"], texts) == [0, 2]
    texts[0] = "omega psi ænd"
    assert index.replace(10, 20, texts[0])
    assert not index.replace(10, 21, "x")  # 10 is gone: 20 took its place
    for words in (["alph"], ["alpha"], ["al"], ["a"], ["omeg"], ["psi"], ["æ"], ["ænd"], ["z"]):
        assert index.rows(words, texts) == matching_rows(texts, words, None), words
    assert index.order([20, 11, 12]) is None
    assert index.order([10, 11, 12]) is False  # not these rows any more


def test_typing_shows_the_same_rows_as_a_scan_through_every_change() -> None:
    model, proxy = _loaded()
    assert proxy._text_index is not None  # the keystrokes below go through it
    for text in TYPED:
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text
        assert proxy.rowCount() == len(_by_hand(model, proxy, text))

    proxy.locality_key = LOCALITIES[1]  # another filter with the text
    proxy.refilter()
    for text in ("car", "care", "ca", "rugby f", ""):
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text
    proxy.locality_key = None
    proxy.refilter()

    proxy.set_text("carer")
    model.sort(COL_OWNER, Qt.SortOrder.DescendingOrder)  # the rows in another order
    assert _shown(proxy) == _by_hand(model, proxy, "carer")
    for text in ("carers", "carer", "ca", "zoe o", "oneill", "ørs", "a"):
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text
    assert proxy._text_index is not None


def test_an_edited_action_is_found_by_its_new_title_and_not_its_old_one() -> None:
    model, proxy = _loaded()
    model.sort(COL_RAISED, Qt.SortOrder.AscendingOrder)
    proxy.set_text("ca")  # the index's order worked out for the sorted rows
    before = model.rows()[5]
    assert model.replace_row(replace(before, title="Quorate quilt", owner="Ximena"))
    for text in ("quor", "quilt", "ximena", "qu", "q", "x", before.reference.lower(), "car", ""):
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text
    assert _shown(proxy)  # "" shows every row
    proxy.set_text("quilt")
    assert _shown(proxy) == [before.reference]
    assert proxy._text_index is not None  # followed the edit, not dropped


def test_other_rows_set_without_an_index_are_scanned() -> None:
    model, proxy = _loaded()
    proxy.set_text("car")
    fewer = _rows(30)[::2]  # as a first screenful: no index comes with them
    model.set_rows(fewer)
    assert proxy._text_index is None
    for text in ("car", "carers", "rug", ""):
        proxy.set_text(text)
        assert _shown(proxy) == _by_hand(model, proxy, text), text


def test_a_short_list_is_searched_without_an_index(monkeypatch) -> None:
    monkeypatch.setattr(actions_model, "TEXT_INDEX_FROM", 240)
    assert build_index(_rows(239), text=True).text is None  # each keystroke reads every text
    assert build_index(_rows(240), text=True).text is not None
    assert build_index(_rows(240)).text is None  # a first screenful: never


def test_a_keystroke_matching_every_row_makes_no_python_object_per_row() -> None:
    """The rows shown are the index's numpy array (or a range for every row), not a list of
    Python ints: a keystroke's Python work follows what is shown, not how many rows match."""
    rows = _rows(3000)
    model = ActionsModel()
    proxy = ActionsFilter()
    proxy.setSourceModel(model)
    proxy.expect(build_index(rows, text=True))
    model.set_rows(rows)
    proxy.set_text("zz")  # nothing shown
    assert proxy.rowCount() == 0
    for text in ("r", "", "rug"):  # every reference holds "rug"
        before = sys.getallocatedblocks()
        proxy.set_text(text)
        grown = sys.getallocatedblocks() - before
        assert proxy.rowCount() == 3000, text
        assert grown < 1000, (text, grown)  # a list of the rows shown: ~2,750 more ints
        proxy.set_text("zz")
    proxy.set_text("rug")
    assert _shown(proxy) == _by_hand(model, proxy, "rug")


def test_a_space_typed_after_a_word_keeps_the_selected_row(qtbot) -> None:
    from coordinator_app.ui import widgets

    _model, proxy = _loaded()  # the model kept alive beside its proxy
    table = widgets.RecordTable("Actions")
    qtbot.addWidget(table)
    table.setModel(proxy)
    proxy.set_text("car")
    table.select_row(2)
    chosen = proxy.row_at(2).reference
    for text in ("car ", " car", "CAR  "):  # the same words: the list is not reset
        proxy.set_text(text)
        assert table.current_row() == 2 and proxy.row_at(2).reference == chosen, text


def test_the_tick_boxes_count_the_rows_shown_through_the_index() -> None:
    _model, proxy = _loaded()
    for text in ("", "c", "car", "carers", "rug", "zz", "a"):
        proxy.set_text(text)
        shown = proxy.shown_rows()
        assert proxy.flag_count("overdue") == sum(r.overdue for r in shown), text
        assert proxy.flag_count("due_soon") == sum(r.due_soon for r in shown), text


def test_texts_short_enough_for_many_in_a_block_are_found_by_row() -> None:
    """Many rows' texts in one block of bytes (a place's row is then found by a search, not a
    step or two from the block's first row), an empty text among them."""
    texts = ["", "car", "x", "carx", "", "a car", "c", "ar"] * 40 + ["carers of the car park"]
    index = TextIndex(list(range(len(texts))), texts)
    for typed in ("car", "care", "carer", "car", "ar", "x", "arx", "park", "a car"):
        words = typed.split()
        assert index.rows(words, texts) == matching_rows(texts, words, None), typed
