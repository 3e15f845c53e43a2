"""Equality monitoring (issue #27): the trust's characteristics and groups, each participant's
answers given with consent, and each locality's population shares.

Special-category data (UK GDPR article 9). The answers live in their own tables
(``monitoring_records``, ``monitoring_answers``), recorded only with the person's explicit
consent (the date and how it was given). Nothing else in the app reads them: no list, minutes,
agenda, sign-in sheet or return shows a person's answers; the reach figures (``core/reach.py``)
count them, suppressed before they leave (docs/counting-rules.md "Reach").

Anonymising a person (``core/anonymise.py``) calls ``detach``: their record loses its link to
them (participant id emptied, consent cleared, ``detached_at`` set) and keeps the meetings they
were present at (``monitoring_presence``), so the reach of every past period stays what it was
while nothing ties the answers to the person. Someone anonymised without answers gets a detached
record with none (they counted as "Not asked" and still do).

Pitfall: every characteristic keeps the groups ``PREFER_NOT_TO_SAY`` and ``NOT_ASKED``
(``save_characteristics`` adds them when missing); a person with no answer for a characteristic
counts as ``NOT_ASKED``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import delete, func, insert, select, update

from . import audit, schema
from .errors import CoordinatorError, NotFoundError, ValidationError
from .vocab import AttendanceStatus, AuditOperation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .db import Database, Reader

PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_ASKED = "Not asked"
NOT_STATED: tuple[str, str] = (PREFER_NOT_TO_SAY, NOT_ASKED)
#: The longest "how consent was given" ("on the paper form", "by phone to Siân").
HOW_MAX = 255
NAME_MAX = 255

#: The defaults of issue #27, written as the 2021 Census writes them (migration 0010 wrote the
#: same into every database it upgraded; ``ensure_defaults`` into a new one).
DEFAULTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Age band",
        (
            "Under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64",
            "65 to 74", "75 and over",
        ),
    ),
    ("Sex", ("Female", "Male")),
    ("Gender identity same as at birth", ("Yes", "No")),
    (
        "Sexual orientation",
        ("Straight or Heterosexual", "Gay or Lesbian", "Bisexual", "Other sexual orientation"),
    ),
    (
        "Ethnic group",
        (
            "Asian, Asian British or Asian Welsh: Bangladeshi",
            "Asian, Asian British or Asian Welsh: Chinese",
            "Asian, Asian British or Asian Welsh: Indian",
            "Asian, Asian British or Asian Welsh: Pakistani",
            "Asian, Asian British or Asian Welsh: Other Asian",
            "Black, Black British, Black Welsh, Caribbean or African: African",
            "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
            "Black, Black British, Black Welsh, Caribbean or African: Other Black",
            "Mixed or Multiple ethnic groups: White and Asian",
            "Mixed or Multiple ethnic groups: White and Black African",
            "Mixed or Multiple ethnic groups: White and Black Caribbean",
            "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
            "White: English, Welsh, Scottish, Northern Irish or British",
            "White: Irish",
            "White: Gypsy or Irish Traveller",
            "White: Roma",
            "White: Other White",
            "Other ethnic group: Arab",
            "Other ethnic group: Any other ethnic group",
        ),
    ),
    (
        "Religion or belief",
        ("No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh",
         "Other religion"),
    ),
    ("Disability", ("Yes, limited a lot", "Yes, limited a little", "No")),
    ("Carer", ("Yes", "No")),
    ("Armed forces", ("Yes", "No")),
)  # fmt: skip

_c = schema.monitoring_characteristics.c
_g = schema.monitoring_groups.c
_r = schema.monitoring_records.c
_a = schema.monitoring_answers.c
_p = schema.monitoring_presence.c
_s = schema.population_shares.c


class Group(NamedTuple):
    id: uuid.UUID
    name: str
    #: One of the seldom-heard groups the trust aims to reach (Home shows progress).
    seldom_heard: bool = False

    @property
    def stated(self) -> bool:
        """A group a person belongs to (not "Prefer not to say" nor "Not asked")."""
        return self.name not in NOT_STATED


class Characteristic(NamedTuple):
    id: uuid.UUID
    name: str
    groups: tuple[Group, ...]

    def group(self, name: str) -> Group | None:
        """The group called ``name`` (any case, spaces trimmed), or None."""
        wanted = _norm(name)
        return next((g for g in self.groups if _norm(g.name) == wanted), None)

    @property
    def not_asked(self) -> Group:
        found = self.group(NOT_ASKED)
        assert found is not None, "every characteristic keeps Not asked"
        return found


class Answers(NamedTuple):
    """A person's equality monitoring: when and how they consented, and their answers
    (characteristic name -> group name, in the trust's order; unanswered ones absent)."""

    consent_date: date
    consent_how: str
    answers: dict[str, str]


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _clean(text: str) -> str:
    return " ".join((text or "").split())


# --- The trust's lists -------------------------------------------------------------------------


def characteristics(session: Reader | Session) -> list[Characteristic]:
    """Every characteristic with its groups, in the trust's order."""
    rows = session.execute(
        select(_c.id, _c.name, _g.id, _g.name, _g.seldom_heard)
        .select_from(schema.monitoring_characteristics)
        .join(schema.monitoring_groups, _g.characteristic_id == _c.id)
        .order_by(_c.position, _c.name, _g.position, _g.name)
    ).all()
    found: dict[uuid.UUID, tuple[str, list[Group]]] = {}
    for cid, cname, gid, gname, seldom in rows:
        found.setdefault(cid, (cname, []))[1].append(Group(gid, gname, bool(seldom)))
    return [Characteristic(cid, name, tuple(groups)) for cid, (name, groups) in found.items()]


def ensure_defaults(session: Session) -> bool:
    """Write the default lists (``DEFAULTS``) when the trust has no characteristic at all (a
    new database: the first run, or one emptied); True when it did. Each characteristic gets
    "Prefer not to say" and "Not asked" after its groups."""
    if session.scalar(select(func.count()).select_from(schema.monitoring_characteristics)):
        return False
    for position, (name, groups) in enumerate(DEFAULTS):
        cid = uuid.uuid4()
        session.execute(
            insert(schema.monitoring_characteristics).values(id=cid, name=name, position=position)
        )
        session.execute(
            insert(schema.monitoring_groups),
            [
                {"characteristic_id": cid, "name": group, "position": place}
                for place, group in enumerate((*groups, *NOT_STATED))
            ],
        )
    return True


def read_characteristics(db: Database) -> list[Characteristic]:
    """The trust's lists (reading writes nothing: an import refused leaves every table as it
    was; the defaults come with migration 0010, the first run and the first answers)."""
    with db.reading() as conn:
        return characteristics(conn)


def save_characteristics(
    db: Database,
    lists: Sequence[tuple[str, Sequence[str]]],
    seldom_heard: Iterable[tuple[str, str]] = (),
) -> None:
    """Make the trust's lists ``lists`` (characteristic name, its groups), in that order;
    ``seldom_heard`` names (characteristic, group) the seldom-heard groups it aims to reach.

    Names are matched ignoring case and spaces, so answers and population shares of a group
    kept stay with it; "Prefer not to say" and "Not asked" are added at the end when missing.
    Removing a group or characteristic someone has answered is refused (nothing changed), as
    are empty or repeated names."""
    problems: dict[str, str] = {}
    wanted: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for number, (name, groups) in enumerate(lists, start=1):
        clean = _clean(name)
        if not clean or len(clean) > NAME_MAX:
            problems[f"characteristic {number}"] = (
                f"Characteristic {number} needs a name of at most {NAME_MAX} characters."
            )
            continue
        if _norm(clean) in seen:
            problems[clean] = f"{clean} is listed twice."
            continue
        seen.add(_norm(clean))
        names: list[str] = []
        for group in groups:
            g = _clean(group)
            if not g:
                continue
            if len(g) > NAME_MAX:
                problems[clean] = f"A group of {clean} is longer than {NAME_MAX} characters."
            elif _norm(g) in {_norm(n) for n in names}:
                problems[clean] = f"{clean} lists {g} twice."
            names.append(g)
        names += [n for n in NOT_STATED if _norm(n) not in {_norm(x) for x in names}]
        wanted.append((clean, names))
    if problems:
        raise ValidationError(problems)
    seldom = {(_norm(c), _norm(g)) for c, g in seldom_heard}
    with db.transaction() as session:
        current = {_norm(c.name): c for c in characteristics(session)}
        used = set(session.scalars(select(_a.group_id).distinct()))
        keep = {_norm(n): {_norm(g) for g in groups} for n, groups in wanted}
        for key, old in current.items():
            kept = keep.get(key, set())
            gone = [g for g in old.groups if g.id in used and _norm(g.name) not in kept]
            if gone:
                raise ValidationError(
                    {
                        old.name: f"{old.name}: {gone[0].name} has answers, so it cannot be "
                        "removed; nothing was changed."
                    }
                )
        for key, old in current.items():
            if key not in keep:
                session.execute(delete(schema.monitoring_characteristics).where(_c.id == old.id))
        for position, (name, groups) in enumerate(wanted):
            old_c = current.get(_norm(name))
            if old_c is None:
                cid = uuid.uuid4()
                session.execute(
                    insert(schema.monitoring_characteristics).values(
                        id=cid, name=name, position=position
                    )
                )
                old_groups: dict[str, Group] = {}
            else:
                cid = old_c.id
                session.execute(
                    update(schema.monitoring_characteristics)
                    .where(_c.id == cid)
                    .values(name=name, position=position, row_version=_c.row_version + 1)
                )
                old_groups = {_norm(g.name): g for g in old_c.groups}
            new_keys = {_norm(g) for g in groups}
            for key, old_group in old_groups.items():
                if key not in new_keys:
                    session.execute(delete(schema.monitoring_groups).where(_g.id == old_group.id))
            for place, group_name in enumerate(groups):
                existing = old_groups.get(_norm(group_name))
                aimed = (_norm(name), _norm(group_name)) in seldom
                if existing is None:
                    session.execute(
                        insert(schema.monitoring_groups).values(
                            characteristic_id=cid,
                            name=group_name,
                            position=place,
                            seldom_heard=aimed,
                        )
                    )
                else:
                    session.execute(
                        update(schema.monitoring_groups)
                        .where(_g.id == existing.id)
                        .values(
                            name=group_name,
                            position=place,
                            seldom_heard=aimed,
                            row_version=_g.row_version + 1,
                        )
                    )
        audit.record(
            session, AuditOperation.UPDATE, "monitoring_characteristics", None, "Monitoring lists"
        )


# --- A person's answers --------------------------------------------------------------------


def check_answers(
    known: Sequence[Characteristic],
    consent_date: date | None,
    consent_how: str,
    answers: Mapping[str, str],
    *,
    today: date | None = None,
) -> tuple[dict[str, str], dict[uuid.UUID, uuid.UUID]]:
    """Problems (field -> sentence) and the answers as characteristic id -> group id.

    Answers need a consent date (not in the future) and how consent was given; every
    characteristic and group must be on the trust's lists; empty answers are left out. The
    one rule, whichever door the answers come in by (the dialog, quick entry, the import)."""
    problems: dict[str, str] = {}
    chosen: dict[uuid.UUID, uuid.UUID] = {}
    by_name = {_norm(c.name): c for c in known}
    for name, value in answers.items():
        if not _clean(value):
            continue
        characteristic = by_name.get(_norm(name))
        if characteristic is None:
            problems[name] = f"{_clean(name)} is not one of the trust's characteristics."
            continue
        group = characteristic.group(value)
        if group is None:
            problems[characteristic.name] = (
                f"{_clean(value)} is not on the list for {characteristic.name}."
            )
            continue
        chosen[characteristic.id] = group.id
    if consent_date is None:
        problems["consent_date"] = (
            "Equality monitoring answers are recorded only with the person's consent: give the "
            "date they consented."
        )
    elif consent_date > (today or date.today()):
        problems["consent_date"] = "The consent date is in the future."
    how = _clean(consent_how)
    if len(how) > HOW_MAX:
        problems["consent_how"] = f"How consent was given is longer than {HOW_MAX} characters."
    return problems, chosen


def record_answers(
    db: Database,
    participant_id: uuid.UUID,
    *,
    consent_date: date | None,
    consent_how: str,
    answers: Mapping[str, str],
    today: date | None = None,
) -> None:
    """Record (or replace) a participant's consent and answers; nothing changes on a problem
    (``ValidationError``). The audit log says that answers were recorded, never what they are."""
    with db.transaction() as session:
        _check_person(session, participant_id)
        ensure_defaults(session)
        problems, chosen = check_answers(
            characteristics(session), consent_date, consent_how, answers, today=today
        )
        if not _clean(consent_how):
            problems["consent_how"] = "Say how consent was given (e.g. on the paper form)."
        if problems:
            raise ValidationError(problems)
        write_answers(session, participant_id, consent_date, _clean(consent_how), chosen)
        audit.record(
            session,
            AuditOperation.UPDATE,
            "participant",
            participant_id,
            "Equality monitoring answers recorded",
        )


def write_answers(
    session: Session,
    participant_id: uuid.UUID,
    consent_date: date | None,
    consent_how: str,
    chosen: Mapping[uuid.UUID, uuid.UUID],
) -> None:
    """Replace the person's record with these (already checked) answers."""
    record_id = session.scalar(select(_r.id).where(_r.participant_id == participant_id))
    if record_id is None:
        record_id = uuid.uuid4()
        session.execute(
            insert(schema.monitoring_records).values(
                id=record_id,
                participant_id=participant_id,
                consent_date=consent_date,
                consent_how=consent_how,
            )
        )
    else:
        session.execute(
            update(schema.monitoring_records)
            .where(_r.id == record_id)
            .values(
                consent_date=consent_date,
                consent_how=consent_how,
                row_version=_r.row_version + 1,
            )
        )
        session.execute(delete(schema.monitoring_answers).where(_a.record_id == record_id))
    if chosen:
        session.execute(
            insert(schema.monitoring_answers),
            [
                {"record_id": record_id, "characteristic_id": c, "group_id": g}
                for c, g in chosen.items()
            ],
        )


def _check_person(session: Session, participant_id: uuid.UUID) -> None:
    anonymised = session.execute(
        select(schema.participants.c.anonymised_at).where(
            schema.participants.c.id == participant_id
        )
    ).first()
    if anonymised is None:
        raise NotFoundError("That participant is no longer in the database.")
    if anonymised[0] is not None:
        raise CoordinatorError("This participant has been anonymised; nothing can be recorded.")


def answers_of(session: Reader | Session, participant_id: uuid.UUID) -> Answers | None:
    """The person's consent and answers, or None when they have given none."""
    record = session.execute(
        select(_r.id, _r.consent_date, _r.consent_how).where(_r.participant_id == participant_id)
    ).first()
    if record is None:
        return None
    rows = session.execute(
        select(_c.name, _g.name)
        .select_from(schema.monitoring_answers)
        .join(schema.monitoring_characteristics, _c.id == _a.characteristic_id)
        .join(schema.monitoring_groups, _g.id == _a.group_id)
        .where(_a.record_id == record.id)
        .order_by(_c.position, _c.name)
    ).all()
    return Answers(record.consent_date, record.consent_how, {c: g for c, g in rows})


def read_answers(db: Database, participant_id: uuid.UUID) -> Answers | None:
    with db.reading() as conn:
        return answers_of(conn, participant_id)


def remove_answers(db: Database, participant_id: uuid.UUID) -> bool:
    """Consent withdrawn: delete the person's record and answers. True when there were any."""
    with db.transaction() as session:
        done = session.execute(
            delete(schema.monitoring_records).where(_r.participant_id == participant_id)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            return False
        audit.record(
            session,
            AuditOperation.DELETE,
            "participant",
            participant_id,
            "Equality monitoring answers removed",
        )
        return True


def detach(session: Session, participant_ids: Iterable[uuid.UUID], when: datetime) -> None:
    """Anonymising: cut each person's record loose (made for them when they have none), with
    the meetings they were present at copied to ``monitoring_presence``."""
    at = schema.attendances.c
    for participant_id in participant_ids:
        record_id = session.scalar(select(_r.id).where(_r.participant_id == participant_id))
        if record_id is None:
            record_id = uuid.uuid4()
            session.execute(
                insert(schema.monitoring_records).values(
                    id=record_id, participant_id=None, detached_at=when, consent_how=""
                )
            )
        else:
            session.execute(
                update(schema.monitoring_records)
                .where(_r.id == record_id)
                .values(
                    participant_id=None,
                    consent_date=None,
                    consent_how="",
                    detached_at=when,
                    row_version=_r.row_version + 1,
                )
            )
        meetings = session.scalars(
            select(at.meeting_id).where(
                at.participant_id == participant_id, at.status == AttendanceStatus.PRESENT
            )
        ).all()
        if meetings:
            session.execute(
                insert(schema.monitoring_presence),
                [{"record_id": record_id, "meeting_id": m} for m in meetings],
            )


# --- Population shares ---------------------------------------------------------------------


def population_shares(session: Reader | Session, locality_id: uuid.UUID) -> dict[uuid.UUID, float]:
    """The locality's population share of each group (per cent), by group id."""
    return dict(
        session.execute(
            select(_s.group_id, _s.share_pct).where(_s.locality_id == locality_id)
        ).all()  # type: ignore[arg-type]
    )


def save_population_shares(
    db: Database, locality_id: uuid.UUID, shares: Mapping[uuid.UUID, float | None]
) -> None:
    """Set the locality's population shares (group id -> per cent; None clears one). Each share
    is from 0 to 100 and a characteristic's shares add up to at most 100 (a little over for
    rounding: 100.5); otherwise nothing changes (``ValidationError``, keyed by the group's id
    as text, or the characteristic's name for its total)."""
    with db.transaction() as session:
        if not session.scalar(
            select(func.count())
            .select_from(schema.localities)
            .where(schema.localities.c.id == locality_id)
        ):
            raise NotFoundError("That locality is no longer in the database.")
        ensure_defaults(session)
        known = characteristics(session)
        group_of = {g.id: (c, g) for c in known for g in c.groups}
        current = population_shares(session, locality_id)
        merged: dict[uuid.UUID, float] = dict(current)
        problems: dict[str, str] = {}
        for group_id, value in shares.items():
            if group_id not in group_of:
                problems[str(group_id)] = "That group is no longer on the trust's lists."
                continue
            c, g = group_of[group_id]
            if value is None:
                merged.pop(group_id, None)
            elif not 0 <= float(value) <= 100:
                problems[str(group_id)] = f"{c.name}: the share of {g.name} must be from 0 to 100."
            else:
                merged[group_id] = float(value)
        for c in known:
            total = sum(merged.get(g.id, 0.0) for g in c.groups)
            if total > 100.5:
                problems[c.name] = f"{c.name}: the shares add up to {total:g}%, over 100%."
        if problems:
            raise ValidationError(problems)
        write_population_shares(session, locality_id, merged)
        audit.record(session, AuditOperation.UPDATE, "locality", locality_id, "Population shares")


def write_population_shares(
    session: Session, locality_id: uuid.UUID, shares: Mapping[uuid.UUID, float]
) -> None:
    """Replace the locality's population shares with these (already checked) ones."""
    session.execute(delete(schema.population_shares).where(_s.locality_id == locality_id))
    if shares:
        session.execute(
            insert(schema.population_shares),
            [
                {"locality_id": locality_id, "group_id": g, "share_pct": v}
                for g, v in shares.items()
            ],
        )


def subject_access_rows(session: Reader | Session, participant_id: uuid.UUID) -> list[Any]:
    """The person's equality monitoring for the subject-access export: (Field, Value) rows."""
    found = answers_of(session, participant_id)
    if found is None:
        return []
    return [
        ("Equality monitoring consent date", found.consent_date),
        ("Equality monitoring consent given", found.consent_how),
        *found.answers.items(),
    ]
