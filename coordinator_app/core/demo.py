"""Realistic generated demo data: a fictional trust, its localities, forums, people and years of
meetings, experience, actions, payments, polls, improvement projects and accreditation.

``generate_demo`` fills an EMPTY database (or, with ``force=True``, first deletes everything in
it) inside ONE transaction, so the database ends up either untouched or holding the whole demo:
demo rows are never mixed with real records.

Determinism: every choice comes from one ``random.Random(seed)``, so a given (size, seed, today)
gives the same names, dates, counts and texts on every run; only the UUIDs and the created/updated
timestamps differ. The pitfall when changing this module: never iterate over a ``set`` (string
hashing is randomised per process) and never let UUIDs decide an order.

Speed: rows are built as plain dicts and written with a bulk INSERT of each model's table
(``session.execute(insert(Model.__table__), rows)``, one executemany per table) a year at a time;
``id``, ``created_at``, ``updated_at`` and ``row_version`` are supplied here, not left to per-row
defaults. Meeting references (``CODE-YYMM``, ``CODE-YYMM-2`` ... per locality and month, in date
order) and action references (``CODE-A<n>``, in order raised) follow ``references.py`` but are
numbered in memory; ``Locality.action_counter`` ends equal to the highest action number used.
"""

from __future__ import annotations

import json
import random
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import audit
from .db import Database
from .errors import CoordinatorError
from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Assessment,
    Attendance,
    Base,
    EvidenceFile,
    ExperienceItem,
    Forum,
    ImprovementProject,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    Poll,
    PollAnswer,
    ProjectLink,
    ProjectParticipant,
    Standard,
    StandardCheck,
    StrategicPriority,
    UnnamedAttendance,
)
from .resources import resource_path
from .rules import Month
from .settings import ensure_default_priorities, ensure_locality, settings_row
from .standards import load_default_framework
from .vocab import (
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    AssessmentKind,
    AssessmentStatus,
    AttendanceStatus,
    AuditOperation,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
    PaymentStatus,
    ProjectRole,
    ProjectStatus,
    Rating,
)

SIZES = ("small", "large")

TRUST_NAME = "Arden Valley Partnership NHS Foundation Trust"
COORDINATOR_NAME = "Siân O'Neill"
DEFAULT_PAYMENT_PENCE = 2000

NOT_EMPTY_MESSAGE = (
    "This database already holds records; demo data is only put into an empty database "
    "(use --force to replace everything in it)."
)

Progress = Callable[[str], None]


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


@dataclass(frozen=True)
class _Plan:
    localities: int
    months: int
    #: Scales the forums' membership (and so attendances and payments).
    roster_scale: float


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
        generator = _Generator(session, random.Random(seed), plan, today or date.today(), report)
        summary = generator.run()
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


# --- Content ---------------------------------------------------------------------------------


def _load_texts() -> dict[str, Any]:
    """The made-up text of the demo (``resources/demo/texts.json``), lists made tuples and the
    fixed-list words made the app's own (an action level, an experience kind)."""

    def frozen(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(frozen(v) for v in value)
        if isinstance(value, dict):
            return {k: frozen(v) for k, v in value.items()}
        return value

    raw = json.loads(resource_path("demo", "texts.json").read_text(encoding="utf-8"))
    return {key: frozen(value) for key, value in raw.items()}


_TEXTS = _load_texts()
#: name, coordinator, venues, wards
_LOCALITIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = _TEXTS["localities"]
_SERVICES: tuple[str, ...] = _TEXTS["services"]
_FIRST_NAMES: tuple[str, ...] = _TEXTS["first_names"]
_SURNAMES: tuple[str, ...] = _TEXTS["surnames"]
_REP_ORGANISATIONS: tuple[str, ...] = _TEXTS["rep_organisations"]
_PARTNER_ORGANISATIONS: tuple[str, ...] = _TEXTS["partner_organisations"]
_STAFF_ROLES: tuple[str, ...] = _TEXTS["staff_roles"]
_OTHER_ROLES: tuple[str, ...] = _TEXTS["other_roles"]
#: who owns an action, by its level ({service}, {ward}, {locality}, {coordinator} filled in)
_OWNERS: dict[ActionLevel, tuple[str, ...]] = {
    ActionLevel(level): owners for level, owners in _TEXTS["owners"].items()
}
#: theme -> (kind, summary, response) heard at forums; {service}/{ward}/{locality} filled in.
_EXPERIENCE: dict[str, tuple[tuple[ExperienceKind, str, str], ...]] = {
    theme: tuple((ExperienceKind(kind), summary, response) for kind, summary, response in items)
    for theme, items in _TEXTS["experience"].items()
}
THEMES = tuple(_EXPERIENCE)
#: What is heard that often leads to an action.
_ACTIONABLE = (ExperienceKind.CONCERN, ExperienceKind.SUGGESTION, ExperienceKind.IDEA)
#: theme -> (title, detail, outcome) of actions agreed.
_ACTIONS: dict[str, tuple[tuple[str, str, str], ...]] = _TEXTS["actions"]
_ACTION_CHOICES = tuple((theme, template) for theme in THEMES for template in _ACTIONS[theme])
_CANCEL_REASONS: tuple[str, ...] = _TEXTS["cancel_reasons"]
_UPDATE_NOTES: tuple[str, ...] = _TEXTS["update_notes"]
#: forum kind -> agenda items (title, discussion, decisions)
_TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = _TEXTS["topics"]
_AOB: tuple[str, ...] = _TEXTS["aob"]
_POLLS: tuple[tuple[str, tuple[str, ...]], ...] = _TEXTS["polls"]
#: title, theme
_PROJECTS: tuple[tuple[str, str], ...] = _TEXTS["projects"]
_PROJECT_OUTCOMES: tuple[str, ...] = _TEXTS["project_outcomes"]
_EVIDENCE: tuple[str, ...] = _TEXTS["evidence"]
_GAP_NOTES: tuple[str, ...] = _TEXTS["gap_notes"]

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
#: Categories whose people often sit on several forums of their locality.
_SHARED_CATEGORIES = (Category.STAFF, Category.REPRESENTATIVE, Category.PARTNER)

_DAY = timedelta(days=1)


# --- Generation -------------------------------------------------------------------------------


@dataclass(eq=False)
class _Person:
    id: uuid.UUID
    name: str
    category: Category
    #: Month index from which the person is no longer involved (may lie beyond the range).
    leaves: int
    #: How likely the person is to come to a meeting of a forum they belong to.
    propensity: float
    #: "paid", "declines" or "mixed": how the person takes involvement payments.
    pay: str
    named: bool
    travels: bool


@dataclass(eq=False)
class _Forum:
    id: uuid.UUID
    name: str
    kind: ForumKind
    group: str
    venue: str
    fmt: MeetingFormat
    weekday: int
    week: int
    start: time
    end: time
    first: int
    last: int | None
    skip: tuple[int, ...]
    targets: tuple[tuple[Category, int], ...]
    roster: list[_Person] = field(default_factory=list)


@dataclass(eq=False)
class _Place:
    index: int
    id: uuid.UUID
    name: str
    code: str
    coordinator: str
    venues: tuple[str, ...]
    wards: tuple[str, ...]
    services: tuple[str, ...]
    forums: list[_Forum] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)
    counter: int = 0
    month_actions: list[dict[str, Any]] = field(default_factory=list)
    #: (raised_on, id, theme) and (received_on, id, theme) kept for project links.
    action_refs: list[tuple[date, uuid.UUID, str]] = field(default_factory=list)
    experience_refs: list[tuple[date, uuid.UUID, str]] = field(default_factory=list)


_INSERT_ORDER: tuple[type[Base], ...] = (
    Forum,
    Participant,
    Meeting,
    AgendaItem,
    Attendance,
    UnnamedAttendance,
    InvolvementPayment,
    Poll,
    PollAnswer,
    ExperienceItem,
    Assessment,
    StandardCheck,
    EvidenceFile,
    Action,
    ActionUpdate,
    ImprovementProject,
    ProjectParticipant,
    ProjectLink,
)

_COVID_FIRST = date(2020, 3, 16)
_COVID_ONLINE = date(2020, 4, 1)
_COVID_LAST = date(2021, 6, 30)


class _Generator:
    """Builds the demo a month at a time and writes it a year at a time."""

    def __init__(
        self, session: Session, rng: random.Random, plan: _Plan, today: date, report: Progress
    ) -> None:
        self.session = session
        self.rng = rng
        self.plan = plan
        self.today = today
        self.report = report
        self.now = datetime.now(UTC)
        self.rows: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in _INSERT_ORDER}
        self.counts: dict[type[Base], int] = {m: 0 for m in _INSERT_ORDER}
        # Up to next month, so that Home always has planned meetings to show.
        last = Month.of(today).following()
        months = [last]
        while len(months) < plan.months:
            months.append(months[-1].previous())
        self.months: list[Month] = months[::-1]
        self.names_used: set[str] = set()
        self.places: list[_Place] = []
        self.priorities: list[uuid.UUID] = []
        self.standards: list[tuple[uuid.UUID, str, str, int]] = []
        self.framework_id: uuid.UUID | None = None
        self.rate = DEFAULT_PAYMENT_PENCE

    # -- plumbing ---------------------------------------------------------------------------

    def add(self, model: type[Base], **values: Any) -> uuid.UUID:
        row_id = uuid.uuid4()
        values["id"] = row_id
        values["created_at"] = self.now
        values["updated_at"] = self.now
        values["row_version"] = 1
        self.rows[model].append(values)
        self.counts[model] += 1
        return row_id

    def write(self) -> None:
        """Insert everything gathered so far, parents before children."""
        for model in _INSERT_ORDER:
            rows = self.rows[model]
            if rows:
                # Core INSERT of the table: one executemany per table. (The ORM's bulk insert
                # splits rows into runs by which values are None: thousands of statements.)
                self.session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
                self.rows[model] = []

    # -- the whole run ----------------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.report("Settings, localities and forums")
        self._settings_and_places()
        self.report("Standards framework")
        self._framework()
        self.write()
        year = None
        for index, month in enumerate(self.months):
            if month.year != year:
                if year is not None:
                    self.write()
                year = month.year
                self.report(f"Meetings {year}")
            for place in self.places:
                self._month(place, index, month)
        self.write()
        self.report("Improvement projects")
        self._projects()
        self.write()
        for place in self.places:
            locality = self.session.get(Locality, place.id)
            assert locality is not None
            locality.action_counter = place.counter
        audit.record(
            self.session,
            AuditOperation.CREATE,
            "demo",
            None,
            f"Demo data generated ({self.plan.localities} localities, "
            f"{len(self.months)} months up to {self.months[-1]}).",
        )
        c = self.counts
        return DemoSummary(
            localities=len(self.places),
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

    # -- set-up -----------------------------------------------------------------------------

    def _settings_and_places(self) -> None:
        session = self.session
        settings = settings_row(session)
        settings.trust_name = TRUST_NAME
        settings.coordinator_name = COORDINATOR_NAME
        settings.default_payment_pence = DEFAULT_PAYMENT_PENCE
        settings.set_up = True
        ensure_default_priorities(session)
        session.flush()
        self.priorities = list(
            session.scalars(
                select(StrategicPriority.id)
                .where(StrategicPriority.retired.is_(False))
                .order_by(StrategicPriority.position, StrategicPriority.name)
            )
        )
        for index, (name, coordinator, venues, wards) in enumerate(
            _LOCALITIES[: self.plan.localities]
        ):
            locality_id = ensure_locality(session, name, coordinated=index == 0)
            locality = session.get(Locality, locality_id)
            assert locality is not None
            services = tuple(self.rng.sample(_SERVICES, 6))
            place = _Place(
                index, locality_id, name, locality.code, coordinator, venues, wards, services
            )
            self.places.append(place)
            self._forums(place)

    def _forums(self, place: _Place) -> None:
        rng, n = self.rng, len(self.months)
        scale = self.plan.roster_scale
        su, carer, rep, staff, partner, other = (
            Category.SERVICE_USER,
            Category.CARER,
            Category.REPRESENTATIVE,
            Category.STAFF,
            Category.PARTNER,
            Category.OTHER,
        )
        specs: list[tuple[Any, ...]] = [
            # name, kind, group, venue, format, time, first, last, skip months, targets
            (
                f"{place.name} Locality Forum",
                ForumKind.LOCALITY_FORUM,
                "forum",
                place.venues[0],
                MeetingFormat.HYBRID,
                rng.choice((time(10, 0), time(13, 30))),
                0,
                None,
                (8,),
                ((su, 10), (carer, 6), (rep, 4), (staff, 5), (partner, 3), (other, 2)),
            ),
            (
                f"{place.name} Carers Forum",
                ForumKind.CARERS_FORUM,
                "carers",
                place.venues[2],
                MeetingFormat.IN_PERSON,
                rng.choice((time(18, 0), time(10, 30))),
                0,
                None,
                (8, 12),
                ((carer, 18), (staff, 3), (rep, 2)),
            ),
            (
                f"{place.name} Service User Group",
                ForumKind.SERVICE_USER_GROUP,
                "service_users",
                place.venues[1],
                MeetingFormat.IN_PERSON,
                time(13, 0),
                0,
                None,
                (),
                ((su, 16), (staff, 3), (rep, 1)),
            ),
        ]
        if place.index % 4 != 3:
            specs.append(
                (
                    f"{place.name} Co-production Group",
                    ForumKind.CO_PRODUCTION_GROUP,
                    "coproduction",
                    place.venues[1],
                    MeetingFormat.IN_PERSON,
                    time(14, 0),
                    rng.randrange(max(1, n // 4)),
                    None,
                    (),
                    ((su, 6), (carer, 5), (staff, 5)),
                )
            )
        if place.index == 1:
            specs.append(
                (
                    f"{place.name} Peer Support Café",
                    ForumKind.OTHER,
                    "service_users",
                    place.venues[2],
                    MeetingFormat.IN_PERSON,
                    time(10, 0),
                    n // 8,
                    n // 2,
                    (),
                    ((su, 10), (carer, 3), (other, 2), (rep, 1)),
                )
            )
        for name in ("Co-production Workshops", "Open Days", "15 Steps Visits"):
            venue = place.wards[0] if name.startswith("15") else place.venues[0]
            specs.append(
                (
                    f"{place.name} {name}",
                    ForumKind.EVENT,
                    "event",
                    venue,
                    MeetingFormat.IN_PERSON,
                    time(10, 0),
                    0,
                    None,
                    (),
                    (),
                )
            )
        for name, kind, group, venue, fmt, start, first, last, skip, targets in specs:
            minutes = 300 if group == "event" else 90 if start.hour >= 18 else 120
            end = (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()
            forum_id = self.add(
                Forum,
                locality_id=place.id,
                name=name,
                kind=kind,
                default_venue=venue,
                default_format=fmt,
                active=last is None,
            )
            scaled = tuple((c, max(1, round(t * scale))) for c, t in targets)
            weekday, week = rng.randrange(4), rng.randrange(1, 5)
            place.forums.append(
                _Forum(
                    forum_id,
                    name,
                    kind,
                    group,
                    venue,
                    fmt,
                    weekday,
                    week,
                    start,
                    end,
                    first,
                    last,
                    skip,
                    scaled,
                )
            )

    def _framework(self) -> None:
        self.framework_id = load_default_framework(self.session)
        self.session.flush()
        self.standards = [
            (row.id, row.code, row.title, row.criticality)
            for row in self.session.execute(
                select(Standard.id, Standard.code, Standard.title, Standard.criticality)
                .where(Standard.framework_id == self.framework_id)
                .order_by(Standard.position, Standard.code)
            )
        ]

    # -- people -----------------------------------------------------------------------------

    def _name(self, category: Category) -> str:
        rng = self.rng
        for _attempt in range(50):
            name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
            if category == Category.STAFF and rng.random() < 0.12:
                name = f"Dr {name}"
            if name not in self.names_used:
                break
        else:
            name = f"{rng.choice(_FIRST_NAMES)} {chr(65 + rng.randrange(26))}. {name}"
        self.names_used.add(name)
        return name

    def _person(
        self,
        place: _Place,
        category: Category,
        month_index: int,
        *,
        one_off: bool = False,
        organisation: str = "",
    ) -> _Person:
        """A new participant joining in month ``month_index`` (``one_off``: came once)."""
        rng = self.rng
        name = self._name(category)
        mean = {
            Category.SERVICE_USER: 40,
            Category.CARER: 44,
            Category.REPRESENTATIVE: 50,
            Category.STAFF: 60,
            Category.PARTNER: 50,
            Category.OTHER: 14,
        }[category]
        tenure = 1 + int(rng.expovariate(1 / mean))
        starting = month_index == 0
        joined_month = self.months[0] if starting else self.months[month_index]
        joined = joined_month.first - timedelta(days=rng.randrange(30, 900) if starting else 0)
        joined = min(joined + timedelta(days=rng.randrange(20)), self.today)
        protected = category in (Category.SERVICE_USER, Category.CARER)
        consent = rng.random() < (0.7 if protected else 0.95)
        named = rng.random() < 0.55 if protected else True
        notes = ""
        service = rng.choice(place.services)
        ward = rng.choice(place.wards)
        if category == Category.REPRESENTATIVE:
            organisation = organisation or rng.choice(_REP_ORGANISATIONS)
        elif category == Category.PARTNER:
            organisation = rng.choice(_PARTNER_ORGANISATIONS)
        elif category == Category.STAFF:
            organisation = TRUST_NAME
            notes = rng.choice(_STAFF_ROLES).format(service=service, ward=ward)
        elif category == Category.OTHER:
            notes = rng.choice(_OTHER_ROLES)
        email = phone = ""
        if consent:
            handle = _email_handle(name)
            domain = "ardenvalley-nhs.example" if category == Category.STAFF else "example.org"
            email = f"{handle}@{domain}"
            if rng.random() < 0.8:
                phone = f"07700 900{rng.randrange(1000):03d}"
        fmt_roll = rng.random()
        accessible = (
            AccessibleFormat.LARGE_PRINT
            if fmt_roll < 0.07
            else AccessibleFormat.EASY_READ
            if fmt_roll < 0.12
            else AccessibleFormat.STANDARD
        )
        leaves = month_index + (1 if one_off else tenure)
        person_id = self.add(
            Participant,
            name=name,
            category=category,
            locality_id=place.id,
            organisation=organisation,
            email=email,
            phone=phone,
            consent_to_contact=consent,
            name_in_minutes=named,
            consent_date=joined if (consent or named) else None,
            accessible_format=accessible,
            notes=notes,
            active=leaves >= len(self.months),
            anonymised_at=None,
        )
        pay_roll = rng.random()
        person = _Person(
            id=person_id,
            name=name,
            category=category,
            leaves=leaves,
            propensity=min(
                0.95,
                rng.betavariate(5, 2) * (0.75 if category == Category.PARTNER else 1.0),
            ),
            pay="declines" if pay_roll < 0.18 else "mixed" if pay_roll < 0.28 else "paid",
            named=named,
            travels=rng.random() < 0.35,
        )
        place.people.append(person)
        return person

    def _refresh_rosters(self, place: _Place, index: int) -> list[_Person]:
        """Let people leave and fill the forums back up; returns this month's newcomers."""
        rng = self.rng
        newcomers: list[_Person] = []
        for forum in place.forums:
            if not forum.targets or index < forum.first:
                continue
            if forum.last is not None and index > forum.last:
                continue
            forum.roster = [p for p in forum.roster if p.leaves > index]
            for category, target in forum.targets:
                have = sum(1 for p in forum.roster if p.category == category)
                for _ in range(target - have):
                    person = None
                    reuse = 0.8 if category in _SHARED_CATEGORIES else 0.3
                    if rng.random() < reuse:
                        candidates = [
                            p
                            for p in place.people
                            if p.category == category and p.leaves > index and p not in forum.roster
                        ]
                        if candidates:
                            person = rng.choice(candidates)
                    if person is None:
                        carers_rep = (
                            forum.kind == ForumKind.CARERS_FORUM
                            and category == Category.REPRESENTATIVE
                        )
                        person = self._person(
                            place,
                            category,
                            index,
                            organisation=_REP_ORGANISATIONS[0] if carers_rep else "",
                        )
                        newcomers.append(person)
                    forum.roster.append(person)
        return newcomers

    # -- one month of one locality ----------------------------------------------------------

    def _month(self, place: _Place, index: int, month: Month) -> None:
        rng = self.rng
        newcomers = self._refresh_rosters(place, index)
        dated: list[tuple[date, time, str, _Forum]] = []
        for forum in place.forums:
            if index < forum.first or (forum.last is not None and index > forum.last):
                continue
            if forum.group == "event":
                if not self._event_this_month(forum, month):
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
            self._meeting(place, forum, reference, day, index, set(newcomers))
        for _ in range(rng.randrange(3)):
            day = month.first + timedelta(days=rng.randrange(28))
            if day <= self.today:
                self._experience(place, None, day, rng.choice(place.services))
        self._assessments(place, index, month)
        place.month_actions.sort(key=lambda row: row["raised_on"])
        for row in place.month_actions:
            place.counter += 1
            row["reference"] = f"{place.code}-A{place.counter}"
        place.month_actions = []

    def _event_this_month(self, forum: _Forum, month: Month) -> bool:
        rng = self.rng
        if forum.name.endswith("Workshops"):
            return month.month in (3, 7, 10) and rng.random() < 0.85
        if forum.name.endswith("Open Days"):
            return month.month == 6
        return month.month in (2, 5, 9, 11) and rng.random() < 0.75

    def _meeting(
        self,
        place: _Place,
        forum: _Forum,
        reference: str,
        day: date,
        index: int,
        newcomers: set[_Person],
    ) -> None:
        rng = self.rng
        fmt, venue = forum.fmt, forum.venue
        if _COVID_ONLINE <= day <= _COVID_LAST:
            fmt, venue = MeetingFormat.ONLINE, "Microsoft Teams"
        elif fmt == MeetingFormat.HYBRID and (day < _COVID_FIRST or rng.random() < 0.4):
            fmt = MeetingFormat.IN_PERSON
        elif fmt == MeetingFormat.IN_PERSON and day > _COVID_LAST and rng.random() < 0.1:
            fmt, venue = MeetingFormat.ONLINE, "Microsoft Teams"
        if day > self.today:
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
            attendees = self._attendance_list(place, forum, index, newcomers)
        present = [p for p, s in attendees if s == AttendanceStatus.PRESENT]
        chair = next(
            (p.name for p in present if p.named and p.category != Category.OTHER),
            place.coordinator,
        )
        meeting_id = self.add(
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
        self._agenda(place, forum, meeting_id, status, present, attendees, ward, service)
        if status != MeetingStatus.HELD:
            return
        for person, att_status in attendees:
            self.add(Attendance, meeting_id=meeting_id, participant_id=person.id, status=att_status)
        unnamed_total = self._unnamed(forum, meeting_id)
        self._payments(meeting_id, day, present)
        if forum.group == "event" or (
            forum.kind == ForumKind.LOCALITY_FORUM and rng.random() < 0.1
        ):
            self._polls(meeting_id, len(present) + unnamed_total)
        low, high = _EXPERIENCE_PER_MEETING[forum.group]
        for _ in range(rng.randint(low, high)):
            self._experience(place, meeting_id, day, rng.choice(place.services))
        low, high = _ACTIONS_PER_MEETING[forum.group]
        for theme, (title, detail, outcome) in rng.sample(_ACTION_CHOICES, rng.randint(low, high)):
            self._action(
                place,
                theme,
                day,
                *_fill_all((title, detail, outcome), place, service, ward),
                meeting_id=meeting_id,
                service=service,
                ward=ward,
            )

    def _attendance_list(
        self, place: _Place, forum: _Forum, index: int, newcomers: set[_Person]
    ) -> list[tuple[_Person, AttendanceStatus]]:
        rng = self.rng
        result: list[tuple[_Person, AttendanceStatus]] = []
        if forum.group == "event":
            current = [p for p in place.people if p.leaves > index]
            size = min(len(current), rng.randint(12, 30))
            for person in rng.sample(current, size):
                result.append((person, AttendanceStatus.PRESENT))
            for _ in range(rng.randint(2, 6)):
                category = rng.choice((Category.SERVICE_USER, Category.CARER, Category.OTHER))
                person = self._person(place, category, index, one_off=rng.random() < 0.7)
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

    def _unnamed(self, forum: _Forum, meeting_id: uuid.UUID) -> int:
        rng = self.rng
        event = forum.group == "event"
        if rng.random() > (0.9 if event else 0.3):
            return 0
        categories = [Category.SERVICE_USER, Category.CARER, Category.OTHER, Category.PARTNER]
        total = 0
        for category in rng.sample(categories, rng.randint(1, 3 if event else 2)):
            count = rng.randint(2, 12) if event else rng.randint(1, 3)
            self.add(UnnamedAttendance, meeting_id=meeting_id, category=category, count=count)
            total += count
        return total

    def _payments(self, meeting_id: uuid.UUID, day: date, present: list[_Person]) -> None:
        rng = self.rng
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
            elif paid_on <= self.today:
                status, paid_on_value = PaymentStatus.PAID, paid_on
            else:
                status, paid_on_value = PaymentStatus.OFFERED, None
            self.add(
                InvolvementPayment,
                meeting_id=meeting_id,
                participant_id=person.id,
                status=status,
                amount_pence=self.rate,
                expenses_pence=expenses,
                paid_on=paid_on_value,
            )

    def _polls(self, meeting_id: uuid.UUID, people: int) -> None:
        rng = self.rng
        people = max(people, 8)
        for position, (question, answers) in enumerate(rng.sample(_POLLS, rng.randint(1, 2))):
            poll_id = self.add(Poll, meeting_id=meeting_id, position=position, question=question)
            remaining = people - rng.randrange(max(1, people // 5))
            weights = [rng.random() + 0.2 for _ in answers]
            scale = sum(weights)
            counts = [int(remaining * w / scale) for w in weights]
            for answer_position, (answer, count) in enumerate(zip(answers, counts, strict=True)):
                self.add(
                    PollAnswer,
                    poll_id=poll_id,
                    position=answer_position,
                    answer=answer,
                    count=count,
                )

    def _agenda(
        self,
        place: _Place,
        forum: _Forum,
        meeting_id: uuid.UUID,
        status: MeetingStatus,
        present: list[_Person],
        attendees: list[tuple[_Person, AttendanceStatus]],
        ward: str,
        service: str,
    ) -> None:
        rng = self.rng
        if status == MeetingStatus.CANCELLED:
            return
        held = status == MeetingStatus.HELD
        apologies = sum(1 for _p, s in attendees if s == AttendanceStatus.APOLOGIES)
        items: list[tuple[str, str, str]] = [
            (
                "Welcome, introductions and apologies",
                f"The chair welcomed everyone; {len(present)} named people were present and "
                f"{apologies} sent apologies."
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
            self.add(
                AgendaItem,
                meeting_id=meeting_id,
                position=position,
                title=title,
                discussion=discussion,
                decisions=decisions,
            )

    # -- experience and actions -------------------------------------------------------------

    def _experience(
        self,
        place: _Place,
        meeting_id: uuid.UUID | None,
        day: date,
        service: str,
    ) -> None:
        rng = self.rng
        theme = rng.choice(THEMES)
        kind, summary, response = rng.choice(_EXPERIENCE[theme])
        ward = rng.choice(place.wards)
        responded_on: date | None = day + timedelta(days=rng.randint(3, 60))
        if responded_on is not None and (responded_on > self.today or rng.random() < 0.08):
            responded_on = None
        item_id = self.add(
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
            self._action(
                place,
                theme,
                day,
                *_fill_all((title, detail, outcome), place, service, ward),
                meeting_id=meeting_id,
                experience_item_id=item_id,
                service=service,
                ward=ward,
            )

    def _action(
        self,
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
        rng = self.rng
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
        if closes <= self.today:
            cancelled = rng.random() < 0.08
            status = ActionStatus.CANCELLED if cancelled else ActionStatus.COMPLETED
            closed_on = closes
            outcome = rng.choice(_CANCEL_REASONS) if cancelled else outcome
        else:
            closed_on = None
            outcome = ""
            started = (self.today - raised).days > 10 and rng.random() < 0.65
            status = ActionStatus.IN_PROGRESS if started else ActionStatus.OPEN
        priority = rng.choice(self.priorities) if self.priorities and rng.random() < 0.92 else None
        row_id = self.add(
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
        place.month_actions.append(self.rows[Action][-1])
        place.action_refs.append((raised, row_id, theme))
        # Progress updates between raising and closing (or today).
        until = closed_on or self.today
        room = (until - raised).days
        if status == ActionStatus.OPEN or room < 6:
            count = 0
        else:
            count = rng.randint(1, 3) if status == ActionStatus.IN_PROGRESS else rng.randint(0, 2)
        days = sorted(rng.randint(3, room - 1) for _ in range(count)) if count else []
        for offset in days:
            note = _fill(rng.choice(_UPDATE_NOTES), place, service, ward)
            self.add(
                ActionUpdate,
                action_id=row_id,
                written_on=raised + timedelta(days=offset),
                note=note,
            )
        if closed_on is not None:
            self.add(ActionUpdate, action_id=row_id, written_on=closed_on, note=outcome)

    # -- accreditation ----------------------------------------------------------------------

    def _assessments(self, place: _Place, index: int, month: Month) -> None:
        rng = self.rng
        if not self.standards:
            return
        offset = (index - place.index * 2 - 3) % 12
        last = index == len(self.months) - 1
        if offset in (0, 2):
            kind = AssessmentKind.SELF_REVIEW if offset == 0 else AssessmentKind.PEER_REVIEW
            day = month.first + timedelta(days=rng.randrange(8, 25))
            if day + timedelta(days=45) <= self.today:
                self._assessment(place, index, kind, day, AssessmentStatus.SUBMITTED)
        if last:
            day = max(self.months[0].first, self.today - timedelta(days=rng.randrange(3, 25)))
            self._assessment(place, index, AssessmentKind.SELF_REVIEW, day, AssessmentStatus.DRAFT)

    def _assessment(
        self,
        place: _Place,
        index: int,
        kind: AssessmentKind,
        day: date,
        status: AssessmentStatus,
    ) -> None:
        rng = self.rng
        peer = kind == AssessmentKind.PEER_REVIEW
        if peer:
            other = self.places[(place.index + 1) % len(self.places)]
            assessors = (
                f"{other.coordinator} ({other.name}); two experts by experience from the "
                f"{other.name} Locality Forum"
            )
        else:
            assessors = f"{place.coordinator}; members of the {place.name} Locality Forum"
        submitted_at = None
        if status == AssessmentStatus.SUBMITTED:
            submitted_day = day + timedelta(days=rng.randint(2, 20))
            submitted_at = datetime.combine(submitted_day, time(15, 30), tzinfo=UTC)
        assessment_id = self.add(
            Assessment,
            locality_id=place.id,
            framework_id=self.framework_id,
            kind=kind,
            assessed_on=day,
            assessors=assessors,
            status=status,
            submitted_at=submitted_at,
        )
        progress = index / max(1, len(self.months) - 1)
        forum_name = place.forums[0].name
        file_pending = True
        for standard_id, code, title, criticality in self.standards:
            p_met = 0.45 + 0.4 * progress + (0.1 if criticality == 1 else 0) - (0.08 if peer else 0)
            roll = rng.random()
            if status == AssessmentStatus.DRAFT and rng.random() < 0.35:
                rating = Rating.NOT_YET_RATED
            elif criticality == 3 and roll < 0.07:
                rating = Rating.NOT_APPLICABLE
            elif roll < p_met:
                rating = Rating.MET
            elif roll < p_met + (1 - p_met) * 0.6:
                rating = Rating.PARTLY_MET
            else:
                rating = Rating.NOT_MET
            evidence = notes = ""
            if rating in (Rating.MET, Rating.PARTLY_MET):
                evidence = rng.choice(_EVIDENCE).format(forum=forum_name)
            if rating in (Rating.PARTLY_MET, Rating.NOT_MET):
                notes = rng.choice(_GAP_NOTES)
            check_id = self.add(
                StandardCheck,
                assessment_id=assessment_id,
                standard_id=standard_id,
                rating=rating,
                evidence=evidence,
                notes=notes,
            )
            if (
                peer
                and status == AssessmentStatus.SUBMITTED
                and rating == Rating.MET
                and file_pending
            ):
                # One attached file per submitted peer review: the attendance summary.
                file_pending = False
                content = (
                    f"Forum,Meetings held,Attendances\n{forum_name},11,{rng.randint(150, 260)}\n"
                ).encode()
                self.add(
                    EvidenceFile,
                    standard_check_id=check_id,
                    filename=f"{place.code}-attendance-summary.csv",
                    size_bytes=len(content),
                    content=content,
                )
            if peer and rating == Rating.NOT_MET and status == AssessmentStatus.SUBMITTED:
                self._action(
                    place,
                    "Standards",
                    day,
                    f"Meet standard {code}: {title}",
                    "Agreed at the peer review: gather evidence and put the gap right.",
                    "Evidence in place; the standard was rated met at the next review.",
                    service=place.services[0],
                    ward=place.wards[0],
                    standard_check_id=check_id,
                    level=rng.choice((ActionLevel.LOCALITY, ActionLevel.STRATEGIC)),
                )

    # -- improvement projects ---------------------------------------------------------------

    def _projects(self) -> None:
        rng = self.rng
        first_day = self.months[0].first
        span = (self.today - first_day).days
        per_place = max(3, len(self.months) // 18)
        for place in self.places:
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
                    started = self.today - timedelta(days=rng.randint(30, 120))
                else:
                    # The third project always finished (early in the range); later ones vary.
                    latest = span // 3 if number == 2 else span - 30
                    started = first_day + timedelta(days=rng.randrange(max(1, latest)))
                    ended = started + timedelta(days=rng.randint(120, 240 if number == 2 else 540))
                    if ended <= self.today:
                        status = ProjectStatus.COMPLETED
                        outcome = rng.choice(_PROJECT_OUTCOMES)
                    else:
                        status, ended = ProjectStatus.ACTIVE, None
                index = self._month_index(started or self.today)
                leads = [
                    p.name
                    for p in place.people
                    if p.category == Category.STAFF and p.leaves > index
                ]
                lead = rng.choice(leads) if leads else place.coordinator
                project_id = self.add(
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
                self._project_people(place, project_id, started)
                self._project_links(place, project_id, theme, started)

    def _project_people(self, place: _Place, project_id: uuid.UUID, started: date | None) -> None:
        rng = self.rng
        index = self._month_index(started or self.today)
        involved = [
            p
            for p in place.people
            if p.category in (Category.SERVICE_USER, Category.CARER, Category.STAFF)
            and p.leaves > index
        ]
        for person in rng.sample(involved, min(len(involved), rng.randint(3, 8))):
            role = (
                ProjectRole.ADVISER
                if person.category == Category.STAFF
                else rng.choices(tuple(ProjectRole), weights=(6, 2, 2))[0]
            )
            self.add(ProjectParticipant, project_id=project_id, participant_id=person.id, role=role)

    def _project_links(
        self, place: _Place, project_id: uuid.UUID, theme: str, started: date | None
    ) -> None:
        rng = self.rng
        before = self.today if started is None else started
        for refs, column in (
            (place.action_refs, "action_id"),
            (place.experience_refs, "experience_item_id"),
        ):
            matching = [ref_id for day, ref_id, t in refs if t == theme and day <= before]
            for ref_id in matching[-rng.randint(1, 2) :]:
                values = {"action_id": None, "experience_item_id": None, column: ref_id}
                self.add(ProjectLink, project_id=project_id, **values)

    def _month_index(self, day: date) -> int:
        target = Month.of(day)
        for index, month in enumerate(self.months):
            if month == target:
                return index
        return 0 if day < self.months[0].first else len(self.months) - 1


def _fill(template: str, place: _Place, service: str, ward: str) -> str:
    return template.format(
        service=service, ward=ward, locality=place.name, coordinator=place.coordinator
    )


def _fill_all(templates: tuple[str, ...], place: _Place, service: str, ward: str) -> list[str]:
    return [_fill(template, place, service, ward) for template in templates]


def _nth_weekday(month: Month, weekday: int, nth: int) -> date:
    """The ``nth`` (1-4) ``weekday`` (0 = Monday) of ``month``."""
    first = month.first
    shift = (weekday - first.weekday()) % 7
    return first + timedelta(days=shift + 7 * (nth - 1))


def _email_handle(name: str) -> str:
    """``Siân O'Neill`` -> ``sian.oneill`` (ASCII, no titles or initials)."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("Ł", "L").replace("ł", "l").replace("Ø", "O"))
        .encode("ascii", "ignore")
        .decode()
    )
    words = [w for w in ascii_name.replace("'", "").replace(".", " ").lower().split() if w != "dr"]
    words = [w for w in words if len(w) > 1] or ["member"]
    return f"{words[0]}.{''.join(words[1:])}"


__all__ = ["NOT_EMPTY_MESSAGE", "SIZES", "DemoSummary", "generate_demo"]
