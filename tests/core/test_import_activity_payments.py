"""The Payments sheet's rows for involvement activities other than meetings (issue #28;
docs/import-workbook.md#payments): no Meeting reference, then Activity, Date and Locality."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coordinator_app.core.db import Database
from coordinator_app.core.figures import month_figures
from coordinator_app.core.importer import import_workbook
from coordinator_app.core.models import (
    ActivityParticipant,
    InvolvementActivity,
    InvolvementPayment,
    Locality,
)
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import ActivityKind, PaymentStatus
from tests.core.test_importer import TODAY, _basic, _book, _refused

HEADERS = ["Meeting reference", "Name", "Status", "Amount", "Expenses", "Activity", "Date",
           "Locality"]  # fmt: skip


def _payments(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    return _basic(Payments=[HEADERS, *rows])


GOOD = (
    ["RUG-2601", "Zoë Hart", "paid", 25, 3.4, None, None, None],
    [None, "Zoë Hart", "paid", 40, "5.60", "Interview panel", date(2026, 1, 20), "Rugby"],
    [None, "Siân O'Neill", "offered", 40, None, "interview-panel", "20/01/2026", "rugby"],
    [None, "Siân O'Neill", "paid", 150, None, "Improvement project work", date(2026, 1, 27),
     "Rugby"],
)  # fmt: skip


def test_activity_rows_import_once_and_count_in_the_return(db: Database, tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", _payments(*GOOD))
    summary = import_workbook(db, path, today=TODAY)
    assert summary.added["Payments"] == 4
    with db.session() as s:
        activities = s.scalars(
            select(InvolvementActivity).order_by(InvolvementActivity.activity_date)
        ).all()
        assert [(a.kind, a.activity_date) for a in activities] == [
            (ActivityKind.INTERVIEW_PANEL, date(2026, 1, 20)),
            (ActivityKind.PROJECT_WORK, date(2026, 1, 27)),
        ]
        panel = activities[0]
        on_panel = s.scalars(
            select(ActivityParticipant.participant_id).where(
                ActivityParticipant.activity_id == panel.id
            )
        ).all()
        assert len(on_panel) == 2
        paid = s.scalars(
            select(InvolvementPayment).where(InvolvementPayment.activity_id == panel.id)
        ).all()
        assert sorted((p.status, p.paid_on) for p in paid) == [
            (PaymentStatus.OFFERED, None),
            (PaymentStatus.PAID, date(2026, 1, 20)),
        ]
        rugby = s.scalar(select(Locality.id).where(Locality.name == "Rugby"))
        assert rugby is not None
        figures = month_figures(s, rugby, Month(2026, 1))
    # The forum's £25 + the panel's £40 + the project day's £150; expenses £3.40 + £5.60.
    assert (figures.payments, figures.payments_gbp, figures.expenses_gbp) == (
        3,
        Decimal("215.00"),
        Decimal("9.00"),
    )
    again = import_workbook(db, path, today=TODAY)
    assert again.added["Payments"] == 0 and again.skipped["Payments"] == 4
    with db.session() as s:
        assert len(s.scalars(select(InvolvementActivity.id)).all()) == 2


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            [None, "Zoë Hart", "paid", 40, None, None, date(2026, 1, 20), "Rugby"],
            "Activity is blank; a payment with no Meeting reference is for another involvement "
            "activity and needs Activity, Date and Locality.",
        ),
        (
            [None, "Zoë Hart", "paid", 40, None, "Training", None, "Rugby"],
            "Date is blank; a payment with no Meeting reference is for another involvement "
            "activity and needs Activity, Date and Locality.",
        ),
        (
            [None, "Zoë Hart", "paid", 40, None, "Training", date(2026, 1, 20), None],
            "Locality is blank; a payment with no Meeting reference is for another involvement "
            "activity and needs Activity, Date and Locality.",
        ),
        (
            [None, "Zoë Hart", "paid", 40, None, "Party", date(2026, 1, 20), "Rugby"],
            "Activity 'Party' is not one of: meeting, improvement project work, interview panel, "
            "training, consultation, review or visit, other.",
        ),
        (
            [None, "Zoë Hart", "paid", 40, None, "Meeting", date(2026, 1, 20), "Rugby"],
            "Activity 'meeting' needs the Meeting reference; for another activity give "
            "improvement project work, interview panel, training, consultation, review or "
            "visit, or other.",
        ),
        (
            ["RUG-2601", "Zoë Hart", "paid", 40, None, "Training", None, None],
            "Give a Meeting reference or an Activity, not both: a payment is for a meeting or "
            "for another involvement activity.",
        ),
    ],
)
def test_each_missing_or_wrong_field_is_a_clear_problem_and_nothing_changes(
    db: Database, tmp_path: Path, row: list[Any], problem: str
) -> None:
    problems = _refused(db, _book(tmp_path / "a.xlsx", _payments(row)))
    assert problems == [f"Sheet 'Payments' row 2: {problem}"]


def test_the_same_person_twice_for_one_activity_is_a_problem(db: Database, tmp_path: Path) -> None:
    twice = [None, "Zoë Hart", "paid", 40, None, "Training", date(2026, 1, 20), "Rugby"]
    problems = _refused(db, _book(tmp_path / "a.xlsx", _payments(twice, list(twice))))
    assert problems == [
        "Sheet 'Payments' row 3: Name 'Zoë Hart' has a payment for the training on 20/01/2026 "
        "in Rugby already (row 2)."
    ]
