"""The writes of papers to members (issue #29): one ``Op`` each."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core import invitation_updates, members, papers, staff
from ...core.vocab import PapersKind
from ..context import AppContext
from . import Op


def send_papers(
    parent: QWidget | None,
    ctx: AppContext,
    meeting_id: uuid.UUID,
    kind: PapersKind,
    folder: Path,
) -> Op[papers.PapersResult]:
    """Typeset and write the drafts and letters, and record the sending (seconds: off the
    GUI thread)."""
    return Op(
        parent,
        lambda: papers.send_papers(ctx.db, meeting_id, kind, folder, today=ctx.today()),
        title="Papers not sent",
        changed=lambda _result: ctx.events.meetingsChanged.emit(str(meeting_id)),
    )


def send_invitation_update(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, folder: Path
) -> Op[invitation_updates.UpdateResult]:
    """Write the updated invitation's (or the cancellation's) drafts and letters and record the
    sending."""
    return Op(
        parent,
        lambda: invitation_updates.send_update(ctx.db, meeting_id, folder, today=ctx.today()),
        title="Invitation not sent",
        changed=lambda _result: ctx.events.meetingsChanged.emit(str(meeting_id)),
    )


def save_invitation(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, path: Path
) -> Op[Path]:
    """Write the meeting's calendar invitation (a file, not the database)."""
    from ...core.invitation import write_invitation

    return Op(parent, lambda: write_invitation(ctx.db, meeting_id, path), title="Not saved")


def set_meeting_link(
    parent: QWidget | None, ctx: AppContext, meeting_id: uuid.UUID, link: str, print_link: bool
) -> Op[int]:
    return Op(
        parent,
        lambda: members.set_meeting_link(ctx.db, meeting_id, link, print_link=print_link),
        changed=lambda _version: ctx.events.meetingsChanged.emit(str(meeting_id)),
    )


def set_forum_link(
    parent: QWidget | None, ctx: AppContext, forum_id: uuid.UUID, link: str
) -> Op[None]:
    return Op(parent, lambda: members.set_forum_link(ctx.db, forum_id, link))


def add_member(
    parent: QWidget | None, ctx: AppContext, forum_id: uuid.UUID, participant_id: uuid.UUID
) -> Op[None]:
    return Op(parent, lambda: members.add_member(ctx.db, forum_id, participant_id))


def remove_member(
    parent: QWidget | None, ctx: AppContext, forum_id: uuid.UUID, participant_id: uuid.UUID
) -> Op[None]:
    return Op(parent, lambda: members.remove_member(ctx.db, forum_id, participant_id))


def set_postal_address(
    parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID, address: str
) -> Op[None]:
    return Op(
        parent,
        lambda: members.set_postal_address(ctx.db, participant_id, address),
        changed=lambda _none: ctx.events.participantsChanged.emit(str(participant_id)),
    )


def save_staff(
    parent: QWidget | None,
    ctx: AppContext,
    name: str,
    email: str,
    staff_id: uuid.UUID | None = None,
    active: bool = True,
) -> Op[uuid.UUID]:
    return Op(
        parent, lambda: staff.save_staff(ctx.db, name, email, staff_id=staff_id, active=active)
    )
