"""Reminder drafts to action owners: wording, mailto links within their limit, .eml files."""

from __future__ import annotations

import email
import uuid
from datetime import date
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from coordinator_app.core import reminders
from coordinator_app.core.actions import ActionRow
from coordinator_app.core.privacy import Redactor
from coordinator_app.core.reminders import ReminderDraft
from coordinator_app.core.vocab import ActionLevel, ActionStatus

TODAY = date(2025, 3, 20)


def row(ref: str, title: str, due: date | None, overdue: bool, progress: str = "") -> ActionRow:
    return ActionRow(
        id=uuid.uuid4(),
        reference=ref,
        title=title,
        owner="Zoë O'Neill",
        level=ActionLevel.LOCALITY,
        priority_name="",
        raised_on=date(2025, 1, 1),
        due_on=due,
        status=ActionStatus.OPEN,
        closed_on=None,
        outcome="",
        overdue=overdue,
        latest_progress=progress,
        meeting_reference="",
        locality_name="Rugby",
    )


def drafts() -> list[ReminderDraft]:
    found = {
        "Zoë O'Neill": [
            row("RUG-A1", "Publish waiting times", date(2025, 3, 19), True, "Asked web team"),
            row("RUG-A2", "Order leaflets", date(2025, 3, 26), False),
            row("RUG-A3", "Book a room", None, False),
        ],
        "Siân Evans": [row("COV-A1", "Visit the ward", date(2025, 4, 1), False)],
        "Nobody": [],
    }
    return reminders.compose_reminders(
        found, today=TODAY, sender="Ellie Hill", trust="CWPT", redact=Redactor()
    )


def test_one_draft_per_owner_overdue_first_with_counts() -> None:
    zoe, sian = drafts()
    assert (zoe.owner, zoe.open_count, zoe.overdue_count) == ("Zoë O'Neill", 3, 1)
    assert zoe.subject == "Your open actions (3, 1 overdue) - CWPT"
    assert sian.subject == "Your open action (1) - CWPT"
    body = zoe.body
    assert body.startswith("Dear Zoë O'Neill,")
    assert body.index("Overdue:") < body.index("RUG-A1") < body.index("Open:")
    assert "RUG-A1: Publish waiting times (Rugby, OVERDUE by 1 day (due 19/03/2025))" in body
    assert "Latest progress: Asked web team" in body
    assert "RUG-A3: Book a room (Rugby, no due date)" in body
    assert body.rstrip().endswith("Ellie Hill")
    assert "Overdue:" not in sian.body and "Open actions:" in sian.body


def test_mailto_carries_subject_and_body_and_stays_under_the_limit() -> None:
    zoe = drafts()[0]
    url = reminders.mailto_url(zoe)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("mailto:?")
    assert query["subject"] == [zoe.subject] and query["body"] == [zoe.body]
    long = ReminderDraft("Zoë", "Subject", "\n".join(f"- line {n}" for n in range(500)), 500, 0)
    cut = reminders.mailto_url(long, limit=600)
    assert len(cut) <= 600
    assert "longer than an email link allows" in parse_qs(urlsplit(cut).query)["body"][0]


def test_eml_drafts_open_as_unsent_messages_with_unique_names(tmp_path: Path) -> None:
    zoe, sian = drafts()
    twin = ReminderDraft("Zoë O'Neill", "Again", "Body\n", 1, 0)
    slash = ReminderDraft("Head of ops / Rugby", "Ops", "Body\n", 1, 0)
    written = reminders.write_eml_drafts([zoe, sian, twin, slash], tmp_path, "Ellie Hill")
    assert [p.name for p in written] == [
        "Actions for Zoë O Neill.eml",
        "Actions for Siân Evans.eml",
        "Actions for Zoë O Neill (2).eml",
        "Actions for Head of ops Rugby.eml",
    ]
    message = email.message_from_bytes(written[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == zoe.subject
    assert message["X-Unsent"] == "1"
    assert message.get_content().replace("\r\n", "\n") == zoe.body  # .eml lines end CRLF
    # Atomic: nothing but the drafts in the folder (no temporary files left behind).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_safe_file_names_keep_accents_and_drop_separators() -> None:
    assert reminders.safe_file_name("Siân / Seán: carers") == "Siân Seán carers"
    assert reminders.safe_file_name(" ... ") == "owner"
