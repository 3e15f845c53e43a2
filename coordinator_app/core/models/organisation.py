"""The trust's settings, its localities, their forums and the strategic priorities."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy.orm import Mapped, relationship

from .. import schema
from ..vocab import ForumKind, MeetingFormat, ThresholdPeriod
from .base import Base


class TrustSettings(Base):
    """One row: what the app knows about the trust and the person using it."""

    __table__ = schema.trust_settings

    trust_name: Mapped[str]
    coordinator_name: Mapped[str]
    #: The set rate offered per session, in pence (money is kept in whole pence, never floats).
    default_payment_pence: Mapped[int]
    logo_png: Mapped[bytes | None]
    #: Folder for automatic backups; empty means the default beside the database.
    backups_folder: Mapped[str]
    #: True once the welcome has been completed.
    set_up: Mapped[bool]
    #: Backups older than this many months are deleted (pre-upgrade and before-restore copies
    #: too).
    backup_retention_months: Mapped[int]
    #: The most a person may be paid over ``payment_threshold_period`` before the app warns
    #: (None: no threshold); claims unpaid longer than ``unpaid_limit_days`` are listed on Home.
    payment_threshold_pence: Mapped[int | None]
    payment_threshold_period: Mapped[ThresholdPeriod]
    unpaid_limit_days: Mapped[int]


class Locality(Base):
    __table__ = schema.localities

    name: Mapped[str]
    #: Short upper-case code used in references (meeting RUG-2610, action RUG-A3).
    code: Mapped[str]
    #: A locality this coordinator looks after (Home and Returns start with these).
    coordinated: Mapped[bool]
    active: Mapped[bool]
    #: Last number used for action references in this locality.
    action_counter: Mapped[int]

    forums: Mapped[list[Forum]] = relationship(back_populates="locality", order_by="Forum.name")


class Forum(Base):
    __table__ = schema.forums

    locality_id: Mapped[uuid.UUID]
    name: Mapped[str]
    kind: Mapped[ForumKind]
    default_venue: Mapped[str]
    default_format: Mapped[MeetingFormat]
    active: Mapped[bool]
    #: The usual day: week of the month (1-4, 5 the last) and weekday (0 Monday); None: none.
    usual_week: Mapped[int | None]
    usual_weekday: Mapped[int | None]
    usual_start: Mapped[time | None]
    usual_end: Mapped[time | None]
    #: Agenda items every meeting starts with, one per line.
    standing_items: Mapped[str]
    online_link: Mapped[str]

    locality: Mapped[Locality] = relationship(back_populates="forums")


class StrategicPriority(Base):
    """One of the trust's own strategic priorities; retired ones stay on old actions."""

    __table__ = schema.strategic_priorities

    name: Mapped[str]
    position: Mapped[int]
    retired: Mapped[bool]
