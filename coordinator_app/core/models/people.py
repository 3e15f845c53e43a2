"""Participants: the people who take part, with their consents."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Mapped

from .. import schema
from ..vocab import AccessibleFormat, Category
from .base import Base


class Participant(Base):
    __table__ = schema.participants

    name: Mapped[str]
    category: Mapped[Category]
    locality_id: Mapped[uuid.UUID | None]
    organisation: Mapped[str]
    #: Contact details are kept only while ``consent_to_contact`` is true.
    email: Mapped[str]
    phone: Mapped[str]
    consent_to_contact: Mapped[bool]
    #: A service user or carer appears by name in minutes only with this consent.
    name_in_minutes: Mapped[bool]
    consent_date: Mapped[date | None]
    accessible_format: Mapped[AccessibleFormat]
    notes: Mapped[str]
    active: Mapped[bool]
    #: Set when the person's name and contacts were replaced (retention); counts stay.
    anonymised_at: Mapped[datetime | None]
    #: Other names the person goes by ("Bobby", a maiden name): hidden like the name.
    also_known_as: Mapped[str]
    postal_address: Mapped[str]
    #: Payments and benefits (0009): the day benefits advice was offered, and whether they
    #: asked for vouchers instead of money or to be paid nothing.
    benefits_advice_on: Mapped[date | None]
    wants_vouchers: Mapped[bool]
    wants_no_payment: Mapped[bool]


class Erasure(Base):
    """A person anonymised: their id and when, nothing else (no personal data). Restoring an
    older backup anonymises them again (``core.backup``)."""

    __table__ = schema.erasures

    participant_id: Mapped[uuid.UUID]
    erased_at: Mapped[datetime]
