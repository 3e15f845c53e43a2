"""The print preview: the printout's pages (typst's, as the printer gets them) and a row of
commands every one of which a keyboard reaches by Tab and by a shortcut (issue #24 item 2).

Qt's QPrintPreviewDialog had sixteen toolbar buttons, Print among them, that took no focus and
had no shortcut: a coordinator using the keyboard or a screen reader could look at the preview
and never print it. Its page set-up and orientation did nothing here either (typst lays out the
page). This dialog shows the pages typst renders (``typeset.page_images``, the same pages as
the PDF and the printer) and has seven commands, each a button with a letter of its own and a
shortcut:

==============  =====================  ===========================
Print…          Alt+P, Ctrl+P          the print dialog (``printing.print_document``)
Zoom in         Alt+I, Ctrl++ (Ctrl+=) a quarter larger
Zoom out        Alt+O, Ctrl+-          a fifth smaller
Fit width       Alt+F, Ctrl+0          the page as wide as the window
Previous page   Alt+V, Page Up
Next page       Alt+N, Page Down
Close           Alt+C, Escape
==============  =====================  ===========================

The pages take the focus too (the arrow keys scroll them) and say which page they are.

Pitfalls:
- typst draws every page at once (about 0.05 s a page here: 4 s for an 84-page "you said, we
  did"), so it draws them once, at the resolution the fitted width needs, and again only when
  a zoom needs more pixels than it has: smaller is the same images scaled down, so text stays
  sharp either way.
- Only the pages in view (and one screenful either side) are kept as pictures; the rest are
  their PNG bytes, a few hundred kilobytes each (an 84-page preview held 700 MB otherwise).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QImage,
    QKeySequence,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core import typeset
from ..core.document import Document
from .dialog_sizes import Dialog

#: The page's size on screen at 100 %: its real size on a screen of 96 dots per inch.
SCREEN_DPI = 96.0
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
#: Room between pages and around them, in pixels.
GAP = 12


class PreviewDialog(Dialog):
    """The pages of ``document`` and the commands (see the module's docstring). ``commands``
    maps each command's name to its action (with its shortcuts) and its button; ``rendered`` is
    emitted each time the pages have been drawn."""

    rendered = Signal()

    def __init__(self, document: Document, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.title = title or document.title
        self.setWindowTitle(f"Print preview - {self.title}")
        self.zoom = 1.0
        self._fit_pending = True
        self.pages: list[QLabel] = []
        #: typst's pages as PNG, drawn at ``_dpi`` device pixels an inch.
        self._png: list[bytes] = []
        self._dpi = 0.0
        #: The pages holding a picture now, and the zoom it was made for.
        self._shown: dict[int, float] = {}
        self._laid_out = False

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        layout.addLayout(bar)
        self.commands: dict[str, tuple[QAction, QPushButton]] = {}
        self._command("print", "&Print…", [QKeySequence.StandardKey.Print], self.print_now, bar)
        self._command(
            "zoom_in",
            "Zoom &in",
            [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")],
            self.zoom_in,
            bar,
        )
        self._command(
            "zoom_out", "Zoom &out", [QKeySequence.StandardKey.ZoomOut], self.zoom_out, bar
        )
        self._command("fit_width", "&Fit width", [QKeySequence("Ctrl+0")], self.fit_width, bar)
        self._command(
            "previous",
            "Pre&vious page",
            [QKeySequence(Qt.Key.Key_PageUp)],
            self.previous_page,
            bar,
        )
        self._command(
            "next", "&Next page", [QKeySequence(Qt.Key.Key_PageDown)], self.next_page, bar
        )
        # Read by its text ("Page 2 of 5"): no accessible name, which would be read instead.
        self.page_label = QLabel()
        self.page_label.setAccessibleDescription("The page shown")
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        self._command("close", "&Close", [QKeySequence(Qt.Key.Key_Escape)], self.reject, bar)

        self.pages_area = QScrollArea()
        self.pages_area.setObjectName("pages")
        self.pages_area.setAccessibleName("Pages of the printout")
        self.pages_area.setAccessibleDescription(
            "The arrow keys scroll; Page Up and Page Down turn"
        )
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setBackgroundRole(QPalette.ColorRole.Dark)
        holder = self.holder = QWidget()
        holder.setBackgroundRole(QPalette.ColorRole.Dark)
        self.page_box = QVBoxLayout(holder)
        self.page_box.setContentsMargins(GAP, GAP, GAP, GAP)
        self.page_box.setSpacing(GAP)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_area.setWidget(holder)
        layout.addWidget(self.pages_area, 1)
        self.pages_area.verticalScrollBar().valueChanged.connect(lambda _v: self._scrolled())

        from . import widgets

        widgets.fit_to_screen(self, 900, 1000)  # a whole A4 page where the screen has room
        layout.activate()  # the page area's width, for the zoom that fits it
        self.zoom = self._fitting_zoom()
        self._render()  # now, so that a failure is the caller's (a sentence, no window)
        self.commands["print"][1].setDefault(True)
        self.commands["print"][1].setFocus(Qt.FocusReason.OtherFocusReason)

    def _command(
        self,
        name: str,
        text: str,
        keys: list[QKeySequence | QKeySequence.StandardKey],
        slot: object,
        bar: QHBoxLayout,
    ) -> None:
        action = QAction(text.replace("&", ""), self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        button = QPushButton(text)
        button.setAutoDefault(False)
        said = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
        )
        button.setToolTip(f"{action.text()} ({said})")
        button.setAccessibleDescription(f"Shortcut {said}")
        button.clicked.connect(action.trigger)
        bar.addWidget(button)
        self.commands[name] = (action, button)

    # --- the pages ------------------------------------------------------------------------

    def _needed_dpi(self) -> float:
        return SCREEN_DPI * self.zoom * self.devicePixelRatioF()

    def _render(self) -> None:
        """typst's pages at the resolution ``zoom`` needs, then the pages laid out."""
        dpi = self._needed_dpi()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._png = typeset.page_images(self.document, dpi)
        finally:
            QApplication.restoreOverrideCursor()
        self._dpi = dpi
        self._lay_out()

    def _lay_out(self) -> None:
        """A place of the right size for every page at ``zoom``, then (once the scroll area has
        taken the new sizes, at the next turn of the event loop) the reader's place kept and
        the pictures of the pages in view."""
        bar = self.pages_area.verticalScrollBar()
        share = bar.value() / max(bar.maximum(), 1)
        while len(self.pages) > len(self._png):
            self.pages.pop().deleteLater()
        while len(self.pages) < len(self._png):
            page = QLabel()
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.setAutoFillBackground(True)
            page.setBackgroundRole(QPalette.ColorRole.Base)
            self.page_box.addWidget(page)
            self.pages.append(page)
        count = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            page.setFixedSize(self._page_size())
            page.setAccessibleName(f"Page {number} of {count}")  # a picture: no text to hide
        self._shown.clear()
        for page in self.pages:
            page.setText(page.accessibleName())  # until its picture is made (in view)
        self._laid_out = False
        QTimer.singleShot(0, self, lambda: self._keep_place(share))

    def _keep_place(self, share: float) -> None:
        bar = self.pages_area.verticalScrollBar()
        bar.setValue(round(share * bar.maximum()))
        self._laid_out = True
        self._scrolled()
        self.rendered.emit()

    def _top_of(self, index: int) -> int:
        """Where page ``index`` starts in the scrolled area (its layout's arithmetic, right
        even before the layout has run)."""
        return GAP + index * (self._page_size().height() + GAP)

    def _page_size(self) -> QSize:
        width = self.page_width_at(self.zoom)
        points = typeset.A4_POINTS if not self.document.landscape else typeset.A4_POINTS[::-1]
        return QSize(round(width), round(width * points[1] / points[0]))

    def _scrolled(self) -> None:
        """The pictures of the pages in view and a screenful either side; the rest let go."""
        if not self.pages or not self._laid_out:
            return
        bar = self.pages_area.verticalScrollBar()
        room = self.pages_area.viewport().height()
        near_top, near_bottom = bar.value() - room, bar.value() + 2 * room
        ratio = self.devicePixelRatioF()
        height = self._page_size().height()
        for index, page in enumerate(self.pages):
            top = self._top_of(index)
            near = top + height >= near_top and top <= near_bottom
            if near and self._shown.get(index) != self.zoom:
                image = QImage.fromData(self._png[index])
                size = page.size() * ratio
                if image.size() != size:
                    image = image.scaled(
                        size,
                        Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(ratio)
                page.setPixmap(pixmap)
                self._shown[index] = self.zoom
            elif not near and index in self._shown:
                page.setText(page.accessibleName())  # the picture let go
                del self._shown[index]
        self._show_page_number()

    def page_width_at(self, zoom: float) -> float:
        """The page's width on screen at ``zoom``, in logical pixels."""
        points = typeset.A4_POINTS[1 if self.document.landscape else 0]
        return points / 72 * SCREEN_DPI * zoom

    def set_zoom(self, zoom: float) -> None:
        zoom = min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        if abs(zoom - self.zoom) < 0.001:
            return
        self.zoom = zoom
        if self._needed_dpi() > self._dpi * 1.05:
            self._render()  # more pixels than typst drew: draw again, sharp
        else:
            self._lay_out()  # the same pages, scaled down

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def _fitting_zoom(self) -> float:
        # The frame's inside less a scroll bar (shown or not): known before the window shows,
        # unlike the viewport's width.
        room = self.pages_area.contentsRect().width() - 2 * GAP
        room -= self.pages_area.verticalScrollBar().sizeHint().width()
        return min(max(room / self.page_width_at(1.0), ZOOM_RANGE[0]), ZOOM_RANGE[1])

    def fit_width(self) -> None:
        self.set_zoom(self._fitting_zoom())

    def current_page(self) -> int:
        """The page at the top of the view (0 for the first)."""
        top = self.pages_area.verticalScrollBar().value() + self.pages_area.viewport().height() // 3
        step = self._page_size().height() + GAP
        return min(max((top - GAP) // step, 0), max(len(self.pages) - 1, 0))

    def go_to_page(self, index: int) -> None:
        if not self.pages:
            return
        index = min(max(index, 0), len(self.pages) - 1)
        self.pages_area.verticalScrollBar().setValue(self._top_of(index) - GAP)
        self._show_page_number()

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _show_page_number(self) -> None:
        current, count = self.current_page(), len(self.pages)
        self.page_label.setText(f"Page {current + 1} of {count}")
        self.commands["previous"][0].setEnabled(current > 0)
        self.commands["previous"][1].setEnabled(current > 0)
        self.commands["next"][0].setEnabled(current < count - 1)
        self.commands["next"][1].setEnabled(current < count - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scrolled()  # more room may show more pages

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The keyboard to this window from the first key: under X without a window manager
        # (Xvfb) the first Escape after opening went to the main window and did nothing.
        self.activateWindow()
        if self._fit_pending:
            self._fit_pending = False
            # Once the window has its size on the screen (dialog_sizes may give back another).
            QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        wanted = self._fitting_zoom()
        if abs(wanted - self.zoom) > 0.03 * self.zoom:
            self.set_zoom(wanted)

    # --- printing -------------------------------------------------------------------------

    def print_now(self) -> None:
        """The print dialog, then the printer (looked up on ``printing`` at call time, so tests
        patch ``printing.print_document``)."""
        from . import printing

        printing.print_document(self, self.document, self.title)
