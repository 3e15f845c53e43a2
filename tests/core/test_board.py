"""The Trust view's data (core/board.py): four localities over three months, worked by hand.

Avon, Bath, Calne and Dorset send returns for 2026-08 to 2026-10 (Dorset's 2026-09 is missing;
Avon's 2025-10 is last year's). Attendances (all service users):

    month     Avon  Bath  Calne  Dorset  trust
    2025-10      9     -      -       -      9
    2026-08     10    20      5       7     42
    2026-09     12    18      0       -     30
    2026-10     15    22      0       9     46

Calne held no meeting in 2026-09 or 2026-10. At the end of 2026-10 Avon's A-1 is 123 days
overdue and Bath's B-3 30; completed in 2026-10: Avon's A-2 (40 days from raised), Bath's B-1
(20) and B-2 (61).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from coordinator_app.core.board import (
    MEDIAN_DAYS,
    TRUST,
    Rating,
    Target,
    missing_returns,
    trust_picture,
    trust_total,
)
from coordinator_app.core.figures import SUMMARY_MEASURES
from coordinator_app.core.returns import HEADERS, ReturnData
from coordinator_app.core.rules import Month

AUG, SEP, OCT = Month(2026, 8), Month(2026, 9), Month(2026, 10)
LAST_OCT = Month(2025, 10)


#: Experience rows (Date, Forum, Kind, Theme, Service or team, Summary, Response) by return.
_SAID = (date(2026, 10, 5), "Forum", "Concern", "Access", "Crisis", "Long wait", "")
experience: dict[tuple[str, Month], list[tuple[Any, ...]]] = {
    ("Avon", OCT): [_SAID, _SAID, (*_SAID[:2], "Compliment", "Staff", *_SAID[4:])],
    ("Bath", OCT): [_SAID, (*_SAID[:3], "  access ", *_SAID[4:])],
    ("Bath", SEP): [_SAID],
}


def _summary(attendances: int, **values: Any) -> tuple[tuple[str, Any], ...]:
    row: dict[str, Any] = dict.fromkeys(SUMMARY_MEASURES, 0)
    row["Meetings held"] = 1 if attendances else 0
    row["Attendances"] = row["Attendances - service users"] = attendances
    row["Distinct named participants"] = attendances
    row["Involvement payments (GBP)"] = 0.0
    row["Expenses (GBP)"] = 0.0
    row["Accreditation result"] = "None"
    row["Standards met (%)"] = None
    for key, value in values.items():  # Standards_met_ is "Standards met (%)"
        words = key.replace("_", " ").strip()
        row[words if words in row else next(m for m in row if m.startswith(words))] = value
    return tuple((m, row[m]) for m in SUMMARY_MEASURES)


def _action(
    reference: str,
    raised: date,
    status: str = "Open",
    closed: date | None = None,
    overdue: int | None = None,
) -> tuple[Any, ...]:
    return (reference, raised, "Meeting", f"Fix {reference}", "Locality", "", "Staff",
            raised, status, closed, overdue, "")  # fmt: skip


def _return(
    locality: str,
    month: Month,
    attendances: int,
    actions: list[tuple[Any, ...]] | None = None,
    accreditation: list[tuple[Any, ...]] | None = None,
    **values: Any,
) -> ReturnData:
    tables: dict[str, list[tuple[Any, ...]]] = {
        s: [] for s in HEADERS if s not in ("Return", "Summary")
    }
    tables["Actions"] = actions or []
    tables["Experience"] = list(experience.get((locality, month), []))
    tables["Accreditation"] = accreditation or []
    return ReturnData(
        path=Path(f"{locality}-{month}.xlsx"),
        fields={"Trust": "Severn Trust", "Generated at": datetime(2026, 11, 2)},
        locality=locality,
        month=month,
        summary=_summary(attendances, **values),
        tables=tables,
    )


def _returns() -> list[ReturnData]:
    a1 = date(2026, 6, 1)
    return [
        _return("Avon", LAST_OCT, 9),
        _return("Avon", AUG, 10),
        _return(
            "Avon",
            SEP,
            12,
            [_action("A-1", a1, overdue=92), _action("A-2", date(2026, 9, 1))],
            Actions_overdue_at_month_end=1,
        ),
        _return(
            "Avon",
            OCT,
            15,
            [
                _action("A-1", a1, overdue=123),
                _action("A-2", date(2026, 9, 1), "Completed", date(2026, 10, 11)),
            ],
            [("1.1", "D", "S", 1, "Met", date(2026, 9, 15))],
            Actions_overdue_at_month_end=1,
            Actions_completed=1,
            Accreditation_result="Accredited",
            Standards_met_=90.0,
            Involvement_payments=1,
        ),
        _return("Bath", AUG, 20, Accreditation_result="Deferred", Standards_met_=55.0),
        _return("Bath", SEP, 18, Accreditation_result="Deferred", Standards_met_=55.0),
        _return(
            "Bath",
            OCT,
            22,
            [
                _action("B-1", date(2026, 10, 1), "Completed", date(2026, 10, 21)),
                _action("B-2", date(2026, 8, 2), "Completed", date(2026, 10, 2)),
                _action("B-3", date(2026, 8, 2), overdue=30),
                _action("B-4", date(2026, 8, 2), "Cancelled", date(2026, 10, 3)),
            ],
            Actions_overdue_at_month_end=1,
            Actions_completed=2,
            Accreditation_result="Deferred",
            Standards_met_=60.0,
        ),
        _return("Calne", AUG, 5),
        _return("Calne", SEP, 0),
        _return("Calne", OCT, 0),
        _return("Dorset", AUG, 7),
        _return("Dorset", OCT, 9, Accreditation_result="Accredited", Standards_met_=85.0),
    ]


@pytest.fixture
def picture() -> Any:
    targets = [
        Target("Attendances", 10),
        Target(
            "Actions overdue at month end", 0, higher_is_better=False, per="trust", amber_within=1
        ),
        Target(MEDIAN_DAYS, 30, higher_is_better=False, per="trust"),
    ]
    return trust_picture(_returns(), targets)


def test_localities_months_and_the_missing_return(picture: Any) -> None:
    assert picture.localities == ("Avon", "Bath", "Calne", "Dorset")
    assert picture.months == (LAST_OCT, AUG, SEP, OCT)
    assert picture.trust_name == "Severn Trust"
    # Last October only Avon sent (kept for the comparison with last year): nobody is chased
    # for it, only Dorset for September.
    assert picture.missing == (("Dorset", SEP),)
    assert [e.text for e in picture.exceptions if e.kind == "missing"] == [
        "Dorset: no return for 2026-09 (other localities sent theirs)."
    ]


def test_missing_returns_are_of_the_latest_three_months_and_the_localities_still_sending() -> None:
    jul, jun = Month(2026, 7), Month(2026, 6)
    sent = [
        ("Avon", jun), ("Bath", jun),  # June: four months back, no longer chased
        ("Avon", AUG), ("Bath", AUG),
        ("Avon", OCT),
        ("Exe", Month(2025, 10)),  # Exe's last return was 2025-10: stopped a year ago
        ("Frome", Month(2025, 11)),  # within the twelve months up to 2026-10: still chased
    ]  # fmt: skip
    # July is not listed (nobody sent it); September neither; August and October are.
    assert missing_returns(sent) == (
        ("Frome", AUG),
        ("Bath", OCT),
        ("Frome", OCT),
    )
    assert missing_returns([]) == ()
    assert missing_returns([("Avon", jul)]) == ()


def test_trust_totals_add_counts_and_pounds_never_percentages() -> None:
    returns = [r for r in _returns() if r.month == OCT]
    total = trust_total(returns)
    assert total["Attendances"] == 15 + 22 + 0 + 9 == 46
    assert total["Actions overdue at month end"] == 2
    assert total["Actions completed"] == 3
    assert total["Involvement payments"] == 1
    assert total["Accreditation result"] is None
    assert total["Standards met (%)"] is None


def test_trends_against_last_month_and_last_year(picture: Any) -> None:
    avon = picture.change("Avon", OCT, "Attendances")
    assert (avon.value, avon.previous, avon.last_year) == (15, 12, 9)
    assert (avon.from_previous, avon.from_last_year) == (3, 6)
    trust = picture.change(TRUST, OCT, "Attendances")
    assert (trust.value, trust.previous, trust.from_previous) == (46, 30, 16)
    assert picture.value(TRUST, AUG, "Attendances") == 42
    # Dorset sent no September: no change is made up (None, never 0).
    dorset = picture.change("Dorset", OCT, "Attendances")
    assert (dorset.previous, dorset.from_previous, dorset.from_last_year) == (None, None, None)


def test_median_days_from_raised_to_completed(picture: Any) -> None:
    assert picture.value("Avon", OCT, MEDIAN_DAYS) == 40
    assert picture.value("Bath", OCT, MEDIAN_DAYS) == 40.5  # 20 and 61; cancelled B-4 not
    assert picture.value(TRUST, OCT, MEDIAN_DAYS) == 40  # 20, 40, 61
    assert picture.value(TRUST, SEP, MEDIAN_DAYS) is None


def test_exceptions_come_worst_first(picture: Any) -> None:
    texts = [e.text for e in picture.exceptions if e.month != LAST_OCT]
    assert texts == [
        "Dorset: no return for 2026-09 (other localities sent theirs).",
        "Avon: action A-1 is 123 days overdue at the end of 2026-10 (Fix A-1).",
        "Calne: no forum meeting held in 2026-09 or 2026-10.",
    ]
    overdue = [e for e in picture.exceptions if e.kind == "overdue"]
    assert [(e.locality, e.reference, e.days) for e in overdue] == [("Avon", "A-1", 123)]


def test_a_lower_threshold_lists_more_overdue_actions() -> None:
    picture = trust_picture(_returns(), overdue_days=30)
    overdue = [(e.reference, e.days) for e in picture.exceptions if e.kind == "overdue"]
    assert overdue == [("A-1", 123), ("B-3", 30)]


def test_targets_rate_the_latest_month_with_a_word(picture: Any) -> None:
    rated = {(r.target.measure, r.locality): r.rating for r in picture.ratings}
    assert rated[("Attendances", "Avon")] is Rating.GREEN
    assert rated[("Attendances", "Bath")] is Rating.GREEN
    assert rated[("Attendances", "Calne")] is Rating.RED
    assert rated[("Attendances", "Dorset")] is Rating.AMBER  # 9: within a tenth of 10
    assert rated[("Actions overdue at month end", TRUST)] is Rating.RED  # 2, amber up to 1
    assert rated[(MEDIAN_DAYS, TRUST)] is Rating.RED  # 40 against at most 30 (amber to 33)
    assert Rating.AMBER.word == "Amber: near target"
    assert all(r.word.split(":")[0].casefold() == r.value for r in Rating)


def test_a_target_for_an_unknown_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="no measure called 'Smiles'"):
        trust_picture(_returns(), [Target("Smiles", 3)])


def test_accreditation_across_localities(picture: Any) -> None:
    found = {a.locality: a for a in picture.accreditation}
    assert (found["Avon"].result, found["Avon"].standards_met) == ("Accredited", 90.0)
    assert found["Avon"].assessed_on == date(2026, 9, 15)
    assert (found["Bath"].result, found["Bath"].standards_met) == ("Deferred", 60.0)
    assert [m for _, m in found["Bath"].earlier] == [55.0, 55.0]
    assert (found["Calne"].result, found["Calne"].standards_met) == ("None", None)


def test_experience_by_theme_and_kind_most_frequent_first(picture: Any) -> None:
    october = [(t.theme, t.kind, t.items, t.localities) for t in picture.themes if t.month == OCT]
    assert october == [
        ("Access", "Concern", 4, ("Avon", "Bath")),  # "  access " is the same theme
        ("Staff", "Compliment", 1, ("Avon",)),
    ]
    assert [(t.month, t.items) for t in picture.themes if t.month == SEP] == [(SEP, 1)]


def test_trend_rows_latest_first_with_change_or_no_return(picture: Any) -> None:
    from coordinator_app.core.board import trend_rows

    rows = trend_rows(picture, "Avon", "Attendances")
    assert [(str(r.month), r.value, r.from_previous, r.from_last_year) for r in rows] == [
        ("2026-10", "15", "+3", "+6"),
        ("2026-09", "12", "+2", "no return"),
        ("2026-08", "10", "no return", "no return"),
        ("2025-10", "9", "no return", "no return"),
    ]
    dorset = trend_rows(picture, "Dorset", "Attendances")
    assert [(r.value, r.sent) for r in dorset[:2]] == [("9", True), ("no return", False)]
    own = trend_rows(picture, TRUST, "Standards met (%)")
    assert (own[0].value, own[0].from_previous) == ("by locality", "")


def test_you_said_we_did_offers_only_actions_completed_in_their_returns_month() -> None:
    """An Actions row is as recorded when the return was made (docs/monthly-return.md): an
    October return made in November lists B-5 closed on 3 November as Completed, but October's
    "Actions completed" does not count it, and neither does "You said, we did"."""
    import dataclasses

    returns = _returns()
    bath = next(r for r in returns if r.locality == "Bath" and r.month == OCT)
    later = _action("B-5", date(2026, 9, 2), "Completed", date(2026, 11, 3))
    tables = {**bath.tables, "Actions": [*bath.tables["Actions"], later]}
    returns[returns.index(bath)] = dataclasses.replace(bath, tables=tables)
    picture = trust_picture(returns, featured=[("Bath", "B-5"), ("Bath", "B-1")])
    assert [(a.locality, a.reference) for a in picture.completed] == [
        ("Bath", "B-1"),
        ("Avon", "A-2"),
        ("Bath", "B-2"),
    ]
    assert len(picture.completed) == picture.value(TRUST, OCT, "Actions completed") == 3
    assert [a.reference for a in picture.featured] == ["B-1"]  # B-5 is not offered
