"""The printouts' content (core/minutes.py): who is named, what is hidden, every section."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

import pytest

from coordinator_app.core import actions, meetings, minutes, people
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.document import Document, Group, ItemList, Table, plain
from coordinator_app.core.errors import NotFoundError
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import (
    AccessibleFormat,
    AttendanceStatus,
    Category,
    ExperienceKind,
    ForumKind,
    MeetingStatus,
)


@dataclass
class Sample:
    locality_id: uuid.UUID
    forum_id: uuid.UUID
    earlier_id: uuid.UUID
    meeting_id: uuid.UUID
    next_id: uuid.UUID


def person(db: Database, name: str, category: Category, **extra: object) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(name=name, category=category, **extra),  # type: ignore[arg-type]
    )


def text_of(page: Document) -> str:
    """The text a reader gets, in reading order."""
    return page.text()


def blocks_of(page: Document, kind: type) -> list:
    """Every block of ``kind`` in the document, groups opened."""
    found = []

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Group):
                walk(block.blocks)
            elif isinstance(block, kind):
                found.append(block)

    walk(page.blocks)
    return found


@pytest.fixture
def sample(db: Database) -> Sample:
    complete_first_run(
        db,
        trust_name="Test Partnership NHS Trust",
        coordinator_name="Siân Evans",
        localities=["Rugby"],
    )
    loc = meetings.list_localities(db)[0].id
    forum = meetings.create_forum(
        db, locality_id=loc, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    zoe = person(
        db,
        "Zoë Price",
        Category.SERVICE_USER,
        name_in_minutes=True,
        consent_to_contact=True,
        email="zoe.price@example.org",
        phone="07700 900123",
    )
    gareth = person(db, "Gareth Hughes", Category.SERVICE_USER)
    siobhan = person(db, "Siobhán O'Neill", Category.CARER)
    staff = person(
        db, "Dr Rhian Llewelyn", Category.STAFF, consent_to_contact=True, email="rhian@nhs.example"
    )
    rep = person(db, "Tomasz Wiśniewski", Category.REPRESENTATIVE)
    apologies = person(db, "Seán Murphy", Category.STAFF)
    hidden_apologies = person(db, "Mary Ann Smith", Category.CARER)
    earlier = meetings.create_meeting(
        db, MeetingInput(forum_id=forum, meeting_date=date(2025, 1, 16), status=MeetingStatus.HELD)
    )
    carried = actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=earlier,
        data=ActionInput(
            title="Write to the ward about visiting hours for Gareth Hughes",
            owner="Siân Evans",
            raised_on=date(2025, 1, 16),
            due_on=date(2025, 2, 28),
        ),
    )
    actions.add_progress(db, carried, "Letter sent to the ward manager.", date(2025, 2, 10))
    m = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum,
            meeting_date=date(2025, 3, 20),
            start_time=time(18, 30),
            end_time=time(20, 0),
            venue="Benn Hall",
            status=MeetingStatus.HELD,
            chair="Dr Rhian Llewelyn",
        ),
    )
    for pid in (zoe, gareth, siobhan, staff, rep):
        meetings.set_attendance(db, m, pid, AttendanceStatus.PRESENT)
    for pid in (apologies, hidden_apologies):
        meetings.set_attendance(db, m, pid, AttendanceStatus.APOLOGIES)
    meetings.set_unnamed(db, m, Category.SERVICE_USER, 2)
    meetings.set_unnamed(db, m, Category.CARER, 1)
    meetings.add_agenda_item(db, m, "Welcome", "Zoë Price welcomed Gareth Hughes.", "")
    meetings.add_agenda_item(
        db,
        m,
        "Crisis line",
        "GARETH HUGHES said calls wait too long; call 07700 900123.",
        "Report answer times.\nSiobhan O’Neill to be kept informed.",
    )
    meetings.add_experience(
        db,
        m,
        ExperienceInput(
            kind=ExperienceKind.COMPLIMENT,
            theme="Kindness",
            service="Home Treatment Team",
            summary="Siobhán O'Neill praised the team.",
            response="Passed on to the team.",
        ),
    )
    actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=m,
        data=ActionInput(
            title="Publish crisis line answer times",
            owner="Seán Murphy",
            raised_on=date(2025, 3, 20),
            due_on=date(2025, 5, 1),
        ),
    )
    actions.raise_action(
        db,
        locality_id=loc,
        meeting_id=m,
        data=ActionInput(
            title="Call Gareth Hughes back about transport",
            owner="Gareth Hughes",
            raised_on=date(2025, 3, 20),
        ),
    )
    nxt = meetings.plan_next_meeting(db, m)
    return Sample(loc, forum, earlier, m, nxt)


HIDDEN = ("Gareth Hughes", "GARETH", "Siobhán", "Siobhan", "O'Neill", "O’Neill", "Mary Ann")
CONTACTS = ("zoe.price@example.org", "07700 900123", "07700", "rhian@nhs.example")


def test_minutes_name_consented_people_and_staff(db: Database, sample: Sample) -> None:
    page = text_of(minutes.minutes_document(db, sample.meeting_id))
    for shown in ("Zoë Price", "Dr Rhian Llewelyn", "Tomasz Wiśniewski", "Seán Murphy"):
        assert shown in page
    assert "Test Partnership NHS Trust" in page
    assert "Rugby Locality Forum" in page
    assert "Thursday 20 March 2025" in page
    assert "18:30 to 20:00" in page
    assert "Benn Hall" in page


def test_minutes_never_show_hidden_names_or_contact_details(db: Database, sample: Sample) -> None:
    for large in (False, True):
        page = minutes.minutes_document(db, sample.meeting_id, large_print=large)
        visible = text_of(page)
        for hidden in (*HIDDEN, *CONTACTS):
            assert hidden not in visible, hidden
            assert hidden not in page.to_json(), hidden
    assert "[service user]" in visible  # in the discussion and the action title
    assert "[carer]" in visible  # in the decisions and the experience summary
    assert minutes.CONTACT_PLACEHOLDER in visible


def test_minutes_count_people_who_are_not_named_by_category(db: Database, sample: Sample) -> None:
    page = text_of(minutes.minutes_document(db, sample.meeting_id))
    present = page[page.index("Present") : page.index("Apologies")]
    assert "Service user (2)" in present
    assert "Zoë Price and 1 service user not named in the minutes" in present
    assert "Carer (1)" in present and "1 carer" in present
    assert "Also present, not recorded by name: 2 service users and 1 carer" in present
    apologies = page[page.index("Apologies") : page.index("Matters arising")]
    assert "Seán Murphy" in apologies and "Carer (1)" in apologies


def test_minutes_say_how_many_were_present_true_to_the_list(
    db: Database, sample: Sample, tmp_path
) -> None:
    """The Present section opens with how many were present, in words true to the list under
    it: 3 named, 2 counted as not named in the minutes, 3 not recorded by name. (A demo meeting
    said "26 named people were present" above a list naming 20.) In the PDF too."""
    import shutil

    from coordinator_app.core.typeset import pdf_bytes
    from tests.core.test_typeset import pdf_text

    sentence = (
        "8 people were present: 3 named below, 2 not named in the minutes and 3 not recorded "
        "by name."
    )
    document = minutes.minutes_document(db, sample.meeting_id)
    page = text_of(document)
    assert sentence in page[page.index("Present") : page.index("Service user (2)")]
    assert "named people" not in page
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed; .ci/run installs it")
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(pdf_bytes(document))
    printed = " ".join(pdf_text(pdf).split())
    assert f"Present {sentence} Service user (2): Zoë Price and 1 service user not named" in printed


@pytest.mark.parametrize(
    ("named", "not_named", "not_recorded", "sentence"),
    [
        (20, 6, 0, "26 people were present: 20 named below and 6 not named in the minutes."),
        (20, 0, 0, "20 people were present, named below."),
        (1, 0, 0, "1 person was present, named below."),
        (0, 1, 0, "1 person was present, not named in the minutes."),
        (0, 0, 4, "4 people were present, not recorded by name."),
        (2, 0, 1, "3 people were present: 2 named below and 1 not recorded by name."),
    ],
)
def test_the_headcount_counts_the_named_and_the_not_named_apart(
    named: int, not_named: int, not_recorded: int, sentence: str
) -> None:
    from coordinator_app.core.minutes_register import headcount

    assert headcount(named, not_named, not_recorded) == sentence


def test_minutes_hold_every_section(db: Database, sample: Sample) -> None:
    page = text_of(minutes.minutes_document(db, sample.meeting_id))
    order = [
        "Present",
        "Apologies",
        "Matters arising",
        "Agenda",
        "Experience heard",
        "Actions agreed",
        "Date of next meeting",
        "Signed (chair)",
    ]
    positions = [page.index(word) for word in order]
    assert positions == sorted(positions)
    matters = page[page.index("Matters arising") : page.index("Agenda")]
    assert "RUG-A1" in matters and "Letter sent to the ward manager." in matters
    assert "1. Welcome" in page and "2. Crisis line" in page
    assert "Report answer times." in page
    assert "Passed on to the team." in page
    raised = page[page.index("Actions agreed") : page.index("Date of next meeting")]
    assert "RUG-A2" in raised and "Publish crisis line answer times" in raised
    assert "RUG-A3" in raised and "1 May 2025" in raised
    assert "Thursday 17 April 2025" in page[page.index("Date of next meeting") :]


def test_large_print_is_asked_of_the_typesetter(db: Database, sample: Sample) -> None:
    # The type sizes themselves are measured in the PDF (tests/core/test_typeset.py).
    assert minutes.minutes_document(db, sample.meeting_id, large_print=True).large_print
    assert not minutes.minutes_document(db, sample.meeting_id).large_print


def test_large_print_is_suggested_when_an_attendee_prefers_it(db: Database, sample: Sample) -> None:
    assert not minutes.suggest_large_print(db, sample.meeting_id)
    reader = person(
        db, "Ffion Jones", Category.CARER, accessible_format=AccessibleFormat.LARGE_PRINT
    )
    meetings.set_attendance(db, sample.meeting_id, reader, AttendanceStatus.ABSENT)
    assert not minutes.suggest_large_print(db, sample.meeting_id)
    meetings.set_attendance(db, sample.meeting_id, reader, AttendanceStatus.APOLOGIES)
    assert minutes.suggest_large_print(db, sample.meeting_id)
    # The planned next meeting: the forum's regulars count (she has not attended yet).
    assert not minutes.suggest_large_print(db, sample.next_id)
    meetings.set_attendance(db, sample.meeting_id, reader, AttendanceStatus.PRESENT)
    assert minutes.suggest_large_print(db, sample.next_id)


def test_empty_meeting_gives_a_complete_document(db: Database, sample: Sample) -> None:
    page = text_of(minutes.minutes_document(db, sample.next_id))
    assert "No attendance was recorded." in page
    assert "Apologies" in page and "None." in page
    assert "No actions were agreed at this meeting." in page
    assert "No experience items were recorded" in page
    assert "Draft" in page
    assert "To be arranged." in page
    assert "RUG-A1" in page  # still open: a matter arising at the next meeting


def test_meeting_with_no_agenda(db: Database, sample: Sample) -> None:
    bare = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=sample.forum_id, meeting_date=date(2025, 2, 20), status=MeetingStatus.CANCELLED
        ),
    )
    page = text_of(minutes.minutes_document(db, bare))
    assert "No agenda items were recorded." in page
    assert "This meeting was cancelled." in page


def test_welsh_polish_and_a_200_character_name(db: Database, sample: Sample) -> None:
    long_name = "Llanfairpwllgwyngyll " * 9 + "Ąę" * 5
    long_name = long_name[:200]
    pid = person(db, long_name, Category.STAFF)
    meetings.set_attendance(db, sample.meeting_id, pid, AttendanceStatus.PRESENT)
    meetings.add_agenda_item(
        db,
        sample.meeting_id,
        "Croeso / Witamy",
        "Diolch yn fawr. Zażółć gęślą jaźń <script>&amp;",
        "Ŵ ŷ ł ń",
    )
    page = minutes.minutes_document(db, sample.meeting_id)
    visible = text_of(page)
    assert " ".join(long_name.split()) in visible
    assert "Diolch yn fawr. Zażółć gęślą jaźń <script>&amp;" in visible
    assert "<script>" in page.to_json()  # data, never markup: printed as typed
    assert "3. Croeso / Witamy" in visible and "Ŵ ŷ ł ń" in visible


def test_missing_meeting_is_a_clear_error(db: Database) -> None:
    with pytest.raises(NotFoundError):
        minutes.minutes_document(db, uuid.uuid4())


def test_agenda_lists_the_items_and_matters_arising_without_hidden_names(
    db: Database, sample: Sample
) -> None:
    # The planned next meeting: "Plan next meeting" gave it "Matters arising" as item 1.
    meetings.add_agenda_item(db, sample.next_id, "Welcome and apologies", "Said on the day.", "")
    meetings.add_agenda_item(db, sample.next_id, "Transport for Gareth Hughes", "", "")
    page = minutes.agenda_document(db, sample.next_id)
    visible = text_of(page)
    assert "Agenda: Rugby Locality Forum" in visible
    assert "Thursday 17 April 2025" in visible and "Dr Rhian Llewelyn" in visible  # the chair
    (numbered,) = blocks_of(page, ItemList)
    assert numbered.numbered
    assert [plain(item) for item in numbered.items] == [
        "Matters arising",
        "Welcome and apologies",
        "Transport for [service user]",
    ]
    assert "Said on the day." not in visible  # what is said belongs in the minutes
    matters = visible[visible.index("Actions agreed at earlier") : visible.index("Date of next")]
    for ref in ("RUG-A1", "RUG-A2", "RUG-A3"):  # open from the earlier meetings
        assert ref in matters
    assert "Letter sent to the ward manager." in matters
    assert "To be arranged." in visible[visible.index("Date of next meeting") :]
    assert "large print or easy read" in visible and "Siân Evans" in visible
    for hidden in (*HIDDEN, *CONTACTS):
        assert hidden not in visible
    assert minutes.agenda_document(db, sample.next_id, large_print=True).large_print


def test_agenda_of_a_meeting_with_no_items_or_one_cancelled(db: Database, sample: Sample) -> None:
    fresh = MeetingInput(forum_id=sample.forum_id, meeting_date=date(2025, 6, 19))
    bare = meetings.create_meeting(db, fresh)
    page = text_of(minutes.agenda_document(db, bare))
    assert "No agenda items have been added yet." in page
    assert "To be confirmed" in page  # no chair yet
    assert "This meeting was cancelled." not in page
    fresh.status = MeetingStatus.CANCELLED
    meetings.update_meeting(db, bare, fresh)
    assert "This meeting was cancelled." in text_of(minutes.agenda_document(db, bare))
    with pytest.raises(NotFoundError):
        minutes.agenda_document(db, uuid.uuid4())


def test_sign_in_sheet_prefills_regulars_who_may_be_named(db: Database, sample: Sample) -> None:
    page = minutes.sign_in_sheet_document(db, sample.next_id, blank_rows=3)
    visible = text_of(page)
    for shown in ("Zoë Price", "Dr Rhian Llewelyn", "Tomasz Wiśniewski"):
        assert shown in visible
    for hidden in (*HIDDEN, *CONTACTS):
        assert hidden not in visible
    (table,) = blocks_of(page, Table)
    headers = [c.header for c in table.columns]
    assert "Signature" in headers and "Expenses" in headers
    assert not table.reflow  # people sign across its rows, large print too
    # 3 named regulars + (3 blank + 2 for the people not named) rows.
    assert len(table.rows) == 3 + 3 + 2
    assert visible.index("Dr Rhian") < visible.index("Tomasz") < visible.index("Zoë")
    assert minutes.TICKED in visible and page.landscape


def test_actions_log_lists_open_actions_of_the_forum(db: Database, sample: Sample) -> None:
    page = minutes.actions_log_document(db, sample.forum_id, today=date(2025, 3, 21))
    visible = text_of(page)
    for ref in ("RUG-A1", "RUG-A2", "RUG-A3"):
        assert ref in visible
    assert "Overdue" in visible  # RUG-A1 was due 28 Feb
    assert "3 open actions, 1 of them overdue." in visible
    assert "Letter sent to the ward manager." in visible
    for hidden in HIDDEN:
        assert hidden not in visible
    before = text_of(minutes.actions_log_document(db, sample.forum_id, today=date(2025, 1, 10)))
    assert "There are no open actions." in before
    with pytest.raises(NotFoundError):
        minutes.actions_log_document(db, uuid.uuid4())


def test_with_none_planned_the_next_meeting_is_the_forums_usual_day(
    db: Database, sample: Sample
) -> None:
    """Issue #22's walk: a forum that meets on the 3rd Thursday printed "Date of next meeting:
    To be arranged." when nothing was planned yet. The usual day of the following month is
    given, marked as to be confirmed; a forum with no usual day still says "To be arranged."."""
    from coordinator_app.core import forum_usual, organisation

    organisation.update_forum(
        db,
        sample.forum_id,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        usual=forum_usual.Usual(week=3, weekday=3, start=time(18, 30), end=time(20, 30)),
    )
    # The sample's next meeting (the latest) has none planned after it.
    page = text_of(minutes.minutes_document(db, sample.next_id))
    tail = page[page.index("Date of next meeting") :]
    assert "To be arranged." not in tail
    assert "18:30 to 20:30: the forum's usual day, to be confirmed." in tail
    assert "Thursday 15 May 2025, 18:30 to 20:30" in tail  # the next is on 17 April
