"""Reach (issue #27): who took part, by the trust's equality monitoring groups, against the
locality's population; and the small-number suppression every figure leaving the app goes
through (docs/counting-rules.md "Reach").

Who counts: the distinct named participants present at least once at a meeting held in the
period, in the forum, the locality or the trust (``attended_in``'s rule, over a period). Each
counts once per characteristic: in the group they answered, in "Prefer not to say", or in "Not
asked" when they gave no answer for it (or none at all). People anonymised since count through
their detached record (``core/monitoring.py`` ``detach``), so a past period's figures never
change.

Share (%): for a group a person belongs to, its people over the people of the characteristic who
stated a group (so it compares with a census share, which leaves non-response out); for "Prefer
not to say" and "Not asked", over everyone counted. One decimal; empty when there is nobody to
divide by. Population share (%): the locality's, as the trust entered it (a forum's is its
locality's; the trust has none, as it holds no population sizes to weight them by).

Suppression (``suppress``), the same for the return, the consolidation and the Reach view: a
count from 1 to 4 is written ``<5``; where that leaves exactly one suppressed cell in a part of
a characteristic whose total a reader can work out, that part's next smallest count (the
smallest of 5 or more; the first in the list on a tie) is written ``*`` so the one cannot be
worked out from the total; a share goes with its count. The parts are the groups a person
belongs to (their shares give away the people who stated a group) and "Prefer not to say" with
"Not asked" (their shares give away everyone counted): a reviewer worked "Prefer not to say"
out exactly from a return that starred only within the whole characteristic.
0 is not "from 1 to 4" (docs/monthly-return.md, Reach) and stays 0: nobody can be picked out of
nobody.
Only when a characteristic has no count of 5 or more (everyone counted is in the one suppressed
cell) is its first 0 starred instead, so a reader cannot tell that the few people counted all
share one group. Pitfall: that is the limit of this rule; a characteristic with two suppressed
cells and zeros elsewhere still says those few people are in those two groups.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import and_, select, text

from . import monitoring, schema
from .rules import Month
from .vocab import AttendanceStatus, MeetingStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .db import Reader
    from .privacy import Redact

UNDER_FIVE = "<5"
STARRED = "*"
HEADERS: tuple[str, ...] = (
    "Characteristic",
    "Group",
    "People",
    "Share (%)",
    "Population share (%)",
)

Cell = int | str


class ReachRow(NamedTuple):
    characteristic: str
    group: str
    people: int
    share: float | None
    population_share: float | None
    #: A group a person belongs to (not "Prefer not to say" nor "Not asked").
    stated: bool

    @property
    def gap(self) -> float | None:
        """Share minus population share (percentage points): negative is under-represented."""
        if self.share is None or self.population_share is None:
            return None
        return round(self.share - self.population_share, 1)


def suppress(counts: Sequence[int], stated: Sequence[bool] | None = None) -> list[Cell]:
    """The cells of one characteristic as they may leave the app (see the module docstring):
    1 to 4 -> ``<5``; then one suppressed cell alone, in the characteristic or in a part of it
    whose total a reader can work out, -> the smallest count of 5 or more (of that part first)
    becomes ``*`` (the first 0 when there is none); everything else (0 among it) as it is.

    ``stated`` says for each group whether it is one a person belongs to (None: all are). Those
    groups' shares are over the people who stated a group, so any of them shown with more than
    nobody gives that total away, and with it the total of "Prefer not to say" and "Not asked"
    (everyone counted is known: it is every characteristic's total)."""
    cells: list[Cell] = [UNDER_FIVE if 1 <= n <= 4 else n for n in counts]
    everything = list(range(len(counts)))
    flags = list(stated) if stated is not None else [True] * len(counts)
    parts = [[i for i in everything if flags[i]], [i for i in everything if not flags[i]]]
    for _ in everything:
        # A stated group shown with more than nobody, and its share, give the stated total.
        stated_known = any(not isinstance(cells[i], str) and cells[i] for i in parts[0])
        alone = [p for p in (parts if stated_known else []) + [everything] if _one_hidden(cells, p)]
        if not alone:
            break
        chosen = _smallest(counts, cells, alone[0], 5)
        if chosen is None:
            chosen = _smallest(counts, cells, everything, 5)
        if chosen is None:
            chosen = _smallest(counts, cells, everything, 0, exactly=True)
        if chosen is None:
            break
        cells[chosen] = STARRED
    return cells


def _one_hidden(cells: list[Cell], among: list[int]) -> bool:
    return sum(1 for i in among if isinstance(cells[i], str)) == 1


def _smallest(
    counts: Sequence[int], cells: list[Cell], among: list[int], least: int, exactly: bool = False
) -> int | None:
    """The position of the smallest count still shown as a number among ``among`` that is at
    least ``least`` (or is ``least``, ``exactly``); the first on a tie; None if there is none."""
    found = [
        (counts[i], i)
        for i in among
        if not isinstance(cells[i], str) and (counts[i] == least if exactly else counts[i] >= least)
    ]
    return min(found)[1] if found else None


def twelve_months(month: Month) -> tuple[date, date]:
    """The first and last day of the 12 months ending with ``month``."""
    index = month.year * 12 + month.month - 1 - 11
    return date(index // 12, index % 12 + 1, 1), month.last


def _scope(locality_id: uuid.UUID | None, forum_id: uuid.UUID | None) -> list[Any]:
    m, f = schema.meetings.c, schema.forums.c
    where: list[Any] = []
    if forum_id is not None:
        where.append(m.forum_id == forum_id)
    if locality_id is not None:
        where.append(f.locality_id == locality_id)
    return where


def _held(start: date, end: date) -> Any:
    m = schema.meetings.c
    return and_(m.status == MeetingStatus.HELD, m.meeting_date >= start, m.meeting_date <= end)


def reach(
    session: Reader | Session,
    *,
    start: date,
    end: date,
    locality_id: uuid.UUID | None = None,
    forum_id: uuid.UUID | None = None,
    under_represented_first: bool = True,
) -> list[ReachRow]:
    """The reach of a forum (``forum_id``), a locality (``locality_id``) or the trust (neither)
    from ``start`` to ``end`` (both included), exact (not suppressed): one row per group of
    every characteristic. ``under_represented_first``: the groups furthest below their
    population share first (then those without a population share, in the trust's order);
    otherwise the trust's order."""
    people, answered = _answers(session, start, end, locality_id, forum_id)
    population = _population(session, locality_id, forum_id)
    rows: list[ReachRow] = []
    for characteristic in monitoring.characteristics(session):
        counts = {g.id: 0 for g in characteristic.groups}
        for person_answers in answered.values():
            chosen = person_answers.get(characteristic.id)
            if chosen in counts:
                counts[chosen] += 1  # type: ignore[index]
        counts[characteristic.not_asked.id] += people - sum(counts.values())
        stated = sum(counts[g.id] for g in characteristic.groups if g.stated)
        for group in characteristic.groups:
            base = stated if group.stated else people
            n = counts[group.id]
            rows.append(
                ReachRow(
                    characteristic.name,
                    group.name,
                    n,
                    round(100 * n / base, 1) if base else None,
                    population.get(group.id) if group.stated else None,
                    group.stated,
                )
            )
    if under_represented_first:
        order = {id(row): i for i, row in enumerate(rows)}
        rows.sort(key=lambda row: (row.gap is None, row.gap or 0.0, order[id(row)]))
    return rows


def _answers(
    session: Reader | Session,
    start: date,
    end: date,
    locality_id: uuid.UUID | None,
    forum_id: uuid.UUID | None,
) -> tuple[int, dict[Any, dict[uuid.UUID, uuid.UUID]]]:
    """How many people are counted, and each one's answers (characteristic id -> group id).

    On a trust server the server counts (``involvement_reach``, migration 0010: nobody needs
    to read anyone's answers, and the figures are the same whoever asks); on SQLite these two
    selects, which the same tests check on both."""
    answered: dict[Any, dict[uuid.UUID, uuid.UUID]] = {}
    bind: Any = session
    dialect = bind.dialect if hasattr(bind, "dialect") else bind.get_bind().dialect
    if dialect.name == "postgresql":
        persons: set[Any] = set()
        for person, char_id, group_id in session.execute(
            text(
                "SELECT person, characteristic_id, group_id FROM involvement_reach("
                "CAST(:first AS date), CAST(:last AS date), CAST(:locality AS uuid), "
                "CAST(:forum AS uuid))"
            ),
            {"first": start, "last": end, "locality": locality_id, "forum": forum_id},
        ):
            persons.add(person)
            if char_id is not None:
                answered.setdefault(person, {})[char_id] = group_id
        return len(persons), answered
    a, m, f = schema.attendances.c, schema.meetings.c, schema.forums.c
    p, r, pr = schema.participants.c, schema.monitoring_records.c, schema.monitoring_presence.c
    scope = _scope(locality_id, forum_id)
    live = (
        select(a.participant_id)
        .join(schema.meetings, m.id == a.meeting_id)
        .join(schema.forums, f.id == m.forum_id)
        .join(schema.participants, p.id == a.participant_id)
        .where(a.status == AttendanceStatus.PRESENT, _held(start, end), p.anonymised_at.is_(None))
        .where(*scope)
        .distinct()
    )
    detached = (
        select(pr.record_id)
        .join(schema.meetings, m.id == pr.meeting_id)
        .join(schema.forums, f.id == m.forum_id)
        .where(_held(start, end))
        .where(*scope)
        .distinct()
    )
    people = len(session.scalars(live).all()) + len(session.scalars(detached).all())
    ans = schema.monitoring_answers.c
    for key, char_id, group_id in session.execute(
        select(r.participant_id, ans.characteristic_id, ans.group_id)
        .join(schema.monitoring_records, r.id == ans.record_id)
        .where(r.participant_id.in_(live.scalar_subquery()))
    ):
        answered.setdefault(key, {})[char_id] = group_id
    for key, char_id, group_id in session.execute(
        select(ans.record_id, ans.characteristic_id, ans.group_id).where(
            ans.record_id.in_(detached.scalar_subquery())
        )
    ):
        answered.setdefault(key, {})[char_id] = group_id
    return people, answered


def _population(
    session: Reader | Session, locality_id: uuid.UUID | None, forum_id: uuid.UUID | None
) -> dict[uuid.UUID, float]:
    if forum_id is not None:
        locality_id = session.scalar(
            select(schema.forums.c.locality_id).where(schema.forums.c.id == forum_id)
        )
    if locality_id is None:
        return {}
    return monitoring.population_shares(session, locality_id)


def suppressed_rows(rows: Sequence[ReachRow]) -> list[tuple[Any, ...]]:
    """Rows of the Reach sheet (``HEADERS``) from exact rows in the trust's order: each
    characteristic's counts through ``suppress``, a suppressed count's share with it."""
    out: list[tuple[Any, ...]] = []
    start = 0
    while start < len(rows):
        name = rows[start].characteristic
        end = start
        while end < len(rows) and rows[end].characteristic == name:
            end += 1
        block = rows[start:end]
        cells = suppress([row.people for row in block], [row.stated for row in block])
        for row, cell in zip(block, cells, strict=True):
            share: Any = cell if isinstance(cell, str) else row.share
            out.append((row.characteristic, row.group, cell, share, row.population_share))
        start = end
    return out


def return_rows(
    session: Reader | Session,
    locality_id: uuid.UUID,
    month: Month,
    redactor: Redact | None = None,
) -> list[tuple[Any, ...]]:
    """The return's Reach sheet: the locality over the 12 months ending with ``month``. The
    trust's names of characteristics and groups leave through ``redactor`` like all text of a
    return, as the trust's words (``Piece.vocabulary``: "White" in "Mixed: White and Asian" is
    the word even where a service user is called White; another word of a name is hidden and
    shown in the privacy review, not rewritten there: they are the trust's lists)."""
    start, end = twelve_months(month)
    exact = reach(
        session, start=start, end=end, locality_id=locality_id, under_represented_first=False
    )
    rows = suppressed_rows(exact)
    if redactor is None:
        return rows
    from .privacy import Piece  # not on Home's way (its seldom-heard card reads ``reach``)

    where = "Equality monitoring lists"
    characteristic = Piece(
        "monitoring_characteristics", "name", None, where, "Characteristic", vocabulary=True
    )
    group_piece = Piece("monitoring_groups", "name", None, where, "Group", vocabulary=True)
    return [
        (redactor(name, characteristic), redactor(group, group_piece), *rest)
        for name, group, *rest in rows
    ]


class SeldomHeard(NamedTuple):
    """Progress towards one seldom-heard group in one locality, suppressed (``people`` and
    ``share`` may be ``<5`` or ``*``)."""

    locality: str
    characteristic: str
    group: str
    people: Cell
    share: Any
    population_share: float | None


def seldom_heard_progress(
    session: Reader | Session, locality_ids: Sequence[uuid.UUID], today: date
) -> list[SeldomHeard]:
    """For Home: each seldom-heard group the trust named, in each locality, over the 12 months
    ending with this month, small numbers hidden as in the return. Empty when none is named."""
    named = {
        (c.name, g.name)
        for c in monitoring.characteristics(session)
        for g in c.groups
        if g.seldom_heard
    }
    if not named:
        return []
    start, end = twelve_months(Month.of(today))
    names = dict(
        session.execute(
            select(schema.localities.c.id, schema.localities.c.name).where(
                schema.localities.c.id.in_(list(locality_ids))
            )
        ).all()
    )
    out: list[SeldomHeard] = []
    for locality_id in locality_ids:
        exact = reach(
            session, start=start, end=end, locality_id=locality_id, under_represented_first=False
        )
        for row, (_c, _g, people, share, population) in zip(
            exact, suppressed_rows(exact), strict=True
        ):
            if (row.characteristic, row.group) in named:
                out.append(
                    SeldomHeard(
                        names.get(locality_id, ""),
                        row.characteristic,
                        row.group,
                        people,
                        share,
                        population,
                    )
                )
    return out
