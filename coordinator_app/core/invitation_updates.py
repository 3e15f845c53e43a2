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
- to **exactly the members who had the first sending** (every agenda sending of the meeting)
  and who are **still** active and consent to contact, read now: those who had it by e-mail
  get an e-mail if they still have an e-mail address, those who had it by letter a letter if
  they still have a postal address. A member who withdrew consent, was marked inactive or has
  no address now gets nothing, and is counted.

``send_update`` makes one ``.eml`` draft per e-mail member (only their address in ``To``,
``X-Unsent: 1``) with the invitation (``core/invitation.py``: the same UID, a higher SEQUENCE;
``METHOD:CANCEL`` and ``STATUS:CANCELLED`` for a cancellation), and one PDF of letters for the
letter members (``papers.letters_document``: a letter a page, the address placed for a window
envelope, large print for those who asked for large print or easy read, as the papers' letters
are) saying what changed and where and when the meeting is now, or that it is cancelled; the
letters' text (forum, venue) goes through the minutes' redactor, as the papers' letters do. It
writes them atomically (``papers.write_all``) and records them as one sending, an "invitation
update" or a "cancellation", with who it went to and how, so it shows in the meeting's
"Papers sent".
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from sqlalchemy import select

from . import schema
from .db import Database
from .errors import CoordinatorError
from .invitation import invitation_bytes, invitation_facts
from .members import EMAIL, delivery
from .minutes import Masthead, long_date, masthead, minutes_redactor
from .papers import (
    Letter,
    MeetingFacts,
    PapersPlan,
    inactive_sentence,
    letters_document,
    meeting_facts,
    paper_name,
    record_sending,
    unique_stem,
    where_lines,
    write_all,
)
from .reminders import safe_file_name
from .vocab import AccessibleFormat, PapersKind

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
    #: Where the update goes: the e-mail address, or "" for a letter to ``postal_address``.
    email: str
    postal_address: str = ""
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD


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
    #: Had the first invitation by e-mail and may have it again by e-mail.
    recipients: tuple[Recipient, ...]
    #: Had the agenda by letter (no invitation) and may have a letter saying what changed.
    letters: tuple[Recipient, ...]
    #: Had it but no longer consent to contact, or have no address (of the same kind) now.
    withdrawn: int
    #: Had it but are inactive now.
    inactive: int

    @property
    def anyone(self) -> bool:
        """True when someone gets the update (an e-mail or a letter)."""
        return bool(self.recipients or self.letters)

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
        what_drafts = "cancellation" if self.cancelled else "updated invitation"
        wanted = []
        if self.recipients:
            wanted.append(
                f"the {what_drafts} e-mail drafts for the {_people(len(self.recipients))} who "
                "had it by e-mail"
            )
        if self.letters:
            n = len(self.letters)
            wanted.append(
                f"{'a letter' if n == 1 else 'letters'} for the {_people(n)} who had the agenda "
                "by letter"
            )
        if wanted and question:
            offer = f" Make {' and '.join(wanted)}? They still agree to be contacted."
        elif wanted:
            offer = f" Still to send: {' and '.join(wanted)}."
        else:
            offer = " Nobody who had it still agrees to be contacted."
        notes = ""
        if self.withdrawn:
            notes += (
                f" {_people(self.withdrawn)} who had it will get nothing: no consent to contact, "
                "or no address now."
            )
        if self.inactive:
            notes += " " + inactive_sentence(self.inactive, who="who had it")
        return what + offer + notes

    @property
    def cancelled(self) -> bool:
        return self.kind == PapersKind.CANCELLATION


@dataclass(frozen=True)
class UpdateResult:
    folder: Path
    drafts: tuple[Path, ...]
    #: The PDF of letters, None when nobody had the agenda by letter.
    letters: Path | None
    letter_count: int
    kind: PapersKind
    sent_at: datetime
    #: Had the agenda but are inactive now: sent nothing (``papers.inactive_sentence``).
    inactive: int = 0


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


@dataclass(frozen=True)
class _FirstSending:
    emails: list[Recipient]
    letters: list[Recipient]
    withdrawn: int
    inactive: int


def _first_recipients(db: Database, meeting_id: uuid.UUID) -> _FirstSending:
    """Who had the first sending by e-mail and may have an e-mail now; who had it by letter
    (only) and may have a letter now; how many of them may not: no consent or no such address
    now, or inactive."""
    p, r, pp = schema.papers_sent, schema.papers_recipients, schema.participants
    with db.reading() as conn:
        rows = conn.execute(
            select(
                pp.c.id,
                pp.c.name,
                pp.c.email,
                pp.c.postal_address,
                pp.c.consent_to_contact,
                pp.c.active,
                pp.c.accessible_format,
                pp.c.anonymised_at,
                r.c.by_email,
            )
            .join(r, r.c.participant_id == pp.c.id)
            .join(p, p.c.id == r.c.sending_id)
            .where(p.c.meeting_id == meeting_id, p.c.kind == PapersKind.AGENDA)
            .order_by(pp.c.name, pp.c.id)
        ).all()
    by_email = {row.id for row in rows if row.by_email}
    found = _FirstSending([], [], 0, 0)
    seen: set[uuid.UUID] = set()
    for row in rows:
        if row.id in seen or row.anonymised_at is not None:
            continue
        seen.add(row.id)
        now = delivery(row.consent_to_contact, row.email, row.postal_address, row.active)
        if not row.active:
            found = replace(found, inactive=found.inactive + 1)
        elif row.id in by_email and now.how == EMAIL:
            found.emails.append(Recipient(row.id, row.name, row.email.strip()))
        elif row.id not in by_email and row.consent_to_contact and row.postal_address.strip():
            found.letters.append(
                Recipient(
                    row.id,
                    row.name,
                    "",
                    row.postal_address,
                    AccessibleFormat(row.accessible_format),
                )
            )
        else:
            found = replace(found, withdrawn=found.withdrawn + 1)
    return found


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
    first = _first_recipients(db, meeting_id)
    return Resend(
        meeting_id=meeting_id,
        kind=PapersKind.CANCELLATION if cancelled else PapersKind.INVITATION_UPDATE,
        facts=now_facts,
        changed=changed,
        last_sent=last[1],
        recipients=tuple(first.emails),
        letters=tuple(first.letters),
        withdrawn=first.withdrawn,
        inactive=first.inactive,
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


def _letter_paragraphs(facts: MeetingFacts, resend: Resend) -> tuple[str, ...]:
    """What an update letter says: that the meeting is cancelled, or what changed and when and
    where it is now (the link only when the meeting prints it on paper)."""
    forum = facts.forum_name
    if resend.cancelled:
        return (
            f"I am sorry to say that {forum} on {facts.when} has been cancelled, so please do "
            "not come to it.",
            "If you have any questions, please let me know.",
        )
    moved = [w for w in resend.changed if not w.startswith("status")]
    paragraphs = []
    if len(moved) < len(resend.changed):
        paragraphs.append(f"{forum} is no longer cancelled: it will take place after all.")
    if moved:
        have = "has" if len(moved) == 1 else "have"
        paragraphs.append(
            f"The {_words(tuple(moved))} of {forum} {have} changed since I sent you its agenda."
        )
    paragraphs.append(f"It is now on {facts.when}.")
    if where := where_lines(facts, on_paper=True):
        paragraphs.append("\n".join(where))
    paragraphs += [
        "Please keep this letter with the agenda.",
        "If you have any questions, please let me know.",
    ]
    return tuple(paragraphs)


def _letters(facts: MeetingFacts, resend: Resend, head: Masthead, today: date) -> tuple[str, bytes]:
    """The update letters' PDF: its name and bytes."""
    from .typeset import pdf_bytes

    plan = PapersPlan(facts, resend.kind, ())
    paragraphs = _letter_paragraphs(facts, resend)
    letters = [
        Letter(
            r.name,
            r.postal_address,
            r.accessible_format != AccessibleFormat.STANDARD,
            paragraphs,
        )
        for r in resend.letters
    ]
    title = f"Letters: {resend.kind.label}: {facts.forum_name}, {long_date(facts.meeting_date)}"
    return f"Letters - {paper_name(plan)}", pdf_bytes(letters_document(title, letters, head, today))


def send_update(
    db: Database,
    meeting_id: uuid.UUID,
    folder: str | Path,
    *,
    today: date | None = None,
    now: datetime | None = None,
    sender_address: str = "",
) -> UpdateResult:
    """Write the update's drafts and letters into ``folder`` and record the sending (module
    docstring). Raises ``CoordinatorError`` in one sentence, with nothing written and nothing
    recorded, when the folder is missing or cannot be written, or the invitation needs no
    update."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CoordinatorError(f"The folder {folder} does not exist.")
    resend = needs_resending(db, meeting_id)
    if resend is None:
        raise CoordinatorError("This meeting's invitation is up to date: there is nothing to send.")
    now = now or datetime.now(UTC)
    facts = meeting_facts(db, meeting_id, minutes_redactor(db))
    invitation = invitation_bytes(db, meeting_id, now=now)
    head = masthead(db)
    sender = head.coordinator_name
    files: list[tuple[str, bytes]] = []
    used: set[str] = set()
    label = "Cancellation" if resend.cancelled else "Invitation update"
    for recipient in resend.recipients:
        message = _email(facts, recipient, invitation, resend.cancelled, sender, sender_address)
        stem = unique_stem(f"{label} for {safe_file_name(recipient.name)}", used)
        files.append((f"{stem}.eml", message.as_bytes()))
    drafts = len(files)
    if resend.letters:
        files.append(_letters(facts, resend, head, today or date.today()))
    written = write_all(folder, files)
    recipients = [(r.participant_id, True) for r in resend.recipients]
    recipients += [(r.participant_id, False) for r in resend.letters]
    record_sending(
        db,
        meeting_id,
        resend.kind,
        emails=drafts,
        letters=len(resend.letters),
        not_sent=resend.withdrawn + resend.inactive,
        sent_at=now,
        sent_by=sender,
        recipients=recipients,
        invitation=resend.facts,
    )
    return UpdateResult(
        folder=folder.resolve(),
        drafts=tuple(p.resolve() for p in written[:drafts]),
        letters=written[drafts].resolve() if resend.letters else None,
        letter_count=len(resend.letters),
        kind=resend.kind,
        sent_at=now,
        inactive=resend.inactive,
    )
