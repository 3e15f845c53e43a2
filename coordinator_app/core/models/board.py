"""The engagement group's picture kept between months (issue #30): kept returns, its targets and
its "You said, we did" highlights. ``core.kept_returns`` reads and writes these tables through
Core; the classes map them so every table has its class."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from .. import schema
from .base import Base


class KeptReturnRow(Base):
    """A locality's return for a month as consolidation checked it (JSON, no personal data)."""

    __table__ = schema.kept_returns

    locality: Mapped[str]
    locality_key: Mapped[str]
    month: Mapped[str]
    content: Mapped[str]
    source_file: Mapped[str]
    generated_at: Mapped[datetime | None]
    format_version: Mapped[int]
    kept_at: Mapped[datetime]


class BoardTarget(Base):
    """A target the group set for one measure, per locality or for the trust."""

    __table__ = schema.board_targets

    measure: Mapped[str]
    per: Mapped[str]
    value: Mapped[float]
    higher_is_better: Mapped[bool]
    amber_within: Mapped[float | None]
    position: Mapped[int]


class BoardHighlight(Base):
    """A completed action the group features in the Board report's "You said, we did"."""

    __table__ = schema.board_highlights

    locality: Mapped[str]
    locality_key: Mapped[str]
    reference: Mapped[str]
