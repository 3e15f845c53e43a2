"""What every page needs, passed explicitly (never the whole application object)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the window is painted before SQLAlchemy is imported (ui/app.py)
    from ..core.access import SignedIn
    from ..core.db import Database


class DataEvents(QObject):
    """Past-tense signals pages emit after a saved change, so other pages refresh what they show.

    Each carries the id (as a string) of the record that changed, or "" for many; but
    ``peopleAnonymised``, emitted before ``participantsChanged`` when people were anonymised
    from this app, carries the redactor that hid them (``core.anonymise.Anonymised.scrub``,
    a callable from text to text): every open form cleans its unsaved typing with it at once,
    so that no draft or save writes their name back.
    """

    meetingsChanged = Signal(str)
    participantsChanged = Signal(str)
    actionsChanged = Signal(str)
    settingsChanged = Signal()
    accreditationChanged = Signal(str)
    projectsChanged = Signal(str)
    peopleAnonymised = Signal(object)


@dataclass
class AppContext:
    db: Database
    events: DataEvents = field(default_factory=DataEvents)
    #: Who the app is signed in to the server as (``core/access.py``); None on this laptop.
    signed_in: SignedIn | None = None
    #: Fixed in tests so that "today" is repeatable; None means the real date.
    today_override: date | None = None

    def today(self) -> date:
        return self.today_override or date.today()
