"""The app's questions and messages in Qt's message boxes: Yes/Cancel before a deletion,
a choice of answers, someone else saved first, and something went wrong.

The app calls them as ``widgets.confirm`` and so on (``widgets`` names them all), where the
tests answer them (``tests/ui/conftest.py``): never call ``exec`` in a test. Every button has an
Alt letter (tests/ui/test_mnemonics.py) and every box brings the focus ring first
(``focus.use_ring_style``: a question may come before Home is shown).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from . import focus


def lettered(label: str) -> str:
    """``label`` with an Alt letter: as given when it has one, else its first letter."""
    return label if "&" in label else f"&{label}"


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str = "Delete") -> bool:
    """Ask before a deletion or a discard: True for ``yes``; Cancel is the default, so Enter
    and Escape lose nothing. Tests patch this function; never call exec there."""
    return ask_choice(parent, title, text, [lettered(yes), "&Cancel"]) == 0


def ask_choice(
    parent: QWidget | None, title: str, text: str, choices: list[str], *, default: int = -1
) -> int:
    """Ask with buttons named ``choices`` (the last one is Cancel-like: Escape picks it);
    the index chosen. Tests patch this function; never call exec there."""
    box, buttons = choice_box(parent, title, text, choices, default=default)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else len(choices) - 1


def choice_box(
    parent: QWidget | None, title: str, text: str, choices: list[str], *, default: int = -1
) -> tuple[QMessageBox, list[QPushButton]]:
    """The question ``ask_choice`` shows, not shown yet, and its buttons in the order of
    ``choices``: each named for a screen reader by its text without the Alt letter's "&"."""
    focus.use_ring_style()
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons: list[QPushButton] = [
        box.addButton(
            label,
            QMessageBox.ButtonRole.RejectRole
            if i == len(choices) - 1
            else QMessageBox.ButtonRole.AcceptRole,
        )
        for i, label in enumerate(choices)
    ]
    for button, label in zip(buttons, choices, strict=True):
        button.setAccessibleName(label.replace("&&", "\0").replace("&", "").replace("\0", "&"))
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[-1])
    return box, buttons


#: The two answers to ``ask_conflict`` (tests read them to check the wording).
RELOAD_TEXT = "Reload"
KEEP_EDITING_TEXT = "Keep editing"


def conflict_box(parent: QWidget | None, text: str) -> tuple[QMessageBox, QPushButton]:
    """The question ``ask_conflict`` shows, not shown yet, and its Reload button."""
    focus.use_ring_style()
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Changed since you opened it",
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        f"{RELOAD_TEXT} shows it as saved now and throws away what you typed here. "
        f"{KEEP_EDITING_TEXT} leaves your text on screen, not saved (copy what you need first)."
    )
    reload_button = box.addButton(lettered(RELOAD_TEXT), QMessageBox.ButtonRole.DestructiveRole)
    keep_button = box.addButton(lettered(KEEP_EDITING_TEXT), QMessageBox.ButtonRole.RejectRole)
    for button, name in ((reload_button, RELOAD_TEXT), (keep_button, KEEP_EDITING_TEXT)):
        button.setAccessibleName(name)
    box.setDefaultButton(keep_button)
    box.setEscapeButton(keep_button)
    return box, reload_button


def ask_conflict(parent: QWidget | None, text: str) -> bool:
    """The record was saved since it was opened (``ConflictError``'s sentence in ``text``: by
    someone else, or by anonymising someone): True to reload (discard what is typed here and
    show it as saved), False to keep editing (nothing saved, the typing stays on screen). Keep
    editing is the default, so Enter loses nothing. Tests patch this function; never call exec
    there."""
    box, reload_button = conflict_box(parent, text)
    box.exec()
    return box.clickedButton() is reload_button


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something that went wrong (a sentence from a ``CoordinatorError``)."""
    focus.use_ring_style()
    QMessageBox.information(parent, title, text)
