"""When and how a forum usually meets: its usual day (the second Tuesday of the month), times and
standing agenda items (journey step 0: "sets up their forums (usual venue, day, time, standing
agenda items) and plans the first meeting").

One rule, one function: ``clean`` checks what the Organisation dialog (and the command line, the
tests) give for a new or changed forum; ``next_date`` proposes a new meeting's date from the
usual day; ``in_month`` is the usual day of a given month (``meetings.plan_next_meeting`` keeps
to it); ``describe`` says it in words ("2nd Tuesday, 14:00 to 16:00").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from . import fields

#: Week of the month: 1 to 4, or 5 for the last (a 5th Tuesday is not in every month).
LAST_WEEK = 5
WEEK_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", LAST_WEEK: "last"}
DAY_WORDS = tuple(calendar.day_name)  # Monday first, as date.weekday() counts
#: No forum needs more standing items than this; a longer list is a paste gone wrong.
MAX_STANDING_ITEMS = 20


@dataclass(frozen=True)
class Usual:
    """A forum's usual day, times and standing items, each empty when it has none."""

    week: int | None = None
    weekday: int | None = None
    start: time | None = None
    end: time | None = None
    standing_items: tuple[str, ...] = ()

    @property
    def has_day(self) -> bool:
        return self.week is not None and self.weekday is not None

    def stored_items(self) -> str:
        """The standing items as the forums table keeps them: one per line."""
        return "\n".join(self.standing_items)


def items_from_text(text: str | None) -> tuple[str, ...]:
    """The stored (or typed) one-per-line text as items: each trimmed, blank lines dropped."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def clean(
    problems: dict[str, str],
    *,
    week: int | None = None,
    weekday: int | None = None,
    start: time | None = None,
    end: time | None = None,
    standing_items: str | tuple[str, ...] | list[str] = (),
) -> Usual:
    """``Usual`` from what was given, each problem added to ``problems`` under its field's name
    (``usual_day``, ``usual_end``, ``standing_items``). A repeated item (any case) is kept once."""
    if (week is None) != (weekday is None):
        problems["usual_day"] = "Choose both the week and the day, or neither."
    elif week is not None and weekday is not None:
        if not (isinstance(week, int) and 1 <= week <= LAST_WEEK):
            problems["usual_day"] = "The week is the 1st to the 4th, or the last."
        elif not (isinstance(weekday, int) and 0 <= weekday <= 6):
            problems["usual_day"] = "Choose a day of the week."
    if start is not None and end is not None and end <= start:
        problems["usual_end"] = "The usual end time must be after the start time."
    typed = (
        items_from_text(standing_items)
        if isinstance(standing_items, str)
        else tuple(" ".join(str(item).split()) for item in standing_items if str(item).strip())
    )
    items: list[str] = []
    seen: set[str] = set()
    for item in typed:
        local: dict[str, str] = {}
        value = fields.AGENDA_TITLE.clean(item, local)
        if local:
            problems["standing_items"] = (
                f"Standing item “{item[:40]}”: {next(iter(local.values()))}"
            )
            break
        if value.casefold() not in seen:
            seen.add(value.casefold())
            items.append(value)
    if len(items) > MAX_STANDING_ITEMS:
        problems["standing_items"] = (
            f"A forum can have at most {MAX_STANDING_ITEMS} standing items."
        )
    return Usual(week, weekday, start, end, tuple(items))


def in_month(usual: Usual, year: int, month: int) -> date | None:
    """The usual day in that month (the last Friday, the 2nd Tuesday); None without one."""
    if usual.week is None or usual.weekday is None:
        return None
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == usual.weekday
    ]
    return days[-1] if usual.week == LAST_WEEK else days[usual.week - 1]


def next_date(usual: Usual, after: date) -> date | None:
    """The first usual day on or after ``after``; None when the forum has no usual day."""
    if not usual.has_day:
        return None
    year, month = after.year, after.month
    for _ in range(2):
        found = in_month(usual, year, month)
        if found is not None and found >= after:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None  # pragma: no cover - every month has each weekday at least four times


def after_month(usual: Usual, on: date) -> date | None:
    """The usual day in the month after ``on``'s (the next sitting of a monthly forum)."""
    following = (on.replace(day=1) + timedelta(days=32)).replace(day=1)
    return in_month(usual, following.year, following.month)


def describe(usual: Usual) -> str:
    """The usual day and times in words: "2nd Tuesday, 14:00 to 16:00"; "" when neither."""
    parts = []
    if usual.week is not None and usual.weekday is not None:
        parts.append(f"{WEEK_WORDS[usual.week]} {DAY_WORDS[usual.weekday]} of the month")
    if usual.start is not None:
        until = f" to {usual.end:%H:%M}" if usual.end is not None else ""
        parts.append(f"{usual.start:%H:%M}{until}")
    return ", ".join(parts)
