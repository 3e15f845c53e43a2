"""Papers to members (issue #29): a forum's members chosen by hand, each sending of papers,
and the staff list. ``core.members``, ``core.papers`` and ``core.staff`` read and write these
tables through Core; the classes map them so every table has its class."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Mapped

from .. import schema
from ..vocab import PapersKind
from .base import Base


class ForumMember(Base):
    """Someone put on a forum's list (``member`` True) or taken off it (False)."""

    __table__ = schema.forum_members

    forum_id: Mapped[uuid.UUID]
    participant_id: Mapped[uuid.UUID]
    member: Mapped[bool]


class PapersSent(Base):
    """One sending of a meeting's papers: the counts; who is in ``PapersRecipient``."""

    __table__ = schema.papers_sent

    meeting_id: Mapped[uuid.UUID]
    kind: Mapped[PapersKind]
    sent_at: Mapped[datetime]
    emails: Mapped[int]
    letters: Mapped[int]
    not_sent: Mapped[int]
    sent_by: Mapped[str]
    invitation: Mapped[str]


class PapersRecipient(Base):
    """A member one sending went to (by e-mail, or by letter)."""

    __table__ = schema.papers_recipients

    sending_id: Mapped[uuid.UUID]
    participant_id: Mapped[uuid.UUID]
    by_email: Mapped[bool]


class StaffMember(Base):
    """A member of staff who owns actions, with their work e-mail."""

    __table__ = schema.staff

    name: Mapped[str]
    email: Mapped[str]
    active: Mapped[bool]
