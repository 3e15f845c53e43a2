"""Optimistic concurrency for editors that load in one transaction and save in a later one.

Every row has ``row_version`` (SQLAlchemy's ``version_id_col``: each UPDATE or DELETE of the row
says ``WHERE row_version = <the version read>`` and adds one). That alone only protects a row
loaded and written in the same session. An editor shows a record for minutes, so the services it
saves through take ``expected_version`` (the version the editor loaded, ``None`` for callers that
do not care, such as the command line and the importer) and:

1. read the row in the saving transaction and compare (``check``): another version means someone
   else saved meanwhile, so ``ConflictError`` and nothing is written;
2. let the UPDATE's own version check catch the race between that read and the write (two
   instances saving the same moment on PostgreSQL): ``guard`` turns SQLAlchemy's
   ``StaleDataError`` into the same ``ConflictError`` at the service boundary.

A change to a child collection that an editor shows as part of its record (a meeting's agenda
and register) counts as a change of the record: ``touch`` bumps the parent's version, so an
editor holding the parent's old version is told. Appending a dated progress note to an action is
not an edit of anyone's text and bumps nothing (two people may both add notes).

Pitfall for readers: read the version *before* the data it stands for (``current``). On
PostgreSQL each statement of a read transaction sees the latest commits, so reading the version
last could pair old data with a new version and let a later save overwrite a change unseen;
reading it first can at worst cause a needless conflict.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .errors import ConflictError, NotFoundError
from .models.base import Base, utcnow


@contextmanager
def guard(what: str, *, deleting: bool = False) -> Iterator[None]:
    """Wrap a service's transaction (outside it, so the commit's flush is inside): a
    ``StaleDataError`` (the row's version moved between our read and our write) becomes
    ``ConflictError(what)``."""
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError(what, deleting=deleting) from exc


def check(row: Base, expected_version: int | None, what: str, *, deleting: bool = False) -> None:
    """Refuse with ``ConflictError`` when ``expected_version`` is given and the row, as read in
    this transaction, has another version."""
    if expected_version is not None and row.row_version != int(expected_version):
        raise ConflictError(what, deleting=deleting)


def touch(session: Session, row: Base) -> int:
    """Count a change to ``row``'s children as a change of ``row``: one UPDATE of its
    ``updated_at`` (flushed now), which adds one to its version. Returns the new version."""
    row.updated_at = utcnow()
    session.flush()
    return int(row.row_version)


def saved_version(session: Session, row: Base) -> int:
    """The row's version after this transaction's changes (flushed now)."""
    session.flush()
    return int(row.row_version)


def current(session: Session, model: type[Base], row_id: uuid.UUID, missing: str) -> int:
    """The stored version of one row, read first (see the module's pitfall); ``NotFoundError``
    with ``missing`` when there is no such row."""
    version: Any = session.scalar(select(model.row_version).where(model.id == row_id))
    if version is None:
        raise NotFoundError(missing)
    return int(version)
