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
  and who are **still** active and consent to contact, each by how they can be reached now
  (``members.delivery``): an e-mail for an e-mail address, else a letter for a postal
  address, however they had the agenda. A member who withdrew consent, was marked inactive or
  has no address now gets nothing, and is counted with that reason;
- each told what changed since the invitation **they** were last sent (``changes``, from what
  each recorded sending's invitation said): a member inactive when an earlier update went is
  told of that change too. ``what_changed`` says it, for the e-mail and the letter alike.

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
from typing import Any

from sqlalchemy import select

from . import schema
from .db import Database
from .errors import CoordinatorError
from .invitation import invitation_bytes, invitation_facts
from .members import EMAIL, LETTER, delivery
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
from .text import counted
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
    #: What changed since the invitation this member was last sent (``changes``): an update
    #: they missed (inactive then) is told too. Empty for a cancellation.
    changed: tuple[str, ...] = ()
    #: True when the last they had of this meeting was its agenda (not an update).
    since_agenda: bool = True


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
    #: Had the agenda, and have an e-mail address now: an e-mail with the invitation.
    recipients: tuple[Recipient, ...]
    #: Had the agenda, and have only a postal address now: a letter saying what changed.
    letters: tuple[Recipient, ...]
    #: Had it but no longer consent to contact.
    no_consent: int
    #: Had it, still consent, but have no e-mail or postal address now.
    no_address: int
    #: Had it but are inactive now.
    inactive: int

    @property
    def withdrawn(self) -> int:
        """Had it, are active, but can be sent nothing now (no consent or no address)."""
        return self.no_consent + self.no_address

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
            n = len(self.recipients)
            wanted.append(
                f"the {what_drafts} e-mail drafts for the {_people(n)} who had it and "
                f"{'has' if n == 1 else 'have'} an e-mail address"
            )
        if self.letters:
            n = len(self.letters)
            wanted.append(
                f"{'a letter' if n == 1 else 'letters'} for the {_people(n)} who had it and "
                f"{'has' if n == 1 else 'have'} only a postal address"
            )
        if wanted and question:
            offer = f" Make {' and '.join(wanted)}? They still agree to be contacted."
        elif wanted:
            offer = f" Still to send: {' and '.join(wanted)}."
        else:
            offer = " Nobody who had it can be sent it now."
        return what + offer + (f" {self.left_out}" if self.left_out else "")

    @property
    def left_out(self) -> str:
        """Who had it but gets nothing, with the true reason, a sentence each ("" for nobody)."""
        nothing = "who had it will get nothing: they"
        notes = []
        if self.no_consent:
            notes.append(f"{_people(self.no_consent)} {nothing} no longer agree to be contacted.")
        if self.no_address:
            notes.append(
                f"{_people(self.no_address)} {nothing} have no e-mail or postal address now."
            )
        if self.inactive:
            notes.append(inactive_sentence(self.inactive, who="who had it"))
        return " ".join(notes)

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
    #: Who had the agenda but was sent nothing, and why (``Resend.left_out``).
    left_out: str = ""


def _people(n: int) -> str:
    return counted(n, "member")


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


def changes(before: str, after: str) -> tuple[str, ...]:
    """What changed from one invitation's facts to another's (``invitation.invitation_facts``),
    in a person's words ("date", "venue", "status (no longer cancelled)"); empty when the
    meeting is cancelled now (a cancellation says only that)."""
    was, now = json.loads(before), json.loads(after)
    if now.get("cancelled"):
        return ()
    changed = tuple(w for k, w in _CHANGES if was.get(k) != now.get(k))
    if was.get("cancelled"):
        changed += (NO_LONGER_CANCELLED,)
    return changed


#: In ``changes`` when a cancelled meeting is put back on.
NO_LONGER_CANCELLED = "status (no longer cancelled)"


@dataclass(frozen=True)
class _FirstSending:
    emails: list[Recipient]
    letters: list[Recipient]
    no_consent: int
    no_address: int
    inactive: int


def _first_recipients(
    db: Database, meeting_id: uuid.UUID, now_facts: str, fallback: str
) -> _FirstSending:
    """Who had the agenda (any sending of it), and how each can be reached **now**: an e-mail
    for an e-mail address, else a letter for a postal address, whichever way they had it; how
    many of them may have nothing: no consent to contact, no address, or inactive. Each is told
    what changed since the last invitation they were sent (``fallback``, the meeting's latest,
    when none of theirs recorded what it said); one whose last already says what the meeting
    says now needs nothing."""
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
                p.c.kind,
                p.c.invitation,
            )
            .join(r, r.c.participant_id == pp.c.id)
            .join(p, p.c.id == r.c.sending_id)
            .where(p.c.meeting_id == meeting_id, p.c.kind.in_(WITH_INVITATION))
            .order_by(pp.c.name, pp.c.id, p.c.sent_at.desc(), p.c.created_at.desc())
        ).all()
    had_agenda = {row.id for row in rows if row.kind == PapersKind.AGENDA}
    found = _FirstSending([], [], 0, 0, 0)
    seen: set[uuid.UUID] = set()
    last: dict[uuid.UUID, Any] = {}  # each member's latest sending that says what it told
    for row in rows:  # each member's latest sending first
        if row.invitation and row.id not in last:
            last[row.id] = row
    for row in rows:
        if row.id in seen or row.id not in had_agenda or row.anonymised_at is not None:
            continue
        seen.add(row.id)
        told = last[row.id].invitation if row.id in last else fallback
        now = delivery(row.consent_to_contact, row.email, row.postal_address, row.active)
        if not row.active:
            found = replace(found, inactive=found.inactive + 1)
        elif not row.consent_to_contact:
            found = replace(found, no_consent=found.no_consent + 1)
        elif now.how not in (EMAIL, LETTER):
            found = replace(found, no_address=found.no_address + 1)
        elif told != now_facts:
            recipient = Recipient(
                row.id,
                row.name,
                row.email.strip() if now.how == EMAIL else "",
                row.postal_address,
                AccessibleFormat(row.accessible_format),
                changes(told, now_facts),
                row.id not in last or last[row.id].kind == PapersKind.AGENDA,
            )
            (found.emails if now.how == EMAIL else found.letters).append(recipient)
    return found


def needs_resending(db: Database, meeting_id: uuid.UUID) -> Resend | None:
    """The update the meeting's invitation needs (module docstring), or None when it needs
    none. Raises ``NotFoundError`` when the meeting is gone."""
    now_facts = invitation_facts(db, meeting_id)
    last = _last_invitation(db, meeting_id)
    if last is None or last[0] == now_facts:
        return None
    cancelled = bool(json.loads(now_facts).get("cancelled"))
    if cancelled and json.loads(last[0]).get("cancelled"):
        return None  # already cancelled: a calendar has nothing more to take
    first = _first_recipients(db, meeting_id, now_facts, last[0])
    return Resend(
        meeting_id=meeting_id,
        kind=PapersKind.CANCELLATION if cancelled else PapersKind.INVITATION_UPDATE,
        facts=now_facts,
        changed=changes(last[0], now_facts),
        last_sent=last[1],
        recipients=tuple(first.emails),
        letters=tuple(first.letters),
        no_consent=first.no_consent,
        no_address=first.no_address,
        inactive=first.inactive,
    )


def _subject(facts: MeetingFacts, cancelled: bool) -> str:
    """The e-mail's subject, and the footer of the letters (what the member may read there)."""
    said = "Cancelled" if cancelled else "Changed"
    return f"{said}: {facts.forum_name}, {long_date(facts.meeting_date)}"


def what_changed(facts: MeetingFacts, recipient: Recipient) -> list[str]:
    """What an update tells a member, e-mail or letter alike: that the meeting is on again, and
    what changed since the invitation they last had ("The start time of ... has changed since I
    sent you its agenda."), then when it is now."""
    forum = facts.forum_name
    moved = [w for w in recipient.changed if w != NO_LONGER_CANCELLED]
    paragraphs = []
    if len(moved) < len(recipient.changed):
        paragraphs.append(f"{forum} is no longer cancelled: it will take place after all.")
    if moved:
        have = "has" if len(moved) == 1 else "have"
        since = "I sent you its agenda" if recipient.since_agenda else "I last wrote to you"
        paragraphs.append(f"The {_words(tuple(moved))} of {forum} {have} changed since {since}.")
    paragraphs.append(f"It is now on {facts.when}.")
    return paragraphs


def _cancelled(facts: MeetingFacts) -> str:
    return f"I am sorry to say that {facts.forum_name} on {facts.when} has been cancelled"


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
            f"{_cancelled(facts)}.",
            "",
            "The attached cancellation removes the meeting from your calendar.",
        ]
    else:
        for paragraph in what_changed(facts, recipient):
            lines += [paragraph, ""]
        if where := where_lines(facts, on_paper=False):
            lines += [*where, ""]
        lines.append(
            "The attached invitation replaces the one I sent before: open it to update your "
            "calendar."
        )
    lines += ["", "With best wishes,", sender or "Involvement coordinator"]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = _subject(facts, cancelled)
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


def _letter_paragraphs(
    facts: MeetingFacts, recipient: Recipient, cancelled: bool
) -> tuple[str, ...]:
    """What an update letter says: that the meeting is cancelled, or what changed and when and
    where it is now (the link only when the meeting prints it on paper)."""
    if cancelled:
        return (
            f"{_cancelled(facts)}, so please do not come to it.",
            "If you have any questions, please let me know.",
        )
    paragraphs = what_changed(facts, recipient)
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
    letters = [
        Letter(
            r.name,
            r.postal_address,
            r.accessible_format != AccessibleFormat.STANDARD,
            _letter_paragraphs(facts, r, resend.cancelled),
        )
        for r in resend.letters
    ]
    document = letters_document(_subject(facts, resend.cancelled), letters, head, today)
    return f"Letters - {paper_name(plan)}", pdf_bytes(document)


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
        left_out=resend.left_out,
    )
