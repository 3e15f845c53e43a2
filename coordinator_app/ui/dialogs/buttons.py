"""Qt's own dialog buttons (Close, Cancel, Save, OK) named with an Alt letter.

Qt names a ``QDialogButtonBox``'s standard buttons itself, with no Alt letter ("Cancel"), so a
keyboard user could reach them only with Tab (or Escape and Enter). ``letter_buttons`` gives
each its letter; only the text changes, so its role stays: Escape still presses Close or Cancel
and Enter the default button. Where a dialog already uses the usual letter (a "&Consent to be
contacted" box takes C), it passes another spelling, "Cance&l" or "Clos&e", each letter once in
the window (tests/ui/test_mnemonics.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

_Standard = QDialogButtonBox.StandardButton


def letter_buttons(
    box: QDialogButtonBox,
    *,
    close: str = "&Close",
    cancel: str = "&Cancel",
    save: str = "&Save",
    ok: str = "&OK",
) -> None:
    """Name each of ``box``'s standard Close, Cancel, Save and OK buttons it has with the text
    given (each with an ``&`` before its Alt letter). A screen reader reads it without the "&"."""
    for which, text in (
        (_Standard.Close, close),
        (_Standard.Cancel, cancel),
        (_Standard.Save, save),
        (_Standard.Ok, ok),
    ):
        button = box.button(which)
        if button is not None:
            button.setText(text)
            button.setAccessibleName(text.replace("&", ""))
