"""The print preview by keyboard (issue #24 item 2): Qt's preview had sixteen toolbar buttons,
Print among them, that neither Tab nor any shortcut reached. Every command of the preview
``printing.preview`` opens is reached by Tab and has a shortcut that does it; no dialog is
ever exec'd (``QDialog.exec`` is patched to hand the dialog over)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QToolBar

from coordinator_app.core.document import Document, Heading, Paragraph, spans
from coordinator_app.ui import printing


@pytest.fixture
def document() -> Document:
    """Three pages or more of plain text."""
    blocks = []
    for number in range(1, 9):
        blocks.append(Heading(2, f"Item {number}: waiting times at the crisis line"))
        blocks.append(Paragraph(spans("Zoë Price said calls wait too long at night. " * 30)))
    return Document(title="Minutes of the Rugby Locality Forum", blocks=tuple(blocks))


@pytest.fixture
def in_preview(qtbot, monkeypatch, document) -> Callable[[Callable[[QDialog], None]], None]:
    """``in_preview(check)``: opens the preview as ``printing.preview`` does and runs
    ``check(dialog)`` while it is open (inside its patched ``exec``, shown and active, as long
    as the printing call lives: Qt's preview dies with its printer)."""

    def run(check: Callable[[QDialog], None]) -> None:
        ran = []

        def exec_(dialog: QDialog) -> int:
            dialog.show()
            qtbot.waitExposed(dialog)
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            try:
                check(dialog)
            finally:
                dialog.hide()
            ran.append(dialog.windowTitle())
            return 0

        monkeypatch.setattr(QDialog, "exec", exec_)
        printing.preview(None, document, "Minutes")
        assert ran, "no preview was opened"

    return run


def _commands(dialog: QDialog) -> dict[str, QAbstractButton]:
    """Every command a mouse can reach: the buttons, tool buttons included, by what they say."""
    found = {}
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible():
            said = button.text().replace("&", "") or button.toolTip() or button.objectName()
            found[said] = button
    for bar in dialog.findChildren(QToolBar):
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if action.isVisible() and isinstance(widget, QAbstractButton):
                found[action.text().replace("&", "")] = widget
    return found


def _reached_by_tab(qtbot, dialog: QDialog) -> set[QAbstractButton]:
    """The buttons Tab reaches, going round the dialog once from where the focus is."""
    reached = set()
    start = QApplication.focusWidget()
    current = start
    for _ in range(60):
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if isinstance(current, QAbstractButton):
            reached.add(current)
        if current is start:
            break
    return reached


def test_every_command_of_the_preview_is_reached_by_tab(qtbot, in_preview) -> None:
    def check(preview: QDialog) -> None:
        commands = _commands(preview)
        assert any(said.startswith("Print") for said in commands), sorted(commands)
        # On a middle page, so that Previous and Next both have something to do.
        qtbot.keyClick(preview, Qt.Key.Key_PageDown)
        reached = _reached_by_tab(qtbot, preview)
        unreached = sorted(said for said, button in commands.items() if button not in reached)
        assert unreached == [], f"{len(unreached)} of {len(commands)} commands not reached"

    in_preview(check)


def test_every_command_of_the_preview_has_a_shortcut_that_does_it(
    qtbot, in_preview, monkeypatch
) -> None:
    printed = []
    monkeypatch.setattr(
        printing, "print_document", lambda parent, document, title: printed.append(title)
    )

    def check(preview) -> None:
        for name, (action, button) in preview.commands.items():
            assert action.shortcuts(), name
            assert action.shortcuts()[0].toString() in button.toolTip()

        def press(name: str) -> None:
            combination = preview.commands[name][0].shortcuts()[0][0]
            qtbot.keyClick(preview, combination.key(), combination.keyboardModifiers())

        qtbot.waitUntil(lambda: preview.page_label.text().startswith("Page 1 of "))
        pages = len(preview.pages)
        assert pages >= 3
        press("next")
        qtbot.waitUntil(lambda: preview.page_label.text() == f"Page 2 of {pages}")
        press("previous")
        qtbot.waitUntil(lambda: preview.page_label.text() == f"Page 1 of {pages}")
        zoom = preview.zoom
        qtbot.waitUntil(lambda: not preview.pages[0].pixmap().isNull())
        width = preview.pages[0].pixmap().width()
        press("zoom_in")
        qtbot.waitUntil(lambda: preview.zoom > zoom)
        qtbot.waitUntil(lambda: preview.pages[0].pixmap().width() > width)  # larger, sharp
        press("zoom_out")
        press("zoom_out")
        qtbot.waitUntil(lambda: preview.zoom < zoom)
        press("fit_width")
        qtbot.waitUntil(lambda: abs(preview.zoom - zoom) < 0.01)
        press("print")
        assert printed == ["Minutes"]
        press("close")
        qtbot.waitUntil(lambda: not preview.isVisible())
        assert preview.result() == QDialog.DialogCode.Rejected

    in_preview(check)


def test_print_has_the_focus_and_ctrl_p_and_escape_are_the_usual_keys(in_preview) -> None:
    def check(preview) -> None:
        action, button = preview.commands["print"]
        assert QKeySequence(QKeySequence.StandardKey.Print) in action.shortcuts()
        assert button.hasFocus()
        assert preview.commands["close"][0].shortcuts() == [QKeySequence(Qt.Key.Key_Escape)]

    in_preview(check)


def test_the_pages_say_which_they_are(in_preview) -> None:
    """Each page is a picture named for a screen reader; the number shown is read as text."""

    def check(preview) -> None:
        count = len(preview.pages)
        assert [page.accessibleName() for page in preview.pages] == [
            f"Page {n} of {count}" for n in range(1, count + 1)
        ]
        assert preview.page_label.accessibleName() == ""

    in_preview(check)


def test_a_long_printout_keeps_pictures_only_of_the_pages_in_view(
    qtbot, monkeypatch, document
) -> None:
    """typst draws every page at once; the preview keeps pictures of the pages near the view
    only (an 84-page "you said, we did" held 700 MB otherwise), and zooming out scales what
    typst drew rather than drawing it all again."""
    from coordinator_app.core import typeset
    from coordinator_app.ui.preview import PreviewDialog

    long = Document(title=document.title, blocks=document.blocks * 4)
    drawn: list[float] = []
    real = typeset.page_images

    def counted(doc, dpi=typeset.PREVIEW_DPI):
        drawn.append(dpi)
        return real(doc, dpi)

    monkeypatch.setattr(typeset, "page_images", counted)
    preview = PreviewDialog(long, "Minutes")
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitUntil(lambda: preview.page_label.text().startswith("Page 1 of "))
    count = len(preview.pages)
    assert count >= 10

    def pictured() -> list[int]:
        return [i for i, page in enumerate(preview.pages) if not page.pixmap().isNull()]

    qtbot.waitUntil(lambda: bool(pictured()))
    assert pictured()[0] == 0 and len(pictured()) <= 4, pictured()
    preview.go_to_page(count - 1)
    qtbot.waitUntil(lambda: count - 1 in pictured())
    assert 0 not in pictured() and len(pictured()) <= 4, pictured()
    times = len(drawn)
    preview.zoom_out()
    qtbot.waitUntil(lambda: count - 1 in pictured())
    assert len(drawn) == times, "zooming out drew the pages again"
