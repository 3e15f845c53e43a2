"""Drafts: what is being typed and not saved yet, kept so that a crash, a kill or a power cut
loses at most the last seconds of typing (README, "nothing typed is lost").

A draft is one row per person and form (``owner`` and ``key``): the form's fields as typed
(``DraftField``), a label a person reads ("the minutes of Rugby Locality Forum, 6 October
2025"), the record the form edits or adds to, and how to open the form again (``context``, for
the UI alone). The desktop app writes one within about two seconds of the last keystroke (never
on every keystroke), drops it when the record is saved or the typing thrown away (Cancel
confirmed), and offers what is left at the next start.

Contract:
- ``save_draft``, ``drop_draft`` and ``list_drafts`` are each their own short transaction,
  committed before they return; a draft never shares a transaction with a record's save.
- ``save_draft`` replaces the draft of the same owner and key (the typing so far, whole).
- ``list_drafts`` shows only this computer's user's drafts (``owner``): on a shared server
  another coordinator's typing is theirs to recover. Each says whether its record is gone, in
  which case the UI offers it only as text to copy.

Pitfall: drafts may hold personal data (a name, a note about someone). They stay in this
database only: never in a side file, never in a log line or an exception message (nothing here
puts a value into either).
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from . import audit, schema
from .db import Database
from .errors import CoordinatorError

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult
    from sqlalchemy.orm import Session

#: How long the typing must pause before a draft is written (the UI's idle timer).
IDLE_MS = 1500
KEY_MAX = 255
FORM_MAX = 64
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_TABLE = schema.drafts


class DraftNotKept(CoordinatorError):
    """The database would not take the draft (busy, full, gone); the typing is still on screen."""

    def __init__(self) -> None:
        super().__init__(
            "What you are typing could not be kept as a draft just now; it is still on screen."
        )


@dataclass(frozen=True)
class DraftField:
    """One field of a form as typed.

    ``kind`` is ``"text"`` (``value`` the text), ``"choice"`` (``value`` the chosen item's key,
    ``shown`` its words) or ``"check"`` (``value`` True or False). ``changed`` says whether the
    user changed it since the form was filled: reopening an existing record applies only those,
    so someone else's later change to another field is not undone.
    """

    name: str
    label: str
    kind: str
    value: Any
    shown: str
    changed: bool = True

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DraftField:
        return cls(
            name=str(data.get("name", "")),
            label=str(data.get("label", "")),
            kind=str(data.get("kind", "text")),
            value=data.get("value"),
            shown=str(data.get("shown", "")),
            changed=bool(data.get("changed", True)),
        )


@dataclass(frozen=True)
class Draft:
    id: uuid.UUID
    key: str
    form: str
    label: str
    record_table: str | None
    record_id: uuid.UUID | None
    context: dict[str, Any]
    fields: tuple[DraftField, ...]
    created_at: datetime
    updated_at: datetime
    #: The record it belongs to was deleted since: offer the draft only as text to copy.
    record_gone: bool = False

    def text(self) -> str:
        """What was typed, as plain text to copy ("Label: value", one field a line; a
        multi-line value under its label). The changed fields, or every filled one."""
        chosen = [f for f in self.fields if f.changed and f.shown.strip()]
        if not chosen:
            chosen = [f for f in self.fields if f.shown.strip()]
        parts = []
        for f in chosen:
            value = f.shown.strip("\n")
            parts.append(f"{f.label}:\n{value}" if "\n" in value else f"{f.label}: {value}")
        return "\n".join(parts)


def this_owner() -> str:
    """Whose drafts these are: the computer's user name and the computer's name."""
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return f"{audit.os_user()}@{host}"[:255]


def meeting_words(forum_name: str, meeting_date: date) -> str:
    """``Rugby Locality Forum, 6 October 2025`` (English month names whatever the locale)."""
    day = meeting_date
    return f"{forum_name}, {day.day} {_MONTHS[day.month - 1]} {day.year}"


def meeting_title(db: Database, meeting_id: uuid.UUID | None) -> str:
    """``meeting_words`` of a meeting, or "a meeting" when there is none (or it has gone)."""
    if meeting_id is None:
        return "a meeting"
    m, f = schema.meetings.c, schema.forums.c
    try:
        with db.reading() as conn:
            row = conn.execute(
                select(f.name, m.meeting_date)
                .select_from(schema.meetings.join(schema.forums, f.id == m.forum_id))
                .where(m.id == meeting_id)
            ).first()
    except SQLAlchemyError:  # a label is never worth failing a draft for
        return "a meeting"
    return "a meeting" if row is None else meeting_words(row[0], row[1])


def quoted(text: str, limit: int = 40) -> str:
    """A record's title for a label: ``“Ask pharmacy about the new…”`` (on one line)."""
    clean = " ".join((text or "").split())
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return f"“{clean}”"


def _check_record(record: tuple[str, uuid.UUID] | None) -> tuple[str | None, uuid.UUID | None]:
    if record is None:
        return None, None
    table, record_id = record
    if table not in schema.metadata.tables or table == _TABLE.name:
        raise ValueError(f"not a table a draft can belong to: {table!r}")
    return table, record_id


def save_draft(
    db: Database,
    *,
    key: str,
    form: str,
    label: str,
    fields: Sequence[DraftField],
    context: Mapping[str, Any] | None = None,
    record: tuple[str, uuid.UUID] | None = None,
    owner: str | None = None,
) -> uuid.UUID:
    """Keep ``fields`` as the draft ``key`` (replacing the one before); returns its id.

    ``record`` is the (table, id) the form edits or adds to. Committed before returning.
    Raises ``DraftNotKept`` (or ``ConnectionLostError``) when the database will not take it;
    ``ValueError`` for a key, form or table that is not one (a programming error).
    """
    if not key or len(key) > KEY_MAX:
        raise ValueError("a draft's key is 1 to 255 characters")
    if not form or len(form) > FORM_MAX:
        raise ValueError("a draft's form is 1 to 64 characters")
    record_table, record_id = _check_record(record)
    who = owner if owner is not None else this_owner()
    values = {
        "form": form,
        "label": (label or "").replace("\x00", "\ufffd"),
        "record_table": record_table,
        "record_id": record_id,
        # JSON escapes control characters (a NUL becomes \\u0000), so PostgreSQL takes it.
        "context": json.dumps(dict(context or {}), ensure_ascii=False, default=str),
        "fields": json.dumps([asdict(f) for f in fields], ensure_ascii=False, default=str),
    }
    t = _TABLE.c
    try:
        with db.transaction() as session:
            found = session.execute(
                select(t.id).where(t.owner == who, t.key == key)
            ).scalar_one_or_none()
            if found is None:
                found = uuid.uuid4()
                session.execute(insert(_TABLE).values(id=found, owner=who, key=key, **values))
            else:
                session.execute(
                    update(_TABLE)
                    .where(t.id == found)
                    .values(row_version=t.row_version + 1, **values)
                )
    except SQLAlchemyError as exc:
        raise DraftNotKept() from exc
    return found


def drop_draft(db: Database, key: str, *, owner: str | None = None) -> bool:
    """Delete the draft ``key`` (the record was saved, or the typing thrown away). True when
    there was one; dropping one that is not there is no error. Committed before returning."""
    who = owner if owner is not None else this_owner()
    t = _TABLE.c
    try:
        with db.transaction() as session:
            result = cast(
                "CursorResult[Any]",
                session.execute(delete(_TABLE).where(t.owner == who, t.key == key)),
            )
    except SQLAlchemyError as exc:
        raise DraftNotKept() from exc
    return bool(result.rowcount)


def forget_people(
    session: Session,
    participant_ids: Iterable[uuid.UUID],
    redact: Callable[[str], str] | None = None,
) -> int:
    """Inside the transaction that anonymises people or withdraws a consent (every owner's
    drafts, not only this computer's): the drafts of these participants' own details go, and
    ``redact`` replaces their names in every other draft's text and label, as anonymising does
    in the records. Returns how many drafts went or changed."""
    t = _TABLE.c
    ids = list(participant_ids)
    touched = 0
    if ids:
        deleted = session.execute(
            delete(_TABLE).where(t.record_table == "participants", t.record_id.in_(ids))
        )
        touched += cast("CursorResult[Any]", deleted).rowcount
    if redact is None:
        return touched
    for row in session.execute(select(t.id, t.label, t.fields)).all():
        fields = [f for f in _loads(row.fields, []) if isinstance(f, dict)]
        clean = [{k: _redacted(redact, k, v) for k, v in f.items()} for f in fields]
        label = redact(row.label) if row.label else row.label
        if clean != fields or label != row.label:
            session.execute(
                update(_TABLE)
                .where(t.id == row.id)
                .values(
                    label=label,
                    fields=json.dumps(clean, ensure_ascii=False),
                    row_version=t.row_version + 1,
                )
            )
            touched += 1
    return touched


def _redacted(redact: Callable[[str], str], name: str, value: Any) -> Any:
    """A field's typed text and shown words with the names replaced; anything else as it is."""
    if name in ("value", "shown") and isinstance(value, str) and value:
        return redact(value)
    return value


def typed_texts(fields_json: str | None) -> list[str]:
    """The texts typed into a draft's fields (for the subject-access export's search)."""
    found = []
    for f in _loads(fields_json, []):
        if isinstance(f, dict):
            found += [v for k, v in f.items() if k in ("value", "shown") and isinstance(v, str)]
    return found


def _loads(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text or "")
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def list_drafts(db: Database, *, owner: str | None = None) -> list[Draft]:
    """This owner's drafts, the oldest typing first, each saying whether its record is gone."""
    who = owner if owner is not None else this_owner()
    try:
        return _read_drafts(db, who)
    except SQLAlchemyError as exc:
        raise CoordinatorError("The drafts kept from last time could not be read.") from exc


def _read_drafts(db: Database, who: str) -> list[Draft]:
    t = _TABLE.c
    found: list[Draft] = []
    with db.reading() as conn:
        rows = conn.execute(
            select(_TABLE).where(t.owner == who).order_by(t.updated_at, t.key)
        ).all()
        for row in rows:
            gone = False
            table = schema.metadata.tables.get(row.record_table or "")
            if table is not None and row.record_id is not None:
                gone = (
                    conn.execute(select(table.c.id).where(table.c.id == row.record_id)).first()
                    is None
                )
            found.append(
                Draft(
                    id=row.id,
                    key=row.key,
                    form=row.form,
                    label=row.label,
                    record_table=row.record_table,
                    record_id=row.record_id,
                    context=_loads(row.context, {}),
                    fields=tuple(
                        DraftField.from_json(f)
                        for f in _loads(row.fields, [])
                        if isinstance(f, dict)
                    ),
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    record_gone=gone,
                )
            )
    return found
