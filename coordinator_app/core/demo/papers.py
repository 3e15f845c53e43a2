"""Papers out in the demo (issue #29): the staff list (staff who own actions), postal addresses
for people who agreed to be contacted but have no e-mail, a few forum members added or taken
off by hand, the agenda and minutes sent for past meetings, and in each locality two forum
members who get their papers by letter (``_by_letter``).

A phase of its own after every other, with its own random numbers (``random.Random`` seeded
from the demo's seed), so the data of the earlier phases is what it was before it existed.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, select

from .. import schema
from ..vocab import AttendanceStatus, Category, MeetingStatus, PapersKind
from .state import _Generator

STREETS = ("Station Road", "Church Lane", "Park Avenue", "Mill Street", "Victoria Terrace")


#: In each locality, how many forum members get their papers by letter.
BY_LETTER = 2


def _address(rng: random.Random) -> str:
    return (
        f"{rng.randint(1, 120)} {rng.choice(STREETS)}\nCV{rng.randint(1, 47)} {rng.randint(1, 9)}AB"
    )


def _by_letter(gen: _Generator, seed: int) -> None:
    """In each locality, ``BY_LETTER`` service users or carers who agreed to be contacted, are
    active and attended a forum in the last 12 months (so are its members, docs/glossary.md
    "Member") have a postal address and no e-mail: the letter journey is there to see (every
    consenting person had an e-mail). Random numbers of its own, drawn after every other, and
    only contact details change, so every count of the demo stays as it was."""
    rng = random.Random(f"letters-{seed}")
    p, a, m, f = schema.participants, schema.attendances, schema.meetings, schema.forums
    taken_off = select(schema.forum_members.c.participant_id).where(
        schema.forum_members.c.member.is_(False)
    )
    loc = schema.localities
    rows = gen.session.execute(
        select(p.c.id, loc.c.name)
        .join(loc, loc.c.id == p.c.locality_id)
        .where(
            p.c.consent_to_contact.is_(True),
            p.c.active.is_(True),
            p.c.anonymised_at.is_(None),
            p.c.category.in_([Category.SERVICE_USER, Category.CARER]),
            p.c.id.not_in(taken_off),
            p.c.id.in_(
                select(a.c.participant_id)
                .join(m, m.c.id == a.c.meeting_id)
                .join(f, f.c.id == m.c.forum_id)
                .where(
                    a.c.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES]),
                    m.c.meeting_date > gen.today - timedelta(days=365),
                    m.c.meeting_date <= gen.today,
                )
            ),
        )
        .order_by(func.lower(p.c.name), p.c.name)
    ).all()
    by_place: dict[str, list[uuid.UUID]] = {}
    for pid, place in rows:
        by_place.setdefault(place, []).append(pid)
    chosen = [
        {"pid": pid, "address": _address(rng)}
        for place in sorted(by_place)
        for pid in rng.sample(by_place[place], min(BY_LETTER, len(by_place[place])))
    ]
    if chosen:
        gen.session.execute(
            p.update()
            .where(p.c.id == bindparam("pid"))
            .values(email="", postal_address=bindparam("address")),
            chosen,
        )


def papers_out(gen: _Generator, seed: int) -> None:
    rng = random.Random(f"papers-{seed}")
    session = gen.session
    p, a, m, f = schema.participants, schema.actions, schema.meetings, schema.forums
    now = gen.now

    def stamped(**values: Any) -> dict[str, Any]:
        return {"id": uuid.uuid4(), "created_at": now, "updated_at": now, **values}

    # The staff list: staff who own actions, with their work e-mail.
    owners = set(session.scalars(select(a.c.owner).distinct()))
    staff_rows = session.execute(
        select(p.c.name, p.c.email).where(p.c.category == Category.STAFF, p.c.name.in_(owners))
    ).all()
    if staff_rows:
        session.execute(
            insert(schema.staff),
            [
                stamped(
                    name=name,
                    email=email or f"{'.'.join(name.lower().split()[-2:])}@nhs.example",
                    active=True,
                )
                for name, email in sorted(set(staff_rows))
            ],
        )
        # Their actions are theirs by id too (as the action editor keeps them: core/staff.py).
        s = schema.staff
        session.execute(
            a.update()
            .where(a.c.owner != "")
            .values(owner_staff_id=select(s.c.id).where(s.c.name == a.c.owner).scalar_subquery())
        )

    # Postal addresses for those who consented but have no e-mail.
    posted = session.execute(
        select(p.c.id).where(p.c.consent_to_contact.is_(True), p.c.email == "")
    ).scalars()
    addresses = [{"pid": pid, "address": _address(rng)} for pid in posted.all()]
    if addresses:
        session.execute(
            p.update()
            .where(p.c.id == bindparam("pid"))
            .values(postal_address=bindparam("address")),
            addresses,
        )

    # A forum member added by hand and one taken off, in some forums.
    forums = session.execute(select(f.c.id, f.c.locality_id).order_by(f.c.id)).all()
    for forum_id, locality_id in forums[::3]:
        regular = session.execute(
            select(schema.attendances.c.participant_id)
            .join(m, m.c.id == schema.attendances.c.meeting_id)
            .where(
                m.c.forum_id == forum_id, schema.attendances.c.status == AttendanceStatus.PRESENT
            )
            .order_by(schema.attendances.c.participant_id)
            .limit(1)
        ).scalar()
        newcomer = session.execute(
            select(p.c.id)
            .where(p.c.locality_id == locality_id, p.c.consent_to_contact.is_(True))
            .order_by(func.lower(p.c.name))
            .limit(1)
        ).scalar()
        rows = []
        if newcomer is not None:
            rows.append(stamped(forum_id=forum_id, participant_id=newcomer, member=True))
        if regular is not None and regular != newcomer:
            rows.append(stamped(forum_id=forum_id, participant_id=regular, member=False))
        if rows:
            session.execute(insert(schema.forum_members), rows)

    # The agenda a week before each held meeting, the minutes ten days after (when past).
    held = session.execute(
        select(m.c.id, m.c.meeting_date).where(
            m.c.status == MeetingStatus.HELD, m.c.meeting_date <= gen.today
        )
    ).all()
    sent = []
    for meeting_id, day in held:
        for kind, offset in ((PapersKind.AGENDA, -7), (PapersKind.MINUTES, 10)):
            when = day + timedelta(days=offset)
            if when > gen.today or rng.random() < 0.1:  # some went unrecorded
                continue
            sent.append(
                stamped(
                    meeting_id=meeting_id,
                    kind=kind,
                    sent_at=datetime.combine(when, time(9, rng.randint(0, 59)), tzinfo=UTC),
                    emails=rng.randint(4, 18),
                    letters=rng.randint(0, 3),
                    not_sent=rng.randint(0, 4),
                    sent_by="",
                )
            )
    for start in range(0, len(sent), 5000):
        session.execute(insert(schema.papers_sent), sent[start : start + 5000])
    _by_letter(gen, seed)
    # Who each went to: the meeting's attendees who agreed to be contacted, by e-mail when they
    # have an address (no random numbers: the data above stays as it was).
    att = schema.attendances
    reachable: dict[uuid.UUID, list[tuple[uuid.UUID, bool]]] = {}
    for meeting_id, pid, email in session.execute(
        select(att.c.meeting_id, p.c.id, p.c.email)
        .join(p, p.c.id == att.c.participant_id)
        .where(att.c.status == AttendanceStatus.PRESENT, p.c.consent_to_contact.is_(True))
        .order_by(att.c.meeting_id, p.c.id)
    ):
        reachable.setdefault(meeting_id, []).append((pid, bool(email)))
    recipients = [
        stamped(sending_id=row["id"], participant_id=pid, by_email=by_email)
        for row in sent
        for pid, by_email in reachable.get(row["meeting_id"], [])
    ]
    for start in range(0, len(recipients), 5000):
        session.execute(insert(schema.papers_recipients), recipients[start : start + 5000])
