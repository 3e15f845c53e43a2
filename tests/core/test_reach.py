"""Reach (issue #27): the suppression rule at its boundaries, and a hand-worked scenario of a
dozen people in two localities (docs/counting-rules.md "Reach")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from coordinator_app.core import meetings, monitoring, people, reach
from coordinator_app.core.anonymise import anonymise_participant
from coordinator_app.core.consolidate import consolidate
from coordinator_app.core.consolidate_reach import trust_reach_rows
from coordinator_app.core.db import Database
from coordinator_app.core.errors import WorkbookError
from coordinator_app.core.reach import STARRED, UNDER_FIVE, suppress
from coordinator_app.core.returns import ReturnData, export_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import AttendanceStatus, Category, ForumKind, MeetingStatus

WHITE = "White: English, Welsh, Scottish, Northern Irish or British"
INDIAN = "Asian, Asian British or Asian Welsh: Indian"
OCTOBER = Month(2026, 10)


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "cells"),
    [
        ([0, 0, 0], [0, 0, 0]),  # 0 is not from 1 to 4: it stays 0
        ([5, 7, 0], [5, 7, 0]),  # 5 is the first count shown
        ([1, 9, 6], [UNDER_FIVE, 9, STARRED]),  # 1: suppressed; alone, so the next smallest
        ([4, 5, 5], [UNDER_FIVE, STARRED, 5]),  # a tie: the first in the list
        ([4, 3, 20], [UNDER_FIVE, UNDER_FIVE, 20]),  # two suppressed: nothing more
        ([2, 0, 0], [UNDER_FIVE, STARRED, 0]),  # nothing of 5 or more: the first 0
        ([0, 8, 1, 0], [0, STARRED, UNDER_FIVE, 0]),
    ],
)
def test_suppression_at_its_boundaries(counts: list[int], cells: list[object]) -> None:
    assert suppress(counts) == cells


def _possible(cells: list[object], counts: list[int], stated: list[bool]) -> list[set[int]]:
    """For each cell, every count a reader could find for it from what a return shows: the
    numbers, "<5" (1 to 4), "*" (0 or 5 or more), everyone counted, and the people who stated a
    group (read from any share shown of a group a person belongs to)."""
    import itertools

    total = sum(counts)
    stated_total = sum(n for n, s in zip(counts, stated, strict=True) if s)
    stated_known = any(s and not isinstance(c, str) for c, s in zip(cells, stated, strict=True))
    ranges = [
        range(1, 5) if c == UNDER_FIVE else [0, *range(5, total + 1)] if c == STARRED else [c]
        for c in cells
    ]
    found: list[set[int]] = [set() for _ in cells]
    for guess in itertools.product(*ranges):
        if sum(guess) != total:
            continue
        if stated_known and sum(g for g, s in zip(guess, stated, strict=True) if s) != (
            stated_total
        ):
            continue
        for i, g in enumerate(guess):
            found[i].add(int(g))
    return found


@pytest.mark.parametrize(
    ("counts", "stated"),
    [
        # Rugby's gender identity at 16x review: Yes 21 (52.5%), No 19, Prefer not to say 1,
        # Not asked 78. Starring "No" let a reader find Prefer not to say = 1 from the shares.
        ([21, 19, 1, 78], [True, True, False, False]),
        ([10, 8, 22, 3, 20], [True, True, True, False, False]),  # disability
        ([2, 30, 6, 9], [True, True, False, False]),
        ([3, 0, 12], [True, False, False]),
        ([0, 2, 40], [True, False, False]),
    ],
)
def test_no_suppressed_count_can_be_worked_out_from_the_totals_the_shares_give_away(
    counts: list[int], stated: list[bool]
) -> None:
    cells = suppress(counts, stated)
    assert [c for c in cells if c == UNDER_FIVE] == [UNDER_FIVE] * sum(
        1 for n in counts if 1 <= n <= 4
    )
    for cell, possible in zip(cells, _possible(cells, counts, stated), strict=True):
        if isinstance(cell, str):
            assert len(possible) > 1, (cells, possible)


def test_the_reach_sheet_stars_within_the_part_a_share_gives_away() -> None:
    assert suppress([21, 19, 1, 78], [True, True, False, False]) == [21, 19, UNDER_FIVE, STARRED]
    assert suppress([21, 19, 1, 78]) == [21, STARRED, UNDER_FIVE, 78]  # one part: as before


def test_twelve_months_end_with_the_month() -> None:
    assert reach.twelve_months(OCTOBER) == (date(2025, 11, 1), date(2026, 10, 31))
    assert reach.twelve_months(Month(2026, 12)) == (date(2026, 1, 1), date(2026, 12, 31))


# --- the scenario --------------------------------------------------------------------------


@dataclass
class Scenario:
    rugby: uuid.UUID
    coventry: uuid.UUID
    rugby_forum: uuid.UUID
    people: dict[str, uuid.UUID]
    meeting: uuid.UUID  # Rugby, 8 September 2026: R5 to R9 present, X1 apologies


def _person(db: Database, name: str, locality: uuid.UUID) -> uuid.UUID:
    return people.create_participant(
        db, people.ParticipantInput(name=name, category=Category.SERVICE_USER, locality_id=locality)
    )


def _meeting(db: Database, forum: uuid.UUID, on: date, present: list[uuid.UUID]) -> uuid.UUID:
    m = meetings.create_meeting(
        db, meetings.MeetingInput(forum_id=forum, meeting_date=on, status=MeetingStatus.HELD)
    )
    for pid in present:
        meetings.set_attendance(db, m, pid, AttendanceStatus.PRESENT)
    return m


def _answer(db: Database, pid: uuid.UUID, **answers: str) -> None:
    named = {k.replace("_", " ").capitalize(): v for k, v in answers.items()}
    monitoring.record_answers(
        db, pid, consent_date=date(2026, 1, 5), consent_how="Paper form", answers=named
    )


@pytest.fixture
def scenario(db: Database) -> Scenario:
    """Rugby: R1 to R9 present in the 12 months to October 2026 (R5 twice), R1 to R8 answered;
    Y1 present 13 months before, X1 sent apologies. Coventry: C1 to C3, age only."""
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    ids = {loc.name: loc.id for loc in meetings.list_localities(db)}
    rugby_forum = meetings.create_forum(
        db, locality_id=ids["Rugby"], name="Rugby Forum", kind=ForumKind.LOCALITY_FORUM
    )
    cov_forum = meetings.create_forum(
        db, locality_id=ids["Coventry"], name="Coventry Forum", kind=ForumKind.CARERS_FORUM
    )
    who = {f"R{i}": _person(db, f"Rugby person {i}", ids["Rugby"]) for i in range(1, 10)}
    who |= {f"C{i}": _person(db, f"Coventry person {i}", ids["Coventry"]) for i in range(1, 4)}
    who["X1"] = _person(db, "Apologies person", ids["Rugby"])
    who["Y1"] = _person(db, "Long ago person", ids["Rugby"])
    r = [who[f"R{i}"] for i in range(1, 10)]
    _meeting(db, rugby_forum, date(2025, 10, 14), [who["Y1"]])
    _meeting(db, rugby_forum, date(2026, 3, 10), r[:5])
    second = _meeting(db, rugby_forum, date(2026, 9, 8), r[4:])
    meetings.set_attendance(db, second, who["X1"], AttendanceStatus.APOLOGIES)
    _meeting(db, cov_forum, date(2026, 6, 2), [who[f"C{i}"] for i in range(1, 4)])
    for i, pid in enumerate(r[:8], start=1):
        _answer(
            db,
            pid,
            age_band="45 to 54",
            sex="Female" if i <= 6 else "Male",
            ethnic_group=WHITE if i <= 5 else INDIAN,
        )
    for name in ("X1", "Y1"):
        _answer(db, who[name], age_band="16 to 24", sex="Male")
    for i in range(1, 4):
        _answer(db, who[f"C{i}"], age_band="75 and over")
    known = {c.name: c for c in monitoring.read_characteristics(db)}
    group = {(c, g.name): g.id for c in known for g in known[c].groups}
    monitoring.save_population_shares(
        db,
        ids["Rugby"],
        {
            group["Age band", "45 to 54"]: 14.0,
            group["Age band", "75 and over"]: 9.0,
            group["Sex", "Female"]: 51.0,
            group["Sex", "Male"]: 49.0,
        },
    )
    return Scenario(ids["Rugby"], ids["Coventry"], rugby_forum, who, second)


def _sheet(db: Database, locality: uuid.UUID) -> list[tuple[object, ...]]:
    with db.reading() as conn:
        return reach.return_rows(conn, locality, OCTOBER)


def _block(rows: list[tuple[object, ...]], characteristic: str) -> list[tuple[object, ...]]:
    return [row[1:] for row in rows if row[0] == characteristic]


def _never_small_nor_lone(rows: list[tuple[object, ...]]) -> None:
    for row in rows:
        assert not (isinstance(row[2], int) and 1 <= row[2] <= 4), row
    for name in {row[0] for row in rows}:
        suppressed = [row for row in rows if row[0] == name and row[2] in (UNDER_FIVE, STARRED)]
        assert len(suppressed) != 1, name


def test_the_hand_worked_rugby_sheet(db: Database, scenario: Scenario) -> None:
    rows = _sheet(db, scenario.rugby)
    ages = _block(rows, "Age band")
    # 8 answered 45 to 54, R9 was never asked: the 1 is suppressed, alone, so the 8 is starred.
    assert ages[0] == ("Under 16", 0, 0.0, None)
    assert ("45 to 54", STARRED, STARRED, 14.0) in ages
    assert ("75 and over", 0, 0.0, 9.0) in ages
    assert ages[-2:] == [
        ("Prefer not to say", 0, 0.0, None),
        ("Not asked", UNDER_FIVE, UNDER_FIVE, None),
    ]
    # Female 6 at 75% gave away the 8 who stated a sex, and so Male = 2: Female is starred,
    # as the only other cell of the groups whose total a share gives away.
    assert _block(rows, "Sex") == [
        ("Female", STARRED, STARRED, 51.0),
        ("Male", UNDER_FIVE, UNDER_FIVE, 49.0),
        ("Prefer not to say", 0, 0.0, None),
        ("Not asked", UNDER_FIVE, UNDER_FIVE, None),
    ]
    ethnic = _block(rows, "Ethnic group")
    # White 5 at 62.5% gave away the 8 who stated a group, and so Indian = 3: starred.
    assert (WHITE, STARRED, STARRED, None) in ethnic
    assert (INDIAN, UNDER_FIVE, UNDER_FIVE, None) in ethnic
    assert ethnic[-1] == ("Not asked", UNDER_FIVE, UNDER_FIVE, None)
    # Nobody answered Carer: everyone counted is "Not asked"; no stated group to divide by.
    assert _block(rows, "Carer") == [
        ("Yes", 0, None, None),
        ("No", 0, None, None),
        ("Prefer not to say", 0, 0.0, None),
        ("Not asked", 9, 100.0, None),
    ]
    _never_small_nor_lone(rows)


def test_the_coventry_sheet_hides_that_everyone_is_in_one_group(
    db: Database, scenario: Scenario
) -> None:
    rows = _sheet(db, scenario.coventry)
    ages = _block(rows, "Age band")
    assert ages[0] == ("Under 16", STARRED, STARRED, None)
    assert ("75 and over", UNDER_FIVE, UNDER_FIVE, None) in ages
    _never_small_nor_lone(rows)


def test_reach_puts_the_most_under_represented_first(db: Database, scenario: Scenario) -> None:
    start, end = reach.twelve_months(OCTOBER)
    with db.reading() as conn:
        rows = reach.reach(conn, start=start, end=end, locality_id=scenario.rugby)
        forum = reach.reach(conn, start=start, end=end, forum_id=scenario.rugby_forum)
        trust = reach.reach(conn, start=start, end=end)
    assert [(r.group, r.gap) for r in rows[:4]] == [
        ("Male", -24.0),
        ("75 and over", -9.0),
        ("Female", 24.0),
        ("45 to 54", 86.0),
    ]
    assert rows[:4] == forum[:4]  # a forum compares with its locality's population
    totals = {r.characteristic: 0 for r in trust}
    for r in trust:
        totals[r.characteristic] += r.people
    assert set(totals.values()) == {12}  # R1-R9 and C1-C3, each once per characteristic
    assert all(r.population_share is None for r in trust)


def test_anonymising_keeps_past_reach(db: Database, scenario: Scenario) -> None:
    before = _sheet(db, scenario.rugby)
    start, end = reach.twelve_months(OCTOBER)
    with db.reading() as conn:
        exact = reach.reach(conn, start=start, end=end, under_represented_first=False)
    for name in ("R3", "R9", "C1"):  # answered; never asked; the other locality
        anonymise_participant(db, scenario.people[name])
    assert monitoring.read_answers(db, scenario.people["R3"]) is None
    assert _sheet(db, scenario.rugby) == before
    with db.reading() as conn:
        assert reach.reach(conn, start=start, end=end, under_represented_first=False) == exact


def test_only_people_present_in_the_period_count(db: Database, scenario: Scenario) -> None:
    with db.reading() as conn:
        rows = reach.reach(
            conn, start=date(2026, 3, 1), end=date(2026, 3, 31), locality_id=scenario.rugby
        )
    sex = {r.group: r.people for r in rows if r.characteristic == "Sex"}
    assert sex == {"Female": 5, "Male": 0, "Prefer not to say": 0, "Not asked": 0}


# --- the return and its consolidation -------------------------------------------------------


def _export(db: Database, locality: str, month: Month, target: Path) -> Path:
    return export_return(db, locality=locality, month=month, target=target, app_version="0.1.0")


def test_the_return_has_the_reach_sheet_and_consolidation_adds_it_up(
    db: Database, scenario: Scenario, tmp_path: Path
) -> None:
    rugby = _export(db, "Rugby", OCTOBER, tmp_path / "rugby.xlsx")
    coventry = _export(db, "Coventry", OCTOBER, tmp_path / "coventry.xlsx")
    older = _export(db, "Coventry", Month(2026, 9), tmp_path / "coventry-09.xlsx")
    book = openpyxl.load_workbook(older)  # a format version 1 return: no Reach sheet
    del book["Reach"]
    next(r for r in book["Return"].iter_rows() if r[0].value == "Format version")[1].value = 1
    book.save(older)
    sheet = openpyxl.load_workbook(rugby)["Reach"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == reach.HEADERS
    assert rows[1:] == _sheet(db, scenario.rugby)
    assert sheet["C2"].data_type == "n" and "<5" in [r[2] for r in rows]

    target = tmp_path / "all.xlsx"
    summary = consolidate([rugby, coventry, older], target)
    assert summary.rows["Reach"] == 2 * len(rows[1:])
    trust = {
        (r[1], r[2]): r[3:]
        for r in openpyxl.load_workbook(target)["Trust reach"].iter_rows(
            min_row=2, values_only=True
        )
        if r[0] == "2026-10"
    }
    # Rugby's starred 6 + Coventry's * (a starred 0 there: nobody in Coventry answered Sex):
    # nothing exact to add, so the least is 0, a star.
    assert trust["Sex", "Female"] == (STARRED, STARRED, 2)
    assert trust["Sex", "Prefer not to say"] == (0, None, 2)  # no share: not all exact
    assert trust["Sex", "Not asked"] == ("2 or more", None, 2)
    # Carer: Rugby 9 + Coventry <5 is not exact; zeros stay zeros.
    assert trust["Carer", "No"] == (0, None, 2)
    assert trust["Carer", "Not asked"] == ("10 or more", None, 2)
    assert not any(isinstance(v[0], int) and 1 <= v[0] <= 4 for v in trust.values())


def test_consolidation_refuses_a_small_reach_count(
    db: Database, scenario: Scenario, tmp_path: Path
) -> None:
    rugby = _export(db, "Rugby", OCTOBER, tmp_path / "rugby.xlsx")
    book = openpyxl.load_workbook(rugby)
    cell = next(r for r in book["Reach"].iter_rows() if r[2].value == UNDER_FIVE)[2]
    cell.value = 3
    book.save(rugby)
    with pytest.raises(WorkbookError) as caught:
        consolidate([rugby], tmp_path / "all.xlsx")
    assert any("a count from 1 to 4 is written <5" in p for p in caught.value.problems)


def test_trust_reach_adds_exact_counts_and_suppresses_again() -> None:
    def data(locality: str, cells: list[object]) -> ReturnData:
        groups = ("Female", "Male", "Prefer not to say", "Not asked")
        rows = [("Sex", g, n, None, None) for g, n in zip(groups, cells, strict=True)]
        return ReturnData(Path(locality), {}, locality, OCTOBER, (), {"Reach": rows})

    rows = trust_reach_rows([data("A", [5, 6, 0, 0]), data("B", [7, 0, 0, 5])])
    assert rows == [
        ("2026-10", "Sex", "Female", 12, 66.7, 2),
        ("2026-10", "Sex", "Male", 6, 33.3, 2),
        ("2026-10", "Sex", "Prefer not to say", 0, 0.0, 2),
        ("2026-10", "Sex", "Not asked", 5, 21.7, 2),
    ]
    rows = trust_reach_rows([data("A", [5, "<5", 0, "<5"]), data("B", [7, 0, 0, 5])])
    assert [r[3:5] for r in rows] == [
        (12, None),
        ("1 or more", None),
        (0, None),
        ("6 or more", None),
    ]


def test_printouts_hold_no_monitoring_answers(db: Database, scenario: Scenario) -> None:
    """Minutes, agenda and sign-in sheet of a meeting whose attendees all answered."""
    from coordinator_app.core.minutes import (
        agenda_document,
        minutes_document,
        sign_in_sheet_document,
    )

    telling = ("45 to 54", "Asian", "Indian", "White:", "Female", "Ethnic", "Age band",
               "Equality monitoring", "Paper form", "Prefer not to say", "Not asked")  # fmt: skip
    for make in (minutes_document, agenda_document, sign_in_sheet_document):
        for large_print in (False, True):
            text = make(db, scenario.meeting, large_print=large_print).text()
            assert "8 September 2026" in text
            assert [word for word in telling if word in text] == [], make.__name__


def test_the_trust_s_names_leave_through_the_redactor(db: Database, scenario: Scenario) -> None:
    from coordinator_app.core.privacy import redactor_for

    lists = [(c.name, [g.name for g in c.groups]) for c in monitoring.read_characteristics(db)]
    monitoring.save_characteristics(db, [*lists, ("Support", ["Rugby person 3 and friends"])])
    with db.reading() as conn:
        rows = reach.return_rows(conn, scenario.rugby, OCTOBER, redactor_for(conn))
    groups = [row[1] for row in rows if row[0] == "Support"]
    assert groups[0].startswith("[service user]")
    assert not any("Rugby person" in str(cell) for row in rows for cell in row)


def test_a_service_user_called_white_leaves_the_ethnic_groups_as_they_are(
    db: Database, scenario: Scenario
) -> None:
    """The Reach sheet read "Mixed or Multiple ethnic groups: [service user] and Asian" when a
    service user was called White, and the privacy review asked the coordinator to reword the
    trust's list nine times. The trust's words leave as they are, unlisted."""
    from coordinator_app.core.privacy import redactor_for
    from coordinator_app.core.review import review_return

    _person(db, "Michael White", scenario.rugby)
    with db.reading() as conn:
        rows = reach.return_rows(conn, scenario.rugby, OCTOBER, redactor_for(conn))
    groups = [row[1] for row in rows if row[0] == "Ethnic group"]
    assert "Mixed or Multiple ethnic groups: White and Asian" in groups
    assert "White: Irish" in groups
    assert not any("[service user]" in group for group in groups)
    items = review_return(db, locality="Rugby", month=OCTOBER)
    assert not [i for i in items if i.piece.label == "Equality monitoring lists"]


def test_home_shows_progress_towards_the_seldom_heard_groups(
    db: Database, scenario: Scenario
) -> None:
    lists = [(c.name, [g.name for g in c.groups]) for c in monitoring.read_characteristics(db)]
    monitoring.save_characteristics(
        db, lists, [("Age band", "75 and over"), ("ethnic group", INDIAN)]
    )
    aimed = {
        (c.name, g.name)
        for c in monitoring.read_characteristics(db)
        for g in c.groups
        if g.seldom_heard
    }
    assert aimed == {("Age band", "75 and over"), ("Ethnic group", INDIAN)}
    with db.reading() as conn:
        rows = reach.seldom_heard_progress(
            conn, [scenario.rugby, scenario.coventry], date(2026, 10, 20)
        )
    assert [(r.locality, r.group, r.people, r.population_share) for r in rows] == [
        ("Rugby", "75 and over", 0, 9.0),
        ("Rugby", INDIAN, UNDER_FIVE, None),
        ("Coventry", "75 and over", UNDER_FIVE, None),
        ("Coventry", INDIAN, 0, None),
    ]
    monitoring.save_characteristics(db, lists)  # none named any more
    with db.reading() as conn:
        assert reach.seldom_heard_progress(conn, [scenario.rugby], date(2026, 10, 20)) == []
