# ruff: noqa: F811  (the fixture ``forum`` is imported from test_papers)
"""Easy read agenda and minutes (issue #29, core/easy_read.py; docs/printouts.md "Easy read"):
large type, short lines, one item per block, plain headings, the minutes' redaction; sent to
members whose format is easy read."""

from __future__ import annotations

import subprocess
from datetime import time, timedelta
from pathlib import Path

from test_papers import TODAY, Forum, _read, forum  # noqa: F401  (a fixture)

from coordinator_app.core import actions, meetings, papers, people
from coordinator_app.core.db import Database
from coordinator_app.core.document import Group, Heading
from coordinator_app.core.easy_read import clock, easy_read_agenda, easy_read_minutes
from coordinator_app.core.minutes import minutes_document
from coordinator_app.core.typeset import write_pdf
from coordinator_app.core.vocab import (
    AccessibleFormat,
    ActionStatus,
    Category,
    ExperienceKind,
    PapersKind,
)


def _pdf_text(path: Path, *extra: str) -> str:
    return subprocess.run(
        ["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _minuted(db: Database, forum: Forum) -> None:
    meeting_id = forum.meeting_id
    meetings.add_agenda_item(
        db,
        meeting_id,
        "Carers' leaflet",
        "Ann Able said the leaflet was hard to find. Call ann@example.org for a copy.",
        "The leaflet will be in every waiting room.",
    )
    meetings.add_experience(
        db,
        meeting_id,
        meetings.ExperienceInput(
            kind=ExperienceKind.CONCERN,
            summary="Ann Able waited three days for a call back.",
            response="Call-back target now 24 hours.",
        ),
    )
    loc = meetings.list_localities(db)[0].id
    actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=meeting_id,
        data=actions.ActionInput(title="Offer evening meetings", owner="Rhian", raised_on=TODAY),
    )


def test_clock_says_times_as_people_do() -> None:
    assert [clock(time(18, 30)), clock(time(10)), clock(time(12)), clock(time(0, 5))] == [
        "6:30pm", "10am", "12 noon", "12:05am",
    ]  # fmt: skip


def test_easy_read_minutes_have_plain_headings_one_item_a_block_and_the_redaction(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    _minuted(db, forum)
    document = easy_read_minutes(db, forum.meeting_id)
    assert document.easy_read and document.large_print
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[:2] == ["What happened at Rugby Locality Forum", "What we talked about"]
    assert "Who will do what" in headings
    groups = [b for b in document.blocks if isinstance(b, Group)]
    titles = [g.blocks[0].text for g in groups if isinstance(g.blocks[0], Heading)]
    # Each agenda item, thing heard and action is a block of its own.
    for title in (
        "1. Crisis line waits",
        "2. Carers' leaflet",
        "A worry",
        "Offer evening meetings",
    ):
        assert title in titles
    text = document.text()
    assert "It was from 6:30pm to 8pm." in text
    assert "Ann Able" not in text and "ann@example.org" not in text
    assert "[service user] said the leaflet was hard to find." in text
    assert "What we decided:" in text and "By when: we will tell you." in text

    easy = write_pdf(document, tmp_path / "easy.pdf")
    standard = write_pdf(minutes_document(db, forum.meeting_id), tmp_path / "standard.pdf")
    # Short lines: the easy-read text never runs as wide as the standard minutes'.
    widest = max(len(line) for line in _pdf_text(easy, "-layout").splitlines())
    assert widest < max(len(line) for line in _pdf_text(standard, "-layout").splitlines())
    assert widest <= 60
    info = subprocess.run(["pdfinfo", str(easy)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info


def test_easy_read_agenda_tells_when_where_and_what(db: Database, forum: Forum) -> None:
    earlier = meetings.list_meetings(db, forum_id=forum.forum_id)[-1].id
    loc = meetings.list_localities(db)[0].id
    actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=earlier,
        data=actions.ActionInput(
            title="Fix the lift", owner="Estates", raised_on=TODAY - timedelta(days=400),
            status=ActionStatus.IN_PROGRESS,
        ),
    )  # fmt: skip
    document = easy_read_agenda(db, forum.meeting_id)
    text = document.text()
    assert "Things we said we would do" in text and "Fix the lift" in text
    assert "Who is doing it: Estates." in text
    assert "Is it done? Not yet: we are working on it." in text
    assert "Rugby Locality Forum: our next meeting" in text
    assert "It is from 6:30pm to 8pm." in text
    assert "The meeting is at Benn Hall." in text and "You can also join online." in text
    assert "Ask us how to join online." in text  # the link is printed only when chosen
    assert "1. Crisis line waits" in text
    assert "please tell Siân Evans" in text


def test_easy_read_members_get_the_easy_read_agenda_and_minutes(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    people.update_participant(
        db,
        forum.people["gus"],
        people.ParticipantInput(
            name="Gus Grey",
            category=Category.CARER,
            consent_to_contact=True,
            accessible_format=AccessibleFormat.EASY_READ,
        ),
    )
    for kind in (PapersKind.AGENDA, PapersKind.MINUTES):
        out = tmp_path / kind.value
        out.mkdir()
        result = papers.send_papers(db, forum.meeting_id, kind, out, today=TODAY)
        (cai,) = [p for p in result.drafts if p.name.endswith("Cai Clear.eml")]
        message = _read(cai)
        (pdf,) = [p for p in message.iter_attachments() if p.get_filename().endswith(".pdf")]
        assert pdf.get_filename().endswith(" - easy read.pdf")
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        assert ", in easy read as you asked." in " ".join(body.get_content().split())
        assert papers.EASY_READ_NOTE not in body.get_content()
        # Gus has no e-mail: his letter encloses the easy read paper.
        assert any(p.name.endswith(" - easy read.pdf") for p in result.papers)
        assert ", in easy read as you asked." in " ".join(_pdf_text(result.letters).split())
    # "You said, we did" has no easy read version: the standard one and the note.
    out = tmp_path / "yswd"
    out.mkdir()
    result = papers.send_papers(db, forum.meeting_id, PapersKind.YOU_SAID_WE_DID, out, today=TODAY)
    (cai,) = [p for p in result.drafts if p.name.endswith("Cai Clear.eml")]
    body = _read(cai).get_body(preferencelist=("plain",))
    assert body is not None and "An easy read version is not ready yet" in body.get_content()
