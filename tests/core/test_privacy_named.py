"""What the one redactor (``core/privacy.py``) keeps although a word of it is a protected
person's: a saint's name (a place), the full name of someone who may be named (staff on the
staff list everywhere; in minutes, participants who agreed to be named), a title before a staff
surname; and that the privacy review neither lists nor flags them
(docs/monthly-return.md#what-it-holds-and-what-it-never-holds)."""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from datetime import date, time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import openpyxl
import pytest
from privacy_corpus import BOB, BOB_AKA, CORPUS, ZOE, leaks

from coordinator_app.core import (
    actions,
    easy_read,
    meetings,
    members,
    minutes,
    papers,
    people,
    reminders,
    review,
    staff,
)
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.folding import name_words, names_words
from coordinator_app.core.invitation import invitation_bytes
from coordinator_app.core.meetings import MeetingInput
from coordinator_app.core.privacy import (
    Piece,
    Redactor,
    looks_like_names,
    redactor_for,
    redactor_of,
)
from coordinator_app.core.returns import export_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.typeset import write_pdf
from coordinator_app.core.vocab import (
    AttendanceStatus,
    Category,
    ForumKind,
    MeetingStatus,
    PapersKind,
)

SU, CARER = "[service user]", "[carer]"
VENUE = "St Andrew's Church Hall, Rugby"


def _redactor() -> Redactor:
    """The minutes' redactor of the brief's example: Andrew Ellis, Ellie Marsh, Michael Tran and
    Kim Nguyen are hidden; Ellie Woodhouse agreed to be named; Michael Sharma and Kojo Nguyen
    are staff."""
    return Redactor(
        [
            ("Andrew Ellis", "", SU),
            ("Ellie Marsh", "", SU),
            ("Michael Tran", "", SU),
            ("Kim Nguyen", "", CARER),
        ],
        named=["Ellie Woodhouse"],
        staff=["Michael Sharma", "Kojo Nguyen"],
    )


@pytest.mark.parametrize(
    "text",
    [
        VENUE,
        "Saint Michael's Hospital, Warwick",
        "ST. ANDREW'S CHURCH HALL",
        "meet at st andrews",
        "St\nMichael's",
    ],
)
def test_a_word_after_st_or_saint_is_a_place(text: str) -> None:
    assert _redactor()(text) == text


def test_a_saint_does_not_keep_a_name_begun_before_it_or_the_name_alone() -> None:
    hide = Redactor([("Mary St John", "", SU), ("Andrew Ellis", "", SU)])
    assert hide("Mary St John came") == f"{SU} came"
    assert hide("Andrew said, at St Andrew's") == f"{SU} said, at St Andrew's"
    assert hide("Andrew's idea; Mr Ellis") == f"{SU}'s idea; {SU}"


def test_looks_like_names_reads_a_saint_in_any_case_as_the_redactor_does() -> None:
    assert looks_like_names("Meet at ST ANNE'S or St. Michael's") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chair: Ellie Woodhouse", "Chair: Ellie Woodhouse"),
        ("ELLIE WOODHOUSE's idea", "ELLIE WOODHOUSE's idea"),
        ("Ellie Woodhouse’s idea", "Ellie Woodhouse’s idea"),
        ("Ellie Woodhouses idea", "Ellie Woodhouses idea"),
        ("Éllie Wöodhouse came", "Éllie Wöodhouse came"),
        ("Ellie\nWoodhouse came", "Ellie\nWoodhouse came"),
        ("Michael Sharma", "Michael Sharma"),
        ("Kojo Nguyen", "Kojo Nguyen"),
        ("Dr Michael Sharma's list", "Dr Michael Sharma's list"),
        ("Ellie said so", f"{SU} said so"),
        ("Woodhouse, Ellie", f"Woodhouse, {SU}"),
        ("Sharma, Michael", f"Sharma, {SU}"),
        ("Michael and Nguyen", f"{SU} and {CARER}"),
        ("Michael Tran and Michael Sharma", f"{SU} and Michael Sharma"),
        ("Andrew Ellis, Ellie Woodhouse", f"{SU}, Ellie Woodhouse"),
        ("Ellie Marsh", SU),
    ],
)
def test_a_full_name_that_may_be_written_is_kept_and_its_words_alone_are_not(
    text: str, expected: str
) -> None:
    assert _redactor()(text) == expected


def test_ambiguity_hides_a_full_name_a_protected_person_could_have() -> None:
    # Another Ellie Woodhouse, who did not agree; one whose maiden name is Woodhouse; a service
    # user who has the staff member's name.
    for twin in (("Ellie Woodhouse", ""), ("Ellie Marsh", "née Woodhouse")):
        hide = Redactor([(*twin, SU)], named=["Ellie Woodhouse"])
        assert hide("Chair: Ellie Woodhouse") == f"Chair: {SU}", twin
    hide = Redactor([("Michael Sharma", "", SU)], staff=["Michael Sharma"])
    assert hide("Owner: Michael Sharma") == f"Owner: {SU}"
    # A protected person added later (``Redactor.add``) is taken into account too.
    hide = Redactor([("Ellie Marsh", "", SU)], named=["Ellie Woodhouse"], staff=["Anita Patel"])
    assert hide("Ellie Woodhouse, Dr Patel") == "Ellie Woodhouse, Dr Patel"
    hide.add("Ellie Woodhouse", "", SU)
    hide.add("Priya Patel", "", SU)
    assert hide("Ellie Woodhouse, Dr Patel") == f"{SU}, {SU}"


def test_a_title_and_a_staff_surname_is_kept_unless_a_protected_person_has_that_surname() -> None:
    staff_names = ["Anita Patel", "Michael Sharma"]
    first_name = Redactor([("Patel Ahmed", "", SU), ("Sharma Jones", "", SU)], staff=staff_names)
    assert first_name("Dr Patel will attend") == "Dr Patel will attend"
    assert first_name("Mrs. Sharma's note") == "Mrs. Sharma's note"
    assert first_name("Patel will attend") == f"{SU} will attend"
    assert first_name("Dr Patel Ahmed") == SU
    surname = Redactor([("Priya Patel", "", SU), ("Jo Lee", "Sharma", SU)], staff=staff_names)
    assert surname("Dr Patel will attend") == f"{SU} will attend"
    assert surname("Mrs Sharma") == SU
    # Not a staff surname: as before.
    assert Redactor([("Patel Ahmed", "", SU)])("Dr Patel") == SU


def test_the_corpus_is_still_hidden_beside_names_that_may_be_written() -> None:
    hide = Redactor(
        [(BOB, BOB_AKA, SU), (ZOE, "", CARER)],
        named=["Bob Jones", "Zoë Smith"],
        staff=["Anne Smith", "Bobby Brown"],
    )
    for form, text in CORPUS:
        out = hide(text)
        assert leaks(out) == [], f"{form}: {out!r}"
    # Bob Jones and Bobby Brown may be named; Bob Smith's maiden Smith is a surname of his.
    assert hide("Bob Jones and Bobby Brown; Dr Smith") == f"Bob Jones and Bobby Brown; {SU}"


def test_the_review_does_not_list_or_flag_what_is_kept() -> None:
    hide = Redactor(
        [("Ellie Marsh", "", SU), ("Patel Ahmed", "", SU)],
        named=["Ellie Woodhouse"],
        staff=["Anita Patel"],
    )
    text = f"Ellie Woodhouse said Dr Patel will book {VENUE}; Ellie agreed."
    found = review.findings(hide, text)
    assert [(text[f.start : f.end], f.hidden) for f in found] == [("Ellie", True)]
    assert hide.kept(text) == [(0, 15), (21, 29)]
    # With nothing hidden at all, a staff member's full name is still not flagged.
    assert review.findings(Redactor(staff=["Sarah Jones"]), "Sarah Jones will ring") == []
    assert review.findings(Redactor(), "Sarah Jones will ring") != []


@pytest.mark.parametrize(
    "names",
    [
        ["Zoë O'Neill", "Dr Bob  SMITH", "", "Siân\u200b Jones"],
        ["Ann Lee", "Mary\nSmith", "aka Bobby"],
        [],
    ],
)
def test_many_names_fold_as_one_name_does(names: list[str]) -> None:
    assert names_words(names) == [name_words(name) for name in names]


# --- By hand: minutes, the return and the invitation of one meeting ---------------------------


@dataclass
class Meeting:
    locality_id: uuid.UUID
    forum_id: uuid.UUID
    meeting_id: uuid.UUID


MEETING_DAY = date(2026, 10, 15)


def _person(db: Database, name: str, **extra: object) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(name=name, category=Category.SERVICE_USER, **extra),  # type: ignore[arg-type]
    )


@pytest.fixture
def meeting(db: Database) -> Meeting:
    complete_first_run(
        db, trust_name="Test NHS Trust", coordinator_name="Sam", localities=["Rugby"]
    )
    loc = meetings.list_localities(db)[0].id
    forum = meetings.create_forum(
        db, locality_id=loc, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    andrew = _person(db, "Andrew Ellis")
    woodhouse = _person(
        db, "Ellie Woodhouse", name_in_minutes=True, consent_to_contact=True, email="ew@example.org"
    )
    marsh = _person(db, "Ellie Marsh")
    tran = _person(db, "Michael Tran")
    staff.save_staff(db, "Michael Sharma", "michael.sharma@nhs.example")
    meeting_id = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum,
            meeting_date=MEETING_DAY,
            start_time=time(18, 30),
            end_time=time(20, 0),
            venue=VENUE,
            status=MeetingStatus.HELD,
            chair="Ellie Woodhouse",
        ),
    )
    for pid in (andrew, woodhouse, marsh, tran):
        meetings.set_attendance(db, meeting_id, pid, AttendanceStatus.PRESENT)
    members.add_member(db, forum, woodhouse)
    meetings.add_agenda_item(
        db, meeting_id, "Hall", "Ellie said the hall was cold; Ellie Woodhouse agreed.", ""
    )
    actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=meeting_id,
        data=ActionInput(title="Book the heating", owner="Michael Sharma", raised_on=MEETING_DAY),
    )
    return Meeting(loc, forum, meeting_id)


def _pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def test_by_hand_the_minutes_keep_the_venue_the_chair_and_the_staff_owner(
    db: Database, meeting: Meeting, tmp_path: Path
) -> None:
    page = _pdf_text(
        write_pdf(minutes.minutes_document(db, meeting.meeting_id), tmp_path / "m.pdf")
    )
    assert f"Venue: {VENUE}" in page
    assert "Church Hall" in page and "[service user]'s Church Hall" not in page
    assert "Chair: Ellie Woodhouse" in page
    assert (
        "Present 4 people were present: 1 named below and 3 not named in the minutes. "
        "Service user (4): Ellie Woodhouse and 3 service users" in page
    )
    assert "Michael Sharma" in page
    assert f"{SU} said the hall was cold; Ellie Woodhouse agreed." in page
    for hidden in ("Andrew Ellis", "Ellie Marsh", "Michael Tran", "Marsh", "Tran"):
        assert hidden not in page, hidden
    # The minutes' review lists what is hidden, not what is kept.
    items = review.review_printout(db, review.MINUTES, meeting.meeting_id)
    for item in items:
        for finding in item.findings:
            shown = item.text[finding.start : finding.end]
            assert shown == "Ellie" and finding.hidden, (item.where, shown, finding.reason)


def test_by_hand_the_return_keeps_the_staff_owner_and_hides_the_consenting_chair(
    db: Database, meeting: Meeting, tmp_path: Path
) -> None:
    path = export_return(
        db, locality="Rugby", month=Month(2026, 10), target=tmp_path / "r.xlsx", app_version="t"
    )
    sheet = openpyxl.load_workbook(path)["Actions"]
    header = [cell.value for cell in sheet[1]]
    owners = [row[header.index("Owner")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert owners == ["Michael Sharma"]
    items = review.review_return(db, locality="Rugby", month=Month(2026, 10))
    assert not [i for i in items if i.piece.column == "owner"]
    # The return hides every service user, Ellie Woodhouse too: only staff may be named there.
    with db.reading() as conn:
        hide = redactor_for(conn)
    assert hide("Ellie Woodhouse and Michael Sharma") == f"{SU} and Michael Sharma"


def test_by_hand_the_invitation_and_the_email_give_the_real_place(
    db: Database, meeting: Meeting, tmp_path: Path
) -> None:
    from icalendar import Calendar

    event = Calendar.from_ical(invitation_bytes(db, meeting.meeting_id)).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == VENUE
    result = papers.send_papers(
        db, meeting.meeting_id, PapersKind.AGENDA, tmp_path, today=date(2026, 10, 1)
    )
    assert result.emails == 1
    message = message_from_bytes(result.drafts[0].read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and VENUE in body.get_content()
    agenda = next(p for p in message.iter_attachments() if p.get_filename().endswith(".pdf"))
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(agenda.get_content())
    assert VENUE in _pdf_text(pdf)


def test_a_name_only_carers_could_have_is_hidden_as_a_carer() -> None:
    """A staff member who shares a full name with a carer was hidden as "[service user]" while
    a service user shared the first name: several words are the category of whoever could have
    them all (core/placeholders.py); a word alone, of the service user's too, stays theirs."""
    people = [("Alex Stewart", "", CARER), ("Alex Tran", "", SU), ("Ben Stewart", "", SU)]
    hide = Redactor(people, staff=["Alex Stewart"])
    assert hide("Owner: Alex Stewart") == f"Owner: {CARER}"
    assert hide("Stewart, Alex; Alex-Stewart; A. Stewart") == f"{CARER}; {CARER}; {SU}"
    assert hide("Alex said; Stewart said; Alex Tran") == f"{SU} said; {SU} said; {SU}"
    # A carer's "also known as" counts as theirs.
    hide = Redactor([("Alexandra Stewart", "Alex", CARER), ("Alex Tran", "", SU)])
    assert hide("Alex Stewart") == CARER
    # Both could have it: the service user's placeholder, as before.
    hide = Redactor([("Alex Stewart", "", CARER), ("Alex Stewart", "", SU)], staff=["Alex Stewart"])
    assert hide("Owner: Alex Stewart") == f"Owner: {SU}"
    # No one has both words: the words' own placeholders, the service user's winning.
    hide = Redactor([("Alex Jones", "", SU), ("Kim Stewart", "", CARER)])
    assert hide("Alex Stewart") == SU
    # Added later (``Redactor.add``): taken into account too.
    hide = Redactor([("Alex Tran", "", SU)], staff=["Alex Stewart"])
    assert hide("Alex Stewart") == "Alex Stewart"
    hide.add("Alex Stewart", "", CARER)
    assert hide("Alex Stewart") == CARER


def test_by_hand_a_staff_owner_keeps_their_name_though_a_carer_shares_it(
    db: Database, meeting: Meeting, tmp_path: Path
) -> None:
    """Alex Stewart, staff, owns an action chosen from the staff list (kept by id,
    ``actions.owner_staff_id``); a carer is called Alex Stewart too, and a service user Alex
    Tran: the return's Owner column says Alex Stewart, as the staff list has it, and the
    privacy review lists nothing of it. An owner typed as free text with a carer's name (no
    staff member of that name) is still hidden as "[carer]" and listed
    (docs/monthly-return.md#what-it-holds-and-what-it-never-holds)."""
    staff.save_staff(db, "Alex Stewart", "alex.stewart@nhs.example")
    for name in ("Alex Stewart", "Jo Bloggs"):
        people.create_participant(db, people.ParticipantInput(name=name, category=Category.CARER))
    _person(db, "Alex Tran")
    for title, owner in (("Fix the ramp", "alex stewart"), ("Paint the door", "Jo Bloggs")):
        actions.raise_action(
            db,
            locality_id=meeting.locality_id,
            meeting_id=meeting.meeting_id,
            data=ActionInput(title=title, owner=owner, raised_on=MEETING_DAY),
        )
    path = export_return(
        db, locality="Rugby", month=Month(2026, 10), target=tmp_path / "r.xlsx", app_version="t"
    )
    sheet = openpyxl.load_workbook(path)["Actions"]
    header = [cell.value for cell in sheet[1]]
    owners = {
        row[header.index("Title")]: row[header.index("Owner")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert owners == {
        "Book the heating": "Michael Sharma",
        "Fix the ramp": "Alex Stewart",
        "Paint the door": CARER,
    }
    items = review.review_return(db, locality="Rugby", month=Month(2026, 10))
    listed = [(i.text, i.leaves_as) for i in items if i.piece.column == "owner"]
    assert listed == [("Jo Bloggs", CARER)]
    assert "service user's or carer's name" in review_lines(items)


def _staff_owner_and_carer_owner(db: Database, meeting: Meeting) -> None:
    """Alex Stewart, staff, owns "Fix the ramp" chosen from the staff list; a carer is called
    Alex Stewart too, and another carer Jo Bloggs owns "Paint the door" as free text."""
    staff.save_staff(db, "Alex Stewart", "alex.stewart@nhs.example")
    for name in ("Alex Stewart", "Jo Bloggs"):
        people.create_participant(db, people.ParticipantInput(name=name, category=Category.CARER))
    for title, owner in (("Fix the ramp", "Alex Stewart"), ("Paint the door", "Jo Bloggs")):
        actions.raise_action(
            db,
            locality_id=meeting.locality_id,
            meeting_id=meeting.meeting_id,
            data=ActionInput(title=title, owner=owner, raised_on=MEETING_DAY),
        )


def test_by_hand_the_papers_name_a_staff_owner_though_a_carer_shares_the_name(
    db: Database, meeting: Meeting, tmp_path: Path
) -> None:
    """The minutes, the easy-read minutes and the actions log give an owner chosen from the
    staff list by name whoever shares it; a free-text owner with a carer's name is "[carer]"
    (docs/printouts.md#names-and-privacy)."""
    _staff_owner_and_carer_owner(db, meeting)
    papers_ = {
        "minutes": minutes.minutes_document(db, meeting.meeting_id),
        "easy read": easy_read.easy_read_minutes(db, meeting.meeting_id),
        "actions log": minutes.actions_log_document(db, meeting.forum_id, today=MEETING_DAY),
    }
    for what, document in papers_.items():
        page = _pdf_text(write_pdf(document, tmp_path / f"{what}.pdf"))
        assert "Alex Stewart" in page, what
        assert "Jo" not in page.split() and "Bloggs" not in page, what
        assert "Paint the door" in page and CARER in page, what


def test_a_reminder_greets_a_staff_owner_by_name_at_their_address_though_a_carer_shares_it(
    db: Database, meeting: Meeting
) -> None:
    """An owner chosen from the staff list is that staff member: "Dear Alex Stewart", to their
    staff address; a free-text owner with a carer's name is greeted "Dear [carer]" with no
    address."""
    _staff_owner_and_carer_owner(db, meeting)
    drafts = reminders.compose_reminders(
        actions.owner_reminders(db, MEETING_DAY),
        today=MEETING_DAY,
        redact=redactor_of(db),
        addresses=staff.addresses(db),
    )
    by_owner = {d.owner: d for d in drafts}
    assert by_owner["Alex Stewart"].to == "alex.stewart@nhs.example"
    assert by_owner["Alex Stewart"].body.startswith("Dear Alex Stewart,\n")
    assert "Fix the ramp" in by_owner["Alex Stewart"].body
    assert by_owner[CARER].to == ""
    assert by_owner[CARER].body.startswith(f"Dear {CARER},\n")
    assert all("Jo Bloggs" not in d.owner + d.body for d in drafts)


def review_lines(items: list[review.ReviewItem]) -> str:
    return "\n".join(line for item in items for line in item.lines())


def test_a_staff_name_kept_by_id_has_only_its_contact_details_hidden() -> None:
    """``Piece.staff_id``: the text is that staff member's name, so no word of it is hidden as
    a name, whoever shares it; an e-mail address or phone number in it still is."""
    hide = Redactor([("Alex Stewart", "", CARER), ("Alex Tran", "", SU)], staff=["Alex Stewart"])
    owner = Piece("actions", "owner", uuid.uuid4(), "Action RUG-A1", "Owner", names_expected=True)
    by_id = Piece(
        "actions", "owner", uuid.uuid4(), "Action RUG-A1", "Owner", True, staff_id=uuid.uuid4()
    )
    assert hide("Alex Stewart", owner) == CARER
    assert hide("Alex Stewart", by_id) == "Alex Stewart"
    assert hide("Alex Stewart 07700 900123", by_id) == "Alex Stewart [contact details removed]"
    assert review.findings(hide, "Alex Stewart", names_expected=True, staff=True) == []
