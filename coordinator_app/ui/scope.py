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

from PySide6.QtCore import QSize
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
        widgets.say_more(self, "Show the records of all localities, not only mine")
        self.clicked.connect(lambda: widgets.select_data(combo, every))
        combo.currentIndexChanged.connect(self.sync)
        self.sync()

    def sync(self, *_args: object) -> None:
        self.setVisible(self.combo.currentData() == MINE)


def many_choices(combo: QComboBox, letters: int = 12, *, icons: bool = True) -> QComboBox:
    """Size ``combo``, a filter offering as many choices as the trust has localities or forums,
    for ``letters`` letters rather than for its widest choice: Qt otherwise measures every
    choice twice (its size hint, then its minimum size hint) as the list is first laid out,
    9-15 ms of the Meetings list's opening with "All localities" at sixteen times the large
    demo (880 forums) against 0.6 ms at the large demo (55), issue #23. The filter grid's
    stretch gives these combos their width in any case (at 900 px the forum filter was 351 px
    wide against the 511 its widest name asked for): the Meetings page drawn at 1366 and 900 px
    wide, at both sizes of the demo, is the same to the pixel. ``icons`` False keeps no room
    for an icon, so the combo is as high as the page's other filters."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)
    if not icons:  # no room kept for an icon: as high as the other filters of the page
        combo.setIconSize(QSize(0, 0))
    return combo
