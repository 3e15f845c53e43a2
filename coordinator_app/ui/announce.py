"""Saying what changed away from the focus: a result, a save, the person Enter will mark.

A label's new text is not read out by a screen reader (a plain label has no live role), and a
list that never takes the focus moves its selection in silence. ``announce`` hands assistive
technology a sentence to say, politely: after what it is saying, never cutting into typing.

Qt 6.8's announcement event is what Qt's AT-SPI bridge passes on: checked under Xvfb with
``dbus-run-session`` and python3-pyatspi, it arrives as ``object:announcement`` with
``detail1`` 1 (polite) and the sentence as its data; a changed accessible description arrives
too (``object:property-change:accessible-description``), but a screen reader speaks that only
for the focused control, and a second way would say the same twice.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` (from ``widget``, shown near where it happened),
    politely. Nothing is said for no text. Names pass through here: never log ``text``."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)
