"""Forums: listed by locality, created (name unique within the locality, ignoring case), and
their usual day, times and standing agenda items read and stored (``core.forum_usual``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from .. import audit, fields, forum_usual
from ..db import Database
from ..errors import ValidationError
from ..models import Forum, Locality
from ..vocab import AuditOperation, ForumKind, MeetingFormat
from .common import _parse
from .rows import ForumRow


def list_forums(
    db: Database,
    locality_id: uuid.UUID | None = None,
    include_inactive: bool = False,
    locality_ids: Sequence[uuid.UUID] | None = None,
) -> list[ForumRow]:
    """Forums by locality then name; ``locality_ids``: only those localities' (a list's scope,
    chosen in SQL so that a trust-wide database's hundreds of forums are not read for one
    locality's list; None for all)."""
    with db.session() as session:
        stmt = (
            select(Forum, Locality.name)
            .join(Locality, Locality.id == Forum.locality_id)
            .order_by(Locality.name, Forum.name)
        )
        if locality_id is not None:
            stmt = stmt.where(Forum.locality_id == locality_id)
        if locality_ids is not None:
            stmt = stmt.where(Forum.locality_id.in_(list(locality_ids)))
        if not include_inactive:  # a retired forum, or one of a retired locality
            stmt = stmt.where(Forum.active.is_(True), Locality.active.is_(True))
        return [
            ForumRow(
                f.id,
                f.name,
                ForumKind(f.kind),
                f.locality_id,
                locality_name,
                f.default_venue,
                MeetingFormat(f.default_format),
                bool(f.active),
                usual_of(f),
            )
            for f, locality_name in session.execute(stmt)
        ]


def usual_of(forum: Forum) -> forum_usual.Usual:
    """The forum's usual day, times and standing items as stored."""
    return forum_usual.Usual(
        forum.usual_week,
        forum.usual_weekday,
        forum.usual_start,
        forum.usual_end,
        forum_usual.items_from_text(forum.standing_items),
    )


def set_usual(forum: Forum, usual: forum_usual.Usual) -> None:
    """Store ``usual`` (cleaned by ``forum_usual.clean``) on the forum."""
    forum.usual_week, forum.usual_weekday = usual.week, usual.weekday
    forum.usual_start, forum.usual_end = usual.start, usual.end
    forum.standing_items = usual.stored_items()


def create_forum(
    db: Database,
    *,
    locality_id: uuid.UUID,
    name: str,
    kind: ForumKind,
    default_venue: str = "",
    default_format: MeetingFormat = MeetingFormat.IN_PERSON,
    usual: forum_usual.Usual | None = None,
) -> uuid.UUID:
    """A new forum; its name must be unique within the locality (ignoring case). ``usual`` is
    its usual day, times and standing items (checked by ``forum_usual.clean``)."""
    problems: dict[str, str] = {}
    clean = fields.FORUM_NAME.clean(name, problems, required="Please give the forum's name.")
    given = usual or forum_usual.Usual()
    usual = forum_usual.clean(
        problems,
        week=given.week,
        weekday=given.weekday,
        start=given.start,
        end=given.end,
        standing_items=given.standing_items,
    )
    venue = fields.FORUM_VENUE.clean(default_venue, problems)
    kind = _parse(ForumKind, kind, problems, "kind", "Choose what kind of forum it is.")
    default_format = _parse(
        MeetingFormat, default_format, problems, "default_format", "Choose a usual format."
    )
    with db.transaction() as session:
        if session.get(Locality, locality_id) is None:
            problems["locality"] = "Choose the locality the forum belongs to."
        elif clean and session.scalar(
            select(Forum.id).where(
                Forum.locality_id == locality_id, func.lower(Forum.name) == clean.lower()
            )
        ):
            problems["name"] = f"This locality already has a forum called '{clean}'."
        if problems:
            raise ValidationError(problems)
        forum = Forum(
            locality_id=locality_id,
            name=clean,
            kind=kind,
            default_venue=venue,
            default_format=default_format,
        )
        set_usual(forum, usual)
        session.add(forum)
        session.flush()
        audit.record(session, AuditOperation.CREATE, "forum", forum.id, f"Forum {clean}")
        return forum.id
