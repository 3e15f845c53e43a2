"""What is heard and what is done: experience items (at a meeting or between meetings, with the
response given) and actions (owner by level, due date, how long they take, whether they close or
are cancelled, their progress updates), numbered later by ``meetings.month_of_place``.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from ..models import Action, ActionUpdate, ExperienceItem
from ..vocab import ActionLevel, ActionStatus, Category, ExperienceKind
from .content import (
    _ACTIONS,
    _CANCEL_REASONS,
    _EXPERIENCE,
    _OWNERS,
    _UPDATE_NOTES,
    THEMES,
    _fill,
    _fill_all,
)
from .state import _Generator, _Place

#: What is heard that often leads to an action.
_ACTIONABLE = (ExperienceKind.CONCERN, ExperienceKind.SUGGESTION, ExperienceKind.IDEA)


def experience(
    gen: _Generator,
    place: _Place,
    meeting_id: uuid.UUID | None,
    day: date,
    service: str,
) -> None:
    rng = gen.rng
    theme = rng.choice(THEMES)
    kind, summary, response = rng.choice(_EXPERIENCE[theme])
    ward = rng.choice(place.wards)
    responded_on: date | None = day + timedelta(days=rng.randint(3, 60))
    if responded_on is not None and (responded_on > gen.today or rng.random() < 0.08):
        responded_on = None
    item_id = gen.add(
        ExperienceItem,
        locality_id=place.id,
        meeting_id=meeting_id,
        received_on=day,
        kind=kind,
        theme=theme,
        service=ward if "{ward}" in summary else service,
        summary=_fill(summary, place, service, ward),
        response=_fill(response, place, service, ward) if responded_on else "",
        responded_on=responded_on,
    )
    place.experience_refs.append((day, item_id, theme))
    if kind in _ACTIONABLE and rng.random() < 0.55:
        title, detail, outcome = rng.choice(_ACTIONS[theme])
        action(
            gen,
            place,
            theme,
            day,
            *_fill_all((title, detail, outcome), place, service, ward),
            meeting_id=meeting_id,
            experience_item_id=item_id,
            service=service,
            ward=ward,
        )


def action(
    gen: _Generator,
    place: _Place,
    theme: str,
    raised: date,
    title: str,
    detail: str,
    outcome: str,
    *,
    service: str,
    ward: str,
    meeting_id: uuid.UUID | None = None,
    experience_item_id: uuid.UUID | None = None,
    standard_check_id: uuid.UUID | None = None,
    level: ActionLevel | None = None,
) -> None:
    rng = gen.rng
    if level is None:
        level = rng.choices(tuple(ActionLevel), weights=(15, 35, 35, 15))[0]
    owner = _fill(rng.choice(_OWNERS[level]), place, service, ward)
    if level == ActionLevel.INDIVIDUAL and rng.random() < 0.5:
        staff = [p for p in place.people if p.category == Category.STAFF]
        if staff:
            owner = rng.choice(staff).name
    span = rng.choice((14, 28, 30, 42, 56, 60, 90, 120))
    if level == ActionLevel.INDIVIDUAL:
        span = min(span, 42)
    due: date | None = raised + timedelta(days=span)
    if rng.random() < 0.03:
        due = None
    # How long it takes against the time allowed: mostly about on time, some late, a few
    # stuck for a long time (the overdue ones a coordinator chases).
    roll = rng.random()
    if roll < 0.005:
        factor = rng.uniform(25, 60)
    elif roll < 0.05:
        factor = rng.uniform(2, 5)
    else:
        factor = rng.uniform(0.4, 1.5)
    closes = raised + timedelta(days=max(3, int(span * factor)))
    closed_on: date | None
    if closes <= gen.today:
        cancelled = rng.random() < 0.08
        status = ActionStatus.CANCELLED if cancelled else ActionStatus.COMPLETED
        closed_on = closes
        outcome = rng.choice(_CANCEL_REASONS) if cancelled else outcome
    else:
        closed_on = None
        outcome = ""
        started = (gen.today - raised).days > 10 and rng.random() < 0.65
        status = ActionStatus.IN_PROGRESS if started else ActionStatus.OPEN
    priority = rng.choice(gen.priorities) if gen.priorities and rng.random() < 0.92 else None
    row_id = gen.add(
        Action,
        reference="",
        locality_id=place.id,
        meeting_id=meeting_id,
        experience_item_id=experience_item_id,
        standard_check_id=standard_check_id,
        title=title,
        detail=detail,
        owner=owner,
        level=level,
        strategic_priority_id=priority,
        raised_on=raised,
        due_on=due,
        status=status,
        closed_on=closed_on,
        outcome=outcome,
    )
    place.month_actions.append(gen.rows[Action][-1])
    place.action_refs.append((raised, row_id, theme))
    # Progress updates between raising and closing (or today).
    until = closed_on or gen.today
    room = (until - raised).days
    if status == ActionStatus.OPEN or room < 6:
        count = 0
    else:
        count = rng.randint(1, 3) if status == ActionStatus.IN_PROGRESS else rng.randint(0, 2)
    days = sorted(rng.randint(3, room - 1) for _ in range(count)) if count else []
    for offset in days:
        note = _fill(rng.choice(_UPDATE_NOTES), place, service, ward)
        gen.add(
            ActionUpdate,
            action_id=row_id,
            written_on=raised + timedelta(days=offset),
            note=note,
        )
    if closed_on is not None:
        gen.add(ActionUpdate, action_id=row_id, written_on=closed_on, note=outcome)
