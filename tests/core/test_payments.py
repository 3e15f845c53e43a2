"""Involvement payments beyond meetings (issue #28): activities and their payments, the
trust's rates, a claim's life, running totals against the trust's threshold, claims waiting
too long, and the hand-worked month the return counts (docs/counting-rules.md)."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordinator_app.core import anonymise
from coordinator_app.core.db import Database
from coordinator_app.core.errors import NotFoundError, ValidationError
from coordinator_app.core.figures import month_figures
from coordinator_app.core.meetings.payments import set_payment
from coordinator_app.core.models import (
    Forum,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    PaymentExpense,
)
from coordinator_app.core.payments.activities import record_activity, set_activity_payment
from coordinator_app.core.payments.claims import (
    ClaimStage,
    claims_waiting,
    days_waiting,
    record_claim,
    stage,
)
from coordinator_app.core.payments.rates import rate_rows, set_rate
from coordinator_app.core.payments.totals import (
    period_of,
    running_totals,
    save_payment_settings,
    set_benefits,
    threshold_warning,
)
from coordinator_app.core.returns import export_return
from coordinator_app.core.rules import Month
from coordinator_app.core.vocab import (
    ActivityKind,
    Category,
    ExpenseKind,
    ForumKind,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
    RateUnit,
    ThresholdPeriod,
)

OCTOBER = Month(2026, 10)
PAID, OFFERED, DECLINED = PaymentStatus.PAID, PaymentStatus.OFFERED, PaymentStatus.DECLINED


@dataclass
class World:
    rugby: uuid.UUID
    coventry: uuid.UUID
    meeting: uuid.UUID
    ann: uuid.UUID
    bob: uuid.UUID
    cat: uuid.UUID
    dev: uuid.UUID


def _world(db: Database) -> World:
    with db.transaction() as s:
        rugby = Locality(name="Rugby", code="RUG", coordinated=True)
        coventry = Locality(name="Coventry", code="COV")
        s.add_all([rugby, coventry])
        s.flush()
        forum = Forum(locality_id=rugby.id, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM)
        s.add(forum)
        s.flush()
        meeting = Meeting(
            reference="RUG-2610",
            forum_id=forum.id,
            meeting_date=date(2026, 10, 6),
            status=MeetingStatus.HELD,
        )
        people = [
            Participant(name=name, category=Category.SERVICE_USER, locality_id=rugby.id)
            for name in ("Annwen Quill", "Bartholomew Vane", "Catrin Pryce", "Dev Okonjo")
        ]
        s.add(meeting)
        s.add_all(people)
        s.flush()
        return World(rugby.id, coventry.id, meeting.id, *(p.id for p in people))


def _hand_worked_month(db: Database, w: World) -> dict[str, uuid.UUID]:
    """Rugby, October 2026, worked by hand:

    - the forum on 6 October: Ann paid £25.00 + £3.40 expenses, Bob paid £25.00, Cat's £25.00
      claimed on 6 October and still unpaid;
    - an interview panel on 14 October, half a day at £40.00: Dev paid £40.00 with £5.60
      travel and £10.00 care cover;
    - a day's improvement project work on 20 October at £150.00 a day: Ann paid £150.00 with
      £7.00 subsistence (the £160.00 rate from November leaves it alone);
    - training on 22 October: Bob declined £75.00;
    - a panel on 30 September paid in October, and a Coventry panel in October: not Rugby's
      October.

    So 4 payments, £240.00, expenses £26.00.
    """
    set_rate(db, kind="interview_panel", unit="half_day", pence=4000, starts_on=date(2026, 4, 1))
    set_rate(
        db,
        kind="project_work",
        unit="day",
        pence=15000,
        starts_on=date(2026, 4, 1),
        cost_code="PW1",
    )
    set_payment(db, w.meeting, w.ann, status=PAID, amount_pence=2500, expenses_pence=340)
    set_payment(db, w.meeting, w.bob, status=PAID, amount_pence=2500)
    cat = set_payment(db, w.meeting, w.cat, status=OFFERED, amount_pence=2500)
    record_claim(db, cat, date(2026, 10, 6))
    panel = record_activity(
        db,
        locality_id=w.rugby,
        kind=ActivityKind.INTERVIEW_PANEL,
        activity_date=date(2026, 10, 14),
        title="Ward manager interviews",
        unit=RateUnit.HALF_DAY,
        quantity=1,
    )
    dev = set_activity_payment(
        db,
        panel,
        w.dev,
        status=PAID,
        expenses={ExpenseKind.TRAVEL: 560, ExpenseKind.CARE_COVER: 1000},
        claimed_on=date(2026, 10, 14),
        paid_on=date(2026, 10, 28),
    )
    project_day = record_activity(
        db,
        locality_id=w.rugby,
        kind="project_work",
        activity_date=date(2026, 10, 20),
        title="Co-design day",
        unit="day",
        quantity=1,
    )
    set_rate(db, kind="project_work", unit="day", pence=16000, starts_on=date(2026, 11, 1))
    ann_day = set_activity_payment(
        db,
        project_day,
        w.ann,
        status=PAID,
        expenses={ExpenseKind.SUBSISTENCE: 700},
        paid_on=date(2026, 10, 30),
    )
    training = record_activity(
        db, locality_id=w.rugby, kind="training", activity_date=date(2026, 10, 22)
    )
    set_activity_payment(db, training, w.bob, status=DECLINED, amount_pence=7500)
    september = record_activity(
        db, locality_id=w.rugby, kind="interview_panel", activity_date=date(2026, 9, 30)
    )
    set_activity_payment(
        db, september, w.cat, status=PAID, amount_pence=4000, paid_on=date(2026, 10, 2)
    )
    coventry = record_activity(
        db, locality_id=w.coventry, kind="interview_panel", activity_date=date(2026, 10, 14)
    )
    set_activity_payment(db, coventry, w.cat, status=PAID, amount_pence=4000)
    return {"cat": cat, "dev": dev, "ann_day": ann_day, "project_day": project_day}


def test_the_hand_worked_month_gives_the_expected_figures(db: Database) -> None:
    w = _world(db)
    _hand_worked_month(db, w)
    with db.session() as s:
        figures = month_figures(s, w.rugby, OCTOBER)
    assert figures.payments == 4
    assert figures.payments_gbp == Decimal("240.00")
    assert figures.expenses_gbp == Decimal("26.00")


def test_before_this_change_only_meeting_payments_counted(db: Database) -> None:
    """The old rule counted the forum's two paid payments only: the new figures differ."""
    w = _world(db)
    _hand_worked_month(db, w)
    with db.session() as s:
        figures = month_figures(s, w.rugby, OCTOBER)
    assert (figures.payments, figures.payments_gbp) != (2, Decimal("50.00"))


def test_the_return_counts_them_and_holds_no_name(db: Database, tmp_path: Path) -> None:
    w = _world(db)
    _hand_worked_month(db, w)
    path = export_return(
        db, locality="rugby", month=OCTOBER, target=tmp_path / "r.xlsx", app_version="0.1.0"
    )
    import openpyxl

    wb = openpyxl.load_workbook(path)
    summary = dict(wb["Summary"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert summary["Involvement payments"] == 4
    assert Decimal(str(summary["Involvement payments (GBP)"])) == Decimal("240")
    assert Decimal(str(summary["Expenses (GBP)"])) == Decimal("26")
    with zipfile.ZipFile(path) as archive:
        raw = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    for name in ("Annwen", "Quill", "Bartholomew", "Vane", "Catrin", "Pryce", "Okonjo"):
        assert name not in raw


def test_an_activity_payment_takes_the_rate_in_force_and_keeps_it(db: Database) -> None:
    w = _world(db)
    ids = _hand_worked_month(db, w)
    with db.session() as s:
        day = s.get(InvolvementPayment, ids["ann_day"])
        assert day is not None and day.amount_pence == 15000  # not the November £160
        assert day.expenses_pence == 700
        panel = s.get(InvolvementPayment, ids["dev"])
        assert panel is not None and panel.amount_pence == 4000
        kinds = {
            e.kind: e.pence
            for e in s.scalars(select(PaymentExpense).where(PaymentExpense.payment_id == panel.id))
        }
        assert kinds == {ExpenseKind.TRAVEL: 560, ExpenseKind.CARE_COVER: 1000}
    assert [(r.kind, r.pence) for r in rate_rows(db) if r.kind == ActivityKind.PROJECT_WORK] == [
        (ActivityKind.PROJECT_WORK, 15000),
        (ActivityKind.PROJECT_WORK, 16000),
    ]


def test_a_claims_life_and_days_waiting() -> None:
    assert stage(OFFERED, None) == ClaimStage.OFFERED
    assert stage(OFFERED, date(2026, 10, 1)) == ClaimStage.CLAIMED
    assert stage(PAID, date(2026, 10, 1)) == ClaimStage.PAID
    assert stage(DECLINED, None) == ClaimStage.DECLINED
    assert days_waiting(None, None, date(2026, 11, 1)) is None
    assert days_waiting(date(2026, 10, 1), date(2026, 10, 15), date(2026, 12, 1)) == 14
    assert days_waiting(date(2026, 10, 1), None, date(2026, 10, 31)) == 30


def test_claims_waiting_over_the_limit_are_listed_and_nothing_else(db: Database) -> None:
    w = _world(db)
    ids = _hand_worked_month(db, w)
    # Claimed 6 October: on 5 November it has waited 30 days (not over), on 6 November 31.
    assert claims_waiting(db, date(2026, 11, 5)) == []
    (waiting,) = claims_waiting(db, date(2026, 11, 6))
    assert (waiting.payment_id, waiting.name, waiting.days_waiting) == (
        ids["cat"],
        "Catrin Pryce",
        31,
    )
    assert waiting.occasion == "Meeting RUG-2610"
    assert claims_waiting(db, date(2026, 11, 6), locality_ids=[w.coventry]) == []
    save_payment_settings(db, threshold_pence=None, unpaid_limit_days=40)
    assert claims_waiting(db, date(2026, 11, 6)) == []


def test_claims_waiting_read_in_several_lookups_keep_one_order_and_the_scope(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The waiting claims are found first and their people and occasions looked up by key,
    a few keys at a time: the list is the same whatever the size of a lookup, longest waiting
    first (then by name), a meeting's and an activity's alike, and only the scope's."""
    from coordinator_app.core.payments import claims

    w = _world(db)
    # Claimed on or after the meeting (6 October): a claim is not dated before the work.
    for person, claimed in ((w.ann, 9), (w.bob, 7), (w.cat, 7)):
        record_claim(
            db, set_payment(db, w.meeting, person, status=OFFERED), date(2026, 10, claimed)
        )
    panel = record_activity(
        db,
        locality_id=w.rugby,
        kind=ActivityKind.INTERVIEW_PANEL,
        activity_date=date(2026, 10, 1),
        title="Ward manager interviews",
        unit=RateUnit.HALF_DAY,
        quantity=1,
    )
    set_activity_payment(db, panel, w.dev, status=OFFERED, claimed_on=date(2026, 10, 1))
    expected = [
        ("Dev Okonjo", "Interview panel: Ward manager interviews", 40),
        ("Bartholomew Vane", "Meeting RUG-2610", 34),
        ("Catrin Pryce", "Meeting RUG-2610", 34),
        ("Annwen Quill", "Meeting RUG-2610", 32),
    ]
    for keys in (500, 1, 3):
        monkeypatch.setattr(claims, "_KEYS_PER_READ", keys)
        found = claims_waiting(db, date(2026, 11, 10))
        assert [(c.name, c.occasion, c.days_waiting) for c in found] == expected
        assert claims_waiting(db, date(2026, 11, 10), locality_ids=[w.coventry]) == []
        assert len(claims_waiting(db, date(2026, 11, 10), locality_ids=[w.rugby])) == 4


def test_a_claim_cannot_be_on_a_declined_payment_or_after_it_was_paid(db: Database) -> None:
    w = _world(db)
    declined = set_payment(db, w.meeting, w.ann, status=DECLINED, amount_pence=2500)
    with pytest.raises(ValidationError, match="declined payment cannot be claimed"):
        record_claim(db, declined, date(2026, 10, 6))
    paid = set_payment(db, w.meeting, w.bob, status=PAID, paid_on=date(2026, 10, 10))
    with pytest.raises(ValidationError, match="after the day it was paid"):
        record_claim(db, paid, date(2026, 10, 11))
    with pytest.raises(NotFoundError):
        record_claim(db, uuid.uuid4(), date(2026, 10, 1))
    with db.session() as s:
        assert s.scalar(select(func.count()).where(InvolvementPayment.claimed_on.is_not(None))) == 0


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"kind": "meeting"}, "kind"),
        ({"kind": "party"}, "kind"),
        ({"unit": "fortnight"}, "unit"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1001}, "quantity"),
        ({"activity_date": date(1800, 1, 1)}, "activity_date"),
        ({"title": "x" * 256}, "title"),
        ({"cost_code": "x" * 65}, "cost_code"),
    ],
)
def test_a_bad_activity_is_refused_and_nothing_changes(
    db: Database, kwargs: dict[str, object], key: str
) -> None:
    w = _world(db)
    values: dict[str, object] = {
        "locality_id": w.rugby,
        "kind": "training",
        "activity_date": date(2026, 10, 1),
        **kwargs,
    }
    with pytest.raises(ValidationError) as caught:
        record_activity(db, **values)  # type: ignore[arg-type]
    assert key in caught.value.problems
    from coordinator_app.core.payments.activities import activity_rows

    assert activity_rows(db) == []


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"status": "pending"}, "status"),
        ({"amount_pence": -1}, "amount"),
        ({"amount_pence": 100_000_01}, "amount"),
        ({"expenses": {ExpenseKind.TRAVEL: -5}}, "expenses"),
        ({"method": "cheque"}, "method"),
        ({"status": "declined", "claimed_on": date(2026, 10, 1)}, "claimed_on"),
        ({"status": "offered", "paid_on": date(2026, 10, 1)}, "paid_on"),
        (
            {"status": "paid", "claimed_on": date(2026, 10, 9), "paid_on": date(2026, 10, 1)},
            "claimed_on",
        ),
    ],
)
def test_a_bad_activity_payment_is_refused_and_nothing_changes(
    db: Database, kwargs: dict[str, object], key: str
) -> None:
    w = _world(db)
    activity = record_activity(
        db, locality_id=w.rugby, kind="training", activity_date=date(2026, 10, 1)
    )
    with pytest.raises(ValidationError) as caught:
        set_activity_payment(db, activity, w.ann, **kwargs)  # type: ignore[arg-type]
    assert key in caught.value.problems
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(InvolvementPayment)) == 0


def test_a_payment_belongs_to_a_meeting_or_an_activity_never_neither(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    w = _world(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(InvolvementPayment(participant_id=w.ann, status=OFFERED, amount_pence=0))
        s.flush()


def test_vouchers_and_nothing_follow_what_the_person_asked(db: Database) -> None:
    w = _world(db)
    set_rate(db, kind="training", unit="session", pence=2000, starts_on=date(2026, 1, 1))
    set_benefits(
        db, w.ann, benefits_advice_on=date(2026, 9, 1), wants_vouchers=True, wants_no_payment=False
    )
    set_benefits(db, w.bob, benefits_advice_on=None, wants_vouchers=False, wants_no_payment=True)
    training = record_activity(
        db, locality_id=w.rugby, kind="training", activity_date=date(2026, 10, 1), quantity=2
    )
    ann = set_activity_payment(db, training, w.ann)
    bob = set_activity_payment(db, training, w.bob)
    with db.session() as s:
        ann_row, bob_row = s.get(InvolvementPayment, ann), s.get(InvolvementPayment, bob)
        assert ann_row is not None and bob_row is not None
        assert (ann_row.method, ann_row.amount_pence) == (PaymentMethod.VOUCHERS, 4000)
        assert (bob_row.method, bob_row.amount_pence) == (PaymentMethod.MONEY, 0)


def test_benefits_answers_refused_when_contradictory_or_in_the_future(db: Database) -> None:
    w = _world(db)
    with pytest.raises(ValidationError, match="not both"):
        set_benefits(db, w.ann, benefits_advice_on=None, wants_vouchers=True, wants_no_payment=True)
    with pytest.raises(ValidationError, match="future"):
        set_benefits(
            db,
            w.ann,
            benefits_advice_on=date(2099, 1, 1),
            wants_vouchers=False,
            wants_no_payment=False,
        )
    with db.session() as s:
        person = s.get(Participant, w.ann)
        assert person is not None and (person.wants_vouchers, person.wants_no_payment) == (
            False,
            False,
        )


def test_periods_week_month_and_tax_year_from_6_april() -> None:
    assert period_of(date(2026, 10, 14), ThresholdPeriod.WEEK) == (
        date(2026, 10, 12),
        date(2026, 10, 19),
    )
    assert period_of(date(2026, 12, 31), ThresholdPeriod.MONTH) == (
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    assert period_of(date(2026, 4, 5), ThresholdPeriod.TAX_YEAR) == (
        date(2025, 4, 6),
        date(2026, 4, 6),
    )
    assert period_of(date(2026, 4, 6), ThresholdPeriod.TAX_YEAR) == (
        date(2026, 4, 6),
        date(2027, 4, 6),
    )


def test_running_totals_and_the_threshold_warning_on_the_right_person(db: Database) -> None:
    w = _world(db)
    _hand_worked_month(db, w)
    # Ann: £25 at the forum (6 Oct, week of 5 Oct) and £150 project day (20 Oct).
    totals = running_totals(db, w.ann, date(2026, 10, 20))
    assert (totals.week_pence, totals.month_pence, totals.tax_year_pence) == (15000, 17500, 17500)
    # Bob declined his training: it does not count.
    assert running_totals(db, w.bob, date(2026, 10, 22)).month_pence == 2500
    assert threshold_warning(db, w.ann, date(2026, 10, 21), 5000) is None  # no threshold set
    save_payment_settings(db, threshold_pence=19550, threshold_period="week")
    warning = threshold_warning(db, w.ann, date(2026, 10, 21), 5000)
    assert warning is not None and "£200.00 this week" in warning and "£195.50" in warning
    assert threshold_warning(db, w.bob, date(2026, 10, 21), 5000) is None
    assert threshold_warning(db, w.ann, date(2026, 10, 27), 5000) is None  # another week


def test_bad_payment_settings_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        save_payment_settings(db, threshold_pence=-1)
    with pytest.raises(ValidationError):
        save_payment_settings(db, threshold_pence=100, threshold_period="fortnight")
    with pytest.raises(ValidationError):
        save_payment_settings(db, threshold_pence=100, unpaid_limit_days=0)


def test_subject_access_export_has_activity_payments_and_benefits(
    db: Database, tmp_path: Path
) -> None:
    import openpyxl

    w = _world(db)
    _hand_worked_month(db, w)
    set_benefits(
        db, w.ann, benefits_advice_on=date(2026, 9, 1), wants_vouchers=True, wants_no_payment=False
    )
    anonymise.subject_access_export(db, w.ann, tmp_path / "sar.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "sar.xlsx")
    person = dict(wb["Person"].iter_rows(min_row=2, values_only=True))
    assert person["Asked for vouchers"] == "Yes"
    assert person["Benefits advice offered on"] is not None
    rows = list(wb["Payments"].iter_rows(min_row=2, values_only=True))
    assert [r[8] or "" for r in rows] == ["", "Improvement project work: Co-design day"]
    assert rows[1][10] is None and rows[1][4] == "Paid" and rows[1][9] == "Money"


def test_anonymising_keeps_the_counts_and_clears_the_benefits_answers(db: Database) -> None:
    w = _world(db)
    _hand_worked_month(db, w)
    set_benefits(
        db, w.ann, benefits_advice_on=date(2026, 9, 1), wants_vouchers=True, wants_no_payment=False
    )
    anonymise.anonymise_participant(db, w.ann)
    with db.session() as s:
        person = s.get(Participant, w.ann)
        assert person is not None
        assert (person.benefits_advice_on, person.wants_vouchers) == (None, False)
        figures = month_figures(s, w.rugby, OCTOBER)
    assert (figures.payments, figures.payments_gbp) == (4, Decimal("240.00"))


def test_an_activity_with_payments_is_one_transaction(db: Database) -> None:
    """The activity dialog's Save: one bad payment and neither the activity nor any payment
    is kept."""
    from coordinator_app.core.payments.activities import (
        activity_rows,
        record_activity_with_payments,
    )

    w = _world(db)
    with pytest.raises(ValidationError):
        record_activity_with_payments(
            db,
            locality_id=w.rugby,
            kind="training",
            activity_date=date(2026, 10, 1),
            payments={w.ann: (PAID, 2000, {}), w.bob: (PAID, -5, {})},
        )
    with pytest.raises(NotFoundError):
        record_activity_with_payments(
            db,
            locality_id=w.rugby,
            kind="training",
            activity_date=date(2026, 10, 1),
            payments={w.ann: (PAID, 2000, {}), uuid.uuid4(): (PAID, 2000, {})},
        )
    assert activity_rows(db) == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(InvolvementPayment)) == 0
    made = record_activity_with_payments(
        db,
        locality_id=w.rugby,
        kind="training",
        activity_date=date(2026, 10, 1),
        payments={w.ann: (PAID, 2000, {ExpenseKind.TRAVEL: 300}), w.bob: (DECLINED, None, {})},
    )
    (row,) = activity_rows(db)
    assert row.id == made and set(row.participant_ids) == {w.ann, w.bob}


def test_a_meeting_payment_keeps_its_claim_date_unless_given_and_declined_clears_it(
    db: Database,
) -> None:
    w = _world(db)
    payment = set_payment(db, w.meeting, w.ann, status=OFFERED, claimed_on=date(2026, 10, 6))
    set_payment(db, w.meeting, w.ann, status=PAID, paid_on=date(2026, 10, 20))
    with db.session() as s:
        row = s.get(InvolvementPayment, payment)
        assert row is not None and row.claimed_on == date(2026, 10, 6)
    with pytest.raises(ValidationError, match="after the day it was paid"):
        set_payment(
            db,
            w.meeting,
            w.ann,
            status=PAID,
            paid_on=date(2026, 10, 20),
            claimed_on=date(2026, 10, 21),
        )
    set_payment(db, w.meeting, w.ann, status=DECLINED)
    with db.session() as s:
        row = s.get(InvolvementPayment, payment)
        assert row is not None and row.claimed_on is None


def test_an_activitys_words_are_searched_and_scrubbed_with_the_person(
    db: Database, tmp_path: Path
) -> None:
    """Subject access lists the activities they took part in and the activity text naming
    them; anonymising replaces their name there, and the payments still count."""
    import openpyxl

    w = _world(db)
    panel = record_activity(
        db,
        locality_id=w.rugby,
        kind="interview_panel",
        activity_date=date(2026, 10, 14),
        title="Ward manager panel",
        notes="Annwen Quill chaired the questions",
        participant_ids=[w.ann],
    )
    set_activity_payment(db, panel, w.ann, status=PAID, amount_pence=4000)
    anonymise.subject_access_export(db, w.ann, tmp_path / "sar.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "sar.xlsx")
    taken = list(wb["Involvement activities"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3]) for r in taken] == [
        ("Interview panel", "Ward manager panel", "Rugby")
    ]
    mentions = [r[0] for r in wb["Mentions"].iter_rows(min_row=2, values_only=True)]
    assert "Involvement activity" in mentions
    anonymise.anonymise_participant(db, w.ann)
    with db.session() as s:
        from coordinator_app.core.models import InvolvementActivity

        activity = s.get(InvolvementActivity, panel)
        assert activity is not None and "Annwen" not in activity.notes
        assert "[service user]" in activity.notes
        assert month_figures(s, w.rugby, OCTOBER).payments_gbp == Decimal("40.00")


def _payments_as_stored(db: Database) -> list[tuple[object, ...]]:
    with db.session() as s:
        return [
            (p.participant_id, p.status, p.claimed_on, p.paid_on)
            for p in s.scalars(select(InvolvementPayment).order_by(InvolvementPayment.id))
        ]


def test_a_claim_before_the_work_or_a_payment_before_the_claim_is_refused_for_an_activity(
    db: Database,
) -> None:
    """The reviewer's walk: a claim dated 5 November for work on 6 December was saved. One
    sentence, nothing saved (the activity neither)."""
    from coordinator_app.core.payments.activities import (
        activity_rows,
        record_activity_with_payments,
    )

    w = _world(db)
    work = {"locality_id": w.rugby, "kind": "project_work", "activity_date": date(2026, 12, 6)}
    with pytest.raises(ValidationError) as refused:
        record_activity_with_payments(
            db, **work, payments={w.ann: (OFFERED, 2000, {}, date(2026, 11, 5), None)}
        )
    assert refused.value.problems == {  # keyed with whose it is (the dialog names them)
        f"claimed_on@{w.ann.hex}": (
            "The claim cannot be dated before the activity it is for (6 December 2026)."
        )
    }
    with pytest.raises(ValidationError, match="after the day it was paid"):
        record_activity_with_payments(
            db, **work, payments={w.ann: (PAID, 2000, {}, date(2026, 12, 9), date(2026, 12, 8))}
        )
    assert activity_rows(db) == [] and _payments_as_stored(db) == []
    made = record_activity_with_payments(
        db, **work, payments={w.ann: (PAID, 2000, {}, date(2026, 12, 6), date(2026, 12, 8))}
    )
    before = _payments_as_stored(db)
    with pytest.raises(ValidationError, match="before the activity it is for"):
        set_activity_payment(db, made, w.ann, status=OFFERED, claimed_on=date(2026, 12, 5))
    assert _payments_as_stored(db) == before


def test_a_claim_before_the_meeting_is_refused_whichever_way_it_comes_in(db: Database) -> None:
    """The same rule for a meeting's payment (held 6 October 2026), and for a claim recorded on
    its own (Home's waiting claims): nothing changes."""
    w = _world(db)
    payment = set_payment(db, w.meeting, w.ann, status=OFFERED, amount_pence=2500)
    before = _payments_as_stored(db)
    with pytest.raises(ValidationError) as refused:
        set_payment(db, w.meeting, w.ann, status=OFFERED, claimed_on=date(2026, 10, 5))
    assert refused.value.problems == {
        "claimed_on": "The claim cannot be dated before the meeting it is for (6 October 2026)."
    }
    with pytest.raises(ValidationError, match="before the meeting it is for"):
        set_payment(db, w.meeting, w.bob, status=OFFERED, claimed_on=date(2026, 9, 30))
    with pytest.raises(ValidationError, match="before the meeting it is for"):
        record_claim(db, payment, date(2026, 10, 5))
    assert _payments_as_stored(db) == before
    record_claim(db, payment, date(2026, 10, 6))  # on the day: fine
