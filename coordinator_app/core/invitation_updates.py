"""The invitation sent again when a meeting moves or is cancelled (issue #29; docs/printouts.md
"Papers to members").

When a meeting's invitation has gone out (the agenda's drafts carry it: ``core/papers.py``
records what it said, ``papers_sent.invitation``, and who had it, ``papers_recipients``) and
the meeting's date, start or end time, venue, format or online link then changes, or it is
cancelled, the members' calendars are out of date. ``needs_resending`` says so, in one place
(the meeting editor asks after each save; the Papers tab shows it until it is done):

- only after a recorded sending that carried an invitation (before 0014 none recorded what it
  said, so those are never taken as out of date);
- compared with the latest such sending, an update or a cancellation included: an update made
  once is not asked for again, and a meeting moved back to where it was needs none;
- to **exactly the members who had the first invitation by e-mail** (every agenda sending of
  the meeting), who **still** consent to contact and have an e-mail address, read now: a member
  who withdrew consent gets nothing. Those who had the agenda by letter had no invitation; they
  are counted so the coordinator can write to them.

``send_update`` makes one ``.eml`` draft per such member (only their address in ``To``,
``X-Unsent: 1``) with the invitation (``core/invitation.py``: the same UID, a higher SEQUENCE;
``METHOD:CANCEL`` and ``STATUS:CANCELLED`` for a cancellation), writes them atomically
(``papers.write_all``) and records the sending as an "invitation update" or a "cancellation",
with who it went to, so it shows in the meeting's "Papers sent".
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from sqlalchemy import select

from . import schema
from .db import Database
from .errors import CoordinatorError
from .invitation import invitation_bytes, invitation_facts
from .members import EMAIL, delivery
from .minutes import long_date, masthead, minutes_redactor
from .papers import (
    MeetingFacts,
    meeting_facts,
    record_sending,
    unique_stem,
    where_lines,
    write_all,
)
from .reminders import safe_file_name
from .vocab import PapersKind

#: The sendings that carry the meeting's calendar invitation.
WITH_INVITATION = (PapersKind.AGENDA, PapersKind.INVITATION_UPDATE, PapersKind.CANCELLATION)

#: What changed, by the invitation's facts (``invitation.invitation_facts``), in a person's words.
_CHANGES = (
    ("date", "date"),
    ("start", "start time"),
    ("end", "end time"),
    ("venue", "venue"),
    ("format", "format"),
    ("link", "online link"),
)


@dataclass(frozen=True)
class Recipient:
    participant_id: uuid.UUID
    name: str
    email: str


@dataclass(frozen=True)
class Resend:
    """An invitation out of date: what to send, to whom, and why."""

    meeting_id: uuid.UUID
    #: ``INVITATION_UPDATE`` or ``CANCELLATION``.
    kind: PapersKind
    #: The invitation's facts now: an answer "not now" is for these (ask again if they change).
    facts: str
    #: What changed since the last invitation, in words ("date", "venue"); empty when cancelled.
    changed: tuple[str, ...]
    #: When the last invitation went.
    last_sent: datetime
    recipients: tuple[Recipient, ...]
    #: Had the first invitation by e-mail but no longer consent, or have no e-mail address now.
    withdrawn: int
    #: Had the agenda by letter (no invitation): to be told another way.
    by_letter: int

    @property
    def message(self) -> str:
        """What the coordinator is asked, in a few sentences."""
        return self._told(question=True)

    @property
    def note(self) -> str:
        """The same as a note beside a "Send the update…" button."""
        return self._told(question=False)

    def _told(self, *, question: bool) -> str:
        sent = f"{self.last_sent.astimezone():%d/%m/%Y}"
        if self.kind == PapersKind.CANCELLATION:
            what = f"This meeting is cancelled, and its invitation went out on {sent}."
        else:
            what = (
                f"This meeting's {_words(self.changed)} changed after its invitation went out "
                f"on {sent}."
            )
        who = _people(len(self.recipients))
        what_drafts = "cancellation" if self.cancelled else "updated invitation"
        if self.recipients and question:
            offer = (
                f" Make the {what_drafts} e-mail drafts for the {who} who had it and still "
                "agree to be contacted?"
            )
        elif self.recipients:
            offer = f" The {who} who had it and still agree to be contacted need the {what_drafts}."
        else:
            offer = " Nobody who had it still agrees to be contacted by e-mail."
        notes = ""
        if self.withdrawn:
            notes += (
                f" {_people(self.withdrawn)} who had it will get nothing: no consent to contact "
                "or no e-mail address now."
            )
        if self.by_letter:
            notes += (
                f" {_people(self.by_letter)} had the agenda by letter: please tell them another "
                "way."
            )
        return what + offer + notes

    @property
    def cancelled(self) -> bool:
        return self.kind == PapersKind.CANCELLATION


@dataclass(frozen=True)
class UpdateResult:
    folder: Path
    drafts: tuple[Path, ...]
    kind: PapersKind
    sent_at: datetime


def _people(n: int) -> str:
    return f"{n} member{'s' * (n != 1)}"


def _words(changed: tuple[str, ...]) -> str:
    if len(changed) < 2:
        return "".join(changed) or "details"
    return ", ".join(changed[:-1]) + " and " + changed[-1]


def _last_invitation(db: Database, meeting_id: uuid.UUID) -> tuple[str, datetime] | None:
    p = schema.papers_sent
    with db.reading() as conn:
        row = conn.execute(
            select(p.c.invitation, p.c.sent_at)
            .where(
                p.c.meeting_id == meeting_id,
                p.c.kind.in_(WITH_INVITATION),
                p.c.invitation != "",
            )
            .order_by(p.c.sent_at.desc(), p.c.created_at.desc())
            .limit(1)
        ).first()
    return (row.invitation, row.sent_at) if row is not None else None


def _first_recipients(db: Database, meeting_id: uuid.UUID) -> tuple[list[Recipient], int, int]:
    """Who had the first invitation by e-mail and may have it again now; how many of them may
    not; how many had the agenda by letter only."""
    p, r, pp = schema.papers_sent, schema.papers_recipients, schema.participants
    with db.reading() as conn:
        rows = conn.execute(
            select(
                pp.c.id,
                pp.c.name,
                pp.c.email,
                pp.c.postal_address,
                pp.c.consent_to_contact,
                pp.c.anonymised_at,
                r.c.by_email,
            )
            .join(r, r.c.participant_id == pp.c.id)
            .join(p, p.c.id == r.c.sending_id)
            .where(p.c.meeting_id == meeting_id, p.c.kind == PapersKind.AGENDA)
            .order_by(pp.c.name, pp.c.id)
        ).all()
    by_email = {row.id for row in rows if row.by_email}
    letter_only = {row.id for row in rows if not row.by_email} - by_email
    recipients: dict[uuid.UUID, Recipient] = {}
    for row in rows:
        if row.id not in by_email or row.id in recipients or row.anonymised_at is not None:
            continue
        if delivery(row.consent_to_contact, row.email, row.postal_address).how == EMAIL:
            recipients[row.id] = Recipient(row.id, row.name, row.email.strip())
    return list(recipients.values()), len(by_email) - len(recipients), len(letter_only)


def needs_resending(db: Database, meeting_id: uuid.UUID) -> Resend | None:
    """The update the meeting's invitation needs (module docstring), or None when it needs
    none. Raises ``NotFoundError`` when the meeting is gone."""
    now_facts = invitation_facts(db, meeting_id)
    last = _last_invitation(db, meeting_id)
    if last is None or last[0] == now_facts:
        return None
    before, after = json.loads(last[0]), json.loads(now_facts)
    cancelled = bool(after.get("cancelled"))
    if cancelled and before.get("cancelled"):
        return None  # already cancelled: a calendar has nothing more to take
    changed: tuple[str, ...] = ()
    if not cancelled:
        changed = tuple(w for k, w in _CHANGES if before.get(k) != after.get(k))
        if before.get("cancelled"):
            changed += ("status (no longer cancelled)",)
    recipients, withdrawn, by_letter = _first_recipients(db, meeting_id)
    return Resend(
        meeting_id=meeting_id,
        kind=PapersKind.CANCELLATION if cancelled else PapersKind.INVITATION_UPDATE,
        facts=now_facts,
        changed=changed,
        last_sent=last[1],
        recipients=tuple(recipients),
        withdrawn=withdrawn,
        by_letter=by_letter,
    )


def _email(
    facts: MeetingFacts,
    recipient: Recipient,
    invitation: bytes,
    cancelled: bool,
    sender: str,
    sender_address: str,
) -> EmailMessage:
    lines = [f"Dear {recipient.name},", ""]
    if cancelled:
        lines += [
            f"I am sorry to say that {facts.forum_name} on {facts.when} has been cancelled.",
            "",
            "The attached cancellation removes the meeting from your calendar.",
        ]
        subject = f"Cancelled: {facts.forum_name}, {long_date(facts.meeting_date)}"
    else:
        lines += [
            f"{facts.forum_name} has changed: it is now on {facts.when}.",
            *(["", *where] if (where := where_lines(facts, on_paper=False)) else []),
            "",
            "The attached invitation replaces the one I sent before: open it to update your "
            "calendar.",
        ]
        subject = f"Changed: {facts.forum_name}, {long_date(facts.meeting_date)}"
    lines += ["", "With best wishes,", sender or "Involvement coordinator"]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["To"] = recipient.email
    if sender_address and "@" in sender_address:
        message["From"] = sender_address
    message["X-Unsent"] = "1"
    message.set_content("\n".join(lines) + "\n")
    message.add_attachment(
        invitation,
        maintype="text",
        subtype="calendar",
        filename="Cancellation.ics" if cancelled else "Invitation.ics",
        params={"method": "CANCEL" if cancelled else "PUBLISH"},
    )
    return message


def send_update(
    db: Database,
    meeting_id: uuid.UUID,
    folder: str | Path,
    *,
    now: datetime | None = None,
    sender_address: str = "",
) -> UpdateResult:
    """Write the update's drafts into ``folder`` and record the sending (module docstring).
    Raises ``CoordinatorError`` in one sentence, with nothing written and nothing recorded,
    when the folder is missing or cannot be written, or the invitation needs no update."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CoordinatorError(f"The folder {folder} does not exist.")
    resend = needs_resending(db, meeting_id)
    if resend is None:
        raise CoordinatorError("This meeting's invitation is up to date: there is nothing to send.")
    now = now or datetime.now(UTC)
    facts = meeting_facts(db, meeting_id, minutes_redactor(db))
    invitation = invitation_bytes(db, meeting_id, now=now)
    sender = masthead(db).coordinator_name
    files: list[tuple[str, bytes]] = []
    used: set[str] = set()
    label = "Cancellation" if resend.cancelled else "Invitation update"
    for recipient in resend.recipients:
        message = _email(facts, recipient, invitation, resend.cancelled, sender, sender_address)
        stem = unique_stem(f"{label} for {safe_file_name(recipient.name)}", used)
        files.append((f"{stem}.eml", message.as_bytes()))
    written = write_all(folder, files)
    record_sending(
        db,
        meeting_id,
        resend.kind,
        emails=len(files),
        letters=0,
        not_sent=resend.withdrawn,
        sent_at=now,
        sent_by=sender,
        recipients=[(r.participant_id, True) for r in resend.recipients],
        invitation=resend.facts,
    )
    return UpdateResult(folder.resolve(), tuple(p.resolve() for p in written), resend.kind, now)
