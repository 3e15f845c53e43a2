"""Participants: the people who take part, with their consents."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..vocab import AccessibleFormat, Category
from .base import Base, vocab


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_name", "name"),)

    name: Mapped[str]
    category: Mapped[Category] = mapped_column(vocab(Category, "participant_category"))
    locality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("localities.id"))
    organisation: Mapped[str] = mapped_column(default="")
    #: Contact details are kept only while ``consent_to_contact`` is true.
    email: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    consent_to_contact: Mapped[bool] = mapped_column(default=False)
    #: A service user or carer appears by name in minutes only with this consent.
    name_in_minutes: Mapped[bool] = mapped_column(default=False)
    consent_date: Mapped[date | None]
    accessible_format: Mapped[AccessibleFormat] = mapped_column(
        vocab(AccessibleFormat, "participant_format"), default=AccessibleFormat.STANDARD
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    #: Set when the person's name and contacts were replaced (retention); counts stay.
    anonymised_at: Mapped[datetime | None]
