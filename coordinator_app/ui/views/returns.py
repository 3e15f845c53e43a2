"""The Returns page: the monthly return of a locality, and consolidation for the engagement group.

Two tabs:

- **Monthly return**: choose a locality and a month (last month by default: a return is sent
  after the month has ended), check the month's figures on screen, exactly the rows of the
  return's Summary sheet in their order, and the privacy review beside them (every piece of
  the return's free text the redactor changes or that still looks like a name, highlighted,
  to reword there: ``ui.privacy_review``), then "Export return…" writes the workbook in the
  background and offers to open its folder.
- **Consolidate (engagement group)**: choose a folder or files of returns; each is checked by the
  core (``consolidate.check_each``: the same checks and wording as the command line) and listed
  with its locality, month and preparer, or with the reason it is refused (each cell named), or
  as set aside when a return of the same locality and month was generated later; "Consolidate…"
  writes the trust-wide workbook of the ready ones in the background.
- **Trust view**: the consolidated returns' picture (``ui/views/trust_view.py``). The group's
  database (``settings.is_group_database``) opens on it: the window shows this page, this tab.

Pitfalls:
- Figures come from ``figures.month_figures`` (the same function the return uses), read in one
  short session; the page keeps plain ``(label, value)`` rows, never ORM objects.
- Exports and consolidation go through ``tasks.run_with_progress``: the core opens its own
  session on the worker thread. Read everything you need from widgets before calling it.
- File choosers, "open folder" and the settings store are module functions, looked up at call
  time, so tests patch them (``monkeypatch.setattr(returns_view, "choose_save_path", ...)``) and
  no real dialog ever opens in a test.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...core import meetings
from ...core.errors import ExportCancelled
from ...core.figures import month_figures
from ...core.review import review_return
from ...core.rules import AccreditationResult, Month
from ...core.settings import is_group_database
from .. import files, tasks, widgets
from ..context import AppContext
from ..models.table import Column, RowTableModel
from ..privacy_review import PrivacyReviewPanel
from ..widgets import RecordTable, fill_combo
from .reach_view import ReachPanel
from .trust_view import TrustView

#: The files a folder of returns is scanned for (a return re-saved by Excel or LibreOffice too).
RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

if TYPE_CHECKING:
    from ...core.consolidate import ConsolidationSummary

#: QSettings keys (the organisation and application names are set by ``ui.app`` beforehand).
KEY_SAVE_FOLDER = "returns/save_folder"  #: where the last return or consolidation was saved

TAB_RETURN, TAB_CONSOLIDATE, TAB_REACH, TAB_TRUST = range(4)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


# --- functions tests patch ------------------------------------------------------------------------


def settings() -> QSettings:
    """The settings store for the folders remembered here."""
    return QSettings()


def choose_save_path(parent: QWidget | None, title: str, suggested: str) -> str:
    """Ask where to save a workbook (``ui.files``); "" when the user cancels."""
    path = files.ask_save(parent, files.RETURN, title, suggested)
    return str(path) if path else ""


def choose_folder(parent: QWidget | None, title: str, start: str) -> str:
    """Ask for a folder of returns (``ui.files``); "" when the user cancels."""
    path = files.ask_folder(parent, files.RETURN, title, Path(start) if start else None)
    return str(path) if path else ""


def choose_files(parent: QWidget | None, title: str, start: str) -> list[str]:
    """Ask for one or more returns (``ui.files``); [] when the user cancels."""
    return [str(p) for p in files.ask_open_many(parent, files.RETURN, title)]


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager."""
    return files.open_in_system(folder)


# --- plain values ---------------------------------------------------------------------------------


def safe_file_part(text: str) -> str:
    """``text`` fit for a file name on Windows and Linux (unsafe characters become "-")."""
    clean = _UNSAFE.sub("-", " ".join(text.split())).strip(" .-")
    return clean or "Locality"


def return_file_name(locality: str, month: Month) -> str:
    """The suggested name of a monthly return: ``Return-<Locality>-<YYYY-MM>.xlsx``."""
    return f"Return-{safe_file_part(locality)}-{month}.xlsx"


def consolidated_file_name(months: Sequence[str]) -> str:
    """``Consolidated-<first month>-to-<last month>.xlsx`` over ``months`` (``YYYY-MM``)."""
    ordered = sorted(months)
    return f"Consolidated-{ordered[0]}-to-{ordered[-1]}.xlsx"


def format_measure(value: Any) -> str:
    """A Summary value as shown on screen: pounds with two decimals, percent with one, counts
    with thousands separators, "none" for an empty value (standards met without an assessment)."""
    if value is None or value == "":
        return "none"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def default_month(today: date) -> Month:
    """The month a return is usually for: last month (returns go after the month ends)."""
    return Month.of(today).previous()


@dataclass(frozen=True)
class FigureRow:
    label: str
    value: Any


@dataclass(frozen=True)
class ReturnFileRow:
    """One chosen file: what the core read from it, or why it is refused."""

    path: Path
    locality: str = ""
    month: str = ""
    prepared_by: str = ""
    problem: str = ""
    #: Why it is left out though sound: a return of its locality and month generated later.
    set_aside: str = ""
    #: What was read (``returns.ReturnData``), for the Trust view without reading it again.
    data: Any = field(default=None, compare=False, repr=False)

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def accepted(self) -> bool:
        return not self.problem and not self.set_aside

    @property
    def result(self) -> str:
        if self.problem:
            return f"Refused: {self.problem}"
        return f"Set aside: {self.set_aside}" if self.set_aside else "Ready"


def check_files(
    paths: Sequence[Path],
    *,
    progress: tasks.Progress | None = None,
    cancelled: tasks.Cancelled | None = None,
) -> list[ReturnFileRow]:
    """Check each file with the core's ``consolidate.check_each`` (the same checks and wording
    ``consolidate`` applies) and turn the results into table rows.

    Runs on the worker thread (``tasks``): no widgets. Raises ``ExportCancelled`` when
    ``cancelled()`` turns true between files.
    """
    from ...core.consolidate import check_each  # openpyxl: loaded when first needed

    rows: list[ReturnFileRow] = []

    def step() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled("Cancelled; the returns were not all checked.")
        if progress is not None and rows_done[0]:
            progress(rows_done[0], len(paths))
        rows_done[0] += 1

    rows_done = [0]
    for checked in check_each(paths, step=step):
        data = checked.data
        if data is None:
            rows.append(ReturnFileRow(checked.path, problem=checked.problem))
            continue
        prepared = data.fields.get("Prepared by")
        rows.append(
            ReturnFileRow(
                checked.path,
                data.locality,
                str(data.month),
                "" if prepared is None else str(prepared),
                checked.problem,
                checked.set_aside,
                data,
            )
        )
    if progress is not None:
        progress(len(paths), len(paths))
    return rows


def returns_in_folder(folder: Path) -> list[Path]:
    """The spreadsheets (``RETURN_SUFFIXES``) directly in ``folder``, by name; Excel's and
    LibreOffice's lock files (``~$...``, ``.~lock...``) and hidden files (our own temporary
    files start with a dot) are left out."""
    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.is_file()
            and p.suffix.lower() in RETURN_SUFFIXES
            and not p.name.startswith(("~$", ".", ".~lock"))
        ),
        key=lambda p: p.name.casefold(),
    )


# --- table models ---------------------------------------------------------------------------------


class FiguresModel(RowTableModel[FigureRow]):
    """The month's figures: Measure and Value, in the Summary's order (never re-sorted)."""

    columns = (
        Column[FigureRow]("Measure", lambda r: r.label),
        Column[FigureRow]("Value", lambda r: format_measure(r.value), align_right=True),
    )
    id_attr = "label"

    def sort(self, column: int, order: Any = None) -> None:  # the return's order is the point
        return


class ReturnFilesModel(RowTableModel[ReturnFileRow]):
    """The returns chosen for consolidation: accepted ones and refused ones with the reason."""

    columns = (
        Column[ReturnFileRow]("File", lambda r: r.file),
        Column[ReturnFileRow]("Locality", lambda r: r.locality),
        Column[ReturnFileRow]("Month", lambda r: r.month),
        Column[ReturnFileRow]("Prepared by", lambda r: r.prepared_by),
        Column[ReturnFileRow]("Check", lambda r: r.result),
    )
    id_attr = "path"

    def extra_data(self, item: ReturnFileRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 4:
            icon = (
                QStyle.StandardPixmap.SP_DialogApplyButton
                if item.accepted
                else QStyle.StandardPixmap.SP_MessageBoxInformation
                if item.set_aside
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and not item.accepted:
            return item.problem or item.set_aside
        return None


# --- the page -------------------------------------------------------------------------------------


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ReturnsPage(QWidget):
    """The monthly return and consolidation. ``refresh()`` reloads localities and figures."""

    exported = Signal(str)  #: the path of a return just written
    consolidated = Signal(str)  #: the path of a consolidated workbook just written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._last_saved: Path | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Returns")
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_return_tab(), "&Monthly return")
        self.tabs.addTab(self._build_consolidate_tab(), "&Consolidate (engagement group)")
        self.reach_panel = ReachPanel(ctx)  # issue #27: reach by equality monitoring group
        self.tabs.addTab(self.reach_panel, "Re&ach")
        self.trust_view = TrustView(ctx)
        self.tabs.addTab(self.trust_view, "Tr&ust view")
        if is_group_database(ctx.db):  # the group's database is for its Trust view
            self.tabs.setCurrentWidget(self.trust_view)

        for signal in (
            ctx.events.meetingsChanged,
            ctx.events.participantsChanged,
            ctx.events.actionsChanged,
            ctx.events.accreditationChanged,
        ):
            signal.connect(self._data_changed)
        ctx.events.settingsChanged.connect(self._data_changed)
        self.refresh()

    # --- building -------------------------------------------------------------------------

    def _save_row(
        self, text: str, name: str, status_description: str
    ) -> tuple[QHBoxLayout, QPushButton, QLabel, QPushButton]:
        """The button that writes a workbook, the sentence saying what happened, and "Open
        folder" (hidden until a file is saved). The sentence has a description, never a name:
        a label's name is read instead of its text ("Export result" for "Saved …")."""
        row = QHBoxLayout()
        button = QPushButton(text)
        widgets.say_more(button, name)
        row.addWidget(button)
        status = _note()
        status.setAccessibleDescription(status_description)
        row.addWidget(status, 1)
        open_folder = QPushButton("Open fol&der")
        widgets.say_more(open_folder, "Open the folder of the saved file")
        open_folder.clicked.connect(self.open_saved_folder)
        open_folder.hide()
        row.addWidget(open_folder)
        return row, button, status, open_folder

    def _build_return_tab(self) -> QWidget:
        """The journey's month end at 1366x768 with a taskbar (journey 12): the locality and
        month on one line, the figures (compact rows, every one shown) beside the privacy
        review (each part as tall as what it holds), and the export on the last line, which
        stays in view: the figures and the review scroll inside when the room runs out."""
        tab = QWidget()
        box = QVBoxLayout(tab)
        em = self.fontMetrics().horizontalAdvance("M")

        choose = QHBoxLayout()
        self.locality_combo = QComboBox()
        self.locality_combo.setAccessibleName("Locality")
        self.locality_combo.setMinimumWidth(em * 16)
        self.locality_combo.currentIndexChanged.connect(self._selection_changed)
        locality_label = QLabel("&Locality:")
        locality_label.setBuddy(self.locality_combo)
        choose.addWidget(locality_label)
        choose.addWidget(self.locality_combo)
        choose.addSpacing(em * 2)

        self.month_edit = QDateEdit()
        self.month_edit.setDisplayFormat("MMMM yyyy")
        self.month_edit.setAccessibleName("Month")
        self.month_edit.setToolTip("Up and Down change the month; Page Up and Down the year.")
        self.month_edit.setMinimumDate(QDate(2000, 1, 1))
        self.month_edit.setCurrentSection(QDateEdit.Section.MonthSection)
        self.month_edit.dateChanged.connect(self._selection_changed)
        self.previous_button = QPushButton("&Previous month")
        self.previous_button.setAccessibleName("Previous month")
        self.previous_button.clicked.connect(lambda: self.set_month(self.month().previous()))
        self.next_button = QPushButton("&Next month")
        self.next_button.setAccessibleName("Next month")
        self.next_button.clicked.connect(lambda: self.set_month(self.month().following()))
        month_label = QLabel("M&onth:")
        month_label.setBuddy(self.month_edit)
        for widget in (month_label, self.previous_button, self.month_edit, self.next_button):
            choose.addWidget(widget)
        choose.addStretch(1)
        box.addLayout(choose)
        box.addWidget(
            _note(
                "Check the month's figures and what the privacy review lists, then export the "
                "return for the engagement group: counts, themes and action text only, no "
                "one's name or contact details."
            )
        )

        self.figures_caption = _note()
        self.figures_caption.setAccessibleDescription("Figures caption")
        self.figures_model = FiguresModel(parent=self)
        self.figures_table = RecordTable("Figures of the month")
        self.figures_table.setModel(self.figures_model)
        self.figures_table.setSortingEnabled(False)
        self.figures_table.setAccessibleDescription(
            "The figures of the return's Summary sheet, in its order: measure and value."
        )
        # Compact rows (the page's tables are spaced for lists of records): all the Summary's
        # measures show at 1366x768 without scrolling.
        rows = self.figures_table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(1)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() + 5)
        # As wide as its measures and values (``_fit_figures``): a two-column table reads
        # better than values pushed to the far right.
        header = self.figures_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # gives way to a scroll bar
        box.addWidget(self.figures_caption)
        figures = QVBoxLayout()
        figures.addWidget(self.figures_table, 1)
        figures.addStretch(0)  # below the table when it is shorter than the room

        self.review_panel = PrivacyReviewPanel(self.ctx)
        self.review_panel.setAccessibleName("Privacy review of the return")
        side = QHBoxLayout()
        side.addLayout(figures, 0)
        side.addSpacing(em)
        side.addWidget(self.review_panel, 1)
        box.addLayout(side, 1)

        buttons, self.export_button, self.export_status, self.open_folder_button = self._save_row(
            "E&xport return…", "Export return", "Export result"
        )
        self.export_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton)
        )
        self.export_button.clicked.connect(self.export_return)
        box.addLayout(buttons)
        self.set_month(default_month(self.ctx.today()), refresh=False)
        return tab

    def _build_consolidate_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        box.addWidget(_heading("Consolidate returns (engagement group)"))
        box.addWidget(
            _note(
                "Choose the folder where the localities' returns are kept, or the files "
                "themselves. Each is checked; one that cannot be read is listed with the reason "
                "and left out. Then consolidate them into one workbook for the trust."
            )
        )
        choose = QHBoxLayout()
        self.choose_folder_button = QPushButton("Choose f&older…")
        widgets.say_more(self.choose_folder_button, "Choose a folder of returns")
        self.choose_folder_button.clicked.connect(self.choose_returns_folder)
        self.choose_files_button = QPushButton("Choose f&iles…")
        widgets.say_more(self.choose_files_button, "Choose return files")
        self.choose_files_button.clicked.connect(self.choose_return_files)
        self.clear_button = QPushButton("C&lear list")
        widgets.say_more(self.clear_button, "Clear the list of returns")
        self.clear_button.clicked.connect(lambda: self.set_return_files([]))
        for button in (self.choose_folder_button, self.choose_files_button, self.clear_button):
            choose.addWidget(button)
        choose.addStretch(1)
        box.addLayout(choose)

        self.files_caption = _note()
        self.files_caption.setAccessibleDescription("Returns found")
        box.addWidget(self.files_caption)
        self.files_model = ReturnFilesModel(parent=self)
        self.files_table = RecordTable("Returns to consolidate")
        self.files_table.setModel(self.files_model)
        self.files_table.setWordWrap(True)
        box.addWidget(self.files_table, 1)

        buttons, self.consolidate_button, self.consolidate_status, self.open_consolidated_button = (
            self._save_row("Con&solidate…", "Consolidate the returns", "Consolidation result")
        )
        self.consolidate_button.clicked.connect(self.consolidate_returns)
        box.addLayout(buttons)
        self.set_return_files([])
        return tab

    # --- page contract --------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the localities (keeping the choice) and the month's figures."""
        self._stale = False
        rows = meetings.list_localities(self.ctx.db)
        rows.sort(key=lambda r: (not r.coordinated, not r.active, r.name.casefold()))
        items = [(r.name if r.active else f"{r.name} (inactive)", (r.id, r.name)) for r in rows]
        fill_combo(self.locality_combo, items)
        self.locality_combo.setEnabled(bool(items))
        self._show_figures()

    def _data_changed(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # --- monthly return -------------------------------------------------------------------

    def month(self) -> Month:
        chosen = self.month_edit.date()
        return Month(chosen.year(), chosen.month())

    def set_month(self, month: Month, *, refresh: bool = True) -> None:
        self.month_edit.blockSignals(True)
        self.month_edit.setDate(QDate(month.year, month.month, 1))
        self.month_edit.blockSignals(False)
        if refresh:
            self._show_figures()

    def locality(self) -> tuple[uuid.UUID, str] | None:
        """The chosen locality's id and name, or None when there is none."""
        data = self.locality_combo.currentData()
        return data if isinstance(data, tuple) else None

    def select_locality(self, locality_id: uuid.UUID) -> None:
        for index in range(self.locality_combo.count()):
            data = self.locality_combo.itemData(index)
            if isinstance(data, tuple) and data[0] == locality_id:
                self.locality_combo.setCurrentIndex(index)
                return

    def figure_rows(self) -> list[tuple[str, Any]]:
        """What the figures table shows, as ``(label, value)``."""
        return [(r.label, r.value) for r in self.figures_model.rows()]

    def _selection_changed(self, *_args: object) -> None:
        self._show_figures()
        self.export_status.clear()
        self.open_folder_button.hide()

    def _show_figures(self) -> None:
        chosen = self.locality()
        month = self.month()
        if chosen is None:
            self.figures_model.set_rows([])
            self._fit_figures()
            self.figures_caption.setText(
                "No localities are set up yet: add one in Settings to prepare a return."
            )
            self.export_button.setEnabled(False)
            self.review_panel.set_source(None)
            return
        locality_id, name = chosen
        with self.ctx.db.session() as session:
            figures = month_figures(session, locality_id, month)
        self.figures_model.set_rows([FigureRow(label, value) for label, value in figures.rows()])
        self._fit_figures()
        when = f"{month.first:%B %Y}"
        note = ""
        if month.next_first > self.ctx.today():
            note = " The month has not ended yet, so these figures may still change."
        self.figures_caption.setText(
            f"The figures of the {when} return for {name}, as on its Summary sheet.{note}"
        )
        self.export_button.setEnabled(True)
        db = self.ctx.db
        self.review_panel.set_source(lambda: review_return(db, locality=name, month=month))

    def _fit_figures(self) -> None:
        """Size the figures table to what it shows: its columns to the longest measure and value,
        its width to them, its height to its rows (the spare height stays below it). Should the
        room run out, the table scrolls and the measures give way to the scroll bar."""
        table, model = self.figures_table, self.figures_model
        table.ensurePolished()  # the style's fonts and header size, before it is first shown
        table.horizontalHeader().ensurePolished()
        metrics = table.fontMetrics()
        pad = 2 * metrics.horizontalAdvance("M")
        # The widest accreditation result as a floor: the table does not change width with
        # each month's values.
        texts = [[str(model.headerData(c, Qt.Orientation.Horizontal))] for c in range(2)]
        texts[1].append(AccreditationResult.NOT_ACCREDITED.value)
        for row in range(model.rowCount()):
            for column in range(2):
                texts[column].append(str(model.index(row, column).data()))
        header = table.horizontalHeader()
        widths = [max(map(metrics.horizontalAdvance, column)) + pad for column in texts]
        header.resizeSection(1, widths[1])
        frame = 2 * table.frameWidth()
        table.setFixedWidth(sum(widths) + frame)
        rows = table.verticalHeader().defaultSectionSize() * model.rowCount()
        table.setMaximumHeight(header.sizeHint().height() + rows + frame)

    def export_return(self) -> Path | None:
        """Ask where to save, write the return in the background; the path written, or None."""
        chosen = self.locality()
        if chosen is None:
            return None
        _locality_id, name = chosen
        month = self.month()
        store = settings()
        folder = str(store.value(KEY_SAVE_FOLDER, "") or "") or str(Path.home())
        suggested = str(Path(folder) / return_file_name(name, month))
        answer = choose_save_path(self, "Save the monthly return", suggested)
        if not answer:
            return None
        target = Path(answer)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        store.setValue(KEY_SAVE_FOLDER, str(target.parent))
        db = self.ctx.db

        def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> Path:
            from ...core.returns import export_return

            return export_return(
                db,
                locality=name,
                month=month,
                target=target,
                app_version=__version__,
                progress=progress,
                cancelled=cancelled,
            )

        written = tasks.run_with_progress(
            self, "Export return", f"Writing the {month} return for {name}…", work
        )
        if written is None:
            self.export_status.setText(f"The {month} return for {name} was not saved.")
            self.open_folder_button.hide()
            return None
        written = Path(written)
        self._last_saved = written
        self.export_status.setText(f"Saved {written.name} in {written.parent}.")
        self.open_folder_button.show()
        self.exported.emit(str(written))
        return written

    def open_saved_folder(self) -> None:
        if self._last_saved is not None:
            open_folder(self._last_saved.parent)

    # --- consolidation --------------------------------------------------------------------

    def _returns_start(self) -> str:
        return str(files.last_folder(files.RETURN))

    def choose_returns_folder(self) -> None:
        folder = choose_folder(self, "Choose the folder of returns", self._returns_start())
        if not folder:
            return
        paths = returns_in_folder(Path(folder))
        if not paths:
            self.set_return_files([])
            self.files_caption.setText(
                f"There are no spreadsheets (Excel .xlsx, .xlsm, .xls or LibreOffice .ods) in "
                f"{folder}."
            )
            return
        self.load_return_files(paths)

    def choose_return_files(self) -> None:
        paths = choose_files(self, "Choose the returns", self._returns_start())
        if not paths:
            return
        self.load_return_files([Path(p) for p in paths])

    def load_return_files(self, paths: Sequence[Path]) -> None:
        """Check ``paths`` in the background (reading many returns takes a few seconds)."""
        chosen = list(paths)

        def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> list[ReturnFileRow]:
            return check_files(chosen, progress=progress, cancelled=cancelled)

        rows = tasks.run_with_progress(self, "Check returns", "Checking the returns…", work)
        if rows is not None:
            self.set_return_files(rows)

    def set_return_files(self, rows: Sequence[ReturnFileRow]) -> None:
        # Refused returns first (in their order), so the ones to chase are seen without
        # scrolling past the ready ones.
        rows = sorted(rows, key=lambda r: (r.accepted, not r.problem))
        self.files_model.set_rows(rows)
        self.files_table.resizeColumnsToContents()
        accepted = [r for r in rows if r.accepted]
        refused = sum(1 for r in rows if r.problem)
        set_aside = sum(1 for r in rows if r.set_aside and not r.problem)
        if not rows:
            self.files_caption.setText("No returns chosen yet.")
        else:
            text = f"{len(accepted)} return{'s' if len(accepted) != 1 else ''} ready"
            if refused:
                text += f"; {refused} refused, listed first (the reason is in the Check column)"
            if set_aside:
                text += (
                    f"; {set_aside} set aside for a return of the same locality and month "
                    "generated later"
                )
            self.files_caption.setText(text + ".")
        self.consolidate_button.setEnabled(bool(accepted))
        self.clear_button.setEnabled(bool(rows))
        self.consolidate_status.clear()
        self.open_consolidated_button.hide()

    def return_file_rows(self) -> list[ReturnFileRow]:
        return self.files_model.rows()

    def consolidate_returns(self) -> ConsolidationSummary | None:
        """Write the consolidated workbook of the accepted returns; its summary, or None."""
        rows = self.files_model.rows()
        accepted = [r for r in rows if r.accepted]
        if not accepted:
            return None
        refused = [r for r in rows if r.problem]
        if refused and not widgets.confirm(
            self,
            "Consolidate returns",
            f"{len(refused)} of the files cannot be consolidated and will be left out "
            f"({', '.join(r.file for r in refused)}). Consolidate the {len(accepted)} "
            "returns that are ready?",
            yes="Consolidate",
        ):
            return None
        store = settings()
        folder = str(store.value(KEY_SAVE_FOLDER, "") or "") or str(accepted[0].path.parent)
        suggested = str(Path(folder) / consolidated_file_name([r.month for r in accepted]))
        answer = choose_save_path(self, "Save the consolidated workbook", suggested)
        if not answer:
            return None
        target = Path(answer)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        store.setValue(KEY_SAVE_FOLDER, str(target.parent))
        paths = [r.path for r in accepted]

        def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> ConsolidationSummary:
            from ...core.consolidate import consolidate

            return consolidate(paths, target, progress=progress, cancelled=cancelled)

        summary = tasks.run_with_progress(
            self,
            "Consolidate returns",
            f"Consolidating {len(paths)} return{'s' if len(paths) != 1 else ''}…",
            work,
        )
        if summary is None:
            self.consolidate_status.setText("The consolidated workbook was not saved.")
            self.open_consolidated_button.hide()
            return None
        self._last_saved = summary.target
        localities = len(summary.localities)
        self.consolidate_status.setText(
            f"Saved {summary.target.name} in {summary.target.parent}: {summary.returns} "
            f"return{'s' if summary.returns != 1 else ''} from {localities} "
            f"localit{'ies' if localities != 1 else 'y'}."
        )
        self.trust_view.keep_returns([r.data for r in accepted if r.data is not None])
        self.consolidate_status.setText(
            self.consolidate_status.text()
            + " The Trust view tab shows the trust's picture. "
            + self.trust_view.kept_status.text()
        )
        self.open_consolidated_button.show()
        self.consolidated.emit(str(summary.target))
        return summary
