"""Fuzzing the form validators with hypothesis: whatever a user (or a broken form) hands the core
services, the answer is a ``ValidationError`` naming fields, or a clean save that reads back, and
never any other exception (no IntegrityError, TypeError or a crash on odd text).

Requires ``hypothesis`` (the test extras). The database is shared between examples, so each
example only adds rows; the checks hold whatever was saved before.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from coordinator_app.core import actions, meetings, people  # noqa: E402
from coordinator_app.core.db import NUL_REPLACEMENT, Database  # noqa: E402
from coordinator_app.core.errors import ValidationError  # noqa: E402
from coordinator_app.core.settings import complete_first_run  # noqa: E402
from coordinator_app.core.vocab import (  # noqa: E402
    AccessibleFormat,
    ActionLevel,
    ActionStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingFormat,
    MeetingStatus,
)

FUZZ = settings(
    max_examples=60,
    database=None,  # no .hypothesis folder in the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people (and pasted spreadsheets) produce it: accents, apostrophes, control
# characters, lone surrogates excluded (SQLite stores UTF-8), formula-looking starts, long runs.
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "   ", "Zoë O'Neill", "Siân", '=HYPERLINK("x")', "@sum", "\t\n", "a" * 5000, "Zo\x00ë"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=190, max_size=260),
)
dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
times = st.one_of(st.none(), st.times())


def enum_or_junk(enum):
    return st.one_of(st.sampled_from(list(enum)), st.text(max_size=12), st.none())


def stored(db: Database, text: str) -> str:
    """``text`` as the database keeps it: PostgreSQL cannot store NUL, which the engine keeps as
    U+FFFD instead (core/engine.py); SQLite keeps it as it is."""
    return text if db.is_sqlite else text.replace("\x00", NUL_REPLACEMENT)


@pytest.fixture
def place(db: Database):
    complete_first_run(db, trust_name="Fuzz Trust", coordinator_name="Seán", localities=["Rugby"])
    (locality_id,) = [loc.id for loc in meetings.list_localities(db)]
    forum_id = meetings.create_forum(
        db, locality_id=locality_id, name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    return locality_id, forum_id


@pytest.fixture
def meeting_id(db: Database, place) -> uuid.UUID:
    return meetings.create_meeting(
        db, meetings.MeetingInput(forum_id=place[1], meeting_date=date(2025, 1, 7))
    )


@FUZZ
@given(
    name=texts,
    category=enum_or_junk(Category),
    email=texts,
    phone=texts,
    consent=st.booleans(),
    in_minutes=st.booleans(),
    consent_date=dates,
    fmt=enum_or_junk(AccessibleFormat),
    notes=texts,
    organisation=texts,
    locality=st.sampled_from(["rugby", "unknown", None]),
)
def test_participant_form_validates_or_saves(
    db: Database, place, name, category, email, phone, consent, in_minutes, consent_date, fmt,
    notes, organisation, locality,
) -> None:  # fmt: skip
    locality_id = {"rugby": place[0], "unknown": uuid.uuid4(), None: None}[locality]
    data = people.ParticipantInput(
        name=name,
        category=category,
        locality_id=locality_id,
        organisation=organisation,
        email=email,
        phone=phone,
        consent_to_contact=consent,
        name_in_minutes=in_minutes,
        consent_date=consent_date,
        accessible_format=fmt,
        notes=notes,
    )
    try:
        pid = people.create_participant(db, data)
    except ValidationError as exc:
        assert exc.problems and all(isinstance(v, str) and v for v in exc.problems.values())
        return
    row = people.get_participant(db, pid)
    assert row.name == stored(db, " ".join(name.split())) and row.name
    assert row.consent_to_contact or (row.email == "" and row.phone == "")


@FUZZ
@given(
    forum=st.sampled_from(["ours", "unknown", None]),
    on=dates,
    start=times,
    end=times,
    venue=texts,
    fmt=enum_or_junk(MeetingFormat),
    status=enum_or_junk(MeetingStatus),
    chair=texts,
    notes=texts,
)
def test_meeting_form_validates_or_saves(
    db: Database, place, forum, on, start, end, venue, fmt, status, chair, notes
) -> None:
    forum_id = {"ours": place[1], "unknown": uuid.uuid4(), None: None}[forum]
    data = meetings.MeetingInput(
        forum_id=forum_id,
        meeting_date=on,
        start_time=start,
        end_time=end,
        venue=venue,
        format=fmt,
        status=status,
        chair=chair,
        notes=notes,
    )
    try:
        meeting_id = meetings.create_meeting(db, data)
    except ValidationError as exc:
        assert exc.problems
        return
    detail = meetings.get_meeting(db, meeting_id)
    assert detail.meeting_date == on


@FUZZ
@given(
    title=texts,
    detail=texts,
    owner=texts,
    level=enum_or_junk(ActionLevel),
    status=enum_or_junk(ActionStatus),
    raised=dates,
    due=dates,
    outcome=texts,
    priority=st.sampled_from(["unknown", None]),
)
def test_action_form_validates_or_saves(
    db: Database, place, title, detail, owner, level, status, raised, due, outcome, priority
) -> None:
    data = actions.ActionInput(
        title=title,
        detail=detail,
        owner=owner,
        level=level,
        strategic_priority_id=uuid.uuid4() if priority else None,
        raised_on=raised,
        due_on=due,
        status=status,
    )
    try:
        action_id = actions.raise_action(
            db, locality_id=place[0], data=data, outcome=outcome, today=date(2025, 6, 30)
        )
    except ValidationError as exc:
        assert exc.problems
        return
    row = actions.get_action(db, action_id, today=date(2025, 6, 30))
    assert row.title == stored(db, " ".join(title.split()))


@FUZZ
@given(
    kind=enum_or_junk(ExperienceKind),
    theme=texts,
    service=texts,
    summary=texts,
    response=texts,
    received=dates,
    responded=dates,
)
def test_experience_form_validates_or_saves(
    db: Database, meeting_id, kind, theme, service, summary, response, received, responded
) -> None:
    data = meetings.ExperienceInput(
        kind=kind,
        theme=theme,
        service=service,
        summary=summary,
        response=response,
        received_on=received,
        responded_on=responded,
    )
    try:
        meetings.add_experience(db, meeting_id, data)
    except ValidationError as exc:
        assert exc.problems


@FUZZ
@given(text=st.text(max_size=30))
def test_typed_dates_times_and_pounds_parse_or_explain(text: str) -> None:
    """The form parsers: any text gives a value, None, or a ValueError with a sentence."""
    from coordinator_app.ui.widgets import parse_date, parse_pounds, parse_time

    for parse in (parse_date, parse_time, parse_pounds):
        try:
            parse(text)
        except ValueError as exc:
            assert str(exc)
