"""Standards frameworks, standards, assessments of a locality and their standard checks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Mapped, relationship

from .. import schema
from ..vocab import AssessmentKind, AssessmentStatus, Rating
from .base import Base
from .organisation import Locality


class StandardsFramework(Base):
    """A versioned set of standards; a new version sits beside the old one."""

    __table__ = schema.standards_frameworks

    name: Mapped[str]
    version: Mapped[str]
    issued_on: Mapped[date | None]
    #: The framework's own accreditation thresholds in percent; NULL means the default rule.
    c1_met_pct: Mapped[float | None]
    c2_met_pct: Mapped[float | None]
    c3_met_pct: Mapped[float | None]

    standards: Mapped[list[Standard]] = relationship(
        back_populates="framework", order_by="Standard.position", cascade="all, delete-orphan"
    )


class Standard(Base):
    __table__ = schema.standards

    framework_id: Mapped[uuid.UUID]
    position: Mapped[int]
    code: Mapped[str]
    domain: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    evidence_guidance: Mapped[str]
    criticality: Mapped[int]

    framework: Mapped[StandardsFramework] = relationship(back_populates="standards")


class Assessment(Base):
    """One check of a locality against a framework: drafts never count towards a result."""

    __table__ = schema.assessments

    locality_id: Mapped[uuid.UUID]
    framework_id: Mapped[uuid.UUID]
    kind: Mapped[AssessmentKind]
    assessed_on: Mapped[date]
    assessors: Mapped[str]
    status: Mapped[AssessmentStatus]
    submitted_at: Mapped[datetime | None]

    locality: Mapped[Locality] = relationship()
    framework: Mapped[StandardsFramework] = relationship()
    checks: Mapped[list[StandardCheck]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class StandardCheck(Base):
    __table__ = schema.standard_checks

    assessment_id: Mapped[uuid.UUID]
    standard_id: Mapped[uuid.UUID]
    rating: Mapped[Rating]
    evidence: Mapped[str]
    notes: Mapped[str]

    assessment: Mapped[Assessment] = relationship(back_populates="checks")
    standard: Mapped[Standard] = relationship()
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="check", cascade="all, delete-orphan"
    )


class EvidenceFile(Base):
    """A file attached as evidence, kept inside the database so a backup holds it."""

    __table__ = schema.evidence_files

    standard_check_id: Mapped[uuid.UUID]
    filename: Mapped[str]
    size_bytes: Mapped[int]
    content: Mapped[bytes]

    check: Mapped[StandardCheck] = relationship(back_populates="files")
