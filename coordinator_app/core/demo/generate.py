"""The entry point: ``generate_demo`` checks the database is empty (or clears it), then runs the
phases in order (set-up, the months year by year, improvement projects, the final action
counters and the audit entry) and returns the counts as a ``DemoSummary``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db import Database
from ..errors import CoordinatorError
from ..models import (
    Action,
    ActionUpdate,
    Assessment,
    Attendance,
    Base,
    ExperienceItem,
    Forum,
    ImprovementProject,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Poll,
    StandardCheck,
)
from ..vocab import AuditOperation
from .meetings import month_of_place
from .monitoring import equality_monitoring
from .papers import papers_out
from .places import framework, settings_and_places
from .projects import improvement_projects
from .state import Progress, _Generator, _Plan

SIZES = ("small", "large")

NOT_EMPTY_MESSAGE = (
    "This database already holds records; demo data is only put into an empty database "
    "(use --force to replace everything in it)."
)


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo put into the database."""

    localities: int
    forums: int
    participants: int
    meetings: int
    attendances: int
    actions: int
    action_updates: int
    experience_items: int
    payments: int
    assessments: int
    standard_checks: int
    polls: int
    projects: int


_PLANS = {
    "small": _Plan(localities=4, months=24, roster_scale=0.6),
    "large": _Plan(localities=8, months=120, roster_scale=1.2),
}


def generate_demo(
    db: Database,
    *,
    size: str = "small",
    seed: int = 1,
    today: date | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill the database with demo data of ``size`` ("small" or "large") and return the counts.

    Refuses (``CoordinatorError``, nothing changed) when the database already holds any locality,
    participant, meeting or action, unless ``force`` is true: then EVERYTHING in every table is
    deleted first, in the same transaction as the generation. ``today`` (default: the real date)
    is where the data ends: meetings after it are planned, nothing is closed, paid or submitted
    after it. ``progress`` is called with short phase descriptions.
    """
    plan = _PLANS.get(size)
    if plan is None:
        raise CoordinatorError(f"'{size}' is not a demo size; choose small or large.")
    report: Progress = progress or (lambda _text: None)
    with db.transaction() as session:
        if _holds_records(session):
            if not force:
                raise CoordinatorError(NOT_EMPTY_MESSAGE)
            report("Clearing the database")
            _clear_everything(session)
        gen = _Generator(session, random.Random(seed), plan, today or date.today(), report)
        summary = _run(gen, seed)
        report("Saving")
    return summary


def _holds_records(session: Session) -> bool:
    return any(
        session.scalar(select(model.id).limit(1)) is not None
        for model in (Locality, Participant, Meeting, Action)
    )


def _clear_everything(session: Session) -> None:
    """Delete every row of every table of the app (children first); alembic_version stays."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())


def _run(gen: _Generator, seed: int) -> DemoSummary:
    """Every phase in order: this order is the order of the random draws."""
    gen.report("Settings, localities and forums")
    settings_and_places(gen)
    gen.report("Standards framework")
    framework(gen)
    gen.write()
    year = None
    for index, month in enumerate(gen.months):
        if month.year != year:
            if year is not None:
                gen.write()
            year = month.year
            gen.report(f"Meetings {year}")
        for place in gen.places:
            month_of_place(gen, place, index, month)
    gen.write()
    gen.report("Improvement projects")
    improvement_projects(gen)
    gen.write()
    gen.report("Papers sent")
    papers_out(gen, seed)
    gen.report("Equality monitoring")
    equality_monitoring(gen)  # last: every earlier random draw stays as it was
    for place in gen.places:
        locality = gen.session.get(Locality, place.id)
        assert locality is not None
        locality.action_counter = place.counter
    audit.record(
        gen.session,
        AuditOperation.CREATE,
        "demo",
        None,
        f"Demo data generated ({gen.plan.localities} localities, "
        f"{len(gen.months)} months up to {gen.months[-1]}).",
    )
    c = gen.counts
    return DemoSummary(
        localities=len(gen.places),
        forums=c[Forum],
        participants=c[Participant],
        meetings=c[Meeting],
        attendances=c[Attendance],
        actions=c[Action],
        action_updates=c[ActionUpdate],
        experience_items=c[ExperienceItem],
        payments=c[InvolvementPayment],
        assessments=c[Assessment],
        standard_checks=c[StandardCheck],
        polls=c[Poll],
        projects=c[ImprovementProject],
    )
