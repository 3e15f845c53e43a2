"""Bank holidays in England and Wales, by the usual rules (the trusts' forums meet there).

``bank_holiday(day)`` names the holiday on ``day``, or None. The rules: New Year's Day, Good
Friday, Easter Monday, the early May and spring bank holidays (the first and last Mondays of
May), the summer bank holiday (the last Monday of August), Christmas Day and Boxing Day; one
that falls on a weekend is moved to the next weekday that is not already a holiday (its
"substitute day"). One-off holidays the government adds (a coronation, a jubilee) are not
known: a new meeting's date is only pointed out, never refused.
"""

from __future__ import annotations

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def holidays(year: int) -> dict[date, str]:
    """Each bank holiday of ``year`` in England and Wales, by date."""
    easter = easter_sunday(year)
    found: dict[date, str] = {
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        _monday_on_or_after(date(year, 5, 1)): "the early May bank holiday",
        _last_monday(year, 5): "the spring bank holiday",
        _last_monday(year, 8): "the summer bank holiday",
    }
    fixed = (
        (date(year, 1, 1), "New Year's Day"),
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "Boxing Day"),
    )
    found.update((day, name) for day, name in fixed if day.weekday() < 5)
    for day, name in fixed:
        if day.weekday() >= 5:
            moved = day + timedelta(days=1)
            while moved.weekday() >= 5 or moved in found:
                moved += timedelta(days=1)
            found[moved] = f"the substitute day for {name}"
    return found


def bank_holiday(day: date) -> str | None:
    """The bank holiday on ``day`` ("Christmas Day", "the summer bank holiday"), or None."""
    return holidays(day.year).get(day)
