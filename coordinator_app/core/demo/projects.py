"""Improvement projects, made after the last month: per locality one proposed, one active and
the rest started earlier (completed or still active), each with a lead, participants from the
locality's people and links to earlier actions and experience items of its theme.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from ..models import (
    ActivityParticipant,
    ImprovementProject,
    InvolvementActivity,
    InvolvementPayment,
    PaymentExpense,
    PaymentRate,
    PaymentReceipt,
    ProjectLink,
    ProjectParticipant,
)
from ..rules import Month
from ..vocab import (
    ActivityKind,
    Category,
    ExpenseKind,
    PaymentMethod,
    PaymentStatus,
    ProjectRole,
    ProjectStatus,
    RateUnit,
)
from .content import _PROJECT_OUTCOMES, _PROJECTS, _fill
from .state import _Generator, _Place

#: The demo trust's rate for a day's improvement project work (a Patient Safety Partner day).
PROJECT_DAY_PENCE = 150_00


def improvement_projects(gen: _Generator) -> None:
    rng = gen.rng
    first_day = gen.months[0].first
    gen.add(
        PaymentRate,
        kind=ActivityKind.PROJECT_WORK,
        unit=RateUnit.DAY,
        pence=PROJECT_DAY_PENCE,
        starts_on=first_day,
        cost_code="INV-PW",
    )
    span = (gen.today - first_day).days
    per_place = max(3, len(gen.months) // 18)
    for place in gen.places:
        chosen = rng.sample(_PROJECTS, min(len(_PROJECTS), per_place + rng.randint(0, 1)))
        for number, (title_template, theme) in enumerate(chosen):
            service, ward = rng.choice(place.services), rng.choice(place.wards)
            title = _fill(title_template, place, service, ward)
            started: date | None
            ended: date | None = None
            outcome = ""
            if number == 0:
                status, started = ProjectStatus.PROPOSED, None
            elif number == 1:
                status = ProjectStatus.ACTIVE
                started = gen.today - timedelta(days=rng.randint(30, 120))
            else:
                # The third project always finished (early in the range); later ones vary.
                latest = span // 3 if number == 2 else span - 30
                started = first_day + timedelta(days=rng.randrange(max(1, latest)))
                ended = started + timedelta(days=rng.randint(120, 240 if number == 2 else 540))
                if ended <= gen.today:
                    status = ProjectStatus.COMPLETED
                    outcome = rng.choice(_PROJECT_OUTCOMES)
                else:
                    status, ended = ProjectStatus.ACTIVE, None
            index = _month_index(gen, started or gen.today)
            leads = [
                p.name for p in place.people if p.category == Category.STAFF and p.leaves > index
            ]
            lead = rng.choice(leads) if leads else place.coordinator
            project_id = gen.add(
                ImprovementProject,
                locality_id=place.id,
                title=title,
                service=service,
                lead=lead,
                status=status,
                started_on=started,
                ended_on=ended,
                outcome=outcome,
            )
            people = _project_people(gen, place, project_id, started)
            _project_links(gen, place, project_id, theme, started)
            if started is not None:
                _project_day(gen, place, project_id, started, people)


def _project_people(
    gen: _Generator, place: _Place, project_id: uuid.UUID, started: date | None
) -> list[uuid.UUID]:
    """Add people to the project; returns the service users and carers among them."""
    rng = gen.rng
    index = _month_index(gen, started or gen.today)
    involved = [
        p
        for p in place.people
        if p.category in (Category.SERVICE_USER, Category.CARER, Category.STAFF)
        and p.leaves > index
    ]
    paid: list[uuid.UUID] = []
    for person in rng.sample(involved, min(len(involved), rng.randint(3, 8))):
        role = (
            ProjectRole.ADVISER
            if person.category == Category.STAFF
            else rng.choices(tuple(ProjectRole), weights=(6, 2, 2))[0]
        )
        gen.add(ProjectParticipant, project_id=project_id, participant_id=person.id, role=role)
        if person.category != Category.STAFF:
            paid.append(person.id)
    return paid


def _project_day(
    gen: _Generator,
    place: _Place,
    project_id: uuid.UUID,
    started: date,
    people: list[uuid.UUID],
) -> None:
    """A day's co-design work early in the project (no meeting involved), each service user and
    carer on it paid the day rate with their travel, claimed a day or two later and paid within
    weeks (still waiting when that falls after today)."""
    rng = gen.rng
    day = min(gen.today, started + timedelta(days=rng.randint(7, 28)))
    activity_id = gen.add(
        InvolvementActivity,
        locality_id=place.id,
        kind=ActivityKind.PROJECT_WORK,
        activity_date=day,
        title="Co-design day",
        unit=RateUnit.DAY,
        quantity=1.0,
        project_id=project_id,
        cost_code="INV-PW",
        notes="",
    )
    for person_id in people:
        gen.add(ActivityParticipant, activity_id=activity_id, participant_id=person_id)
        claimed = day + timedelta(days=rng.randint(0, 3))
        paid_on = claimed + timedelta(days=rng.randint(5, 45))
        travel = rng.choice((0, 0, 340, 560, 820))
        payment_id = gen.add(
            InvolvementPayment,
            meeting_id=None,
            activity_id=activity_id,
            participant_id=person_id,
            status=PaymentStatus.PAID if paid_on <= gen.today else PaymentStatus.OFFERED,
            amount_pence=PROJECT_DAY_PENCE,
            expenses_pence=travel,
            paid_on=paid_on if paid_on <= gen.today else None,
            claimed_on=claimed if claimed <= gen.today else None,
            method=PaymentMethod.MONEY,
        )
        if travel:
            gen.add(PaymentExpense, payment_id=payment_id, kind=ExpenseKind.TRAVEL, pence=travel)
            ticket = _ticket(day, travel)
            gen.add(
                PaymentReceipt,
                payment_id=payment_id,
                filename=f"bus-ticket-{day:%Y-%m-%d}.pdf",
                size_bytes=len(ticket),
                content=ticket,
            )


def _ticket(day: date, pence: int) -> bytes:
    """A made-up bus ticket as a (minimal) PDF: the demo's receipt for travel expenses."""
    text = f"Return bus ticket {day:%d/%m/%Y} GBP {pence / 100:.2f}"
    return f"%PDF-1.4\n% Demo receipt: {text}\n%%EOF\n".encode()


def _project_links(
    gen: _Generator, place: _Place, project_id: uuid.UUID, theme: str, started: date | None
) -> None:
    rng = gen.rng
    before = gen.today if started is None else started
    for refs, column in (
        (place.action_refs, "action_id"),
        (place.experience_refs, "experience_item_id"),
    ):
        matching = [ref_id for day, ref_id, t in refs if t == theme and day <= before]
        for ref_id in matching[-rng.randint(1, 2) :]:
            values = {"action_id": None, "experience_item_id": None, column: ref_id}
            gen.add(ProjectLink, project_id=project_id, **values)


def _month_index(gen: _Generator, day: date) -> int:
    target = Month.of(day)
    for index, month in enumerate(gen.months):
        if month == target:
            return index
    return 0 if day < gen.months[0].first else len(gen.months) - 1
