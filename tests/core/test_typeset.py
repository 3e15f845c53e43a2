"""Every printout as a tagged, accessible PDF (core/typeset.py over core/document.py), read back
with poppler: tagged, titled, in en-GB, real characters, user text printed as typed, large print
that keeps words whole and reads in few pages, the signature block never alone (issue #24)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest

from coordinator_app.core import actions, meetings, minutes, people, typeset
from coordinator_app.core.accreditation import assessment_report_document
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.document import Document, Heading, Paragraph, spans
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.monitoring_form import monitoring_form_document
from coordinator_app.core.privacy import redactor_of
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; .ci/run installs it",
)

#: Every character typst markup gives a meaning to, in a name.
AWKWARD = 'Zoë #Price *bold* $x$ \\n [link] <tag> @ref "q" _u_ `k` ~ /* = - + 1.'


def pdf_text(path: Path, page: int | None = None, *, raw: bool = False) -> str:
    """The PDF's text, not normalised: a ligature would show as U+FB00..U+FB06."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout.decode(
        "utf-8"
    )


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return dict(
        (k.strip(), v.strip()) for k, v in (line.split(":", 1) for line in out.stdout.splitlines())
    )


def structure(path: Path) -> str:
    """The PDF's structure tree (tags) as poppler reads it."""
    return subprocess.run(
        ["pdfinfo", "-struct", str(path)], check=True, capture_output=True, text=True
    ).stdout


def word_heights(path: Path) -> list[float]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [
        float(y2) - float(y1)
        for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)
    ]


@dataclass
class Forum:
    locality_id: uuid.UUID
    forum_id: uuid.UUID
    meeting_id: uuid.UUID
    next_id: uuid.UUID


@pytest.fixture
def forum(db: Database) -> Forum:
    """A held meeting whose text has the words Qt broke in large print and the ligatures it
    stored as single characters (Staff, leaflet, Coventry, manager, Completed, Psychiatric)."""
    complete_first_run(
        db, trust_name="Arden Valley NHS Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    loc = meetings.list_localities(db)[0].id
    forum_id = meetings.create_forum(
        db, locality_id=loc, name="Coventry Carers Forum", kind=ForumKind.LOCALITY_FORUM
    )
    m = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum_id,
            meeting_date=date(2025, 3, 20),
            start_time=time(18, 30),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
            chair=AWKWARD,
        ),
    )
    staff = people.create_participant(
        db, people.ParticipantInput(name="Ffion Jones", category=Category.STAFF)
    )
    meetings.set_attendance(db, m, staff, AttendanceStatus.PRESENT)
    meetings.add_agenda_item(db, m, "Welcome", "Staff handed out the new leaflet.", "")
    meetings.add_agenda_item(db, m, "Psychiatric liaison", "The ward manager joined us.", "")
    meetings.add_agenda_item(db, m, "Any other business", "", "Completed.")
    meetings.add_experience(
        db,
        m,
        ExperienceInput(
            kind=ExperienceKind.COMPLIMENT,
            theme="Communication",
            service="Psychiatric Liaison Team",
            summary="The leaflet from Staff was clear.",
            response="Completed: thanked the manager.",
        ),
    )
    for title, owner in (
        ("Reprint the Psychiatric Liaison leaflet", "Ward manager, Coventry"),
        ("Staff training on carers' assessments", "Involvement manager"),
    ):
        actions.raise_action(
            db,
            locality_id=loc,
            meeting_id=m,
            data=ActionInput(title=title, owner=owner, raised_on=date(2025, 3, 20)),
        )
    nxt = meetings.plan_next_meeting(db, m)
    return Forum(loc, forum_id, m, nxt)


def printouts(db: Database, f: Forum) -> dict[str, Document]:
    """Every printout, standard and large print where it has one."""
    out: dict[str, Document] = {}
    for large in (False, True):
        tag = " large" if large else ""
        out["minutes" + tag] = minutes.minutes_document(db, f.meeting_id, large_print=large)
        out["agenda" + tag] = minutes.agenda_document(db, f.next_id, large_print=large)
        out["sign-in" + tag] = minutes.sign_in_sheet_document(db, f.next_id, large_print=large)
        out["log" + tag] = minutes.actions_log_document(
            db, f.forum_id, today=date(2025, 4, 1), large_print=large
        )
        out["monitoring form" + tag] = monitoring_form_document(db, large_print=large)
    rows = actions.you_said_we_did(db)
    out["you said, we did"] = actions.you_said_we_did_document(
        rows, "You said, we did", redact=redactor_of(db), trust_name="Arden Valley NHS Trust"
    )
    return out


def test_every_printout_is_a_tagged_pdf_ua_in_en_gb_with_its_title(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    for name, document in printouts(db, forum).items():
        pdf = typeset.write_pdf(document, tmp_path / f"{name}.pdf")
        info = pdf_info(pdf)
        assert info["Tagged"] == "yes", name
        assert info["Title"] == document.title, name
        data = pdf.read_bytes()
        assert b"/Lang (en-GB)" in data or b"/Lang(en-GB)" in data, name
        assert b"pdfuaid:part" in data, name  # the PDF/UA-1 identification
        tree = structure(pdf)
        assert "H1" in tree, name  # headings
        if "Table" in tree:
            assert "TH" in tree and "TD" in tree, name  # tables with header cells
        assert "Artifact" not in tree, name  # the footer is no part of the reading order


def test_staff_and_leaflet_are_letters_not_ligatures(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Qt stored "ff" and "fl" as U+FB00 and U+FB02, so a search for "Staff" failed."""
    pdf = typeset.write_pdf(minutes.minutes_document(db, forum.meeting_id), tmp_path / "m.pdf")
    text = pdf_text(pdf)
    assert "Staff" in text and "leaflet" in text and "Ffion Jones" in text
    assert not re.search("[\ufb00-\ufb06]", text)


def test_user_text_prints_exactly_as_typed(db: Database, forum: Forum, tmp_path: Path) -> None:
    """Text is data for typst, never markup: every character typst reads as markup prints."""
    document = minutes.minutes_document(db, forum.meeting_id)
    pdf = typeset.write_pdf(document, tmp_path / "awkward.pdf")
    text = " ".join(pdf_text(pdf, raw=True).split())
    assert f"Chair: {' '.join(AWKWARD.split())}" in text
    bare = Document(
        title=AWKWARD, blocks=(Heading(1, AWKWARD), Paragraph(spans(AWKWARD + "\nline two")))
    )
    pdf = typeset.write_pdf(bare, tmp_path / "bare.pdf")
    assert pdf_info(pdf)["Title"] == AWKWARD
    text = pdf_text(pdf, raw=True)
    assert " ".join(text.split()).count(" ".join(AWKWARD.split())) >= 2
    assert "line two" in text.splitlines()


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-zÀ-ž']+", text))


def test_large_print_keeps_every_word_whole_at_16_points(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Qt broke "manage/r", "Coventr/y", "Complet/ed", "Psychiat/ric" in large print: every word
    of the large-print PDF is a word of the document (none cut in two), at 16 pt or more."""
    for name, document in printouts(db, forum).items():
        if not document.large_print:
            continue
        pdf = typeset.write_pdf(document, tmp_path / f"{name}.pdf")
        known = _words(document.text() + " " + document.title) | {"Page", "of"}
        printed = _words(pdf_text(pdf))
        assert printed <= known, f"{name}: broken words {sorted(printed - known)}"
        for word in ("Coventry", "manager", "Psychiatric"):
            assert word in printed or name.startswith(("sign-in", "log", "agenda", "monitoring")), (
                name
            )
        # In typst's PDFs a word's box (pdftotext -bbox) is as tall as its type size.
        assert min(word_heights(pdf)) >= 16 - 0.01, name
    standard = typeset.write_pdf(minutes.minutes_document(db, forum.meeting_id), tmp_path / "s.pdf")
    assert min(word_heights(standard)) < 16


def test_a_three_item_large_print_agenda_fits_three_pages(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """Qt printed a three-item large-print agenda on 6 pages."""
    planned = meetings.create_meeting(
        db, MeetingInput(forum_id=forum.forum_id, meeting_date=date(2025, 5, 15))
    )
    for title in ("Welcome and apologies", "Psychiatric liaison service", "Any other business"):
        meetings.add_agenda_item(db, planned, title, "", "")
    document = minutes.agenda_document(db, planned, large_print=True)
    pdf = typeset.write_pdf(document, tmp_path / "agenda.pdf")
    assert int(pdf_info(pdf)["Pages"]) <= 3
    assert "Page 1 of" in pdf_text(pdf)


@pytest.mark.parametrize("large", [False, True])
def test_the_signature_block_is_never_alone_on_a_page(
    db: Database, forum: Forum, tmp_path: Path, large: bool
) -> None:
    """Whatever the length of the minutes, the last page holds more than the date of the next
    meeting and the signatures (Qt left them alone on the last page)."""
    for extra in range(14):
        actions.raise_action(
            db,
            locality_id=forum.locality_id,
            meeting_id=forum.meeting_id,
            data=ActionInput(
                title=f"Extra action {extra} about waiting times", raised_on=date(2025, 3, 20)
            ),
        )
        document = minutes.minutes_document(db, forum.meeting_id, large_print=large)
        pdf = typeset.write_pdf(document, tmp_path / f"m{extra}.pdf")
        pages = int(pdf_info(pdf)["Pages"])
        last = pdf_text(pdf, pages)
        assert "Signed (chair)" in last
        before = last[: last.index("Date of next meeting")]
        assert before.strip(), (
            f"{extra} extra actions: the signature block is alone on page {pages}"
        )


def test_the_footer_holds_the_whole_title_and_the_page_count(
    db: Database, forum: Forum, tmp_path: Path
) -> None:
    """The large-print footer cut its title off."""
    document = minutes.minutes_document(db, forum.meeting_id, large_print=True)
    pdf = typeset.write_pdf(document, tmp_path / "m.pdf")
    pages = int(pdf_info(pdf)["Pages"])
    for page in range(1, pages + 1):
        text = " ".join(pdf_text(pdf, page).split())
        assert f"Page {page} of {pages}" in text
        assert _words(document.title) <= _words(text)


def test_the_assessment_report_is_tagged_too(db: Database, tmp_path: Path) -> None:
    from coordinator_app.core import standards
    from coordinator_app.core.accreditation import start_assessment
    from coordinator_app.core.resources import resource_path
    from coordinator_app.core.vocab import AssessmentKind

    complete_first_run(
        db, trust_name="Arden Valley NHS Trust", coordinator_name="Siân Evans", localities=["Rugby"]
    )
    framework = standards.import_framework(db, resource_path("standards", "default-framework.xlsx"))
    loc = meetings.list_localities(db)[0].id
    assessment = start_assessment(
        db,
        locality_id=loc,
        framework_id=framework.id,
        kind=AssessmentKind.SELF_REVIEW,
        assessed_on=date(2025, 3, 1),
        assessors="Staff team",
    )
    document = assessment_report_document(db, assessment, today=date(2025, 4, 1))
    pdf = typeset.write_pdf(document, tmp_path / "report.pdf")
    assert pdf_info(pdf)["Tagged"] == "yes"
    assert "Arden Valley NHS Trust" in pdf_text(pdf) and "Staff team" in pdf_text(pdf)


def test_preview_pages_are_the_pdf_pages(db: Database, forum: Forum, tmp_path: Path) -> None:
    document = minutes.minutes_document(db, forum.meeting_id, large_print=True)
    pdf = typeset.write_pdf(document, tmp_path / "m.pdf")
    images = typeset.page_images(document, 40)
    assert len(images) == int(pdf_info(pdf)["Pages"])
    assert all(png.startswith(b"\x89PNG") for png in images)


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    from coordinator_app.core.errors import CoordinatorError

    with pytest.raises(CoordinatorError):
        typeset.write_pdf(Document("x", (Heading(1, "x"),)), tmp_path / "nowhere" / "x.pdf")
