"""Which localities a list reads (its scope): the coordinator's own by default, every locality
one click away.

A trust-wide database holds every locality; a list that read them all grew with the trust (the
participants list took 148 ms to open at the large demo and 1.7 s at sixteen times it). So the
Meetings, Participants and Actions lists read, in SQL, only the localities marked as this
laptop's coordinator's (``localities.coordinated``, set in the welcome) and the ones chosen in
their locality filter: that filter's first choice is "My localities", then "All localities",
then each locality. "My localities" is offered only when it differs from all of them (some, not
all, are coordinated), so a database of one coordinator's localities looks as it always did.
Beside the count, "Show all localities" switches to every locality in one click.

Pitfall: the combos hold strings (``MINE``, ``EVERY``) rather than None for "all":
``widgets.fill_combo`` keeps the current choice by its data, and None would fall back to the
first item at every refresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QPushButton

from ..core.rows import LocalityRow
from . import widgets

#: The locality filter's "My localities" and "All localities".
MINE = "*mine*"
EVERY = "*every*"


def scope_choices(
    localities: Sequence[LocalityRow], key: Callable[[LocalityRow], Any] = lambda loc: loc.id
) -> list[tuple[str, object]]:
    """The locality filter's choices: "My localities (Rugby)" when some but not all are the
    coordinator's, "All localities", then each locality (its data ``key(locality)``)."""
    mine = [loc for loc in localities if loc.coordinated]
    items: list[tuple[str, object]] = []
    if mine and len(mine) < len(localities):
        names = ", ".join(loc.name for loc in mine[:2])
        more = f" and {len(mine) - 2} more" if len(mine) > 2 else ""
        items.append((f"My localities ({names}{more})", MINE))
    items.append(("All localities", EVERY))
    items += [(loc.name, key(loc)) for loc in localities]
    return items


def scope_ids(
    data: object,
    localities: Sequence[LocalityRow],
    key: Callable[[LocalityRow], Any] = lambda loc: loc.id,
) -> list[uuid.UUID] | None:
    """The localities a choice of the filter reads (None: every locality)."""
    if data == MINE:
        return [loc.id for loc in localities if loc.coordinated] or None
    if data == EVERY or data is None:
        return None
    return [loc.id for loc in localities if key(loc) == data] or None


def one_locality(
    data: object,
    localities: Sequence[LocalityRow],
    key: Callable[[LocalityRow], Any] = lambda loc: loc.id,
) -> uuid.UUID | None:
    """The one locality a choice means (for a new record's default), else None."""
    ids = scope_ids(data, localities, key)
    return ids[0] if ids is not None and len(ids) == 1 else None


class ShowAllButton(QPushButton):
    """ "Show all localities": shown while ``combo`` is on "My localities"; one click chooses
    "All localities" (the item holding ``every``; the combo's own signal then reloads the
    list). Call ``sync`` after refilling the combo with its signals blocked."""

    def __init__(self, combo: QComboBox, every: object = EVERY) -> None:
        super().__init__("Show all localities")
        self.combo = combo
        self.setAccessibleName("Show the records of all localities, not only mine")
        self.clicked.connect(lambda: widgets.select_data(combo, every))
        combo.currentIndexChanged.connect(self.sync)
        self.sync()

    def sync(self, *_args: object) -> None:
        self.setVisible(self.combo.currentData() == MINE)
