"""The privacy review on screen: what the Returns page and the print chooser show before anything
leaves (docs/monthly-return.md#the-privacy-review, docs/printouts.md#names-and-privacy).

``PrivacyReviewPanel`` lists the pieces of free text ``core.review`` found in a document (a
return, a printout), shows the chosen piece with what the redactor hides highlighted in yellow
and what still looks like a name in red, each also named in words below it (colour is never
the only cue), shows what leaves, and lets the coordinator reword the piece there: the rewording
is saved to its record through ``ui.operations.review`` and the review is made again.

Contract: the page gives the panel a ``load`` function (no arguments, returns the review's
items; it reads the database in a short read of its own, like the page's figures) and calls
``refresh`` when what it shows changes. The panel holds no session.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import CoordinatorError
from ..core.review import ReviewItem, can_rewrite
from . import operations, widgets
from .context import AppContext
from .operations import review as review_ops

HIDDEN_COLOUR = "#ffe066"
CHECK_COLOUR = "#ffb3b3"

Load = Callable[[], list[ReviewItem]]


def highlighted(item: ReviewItem) -> str:
    """The piece as rich text: hidden words on yellow, words to check on red and underlined,
    everything escaped, line breaks kept."""
    parts: list[str] = []
    last = 0
    for finding in item.findings:
        if finding.start < last:
            continue
        parts.append(html.escape(item.text[last : finding.start]))
        colour = HIDDEN_COLOUR if finding.hidden else CHECK_COLOUR
        style = f"background-color:{colour}; font-weight:bold"
        if not finding.hidden:
            style += "; text-decoration:underline"
        word = html.escape(item.text[finding.start : finding.end])
        parts.append(f'<span style="{style}">{word}</span>')
        last = finding.end
    parts.append(html.escape(item.text[last:]))
    return "".join(parts).replace("\n", "<br/>")


def summary_line(item: ReviewItem) -> str:
    """One line of the list: where, then the first thing found."""
    first = item.findings[0]
    word = " ".join(item.text[first.start : first.end].split())
    more = f" and {len(item.findings) - 1} more" if len(item.findings) > 1 else ""
    return f"{item.where}: “{word}” ({first.reason}){more}"


#: The rows the list of pieces shows before it scrolls, and the lines of the piece and of the
#: rewording box: each as tall as what it holds, within these (issue: the Returns page at
#: 1366x768 had a half-page empty rewording box and pushed the export out of view).
LIST_ROWS = (2, 6)
PIECE_LINES = (3, 10)
REWORD_LINES = (2, 6)


class FittedBrowser(QTextBrowser):
    """A text browser as tall as its text at its width, from ``PIECE_LINES[0]`` to
    ``PIECE_LINES[1]`` lines (then it scrolls). That height is its size hint and its most: it
    gives way where the room runs out (the print chooser) rather than overlap what follows."""

    _fitted = 0

    def fit(self) -> None:
        document = self.document()
        document.setTextWidth(self.viewport().width())
        line = self.fontMetrics().lineSpacing()
        least, most = (n * line for n in PIECE_LINES)
        text = int(document.size().height()) if not document.isEmpty() else 0
        frame = 2 * self.frameWidth()
        self._fitted = max(least, min(text, most)) + frame
        self.setMaximumHeight(self._fitted)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._fitted) if self._fitted else hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()


def fit_lines(edit: QPlainTextEdit, least: int, most: int) -> None:
    """Make a plain text box as tall as its wrapped lines, from ``least`` to ``most`` (then it
    scrolls); short of room, it gives way down to ``least``. A plain text document's layout
    counts its size in lines."""
    lines = int(edit.document().documentLayout().documentSize().height())
    margins = edit.contentsMargins()
    frame = 2 * int(edit.document().documentMargin()) + margins.top() + margins.bottom() + 2
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(least * line + frame)
    edit.setMaximumHeight(max(least, min(lines, most)) * line + frame)


class PrivacyReviewPanel(QWidget):
    """The pieces to check, the chosen one highlighted, and a box to reword it, each as tall
    as what it holds (the spare height stays below them, for the page to use)."""

    #: How many pieces the review lists, after each refresh.
    reviewed = Signal(int)

    def __init__(
        self, ctx: AppContext, load: Load | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._load = load
        self._items: list[ReviewItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleDescription("Privacy review result")
        layout.addWidget(self.caption)
        #: The pieces, the chosen one and its rewording: hidden when there is nothing to check
        #: (three empty boxes under "nothing to check" looked like something had failed).
        self.pieces = QWidget()
        layout.addWidget(self.pieces)
        layout.addStretch(1)  # the spare height, below the pieces (or the caption alone)
        box = QVBoxLayout(self.pieces)
        box.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("Pieces of free text to check")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show)
        box.addWidget(self.list)
        self.piece_view = FittedBrowser()
        self.piece_view.setAccessibleName("The piece, with what is hidden highlighted")
        box.addWidget(self.piece_view)
        self.editor = widgets.plain_text_edit("Reword the piece", lines=REWORD_LINES[0])
        self.editor.setPlaceholderText("Choose a piece above to reword it here.")
        # Its wrapped lines change with the text and with the width: fit on both.
        self.editor.document().documentLayout().documentSizeChanged.connect(
            lambda _size: fit_lines(self.editor, *REWORD_LINES)
        )
        box.addWidget(self.editor)
        row = QHBoxLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        self.save_button = QPushButton("Save the re&wording")
        self.save_button.setAccessibleName("Save the rewording to its record")
        self.save_button.clicked.connect(self.save_rewording)
        row.addWidget(self.save_button)
        box.addLayout(row)
        widgets.fit_list_rows(self.list, *LIST_ROWS, shrink=True)
        fit_lines(self.editor, *REWORD_LINES)
        self._show(-1)

    # --- what it shows ---------------------------------------------------------------------

    def set_source(self, load: Load | None) -> None:
        """Review another document (None: nothing to review) and show it."""
        self._load = load
        self.refresh()

    def refresh(self) -> None:
        """Make the review again, keeping the chosen piece when it is still listed."""
        current = self.current()
        items = (
            operations.read(self, "Privacy review", self._load, on_refused=self._not_made)
            if self._load is not None
            else []
        )
        if items is None:  # refused: the caption says why, and nothing is listed
            items = []
        elif not items:
            self.caption.setText(
                "Privacy review: nothing to check; no name or contact "
                "detail is hidden and nothing looks like a name."
            )
        else:
            noun = "piece" if len(items) == 1 else "pieces"
            self.caption.setText(
                f"Privacy review: {len(items)} {noun} of free text to check before this "
                "leaves. Names and contact details the app hides are in yellow; words that "
                "still look like a name, in red. Reword a piece below so that it reads well "
                "without them."
            )
        self._items = items
        self.pieces.setVisible(bool(items))
        self.list.blockSignals(True)
        self.list.clear()
        for item in items:
            entry = QListWidgetItem(summary_line(item))
            entry.setToolTip(item.where)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        widgets.fit_list_rows(self.list, *LIST_ROWS, shrink=True)
        keep = -1
        if current is not None:
            keep = next((i for i, item in enumerate(items) if item.piece == current.piece), -1)
        if keep < 0 and items:
            keep = 0
        self.list.setCurrentRow(keep)
        self._show(keep)
        self.reviewed.emit(len(items))

    def _not_made(self, exc: CoordinatorError) -> None:
        self.caption.setText(f"The privacy review could not be made: {exc}")

    def items(self) -> list[ReviewItem]:
        return list(self._items)

    def current(self) -> ReviewItem | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _show(self, row: int) -> None:
        item = self._items[row] if 0 <= row < len(self._items) else None
        if item is None:
            self.piece_view.clear()
            self.piece_view.fit()
            self.editor.clear()
            self.editor.setEnabled(False)
            self.save_button.setEnabled(False)
            self.note.clear()
            return
        reasons = "".join(
            f"<li>“{html.escape(' '.join(item.text[f.start : f.end].split()))}”: "
            f"{html.escape(f.reason)}{'' if not f.hidden else ' (hidden)'}</li>"
            for f in item.findings
        )
        leaves = ""
        if item.leaves_as != item.text:
            leaves = f"<p><b>Leaves as:</b> {html.escape(item.leaves_as)}</p>"
        self.piece_view.setHtml(
            f"<p><b>{html.escape(item.where)}</b></p><p>{highlighted(item)}</p>"
            f"<ul>{reasons}</ul>{leaves}"
        )
        self.piece_view.fit()
        editable = can_rewrite(item.piece)
        self.editor.setPlainText(item.text)
        self.editor.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.note.setText("" if editable else "This comes from the settings: change it there.")

    # --- rewording -------------------------------------------------------------------------

    def save_rewording(self) -> bool:
        """Save the editor's text to the chosen piece's record (then review again); False when
        nothing was saved (told to the user)."""
        item = self.current()
        if item is None or not can_rewrite(item.piece):
            return False
        text = self.editor.toPlainText()
        outcome = review_ops.rewrite(self, self.ctx, item.piece, item.text, text).wait()
        if not outcome.ok:
            if outcome.conflict:  # someone changed it meanwhile: show what it says now, and
                self.refresh()  # keep what was typed in the box (nothing typed is lost)
                self.editor.setPlainText(text)
            return False
        self.refresh()
        return True
