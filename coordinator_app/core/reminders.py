"""Reminder emails to action owners, composed offline: one draft per owner listing their open
actions (overdue first), as a ``mailto:`` link or an ``.eml`` file a mail program opens as a
draft ("Email owners" on Home and the tracker, so a coordinator can chase them from the train).

Owners are names; an owner on the app's staff list (``core/staff.py``) gets their work
address in ``To`` (``addresses``), anyone else a draft with no recipient, picked in the mail
program. The drafts leave the coordinator, so every action title and progress note goes
through the return's redactor (``redact``, required: ``privacy.redactor_of``): no service
user's or carer's name and no e-mail address or phone number is in them. The owner's own name
("Dear ...") goes through it too: an owner typed as a service user's or carer's name is greeted
by their category, never named (owners are staff; issue #29); an owner chosen from the staff
list (``ActionRow.owner_staff_id``) is that staff member, greeted by name and written to at their
staff address whoever else shares the name.

Pitfalls: ``mailto:`` links longer than about 2,000 characters are cut or refused by Windows
mail handlers, so ``mailto_url`` shortens the body (``.eml`` files never); ``.eml`` files are
written atomically (``files.atomic_write``) with ``X-Unsent: 1`` so Outlook opens them as a new
message rather than a received one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import quote

from .files import atomic_write
from .privacy import Redact
from .rows import ActionRow

MAILTO_LIMIT = 1900


@dataclass(frozen=True)
class ReminderDraft:
    owner: str
    subject: str
    body: str
    open_count: int
    overdue_count: int
    #: The owner's e-mail address from the staff list; "" when they are not on it.
    to: str = ""


def _action_line(row: ActionRow, today: date, redact: Redact) -> str:
    if row.overdue and row.due_on is not None:
        late = (today - row.due_on).days
        when = f"OVERDUE by {late} day{'s' if late != 1 else ''} (due {row.due_on:%d/%m/%Y})"
    elif row.due_on is not None:
        when = f"due {row.due_on:%d/%m/%Y}"
    else:
        when = "no due date"
    line = f"- {row.reference}: {redact(row.title)} ({row.locality_name}, {when})"
    if row.latest_progress:
        line += f"\n  Latest progress: {' '.join(redact(row.latest_progress).split())}"
    return line


def compose_reminders(
    reminders: dict[str, list[ActionRow]],
    *,
    today: date,
    sender: str = "",
    trust: str = "",
    redact: Redact,
    addresses: dict[str, str] | None = None,
) -> list[ReminderDraft]:
    """One draft per owner from ``actions.owner_reminders``: overdue actions first, then the
    rest by due date; a polite subject that says how many are overdue. ``redact`` hides names
    and contact details in titles and progress notes (see the module docstring)."""
    from .minutes import _action_piece
    from .staff import recipient

    drafts: list[ReminderDraft] = []
    for typed, rows in reminders.items():
        if not rows:
            continue
        # An owner chosen from the staff list is that staff member, whoever shares the name:
        # greeted by it and written to at their staff address (issue #29).
        chosen = next((r for r in rows if r.owner_staff_id is not None), None)
        if chosen is None:
            owner = redact(typed)
        else:
            owner = redact(typed, _action_piece(chosen, "owner", "Owner", names=True))
        to = recipient(typed, addresses or {}) if chosen or owner == typed else ""
        overdue = [r for r in rows if r.overdue]
        rest = [r for r in rows if not r.overdue]
        count = len(rows)
        subject = f"Your open action{'s' if count != 1 else ''} ({count}"
        subject += f", {len(overdue)} overdue)" if overdue else ")"
        if trust:
            subject += f" - {trust}"
        parts = [
            f"Dear {owner},",
            "",
            "Thank you for taking on actions from our involvement forums. "
            "Could you let me know how these are going, and what has been done so far, "
            "so that I can report back to the people who raised them?",
        ]
        if overdue:
            parts += ["", "Overdue:", *(_action_line(r, today, redact) for r in overdue)]
        if rest:
            parts += ["", "Open:" if overdue else "Open actions:"]
            parts += [_action_line(r, today, redact) for r in rest]
        parts += ["", "With thanks,", sender or "Involvement coordinator"]
        body = "\n".join(parts) + "\n"
        drafts.append(ReminderDraft(owner, subject, body, count, len(overdue), to))
    return drafts


def mailto_url(draft: ReminderDraft, limit: int = MAILTO_LIMIT) -> str:
    """A ``mailto:`` link with the owner's address (if known), subject and body. A body too
    long for a mail handler is cut at a line and ends with a note that the list goes on."""

    def build(body: str) -> str:
        to = quote(draft.to, safe="@")
        return f"mailto:{to}?subject={quote(draft.subject)}&body={quote(body)}"

    url = build(draft.body)
    if len(url) <= limit:
        return url
    lines = draft.body.splitlines()
    note = "(The list is longer than an email link allows: please see the action tracker.)"
    while lines:
        lines.pop()
        url = build("\n".join([*lines, "", note]) + "\n")
        if len(url) <= limit:
            return url
    return build(note)


def eml_message(draft: ReminderDraft, sender: str = "") -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = draft.subject
    message["To"] = draft.to
    if sender and "@" in sender:
        message["From"] = sender
    message["X-Unsent"] = "1"
    message.set_content(draft.body)
    return message


def safe_file_name(owner: str) -> str:
    """A file name from an owner's name: letters (accents kept), digits, spaces, dots and
    hyphens; anything else becomes a space."""
    clean = re.sub(r"[^\w .\-]", " ", owner, flags=re.UNICODE)
    clean = " ".join(clean.split()).strip(" .") or "owner"
    return clean[:80]


def write_eml(draft: ReminderDraft, path: str | Path, sender: str = "") -> Path:
    """Write one draft as an ``.eml`` file, atomically (never half written)."""
    data = eml_message(draft, sender).as_bytes()
    return atomic_write(path, lambda temp: temp.write_bytes(data))


def write_eml_drafts(
    drafts: list[ReminderDraft], folder: str | Path, sender: str = ""
) -> list[Path]:
    """Write every draft into ``folder`` as ``Actions for <owner>.eml`` (names made unique)."""
    folder = Path(folder)
    written: list[Path] = []
    used: set[str] = set()
    for draft in drafts:
        stem = f"Actions for {safe_file_name(draft.owner)}"
        name, n = stem, 2
        while name.casefold() in used:
            name, n = f"{stem} ({n})", n + 1
        used.add(name.casefold())
        written.append(write_eml(draft, folder / f"{name}.eml", sender))
    return written
