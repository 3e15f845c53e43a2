"""Every table model passes Qt's model tester with data in it; the filters and sorting behave;
the form parsers accept what coordinators type and refuse the rest with a sentence."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest
from PySide6.QtCore import Qt

from coordinator_app.core import actions, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.people import list_participants
from coordinator_app.core.vocab import (
    AttendanceStatus,
    Category,
    ExperienceKind,
    MeetingStatus,
    PaymentStatus,
)
from coordinator_app.ui import widgets
from coordinator_app.ui.models.meeting_parts import (
    ActionsModel,
    AgendaModel,
    ExperienceModel,
    MattersArisingModel,
    PaymentsModel,
)
from coordinator_app.ui.models.meetings import (
    COL_ATTENDED,
    COL_DATE,
    COL_FORUM,
    EventsFilter,
    MeetingsFilter,
    MeetingsModel,
)
from coordinator_app.ui.models.participants import COL_NAME, ParticipantsFilter, ParticipantsModel
from coordinator_app.ui.models.register import COL_STATUS, RegisterModel
from coordinator_app.ui.models.table import ID_ROLE, ROW_ROLE, SORT_ROLE, fold


@pytest.fixture
def filled(ctx, place, add_person):
    """Two meetings of the Rugby forum (the second with everything) and one event."""
    db = ctx.db
    zoe = add_person("Zoë Davies", Category.CARER, place.locality_id)
    bob = add_person("Bob O'Neill", locality_id=place.locality_id)
    add_person("Siân Jones", Category.STAFF, place.other_locality_id, active=False)
    first = meetings.create_meeting(
        db, MeetingInput(place.forum_id, date(2025, 1, 14), status=MeetingStatus.HELD)
    )
    actions.raise_action(
        db,
        locality_id=place.locality_id,
        meeting_id=first,
        today=date(2025, 1, 14),
        data=ActionInput("Fix the ramp", owner="Estates", raised_on=date(2025, 1, 14)),
    )
    second = meetings.create_meeting(
        db,
        MeetingInput(
            place.forum_id,
            date(2025, 2, 11),
            time(18),
            time(20),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
        ),
    )
    meetings.set_attendance(db, second, zoe, AttendanceStatus.PRESENT)
    meetings.set_attendance(db, second, bob, AttendanceStatus.APOLOGIES)
    meetings.set_unnamed(db, second, Category.CARER, 2)
    meetings.add_agenda_item(db, second, "Welcome", "Hello all", "None")
    meetings.add_agenda_item(db, second, "Crisis line")
    meetings.set_payment(
        db, second, zoe, status=PaymentStatus.PAID, amount_pence=2500, expenses_pence=460
    )
    meetings.add_experience(
        db, second, ExperienceInput(ExperienceKind.CONCERN, "Access", "Crisis team", "Long waits")
    )
    actions.raise_action(
        db,
        locality_id=place.locality_id,
        meeting_id=second,
        today=date(2025, 2, 11),
        data=ActionInput(
            "Review staffing", owner="Manager", raised_on=date(2025, 2, 11), due_on=date(2025, 3, 1)
        ),
    )
    meetings.create_meeting(db, MeetingInput(place.events_forum_id, date(2025, 3, 3)))
    return meetings.get_meeting(db, second)


def test_every_table_model_passes_the_model_tester(qtmodeltester, ctx, filled):
    assert filled.register and filled.payments and filled.experience and filled.actions
    assert filled.matters_arising and filled.agenda
    models = [
        MeetingsModel(meetings.list_meetings(ctx.db)),
        ParticipantsModel(list_participants(ctx.db, active=None)),
        RegisterModel(filled.register),
        AgendaModel(filled.agenda),
        PaymentsModel(filled.payments),
        ExperienceModel(filled.experience),
        ActionsModel(filled.actions),
        MattersArisingModel(filled.matters_arising),
    ]
    for model in models:
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)


def test_the_filter_proxies_pass_the_model_tester(qtmodeltester, ctx, filled):
    proxy = MeetingsFilter()
    proxy.setSourceModel(MeetingsModel(meetings.list_meetings(ctx.db)))
    proxy.set_text("benn")
    qtmodeltester.check(proxy, force_py=True)
    people_proxy = ParticipantsFilter()
    people_proxy.setSourceModel(ParticipantsModel(list_participants(ctx.db, active=None)))
    qtmodeltester.check(people_proxy, force_py=True)


def test_cells_show_words_and_roles_carry_ids_rows_and_sort_keys(ctx, filled):
    model = RegisterModel(filled.register)
    statuses = {model.data(model.index(n, COL_STATUS)) for n in range(model.rowCount())}
    assert statuses == {"✓ Present", "Apologies"}
    index = model.index(0, 0)
    assert model.data(index, ID_ROLE) == str(model.row_at(0).participant_id)
    assert model.data(index, ROW_ROLE) is model.row_at(0)

    listing = MeetingsModel(meetings.list_meetings(ctx.db))
    row = listing.row_of(filled.id)
    assert listing.data(listing.index(row, COL_DATE)) == "11/02/2025"
    assert listing.data(listing.index(row, COL_DATE), SORT_ROLE) == date(2025, 2, 11)
    assert listing.data(listing.index(row, COL_ATTENDED)) == "3"  # Zoë and two unnamed carers
    assert listing.headerData(COL_FORUM, Qt.Orientation.Horizontal) == "Forum"
    assert listing.row_of(uuid.uuid4()) == -1


def test_sorting_keeps_selections_pointing_at_the_same_meeting(ctx, filled):
    from PySide6.QtCore import QPersistentModelIndex

    model = MeetingsModel(meetings.list_meetings(ctx.db))
    target = model.row_of(filled.id)
    keep = QPersistentModelIndex(model.index(target, COL_FORUM))
    model.sort(COL_DATE, Qt.SortOrder.DescendingOrder)
    dates = [model.row_at(n).meeting_date for n in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert model.row_at(keep.row()).id == filled.id
    model.sort(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert model.row_at(keep.row()).id == filled.id and keep.column() == COL_FORUM


def test_meetings_filter_combines_every_condition(ctx, place, filled):
    proxy = MeetingsFilter()
    proxy.setSourceModel(MeetingsModel(meetings.list_meetings(ctx.db)))
    assert proxy.rowCount() == 3
    proxy.events = EventsFilter.ONLY
    proxy.refilter()
    assert proxy.rowCount() == 1
    proxy.events = EventsFilter.HIDDEN
    proxy.date_from = date(2025, 2, 11)  # inclusive
    proxy.date_to = date(2025, 2, 11)  # inclusive
    proxy.refilter()
    assert [proxy.row_at(0).id] == [filled.id] and proxy.rowCount() == 1
    proxy.status = MeetingStatus.PLANNED
    proxy.refilter()
    assert proxy.rowCount() == 0


def test_participants_filter_folds_accents_and_apostrophes(ctx, filled):
    proxy = ParticipantsFilter()
    model = ParticipantsModel(list_participants(ctx.db, active=None))
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 2  # active only
    proxy.active = None
    proxy.set_text("SIAN")
    assert [proxy.row_at(0).name] == ["Siân Jones"]
    proxy.set_text("o'neill")
    assert [proxy.row_at(0).name] == ["Bob O'Neill"]
    proxy.set_text("zoe dav")
    assert proxy.rowCount() == 1
    model.sort(COL_NAME)
    assert [model.row_at(n).name for n in range(3)] == ["Bob O'Neill", "Siân Jones", "Zoë Davies"]


def test_fold():
    assert fold("Zoë O'Neill") == "zoe oneill"
    assert fold("SIÂN") == "sian"
    assert fold("O’Brien") == "obrien"


# --- parsers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14/03/2025", date(2025, 3, 14)),
        ("14/3/25", date(2025, 3, 14)),
        ("2025-03-14", date(2025, 3, 14)),
        ("14 Mar 2025", date(2025, 3, 14)),
        ("  14/03/2025 ", date(2025, 3, 14)),
        ("29/02/2024", date(2024, 2, 29)),
        ("today", date(2025, 3, 20)),
        ("Tomorrow", date(2025, 3, 21)),
        ("", None),
    ],
)
def test_parse_date_accepts(typed, expected):
    assert widgets.parse_date(typed, today=date(2025, 3, 20)) == expected


@pytest.mark.parametrize("typed", ["31/02/2025", "29/02/2025", "14/13/2025", "next week", "14-"])
def test_parse_date_refuses_with_a_sentence(typed):
    with pytest.raises(ValueError, match="day/month/year"):
        widgets.parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("18:30", time(18, 30)),
        ("18.30", time(18, 30)),
        ("1830", time(18, 30)),
        ("6pm", time(18, 0)),
        ("6.30 pm", time(18, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("", None),
    ],
)
def test_parse_time_accepts(typed, expected):
    assert widgets.parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "18:60", "13pm", "0am", "half six", "18:3"])
def test_parse_time_refuses(typed):
    with pytest.raises(ValueError, match="18:30"):
        widgets.parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("25", 2500),
        ("25.5", 2550),
        ("£25.50", 2550),
        ("1,025.00", 102500),
        ("0.01", 1),
        ("", 0),
        ("100,000.00", 100_000_00),  # the most a payment may be
    ],
)
def test_parse_pounds_accepts(typed, pence):
    assert widgets.parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["-1", "25.505", "twenty", "nan", "inf"])
def test_parse_pounds_refuses(typed):
    with pytest.raises(ValueError):
        widgets.parse_pounds(typed)


@pytest.mark.parametrize("typed", ["100,000.01", "1e30", "9" * 40])
def test_parse_pounds_refuses_more_than_a_payment_can_be(typed):
    """A penny over the most, and numbers too long for decimal's precision (found by fuzzing:
    they used to raise InvalidOperation instead of a sentence)."""
    with pytest.raises(ValueError, match=r"more than £100,000\.00"):
        widgets.parse_pounds(typed)


def test_date_edit_steps_by_a_day_with_the_arrow_keys(qtbot):
    edit = widgets.DateEdit(today=date(2025, 3, 20))
    qtbot.addWidget(edit)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.value() == date(2025, 3, 21)
    qtbot.keyClick(edit, Qt.Key.Key_PageDown)
    assert edit.value() == date(2025, 3, 14)


def test_update_rows_keeps_the_folded_search_texts_even_after_a_re_sort(
    ctx, add_person, monkeypatch
) -> None:
    """The directory's figures replace every row with a copy: the copies keep the texts already
    folded, also when a sort in between dropped the row-ordered list."""
    from coordinator_app.core import people
    from coordinator_app.ui.models import table

    add_person("Zoë Ó Briain")
    add_person("Mary Smith")
    model = ParticipantsModel(list_participants(ctx.db, active=None, figures=False))
    first = model.haystacks()
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)  # re-ordered: the list is dropped
    folded: list[str] = []
    real_fold = table.fold
    monkeypatch.setattr(table, "fold", lambda text: folded.append(text) or real_fold(text))
    model.update_rows([people.with_attendance(row, None, 3) for row in model.rows()], [0])
    assert sorted(model.haystacks()) == sorted(first)
    assert folded == []


def test_a_declined_payment_shows_no_amount(db, place, add_person) -> None:
    """Issue #22: a payment someone declined still showed £20.00 beside "Declined"."""
    from coordinator_app.core.meetings import PaymentRow

    meeting = meetings.create_meeting(db, MeetingInput(place.forum_id, date(2025, 2, 11)))
    bob = add_person("Bob Hale")
    meetings.set_payment(db, meeting, bob, status=PaymentStatus.DECLINED, amount_pence=2000)
    (declined,) = meetings.get_meeting(db, meeting).payments
    assert isinstance(declined, PaymentRow) and declined.status is PaymentStatus.DECLINED
    model = PaymentsModel([declined])
    assert model.index(0, 1).data() == "Declined"
    assert model.index(0, 2).data() == ""
