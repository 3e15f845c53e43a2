"""What the meeting editor's undo needs of the core (issue #22 item 9): an agenda item put back
at its old place, the payments an offer or an "all offered paid" changed named by id, and
those changes taken back in one transaction each, audited, leaving alone what changed since."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from coordinator_app.core import meetings, people
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.models import AuditEntry
from coordinator_app.core.people import ParticipantInput
from coordinator_app.core.settings import ensure_locality, save_settings
from coordinator_app.core.vocab import (
    AttendanceStatus,
    AuditOperation,
    Category,
    ForumKind,
    MeetingStatus,
    PaymentStatus,
)


@pytest.fixture
def meeting_id(db: Database) -> uuid.UUID:
    with db.transaction() as s:
        rugby = ensure_locality(s, "Rugby", coordinated=True)
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    return meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=date(2026, 3, 10), status=MeetingStatus.HELD)
    )


def audited(db: Database, entity_id: uuid.UUID) -> list[tuple[AuditOperation, str]]:
    with db.session() as s:
        rows = s.execute(
            select(AuditEntry.operation, AuditEntry.summary)
            .where(AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [(AuditOperation(op), summary) for op, summary in rows]


def test_an_agenda_item_is_added_at_a_position_the_rest_moving_down(
    db: Database, meeting_id: uuid.UUID
) -> None:
    a, b, c = (meetings.add_agenda_item(db, meeting_id, t) for t in ("A", "B", "C"))
    version = meetings.get_meeting(db, meeting_id).version

    def agenda() -> list[tuple[int, str, str, str]]:
        return [
            (i.position, i.title, i.discussion, i.decisions)
            for i in meetings.get_meeting(db, meeting_id).agenda
        ]

    back = meetings.add_agenda_item(
        db, meeting_id, "B2", "Said", "Agreed", position=2, expected_version=version
    )
    assert agenda() == [
        (1, "A", "", ""),
        (2, "B2", "Said", "Agreed"),
        (3, "B", "", ""),
        (4, "C", "", ""),
    ]
    assert meetings.get_meeting(db, meeting_id).version == version + 1  # exactly one, as before
    assert audited(db, back) == [(AuditOperation.CREATE, "Agenda item 2 of RUG-2603")]
    meetings.add_agenda_item(db, meeting_id, "First", position=1)
    meetings.add_agenda_item(db, meeting_id, "Last", position=99)  # beyond the end: the end
    meetings.add_agenda_item(db, meeting_id, "Nought", position=0)  # before the start: first
    assert [t for _p, t, _d, _e in agenda()] == ["Nought", "First", "A", "B2", "B", "C", "Last"]
    assert [p for p, *_ in agenda()] == [1, 2, 3, 4, 5, 6, 7]
    assert a and b and c


def _present(db: Database, meeting_id: uuid.UUID, *names: str) -> dict[str, uuid.UUID]:
    made = {
        name: people.create_participant(db, ParticipantInput(name, Category.SERVICE_USER))
        for name in names
    }
    for pid in made.values():
        meetings.set_attendance(db, meeting_id, pid, AttendanceStatus.PRESENT)
    return made


def test_an_offer_names_the_payments_it_made_and_withdrawing_takes_back_those_still_offered(
    db: Database, meeting_id: uuid.UUID
) -> None:
    save_settings(db, default_payment_pence=2500)
    made = _present(db, meeting_id, "Zoë Smith", "Aled Jones", "Had one")
    before = meetings.set_payment(db, meeting_id, made["Had one"], status=PaymentStatus.DECLINED)
    ids = meetings.offer_payments_ids(db, meeting_id)
    rows = {p.id: p for p in meetings.get_meeting(db, meeting_id).payments}
    assert set(ids) == set(rows) - {before}
    assert {rows[i].participant_id for i in ids} == {made["Zoë Smith"], made["Aled Jones"]}
    zoe = next(i for i in ids if rows[i].participant_id == made["Zoë Smith"])
    meetings.set_payment(db, meeting_id, made["Zoë Smith"], status=PaymentStatus.PAID)

    assert meetings.withdraw_offers(db, meeting_id, []) == 0
    assert meetings.withdraw_offers(db, meeting_id, [*ids, before]) == 1
    left = {p.participant_id: p.status for p in meetings.get_meeting(db, meeting_id).payments}
    # Zoë's, paid since, and the declined one from before the offer stay.
    assert left == {made["Zoë Smith"]: PaymentStatus.PAID, made["Had one"]: PaymentStatus.DECLINED}
    aled = next(i for i in ids if i != zoe)
    assert audited(db, aled)[-1] == (
        AuditOperation.DELETE,
        "Involvement payment at RUG-2603 withdrawn (offer undone)",
    )
    assert meetings.offer_payments_ids(db, meeting_id) != []  # Aled can be offered again


def test_all_offered_paid_names_the_payments_and_unmarking_puts_them_back_to_offered(
    db: Database, meeting_id: uuid.UUID
) -> None:
    save_settings(db, default_payment_pence=2000)
    made = _present(db, meeting_id, "Zoë Smith", "Aled Jones", "Paid before")
    earlier = meetings.set_payment(
        db,
        meeting_id,
        made["Paid before"],
        status=PaymentStatus.PAID,
        amount_pence=1500,
        paid_on=date(2026, 3, 1),
    )
    ids = meetings.offer_payments_ids(db, meeting_id)
    offered = {p.participant_id: p.id for p in meetings.get_meeting(db, meeting_id).payments}
    zoe, aled = offered[made["Zoë Smith"]], offered[made["Aled Jones"]]
    assert sorted(ids) == sorted([zoe, aled])
    meetings.set_payment(
        db, meeting_id, made["Zoë Smith"], status=PaymentStatus.OFFERED, expenses_pence=460
    )
    assert sorted(meetings.mark_offered_paid_ids(db, meeting_id, date(2026, 3, 12))) == sorted(
        [zoe, aled]
    )
    assert meetings.mark_offered_paid_ids(db, meeting_id) == []
    meetings.set_payment(db, meeting_id, made["Aled Jones"], status=PaymentStatus.DECLINED)

    assert meetings.unmark_paid(db, meeting_id, [zoe, aled]) == 1
    rows = {p.participant_id: p for p in meetings.get_meeting(db, meeting_id).payments}
    zoe_row = rows[made["Zoë Smith"]]
    assert (zoe_row.status, zoe_row.paid_on) == (PaymentStatus.OFFERED, None)
    assert (zoe_row.amount_pence, zoe_row.expenses_pence) == (2000, 460)
    assert rows[made["Aled Jones"]].status == PaymentStatus.DECLINED  # changed since: left
    assert rows[made["Paid before"]].paid_on == date(2026, 3, 1)  # not one of those marked
    assert audited(db, zoe)[-1] == (
        AuditOperation.UPDATE,
        "Involvement payment at RUG-2603 (offered)",
    )
    assert meetings.unmark_paid(db, meeting_id, [earlier, uuid.uuid4()]) == 1  # ids given only


def test_the_counting_callers_still_get_counts(db: Database, meeting_id: uuid.UUID) -> None:
    _present(db, meeting_id, "Zoë Smith", "Aled Jones")
    assert meetings.offer_payments(db, meeting_id) == 2
    assert meetings.mark_offered_paid(db, meeting_id, date(2026, 3, 12)) == 2


def test_undoing_payments_of_another_meeting_or_none_changes_nothing(
    db: Database, meeting_id: uuid.UUID
) -> None:
    _present(db, meeting_id, "Zoë Smith")
    ids = meetings.offer_payments_ids(db, meeting_id)
    other = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=meetings.get_meeting(db, meeting_id).forum_id,
            meeting_date=date(2026, 4, 14),
        ),
    )
    assert meetings.withdraw_offers(db, other, ids) == 0
    assert meetings.unmark_paid(db, other, ids) == 0
    assert [p.id for p in meetings.get_meeting(db, meeting_id).payments] == ids
