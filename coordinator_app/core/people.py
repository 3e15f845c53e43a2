"""Participants: the people who take part, their consents, and finding them again.

Contact details are kept only with consent to contact. Two participants may share a name (it
happens); ``possible_duplicates`` points a likely duplicate out but never blocks saving.

Searching folds case and accents ("zoe" finds "Zoë", "sian" finds "Siân") and ignores
apostrophes ("oneill" and "o'neill" find "O'Neill"). On SQLite the folding runs in the database
through an ``ic_fold`` SQL function registered on the session's connection (so LIKE can use it).
On other databases (PostgreSQL) the same folding is written in portable SQL (``translate``,
``replace``, ``lower``, ``regexp_replace``) from tables derived from ``fold`` itself, so both
backends find the same people. Pitfall: the SQL tables cover the Latin scripts (U+0080-U+024F,
U+1E00-U+1EFF), which is what names in an English trust hold; an accented Greek or Cyrillic
letter is matched by case only on a server.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, all_, and_, case, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from . import audit, fields, versions
from .db import NUL_REPLACEMENT, Database
from .errors import CoordinatorError, NotFoundError, ValidationError
from .members import POSTAL_CONSENT_SENTENCE, clean_postal_address
from .models import (
    ActivityParticipant,
    Attendance,
    Forum,
    InvolvementPayment,
    Locality,
    Meeting,
    Participant,
    ProjectParticipant,
)
from .payments.totals import Benefits, benefit_values
from .rows import merged, raw_key, to_key
from .text import unaccent
from .vocab import AccessibleFormat, AttendanceStatus, AuditOperation, Category, MeetingStatus

# --- Folding text for search -----------------------------------------------------------------

_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
     "œ": "oe", "Œ": "oe", "ı": "i"}
)  # fmt: skip
_DROP = re.compile(r"['’‘`´ʼ.]")
_SPACE = re.compile(r"[\s\-‐‑–—_/,;:()]+")


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Text reduced for matching: no accents, case-folded, apostrophes and full stops dropped,
    hyphens and other separators turned into single spaces ("Siân O'Neill-Jones" ->
    "sian oneill jones"). Used on both sides of every comparison, so they always agree."""
    if not text:
        return ""
    plain = unaccent(text.translate(_SPECIAL)).casefold()
    return _SPACE.sub(" ", _DROP.sub("", plain)).strip()


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


@lru_cache(maxsize=1)
def _sql_fold_tables() -> tuple[list[tuple[str, str]], str, str]:
    """What ``fold`` does to each Latin letter, as SQL can say it: multi-letter replacements
    (``æ`` -> ``ae``), then one ``translate`` (one letter to one, dropped ones last)."""
    expansions: list[tuple[str, str]] = []
    source, target, dropped = [], [], []
    letters = [*range(0x80, 0x250), *range(0x1E00, 0x1F00)]
    for ch in dict.fromkeys([chr(c) for c in letters] + list("'’‘`´ʼ.")):
        folded = fold(ch)
        if folded == ch or not ch.strip():
            continue
        if folded == "":
            if _DROP.match(ch):
                dropped.append(ch)
        elif len(folded) == 1:
            source.append(ch)
            target.append(folded)
        elif " " not in folded:
            expansions.append((ch, folded))
    return expansions, "".join(source) + "".join(dropped), "".join(target)


def _sql_fold(column: Any) -> ColumnElement[str]:
    """``fold`` written in portable SQL (PostgreSQL's functions of these names)."""
    expansions, source, target = _sql_fold_tables()
    expr: Any = column
    for ch, folded in expansions:
        expr = func.replace(expr, ch, folded)
    expr = func.lower(func.translate(expr, source, target))
    expr = func.regexp_replace(expr, r"[\s‐‑–—_/,;:()-]+", " ", "g")
    return func.btrim(expr)


def fold_expr(session: Session, column: Any) -> ColumnElement[str]:
    """``column`` folded in SQL like ``fold`` (registers ``ic_fold`` on a SQLite connection)."""
    if _is_sqlite(session):
        raw = session.connection().connection.dbapi_connection
        raw.create_function("ic_fold", 1, fold, deterministic=True)  # type: ignore[union-attr]
        return func.ic_fold(column)
    return _sql_fold(column)


def fold_text(session: Session, text: str) -> str:
    """The Python side matching ``fold_expr`` (the same on every database)."""
    return fold(text)


def like_escape(text: str) -> str:
    """Escape LIKE's wildcards (the escape character is a backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_SURROGATES = re.compile("[\ud800-\udfff]")
_WORDS_SEPARATOR = "\x1f"  # a unit separator: never in a folded word


def search_words(text: str) -> list[str]:
    """The words a search for ``text`` looks for: folded (``fold``), each once, in the order
    typed. Lone surrogates (half an emoji, from a broken paste) are dropped: no stored text
    holds them, and no database driver can send them."""
    return list(dict.fromkeys(fold(_SURROGATES.sub("", text or "")).split()))


def _has_all_words(text: str | None, words: str) -> bool:
    """SQLite's ``ic_has_words``: every word (joined by ``_WORDS_SEPARATOR``) is in ``text``
    folded."""
    folded = fold(text)
    return all(word in folded for word in words.split(_WORDS_SEPARATOR))


def _has_all_prefixes(text: str | None, words: str) -> bool:
    """SQLite's ``ic_has_prefixes``: every word begins some word of ``text`` folded."""
    spaced = " " + fold(text)
    return all(" " + word in spaced for word in words.split(_WORDS_SEPARATOR))


def _words_match(
    session: Session, column: Any, words: list[str], *, prefixes: bool
) -> ColumnElement[bool]:
    """``column`` (folded) holds every one of ``words`` (``search_words``), or (``prefixes``)
    has a word beginning with each; true when there are no words.

    However many words and however long: on SQLite one Python function per row, given the
    words as one value (LIKE refuses a pattern of over 50,000 bytes, and a chain of a thousand
    conditions is deeper than SQLite parses); on a server one ``LIKE ALL`` over an array, one
    parameter whatever the count."""
    if not words:
        return literal(True)
    if _is_sqlite(session):
        raw = session.connection().connection.dbapi_connection
        name = "ic_has_prefixes" if prefixes else "ic_has_words"
        check = _has_all_prefixes if prefixes else _has_all_words
        raw.create_function(name, 2, check, deterministic=True)  # type: ignore[union-attr]
        return getattr(func, name)(column, _WORDS_SEPARATOR.join(words)) == 1
    folded = _sql_fold(column)
    if prefixes:
        folded = literal(" ") + folded
    lead = "% " if prefixes else "%"
    # PostgreSQL keeps a NUL as U+FFFD (core.engine), so that is what a NUL typed here finds.
    patterns = [f"{lead}{like_escape(w.replace(chr(0), NUL_REPLACEMENT))}%" for w in words]
    return folded.like(all_(literal(patterns, ARRAY(Text))))


def contains_all_words(session: Session, columns: list[Any], text: str) -> ColumnElement[bool]:
    """Every word of ``text`` appears (folded) in at least one of ``columns``.

    The columns are joined with a space and folded once per row (one Python call per row on
    SQLite, not one per column); a folded word holds no space, so no match spans two columns.
    Any text answers, of any length and script (``search_words``, ``_words_match``).
    """
    joined: Any = func.coalesce(columns[0], "")
    for column in columns[1:]:
        joined = joined + " " + func.coalesce(column, "")
    return _words_match(session, joined, search_words(text), prefixes=False)


def word_prefixes(session: Session, column: Any, text: str) -> ColumnElement[bool]:
    """Every word of ``text`` begins some word of ``column`` ("zo sm" finds "Zoë Smith")."""
    return _words_match(session, column, search_words(text), prefixes=True)


# --- Rows ------------------------------------------------------------------------------------


@dataclass
class ParticipantInput:
    """What the participant form edits. Text is trimmed on save."""

    name: str
    category: Category
    locality_id: uuid.UUID | None = None
    organisation: str = ""
    email: str = ""
    phone: str = ""
    consent_to_contact: bool = False
    name_in_minutes: bool = False
    consent_date: date | None = None
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD
    notes: str = ""
    active: bool = True
    #: Other names they go by ("Bobby", a maiden name): hidden like the name in everything
    #: that leaves the app (``core.privacy``).
    also_known_as: str = ""
    #: Benefits advice, vouchers, no payment (#28); None leaves them as they are.
    benefits: Benefits | None = None
    #: Where letters go (#29, ``core.members``); kept only with consent to contact. None leaves
    #: it as it is, except that it is cleared when consent to contact is not given.
    postal_address: str | None = None


@dataclass(frozen=True)
class ParticipantRow:
    id: uuid.UUID
    name: str
    category: Category
    locality_name: str
    organisation: str
    email: str
    phone: str
    consent_to_contact: bool
    name_in_minutes: bool
    consent_date: date | None
    accessible_format: AccessibleFormat
    notes: str
    active: bool
    #: Date of the latest meeting (not cancelled) they were marked present at.
    last_attended: date | None
    #: Meetings (not cancelled) they were marked present at.
    attendance_count: int
    locality_id: uuid.UUID | None = None
    #: The row's version, filled by ``get_participant`` only (0 in lists): pass it back as
    #: ``expected_version`` when saving from an editor.
    version: int = 0
    also_known_as: str = ""
    #: Filled by ``get_participant`` only ("" in lists): a contact detail.
    postal_address: str = ""


def attended() -> ColumnElement[bool]:
    """What a person's "attendances" count, over ``Attendance`` joined to its ``Meeting``: marked
    present at a meeting not cancelled. The one rule of the Participants list's column, the
    anonymise question and the subject access message (docs/counting-rules.md "A person's
    attendances"); apologies and absences never count."""
    return and_(
        Attendance.status == AttendanceStatus.PRESENT, Meeting.status != MeetingStatus.CANCELLED
    )


_ATTENDED = attended()


def _attendance_summary() -> Any:
    """Per participant: the latest date and the number of meetings (not cancelled) at which
    they were present, grouped in one pass over attendances (for whole lists).

    The pass walks the covering index ``ix_attendances_participant_status`` and looks each
    meeting up in ``ix_meetings_id_status_date`` (migration 0002), so no table row is read.
    (Before those indexes, grouping by ``participant_id`` read every attendance row at random.)
    """
    return (
        select(
            Attendance.participant_id.label("participant_id"),
            func.max(Meeting.meeting_date).label("last_attended"),
            func.count().label("attendance_count"),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(_ATTENDED)
        .group_by(Attendance.participant_id)
        .subquery("attended")
    )


def _attendance_correlated() -> tuple[Any, Any]:
    """The same figures per participant row by correlated subqueries over the participant
    index: cheaper than the grouped pass when a filter leaves few participants."""

    def per_participant(aggregate: Any) -> Any:
        return (
            select(aggregate)
            .select_from(Attendance)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.participant_id == Participant.id, _ATTENDED)
            .correlate(Participant)
            .scalar_subquery()
        )

    return per_participant(func.max(Meeting.meeting_date)), per_participant(func.count())


def _participant_select(attendance: str = "grouped") -> Select[Any]:
    """Participant columns plus attendance figures: ``attendance`` is "grouped" (whole lists),
    "correlated" (filtered lists) or "none" (type-ahead: no figures)."""
    attended = None
    last: Any
    count: Any
    if attendance == "grouped":
        attended = _attendance_summary()
        last, count = attended.c.last_attended, func.coalesce(attended.c.attendance_count, 0)
    elif attendance == "correlated":
        last, count = _attendance_correlated()
    else:
        last, count = literal(None), literal(0)
    stmt: Select[Any] = select(  # type: ignore[assignment]  # too many columns to spell out
        Participant.id,
        Participant.name,
        Participant.category,
        func.coalesce(Locality.name, ""),
        Participant.organisation,
        Participant.email,
        Participant.phone,
        Participant.consent_to_contact,
        Participant.name_in_minutes,
        Participant.consent_date,
        Participant.accessible_format,
        Participant.notes,
        Participant.active,
        last,
        count,
        raw_key(Participant.locality_id),
        Participant.also_known_as,
    ).outerjoin(Locality, Locality.id == Participant.locality_id)
    if attended is not None:
        stmt = stmt.outerjoin(attended, attended.c.participant_id == Participant.id)
    return stmt


def _to_row(r: Any) -> ParticipantRow:
    last = r[13]
    if isinstance(last, str):  # an aggregate over a date column may come back as text
        last = date.fromisoformat(last)
    return ParticipantRow(
        id=r[0],
        name=r[1],
        category=r[2],
        locality_name=r[3],
        organisation=r[4],
        email=r[5],
        phone=r[6],
        consent_to_contact=bool(r[7]),
        name_in_minutes=bool(r[8]),
        consent_date=r[9],
        accessible_format=r[10],
        notes=r[11],
        active=bool(r[12]),
        last_attended=last,
        attendance_count=int(r[14] or 0),
        locality_id=to_key(r[15]),
        also_known_as=r[16] or "",
    )


def participant_rows(
    session: Session,
    *where: ColumnElement[bool],
    attendance: str = "correlated",
    limit: int | None = None,
) -> list[ParticipantRow]:
    """Participants matching ``where`` as rows, by name, in one query. ``attendance``: see
    ``_participant_select``; with "none" the rows have ``last_attended`` None and
    ``attendance_count`` 0 (cheapest, for type-ahead)."""
    stmt = (
        _participant_select(attendance)
        .where(*where)
        .order_by(func.lower(Participant.name), Participant.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_to_row(r) for r in session.execute(stmt)]


# --- Reading ---------------------------------------------------------------------------------


def list_participants(
    db: Database,
    *,
    category: Category | None = None,
    locality_id: uuid.UUID | None = None,
    active: bool | None = True,
    text: str = "",
    figures: bool = True,
    locality_ids: Sequence[uuid.UUID] | None = None,
    limit: int | None = None,
) -> list[ParticipantRow]:
    """Participants by name, each with their last attendance and count (one query); with
    ``limit``, the first ``limit`` of them only (the directory's first screenful, read from the
    index on (lower(name), id) of migration 0007 whatever the number of people).

    ``active`` None lists everyone; ``text`` matches every word in the name or organisation,
    ignoring case and accents. ``figures`` False leaves ``last_attended`` None and
    ``attendance_count`` 0 (a tenth of the time on ten years of data): the directory shows the
    names at once and fills those two columns from ``attendance_figures`` a moment later.

    ``locality_ids`` (the directory's scope: the coordinator's own localities; None for all)
    keeps their people and those with no locality, read locality by locality in name order
    from the index on (locality, lower(name), id) (migration 0007)
    and merged, so the directory costs the same however many other localities the database
    holds. Pitfall: SQLite's ``lower`` folds ASCII letters only; the merge follows it.
    """
    # Per-row lookups win when a filter leaves a part of the directory (the active people are
    # about a sixth of ten years' participants); one grouped pass wins for the whole of it.
    few = (
        active is True or locality_id is not None or locality_ids is not None or bool(text.strip())
    )
    mode = "none" if not figures else "correlated" if few else "grouped"
    with db.session() as session:
        stmt = _participant_select(mode)
        if category is not None:
            stmt = stmt.where(Participant.category == Category(category))
        if locality_id is not None:
            stmt = stmt.where(Participant.locality_id == locality_id)
        if active is not None:
            stmt = stmt.where(Participant.active == active)
        if text.strip():
            stmt = stmt.where(
                contains_all_words(session, [Participant.name, Participant.organisation], text)
            )
        stmt = stmt.order_by(func.lower(Participant.name), Participant.id).limit(limit)
        if locality_ids is None:
            return [_to_row(r) for r in session.execute(stmt)]
        streams = [
            [_to_row(r) for r in session.execute(stmt.where(where))]
            for where in _scope_streams(locality_ids)
        ]
        return merged(streams, _name_order, descending=False, limit=limit)


def _scope_streams(locality_ids: Sequence[uuid.UUID]) -> list[ColumnElement[bool]]:
    """One condition per stream of a scoped directory: each locality, then no locality."""
    return [
        *(Participant.locality_id == lid for lid in dict.fromkeys(locality_ids)),
        Participant.locality_id.is_(None),
    ]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _name_order(row: ParticipantRow) -> tuple[str, uuid.UUID]:
    """The directory's SQL order as a key: SQLite's ``lower(name)`` (ASCII only), then id."""
    return row.name.translate(_ASCII_LOWER), row.id


def attendance_figures(
    db: Database, locality_ids: Sequence[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[date | None, int]]:
    """Every participant who attended: ``id -> (last attended, number of meetings)``, by the
    same rule and in the same grouped pass as ``list_participants`` (present at a meeting that
    was not cancelled). Participants missing from the result never attended. ``locality_ids``:
    only the people ``list_participants`` shows for that scope, each looked up through the
    participant index, so the work follows the scope and not the whole database."""
    if locality_ids is not None:
        last, count = _attendance_correlated()
        with db.session() as session:
            found: dict[uuid.UUID, tuple[date | None, int]] = {}
            for where in _scope_streams(locality_ids):
                for pid, when, number in session.execute(
                    select(Participant.id, last, count).where(where)
                ):
                    if number:
                        found[pid] = (
                            date.fromisoformat(when) if isinstance(when, str) else when,
                            int(number),
                        )
            return found
    summary = _attendance_summary()
    with db.session() as session:
        rows = session.execute(
            select(summary.c.participant_id, summary.c.last_attended, summary.c.attendance_count)
        )
        return {
            pid if isinstance(pid, uuid.UUID) else uuid.UUID(str(pid)): (
                date.fromisoformat(last) if isinstance(last, str) else last,
                int(count),
            )
            for pid, last, count in rows
        }


def with_attendance(row: ParticipantRow, last_attended: date | None, count: int) -> ParticipantRow:
    """A copy of ``row`` with its attendance figures. Same as ``dataclasses.replace``, without
    its per-call field checks: the directory copies 4,000 rows in about 12 ms instead of 60."""
    copy = object.__new__(ParticipantRow)
    copy.__dict__.update(row.__dict__, last_attended=last_attended, attendance_count=count)
    return copy


def get_participant(db: Database, participant_id: uuid.UUID) -> ParticipantRow:
    """One participant for an editor, with their ``version`` (read first: ``versions``)."""
    with db.session() as session:
        version = versions.current(
            session, Participant, participant_id, "That participant is no longer in the database."
        )
        row = session.execute(
            _participant_select("correlated").where(Participant.id == participant_id)
        ).first()
        if row is None:
            raise NotFoundError("That participant is no longer in the database.")
        postal = session.scalar(
            select(Participant.postal_address).where(Participant.id == participant_id)
        )
        return replace(_to_row(row), version=version, postal_address=postal or "")


def possible_duplicates(
    db: Database, name: str, email: str = "", exclude_id: uuid.UUID | None = None
) -> list[ParticipantRow]:
    """Participants who may be the same person: the same name ignoring case, spaces and
    accents, or the same email. Pointed out to the user, never a reason to refuse a save."""
    with db.session() as session:
        conditions = []
        folded_name = fold_text(session, name)
        if folded_name:
            conditions.append(fold_expr(session, Participant.name) == folded_name)
        clean_email = email.strip().lower()
        if clean_email:
            conditions.append(func.lower(Participant.email) == clean_email)
        if not conditions:
            return []
        stmt = _participant_select("correlated").where(
            or_(*conditions), Participant.anonymised_at.is_(None)
        )
        if exclude_id is not None:
            stmt = stmt.where(Participant.id != exclude_id)
        stmt = stmt.order_by(func.lower(Participant.name), Participant.id)
        return [_to_row(r) for r in session.execute(stmt)]


def find_participants(
    db: Database, text: str, limit: int = 20, *, forum_id: uuid.UUID | None = None
) -> list[ParticipantRow]:
    """The register's type-ahead: participants having a word of their name that begins with
    each word typed (case- and accent-insensitive). With ``forum_id``, the forum's regulars
    (present most often in the last 12 months) come first, then the people of its locality (or
    of none); then active before inactive, then by name. Anonymised participants are never
    offered.

    The rows carry no attendance figures (``last_attended`` None, ``attendance_count`` 0): this
    runs on every keystroke; use ``get_participant`` for the figures.
    """
    if not search_words(text):
        return []
    with db.session() as session:
        stmt = _participant_select("none").where(
            Participant.anonymised_at.is_(None), word_prefixes(session, Participant.name, text)
        )
        order: list[Any] = []
        if forum_id is not None:
            since = date.today() - timedelta(days=365)
            regular = (
                select(Attendance.participant_id.label("pid"), func.count().label("n"))
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .where(
                    Meeting.forum_id == forum_id,
                    Meeting.meeting_date >= since,
                    Attendance.status == AttendanceStatus.PRESENT,
                )
                .group_by(Attendance.participant_id)
                .subquery("regular")
            )
            stmt = stmt.outerjoin(regular, regular.c.pid == Participant.id)
            order.append(func.coalesce(regular.c.n, 0).desc())
            # Then the forum's own locality's people (and those of no locality): a trust holds
            # many Megans, and Enter takes the first offered.
            home = select(Forum.locality_id).where(Forum.id == forum_id).scalar_subquery()
            local = or_(Participant.locality_id == home, Participant.locality_id.is_(None))
            order.append(case((local, 0), else_=1))
        order += [
            case((Participant.active, 0), else_=1),
            func.lower(Participant.name),
            Participant.id,
        ]
        stmt = stmt.order_by(*order).limit(limit)
        return [_to_row(r) for r in session.execute(stmt)]


# --- Writing ---------------------------------------------------------------------------------


def _clean(session: Session, data: ParticipantInput, today: date | None = None) -> dict[str, Any]:
    """Validate and tidy the form; raise ValidationError naming every field at fault. The
    lengths, the email check and consent to contact are ``core.fields``' (the import workbook
    applies the same), so a value too long for its column is a sentence at its field on every
    database, never a database error."""
    today = today or date.today()
    problems: dict[str, str] = {}
    name = fields.PARTICIPANT_NAME.clean(
        data.name, problems, required="Please give the participant's name."
    )
    organisation = fields.PARTICIPANT_ORGANISATION.clean(data.organisation, problems)
    email = fields.PARTICIPANT_EMAIL.clean(data.email, problems)
    phone = fields.PARTICIPANT_PHONE.clean(data.phone, problems)
    notes = fields.PARTICIPANT_NOTES.clean(data.notes, problems)
    also_known_as = fields.PARTICIPANT_ALSO_KNOWN_AS.clean(data.also_known_as, problems)
    category = fields.choice(
        Category, data.category, problems, "category", "Choose the participant's category.",
        Category.OTHER,
    )  # fmt: skip
    accessible_format = fields.choice(
        AccessibleFormat, data.accessible_format or AccessibleFormat.STANDARD, problems,
        "accessible_format", "Choose a format for their papers.", AccessibleFormat.STANDARD,
    )  # fmt: skip
    for key, sentence in fields.contact_problems(
        bool(data.consent_to_contact), email, phone
    ).items():
        problems.setdefault(key, sentence)
    if refusal := fields.consent_date_problem(data.consent_date, today):
        problems["consent_date"] = refusal
    if data.locality_id is not None and session.get(Locality, data.locality_id) is None:
        problems["locality"] = "Choose a locality from the list."
    benefits = benefit_values(data.benefits, problems)
    postal: dict[str, str] = {}
    if data.postal_address is not None:
        postal["postal_address"] = clean_postal_address(data.postal_address, problems)
        if postal["postal_address"] and not data.consent_to_contact:
            problems.setdefault("postal_address", POSTAL_CONSENT_SENTENCE)
    elif not data.consent_to_contact:
        postal["postal_address"] = ""  # consent withdrawn: the kept address goes with it
    if problems:
        raise ValidationError(problems)
    return {
        **benefits,
        **postal,
        "name": name,
        "category": category,
        "locality_id": data.locality_id,
        "organisation": organisation,
        "email": email,
        "phone": phone,
        "consent_to_contact": bool(data.consent_to_contact),
        "name_in_minutes": bool(data.name_in_minutes),
        "consent_date": data.consent_date,
        "accessible_format": accessible_format,
        "notes": notes,
        "active": bool(data.active),
        "also_known_as": also_known_as,
    }


def create_participant(db: Database, data: ParticipantInput) -> uuid.UUID:
    """A new participant. On a trust server a coordinator's login adds people to their own
    localities (``core/access.py``): with no locality given, the coordinator's one locality is
    theirs, and one of several must be chosen (``ValidationError``), since a person with no
    locality would be out of the coordinator's sight as soon as they were saved."""
    with db.transaction() as session:
        if data.locality_id is None and session.get_bind().dialect.name == "postgresql":
            from .access import my_localities

            mine = my_localities(session)
            if len(mine) == 1:
                data = replace(data, locality_id=mine[0])
            elif mine:
                raise ValidationError(
                    {
                        "locality": "Choose the person's locality: on the trust server, who "
                        "may see a person follows their locality."
                    }
                )
        values = _clean(session, data)
        participant = Participant(**values)
        session.add(participant)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "participant",
            participant.id,
            f"Participant added ({values['category'].label.lower()})",
        )
        return participant.id


def update_participant(
    db: Database,
    participant_id: uuid.UUID,
    data: ParticipantInput,
    *,
    expected_version: int | None = None,
) -> int:
    """Save a participant; returns the new version. With ``expected_version`` (what the editor
    loaded) someone changed meanwhile is refused with ``ConflictError``."""
    with versions.guard("participant"), db.transaction() as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("That participant is no longer in the database.")
        versions.check(participant, expected_version, "participant")
        values = _clean(session, data)
        for key, value in values.items():
            setattr(participant, key, value)
        audit.record(
            session, AuditOperation.UPDATE, "participant", participant_id, "Participant changed"
        )
        return versions.saved_version(session, participant)


def delete_participant(
    db: Database, participant_id: uuid.UUID, *, expected_version: int | None = None
) -> None:
    """Delete someone entered by mistake. Refused once they have attendances, payments or a
    part in an improvement project: the figures depend on them (mark them inactive instead).
    With ``expected_version``, someone changed since loaded is not deleted (``ConflictError``)."""
    with versions.guard("participant", deleting=True), db.transaction() as session:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("That participant is no longer in the database.")
        versions.check(participant, expected_version, "participant", deleting=True)

        def used(model: Any) -> bool:
            return (
                session.scalar(select(model.id).where(model.participant_id == participant_id))
                is not None
            )

        if used(Attendance):
            raise CoordinatorError(
                "This participant has attended meetings; mark them inactive instead so the "
                "figures stay true."
            )
        if used(InvolvementPayment):
            raise CoordinatorError(
                "This participant has involvement payments on record; mark them inactive "
                "instead so the figures stay true."
            )
        if used(ActivityParticipant):
            raise CoordinatorError(
                "This participant took part in an involvement activity; mark them inactive "
                "instead so the figures stay true."
            )
        if used(ProjectParticipant):
            raise CoordinatorError(
                "This participant is part of an improvement project; mark them inactive "
                "instead so the figures stay true."
            )
        session.delete(participant)
        audit.record(
            session, AuditOperation.DELETE, "participant", participant_id, "Participant deleted"
        )
