"""Which versions of the app may write a database: the oldest app version that still can.

``WRITABLE_BY`` maps every Alembic revision to the oldest version of the app that can still
write a database at that revision. A revision that older copies can live with (an added table,
an added column that may be left empty) keeps the entry before it, so a shared server can be
upgraded laptop by laptop; one they cannot (a column renamed, dropped or made compulsory, a rule
the old code would break) names the version that brought it. A new revision adds its line here
in the same commit (``tests/core/test_compat.py`` fails until it does).

The database records ``WRITABLE_BY`` of its revision when it is migrated, inside the same
transaction, with no schema change (docs/engineering-notes.md#migrations): in a SQLite file the
header's ``user_version`` (``encode``: the revision's number and the version), on PostgreSQL a
comment on the ``alembic_version`` table. A record names its revision, so a database whose
revision changed without a new record (migrated by hand, or by a test) has none. A copy of the
app opening a database whose revision it does not know (a newer version migrated it) reads that
record: when it is at or below this copy's version, the database is opened and written as usual
(not migrated: this copy cannot); otherwise, or with no record (a version before this one
migrated it), it is refused, untouched, with a sentence naming the version needed and where to
get it (the update source IT sets, ``core/policy.py``).
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path
from typing import Any

from .. import __version__

#: revision -> the oldest app version that can write a database at that revision.
WRITABLE_BY: dict[str, str] = {
    "0001": "0.1.0",
    "0002": "0.1.0",  # covering indexes only: any copy can write it
    "0003": "0.1.0",  # the drafts table, added: a copy without it never touches it
    # Also-known-as names, backup retention, erasure records. A copy without them could still
    # write (the columns have defaults) but would anonymise without scrubbing the names kept
    # there or recording the erasure: the version that brought them. (0.1.0 is this
    # unreleased version; the release carrying 0004 names itself here.)
    "0004": "0.1.0",
    # The access tables and the login columns, added (empty on SQLite): a copy without them
    # writes as before; on a server the policies apply to it all the same.
    "0005": "0.1.0",
    # A forum's usual day, times and standing items, added (nullable or with a default): a copy
    # without them writes as before.
    "0006": "0.1.0",
    # The lists' indexes (indexes only): any copy can write it.
    "0007": "0.1.0",
    # Papers to members (issue #29): a forum's online link, a participant's postal address,
    # the meeting's link, and the forum members, papers sent and staff tables, all added with
    # defaults: a copy without them writes as before.
    "0008": "0.1.0",
    # Payments for activities other than meetings (a payment with no meeting), claims, rates
    # and benefits (issue #28, 0009): a copy without them would miscount such payments and, when
    # anonymising, leave a person's benefits answers: the version that brought them.
    "0009": "0.1.0",
    # Equality monitoring (issue #27, 0010): new tables only. A copy without them writes as before
    # but would anonymise a person without detaching their answers (past reach figures would
    # then change): the version that brought them.
    "0010": "0.1.0",
    # Home's waiting claims read from an index (issue #23, 0011): an index only; a copy without
    # it writes as before.
    "0011": "0.1.0",
    # The engagement group's kept returns, targets and highlights (issue #30, 0012): new tables
    # only, which a copy without them never touches: any copy can write it.
    "0012": "0.1.0",
    # Receipts for a payment's expenses (issue #28, 0013): a new table only. A copy without it
    # writes as before but would anonymise a person and leave their receipts: the version that
    # brought it.
    "0013": "0.1.0",
    # Invitation updates (issue #29, 0014): two new kinds of sending, who each went to, and an
    # action's owner on the staff list by id. A copy without them could not read the new kinds
    # (its list of sendings would fail) and would lose an owner's id on a rename: the version
    # that brought them.
    "0014": "0.1.0",
}
COMMENT_PREFIX = "involvement-coordinator"


def _tag(revision: str) -> int:
    """A number for ``revision`` (0 to 2146): its own for this project's ``0001`` style, a hash
    otherwise (a record only has to tell its own revision from the one now in the database)."""
    if revision.isdigit() and int(revision) < 1000:
        return int(revision)
    return 1000 + zlib.crc32(revision.encode("utf-8")) % 1147


def encode(revision: str, version: str) -> int:
    """The record for ``revision`` written by ``version`` as SQLite's 32-bit ``user_version``:
    ``tag * 1_000_000 + major * 10_000 + minor * 100 + patch``."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:3]]
    major, minor, patch = [*parts, 0, 0, 0][:3]
    if not parts or major > 99 or minor > 99 or patch > 99:
        raise ValueError(f"{version!r} cannot be recorded in a database")
    return _tag(revision) * 1_000_000 + major * 10_000 + minor * 100 + patch


def decode(number: int, revision: str) -> str | None:
    """The version recorded for ``revision``; None when nothing is recorded, or the record is
    about another revision (then it says nothing about this one)."""
    if number <= 0 or number // 1_000_000 != _tag(revision):
        return None
    rest = number % 1_000_000
    return f"{rest // 10_000}.{rest // 100 % 100}.{rest % 100}"


def key(version: str) -> tuple[int, ...]:
    numbers = [int(p) for p in re.findall(r"\d+", version)[:3]]
    return tuple([*numbers, 0, 0, 0][:3])


def may_write(needed: str | None, current: str = __version__) -> bool:
    """Whether this app (``current``) may write a database whose oldest writer is ``needed``."""
    return needed is not None and key(current) >= key(needed)


def record(conn: Any, revision: str) -> None:
    """Record in the database (inside the caller's transaction) the oldest app version that can
    write ``revision``."""
    write_record(conn, revision, WRITABLE_BY[revision])


def write_record(conn: Any, revision: str, version: str) -> None:
    """Record ``version`` as the oldest app version that may write the database at
    ``revision``."""
    number = encode(revision, version)  # refuses what cannot be recorded
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {number}")
    elif conn.dialect.name == "postgresql":
        if not re.fullmatch(r"[\w.-]+", revision):
            raise ValueError(f"{revision!r} cannot be recorded")
        canonical = decode(number, revision)
        conn.exec_driver_sql(
            f"COMMENT ON TABLE alembic_version IS "
            f"'{COMMENT_PREFIX} revision={revision} min_app_version={canonical}'"
        )


def recorded(conn: Any, revision: str) -> str | None:
    """The oldest app version the database says can write it at ``revision``, or None when it
    says nothing about that revision."""
    if conn.dialect.name == "sqlite":
        return decode(int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0), revision)
    if conn.dialect.name == "postgresql":
        comment = conn.exec_driver_sql(
            "SELECT obj_description(to_regclass('alembic_version'), 'pg_class')"
        ).scalar()
        found = re.fullmatch(
            rf"{COMMENT_PREFIX} revision=(\S+) min_app_version=(\d+\.\d+\.\d+)", str(comment or "")
        )
        if found and found[1] == revision:
            return found[2]
    return None


def recorded_in_file(path: Path, revision: str) -> str | None:
    """``recorded`` of a SQLite file, read-only (before anything else touches it)."""
    from .storage import connect_read_only

    try:
        with closing(connect_read_only(path)) as conn:
            return decode(int(conn.execute("PRAGMA user_version").fetchone()[0] or 0), revision)
    except sqlite3.Error:
        return None


def update_source() -> str:
    """Where IT keeps new versions (``core/policy.py``), or ""."""
    try:
        from .policy import load

        return load().update_source
    except Exception:  # a broken policy file is told elsewhere; here only the hint is lost
        return ""


def refusal(described: str, revision: str, needed: str | None) -> str:
    """The sentence refusing a database this copy may not write (``described``: "The database
    X" or "The database on the server")."""
    source = update_source()
    if needed is not None:
        where = f"get it from {source}" if source else "ask your IT team for it"
        return (
            f"{described} needs Involvement Coordinator {needed} or newer to open it (this is "
            f"{__version__}); {where}."
        )
    where = f" from {source}" if source else ""
    return (
        f"{described} was written by a newer version of Involvement Coordinator (schema "
        f"{revision}); install the latest version{where} to open it."
    )
