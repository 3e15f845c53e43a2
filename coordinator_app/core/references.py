"""Human references: meetings ``RUG-2610`` (locality code, year and month; ``RUG-2610-2`` for the
second meeting of that locality in the month) and actions ``RUG-A3`` (a counter per locality).

References are unique in the database; these functions pick the next free one inside the caller's
transaction, so two records made in one transaction get different references. (The ORM classes
are imported when a reference is picked: start-up only needs ``suggest_locality_code``'s module.)
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_CODE_CLEAN = re.compile(r"[^A-Z0-9]")


def suggest_locality_code(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short upper-case code for a locality name: ``Rugby`` -> ``RUG``, ``North Warwickshire``
    -> ``NWA``; a digit is added when the code is taken."""
    words = [w for w in re.split(r"[\s\-]+", name.upper()) if w]
    letters = [_CODE_CLEAN.sub("", w) for w in words]
    letters = [w for w in letters if w] or ["LOC"]
    if len(letters) == 1:
        base = letters[0][:3]
    else:
        base = (letters[0][:1] + letters[1][:2]).ljust(3, "X")
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    return code


def next_meeting_reference(session: Session, locality_code: str, on: date) -> str:
    from .models import Meeting

    stem = f"{locality_code}-{on:%y%m}"
    existing = set(
        session.scalars(
            select(Meeting.reference).where(
                (Meeting.reference == stem) | Meeting.reference.like(f"{stem}-%")
            )
        )
    )
    existing |= {obj.reference for obj in session.new if isinstance(obj, Meeting) and obj.reference}
    if stem not in existing:
        return stem
    n = 2
    while f"{stem}-{n}" in existing:
        n += 1
    return f"{stem}-{n}"


def next_action_reference(session: Session, locality_id: uuid.UUID) -> str:
    """Take the locality's next action number (kept on the locality row, so it never repeats)."""
    from .models import Action, Locality

    locality = session.get(Locality, locality_id)
    if locality is None:
        raise ValueError("unknown locality")
    number = locality.action_counter + 1
    # Skip numbers already used by imported references such as RUG-A12.
    while session.scalar(
        select(func.count())
        .select_from(Action)
        .where(Action.reference == f"{locality.code}-A{number}")
    ):
        number += 1
    locality.action_counter = number
    return f"{locality.code}-A{number}"
