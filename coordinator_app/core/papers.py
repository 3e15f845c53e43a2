"""Papers to a forum's members: the agenda, the minutes or "you said, we did" (issue #29).

``plan_papers`` says who gets what (``members.delivery``: an e-mail, a letter, or nothing and
why); ``send_papers`` makes, in one step, in the folder chosen:

- **one ``.eml`` draft per member who consented to contact and has an e-mail address**, with
  only that member's address in ``To`` (never a message showing several members' addresses),
  ``X-Unsent: 1`` so a mail program opens it as a new message, and the paper as a PDF in the
  member's format: large print for large print, easy read for easy read (the agenda and the
  minutes: ``core/easy_read.py``; "you said, we did" has no easy-read version, so those
  members get the standard PDF and a note saying so, offering help), standard otherwise. The
  agenda's drafts carry the meeting's calendar invitation (``core/invitation.py``);
- **one letters PDF** (``Letters - ....pdf``: a letter per person, each from a new page and in
  large print for those who asked, with their postal address placed for a window envelope)
  for those who consented but have no e-mail address, and the papers to enclose
  (``<paper>.pdf``, ``<paper> - large print.pdf``, as needed);
- **nothing** for anyone who is inactive (kept on the list: ``PapersPlan.inactive`` counts
  them), has not consented to contact (read when sending, so a withdrawn consent takes effect
  at once) or has no address. ``sent_sentence`` says who got what, each member counted once,
  for the dialog, the command line and the history alike.

A **cancelled** meeting gets no papers (``refusal``, one sentence; nothing written or recorded):
only its cancellation goes out (``core/invitation_updates.py``).

Every paper is built by the printouts' own functions with the minutes' redactor
(``minutes.minutes_redactor``: service users and carers who have not agreed to be named, and
every contact detail, hidden); "you said, we did" with the return's (every service user and
carer hidden), as it is printed. The text of the drafts and letters (forum, venue) goes through
the same redactor; a member's own name and address appear only in their own draft or letter.
The online link is in every e-mail; on paper (the letters) only when the meeting says so.

All the files are made in memory first, then each is written atomically
(``files.atomic_write``); if one cannot be written, those already written by this sending are
removed, so a folder never holds half a sending. Then the sending is recorded in
``papers_sent`` (what, how many e-mails and letters, how many got nothing, when, by whom, and
for the agenda what its invitation said), with who it went to in ``papers_recipients`` (for the
invitation updates of ``core/invitation_updates.py``); shown on the meeting and listed as
evidence (``papers_history``, counts only).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from sqlalchemy import func, select

from . import schema
from .db import Database
from .document import Document, Group, Paragraph, spans
from .errors import CoordinatorError
from .files import atomic_write
from .invitation import meeting_row
from .members import EMAIL, INACTIVE, LETTER, NOTHING, MeetingLink, MemberRow, forum_members
from .minutes import Masthead, long_date, masthead, minutes_redactor, time_span
from .privacy import Redact, redactor_of
from .reminders import safe_file_name
from .text import counted
from .vocab import AccessibleFormat, MeetingFormat, MeetingStatus, PapersKind

#: What the "Send papers" dialog offers (the other kinds are invitation updates, made after a
#: meeting moves: ``core/invitation_updates.py``).
SENDABLE = (PapersKind.AGENDA, PapersKind.MINUTES, PapersKind.YOU_SAID_WE_DID)

#: The sizes a paper is made in (``size_of``): its file name says which.
STANDARD, LARGE, EASY = "standard", "large print", "easy read"
#: The papers that have an easy-read version (``core/easy_read.py``).
EASY_READ_KINDS = (PapersKind.AGENDA, PapersKind.MINUTES)

#: What an easy-read member is told when these papers have no easy-read version.
EASY_READ_NOTE = (
    "An easy read version is not ready yet, so the standard version is attached. If you would "
    "like help to read it, or to talk it through before the meeting, please reply to this "
    "e-mail or ring me."
)


@dataclass(frozen=True)
class MeetingFacts:
    meeting_id: uuid.UUID
    reference: str
    forum_id: uuid.UUID
    forum_name: str
    meeting_date: date
    when: str
    venue: str
    format: MeetingFormat
    link: MeetingLink
    cancelled: bool = False


#: Why no papers go out for a cancelled meeting, by kind: only the cancellation goes to its
#: members (``core/invitation_updates.py``), and a meeting that did not take place has no
#: minutes to send (its minutes printout only says it was cancelled: docs/printouts.md).
CANCELLED_REFUSALS = {
    PapersKind.AGENDA: "This meeting is cancelled, so its agenda and invitation are not sent: "
    "only the cancellation goes to its members.",
    PapersKind.MINUTES: "This meeting is cancelled, so it has no minutes to send: only the "
    "cancellation goes to its members.",
    PapersKind.YOU_SAID_WE_DID: 'This meeting is cancelled, so "You said, we did" is not sent '
    "with it: send it with another of the forum's meetings.",
}


def refusal(facts: MeetingFacts, kind: PapersKind) -> str:
    """Why ``kind`` cannot be sent for this meeting, in one sentence; "" when it can."""
    return CANCELLED_REFUSALS.get(PapersKind(kind), "") if facts.cancelled else ""


@dataclass(frozen=True)
class PapersPlan:
    """Who gets what, before anything is made (for the "Send papers" dialog)."""

    meeting: MeetingFacts
    kind: PapersKind
    members: tuple[MemberRow, ...]

    def by(self, how: str) -> list[MemberRow]:
        return [m for m in self.members if m.delivery.how == how]

    @property
    def inactive(self) -> int:
        """How many members are inactive (sent nothing, whatever their consent)."""
        return sum(m.delivery.why == INACTIVE for m in self.members)

    @property
    def sentence(self) -> str:
        """Who gets what, each member counted once (``sent_sentence``)."""
        return sent_sentence(
            len(self.by(EMAIL)),
            len(self.by(LETTER)),
            len(self.by(NOTHING)),
            inactive=self.inactive,
            of=f"{counted(len(self.members), 'member')} of {self.meeting.forum_name}",
        )

    @property
    def refused(self) -> str:
        """Why these papers cannot be sent (``refusal``); "" when they can."""
        return refusal(self.meeting, self.kind)


def inactive_sentence(n: int, *, who: str = "") -> str:
    """The one sentence saying how many members were left out for being inactive ("1 member
    is inactive and gets no papers."); "" for none. ``who`` narrows them ("who had it")."""
    if not n:
        return ""
    verb, gets = ("is", "gets") if n == 1 else ("are", "get")
    members = counted(n, "member") + (f" {who}" if who else "")
    return f"{members} {verb} inactive and {gets} no papers."


def sent_sentence(
    emails: int,
    letters: int,
    not_sent: int,
    *,
    inactive: int | None = None,
    of: str = "",
) -> str:
    """Who got a sending, each member counted once: "26 by e-mail, 1 by letter; 20 sent nothing
    (7 with no consent to contact or no address, 13 inactive)". ``not_sent`` includes the
    inactive; ``inactive`` (when known: the plan and the sending, not the recorded history)
    splits it. ``of`` says of whom ("47 members of Rugby Locality Forum") at the start. The
    "Send papers" dialog, ``papers`` and the Papers sent history all say it so."""
    text = f"{emails} by e-mail, {letters} by letter; {not_sent} sent nothing"
    if inactive is not None and not_sent:
        reasons = []
        if not_sent - inactive:
            reasons.append(f"{not_sent - inactive} with no consent to contact or no address")
        if inactive:
            reasons.append(f"{inactive} inactive")
        text += f" ({', '.join(reasons)})"
    return f"Of {of}: {text}" if of else text


def made_words(drafts: int, letters: int) -> str:
    """What a sending wrote, leaving out what it did not make: "2 e-mail drafts and a PDF of
    1 letter", "a PDF of 3 letters", "1 e-mail draft" ("nothing" for neither)."""
    made = [counted(drafts, "e-mail draft")] if drafts else []
    if letters:
        made.append(f"a PDF of {counted(letters, 'letter')}")
    return " and ".join(made) or "nothing"


#: Said after a sending that wrote e-mail drafts.
OPEN_DRAFTS = "Open each draft to check and send it from your mail program."


@dataclass(frozen=True)
class PapersResult:
    folder: Path
    drafts: tuple[Path, ...]
    letters: Path | None
    #: The papers themselves as PDFs, to enclose with the letters or print.
    papers: tuple[Path, ...]
    invitation: Path | None
    emails: int
    letter_count: int
    #: Sent nothing, the inactive included.
    not_sent: int
    sent_at: datetime
    #: Sent nothing for being inactive (``inactive_sentence`` says so).
    inactive: int = 0


@dataclass(frozen=True)
class PapersSent:
    """One recorded sending (counts only)."""

    id: uuid.UUID
    meeting_id: uuid.UUID
    kind: PapersKind
    sent_at: datetime
    emails: int
    letters: int
    not_sent: int
    sent_by: str

    @property
    def summary(self) -> str:
        local = self.sent_at.astimezone()
        counts = sent_sentence(self.emails, self.letters, self.not_sent)
        return f"{self.kind.label} sent {local:%d/%m/%Y at %H:%M}: {counts}"


def meeting_facts(db: Database, meeting_id: uuid.UUID, redact: Redact) -> MeetingFacts:
    """The meeting as papers and drafts say it, the forum's name and venue through ``redact``
    (read by ``invitation.meeting_row``, the invitation's own read)."""
    row = meeting_row(db, meeting_id)
    when = long_date(row.meeting_date)
    if row.start_time is not None:
        when += f", {time_span(row.start_time, row.end_time)}"
    return MeetingFacts(
        meeting_id=meeting_id,
        reference=row.reference,
        forum_id=row.forum_id,
        forum_name=redact(row.forum_name).strip() or "the forum",
        meeting_date=row.meeting_date,
        when=when,
        venue=redact(row.venue).strip(),
        format=row.format,
        link=row.link,
        cancelled=row.status == MeetingStatus.CANCELLED,
    )


def plan_papers(
    db: Database, meeting_id: uuid.UUID, kind: PapersKind, today: date | None = None
) -> PapersPlan:
    """The forum's members and how each gets these papers. Raises ``NotFoundError`` for a
    meeting that is gone."""
    facts = meeting_facts(db, meeting_id, minutes_redactor(db))
    members = forum_members(db, facts.forum_id, today)
    return PapersPlan(facts, PapersKind(kind), tuple(members))


def size_of(member: MemberRow, kind: PapersKind) -> str:
    """The size of the paper a member gets: ``LARGE``, ``EASY`` (when ``kind`` has an easy-read
    version) or ``STANDARD``."""
    if member.accessible_format == AccessibleFormat.LARGE_PRINT:
        return LARGE
    if member.accessible_format == AccessibleFormat.EASY_READ and kind in EASY_READ_KINDS:
        return EASY
    return STANDARD


def _paper(db: Database, plan: PapersPlan, size: str) -> Document:
    """The paper itself, in one size, redacted as it is printed."""
    from .easy_read import easy_read_agenda, easy_read_minutes
    from .minutes import agenda_document, minutes_document

    meeting_id = plan.meeting.meeting_id
    large_print = size == LARGE
    if size == EASY and plan.kind == PapersKind.AGENDA:
        return easy_read_agenda(db, meeting_id)
    if size == EASY and plan.kind == PapersKind.MINUTES:
        return easy_read_minutes(db, meeting_id)
    if plan.kind == PapersKind.AGENDA:
        return agenda_document(db, meeting_id, large_print=large_print)
    if plan.kind == PapersKind.MINUTES:
        return minutes_document(db, meeting_id, large_print=large_print)
    from .actions import you_said_we_did, you_said_we_did_document

    until = plan.meeting.meeting_date
    rows = you_said_we_did(db, forum_id=plan.meeting.forum_id, date_from=until - timedelta(365))
    head = masthead(db)
    document = you_said_we_did_document(
        [r for r in rows if r.received_on is None or r.received_on <= until],
        f"You said, we did: {plan.meeting.forum_name}",
        redact=redactor_of(db),
        trust_name=head.trust_name,
        logo_png=head.logo_png,
    )
    return replace(document, large_print=large_print)


def paper_name(plan: PapersPlan, size: str = STANDARD) -> str:
    """The attachment's file name: "Agenda - Rugby Locality Forum - 6 October 2026.pdf", with
    " - large print" or " - easy read" at the end for those sizes."""
    base = safe_file_name(f"{plan.kind.label} - {plan.meeting.forum_name}")
    day = f"{plan.meeting.meeting_date.day} {plan.meeting.meeting_date:%B %Y}"
    return f"{base} - {day}{'' if size == STANDARD else f' - {size}'}.pdf"


def where_lines(facts: MeetingFacts, *, on_paper: bool) -> list[str]:
    lines = []
    if facts.venue and facts.format != MeetingFormat.ONLINE:
        lines.append(f"Where: {facts.venue}")
    link = facts.link.link
    if link and facts.format != MeetingFormat.IN_PERSON and (not on_paper or facts.link.print_link):
        lines.append(f"Join online: {link}")
    elif facts.format != MeetingFormat.IN_PERSON:
        also = "" if facts.format == MeetingFormat.ONLINE else " also"
        lines.append(f"You can{also} join this meeting online: please ask me how.")
    return lines


def _opening(plan: PapersPlan, size: str, *, enclosed: bool) -> str:
    """The first paragraph of a member's e-mail or letter: what it brings, once, and in which
    size when not the standard one ("I enclose the agenda for ... in large print, as you
    asked.")."""
    facts = plan.meeting
    what = {
        PapersKind.AGENDA: f"the agenda for {facts.forum_name} on {facts.when}",
        PapersKind.MINUTES: f"the minutes of {facts.forum_name}, held on {facts.when}",
    }.get(plan.kind, f'our latest "You said, we did" for {facts.forum_name}')
    made = "" if size == STANDARD else f", in {size} as you asked"
    about = (
        " It says what you told us and what has been done about it."
        if plan.kind == PapersKind.YOU_SAID_WE_DID
        else ""
    )
    return f"I {'enclose' if enclosed else 'attach'} {what}{made}.{about}"


def _subject(plan: PapersPlan) -> str:
    facts = plan.meeting
    return f"{plan.kind.label}: {facts.forum_name}, {long_date(facts.meeting_date)}"


def _email(
    plan: PapersPlan,
    member: MemberRow,
    attachment: tuple[str, bytes],
    invitation: bytes | None,
    sender: str,
    sender_address: str,
) -> EmailMessage:
    size = size_of(member, plan.kind)
    lines = [f"Dear {member.name},", "", _opening(plan, size, enclosed=False)]
    where = where_lines(plan.meeting, on_paper=False)
    if plan.kind == PapersKind.AGENDA and where:
        lines += ["", *where]
    if size == STANDARD and member.accessible_format == AccessibleFormat.EASY_READ:
        lines += ["", EASY_READ_NOTE]
    if invitation is not None:
        lines += ["", "A calendar invitation is attached: open it to add the meeting to yours."]
    lines += [
        "",
        "If you would like the papers in another way, or would rather not receive them, "
        "please reply to this e-mail.",
        "",
        "With best wishes,",
        sender or "Involvement coordinator",
    ]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = _subject(plan)
    message["To"] = member.email.strip()
    if sender_address and "@" in sender_address:
        message["From"] = sender_address
    message["X-Unsent"] = "1"
    message.set_content("\n".join(lines) + "\n")
    name, data = attachment
    message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    if invitation is not None:
        message.add_attachment(
            invitation,
            maintype="text",
            subtype="calendar",
            filename="Invitation.ics",
            params={"method": "PUBLISH"},
        )
    return message


@dataclass(frozen=True)
class Letter:
    """One letter in a letters PDF: to whom, whether in large print, and what it says between
    "Dear ..." and the signature, a paragraph each."""

    name: str
    postal_address: str
    large_print: bool
    paragraphs: tuple[str, ...]


def letters_document(
    title: str, letters: Sequence[Letter], head: Masthead, today: date
) -> Document:
    """The letters in one PDF (the papers' and the invitation updates'): each from a new page,
    the name and postal address first (placed for a window envelope), then the date; a large
    print reader's letter in large print, another kept on one page. ``title`` is printed in
    every page's footer, so it is what the member may read there: the e-mail's subject
    ("Agenda: Rugby Locality Forum, 6 October 2026"), never the file's name."""
    sender = head.coordinator_name or "Involvement coordinator"
    blocks = []
    for n, letter in enumerate(letters):
        address = "\n".join([letter.name, *letter.postal_address.splitlines()])
        body = [
            Paragraph(spans(address)),
            Paragraph(spans(long_date(today))),
            Paragraph(spans(f"Dear {letter.name},")),
            *(Paragraph(spans(text)) for text in letter.paragraphs),
            Paragraph(spans(f"With best wishes,\n{sender}")),
        ]
        large = letter.large_print
        blocks.append(
            Group(tuple(body), keep_together=not large, new_page=n > 0, large_print=large)
        )
    return Document(
        title=title, blocks=tuple(blocks), trust_name=head.trust_name, logo_png=head.logo_png
    )


def _letters(plan: PapersPlan, members: list[MemberRow], head: Masthead, today: date) -> Document:
    letters = []
    for member in members:
        made = size_of(member, plan.kind)
        paragraphs = [_opening(plan, made, enclosed=True)]
        where = where_lines(plan.meeting, on_paper=True) if plan.kind == PapersKind.AGENDA else []
        if where:
            paragraphs.append("\n".join(where))
        if made == STANDARD and member.accessible_format == AccessibleFormat.EASY_READ:
            paragraphs.append(EASY_READ_NOTE.replace("reply to this e-mail", "write"))
        paragraphs.append(
            "If you would like the papers in another way, or would rather not receive them, "
            "please let me know."
        )
        letters.append(
            Letter(member.name, member.postal_address, made != STANDARD, tuple(paragraphs))
        )
    return letters_document(_subject(plan), letters, head, today)


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda temp: temp.write_bytes(data)


def unique_stem(stem: str, used: set[str]) -> str:
    name, n = stem, 2
    while name.casefold() in used:
        name, n = f"{stem} ({n})", n + 1
    used.add(name.casefold())
    return name


def write_all(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write each ``(name, data)`` into ``folder`` atomically; if one cannot be written, remove
    those already written and raise (a folder never holds half a sending)."""
    written: list[Path] = []
    try:
        for name, data in files:
            written.append(atomic_write(folder / name, _writer(data)))
    except CoordinatorError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def send_papers(
    db: Database,
    meeting_id: uuid.UUID,
    kind: PapersKind,
    folder: str | Path,
    *,
    today: date | None = None,
    now: datetime | None = None,
    sender_address: str = "",
    progress: Callable[[str], None] | None = None,
) -> PapersResult:
    """Make and write the drafts, the letters and the papers into ``folder`` and record the
    sending (module docstring). Raises ``CoordinatorError`` in one sentence, with nothing
    written and nothing recorded, when the folder is missing or cannot be written, or the
    meeting is cancelled (``refusal``)."""
    from .invitation import invitation_bytes, invitation_facts
    from .typeset import pdf_bytes

    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CoordinatorError(f"The folder {folder} does not exist.")
    today = today or date.today()
    now = now or datetime.now(UTC)
    plan = plan_papers(db, meeting_id, kind, today)
    if plan.refused:
        raise CoordinatorError(plan.refused)
    emails, letters = plan.by(EMAIL), plan.by(LETTER)
    head = masthead(db)
    sender = head.coordinator_name
    say = progress or (lambda _text: None)

    papers: dict[str, tuple[str, bytes]] = {}
    for size in sorted({size_of(m, plan.kind) for m in emails + letters}):
        say("Typesetting the papers" if size == STANDARD else f"Typesetting the {size} papers")
        papers[size] = (paper_name(plan, size), pdf_bytes(_paper(db, plan, size)))
    invitation = invitation_bytes(db, meeting_id, now=now) if kind == PapersKind.AGENDA else None
    facts = invitation_facts(db, meeting_id) if invitation is not None else ""

    files: list[tuple[str, bytes]] = []
    used: set[str] = set()
    for member in emails:
        paper = papers[size_of(member, plan.kind)]
        message = _email(plan, member, paper, invitation, sender, sender_address)
        stem = unique_stem(f"{plan.kind.label} for {safe_file_name(member.name)}", used)
        files.append((f"{stem}.eml", message.as_bytes()))
    draft_names = [name for name, _data in files]
    letters_name = None
    if letters:
        say("Typesetting the letters")
        letters_name = f"Letters - {paper_name(plan)}"
        files.append((letters_name, pdf_bytes(_letters(plan, letters, head, today))))
    paper_names = []
    for size in sorted({size_of(m, plan.kind) for m in letters}):
        files.append(papers[size])
        paper_names.append(papers[size][0])
    if invitation is not None:
        files.append(("Invitation.ics", invitation))

    write_all(folder, files)
    not_sent = len(plan.by(NOTHING))
    recipients = [(m.participant_id, True) for m in emails]
    recipients += [(m.participant_id, False) for m in letters]
    record_sending(
        db, meeting_id, plan.kind, emails=len(emails), letters=len(letters), not_sent=not_sent,
        sent_at=now, sent_by=sender, recipients=recipients, invitation=facts,
    )  # fmt: skip
    final = folder.resolve()
    return PapersResult(
        folder=final,
        drafts=tuple(final / n for n in draft_names),
        letters=final / letters_name if letters_name else None,
        papers=tuple(final / n for n in paper_names),
        invitation=final / "Invitation.ics" if invitation is not None else None,
        emails=len(emails),
        letter_count=len(letters),
        not_sent=not_sent,
        sent_at=now,
        inactive=plan.inactive,
    )


def record_sending(
    db: Database,
    meeting_id: uuid.UUID,
    kind: PapersKind,
    *,
    emails: int,
    letters: int,
    not_sent: int,
    sent_at: datetime,
    sent_by: str = "",
    recipients: Sequence[tuple[uuid.UUID, bool]] = (),
    invitation: str = "",
) -> uuid.UUID:
    """Record one sending of a meeting's papers, in one transaction: the counts, what its
    invitation said (``invitation.invitation_facts``, empty for none) and ``recipients``
    (each participant's id, and True for by e-mail, False for by letter)."""
    from . import audit
    from .vocab import AuditOperation

    new_id = uuid.uuid4()
    with db.transaction() as session:
        session.execute(
            schema.papers_sent.insert().values(
                id=new_id,
                meeting_id=meeting_id,
                kind=PapersKind(kind),
                sent_at=sent_at,
                emails=emails,
                letters=letters,
                not_sent=not_sent,
                sent_by=sent_by,
                invitation=invitation,
            )
        )
        if recipients:
            session.execute(
                schema.papers_recipients.insert(),
                [
                    {"id": uuid.uuid4(), "sending_id": new_id, "participant_id": pid, "by_email": e}
                    for pid, e in recipients
                ],
            )
        audit.record(
            session,
            AuditOperation.UPDATE,
            "meeting",
            meeting_id,
            f"{PapersKind(kind).label} sent: {emails} by e-mail, {letters} by letter",
        )
    return new_id


def papers_history(
    db: Database,
    *,
    meeting_id: uuid.UUID | None = None,
    forum_id: uuid.UUID | None = None,
    locality_id: uuid.UUID | None = None,
) -> list[PapersSent]:
    """The recorded sendings, newest first: of one meeting, one forum's meetings or one
    locality's (evidence that papers went out before a meeting and minutes after it)."""
    p, m, f = schema.papers_sent, schema.meetings, schema.forums
    stmt = select(p).join(m, m.c.id == p.c.meeting_id).join(f, f.c.id == m.c.forum_id)
    if meeting_id is not None:
        stmt = stmt.where(p.c.meeting_id == meeting_id)
    if forum_id is not None:
        stmt = stmt.where(m.c.forum_id == forum_id)
    if locality_id is not None:
        stmt = stmt.where(f.c.locality_id == locality_id)
    with db.reading() as conn:
        rows = conn.execute(stmt.order_by(p.c.sent_at.desc(), p.c.id)).all()
    return [
        PapersSent(
            id=r.id,
            meeting_id=r.meeting_id,
            kind=PapersKind(r.kind),
            sent_at=r.sent_at,
            emails=r.emails,
            letters=r.letters,
            not_sent=r.not_sent,
            sent_by=r.sent_by,
        )
        for r in rows
    ]


def papers_evidence(db: Database, locality_id: uuid.UUID, until: date, count: int = 6) -> str:
    """Evidence for the standard on papers going out (the default framework's "Papers go out
    in good time and minutes follow promptly"): for the locality's last ``count`` held
    meetings up to ``until``, when the agenda and the minutes were sent, and how many members
    of the locality who agreed to contact asked for each format. Counts and dates only; forum
    names through the return's redactor."""
    m, f, p = schema.meetings, schema.forums, schema.participants
    with db.reading() as conn:
        held = conn.execute(
            select(m.c.id, m.c.reference, m.c.meeting_date, f.c.name)
            .join(f, f.c.id == m.c.forum_id)
            .where(
                f.c.locality_id == locality_id,
                m.c.status == MeetingStatus.HELD,
                m.c.meeting_date <= until,
            )
            .order_by(m.c.meeting_date.desc(), m.c.reference)
            .limit(count)
        ).all()
        formats: dict[str, int] = dict(
            conn.execute(
                select(p.c.accessible_format, func.count())
                .where(p.c.locality_id == locality_id, p.c.consent_to_contact.is_(True))
                .group_by(p.c.accessible_format)
            ).all()
        )
    redact = redactor_of(db)
    held_words = f"{counted(len(held), 'meeting')} held"
    lines = [f"Papers sent for the last {held_words} (from the app's record):"]
    for meeting_id, reference, day, forum in held:
        sent = {h.kind: h for h in reversed(papers_history(db, meeting_id=meeting_id))}
        parts = []
        for kind, word in ((PapersKind.AGENDA, "before"), (PapersKind.MINUTES, "after")):
            record = sent.get(kind)
            if record is None:
                parts.append(f"no {kind.label.lower()} recorded")
                continue
            when = record.sent_at.astimezone().date()
            days = abs((day - when).days)
            parts.append(
                f"{kind.label.lower()} sent {when:%d/%m/%Y} ({counted(days, 'day')} {word})"
            )
        lines.append(f"- {reference}, {redact(forum)}, {day:%d/%m/%Y}: {'; '.join(parts)}")
    shown = ", ".join(f"{formats.get(fmt, 0)} {fmt.label.lower()}" for fmt in AccessibleFormat)
    lines.append(f"Formats asked for by people who agreed to be contacted: {shown}.")
    return "\n".join(lines)
