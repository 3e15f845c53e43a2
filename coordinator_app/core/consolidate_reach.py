"""The trust's reach in a consolidation (docs/monthly-return.md#consolidation): the Reach rows
of every return of format version 2, added up by month, characteristic and group, then
suppressed again (``reach.suppress``).

What can be added: the returns hold suppressed cells only (``<5``, ``*``), never the numbers
behind them. A trust cell is the exact sum when every locality's cell is a number; when one or
more were suppressed it is written as text, ``N or more``, N being the least it can be (the
numbers, plus 1 for each ``<5``; a ``*`` may be a starred 0, so it adds nothing), or ``*`` when
that least is 0. Only exact sums go through the
suppression again (1 to 4 -> ``<5``; a lone suppressed cell -> the next smallest ``*``), so
nothing finer than the localities' own figures ever shows. A share is given only when every cell
of its characteristic is exact. Someone who took part in two localities counts in each (a return
counts its own locality's people); the trust has no population share.

Pitfall: returns of format version 1 have no Reach rows and add nothing; the sheet says how many
returns each month's figures come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .monitoring import NOT_STATED
from .reach import STARRED, UNDER_FIVE, suppress
from .return_format import REACH_SHEET, ReturnData

TRUST_REACH_SHEET = "Trust reach"
#: What a Reach count or share may be instead of a number (docs/monthly-return.md#reach).
SUPPRESSED = frozenset({UNDER_FIVE, STARRED})
TRUST_REACH_HEADERS: tuple[str, ...] = (
    "Month",
    "Characteristic",
    "Group",
    "People",
    "Share (%)",
    "Returns",
)


def reach_cell_problem(column: str, value: Any) -> str:
    """Why a Reach cell (``column`` casefolded) of a return cannot be: a count from 1 to 4
    written as a number would single someone out ("" when it can be)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if column == "people" and number and 1 <= value <= 4:
        return f"People is {value}; a count from 1 to 4 is written <5 in a return."
    return ""


def _least(value: Any) -> tuple[int, bool]:
    """(the least the cell can be, whether it is exact)."""
    if value == UNDER_FIVE:
        return 1, False
    if value == STARRED:
        return 0, False  # usually 5 or more, but a characteristic's first 0 may be starred
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value), True
    return 0, True  # empty


def trust_reach_rows(returns: Sequence[ReturnData]) -> list[tuple[Any, ...]]:
    """The rows of ``TRUST_REACH_SHEET``, by month, then in the returns' own order of rows."""
    by_month: dict[str, list[ReturnData]] = {}
    for data in returns:
        if data.tables.get(REACH_SHEET):
            by_month.setdefault(str(data.month), []).append(data)
    out: list[tuple[Any, ...]] = []
    for month in sorted(by_month):
        sums: dict[tuple[str, str], list[int]] = {}  # (characteristic, group) -> [least, exact]
        for data in by_month[month]:
            for characteristic, group, people, *_ in data.tables[REACH_SHEET]:
                least, exact = _least(people)
                cell = sums.setdefault((str(characteristic), str(group)), [0, 1])
                cell[0] += least
                cell[1] &= int(exact)
        characteristics: dict[str, list[tuple[str, int, bool]]] = {}
        for (characteristic, group), (total, all_numbers) in sums.items():
            characteristics.setdefault(characteristic, []).append((group, total, bool(all_numbers)))
        for characteristic, cells in characteristics.items():
            out += _block(month, characteristic, cells, len(by_month[month]))
    return out


def _block(
    month: str, characteristic: str, cells: list[tuple[str, int, bool]], returns: int
) -> list[tuple[Any, ...]]:
    exact_positions = [i for i, (_, _, exact) in enumerate(cells) if exact]
    shown: list[Any] = [f"{total} or more" if total else STARRED for _, total, _ in cells]
    exact_cells = suppress(
        [cells[i][1] for i in exact_positions],
        [cells[i][0] not in NOT_STATED for i in exact_positions],
    )
    for i, cell in zip(exact_positions, exact_cells, strict=True):
        shown[i] = cell
    all_exact = len(exact_positions) == len(cells)
    everyone = sum(total for _, total, _ in cells)
    stated = sum(total for group, total, _ in cells if group not in NOT_STATED)
    rows: list[tuple[Any, ...]] = []
    for (group, total, _), people in zip(cells, shown, strict=True):
        base = everyone if group in NOT_STATED else stated
        share: Any = None
        if isinstance(people, str):
            share = people if people in (UNDER_FIVE, STARRED) else None
        elif all_exact and base:
            share = round(100 * total / base, 1)
        rows.append((month, characteristic, group, people, share, returns))
    return rows
