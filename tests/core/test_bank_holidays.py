"""England and Wales bank holidays by the usual rules (core/bank_holidays.py), checked against
the dates the government published for 2021, 2022 and 2026."""

from __future__ import annotations

from datetime import date

import pytest

from coordinator_app.core.bank_holidays import bank_holiday, easter_sunday, holidays


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2021,
            ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
        ),
        (
            2022,  # without the one-offs (the jubilee, the state funeral), which are not known
            ["01-03", "04-15", "04-18", "05-02", "05-30", "08-29", "12-26", "12-27"],
        ),
        (
            2026,
            ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
        ),
    ],
)
def test_the_published_dates(year: int, expected: list[str]) -> None:
    assert sorted(f"{d:%m-%d}" for d in holidays(year)) == expected


def test_names_and_substitute_days() -> None:
    assert bank_holiday(date(2026, 12, 25)) == "Christmas Day"
    assert bank_holiday(date(2026, 12, 28)) == "the substitute day for Boxing Day"
    assert bank_holiday(date(2022, 1, 3)) == "the substitute day for New Year's Day"
    assert bank_holiday(date(2026, 12, 24)) is None
    assert bank_holiday(date(2026, 12, 26)) is None  # a Saturday: its day is the Monday


def test_easter() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]
