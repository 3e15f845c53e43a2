"""Fixtures for the UI tests: an ``AppContext`` over the fresh test database, a locality with
two forums (one an engagement-events forum) and typing helpers.

No Qt object is made at import time (Spyder's warning); widgets come from ``qtbot``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

import pytest

from coordinator_app.core import meetings, people
from coordinator_app.core.db import Database
from coordinator_app.core.settings import complete_first_run, save_settings
from coordinator_app.core.vocab import Category, ForumKind, MeetingFormat, MeetingStatus

TODAY = date(2025, 3, 20)


@dataclass(frozen=True)
class Place:
    locality_id: uuid.UUID
    other_locality_id: uuid.UUID
    forum_id: uuid.UUID
    events_forum_id: uuid.UUID
    other_forum_id: uuid.UUID


@pytest.fixture
def ctx(db: Database):
    from coordinator_app.ui.context import AppContext

    return AppContext(db=db, today_override=TODAY)


@pytest.fixture
def place(db: Database) -> Place:
    """Rugby (a locality forum meeting at the Benn Hall, an events forum) and Coventry."""
    complete_first_run(
        db, trust_name="Test Trust", coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    save_settings(db, default_payment_pence=2500)
    by_name = {loc.name: loc.id for loc in meetings.list_localities(db)}
    rugby, coventry = by_name["Rugby"], by_name["Coventry"]
    forum = meetings.create_forum(
        db,
        locality_id=rugby,
        name="Rugby Locality Forum",
        kind=ForumKind.LOCALITY_FORUM,
        default_venue="Benn Hall",
        default_format=MeetingFormat.HYBRID,
    )
    events = meetings.create_forum(db, locality_id=rugby, name="Rugby Events", kind=ForumKind.EVENT)
    other = meetings.create_forum(
        db, locality_id=coventry, name="Coventry Carers Forum", kind=ForumKind.CARERS_FORUM
    )
    return Place(rugby, coventry, forum, events, other)


def _meeting_at(
    db: Database, forum_id: uuid.UUID, day: date, status: MeetingStatus = MeetingStatus.HELD
) -> uuid.UUID:
    return meetings.create_meeting(
        db,
        meetings.MeetingInput(
            forum_id=forum_id,
            meeting_date=day,
            start_time=time(10, 30),
            end_time=time(12, 0),
            venue="Benn Hall",
            format=MeetingFormat.IN_PERSON,
            status=status,
        ),
    )


def _add_person(
    db: Database,
    name: str,
    category: Category = Category.SERVICE_USER,
    locality_id: uuid.UUID | None = None,
    **extra: object,
) -> uuid.UUID:
    return people.create_participant(
        db,
        people.ParticipantInput(name=name, category=category, locality_id=locality_id, **extra),  # type: ignore[arg-type]
    )


def _type_text(widget, text: str) -> None:
    """Type any text, non-ASCII included (``qtbot.keyClicks`` aborts on "ë")."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def add_meeting_at(db: Database):
    """``add_meeting_at(forum_id, day=18 March 2025, status=HELD) -> id``: a meeting, 10:30 to
    12:00 at the Benn Hall."""
    return lambda forum_id, day=date(2025, 3, 18), status=MeetingStatus.HELD: _meeting_at(
        db, forum_id, day, status
    )


@pytest.fixture
def add_person(db: Database):
    """``add_person(name, category=SERVICE_USER, locality_id=None, **fields) -> id``."""
    return lambda name, *args, **kwargs: _add_person(db, name, *args, **kwargs)


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: types any text, accents included."""
    return _type_text


@dataclass
class Questions:
    """What the UI asked (``widgets.confirm``) or told (``widgets.inform``) during a test."""

    asked: list[str]
    told: list[str]
    answer: bool = True
    #: ``widgets.ask_conflict``: the sentences shown, and the answer (True: Reload).
    conflicts: list[str] = field(default_factory=list)
    reload: bool = True
    #: ``files.offer_to_open``: (path, what, detail) of every file offered to open (never opened).
    offered: list[tuple[Path, str, str]] = field(default_factory=list)
    #: ``widgets.ask_choice``: the questions asked, and the index answered (None: the default).
    choices: list[str] = field(default_factory=list)
    choice: int | None = None


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """Never open a real message box in a test (it would block or crash offscreen): questions
    are answered with ``questions.answer`` (yes by default) and recorded. Tests may patch
    ``widgets.confirm`` themselves."""
    from coordinator_app.ui import widgets

    record = Questions([], [])

    def confirm(parent, title, text, *, yes="Delete"):
        record.asked.append(text)
        return record.answer

    monkeypatch.setattr(widgets, "confirm", confirm)
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text: record.told.append(text))

    def ask_conflict(parent, text):
        record.conflicts.append(text)
        return record.reload

    monkeypatch.setattr(widgets, "ask_conflict", ask_conflict)

    def ask_choice(parent, title, text, choices, *, default=-1):
        record.choices.append(text)
        return record.choice if record.choice is not None else default % len(choices)

    monkeypatch.setattr(widgets, "ask_choice", ask_choice)
    from coordinator_app.ui import files

    def offer(parent, path, what, detail=""):
        record.offered.append((Path(path), what, detail))
        return False

    monkeypatch.setattr(files, "offer_to_open", offer)
    return record


def _unnamed_controls(root) -> list[str]:
    """Focusable controls under ``root`` with neither an accessible name nor their own text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QWidget,
    )

    def inside_combo_or_spin(w) -> bool:
        parent = w.parent()
        while parent is not None:
            if isinstance(parent, (QComboBox, QAbstractSpinBox)):
                return True
            parent = parent.parent()
        return False

    kinds = (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QAbstractSpinBox,
        QPlainTextEdit,
    )
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, kinds) or isinstance(w, (QTabBar, QHeaderView)):
            continue
        if inside_combo_or_spin(w):  # their inner line edits and popup lists
            continue
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(w, QAbstractItemView):
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        if not w.accessibleName():
            missing.append(f"{type(w).__name__} {w.objectName()!r}")
    return missing


@pytest.fixture
def unnamed_controls():
    """``unnamed_controls(widget) -> list``: controls a screen reader could not name."""
    return _unnamed_controls
