"""The writes of participants and their privacy: one ``Op`` each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core import anonymise, people, subject_access
from ..context import AppContext
from . import Op


def _changed(ctx: AppContext, participant_id: uuid.UUID | None) -> None:
    ctx.events.participantsChanged.emit(str(participant_id) if participant_id else "")


def _anonymised(
    ctx: AppContext, done: anonymise.Anonymised, participant_id: uuid.UUID | None
) -> None:
    """The open forms clean their typing of the people anonymised first (their names are in
    no record now: only this redactor knows them), then the pages refresh."""
    if done.count:
        ctx.events.peopleAnonymised.emit(done.scrub)
    _changed(ctx, participant_id)


def create_participant(
    parent: QWidget | None, ctx: AppContext, data: people.ParticipantInput
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: people.create_participant(ctx.db, data),
        changed=lambda saved: _changed(ctx, saved),
    )


def update_participant(
    parent: QWidget | None,
    ctx: AppContext,
    participant_id: uuid.UUID,
    data: people.ParticipantInput,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: people.update_participant(
            ctx.db, participant_id, data, expected_version=expected_version
        ),
        changed=lambda _version: _changed(ctx, participant_id),
    )


def delete_participant(
    parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: people.delete_participant(ctx.db, participant_id),
        title="Cannot delete",
        changed=lambda _none: _changed(ctx, participant_id),
    )


def anonymise_participant(
    parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID
) -> Op[anonymise.Anonymised]:
    return Op(
        parent,
        lambda: anonymise.anonymise_participant(ctx.db, participant_id),
        title="Anonymise",
        changed=lambda done: _anonymised(ctx, done, participant_id),
    )


def anonymise_participants(
    parent: QWidget | None, ctx: AppContext, participant_ids: Sequence[uuid.UUID]
) -> Op[anonymise.Anonymised]:
    ids = list(participant_ids)
    return Op(
        parent,
        lambda: anonymise.anonymise_participants(ctx.db, ids),
        title="Anonymise",
        changed=lambda done: _anonymised(ctx, done, None),
    )


def export_subject_access(
    parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID, target: Path
) -> Op[subject_access.SubjectAccessExport]:
    """The subject access workbook written and its audit entry recorded (a write: the log)."""
    return Op(
        parent,
        lambda: subject_access.export_subject_access(ctx.db, participant_id, target),
        title="Subject access export",
    )


def withdraw_consent(
    parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID
) -> Op[None]:
    return Op(
        parent,
        lambda: anonymise.withdraw_consent_to_contact(ctx.db, participant_id),
        title="Withdraw consent",
        changed=lambda _none: _changed(ctx, participant_id),
    )
