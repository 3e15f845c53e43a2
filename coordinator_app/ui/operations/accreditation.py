"""The writes of accreditation: ratings, evidence, submitting, frameworks. One ``Op`` each.

The Accreditation page tells the other pages itself (``AssessmentPanel.changed``), once per
assessment rather than per key 1-4, so these carry no ``changed`` of their own; a new
assessment and a loaded framework do."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QWidget

from ...core import accreditation, standards
from ...core.accreditation import AssessmentSummary
from ...core.standards import FrameworkInfo
from ...core.vocab import AssessmentKind, Rating
from ..context import AppContext
from . import Op


def set_rating(
    parent: QWidget | None,
    ctx: AppContext,
    check_id: uuid.UUID,
    rating: Rating,
    *,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: accreditation.set_check(
            ctx.db, check_id, rating=rating, expected_version=expected_version
        ),
        title="Rating not saved",
    )


def set_texts(
    parent: QWidget | None,
    ctx: AppContext,
    check_id: uuid.UUID,
    *,
    evidence: str,
    notes: str,
    expected_version: int | None,
) -> Op[int]:
    return Op(
        parent,
        lambda: accreditation.set_check(
            ctx.db, check_id, evidence=evidence, notes=notes, expected_version=expected_version
        ),
        title="Evidence not saved",
    )


def add_evidence_file(
    parent: QWidget | None, ctx: AppContext, check_id: uuid.UUID, path: str | os.PathLike[str]
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: accreditation.add_evidence_file(ctx.db, check_id, path),
        title="File not attached",
    )


def submit(
    parent: QWidget | None, ctx: AppContext, assessment_id: uuid.UUID
) -> Op[AssessmentSummary]:
    return Op(
        parent,
        lambda: accreditation.submit_assessment(ctx.db, assessment_id),
        title="Not submitted",
    )


def reopen(parent: QWidget | None, ctx: AppContext, assessment_id: uuid.UUID) -> Op[None]:
    return Op(
        parent,
        lambda: accreditation.reopen_assessment(ctx.db, assessment_id),
        title="Not reopened",
    )


def start_assessment(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    locality_id: uuid.UUID,
    framework_id: uuid.UUID,
    kind: AssessmentKind,
    assessed_on: date,
    assessors: str | Sequence[str],
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: accreditation.start_assessment(
            ctx.db,
            locality_id=locality_id,
            framework_id=framework_id,
            kind=kind,
            assessed_on=assessed_on,
            assessors=assessors,
        ),
        changed=lambda saved: ctx.events.accreditationChanged.emit(str(saved)),
    )


def import_framework(
    parent: QWidget | None, ctx: AppContext, path: str | os.PathLike[str]
) -> Op[FrameworkInfo]:
    return Op(
        parent,
        lambda: standards.import_framework(ctx.db, path),
        title="Framework not loaded",
    )
