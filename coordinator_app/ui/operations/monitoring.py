"""The writes of equality monitoring (issue #27): one ``Op`` each. The answers are special-
category data: they travel from the form to ``core.monitoring`` and nowhere else (no draft, no
log line holds them)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtWidgets import QWidget

from ...core import monitoring
from ..context import AppContext
from . import Op


def record_answers(
    parent: QWidget | None,
    ctx: AppContext,
    participant_id: uuid.UUID,
    *,
    consent_date: date | None,
    consent_how: str,
    answers: Mapping[str, str],
) -> Op[None]:
    values = dict(answers)
    return Op(
        parent,
        lambda: monitoring.record_answers(
            ctx.db,
            participant_id,
            consent_date=consent_date,
            consent_how=consent_how,
            answers=values,
            today=ctx.today(),
        ),
        title="Equality monitoring not saved",
    )


def remove_answers(parent: QWidget | None, ctx: AppContext, participant_id: uuid.UUID) -> Op[bool]:
    return Op(
        parent,
        lambda: monitoring.remove_answers(ctx.db, participant_id),
        title="Equality monitoring",
    )


def save_population_shares(
    parent: QWidget | None,
    ctx: AppContext,
    locality_id: uuid.UUID,
    shares: Mapping[uuid.UUID, float | None],
) -> Op[None]:
    values = dict(shares)
    return Op(
        parent,
        lambda: monitoring.save_population_shares(ctx.db, locality_id, values),
        title="Population shares not saved",
    )


def save_characteristics(
    parent: QWidget | None,
    ctx: AppContext,
    lists: Sequence[tuple[str, Sequence[str]]],
    seldom_heard: Sequence[tuple[str, str]] = (),
) -> Op[None]:
    values = [(name, list(groups)) for name, groups in lists]
    aimed = list(seldom_heard)
    return Op(
        parent,
        lambda: monitoring.save_characteristics(ctx.db, values, aimed),
        title="Monitoring lists not saved",
    )
