"""The minutes' register (docs/printouts.md#names-and-privacy): who was present and who sent
apologies, by category, a service user or carer by name only with their consent to be named in
minutes, else counted; and how many were present in all, in one plain sentence. Kept apart from
``core/minutes.py`` (its size), which uses ``present``, ``apologies`` and ``shown_name``."""

from __future__ import annotations

from collections.abc import Iterable

from .document import Block, Facts, Paragraph, spans
from .meetings import MeetingDetail, RegisterRow
from .vocab import CATEGORY_PLURALS, PROTECTED_CATEGORIES, AttendanceStatus, Category


def _count_phrase(count: int, category: Category) -> str:
    """``1 service user``, ``3 carers``, ``2 staff``."""
    if count == 1:
        return f"1 {category.label.lower()}"
    return f"{count} {CATEGORY_PLURALS[category]}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shown_name(row_name: str, category: Category, consented: bool) -> str | None:
    """The name to print, or None when the person is counted under their category instead."""
    if category in PROTECTED_CATEGORIES and not consented:
        return None
    return " ".join((row_name or "").split()) or None


def _group_by_category(
    rows: Iterable[RegisterRow],
) -> dict[Category, tuple[list[str], int]]:
    """Per category (in glossary order): the names to print and how many are not named."""
    groups: dict[Category, tuple[list[str], int]] = {}
    for row in rows:
        names, hidden = groups.get(row.category, ([], 0))
        shown = shown_name(row.name, row.category, row.name_in_minutes)
        if shown is None:
            hidden += 1
        else:
            names.append(shown)
        groups[row.category] = (names, hidden)
    order = list(Category)
    return dict(sorted(groups.items(), key=lambda kv: order.index(kv[0])))


def _people(groups: dict[Category, tuple[list[str], int]]) -> Facts:
    """Per category (with how many): the people, named or counted."""
    rows = []
    for category, (names, hidden) in groups.items():
        people = list(names)
        if hidden:
            counted = _count_phrase(hidden, category)
            people.append(f"{counted} not named in the minutes" if names else counted)
        total = len(names) + hidden
        rows.append((f"{category.label} ({total})", spans(_join(people))))
    return Facts(tuple(rows))


def headcount(named: int, not_named: int, not_recorded: int = 0) -> str:
    """How many were present, in one sentence true to the list below it: "26 people were
    present: 20 named below and 6 not named in the minutes." (never "26 named people")."""
    total = named + not_named + not_recorded
    who = "1 person was" if total == 1 else f"{total} people were"
    parts = [
        (count, how)
        for count, how in (
            (named, "named below"),
            (not_named, "not named in the minutes"),
            (not_recorded, "not recorded by name"),
        )
        if count
    ]
    if len(parts) == 1:
        return f"{who} present, {parts[0][1]}."
    return f"{who} present: {_join([f'{count} {how}' for count, how in parts])}."


def present(detail: MeetingDetail) -> list[Block]:
    """The minutes' Present section: how many in all, then the people by category."""
    rows = [r for r in detail.register if r.status == AttendanceStatus.PRESENT]
    groups = _group_by_category(rows)
    unnamed = [(c, n) for c, n in detail.unnamed.items() if n > 0]
    if not rows and not unnamed:
        return [Paragraph(spans("No attendance was recorded."))]
    named = sum(len(names) for names, _hidden in groups.values())
    hidden = sum(hidden for _names, hidden in groups.values())
    parts: list[Block] = [Paragraph(spans(headcount(named, hidden, sum(n for _c, n in unnamed))))]
    if rows:
        parts.append(_people(groups))
    if unnamed:
        counts = _join([_count_phrase(n, c) for c, n in unnamed])
        parts.append(
            Paragraph(
                spans(
                    f"Also present, not recorded by name: {counts} "
                    f"({sum(n for _c, n in unnamed)} in all)."
                )
            )
        )
    return parts


def apologies(detail: MeetingDetail) -> list[Block]:
    """The minutes' Apologies section: the people by category, or "None."."""
    rows = [r for r in detail.register if r.status == AttendanceStatus.APOLOGIES]
    if not rows:
        return [Paragraph(spans("None."))]
    return [_people(_group_by_category(rows))]
