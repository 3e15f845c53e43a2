"""Who may see what on a trust server (``core/access.py``, which reads and writes these through
Core; the classes exist so that every table is mapped)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped

from .. import schema
from ..vocab import AccessRole
from .base import Base


class AccessLogin(Base):
    __table__ = schema.access_logins

    login: Mapped[str]
    role: Mapped[AccessRole]
    must_change_password: Mapped[bool]


class AccessLocality(Base):
    __table__ = schema.access_localities

    login_id: Mapped[uuid.UUID]
    locality_id: Mapped[uuid.UUID]
