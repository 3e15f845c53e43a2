"""One month of one locality: which forums meet and on what day (references numbered in date
order), each meeting's format, status, attendance, unnamed attendance, involvement payments,
polls and agenda, what was heard and the actions agreed there, and the month's action
references.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from ..models import (
    AgendaItem,
    Attendance,
    InvolvementPayment,
    Meeting,
    Poll,
    PollAnswer,
    UnnamedAttendance,
)
from ..rules import Month
from ..vocab import (
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentMethod,
    PaymentStatus,
)
from .accreditation import assessments
from .actions import action, experience
from .content import _ACTION_CHOICES, _AOB, _POLLS, _TOPICS, _fill, _fill_all
from .people import new_person, refresh_rosters
from .state import _Forum, _Generator, _Person, _Place

#: Ranges (inclusive) of experience items heard and actions agreed at a held meeting, by forum.
_EXPERIENCE_PER_MEETING = {
    "forum": (1, 4),
    "carers": (1, 3),
    "service_users": (1, 3),
    "coproduction": (0, 2),
    "event": (2, 5),
}
_ACTIONS_PER_MEETING = {
    "forum": (4, 7),
    "carers": (2, 5),
    "service_users": (2, 5),
    "coproduction": (1, 4),
    "event": (3, 6),
}

_DAY = timedelta(days=1)

_COVID_FIRST = date(2020, 3, 16)
_COVID_ONLINE = date(2020, 4, 1)
_COVID_LAST = date(2021, 6, 30)


def month_of_place(gen: _Generator, place: _Place, index: int, month: Month) -> None:
    """Month ``index`` of ``place``: its meetings, experience heard between meetings and
    assessments; then the month's actions get their references, in the order raised."""
    rng = gen.rng
    newcomers = refresh_rosters(gen, place, index)
    dated: list[tuple[date, time, str, _Forum]] = []
    for forum in place.forums:
        if index < forum.first or (forum.last is not None and index > forum.last):
            continue
        if forum.group == "event":
            if not _event_this_month(gen, forum, month):
                continue
            day = month.first + timedelta(days=rng.randrange(2, 25))
            while day.weekday() >= 5:  # a weekday, still inside the month
                day += _DAY
        else:
            if month.month in forum.skip:
                continue
            day = _nth_weekday(month, forum.weekday, forum.week)
        dated.append((day, forum.start, forum.name, forum))
    dated.sort(key=lambda item: (item[0], item[1], item[2]))
    stem = f"{place.code}-{month.first:%y%m}"
    for number, (day, _start, _name, forum) in enumerate(dated, start=1):
        reference = stem if number == 1 else f"{stem}-{number}"
        _meeting(gen, place, forum, reference, day, index, set(newcomers))
    for _ in range(rng.randrange(3)):
        day = month.first + timedelta(days=rng.randrange(28))
        if day <= gen.today:
            experience(gen, place, None, day, rng.choice(place.services))
    assessments(gen, place, index, month)
    place.month_actions.sort(key=lambda row: row["raised_on"])
    for row in place.month_actions:
        place.counter += 1
        row["reference"] = f"{place.code}-A{place.counter}"
    place.month_actions = []


def _event_this_month(gen: _Generator, forum: _Forum, month: Month) -> bool:
    rng = gen.rng
    if forum.name.endswith("Workshops"):
        return month.month in (3, 7, 10) and rng.random() < 0.85
    if forum.name.endswith("Open Days"):
        return month.month == 6
    return month.month in (2, 5, 9, 11) and rng.random() < 0.75


def _meeting(
    gen: _Generator,
    place: _Place,
    forum: _Forum,
    reference: str,
    day: date,
    index: int,
    newcomers: set[_Person],
) -> None:
    rng = gen.rng
    fmt, venue = forum.fmt, forum.venue
    if _COVID_ONLINE <= day <= _COVID_LAST:
        fmt, venue = MeetingFormat.ONLINE, "Microsoft Teams"
    elif fmt == MeetingFormat.HYBRID and (day < _COVID_FIRST or rng.random() < 0.4):
        fmt = MeetingFormat.IN_PERSON
    elif fmt == MeetingFormat.IN_PERSON and day > _COVID_LAST and rng.random() < 0.1:
        fmt, venue = MeetingFormat.ONLINE, "Microsoft Teams"
    if day > gen.today:
        status = MeetingStatus.PLANNED
    elif _COVID_FIRST <= day < _COVID_ONLINE or rng.random() < 0.03:
        status = MeetingStatus.CANCELLED
    else:
        status = MeetingStatus.HELD
    notes = ""
    if status == MeetingStatus.CANCELLED:
        reasons = [
            "Cancelled: the venue was unavailable.",
            "Cancelled: too few people were able to come.",
        ]
        if day.month in (12, 1, 2):
            reasons.append("Cancelled because of snow and ice.")
        notes = (
            "Cancelled because of the coronavirus lockdown."
            if _COVID_FIRST <= day < _COVID_ONLINE
            else rng.choice(reasons)
        )
    attendees: list[tuple[_Person, AttendanceStatus]] = []
    if status == MeetingStatus.HELD:
        attendees = _attendance_list(gen, place, forum, index, newcomers)
    present = [p for p, s in attendees if s == AttendanceStatus.PRESENT]
    chair = next(
        (p.name for p in present if p.named and p.category != Category.OTHER),
        place.coordinator,
    )
    meeting_id = gen.add(
        Meeting,
        reference=reference,
        forum_id=forum.id,
        meeting_date=day,
        start_time=forum.start,
        end_time=forum.end,
        venue=venue,
        format=fmt,
        status=status,
        chair=chair if status == MeetingStatus.HELD else "",
        minute_taker=place.coordinator if status == MeetingStatus.HELD else "",
        notes=notes,
    )
    ward, service = rng.choice(place.wards), rng.choice(place.services)
    _agenda(gen, place, forum, meeting_id, status, attendees, ward, service)
    if status != MeetingStatus.HELD:
        return
    for person, att_status in attendees:
        gen.add(Attendance, meeting_id=meeting_id, participant_id=person.id, status=att_status)
    unnamed_total = _unnamed(gen, forum, meeting_id)
    _payments(gen, meeting_id, day, present)
    if forum.group == "event" or (forum.kind == ForumKind.LOCALITY_FORUM and rng.random() < 0.1):
        _polls(gen, meeting_id, len(present) + unnamed_total)
    low, high = _EXPERIENCE_PER_MEETING[forum.group]
    for _ in range(rng.randint(low, high)):
        experience(gen, place, meeting_id, day, rng.choice(place.services))
    low, high = _ACTIONS_PER_MEETING[forum.group]
    for theme, (title, detail, outcome) in rng.sample(_ACTION_CHOICES, rng.randint(low, high)):
        action(
            gen,
            place,
            theme,
            day,
            *_fill_all((title, detail, outcome), place, service, ward),
            meeting_id=meeting_id,
            service=service,
            ward=ward,
        )


def _attendance_list(
    gen: _Generator, place: _Place, forum: _Forum, index: int, newcomers: set[_Person]
) -> list[tuple[_Person, AttendanceStatus]]:
    rng = gen.rng
    result: list[tuple[_Person, AttendanceStatus]] = []
    if forum.group == "event":
        current = [p for p in place.people if p.leaves > index]
        size = min(len(current), rng.randint(12, 30))
        for person in rng.sample(current, size):
            result.append((person, AttendanceStatus.PRESENT))
        for _ in range(rng.randint(2, 6)):
            category = rng.choice((Category.SERVICE_USER, Category.CARER, Category.OTHER))
            person = new_person(gen, place, category, index, one_off=rng.random() < 0.7)
            result.append((person, AttendanceStatus.PRESENT))
        return result
    for person in forum.roster:
        roll = rng.random()
        if person in newcomers or roll < person.propensity:
            status = AttendanceStatus.PRESENT
        elif rng.random() < 0.6:
            status = AttendanceStatus.APOLOGIES
        else:
            status = AttendanceStatus.ABSENT
        result.append((person, status))
    return result


def _unnamed(gen: _Generator, forum: _Forum, meeting_id: uuid.UUID) -> int:
    rng = gen.rng
    event = forum.group == "event"
    if rng.random() > (0.9 if event else 0.3):
        return 0
    categories = [Category.SERVICE_USER, Category.CARER, Category.OTHER, Category.PARTNER]
    total = 0
    for category in rng.sample(categories, rng.randint(1, 3 if event else 2)):
        count = rng.randint(2, 12) if event else rng.randint(1, 3)
        gen.add(UnnamedAttendance, meeting_id=meeting_id, category=category, count=count)
        total += count
    return total


def _payments(gen: _Generator, meeting_id: uuid.UUID, day: date, present: list[_Person]) -> None:
    rng = gen.rng
    for person in present:
        if person.category not in (Category.SERVICE_USER, Category.CARER):
            continue
        declines = person.pay == "declines" or (person.pay == "mixed" and rng.random() < 0.5)
        expenses = 0
        if person.travels:
            expenses = rng.choice((250, 340, 480, 600, 820, 1250))
            if rng.random() < 0.05:
                expenses += 2400  # care cover
        paid_on = day + timedelta(days=rng.randint(10, 35))
        if declines:
            status, paid_on_value, expenses = PaymentStatus.DECLINED, None, 0
        elif paid_on <= gen.today:
            status, paid_on_value = PaymentStatus.PAID, paid_on
        else:
            status, paid_on_value = PaymentStatus.OFFERED, None
        gen.add(
            InvolvementPayment,
            meeting_id=meeting_id,
            participant_id=person.id,
            status=status,
            amount_pence=gen.rate,
            expenses_pence=expenses,
            paid_on=paid_on_value,
            activity_id=None,
            # Claimed on the sign-in sheet on the day (a declined offer is never claimed).
            claimed_on=None if declines else day,
            method=PaymentMethod.MONEY,
        )


def _polls(gen: _Generator, meeting_id: uuid.UUID, people: int) -> None:
    rng = gen.rng
    people = max(people, 8)
    for position, (question, answers) in enumerate(rng.sample(_POLLS, rng.randint(1, 2))):
        poll_id = gen.add(Poll, meeting_id=meeting_id, position=position, question=question)
        remaining = people - rng.randrange(max(1, people // 5))
        weights = [rng.random() + 0.2 for _ in answers]
        scale = sum(weights)
        counts = [int(remaining * w / scale) for w in weights]
        for answer_position, (answer, count) in enumerate(zip(answers, counts, strict=True)):
            gen.add(
                PollAnswer,
                poll_id=poll_id,
                position=answer_position,
                answer=answer,
                count=count,
            )


def _agenda(
    gen: _Generator,
    place: _Place,
    forum: _Forum,
    meeting_id: uuid.UUID,
    status: MeetingStatus,
    attendees: list[tuple[_Person, AttendanceStatus]],
    ward: str,
    service: str,
) -> None:
    rng = gen.rng
    if status == MeetingStatus.CANCELLED:
        return
    held = status == MeetingStatus.HELD
    apologies = sum(1 for _p, s in attendees if s == AttendanceStatus.APOLOGIES)
    items: list[tuple[str, str, str]] = [
        (
            "Welcome, introductions and apologies",
            # No headcount here: the minutes' Present section gives it, true to its list.
            (
                "The chair welcomed everyone and noted the apologies."
                if apologies
                else "The chair welcomed everyone; there were no apologies."
            )
            if held
            else "",
            "",
        )
    ]
    if forum.group != "event":
        items.append(
            (
                "Notes of the last meeting and matters arising",
                "Open actions were reviewed with their latest progress." if held else "",
                "The notes were agreed as a true record." if held else "",
            )
        )
    topics = rng.sample(_TOPICS[forum.group], 2 if forum.group != "event" else 3)
    for title, discussion, decisions in topics:
        items.append(
            (
                _fill(title, place, service, ward),
                _fill(discussion, place, service, ward) if held else "",
                _fill(decisions, place, service, ward) if held else "",
            )
        )
    items.append(("Any other business", rng.choice(_AOB) if held else "", ""))
    for position, (title, discussion, decisions) in enumerate(items, start=1):
        gen.add(
            AgendaItem,
            meeting_id=meeting_id,
            position=position,
            title=title,
            discussion=discussion,
            decisions=decisions,
        )


def _nth_weekday(month: Month, weekday: int, nth: int) -> date:
    """The ``nth`` (1-4) ``weekday`` (0 = Monday) of ``month``."""
    first = month.first
    shift = (weekday - first.weekday()) % 7
    return first + timedelta(days=shift + 7 * (nth - 1))
