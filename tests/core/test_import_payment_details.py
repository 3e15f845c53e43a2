"""The Payments sheet's optional Method, expenses by kind (Travel, Care cover, Subsistence, Other
expenses), Claimed on and Paid on (issue #28; docs/import-workbook.md#payments), read back
through the app's own readers; each bad value refused with its sheet, row and column, and
nothing imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from coordinator_app.core.db import Database
from coordinator_app.core.importer import import_workbook
from coordinator_app.core.meetings import get_meeting, resolve_meeting
from coordinator_app.core.models import InvolvementActivity, Participant, PaymentExpense
from coordinator_app.core.payments.activities import activity_people
from coordinator_app.core.payments.totals import set_benefits
from coordinator_app.core.resources import resource_path
from coordinator_app.core.vocab import ExpenseKind, PaymentMethod, PaymentStatus
from tests.core.test_importer import TODAY, _basic, _book, _refused, framework_db  # noqa: F401

HEADERS = ["Meeting reference", "Name", "Status", "Amount", "Expenses", "Activity", "Date",
           "Locality", "Method", "Travel (GBP)", "Care cover (GBP)", "Subsistence (GBP)",
           "Other expenses (GBP)",
           "Claimed on", "Paid on"]  # fmt: skip


def _payments(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    return _basic(Payments=[HEADERS, *rows])


def test_a_meeting_payment_keeps_its_method_expenses_by_kind_and_dates(
    db: Database, tmp_path: Path
) -> None:
    row = ["RUG-2601", "Zoë Hart", "Paid", 25, "14.90", None, None, None, "VOUCHERS", 3.4, "£10",
           None, 1.5, "13/01/2026", date(2026, 1, 20)]  # fmt: skip
    import_workbook(db, _book(tmp_path / "a.xlsx", _payments(row)), today=TODAY)
    payment = get_meeting(db, resolve_meeting(db, "RUG-2601")).payments[0]
    assert (payment.name, payment.status, payment.amount_pence) == (
        "Zoë Hart",
        PaymentStatus.PAID,
        2500,
    )
    assert payment.expenses == (
        (ExpenseKind.TRAVEL, 340),
        (ExpenseKind.CARE_COVER, 1000),
        (ExpenseKind.OTHER, 150),
    )
    assert payment.expenses_pence == 1490
    assert payment.method == PaymentMethod.VOUCHERS
    assert (payment.claimed_on, payment.paid_on) == (date(2026, 1, 13), date(2026, 1, 20))


def test_an_activity_payment_takes_the_persons_preference_and_its_kinds(
    db: Database, tmp_path: Path
) -> None:
    """Expenses blank with kinds given: the kinds are the expenses. Method blank: vouchers for
    one who asked for them, as the app chooses."""
    import_workbook(db, _book(tmp_path / "people.xlsx", _basic()), today=TODAY)
    with db.session() as s:
        zoe = s.scalar(select(Participant.id).where(Participant.name == "Zoë Hart"))
    assert zoe is not None
    set_benefits(db, zoe, benefits_advice_on=None, wants_vouchers=True, wants_no_payment=False)  # type: ignore[arg-type]
    row = [None, "Zoë Hart", "offered", 40, None, "Interview panel", date(2026, 1, 20), "Rugby",
           None, None, None, "7.25", None, date(2026, 1, 22), None]  # fmt: skip
    path = _book(tmp_path / "a.xlsx", {"Payments": [HEADERS, row]})
    assert import_workbook(db, path, today=TODAY).added["Payments"] == 1
    with db.session() as s:
        activity = s.scalar(select(InvolvementActivity.id))
    assert activity is not None
    (person,) = activity_people(db, activity)
    assert (person.name, person.status, person.amount_pence) == (
        "Zoë Hart",
        PaymentStatus.OFFERED,
        4000,
    )
    assert person.expenses == {ExpenseKind.SUBSISTENCE: 725}
    assert person.method == PaymentMethod.VOUCHERS
    assert (person.claimed_on, person.paid_on) == (date(2026, 1, 22), None)


def test_a_paid_payment_with_no_paid_on_is_dated_the_work_and_may_be_claimed_that_day(
    db: Database, tmp_path: Path
) -> None:
    row = ["RUG-2601", "Siân O'Neill", "paid", 25, 2, None, None, None, "money", 2, None, None,
           None, date(2026, 1, 13), None]  # fmt: skip
    import_workbook(db, _book(tmp_path / "a.xlsx", _payments(row)), today=TODAY)
    payment = get_meeting(db, resolve_meeting(db, "RUG-2601")).payments[0]
    assert (payment.claimed_on, payment.paid_on) == (date(2026, 1, 13), date(2026, 1, 13))
    assert payment.method == PaymentMethod.MONEY
    assert payment.expenses == ((ExpenseKind.TRAVEL, 200),)


def test_the_example_workbook_without_the_columns_imports_as_before(
    framework_db: Database,  # noqa: F811
) -> None:
    path = resource_path("samples", "import-example.xlsx")
    headers = [c.value for c in load_workbook(path)["Payments"][1]]
    assert "Method" not in headers and "Claimed on" not in headers and "Travel (GBP)" not in headers
    import_workbook(framework_db, path)
    payments = get_meeting(framework_db, resolve_meeting(framework_db, "RUG-2501")).payments
    assert [
        (p.name, p.status, p.amount_pence, p.expenses_pence, p.method, p.claimed_on, p.paid_on)
        for p in payments
    ] == [
        ("Siân O'Neill", PaymentStatus.DECLINED, 0, 0, PaymentMethod.MONEY, None, None),
        ("Zoë Hart", PaymentStatus.PAID, 2500, 640, PaymentMethod.MONEY, None, date(2025, 1, 14)),
    ]
    with framework_db.session() as s:  # a total alone: no kinds recorded (it reads as Other)
        assert s.scalar(select(func.count()).select_from(PaymentExpense)) == 0


def _row(base: dict[str, Any], **cells: Any) -> list[Any]:
    """A Payments row from ``base`` and ``cells`` by header (``Care_cover`` for Care cover
    (GBP))."""
    named = {name.replace("_", " "): value for name, value in cells.items()}
    given = base | {n if n in HEADERS else f"{n} (GBP)": value for n, value in named.items()}
    return [given.get(header) for header in HEADERS]


MEETING = {"Meeting reference": "RUG-2601", "Name": "Zoë Hart", "Status": "paid", "Amount": 25}
ACTIVITY = {"Name": "Zoë Hart", "Status": "paid", "Amount": 40, "Activity": "Interview panel",
            "Date": date(2026, 1, 20), "Locality": "Rugby"}  # fmt: skip


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (_row(MEETING, Method="cheque"), "Method 'cheque' is not one of: money, vouchers."),
        (
            _row(MEETING, Travel="-3"),
            "Travel (GBP) '-3' is less than nothing; an amount is zero or more.",
        ),
        (
            _row(ACTIVITY, Other_expenses=-1.5),
            "Other expenses (GBP) '-1.5' is less than nothing; an amount is zero or more.",
        ),
        (
            _row(MEETING, Expenses="12.00", Travel=3.4, Care_cover=10),
            "Expenses '12.00' is not the sum of Travel (GBP), Care cover (GBP), Subsistence "
            "(GBP), Other expenses (GBP) (£13.40 in all); leave Expenses blank or give their sum.",
        ),
        (
            _row(MEETING, Travel=60000, Care_cover=50000),
            "Travel (GBP), Care cover (GBP), Subsistence (GBP), Other expenses (GBP): the expenses "
            "can be at most £100,000.00 in all.",
        ),
        (
            _row(MEETING, Claimed_on=date(2026, 1, 21), Paid_on=date(2026, 1, 20)),
            "Claimed on '21/01/2026': The claim cannot be dated after the day it was paid.",
        ),
        (  # paid with no Paid on: paid on the activity's date
            _row(ACTIVITY, Claimed_on=date(2026, 1, 21)),
            "Claimed on '21/01/2026': The claim cannot be dated after the day it was paid.",
        ),
        (
            _row(MEETING, Claimed_on=date(2026, 1, 12)),
            "Claimed on '12/01/2026': The claim cannot be dated before the meeting it is for "
            "(13 January 2026).",
        ),
        (
            _row(ACTIVITY, Status="offered", Claimed_on=date(2026, 1, 19)),
            "Claimed on '19/01/2026': The claim cannot be dated before the activity it is for "
            "(20 January 2026).",
        ),
        (
            _row(MEETING, Status="declined", Claimed_on=date(2026, 1, 13)),
            "Claimed on '13/01/2026': A declined payment cannot be claimed.",
        ),
        (
            _row(MEETING, Status="offered", Paid_on=date(2026, 1, 20)),
            "Paid on '20/01/2026' is given but the Status is offered; only a paid payment has "
            "a date paid.",
        ),
        (
            _row(MEETING, Claimed_on="31/02/2026"),
            "Claimed on '31/02/2026' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.",
        ),
    ],
)
def test_each_bad_value_is_one_line_naming_its_column_and_nothing_is_imported(
    db: Database, tmp_path: Path, row: list[Any], problem: str
) -> None:
    problems = _refused(db, _book(tmp_path / "a.xlsx", _payments(row)))
    assert problems == [f"Sheet 'Payments' row 2: {problem}"]
