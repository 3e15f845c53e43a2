"""Equality monitoring (issue #27): the trust's lists, population shares and the answers kept
apart from the participant. ``core/monitoring.py`` reads and writes them with Core statements;
these classes exist so the ORM maps every table (``db.prepare_orm``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Mapped

from .. import schema
from .base import Base


class MonitoringCharacteristic(Base):
    __table__ = schema.monitoring_characteristics

    name: Mapped[str]
    position: Mapped[int]


class MonitoringGroup(Base):
    __table__ = schema.monitoring_groups

    characteristic_id: Mapped[uuid.UUID]
    name: Mapped[str]
    position: Mapped[int]
    seldom_heard: Mapped[bool]


class PopulationShare(Base):
    __table__ = schema.population_shares

    locality_id: Mapped[uuid.UUID]
    group_id: Mapped[uuid.UUID]
    share_pct: Mapped[float]


class MonitoringRecord(Base):
    """Special-category data: a person's consent (when, how) to equality monitoring. Detached
    (no participant) once they are anonymised."""

    __table__ = schema.monitoring_records

    participant_id: Mapped[uuid.UUID | None]
    consent_date: Mapped[date | None]
    consent_how: Mapped[str]
    detached_at: Mapped[datetime | None]


class MonitoringAnswer(Base):
    __table__ = schema.monitoring_answers

    record_id: Mapped[uuid.UUID]
    characteristic_id: Mapped[uuid.UUID]
    group_id: Mapped[uuid.UUID]


class MonitoringPresence(Base):
    __table__ = schema.monitoring_presence

    record_id: Mapped[uuid.UUID]
    meeting_id: Mapped[uuid.UUID]
