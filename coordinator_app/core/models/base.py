"""Declarative base over the Core tables of ``core.schema``: UUID keys, UTC timestamps and a row
version on every class."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr

from ..schema import NAMING_CONVENTION, UTCDateTime, metadata, utcnow, vocab

__all__ = ["NAMING_CONVENTION", "Base", "UTCDateTime", "utcnow", "vocab"]


class Base(DeclarativeBase):
    """Each class maps ``__table__ = schema.<table>``; the schema is defined there, once."""

    metadata = metadata

    id: Mapped[uuid.UUID]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: Row version for optimistic concurrency: an UPDATE that finds another version fails.
    row_version: Mapped[int]

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.row_version}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"
