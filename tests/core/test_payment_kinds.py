"""Money or vouchers and expenses by kind for every payment, a meeting's too (issue #28):
what the payment dialogs save through ``set_payment`` and ``record_activity_with_payments``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.meetings import get_meeting
from coordinator_app.core.meetings.payments import offer_payments, set_payment
from coordinator_app.core.models import Attendance, InvolvementPayment, PaymentExpense
from coordinator_app.core.payments.activities import (
    PaymentGiven,
    activity_people,
    expenses_of,
    record_activity,
    record_activity_with_payments,
)
from coordinator_app.core.payments.totals import set_benefits
from coordinator_app.core.vocab import (
    AttendanceStatus,
    ExpenseKind,
    PaymentMethod,
    PaymentStatus,
)
from tests.core.test_payments import _world

OFFERED, PAID = PaymentStatus.OFFERED, PaymentStatus.PAID
TRAVEL, CARE, FOOD, OTHER = (
    ExpenseKind.TRAVEL,
    ExpenseKind.CARE_COVER,
    ExpenseKind.SUBSISTENCE,
    ExpenseKind.OTHER,
)


def _vouchers(db: Database, person: object) -> None:
    set_benefits(db, person, benefits_advice_on=None, wants_vouchers=True, wants_no_payment=False)  # type: ignore[arg-type]


def _row(db: Database, payment_id: object) -> InvolvementPayment:
    with db.session() as s:
        row = s.get(InvolvementPayment, payment_id)
        assert row is not None
        s.expunge(row)
        return row


def test_a_meeting_payment_keeps_expenses_by_kind_and_their_sum(db: Database) -> None:
    w = _world(db)
    paid = set_payment(
        db,
        w.meeting,
        w.ann,
        status=PAID,
        amount_pence=2500,
        expenses={TRAVEL: 640, CARE: 1200, FOOD: 0, OTHER: 150},
    )
    assert expenses_of(db, paid) == {TRAVEL: 640, CARE: 1200, OTHER: 150}
    assert _row(db, paid).expenses_pence == 1990
    (shown,) = get_meeting(db, w.meeting).payments
    assert shown.expenses_pence == 1990
    assert shown.expenses == ((TRAVEL, 640), (CARE, 1200), (OTHER, 150))  # what undo restores
    set_payment(db, w.meeting, w.ann, status=PAID, amount_pence=2500, expenses={TRAVEL: 100})
    assert expenses_of(db, paid) == {TRAVEL: 100}
    assert _row(db, paid).expenses_pence == 100


def test_an_old_total_alone_reads_as_other(db: Database) -> None:
    w = _world(db)
    paid = set_payment(db, w.meeting, w.ann, status=PAID, expenses={TRAVEL: 300})
    set_payment(db, w.meeting, w.ann, status=PAID, expenses_pence=800)  # as before kinds
    with db.session() as s:
        assert s.scalars(select(PaymentExpense)).all() == []
    assert expenses_of(db, paid) == {OTHER: 800}
    assert _row(db, paid).expenses_pence == 800


def test_a_meeting_payment_takes_the_persons_method_unless_chosen_and_keeps_it(
    db: Database,
) -> None:
    w = _world(db)
    _vouchers(db, w.ann)
    ann = set_payment(db, w.meeting, w.ann, status=OFFERED)
    bob = set_payment(db, w.meeting, w.bob, status=OFFERED, method=PaymentMethod.VOUCHERS)
    cat = set_payment(db, w.meeting, w.cat, status=OFFERED)
    assert [_row(db, p).method for p in (ann, bob, cat)] == [
        PaymentMethod.VOUCHERS,
        PaymentMethod.VOUCHERS,
        PaymentMethod.MONEY,
    ]
    set_payment(db, w.meeting, w.ann, status=PAID, method="money")
    set_payment(db, w.meeting, w.ann, status=PAID)  # None: kept as recorded
    assert _row(db, ann).method == PaymentMethod.MONEY
    methods = {p.name: p.method for p in get_meeting(db, w.meeting).payments}
    assert methods["Bartholomew Vane"] == PaymentMethod.VOUCHERS


def test_offering_everyone_present_follows_each_persons_preference(db: Database) -> None:
    w = _world(db)
    _vouchers(db, w.dev)
    with db.transaction() as s:
        for person in (w.cat, w.dev):
            s.add(
                Attendance(
                    meeting_id=w.meeting, participant_id=person, status=AttendanceStatus.PRESENT
                )
            )
    assert offer_payments(db, w.meeting) == 2
    methods = {p.name: p.method for p in get_meeting(db, w.meeting).payments}
    assert methods == {"Catrin Pryce": PaymentMethod.MONEY, "Dev Okonjo": PaymentMethod.VOUCHERS}


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"method": "cheque"}, "Choose money or vouchers"),
        ({"expenses": {CARE: -1}}, "Care cover expenses cannot be negative."),
        ({"expenses": {TRAVEL: 10**9}}, "Travel expenses can be at most"),
        ({"expenses": {TRAVEL: 6_000_000, OTHER: 6_000_000}}, "in all"),
    ],
)
def test_a_bad_method_or_expense_is_refused_and_nothing_changes(
    db: Database, given: dict[str, object], says: str
) -> None:
    w = _world(db)
    paid = set_payment(db, w.meeting, w.ann, status=PAID, expenses={TRAVEL: 300})
    with pytest.raises(ValidationError, match=says):
        set_payment(db, w.meeting, w.ann, status=PAID, **given)  # type: ignore[arg-type]
    assert expenses_of(db, paid) == {TRAVEL: 300}
    assert _row(db, paid).method == PaymentMethod.MONEY


def test_an_activity_payment_takes_a_chosen_method_and_people_show_it(db: Database) -> None:
    w = _world(db)
    _vouchers(db, w.bob)
    made = record_activity_with_payments(
        db,
        locality_id=w.rugby,
        kind="training",
        activity_date=date(2026, 10, 1),
        payments={
            w.ann: PaymentGiven(PAID, 2000, {CARE: 900}, method=PaymentMethod.VOUCHERS),
            w.bob: (OFFERED, 2000, {}),
        },
    )
    shown = {p.name: (p.method, p.expenses) for p in activity_people(db, made)}
    assert shown == {
        "Annwen Quill": (PaymentMethod.VOUCHERS, {CARE: 900}),
        "Bartholomew Vane": (PaymentMethod.VOUCHERS, {}),
    }
    with pytest.raises(ValidationError, match="Choose money or vouchers"):
        record_activity_with_payments(
            db,
            locality_id=w.rugby,
            kind="training",
            activity_date=date(2026, 10, 1),
            payments={w.ann: PaymentGiven(PAID, 2000, {}, method="cheque")},
            activity_id=made,
        )
    assert activity_people(db, made)[0].method == PaymentMethod.VOUCHERS


def test_someone_on_an_activity_without_a_payment_shows_their_preference(db: Database) -> None:
    w = _world(db)
    _vouchers(db, w.cat)
    made = record_activity(
        db, locality_id=w.rugby, kind="training", activity_date=date(2026, 10, 1),
        participant_ids=[w.cat],
    )  # fmt: skip
    (cat,) = activity_people(db, made)
    assert (cat.payment_id, cat.method) == (None, PaymentMethod.VOUCHERS)
