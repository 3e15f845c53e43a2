"""The trust's settings, its localities, their forums and the strategic priorities."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..vocab import ForumKind, MeetingFormat
from .base import Base, vocab


class TrustSettings(Base):
    """One row: what the app knows about the trust and the person using it."""

    __tablename__ = "trust_settings"

    trust_name: Mapped[str] = mapped_column(default="")
    coordinator_name: Mapped[str] = mapped_column(default="")
    #: The set rate offered per session, in pence (money is kept in whole pence, never floats).
    default_payment_pence: Mapped[int] = mapped_column(default=0)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Folder for automatic backups; empty means the default beside the database.
    backups_folder: Mapped[str] = mapped_column(Text, default="")
    #: True once the welcome has been completed.
    set_up: Mapped[bool] = mapped_column(default=False)


class Locality(Base):
    __tablename__ = "localities"

    name: Mapped[str] = mapped_column(unique=True)
    #: Short upper-case code used in references (meeting RUG-2610, action RUG-A3).
    code: Mapped[str] = mapped_column(unique=True)
    #: A locality this coordinator looks after (Home and Returns start with these).
    coordinated: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: Last number used for action references in this locality.
    action_counter: Mapped[int] = mapped_column(default=0)

    forums: Mapped[list[Forum]] = relationship(back_populates="locality", order_by="Forum.name")


class Forum(Base):
    __tablename__ = "forums"
    __table_args__ = (UniqueConstraint("locality_id", "name"),)

    locality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("localities.id"), index=True)
    name: Mapped[str]
    kind: Mapped[ForumKind] = mapped_column(vocab(ForumKind, "forum_kind"))
    default_venue: Mapped[str] = mapped_column(default="")
    default_format: Mapped[MeetingFormat] = mapped_column(
        vocab(MeetingFormat, "forum_format"), default=MeetingFormat.IN_PERSON
    )
    active: Mapped[bool] = mapped_column(default=True)

    locality: Mapped[Locality] = relationship(back_populates="forums")


class StrategicPriority(Base):
    """One of the trust's own strategic priorities; retired ones stay on old actions."""

    __tablename__ = "strategic_priorities"

    name: Mapped[str] = mapped_column(unique=True)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
