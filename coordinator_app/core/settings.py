"""The trust's settings (kept in the database, since they are about the data) and first run.

The reads start-up needs (``get_settings``, ``needs_first_run``, ``is_group_database``) are
Core queries, so the window opens before the ORM is loaded; the functions that write import the
ORM classes when called.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import func, select

from . import audit, fields, monitoring, schema
from .db import Database
from .errors import ValidationError
from .references import suggest_locality_code
from .vocab import MAX_PENCE, MAX_POUNDS_TEXT, AuditOperation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import TrustSettings

DEFAULT_PRIORITIES = (
    "Our care",
    "Our colleagues",
    "Our leadership",
    "Our organisation",
    "Our partnerships",
)


class Settings(NamedTuple):
    trust_name: str
    coordinator_name: str
    default_payment_pence: int
    set_up: bool
    backups_folder: str
    #: Backups older than this many months are deleted (``core.backup.prune_expired``).
    backup_retention_months: int = 12


def settings_row(session: Session) -> TrustSettings:
    """The single settings row, made on first use."""
    from .models import TrustSettings

    row = session.scalar(select(TrustSettings).limit(1))
    if row is None:
        row = TrustSettings()
        session.add(row)
        session.flush()
    return row


def get_settings(db: Database) -> Settings:
    settings = schema.trust_settings.c
    with db.reading() as conn:
        row = conn.execute(
            select(
                settings.trust_name,
                settings.coordinator_name,
                settings.default_payment_pence,
                settings.set_up,
                settings.backups_folder,
                settings.backup_retention_months,
            ).limit(1)
        ).first()
    if row is None:
        return Settings("", "", 0, False, "")
    return Settings(row[0], row[1], row[2], bool(row[3]), row[4], int(row[5] or 12))


def needs_first_run(db: Database) -> bool:
    """True until the welcome is completed or the database already holds localities, or the
    engagement group's picture: a database ``consolidate --keep`` started holds kept returns
    (and perhaps targets) and no localities, and is the group's, not a new coordinator's."""
    with db.reading() as conn:
        if conn.scalar(select(schema.trust_settings.c.set_up).limit(1)):
            return False
        return all(
            conn.scalar(select(table.c.id).limit(1)) is None
            for table in (schema.localities, schema.kept_returns, schema.board_targets)
        )


def is_group_database(db: Database) -> bool:
    """True for the engagement group's database: it holds kept returns or the group's targets
    (``consolidate --keep``, the Trust view) and no locality, so it opens on the Trust view
    (docs/monthly-return.md#the-trust-view); a locality's database opens on Home."""
    with db.reading() as conn:
        if conn.scalar(select(schema.localities.c.id).limit(1)) is not None:
            return False
        return any(
            conn.scalar(select(table.c.id).limit(1)) is not None
            for table in (schema.kept_returns, schema.board_targets)
        )


def ensure_locality(session: Session, name: str, *, coordinated: bool = False) -> uuid.UUID:
    """The id of the locality called ``name`` (any case), created with a fresh code if missing."""
    from .models import Locality

    clean = " ".join(name.split())
    for locality in session.scalars(select(Locality)):
        if locality.name.lower() == clean.lower():
            if coordinated and not locality.coordinated:
                locality.coordinated = True
            return locality.id
    taken = set(session.scalars(select(Locality.code)))
    locality = Locality(
        name=clean, code=suggest_locality_code(clean, taken), coordinated=coordinated
    )
    session.add(locality)
    session.flush()
    audit.record(session, AuditOperation.CREATE, "locality", locality.id, f"Locality {clean}")
    return locality.id


def _ensure_forum(session: Session, locality_id: uuid.UUID, name: str) -> uuid.UUID:
    """The locality's forum called ``name`` (any case), made as a locality forum if missing."""
    from .models import Forum
    from .vocab import ForumKind

    found = session.scalar(
        select(Forum.id).where(
            Forum.locality_id == locality_id, func.lower(Forum.name) == name.lower()
        )
    )
    if found is not None:
        return found
    forum = Forum(locality_id=locality_id, name=name, kind=ForumKind.LOCALITY_FORUM)
    session.add(forum)
    session.flush()
    audit.record(session, AuditOperation.CREATE, "forum", forum.id, f"Forum {name}")
    return forum.id


def ensure_default_priorities(session: Session) -> None:
    from .models import StrategicPriority

    if session.scalar(select(StrategicPriority.id).limit(1)) is None:
        for position, name in enumerate(DEFAULT_PRIORITIES):
            session.add(StrategicPriority(name=name, position=position))


def complete_first_run(
    db: Database,
    *,
    trust_name: str,
    coordinator_name: str,
    localities: list[str],
    forums: Sequence[tuple[str, str]] = (),
) -> None:
    """Save the welcome's answers in one transaction: the trust, the coordinator, their
    localities and their forums (``(locality name, forum name)``, each a locality forum), so the
    first new meeting has a forum to belong to. Everything can be changed later
    (``core.organisation``)."""
    problems: dict[str, str] = {}
    trust = fields.TRUST_NAME.clean(trust_name, problems, required="Please give the trust's name.")
    coordinator = fields.COORDINATOR_NAME.clean(
        coordinator_name, problems, required="Please give your name."
    )
    names = [fields.LOCALITY_NAME.tidy(n) for n in localities if n.strip()]
    if not names:
        problems["localities"] = "Please name at least one locality you coordinate."
    for name in names:
        if sentence := fields.LOCALITY_NAME.problem(name):
            problems["localities"] = sentence
    wanted: list[tuple[str, str]] = []
    known = {n.lower() for n in names}
    for locality_name, forum_name in forums:
        forum = fields.FORUM_NAME.tidy(forum_name)
        place = fields.LOCALITY_NAME.tidy(locality_name)
        if not forum:
            continue
        if sentence := fields.FORUM_NAME.problem(forum):
            problems["forums"] = sentence
        elif place.lower() not in known:
            problems["forums"] = (
                f"'{forum}' is for {place or 'no locality'}, which is not one of your localities."
            )
        elif (place.lower(), forum.lower()) not in {(p.lower(), f.lower()) for p, f in wanted}:
            wanted.append((place, forum))
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        monitoring.ensure_defaults(session)  # the trust's equality monitoring lists (#27)
        row = settings_row(session)
        row.trust_name = trust
        row.coordinator_name = coordinator
        row.set_up = True
        ids = {name.lower(): ensure_locality(session, name, coordinated=True) for name in names}
        for place, forum in wanted:
            _ensure_forum(session, ids[place.lower()], forum)
        ensure_default_priorities(session)
        audit.record(session, AuditOperation.UPDATE, "settings", row.id, "First-run welcome")


def save_settings(
    db: Database,
    *,
    trust_name: str | None = None,
    coordinator_name: str | None = None,
    default_payment_pence: int | None = None,
    backups_folder: str | None = None,
    backup_retention_months: int | None = None,
) -> Settings:
    if default_payment_pence is not None and default_payment_pence < 0:
        raise ValidationError({"default_payment_pence": "The payment rate cannot be negative."})
    if default_payment_pence is not None and default_payment_pence > MAX_PENCE:
        raise ValidationError(
            {"default_payment_pence": f"The payment rate can be at most {MAX_POUNDS_TEXT}."}
        )
    problems: dict[str, str] = {}
    if backup_retention_months is not None and not (
        isinstance(backup_retention_months, int) and 1 <= backup_retention_months <= 120
    ):
        problems["backup_retention_months"] = "Keep backups for 1 to 120 months."
    # Given, they may not be emptied (the minutes and returns print them).
    trust = fields.TRUST_NAME.clean(
        trust_name,
        problems,
        required="Please give the trust's name." if trust_name is not None else "",
    )
    coordinator = fields.COORDINATOR_NAME.clean(
        coordinator_name,
        problems,
        required="Please give your name." if coordinator_name is not None else "",
    )
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        row = settings_row(session)
        if trust_name is not None:
            row.trust_name = trust
        if coordinator_name is not None:
            row.coordinator_name = coordinator
        if default_payment_pence is not None:
            row.default_payment_pence = default_payment_pence
        if backups_folder is not None:
            row.backups_folder = backups_folder
        if backup_retention_months is not None:
            row.backup_retention_months = backup_retention_months
        audit.record(session, AuditOperation.UPDATE, "settings", row.id, "Settings changed")
    return get_settings(db)


#: A PNG file starts with these eight bytes.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The logo is printed at the head of every paper; a bigger file is a photograph by mistake.
MAX_LOGO_BYTES = 1_000_000


def set_logo(db: Database, png: bytes | None) -> None:
    """The trust's logo for the head of every printout (a PNG, at most ``MAX_LOGO_BYTES``), or
    none with ``None``. Anything else is refused under ``logo`` and nothing changes."""
    if png is not None:
        if not png.startswith(PNG_SIGNATURE):
            raise ValidationError({"logo": "The logo must be a picture in PNG format."})
        if len(png) > MAX_LOGO_BYTES:
            most = f"{MAX_LOGO_BYTES // 1000} KB"
            raise ValidationError(
                {"logo": f"The logo can be at most {most}: choose a smaller one."}
            )
    with db.transaction() as session:
        row = settings_row(session)
        row.logo_png = png
        summary = "Logo removed" if png is None else f"Logo set ({len(png) // 1000 or 1} KB)"
        audit.record(session, AuditOperation.UPDATE, "settings", row.id, summary)


def get_logo(db: Database) -> bytes | None:
    """The trust's logo as stored (PNG bytes), or None."""
    with db.reading() as conn:
        logo = conn.scalar(select(schema.trust_settings.c.logo_png).limit(1))
    return bytes(logo) if logo else None
