"""A forum's members: who its papers go to, and how (issue #29, docs/glossary.md "Member").

By default a forum's members are everyone who attended one of its meetings in the 12 months up
to today, present or with apologies. The coordinator edits the list: adding someone (or
marking someone who already attends as a member) and taking someone off are kept in
``forum_members`` (``member`` True or False), so the default keeps moving with the registers
while the coordinator's choices stay.

How each member gets papers (``delivery``) is decided when papers are sent, from the record as
it is then, so a withdrawn consent to contact takes effect at once:

- inactive (``participants.active`` False: they have left, though still on the list): nothing;
- no consent to contact: nothing, ever;
- an e-mail address: one e-mail draft of their own;
- no e-mail but a postal address: a letter;
- neither: nothing, saying so (the coordinator can add an address).

Anonymised people (``participants.anonymised_at``) are never members: they have no contact
details left. Pitfall: this module reads contact details, so what it returns is personal data
for the coordinator's own screen and the drafts they send; it never goes into a return.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, select

from . import audit, schema
from .db import Database
from .errors import NotFoundError, ValidationError
from .vocab import AccessibleFormat, AttendanceStatus, AuditOperation, Category

#: How far back attending a forum makes someone a member by default.
MEMBERSHIP_DAYS = 365
#: The longest postal address kept (lines as on an envelope).
POSTAL_ADDRESS_MAX = 500
#: The longest online link kept (``schema.meetings.online_link``).
ONLINE_LINK_MAX = 1000

EMAIL = "email"
LETTER = "letter"
NOTHING = "nothing"


@dataclass(frozen=True)
class Delivery:
    """How one member gets papers: ``how`` is ``EMAIL``, ``LETTER`` or ``NOTHING``; ``why`` is
    a reason a coordinator reads ("has not consented to be contacted")."""

    how: str
    why: str


#: Why an inactive member gets nothing (``PapersPlan.inactive`` counts them by it).
INACTIVE = "is inactive"


def delivery(
    consent_to_contact: bool, email: str, postal_address: str, active: bool = True
) -> Delivery:
    """The rule of the module docstring, in one place (the plan, the sending and the UI)."""
    if not active:
        return Delivery(NOTHING, INACTIVE)
    if not consent_to_contact:
        return Delivery(NOTHING, "has not consented to be contacted")
    if (email or "").strip():
        return Delivery(EMAIL, "by e-mail")
    if (postal_address or "").strip():
        return Delivery(LETTER, "by letter (no e-mail address)")
    return Delivery(NOTHING, "has no e-mail or postal address")


@dataclass(frozen=True)
class MemberRow:
    participant_id: uuid.UUID
    name: str
    category: Category
    email: str
    postal_address: str
    accessible_format: AccessibleFormat
    consent_to_contact: bool
    #: The latest meeting of the forum they attended (present or apologies), None if none.
    last_attended: date | None
    #: True when the coordinator put them on the list (not only the default).
    added: bool
    #: False once marked inactive: kept on the list, sent nothing.
    active: bool = True

    @property
    def delivery(self) -> Delivery:
        return delivery(self.consent_to_contact, self.email, self.postal_address, self.active)


def _check_forum(conn_or_session: object, forum_id: uuid.UUID) -> None:
    found = conn_or_session.execute(  # type: ignore[attr-defined]
        select(schema.forums.c.id).where(schema.forums.c.id == forum_id)
    ).first()
    if found is None:
        raise NotFoundError("That forum is no longer in the database.")


def forum_members(db: Database, forum_id: uuid.UUID, today: date | None = None) -> list[MemberRow]:
    """The forum's members by name (module docstring). Raises ``NotFoundError`` for a forum
    that is gone."""
    today = today or date.today()
    since = today - timedelta(days=MEMBERSHIP_DAYS)
    p, a, m, fm = schema.participants, schema.attendances, schema.meetings, schema.forum_members
    with db.reading() as conn:
        _check_forum(conn, forum_id)
        attended = dict(
            conn.execute(
                select(a.c.participant_id, m.c.meeting_date)
                .join(m, m.c.id == a.c.meeting_id)
                .where(
                    m.c.forum_id == forum_id,
                    a.c.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES]),
                    m.c.meeting_date <= today,
                )
                .order_by(m.c.meeting_date)
            ).all()
        )
        choices = dict(
            conn.execute(
                select(fm.c.participant_id, fm.c.member).where(fm.c.forum_id == forum_id)
            ).all()
        )
        wanted = {pid for pid, day in attended.items() if day >= since and choices.get(pid, True)}
        wanted |= {pid for pid, member in choices.items() if member}
        if not wanted:
            return []
        rows = conn.execute(
            select(
                p.c.id,
                p.c.name,
                p.c.category,
                p.c.email,
                p.c.postal_address,
                p.c.accessible_format,
                p.c.consent_to_contact,
                p.c.active,
            ).where(and_(p.c.id.in_(wanted), p.c.anonymised_at.is_(None)))
        ).all()
    members = [
        MemberRow(
            participant_id=r.id,
            name=r.name,
            category=Category(r.category),
            email=r.email or "",
            postal_address=r.postal_address or "",
            accessible_format=AccessibleFormat(r.accessible_format),
            consent_to_contact=bool(r.consent_to_contact),
            last_attended=attended.get(r.id),
            added=bool(choices.get(r.id, False)),
            active=bool(r.active),
        )
        for r in rows
    ]
    members.sort(key=lambda row: (row.name.casefold(), row.participant_id))
    return members


def _choose(db: Database, forum_id: uuid.UUID, participant_id: uuid.UUID, member: bool) -> None:
    fm, p = schema.forum_members, schema.participants
    with db.transaction() as session:
        _check_forum(session, forum_id)
        person = session.execute(
            select(p.c.id, p.c.anonymised_at).where(p.c.id == participant_id)
        ).first()
        if person is None:
            raise NotFoundError("That participant is no longer in the database.")
        if member and person.anonymised_at is not None:
            raise ValidationError(
                {"member": "An anonymised participant cannot be a member of a forum."}
            )
        found = session.execute(
            select(fm.c.id).where(fm.c.forum_id == forum_id, fm.c.participant_id == participant_id)
        ).scalar()
        if found is None:
            session.execute(
                fm.insert().values(forum_id=forum_id, participant_id=participant_id, member=member)
            )
        else:
            session.execute(
                fm.update()
                .where(fm.c.id == found)
                .values(member=member, row_version=fm.c.row_version + 1)
            )
        audit.record(
            session,
            AuditOperation.UPDATE,
            "forum",
            forum_id,
            "Member added" if member else "Member taken off the list",
        )


def add_member(db: Database, forum_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Put a participant on the forum's list (or mark someone who attends as a member)."""
    _choose(db, forum_id, participant_id, True)


def remove_member(db: Database, forum_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Take a participant off the forum's list, even if they attended in the last 12 months."""
    _choose(db, forum_id, participant_id, False)


#: Why a postal address is refused without consent to contact.
POSTAL_CONSENT_SENTENCE = (
    "A postal address is kept only for someone who has consented to be contacted."
)


def clean_postal_address(address: str, problems: dict[str, str]) -> str:
    """A postal address tidied (each line's spaces squeezed, empty lines dropped; a comma-
    separated address from one spreadsheet cell is kept as typed), with its problem noted at
    ``postal_address`` when too long. The one rule for every door: this module, the
    participant form and the import workbook."""
    lines = [" ".join(line.split()) for line in (address or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > POSTAL_ADDRESS_MAX:
        problems["postal_address"] = (
            f"A postal address can be at most {POSTAL_ADDRESS_MAX} characters."
        )
    return text


def set_postal_address(db: Database, participant_id: uuid.UUID, address: str) -> None:
    """Keep where letters go for someone with no e-mail address (lines as on an envelope).
    Refused, with nothing changed, for someone who has not consented to be contacted (a
    contact detail is kept only with consent) or an address too long."""
    problems: dict[str, str] = {}
    text = clean_postal_address(address, problems)
    if problems:
        raise ValidationError(problems)
    p = schema.participants
    with db.transaction() as session:
        person = session.execute(
            select(p.c.consent_to_contact).where(p.c.id == participant_id)
        ).first()
        if person is None:
            raise NotFoundError("That participant is no longer in the database.")
        if text and not person.consent_to_contact:
            raise ValidationError({"postal_address": POSTAL_CONSENT_SENTENCE})
        session.execute(
            p.update()
            .where(p.c.id == participant_id)
            .values(postal_address=text, row_version=p.c.row_version + 1)
        )
        audit.record(
            session, AuditOperation.UPDATE, "participant", participant_id, "Postal address changed"
        )


# --- The online link ---------------------------------------------------------------------------


def clean_link(link: str) -> str:
    """An online meeting's link as typed, trimmed; refused (``ValidationError``) when it is
    not a web address or is too long."""
    text = (link or "").strip()
    if not text:
        return ""
    if any(ch.isspace() for ch in text) or not text.lower().startswith(("https://", "http://")):
        raise ValidationError(
            {"online_link": "An online link must be a web address starting with https://."}
        )
    if len(text) > ONLINE_LINK_MAX:
        raise ValidationError(
            {"online_link": f"An online link can be at most {ONLINE_LINK_MAX} characters long."}
        )
    return text


@dataclass(frozen=True)
class MeetingLink:
    #: The meeting's own link ("" when it uses the forum's).
    own: str
    #: The forum's usual link.
    forum: str
    #: Printed on paper (the agenda and minutes) only when chosen.
    print_link: bool

    @property
    def link(self) -> str:
        """The link the meeting uses: its own, else the forum's."""
        return self.own or self.forum


def meeting_link(db: Database, meeting_id: uuid.UUID) -> MeetingLink:
    m, f = schema.meetings, schema.forums
    with db.reading() as conn:
        row = conn.execute(
            select(m.c.online_link, m.c.print_link, f.c.online_link.label("forum_link"))
            .join(f, f.c.id == m.c.forum_id)
            .where(m.c.id == meeting_id)
        ).first()
    if row is None:
        raise NotFoundError("That meeting is no longer in the database.")
    return MeetingLink(row.online_link or "", row.forum_link or "", bool(row.print_link))


def set_meeting_link(
    db: Database, meeting_id: uuid.UUID, link: str, *, print_link: bool = False
) -> int:
    """The meeting's own online link ("" to use the forum's) and whether paper shows it;
    returns the meeting's new version (the invitation's ``SEQUENCE`` follows it, and the
    meeting editor keeps it so its next save is not taken for someone else's change)."""
    text = clean_link(link)
    m = schema.meetings
    with db.transaction() as session:
        done = session.execute(
            m.update()
            .where(m.c.id == meeting_id)
            .values(online_link=text, print_link=print_link, row_version=m.c.row_version + 1)
        )
        if done.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError("That meeting is no longer in the database.")
        audit.record(session, AuditOperation.UPDATE, "meeting", meeting_id, "Online link changed")
        version: int = session.execute(
            select(m.c.row_version).where(m.c.id == meeting_id)
        ).scalar_one()
    return version


def forum_link(db: Database, forum_id: uuid.UUID) -> tuple[str, str]:
    """The forum's name and usual online link."""
    f = schema.forums
    with db.reading() as conn:
        row = conn.execute(select(f.c.name, f.c.online_link).where(f.c.id == forum_id)).first()
    if row is None:
        raise NotFoundError("That forum is no longer in the database.")
    return row.name, row.online_link or ""


def set_forum_link(db: Database, forum_id: uuid.UUID, link: str) -> None:
    """The forum's usual online link, used by its meetings that have none of their own."""
    text = clean_link(link)
    f = schema.forums
    with db.transaction() as session:
        done = session.execute(
            f.update()
            .where(f.c.id == forum_id)
            .values(online_link=text, row_version=f.c.row_version + 1)
        )
        if done.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError("That forum is no longer in the database.")
        audit.record(session, AuditOperation.UPDATE, "forum", forum_id, "Online link changed")
