"""Drafts (core/drafts.py): typing kept until it is saved or thrown away, one row per person
and form, each call its own committed transaction, and a draft whose record went is said so."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from coordinator_app.core import drafts, meetings, schema
from coordinator_app.core.db import Database
from coordinator_app.core.drafts import DraftField
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import ForumKind


def _meeting(db: Database) -> uuid.UUID:
    complete_first_run(db, trust_name="Trust", coordinator_name="Siân Evans", localities=["Rugby"])
    (rugby,) = [loc.id for loc in meetings.list_localities(db)]
    forum = meetings.create_forum(
        db, locality_id=rugby, name="Rugby Locality Forum", kind=ForumKind.LOCALITY_FORUM
    )
    return meetings.create_meeting(
        db, meetings.MeetingInput(forum_id=forum, meeting_date=date(2025, 10, 6))
    )


def _fields(decisions: str) -> list[DraftField]:
    return [
        DraftField("title", "Title", "text", "Pharmacy", "Pharmacy", changed=False),
        DraftField("decisions", "Decisions", "text", decisions, decisions),
        DraftField("status", "Status", "choice", "held", "Held"),
        DraftField("active", "Active", "check", True, "yes", changed=False),
    ]


def _count(db: Database) -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(schema.drafts)).scalar_one()


def test_a_draft_round_trips_with_its_fields_label_record_and_context(db: Database) -> None:
    meeting_id = _meeting(db)
    text = "Zoë and Siân agreed:\n• ask the pharmacy\n"
    draft_id = drafts.save_draft(
        db,
        key=f"agenda_item:{meeting_id}",
        form="MeetingEditor",
        label="the minutes of Rugby Locality Forum, 6 October 2025",
        fields=_fields(text),
        context={"part": "agenda", "meeting_id": meeting_id},
        record=("meetings", meeting_id),
    )
    (draft,) = drafts.list_drafts(db)
    assert draft.id == draft_id
    assert draft.label == "the minutes of Rugby Locality Forum, 6 October 2025"
    assert draft.form == "MeetingEditor"
    assert (draft.record_table, draft.record_id) == ("meetings", meeting_id)
    assert draft.context == {"part": "agenda", "meeting_id": str(meeting_id)}
    assert draft.fields == tuple(_fields(text))
    assert draft.record_gone is False
    assert draft.created_at.tzinfo is not None


def test_saving_again_replaces_the_draft_and_each_owner_has_their_own(db: Database) -> None:
    drafts.save_draft(db, key="k", form="ActionEditor", label="a", fields=_fields("first"))
    first = drafts.list_drafts(db)[0]
    drafts.save_draft(db, key="k", form="ActionEditor", label="b", fields=_fields("second"))
    drafts.save_draft(
        db, key="k", form="ActionEditor", label="theirs", fields=_fields("x"), owner="seán@other"
    )
    (mine,) = drafts.list_drafts(db)
    assert (mine.id, mine.label, mine.fields[1].value) == (first.id, "b", "second")
    assert mine.created_at == first.created_at and mine.updated_at >= first.updated_at
    assert [d.label for d in drafts.list_drafts(db, owner="seán@other")] == ["theirs"]
    assert _count(db) == 2


def test_dropping_deletes_only_that_draft_and_a_missing_one_is_no_error(db: Database) -> None:
    for key in ("one", "two"):
        drafts.save_draft(db, key=key, form="ParticipantDialog", label=key, fields=_fields(key))
    assert drafts.drop_draft(db, "one") is True
    assert drafts.drop_draft(db, "one") is False
    assert drafts.drop_draft(db, "two", owner="someone@else") is False
    assert [d.key for d in drafts.list_drafts(db)] == ["two"]


def test_each_call_is_committed_before_it_returns(db: Database, other: Database) -> None:
    """Another connection (another app on the file) sees the draft at once: nothing waits for
    a later commit that a kill would lose."""
    drafts.save_draft(db, key="k", form="ActionEditor", label="a", fields=_fields("Zoë"))
    assert [d.fields[1].value for d in drafts.list_drafts(other)] == ["Zoë"]
    drafts.drop_draft(db, "k")
    assert drafts.list_drafts(other) == []


def test_a_draft_whose_record_was_deleted_says_so(db: Database) -> None:
    meeting_id = _meeting(db)
    drafts.save_draft(
        db,
        key="details",
        form="MeetingEditor",
        label="m",
        fields=_fields("x"),
        record=("meetings", meeting_id),
    )
    drafts.save_draft(db, key="new", form="NewMeetingDialog", label="n", fields=_fields("y"))
    meetings.delete_meeting(db, meeting_id)
    gone = {d.key: d.record_gone for d in drafts.list_drafts(db)}
    assert gone == {"details": True, "new": False}


def test_the_text_to_copy_lists_what_was_changed(db: Database) -> None:
    drafts.save_draft(
        db,
        key="k",
        form="ActionEditor",
        label="a",
        fields=_fields("Zoë to ask\nthe pharmacy"),
    )
    (draft,) = drafts.list_drafts(db)
    assert draft.text() == "Decisions:\nZoë to ask\nthe pharmacy\nStatus: Held"
    unchanged = [DraftField("title", "Title", "text", "Benn Hall", "Benn Hall", changed=False)]
    drafts.save_draft(db, key="k", form="ActionEditor", label="a", fields=unchanged)
    assert drafts.list_drafts(db)[0].text() == "Title: Benn Hall"


def test_a_nul_character_is_kept_on_either_backend(db: Database) -> None:
    drafts.save_draft(db, key="k", form="ActionEditor", label="lab\x00el", fields=_fields("a\x00b"))
    (draft,) = drafts.list_drafts(db)
    assert draft.fields[1].value == "a\x00b"
    assert draft.label == "lab\ufffdel"


def test_a_draft_belongs_to_a_real_table_and_has_a_key(db: Database) -> None:
    with pytest.raises(ValueError):
        drafts.save_draft(
            db, key="k", form="F", label="", fields=[], record=("no_such", uuid.uuid4())
        )
    with pytest.raises(ValueError):
        drafts.save_draft(db, key="", form="F", label="", fields=[])
    assert _count(db) == 0


def test_a_database_that_will_not_take_it_says_so_without_the_text(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def refuse(*_args, **_kwargs):
        raise OperationalError("INSERT", {"fields": "Zoë's note"}, Exception("database is locked"))

    monkeypatch.setattr(type(db), "transaction", refuse)
    with pytest.raises(drafts.DraftNotKept) as caught:
        drafts.save_draft(db, key="k", form="F", label="", fields=_fields("Zoë's note"))
    assert "Zoë" not in str(caught.value)


def test_meeting_titles_read_as_forum_and_date(db: Database) -> None:
    meeting_id = _meeting(db)
    assert drafts.meeting_title(db, meeting_id) == "Rugby Locality Forum, 6 October 2025"
    assert drafts.meeting_title(db, uuid.uuid4()) == "a meeting"
    assert drafts.quoted("Ask the  pharmacy about the new opening hours please") == (
        "“Ask the pharmacy about the new opening…”"
    )


def test_anonymising_and_withdrawing_consent_reach_the_drafts(db: Database) -> None:
    """Typing not saved yet is personal data too: anonymising drops the draft of the person's
    own details and replaces their name in the others (every owner's), as in the records."""
    from coordinator_app.core import anonymise, people
    from coordinator_app.core.vocab import Category

    meeting_id = _meeting(db)
    zoe, sean = (
        people.create_participant(db, people.ParticipantInput(name=name, category=category))
        for name, category in (
            ("Zoë O'Neill", Category.SERVICE_USER),
            ("Seán Murphy", Category.CARER),
        )
    )
    said = "Zoë O'Neill said the ramp is broken"
    for key, record, owner in (
        ("mine", ("participants", zoe), None),
        ("minutes", ("meetings", meeting_id), "siân@other"),
        ("his", ("participants", sean), None),
    ):
        fields = _fields(said)
        drafts.save_draft(
            db, key=key, form="F", label=key, fields=fields, record=record, owner=owner
        )
    anonymise.anonymise_participant(db, zoe)
    assert [d.key for d in drafts.list_drafts(db)] == ["his"]
    (minutes,) = drafts.list_drafts(db, owner="siân@other")
    decisions = minutes.fields[1]
    assert (decisions.value, decisions.shown) == ("[service user] said the ramp is broken",) * 2
    anonymise.withdraw_consent_to_contact(db, sean)
    assert drafts.list_drafts(db) == []
