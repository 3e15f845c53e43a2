"""Involvement payments in the window (issue #28): Home's claims unpaid too long, the claim
date in a meeting's payments, the person's benefits answers and running totals, an involvement
activity recorded with its people and payments, and File > Payments list for finance."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core.meetings.payments import set_payment
from coordinator_app.core.payments.claims import record_claim
from coordinator_app.core.vocab import ExpenseKind, PaymentStatus
from coordinator_app.ui.main_window import MainWindow
from coordinator_app.ui.views.home import ROLE_ID

# TODAY in the UI fixtures is 20 March 2025.


def _texts(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


@pytest.fixture
def claims(ctx, place, add_meeting_at, add_person):
    """At the forum of 10 February: Ann claimed on 14 February (34 days on 20 March), Bob on
    1 March (19 days), Cat was paid; at Coventry's of 12 February Dev claimed on 12 February."""
    held = add_meeting_at(place.forum_id, date(2025, 2, 10))
    coventry = add_meeting_at(place.other_forum_id, date(2025, 2, 12))
    ann, bob, cat, dev = (
        add_person(name) for name in ("Ann Quill", "Bob Vane", "Cat Pryce", "Dev Okonjo")
    )
    for person, claimed in ((ann, date(2025, 2, 14)), (bob, date(2025, 3, 1))):
        payment = set_payment(ctx.db, held, person, status=PaymentStatus.OFFERED)
        record_claim(ctx.db, payment, claimed)
    set_payment(ctx.db, held, cat, status=PaymentStatus.PAID, paid_on=date(2025, 3, 1))
    payment = set_payment(ctx.db, coventry, dev, status=PaymentStatus.OFFERED)
    record_claim(ctx.db, payment, date(2025, 2, 12))
    return held


def test_home_lists_claims_unpaid_over_the_limit_on_the_right_people(
    qtbot, ctx, place, claims
) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    home = win.home
    listed = _texts(home.unpaid)
    assert len(listed) == 2, listed
    assert listed[0].startswith("36 days · Dev Okonjo · £25.00")
    assert listed[1].startswith("34 days · Ann Quill · £25.00 · Meeting ")
    assert not any("Bob Vane" in t or "Cat Pryce" in t for t in listed)
    assert "Claimed, unpaid over 30 days: 2" in home.unpaid_label.text()
    assert home.unpaid.item(1).data(ROLE_ID) == ("meeting", str(claims))
    with qtbot.waitSignal(home.openMeeting):
        home.unpaid.itemActivated.emit(home.unpaid.item(1))
    # One locality only: Coventry's claim goes.
    rugby = next(i for i in range(home.locality.count()) if home.locality.itemText(i) == "Rugby")
    home.locality.setCurrentIndex(rugby)
    assert [t.split(" · ")[1] for t in _texts(home.unpaid)] == ["Ann Quill"]


def test_home_says_so_when_no_claim_waits(qtbot, ctx, place, unnamed_controls) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert _texts(win.home.unpaid) == ["No claim waiting too long."]
    assert unnamed_controls(win.home) == []


# --- the participant dialog: benefits answers, running totals, the threshold --------------


def test_the_participant_dialog_keeps_benefits_answers_and_shows_totals(
    qtbot, ctx, place, claims, add_person
) -> None:
    from coordinator_app.core.models import Participant
    from coordinator_app.core.payments.totals import save_payment_settings
    from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog

    ann = _person(ctx, "Ann Quill")
    save_payment_settings(ctx.db, threshold_pence=2000, threshold_period="month")
    dialog = ParticipantDialog(ctx, None, participant_id=ann)
    qtbot.addWidget(dialog)
    # Her £25 at the forum of 10 February: not this month (March), this tax year.
    text = dialog.totals_label.text()
    assert "£0.00 this week, £0.00 this month, £25.00 this tax year" in text
    assert "Warning" not in text
    qtbot.keyClicks(dialog.benefits_date_edit, "3/3/2025")
    dialog.vouchers_check.setChecked(True)
    assert dialog.try_save()
    with ctx.db.session() as s:
        person = s.get(Participant, ann)
        assert person is not None
        assert (person.benefits_advice_on, person.wants_vouchers) == (date(2025, 3, 3), True)
    # Both vouchers and nothing: the sentence at its field, nothing saved.
    dialog = ParticipantDialog(ctx, None, participant_id=ann)
    qtbot.addWidget(dialog)
    dialog.no_payment_check.setChecked(True)
    assert not dialog.try_save()
    with ctx.db.session() as s:
        person = s.get(Participant, ann)
        assert person is not None and not person.wants_no_payment


def test_the_participant_dialog_warns_at_the_threshold(qtbot, ctx, place, claims) -> None:
    from coordinator_app.core.payments.totals import save_payment_settings
    from coordinator_app.ui.dialogs.participant_dialog import ParticipantDialog

    save_payment_settings(ctx.db, threshold_pence=2000, threshold_period="tax_year")
    dialog = ParticipantDialog(ctx, None, participant_id=_person(ctx, "Ann Quill"))
    qtbot.addWidget(dialog)
    assert "Warning: at or over the trust's threshold of £20.00 a tax year" in (
        dialog.totals_label.text()
    )


def _person(ctx, name: str):
    from sqlalchemy import select

    from coordinator_app.core.models import Participant

    with ctx.db.session() as s:
        return s.scalar(select(Participant.id).where(Participant.name == name))


# --- File > Payments list for finance ---------------------------------------------------


def test_the_finance_list_is_written_for_the_period_chosen(
    qtbot, ctx, place, claims, monkeypatch, questions, tmp_path
) -> None:
    import openpyxl

    from coordinator_app.ui.dialogs import payments_dialogs
    from coordinator_app.ui.dialogs.payments_dialogs import PaymentsListDialog

    target = tmp_path / "finance.xlsx"
    monkeypatch.setattr(payments_dialogs, "choose_list_file", lambda parent, suggested: target)
    dialog = PaymentsListDialog(ctx)
    qtbot.addWidget(dialog)
    assert (dialog.from_edit.value(), dialog.to_edit.value()) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    # --from after --to: said in the dialog, nothing written.
    dialog.from_edit.clear()
    qtbot.keyClicks(dialog.from_edit, "1/4/2025")
    dialog.save()
    assert "after it ends" in dialog.problem.text() and not target.exists()
    dialog.from_edit.clear()
    qtbot.keyClicks(dialog.from_edit, "1/2/2025")
    dialog.to_edit.clear()
    qtbot.keyClicks(dialog.to_edit, "28/2/2025")
    dialog.save()
    assert dialog.written == (target, 4)  # Ann, Bob, Cat (paid), Dev: not declined
    ws = openpyxl.load_workbook(target).active
    assert str(ws["A1"].value).startswith("PERSONAL DATA")
    assert questions.offered and questions.offered[0][0] == target


def test_the_file_menu_offers_the_payments_list_and_activities(
    qtbot, ctx, place, monkeypatch
) -> None:
    from coordinator_app.ui.dialogs import payments_dialogs

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    asked: list[str] = []
    monkeypatch.setattr(
        payments_dialogs.PaymentsListDialog, "ask", classmethod(lambda c, *a: asked.append("l"))
    )
    monkeypatch.setattr(
        payments_dialogs.ActivityDialog, "ask", classmethod(lambda c, *a, **k: asked.append("a"))
    )
    win.act_payments_list.trigger()
    win.act_activity.trigger()
    assert asked == ["l", "a"]
    assert win.act_payments_list.text() == "Payments list for &finance…"


# --- an involvement activity with its people and payments -------------------------------


def test_an_activity_is_recorded_with_its_people_and_payments(
    qtbot, ctx, place, add_person, unnamed_controls, questions
) -> None:
    from sqlalchemy import select

    from coordinator_app.core.models import InvolvementActivity, InvolvementPayment
    from coordinator_app.core.payments.rates import set_rate
    from coordinator_app.core.vocab import ActivityKind, RateUnit
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog

    set_rate(ctx.db, kind="project_work", unit="day", pence=15000, starts_on=date(2025, 1, 1))
    ann = add_person("Ann Quill", locality_id=place.locality_id)
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    widgets.select_data(dialog.kind_combo, ActivityKind.PROJECT_WORK)
    widgets.select_data(dialog.unit_combo, RateUnit.DAY)
    qtbot.keyClicks(dialog.title_edit, "Co-design day")
    for person in (ann, bob):
        widgets.select_data(dialog.person_combo, person)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    status = dialog.rows[1].status
    widgets.select_data(status, PaymentStatus.DECLINED)
    qtbot.keyClicks(dialog.rows[0].fields.expenses[ExpenseKind.TRAVEL], "5.60")
    dialog.save()
    assert dialog.saved is not None
    with ctx.db.session() as s:
        activity = s.get(InvolvementActivity, dialog.saved)
        assert activity is not None and activity.title == "Co-design day"
        paid = {
            p.participant_id: (p.status, p.amount_pence, p.expenses_pence)
            for p in s.scalars(
                select(InvolvementPayment).where(InvolvementPayment.activity_id == activity.id)
            )
        }
    assert paid == {
        ann: (PaymentStatus.OFFERED, 15000, 560),
        bob: (PaymentStatus.DECLINED, 15000, 0),
    }


def test_an_activity_over_the_threshold_asks_first_and_a_bad_one_saves_nothing(
    qtbot, ctx, place, add_person, questions
) -> None:
    from sqlalchemy import func, select

    from coordinator_app.core.models import InvolvementActivity
    from coordinator_app.core.payments.totals import save_payment_settings
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog

    save_payment_settings(ctx.db, threshold_pence=10000, threshold_period="week")
    ann = add_person("Ann Quill", locality_id=place.locality_id)
    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    widgets.select_data(dialog.person_combo, ann)
    dialog.add_current_person()
    qtbot.keyClicks(dialog.rows[0].amount, "150")
    questions.answer = False  # "Over the threshold": not saved
    dialog.save()
    assert "Ann Quill: This payment takes them to £150.00 this week" in questions.asked[-1]
    assert dialog.saved is None
    dialog.date_edit.clear()
    qtbot.keyClicks(dialog.date_edit, "31/02/2025")
    dialog.save()
    assert not dialog.problem.isHidden() and dialog.saved is None
    assert "31/02/2025" in dialog.problem.text()
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(InvolvementActivity)) == 0


# --- the meeting editor's payments: the claim date -----------------------------------------


def test_a_meetings_payment_records_the_claim_date_and_days_waiting(
    qtbot, ctx, place, claims
) -> None:
    from coordinator_app.core import meetings
    from coordinator_app.ui.dialogs.meeting_dialogs import PaymentDialog
    from coordinator_app.ui.models.meeting_parts import PaymentsModel

    detail = meetings.get_meeting(ctx.db, claims)
    cat = next(p for p in detail.payments if p.name == "Cat Pryce")
    ann = next(p for p in detail.payments if p.name == "Ann Quill")
    assert ann.claimed_on == date(2025, 2, 14)
    dialog = PaymentDialog(ctx, claims, [], payment=cat)
    qtbot.addWidget(dialog)
    assert dialog.claimed_edit.text() == ""
    qtbot.keyClicks(dialog.claimed_edit, "20/2/2025")
    assert dialog.try_save()
    detail = meetings.get_meeting(ctx.db, claims)
    cat = next(p for p in detail.payments if p.name == "Cat Pryce")
    assert (cat.claimed_on, cat.paid_on) == (date(2025, 2, 20), date(2025, 3, 1))
    model = PaymentsModel()
    model.set_rows(detail.payments)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Claimed on" in headers and "Days waiting" in headers
    row = [p.name for p in detail.payments].index("Cat Pryce")
    waiting = model.index(row, headers.index("Days waiting")).data()
    assert waiting == "9"  # claimed 20 February, paid 1 March
    # A claim after the payment: said at its field, nothing changed.
    dialog = PaymentDialog(ctx, claims, [], payment=cat)
    qtbot.addWidget(dialog)
    dialog.claimed_edit.clear()
    qtbot.keyClicks(dialog.claimed_edit, "2/3/2025")
    assert not dialog.try_save()
    detail = meetings.get_meeting(ctx.db, claims)
    assert next(p for p in detail.payments if p.name == "Cat Pryce").claimed_on == date(2025, 2, 20)


def test_the_meetings_page_lists_other_activities(
    qtbot, ctx, place, add_person, monkeypatch, unnamed_controls
) -> None:
    from coordinator_app.core.payments.activities import record_activity
    from coordinator_app.ui.dialogs import payments_dialogs
    from coordinator_app.ui.views.meetings import MeetingsPage

    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    shown: list[object] = []
    monkeypatch.setattr(
        payments_dialogs.ActivitiesDialog, "ask", classmethod(lambda c, *a: shown.append(a))
    )
    qtbot.mouseClick(page.activity_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    panel = record_activity(
        ctx.db,
        locality_id=place.locality_id,
        kind="interview_panel",
        activity_date=date(2025, 3, 3),
        title="Ward manager",
        participant_ids=[add_person("Ann Quill")],
    )
    record_activity(
        ctx.db, locality_id=place.locality_id, kind="training", activity_date=date(2025, 1, 9)
    )
    dialog = payments_dialogs.ActivitiesDialog(ctx)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    first = [dialog.table.item(0, c).text() for c in range(5)]
    assert first == ["03/03/2025", "Interview panel", "Ward manager", "Rugby", "1"]
    opened: list[object] = []
    monkeypatch.setattr(
        payments_dialogs.ActivityDialog,
        "open_activity",
        classmethod(lambda c, ctx_, activity_id, parent=None: opened.append(activity_id)),
    )
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    dialog.open_row(0)
    assert opened[-1] == panel


# --- Edit > Payment rates and limits ----------------------------------------------------


def test_rates_and_limits_are_set_and_a_bad_one_changes_nothing(
    qtbot, ctx, place, unnamed_controls
) -> None:
    from coordinator_app.core.payments.rates import rate_rows
    from coordinator_app.core.payments.totals import payment_settings
    from coordinator_app.core.vocab import ActivityKind, RateUnit, ThresholdPeriod
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs.payments_dialogs import RatesDialog

    dialog = RatesDialog(ctx)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    widgets.select_data(dialog.kind_combo, ActivityKind.PROJECT_WORK)
    widgets.select_data(dialog.unit_combo, RateUnit.DAY)
    qtbot.keyClicks(dialog.pence_edit, "150")
    qtbot.keyClicks(dialog.code_edit, "INV-PW")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (rate,) = rate_rows(ctx.db)
    assert (rate.kind, rate.unit, rate.pence, rate.starts_on, rate.cost_code) == (
        ActivityKind.PROJECT_WORK,
        RateUnit.DAY,
        15000,
        date(2025, 3, 20),
        "INV-PW",
    )
    assert dialog.rates.rowCount() == 1 and dialog.rates.item(0, 2).text() == "150.00"
    # Too much: said in the dialog, nothing added.
    dialog.pence_edit.clear()
    qtbot.keyClicks(dialog.pence_edit, "100001")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.problem.isHidden() and len(rate_rows(ctx.db)) == 1
    qtbot.keyClicks(dialog.threshold_edit, "195.50")
    widgets.select_data(dialog.period_combo, ThresholdPeriod.WEEK)
    dialog.limit_spin.setValue(28)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settings = payment_settings(ctx.db)
    assert (settings.threshold_pence, settings.threshold_period, settings.unpaid_limit_days) == (
        19550,
        ThresholdPeriod.WEEK,
        28,
    )


def test_a_meeting_payment_over_the_threshold_asks_first(qtbot, ctx, place, claims, questions):
    from coordinator_app.core import meetings
    from coordinator_app.core.payments.totals import save_payment_settings
    from coordinator_app.ui.dialogs.meeting_dialogs import PaymentDialog

    save_payment_settings(ctx.db, threshold_pence=3000, threshold_period="month")
    ann = next(p for p in meetings.get_meeting(ctx.db, claims).payments if p.name == "Ann Quill")
    dialog = PaymentDialog(ctx, claims, [], payment=ann)
    qtbot.addWidget(dialog)
    assert dialog.try_save()  # £25 of £30: nothing asked (her own £25 is not counted twice)
    assert questions.asked == []
    dialog = PaymentDialog(ctx, claims, [], payment=ann)
    qtbot.addWidget(dialog)
    dialog.amount_edit.setText("40")
    questions.answer = False
    assert not dialog.try_save()
    assert "£40.00 this month, over the trust's threshold of £30.00" in questions.asked[-1]
    after = next(p for p in meetings.get_meeting(ctx.db, claims).payments if p.name == "Ann Quill")
    assert after.amount_pence == 2500
    questions.answer = True
    assert dialog.try_save()
    after = next(p for p in meetings.get_meeting(ctx.db, claims).payments if p.name == "Ann Quill")
    assert after.amount_pence == 4000


def test_an_activity_opened_again_marks_claims_and_payments_and_who_left(
    qtbot, ctx, place, add_person, questions
) -> None:
    from coordinator_app.core.payments.activities import (
        activity_people,
        record_activity_with_payments,
    )
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog

    ann = add_person("Ann Quill", locality_id=place.locality_id)
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    activity = record_activity_with_payments(
        ctx.db,
        locality_id=place.locality_id,
        kind="interview_panel",
        activity_date=date(2025, 3, 3),
        title="Ward manager",
        unit="half_day",
        payments={
            ann: (PaymentStatus.OFFERED, 4000, {ExpenseKind.TRAVEL: 560, ExpenseKind.OTHER: 100}),
            bob: (PaymentStatus.OFFERED, 4000, {}),
        },
    )
    dialog = ActivityDialog(ctx, activity_id=activity)
    qtbot.addWidget(dialog)
    assert dialog.title_edit.text() == "Ward manager"
    assert [row.name for row in dialog.rows] == ["Ann Quill", "Bob Vane"]
    ann_row = dialog.rows[0]
    shown = [ann_row.amount.text()] + [e.text() for e in ann_row.fields.expenses.values()]
    assert shown == ["40.00", "5.60", "", "", "1.00"]
    assert ann_row.fields.total.text() == "£6.60"
    qtbot.keyClicks(ann_row.claimed, "4/3/2025")
    widgets.select_data(ann_row.status, PaymentStatus.PAID)
    qtbot.keyClicks(ann_row.paid, "18/3/2025")
    dialog.table.setCurrentCell(1, 0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    dialog.save()
    assert dialog.saved == activity
    (ann_now,) = activity_people(ctx.db, activity)
    assert (ann_now.status, ann_now.claimed_on, ann_now.paid_on) == (
        PaymentStatus.PAID,
        date(2025, 3, 4),
        date(2025, 3, 18),
    )
    assert ann_now.expenses == {ExpenseKind.TRAVEL: 560, ExpenseKind.OTHER: 100}


def test_home_opens_an_activitys_claim(qtbot, ctx, place, add_person, monkeypatch) -> None:
    from coordinator_app.core.payments.activities import record_activity_with_payments
    from coordinator_app.ui.dialogs import payments_dialogs

    ann = add_person("Ann Quill", locality_id=place.locality_id)
    activity = record_activity_with_payments(
        ctx.db,
        locality_id=place.locality_id,
        kind="training",
        activity_date=date(2025, 2, 1),
        payments={ann: (PaymentStatus.OFFERED, 2000, {}, date(2025, 2, 3), None)},
    )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    (text,) = _texts(win.home.unpaid)
    assert text.startswith("45 days · Ann Quill · £20.00 · Training")
    opened: list[object] = []
    monkeypatch.setattr(
        payments_dialogs.ActivityDialog,
        "open_activity",
        classmethod(lambda c, ctx_, activity_id, parent=None: opened.append(activity_id)),
    )
    win.home.unpaid.itemActivated.emit(win.home.unpaid.item(0))
    assert opened == [activity]


# --- journey 11: a day's co-design work for a project, no meeting involved -----------------


def test_a_projects_day_of_work_is_paid_from_the_projects_page(
    qtbot, ctx, place, add_person, monkeypatch
) -> None:
    from coordinator_app.core import projects
    from coordinator_app.core.models import InvolvementActivity
    from coordinator_app.core.payments.activities import activity_people
    from coordinator_app.core.payments.rates import set_rate
    from coordinator_app.core.projects import ProjectInput
    from coordinator_app.core.vocab import (
        ActivityKind,
        Category,
        ProjectRole,
        ProjectStatus,
        RateUnit,
    )
    from coordinator_app.ui.dialogs import payments_dialogs
    from coordinator_app.ui.views.projects import ProjectsPage

    set_rate(ctx.db, kind="project_work", unit="day", pence=15000, starts_on=date(2025, 1, 1))
    project = projects.create_project(
        ctx.db,
        ProjectInput(
            locality_id=place.locality_id,
            title="Discharge leaflet co-design",
            status=ProjectStatus.ACTIVE,
            started_on=date(2025, 2, 1),
        ),
    )
    carers = [add_person(n, Category.CARER, place.locality_id) for n in ("Ann Quill", "Bob Vane")]
    lead = add_person("Sam Staff", Category.STAFF, place.locality_id)
    for person in (*carers, lead):
        projects.add_participant(ctx.db, project, person, ProjectRole.CO_PRODUCER)
    page = ProjectsPage(ctx)
    qtbot.addWidget(page)
    page.show_project(project)
    asked: list[tuple] = []
    monkeypatch.setattr(
        payments_dialogs.ActivityDialog,
        "for_project",
        classmethod(lambda c, *a: asked.append(a)),
    )
    qtbot.mouseClick(page.work_button, Qt.MouseButton.LeftButton)
    ((_ctx, project_id, locality_id, title, people, _parent),) = asked
    assert (project_id, locality_id, title) == (project, place.locality_id, page.detail.title)
    assert sorted(name for _id, name in people) == ["Ann Quill", "Bob Vane"]  # not staff
    dialog = payments_dialogs.ActivityDialog.made_for_project(
        ctx, project_id, locality_id, title, people
    )
    qtbot.addWidget(dialog)
    assert dialog.kind_combo.currentData() == ActivityKind.PROJECT_WORK
    assert dialog.unit_combo.currentData() == RateUnit.DAY
    dialog.save()
    assert dialog.saved is not None
    with ctx.db.session() as s:
        activity = s.get(InvolvementActivity, dialog.saved)
        assert activity is not None and activity.project_id == project
    paid = activity_people(ctx.db, dialog.saved)
    assert {(p.name, p.amount_pence) for p in paid} == {("Ann Quill", 15000), ("Bob Vane", 15000)}


def test_offering_to_everyone_present_asks_when_it_takes_someone_over(
    qtbot, ctx, place, add_meeting_at, add_person, questions
) -> None:
    """The rate (£25, the UI fixtures' setting) offered at a meeting on 14 March: Ann, paid £20
    for training that week, would pass the £40 weekly threshold; Bob would not."""
    from coordinator_app.core import meetings
    from coordinator_app.core.payments.activities import record_activity_with_payments
    from coordinator_app.core.payments.totals import save_payment_settings
    from coordinator_app.core.vocab import AttendanceStatus, MeetingStatus
    from coordinator_app.ui.views.meetings import MeetingsPage

    save_payment_settings(ctx.db, threshold_pence=4000, threshold_period="week")
    held = add_meeting_at(place.forum_id, date(2025, 3, 14), MeetingStatus.HELD)
    ann, bob = (add_person(n, locality_id=place.locality_id) for n in ("Ann Quill", "Bob Vane"))
    for person in (ann, bob):
        meetings.set_attendance(ctx.db, held, person, AttendanceStatus.PRESENT)
    record_activity_with_payments(
        ctx.db,
        locality_id=place.locality_id,
        kind="training",
        activity_date=date(2025, 3, 11),
        payments={ann: (PaymentStatus.PAID, 2000, {})},
    )
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.open_meeting(held)
    questions.answer = False
    qtbot.mouseClick(page.editor.payment_offer_button, Qt.MouseButton.LeftButton)
    (asked,) = questions.asked
    assert asked.startswith("Ann Quill: This payment takes them to £45.00 this week")
    assert "Bob Vane" not in asked
    assert page.editor.payments_model.rows() == []  # not offered
    questions.answer = True
    qtbot.mouseClick(page.editor.payment_offer_button, Qt.MouseButton.LeftButton)
    assert len(page.editor.payments_model.rows()) == 2


def test_the_activity_dialog_saves_on_ctrl_enter_and_refuses_a_claim_before_the_work(
    qtbot, ctx, place, add_person, questions
) -> None:
    """The reviewer's walk: Ctrl+Enter did nothing here (every other dialog saves on it), and
    a claim dated 5 November for work on 6 December was saved."""
    from sqlalchemy import func, select

    from coordinator_app.core.models import InvolvementActivity, InvolvementPayment
    from coordinator_app.ui import widgets
    from coordinator_app.ui.dialogs.payments_dialogs import ActivityDialog

    ann = add_person("Ann Quill", locality_id=place.locality_id)
    bob = add_person("Bob Vane", locality_id=place.locality_id)
    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.date_edit.set_value(date(2026, 12, 6))
    dialog.title_edit.setText("Co-design day")
    for person in (ann, bob):
        widgets.select_data(dialog.person_combo, person)
        dialog.add_current_person()
    row = next(r for r in dialog.rows if r.person == bob)
    row.claimed.set_value(date(2026, 11, 5))
    row.claimed.setFocus()
    qtbot.keyClick(row.claimed, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Whose claim it is, among several people (it said only the sentence).
    assert dialog.problem.text() == (
        "Bob Vane: The claim cannot be dated before the activity it is for (6 December 2026)."
    )
    assert dialog.saved is None and dialog.isVisible()
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(InvolvementActivity)) == 0
        assert s.scalar(select(func.count()).select_from(InvolvementPayment)) == 0
    widgets.select_data(row.status, PaymentStatus.PAID)
    row.claimed.set_value(date(2026, 12, 9))
    row.paid.set_value(date(2026, 12, 8))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert dialog.problem.text() == (
        "Bob Vane: The claim cannot be dated after the day it was paid."
    )
    assert dialog.saved is None
    row.claimed.set_value(date(2026, 12, 6))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved is not None and not dialog.isVisible()


def test_the_activity_dialogs_headings_are_short_and_say_their_meaning(qtbot, ctx, place) -> None:
    """At 1366x768 the amount's heading read "unt (blank: the r": headings stay short, their
    meaning is the tooltip and the accessible description, and each fits its column."""
    from coordinator_app.ui.dialogs.payments_dialogs import COLUMN_KEYS, ActivityDialog

    dialog = ActivityDialog(ctx, locality_id=place.locality_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    amount = dialog.table.horizontalHeaderItem(COLUMN_KEYS.index("amount"))
    assert amount.text() == "Amount (£)"
    assert "blank" in amount.toolTip()
    assert amount.data(Qt.ItemDataRole.AccessibleDescriptionRole) == amount.toolTip()
    header = dialog.table.horizontalHeader()
    for column in range(dialog.table.columnCount()):
        text = dialog.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(text), text
