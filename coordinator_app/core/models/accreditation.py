"""Standards frameworks, standards, assessments of a locality and their standard checks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..vocab import AssessmentKind, AssessmentStatus, Rating
from .base import Base, vocab
from .organisation import Locality


class StandardsFramework(Base):
    """A versioned set of standards; a new version sits beside the old one."""

    __tablename__ = "standards_frameworks"
    __table_args__ = (UniqueConstraint("name", "version"),)

    name: Mapped[str]
    version: Mapped[str] = mapped_column(default="1")
    issued_on: Mapped[date | None]
    #: The framework's own accreditation thresholds in percent; NULL means the default rule.
    c1_met_pct: Mapped[float | None]
    c2_met_pct: Mapped[float | None]
    c3_met_pct: Mapped[float | None]

    standards: Mapped[list[Standard]] = relationship(
        back_populates="framework", order_by="Standard.position", cascade="all, delete-orphan"
    )


class Standard(Base):
    __tablename__ = "standards"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("criticality IN (1, 2, 3)", name="criticality_1_to_3"),
    )

    framework_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("standards_frameworks.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column()
    domain: Mapped[str]
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    evidence_guidance: Mapped[str] = mapped_column(Text, default="")
    criticality: Mapped[int]

    framework: Mapped[StandardsFramework] = relationship(back_populates="standards")


class Assessment(Base):
    """One check of a locality against a framework: drafts never count towards a result."""

    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_locality_status_date", "locality_id", "status", "assessed_on"),
    )

    locality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("localities.id"))
    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("standards_frameworks.id"))
    kind: Mapped[AssessmentKind] = mapped_column(vocab(AssessmentKind, "assessment_kind"))
    assessed_on: Mapped[date]
    assessors: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AssessmentStatus] = mapped_column(
        vocab(AssessmentStatus, "assessment_status"), default=AssessmentStatus.DRAFT
    )
    submitted_at: Mapped[datetime | None]

    locality: Mapped[Locality] = relationship()
    framework: Mapped[StandardsFramework] = relationship()
    checks: Mapped[list[StandardCheck]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class StandardCheck(Base):
    __tablename__ = "standard_checks"
    __table_args__ = (UniqueConstraint("assessment_id", "standard_id"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE")
    )
    standard_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("standards.id"), index=True)
    rating: Mapped[Rating] = mapped_column(
        vocab(Rating, "check_rating"), default=Rating.NOT_YET_RATED
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="checks")
    standard: Mapped[Standard] = relationship()
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="check", cascade="all, delete-orphan"
    )


class EvidenceFile(Base):
    """A file attached as evidence, kept inside the database so a backup holds it."""

    __tablename__ = "evidence_files"

    standard_check_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("standard_checks.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str]
    size_bytes: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)

    check: Mapped[StandardCheck] = relationship(back_populates="files")
