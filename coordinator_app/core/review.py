"""The privacy review: what a coordinator checks before anything leaves the app
(docs/monthly-return.md#the-privacy-review, docs/printouts.md#names-and-privacy).

A review lists every piece of free text of one document that the redactor changes (a name, an
e-mail address, a phone number it hides) and every piece that still looks like it names
someone (``privacy.looks_like_names``: a capitalised word after "said", "told", "Mr", "Mrs",
"Ms", "Dr"...; a common first name), each with the record and field it comes from
(``privacy.Piece``) and where in the text, so a screen can highlight it and the coordinator can
reword it (``rewrite``) before exporting.

Contract: the review is made by building the document itself with a ``Recorder`` in place of
its redactor (``returns.gather_return``, ``minutes.minutes_document``...), so it covers exactly the
text that leaves, and a piece added to a document later is reviewed without a change here.
Fields where a staff name belongs (``Piece.names_expected``: owner, chair, minute taker) are
listed only when the redactor changes them; an owner chosen from the staff list (kept by id,
``Piece.staff_id``) is that staff member and is never listed as a service user's or carer's
name, whoever shares it. What the redactor keeps as written (a place such as
"St Andrew's Church Hall", a staff member's or consenting participant's full name, "Dr Patel"
for a staff surname: ``core/privacy.py``) is not listed as a service user's or carer's name,
nor flagged as looking like one.

Pitfall: a piece the redactor changes stays listed until it is reworded so that nothing in it
is hidden; a name that is also an ordinary word ("Will" while a service user is called Will)
can only be reworded around. ``export-return --strict`` refuses while anything is listed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from . import audit, fields, schema
from .errors import ConflictError, CoordinatorError, NotFoundError, ValidationError
from .name_words import ORDINARY_WORDS
from .privacy import (
    EMAIL,
    PHONE,
    Hidden,
    Piece,
    Redactor,
    apply,
    fold,
    looks_like_names,
    redactor_for,
)
from .rules import Month
from .vocab import AuditOperation

if TYPE_CHECKING:
    from .db import Database

#: The printouts a meeting's review can be of (the print chooser's choices).
AGENDA, MINUTES, SIGN_IN, ACTIONS_LOG = "agenda", "minutes", "sign_in", "actions_log"


@dataclass(frozen=True)
class Finding:
    """One thing to look at in a piece: ``text[start:end]``, why, and whether the redactor
    hides it (``hidden``) or it only looks like a name (the redactor cannot know it)."""

    start: int
    end: int
    reason: str
    hidden: bool


@dataclass(frozen=True)
class ReviewItem:
    """A piece of free text that leaves, with what was found in it."""

    piece: Piece
    text: str
    leaves_as: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def where(self) -> str:
        """``Action RUG-A12, Title``."""
        return f"{self.piece.label}, {self.piece.field}"

    def lines(self) -> list[str]:
        """The item as the command line prints it: where and the text, then one line for what
        is hidden and one for what to check, then what leaves."""
        out = [f"{self.where}: {_one_line(self.text)!r}"]
        hidden = [f for f in self.findings if f.hidden]
        check = [f for f in self.findings if not f.hidden]
        if hidden:
            out.append("  hidden: " + "; ".join(self._quote(f) for f in hidden))
        if check:
            out.append("  to check: " + "; ".join(self._quote(f) for f in check))
        if hidden:
            out.append(f"  leaves as: {_one_line(self.leaves_as)!r}")
        return out

    def _quote(self, finding: Finding) -> str:
        return f'"{_one_line(self.text[finding.start : finding.end])}" ({finding.reason})'


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reason(text: str, hidden: Hidden) -> str:
    if hidden.kind == EMAIL:
        return "an e-mail address"
    if hidden.kind == PHONE:
        return "a phone number"
    words = fold(text[hidden.start : hidden.end]).replace("'", " ").replace("-", " ").split()
    if words and all(w in ORDINARY_WORDS or w.rstrip("s") in ORDINARY_WORDS for w in words):
        return "a service user's or carer's name that is also an ordinary word: reword it"
    return "a service user's or carer's name"


def findings(
    redactor: Redactor,
    text: str,
    *,
    names_expected: bool = False,
    vocabulary: bool = False,
    staff: bool = False,
) -> list[Finding]:
    """What the review shows in ``text``: what ``redactor`` hides, and (unless a name is
    expected there, or ``text`` is from the trust's own lists: ``Piece.vocabulary``) what still
    looks like a name outside it and outside the names the redactor keeps as written
    (``Redactor.kept``: a staff member's or a consenting participant's full name, "Dr" and a
    staff surname). ``staff``: ``text`` is a staff member's name kept by id
    (``Piece.staff_id``): only its contact details are listed. In order."""
    hidden = redactor.hidden(text, vocabulary=vocabulary, staff=staff)
    names_expected = names_expected or vocabulary or staff
    found = [Finding(h.start, h.end, _reason(text, h), True) for h in hidden]
    flags = [] if names_expected else looks_like_names(text)
    if flags:
        spans = [(h.start, h.end) for h in hidden] + redactor.kept(text, vocabulary=vocabulary)
        for flag in flags:
            if not any(start < flag.end and flag.start < end for start, end in spans):
                found.append(Finding(flag.start, flag.end, flag.reason, False))
    return sorted(found, key=lambda f: (f.start, f.end))


class Recorder:
    """Stands in for a document's redactor (``privacy.Redact``): returns what the redactor
    would, and keeps each piece that names its record (``where``) with what was found in it,
    once per record, field and text."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._items: dict[tuple[Any, ...], ReviewItem] = {}

    def __call__(self, text: str, where: Piece | None = None) -> str:
        if not text:
            return text
        hidden = self.redactor.hidden_in(text, where)
        if where is not None:
            key = (where.table, where.column, where.record_id, where.parent_id, text)
            if key not in self._items:
                found = findings(
                    self.redactor,
                    text,
                    names_expected=where.names_expected,
                    vocabulary=where.vocabulary,
                    staff=where.staff_id is not None,
                )
                if found:
                    self._items[key] = ReviewItem(where, text, apply(text, hidden), tuple(found))
        return apply(text, hidden)

    def items(self) -> list[ReviewItem]:
        """The pieces with something found, in the order the document reads them."""
        return list(self._items.values())


# --- Reviews of the documents -------------------------------------------------------------------


def review_return(db: Database, *, locality: str, month: Month) -> list[ReviewItem]:
    """The review of a locality's monthly return for ``month`` (its free text exactly as
    ``returns.export_return`` writes it). Raises as ``export_return`` does for an unknown
    locality."""
    from .returns import find_locality, gather_return

    with db.reading() as conn:
        locality_id, _name = find_locality(conn, locality)
        recorder = Recorder(redactor_for(conn))
        gather_return(conn, locality_id, month, app_version="review", redact=recorder)
    return recorder.items()


def review_printout(
    db: Database, kind: str, meeting_id: uuid.UUID, *, today: date | None = None
) -> list[ReviewItem]:
    """The review of one of a meeting's printouts (``AGENDA``, ``MINUTES``, ``SIGN_IN``, or
    ``ACTIONS_LOG``: its forum's open-actions log on ``today``), built as the printout is."""
    from . import minutes
    from .meetings import get_meeting

    with db.reading() as conn:
        recorder = Recorder(redactor_for(conn, for_minutes=True))
    if kind == AGENDA:
        minutes.agenda_document(db, meeting_id, redact=recorder)
    elif kind == SIGN_IN:
        minutes.sign_in_sheet_document(db, meeting_id, redact=recorder)
    elif kind == ACTIONS_LOG:
        forum_id = get_meeting(db, meeting_id).forum_id
        minutes.actions_log_document(db, forum_id, today=today, redact=recorder)
    elif kind == MINUTES:
        minutes.minutes_document(db, meeting_id, redact=recorder)
    else:
        raise ValueError(f"not a printout: {kind!r}")
    return recorder.items()


# --- Rewording a piece --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rewritable:
    field: fields.Field
    required: str = ""
    #: The column naming the parent of a row known by its parent and text.
    parent: str = ""
    #: The entity name of the audit log and of a conflict's sentence.
    what: str = ""


_REWRITABLE: dict[tuple[str, str], _Rewritable] = {
    ("forums", "name"): _Rewritable(fields.FORUM_NAME, "Name the forum.", what="forum"),
    ("meetings", "venue"): _Rewritable(fields.MEETING_VENUE, what="meeting"),
    ("meetings", "chair"): _Rewritable(fields.MEETING_CHAIR, what="meeting"),
    ("meetings", "minute_taker"): _Rewritable(fields.MEETING_MINUTE_TAKER, what="meeting"),
    ("agenda_items", "title"): _Rewritable(
        fields.AGENDA_TITLE, "Give the agenda item a title.", what="agenda item"
    ),
    ("agenda_items", "discussion"): _Rewritable(fields.AGENDA_DISCUSSION, what="agenda item"),
    ("agenda_items", "decisions"): _Rewritable(fields.AGENDA_DECISIONS, what="agenda item"),
    ("experience_items", "theme"): _Rewritable(fields.EXPERIENCE_THEME, what="experience item"),
    ("experience_items", "service"): _Rewritable(fields.EXPERIENCE_SERVICE, what="experience item"),
    ("experience_items", "summary"): _Rewritable(
        fields.EXPERIENCE_SUMMARY, "Say what was said.", what="experience item"
    ),
    ("experience_items", "response"): _Rewritable(
        fields.EXPERIENCE_RESPONSE, what="experience item"
    ),
    ("actions", "title"): _Rewritable(
        fields.ACTION_TITLE, "Say what the action is.", what="action"
    ),
    ("actions", "owner"): _Rewritable(fields.ACTION_OWNER, what="action"),
    ("actions", "outcome"): _Rewritable(fields.ACTION_OUTCOME, what="action"),
    ("action_updates", "note"): _Rewritable(
        fields.PROGRESS_NOTE, "Write the progress note.", "action_id", "progress note"
    ),
    ("polls", "question"): _Rewritable(fields.POLL_QUESTION, "Ask the question.", what="poll"),
    ("poll_answers", "answer"): _Rewritable(
        fields.POLL_ANSWER, "Give the answer.", "poll_id", "poll answer"
    ),
}


def can_rewrite(piece: Piece) -> bool:
    """Whether ``rewrite`` can save a new wording of ``piece`` (else: change it where it is
    kept, such as the settings)."""
    return piece.editable and (piece.table, piece.column) in _REWRITABLE


def rewrite(db: Database, piece: Piece, expected: str, new_text: str) -> str:
    """Save ``new_text`` in the record and field ``piece`` comes from, in one transaction;
    returns the text as kept (tidied as its field keeps text).

    ``expected`` is the text the review showed: if the record holds something else now
    (someone changed it meanwhile) nothing is saved (``ConflictError``). Refused with
    ``ValidationError({"text": ...})`` when the new text is too long for its field, blank where
    the field needs text, or a second poll answer or forum name of the same wording. The row's
    version is bumped, so an editor holding it is told someone else saved. The audit log says
    which field was reworded, never the text."""
    spec = _REWRITABLE.get((piece.table, piece.column))
    if spec is None or not piece.editable:
        raise CoordinatorError(f"{piece.field} of {piece.label} cannot be changed here.")
    problems: dict[str, str] = {}
    clean = spec.field.clean(new_text, problems, required=spec.required)
    if problems:
        raise ValidationError({"text": next(iter(problems.values()))})
    table = schema.metadata.tables[piece.table]
    column = table.c[piece.column]
    with db.transaction() as session:
        if piece.record_id is not None:
            found = session.execute(
                select(table.c.id, column).where(table.c.id == piece.record_id)
            ).first()
        else:
            stmt = select(table.c.id, column).where(
                table.c[spec.parent] == piece.parent_id, column == expected
            )
            if piece.table == "action_updates":
                stmt = stmt.order_by(table.c.written_on.desc(), table.c.created_at.desc())
            found = session.execute(stmt.limit(1)).first()
        if found is None:
            if piece.record_id is None:
                raise ConflictError(spec.what)
            raise NotFoundError(f"That {spec.what} is no longer in the database.")
        record_id, current = found
        if (current or "") != expected:
            raise ConflictError(spec.what)
        _refuse_a_twin(session, piece, table, record_id, clean)
        session.execute(
            update(table)
            .where(table.c.id == record_id)
            .values(
                {
                    piece.column: clean,
                    "row_version": table.c.row_version + 1,
                    "updated_at": datetime.now(UTC),
                }
            )
        )
        audit.record(
            session,
            AuditOperation.UPDATE,
            piece.table.removesuffix("s"),
            record_id,
            f"{spec.field.label} reworded in the privacy review",
        )
    return clean


def _refuse_a_twin(
    session: Any, piece: Piece, table: Any, record_id: uuid.UUID, clean: str
) -> None:
    """A poll's answers and a locality's forums are unique by their wording."""
    if piece.table == "poll_answers":
        sibling = table.c.poll_id
        sentence = "That poll already has this answer."
    elif piece.table == "forums":
        sibling = table.c.locality_id
        sentence = "There is already a forum of that name in this locality."
    else:
        return
    owner = session.scalar(select(sibling).where(table.c.id == record_id))
    twin = session.scalar(
        select(table.c.id).where(
            sibling == owner, table.c[piece.column] == clean, table.c.id != record_id
        )
    )
    if twin is not None:
        raise ValidationError({"text": sentence})


__all__ = [
    "ACTIONS_LOG",
    "AGENDA",
    "MINUTES",
    "SIGN_IN",
    "Finding",
    "Recorder",
    "ReviewItem",
    "can_rewrite",
    "findings",
    "review_printout",
    "review_return",
    "rewrite",
]
