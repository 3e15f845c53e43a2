"""Private by construction (issue "Private by construction"): the privacy corpus
(``privacy_corpus.py``, every form people write a name or a contact detail in) typed into every
kind of free text goes through everything that leaves the app (the monthly return, its
consolidation, the Board report, minutes, agenda, sign-in sheet, open-actions log, "you said,
we did", reminder e-mails, the subject-access export) with nothing leaked, before and after
anonymising; and a restore of an older backup leaves the anonymised people anonymised."""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from privacy_corpus import BOB, BOB_AKA, BOB_EMAIL, BOB_PHONE, CORPUS, ZOE, corpus_text, leaks
from sqlalchemy import select

from coordinator_app.core import actions, anonymise, drafts, meetings, minutes, people, polls
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.anonymise import subject_access_export
from coordinator_app.core.board import trust_picture
from coordinator_app.core.board_report import board_document
from coordinator_app.core.consolidate import consolidate
from coordinator_app.core.db import Database
from coordinator_app.core.document import Document
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.privacy import redactor_of
from coordinator_app.core.reminders import compose_reminders
from coordinator_app.core.returns import export_return, read_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    ActionLevel,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)

OCTOBER = Month(2026, 10)
HELD_ON = date(2026, 10, 6)
NEXT_ON = date(2026, 11, 3)
TODAY = date(2026, 11, 10)


@dataclass
class World:
    locality: uuid.UUID
    forum: uuid.UUID
    meeting: uuid.UUID
    next_meeting: uuid.UUID
    bob: uuid.UUID
    zoe: uuid.UUID


def build(db: Database) -> World:
    """One locality and forum; Bob and Zoë at a held October meeting; every text of the corpus
    as an experience summary, an action title (owned by staff) with the same text as its
    progress, an agenda item's discussion and decisions, a poll answer; a November meeting
    whose matters arising are those actions; a draft holding the corpus."""
    complete_first_run(
        db, trust_name="Arden Valley", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    (locality,) = [loc.id for loc in meetings.list_localities(db)]
    forum = meetings.create_forum(
        db, locality_id=locality, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    bob = people.create_participant(
        db,
        people.ParticipantInput(
            BOB,
            Category.SERVICE_USER,
            locality_id=locality,
            email=BOB_EMAIL,
            phone=BOB_PHONE,
            consent_to_contact=True,
            also_known_as=BOB_AKA,
        ),
    )
    zoe = people.create_participant(
        db, people.ParticipantInput(ZOE, Category.CARER, locality_id=locality)
    )
    staff = people.create_participant(
        db, people.ParticipantInput("Priya Patel", Category.STAFF, locality_id=locality)
    )
    meeting = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum,
            meeting_date=HELD_ON,
            status=MeetingStatus.HELD,
            venue="Rugby Library",
            chair="Priya Patel",
        ),
    )
    for who in (bob, zoe, staff):
        meetings.set_attendance(db, meeting, who, AttendanceStatus.PRESENT)
    for number, (_form, text) in enumerate(CORPUS, start=1):
        meetings.add_experience(
            db,
            meeting,
            ExperienceInput(ExperienceKind.CONCERN, summary=text, response=text, theme="Access"),
        )
        action = actions.raise_action(
            db,
            locality_id=locality,
            meeting_id=meeting,
            data=ActionInput(
                title=f"{number}. {text}",
                owner="Priya Patel",
                level=ActionLevel.LOCALITY,
                raised_on=HELD_ON,
                due_on=date(2026, 10, 31),
            ),
        )
        actions.add_progress(db, action, text, written_on=HELD_ON)
        meetings.add_agenda_item(db, meeting, f"Item {number}", discussion=text, decisions=text)
    polls.add_poll(db, meeting, "What did you hear?", [(text, 1) for _form, text in CORPUS[:20]])
    next_meeting = meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=NEXT_ON, venue="Rugby Library")
    )
    drafts.save_draft(
        db,
        key="test:corpus",
        form="AgendaItemDialog",
        label="an agenda item",
        fields=[drafts.DraftField("discussion", "Discussion", "text", t, t) for _f, t in CORPUS],
    )
    return World(locality, forum, meeting, next_meeting, bob, zoe)


@pytest.fixture
def world(db: Database) -> World:
    return build(db)


def _workbook_text(path: Path) -> str:
    """Every cell as a person reads it. A time is shown to the second: its microseconds (held,
    never shown) could hold a phone number's digits by chance ("12:30:45.077001" has "07700"),
    which made this check fail once in CI on 7 December 2026."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(
            cell.isoformat(sep=" ", timespec="seconds") if isinstance(cell, datetime) else str(cell)
            for ws in workbook.worksheets
            for row in ws.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    finally:
        workbook.close()


def _doc_text(document: Document) -> str:
    """Everything a printout carries: its text and its title (the PDF's metadata)."""
    return document.title + "\n" + document.text()


def everything_that_leaves(
    db: Database, world: World, folder: Path, narrative: str | None = None
) -> dict[str, str]:
    """The text of every export and printout of the world, by name. ``narrative``: the
    engagement group's summary in the Board report (by default the corpus)."""
    folder.mkdir(exist_ok=True)
    out: dict[str, str] = {}
    returned = export_return(
        db, locality="Rugby", month=OCTOBER, target=folder / "return.xlsx", app_version="test"
    )
    out["return"] = _workbook_text(returned)
    consolidated = consolidate([returned], folder / "consolidated.xlsx")
    out["consolidation"] = _workbook_text(consolidated.target)
    for name, make in (
        ("minutes", minutes.minutes_document),
        ("agenda", minutes.agenda_document),
        ("sign-in sheet", minutes.sign_in_sheet_document),
    ):
        for when, meeting in (("October", world.meeting), ("November", world.next_meeting)):
            out[f"{name} ({when})"] = _doc_text(make(db, meeting))
    out["actions log"] = _doc_text(minutes.actions_log_document(db, world.forum, today=TODAY))
    redact = redactor_of(db)
    rows = actions.you_said_we_did(db)
    out["you said, we did"] = (
        _doc_text(actions.you_said_we_did_document(rows, "You said", redact=redact))
        + html.unescape(actions.you_said_we_did_table_html(rows, redact=redact))
        + actions.you_said_we_did_text(rows, redact=redact)
    )
    drafted = compose_reminders(
        actions.owner_reminders(db, TODAY), today=TODAY, sender="Siân Evans", redact=redact
    )
    out["reminder e-mails"] = "\n".join(d.subject + "\n" + d.body for d in drafted)
    # The Board report: the return's figures and the group's summary, typed with the corpus.
    picture = trust_picture([read_return(returned)])
    summary = corpus_text() if narrative is None else narrative
    out["Board report"] = _doc_text(board_document(picture, narrative=summary, redact=redact))
    return out


def test_the_corpus_is_everywhere_it_can_be(db: Database, world: World, tmp_path: Path) -> None:
    """The check below means something: the corpus reaches every document unredacted."""
    text = minutes.minutes_document(db, world.meeting, redact=lambda text, where=None: text)
    assert "Bob Smith said the crisis line" in text.text()


def test_nothing_leaks_anywhere_before_anonymising(
    db: Database, world: World, tmp_path: Path
) -> None:
    texts = everything_that_leaves(db, world, tmp_path / "out")
    found = {name: leaks(text) for name, text in texts.items()}
    assert {name: words for name, words in found.items() if words} == {}
    # Each document did hold the corpus (hidden), except the sign-in sheets (names only) and
    # the October agenda (item titles only; its matters arising come from no earlier meeting).
    assert [n for n, t in texts.items() if "[service user]" not in t] == [
        "agenda (October)",
        "sign-in sheet (October)",
        "sign-in sheet (November)",
    ]


def test_subject_access_finds_every_mention_with_the_same_matcher(
    db: Database, world: World, tmp_path: Path
) -> None:
    subject_access_export(db, world.bob, tmp_path / "bob.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "bob.xlsx", read_only=True)
    mentions = [row[3] for row in workbook["Mentions"].iter_rows(min_row=2, values_only=True)]
    workbook.close()
    bob_forms = [t for _form, t in CORPUS if "Zo" not in t and "0121" not in t]
    for text in bob_forms:
        # As an experience summary and response, an action title and progress, an agenda
        # item's discussion and decisions, a draft (and some as a poll answer).
        words = " ".join(text.split())
        assert sum(words in " ".join(found.split()) for found in mentions) >= 7, text
    assert not any(m == "Zoe O'Neill asked" for m in mentions)


def test_nothing_leaks_after_anonymising_and_the_records_are_scrubbed(
    db: Database, world: World, tmp_path: Path
) -> None:
    anonymise.anonymise_participants(
        db, [world.bob, world.zoe], now=datetime(2026, 11, 10, tzinfo=UTC)
    )
    # The Board report's summary is typed afresh, not a record anonymising scrubs; the redactor
    # knows only the people the database still names, so it is left empty here.
    found = {
        name: leaks(text)
        for name, text in everything_that_leaves(db, world, tmp_path / "after", "").items()
    }
    assert {name: words for name, words in found.items() if words} == {}
    subject_access_export(db, world.bob, tmp_path / "bob.xlsx")
    assert leaks(_workbook_text(tmp_path / "bob.xlsx")) == []
    # The records themselves hold none of Bob's or Zoë's names or contact details (the number on
    # no one's record is hidden by every export, not scrubbed from the records).
    with db.reading() as conn:
        stored = "\n".join(
            str(value)
            for table, columns in anonymise.FREE_TEXT
            for row in conn.execute(select(*(table.c[c] for c in columns)))
            for value in row
        )
        stored += "\n".join(
            str(r[0]) for r in conn.exec_driver_sql("SELECT fields FROM drafts").fetchall()
        )
    assert [w for w in leaks(stored) if w != "0121 496"] == []


# --- Anonymisation sticks across a restore; old backups go ----------------------------------


def _participant(path: Path, participant_id: uuid.UUID) -> tuple[str, str, str, bool]:
    from coordinator_app.core.db import open_database

    reopened = open_database(path)
    try:
        row = people.get_participant(reopened, participant_id)
        summaries = " ".join(
            e.summary for e in meetings.get_meeting(reopened, _first_meeting(reopened)).experience
        )
        return row.name, row.email, summaries, row.active
    finally:
        reopened.dispose()


def _first_meeting(db: Database) -> uuid.UUID:
    return min(meetings.list_meetings(db), key=lambda m: m.meeting_date).id


@pytest.mark.sqlite_only
def test_restoring_an_older_backup_anonymises_the_person_again(
    db: Database, db_path: Path, world: World, tmp_path: Path
) -> None:
    from coordinator_app.core.backup import make_backup, restore_backup

    older = make_backup(db, now=datetime(2026, 11, 1, 9, 0))
    anonymise.anonymise_participant(db, world.bob, now=datetime(2026, 11, 5, tzinfo=UTC))
    make_backup(db, now=datetime(2026, 11, 6, 9, 0))
    db.dispose()

    result = restore_backup(db_path, older, now=datetime(2026, 11, 10, 9, 0))

    assert result.reanonymised == 1
    assert result.erasures_note == (
        "1 person anonymised since this backup was taken was anonymised again in the restored "
        "database."
    )
    name, email, summaries, active = _participant(db_path, world.bob)
    assert name.startswith("Anonymised service user ") and email == "" and not active
    assert [w for w in leaks(summaries) if w not in ("zoe", "o'neill", "0121 496")] == []
    assert "[service user]" in summaries
    # Restoring again finds nobody to anonymise: the erasure is in the restored file too.
    again = restore_backup(db_path, older, now=datetime(2026, 11, 10, 10, 0))
    assert again.reanonymised == 1  # the backup itself still holds Bob


@pytest.mark.sqlite_only
def test_a_damaged_database_s_erasures_come_from_the_copies_beside_it(
    db: Database, db_path: Path, world: World
) -> None:
    from coordinator_app.core.backup import known_erasures, make_backup

    make_backup(db, now=datetime(2026, 11, 1, 9, 0))
    anonymise.anonymise_participant(db, world.zoe, now=datetime(2026, 11, 5, tzinfo=UTC))
    make_backup(db, now=datetime(2026, 11, 6, 9, 0))
    db.dispose()
    db_path.write_bytes(b"not a database any more")
    assert [pid for pid, _when in known_erasures(db_path)] == [world.zoe]


@pytest.mark.sqlite_only
def test_the_command_line_restore_says_who_was_anonymised_again(
    db: Database, db_path: Path, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from coordinator_app import cli
    from coordinator_app.core.backup import make_backup

    older = make_backup(db, now=datetime(2026, 11, 1, 9, 0))
    anonymise.anonymise_participants(db, [world.bob, world.zoe])
    db.dispose()
    assert cli.main(["--db", str(db_path), "restore", str(older)]) == 0
    out = capsys.readouterr().out
    assert "2 people anonymised since this backup was taken were anonymised again" in out


@pytest.mark.sqlite_only
def test_backups_older_than_the_retention_period_are_deleted(db: Database, db_path: Path) -> None:
    from coordinator_app.core.backup import (
        backups_folder,
        make_backup,
        prune_expired,
        save_backup_settings,
    )

    folder = backups_folder(db)
    folder.mkdir(parents=True, exist_ok=True)
    stem = db_path.stem
    old = [
        folder / f"{stem}-2025-09-30_120000.db",
        folder / f"{stem}-before-restore-2025-10-01_080000.db",
        folder / f"{stem}-before-upgrade-from-0003-20251002-080000.db",
        db_path.with_name(f"{stem}-damaged-2025-10-03_080000.db"),
    ]
    young = [
        folder / f"{stem}-2026-04-05_120000.db",
        folder / f"{stem}-before-restore-2026-06-01_080000.db",
        folder / f"{stem}-before-upgrade-from-0003-20260801-080000.db",
    ]
    theirs = [folder / "my-own-copy.db", folder / f"{stem}-by-hand.db"]
    for path in [*old, *young, *theirs]:
        path.write_bytes(b"x")
    old_wal = old[0].with_name(old[0].name + "-wal")
    old_wal.write_bytes(b"x")

    removed = prune_expired(db, now=datetime(2026, 11, 10, 9, 0))

    assert sorted(removed) == sorted([*old, old_wal])
    assert all(p.exists() for p in [*young, *theirs])
    # A shorter retention, set in the backups dialog, deletes at once what it now excludes.
    november = datetime(2026, 11, 10, 9, 30)
    assert save_backup_settings(db, retention_months=6, now=november) == [young[0]]
    # Each rotation backup prunes too, with the setting.
    stale = folder / f"{stem}-before-restore-2026-05-01_080000.db"
    stale.write_bytes(b"x")
    made = make_backup(db, now=datetime(2026, 11, 10, 10, 0))
    assert made.exists() and not stale.exists() and young[1].exists() and young[2].exists()


# --- The minutes as a PDF, read back -----------------------------------------------------------


def _minutes_pdf_text(db_target: str, meeting: uuid.UUID, out: Path) -> str:
    """The ``minutes`` command's PDF of ``meeting`` read back with pdftotext (NFKC: Qt sets
    ligatures)."""
    import os
    import subprocess
    import sys
    import unicodedata

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "coordinator_app",
            "--db",
            db_target,
            "minutes",
            "--meeting",
            str(meeting),
            "-o",
            str(out),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return unicodedata.normalize("NFKC", text)


@pytest.mark.skipif(
    __import__("shutil").which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed",
)
def test_the_minutes_pdf_holds_no_name_or_number_before_or_after_anonymising(
    db: Database, db_target: str, world: World, tmp_path: Path
) -> None:
    before = _minutes_pdf_text(db_target, world.meeting, tmp_path / "before.pdf")
    assert "[service user]" in before and "[contact details removed]" in before
    assert "Priya Patel" in before  # staff are named (the chair, the register)
    assert leaks(before) == []
    anonymise.anonymise_participants(db, [world.bob, world.zoe])
    after = _minutes_pdf_text(db_target, world.meeting, tmp_path / "after.pdf")
    assert leaks(after) == []
    assert "[contact details removed]" in after  # 0121 496 0999: on no one's record
    assert after.count("07700") == before.count("07700") == 0
