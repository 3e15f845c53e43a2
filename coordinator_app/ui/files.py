"""The one file chooser: every open, save and folder question the app asks goes through here.

- **Where it starts**: in the folder last used for that kind of file (remembered in QSettings per
  kind), else the user's Documents; never the folder the program was started from.
- **The suffix**: a save adds the kind's suffix when the name has none ("summary" becomes
  "summary.pdf").
- **What it offers**: the formats the app reads for that kind, then "All files": to open, every
  spreadsheet the app reads (Excel's .xlsx, .xlsm and .xls, LibreOffice's .ods, and .csv where
  one sheet will do); to save, the one format it writes.
- **What it saves**: nothing itself. The caller writes through ``core.files.atomic_write`` (never
  half-written); ``offer_to_open`` then offers to open what was saved.
- **It never opens the database's files.** On Linux and macOS SQLite's locks are POSIX locks,
  which the process loses when any descriptor on the file is closed, and Qt's file dialog opens
  the files of the folder it shows to sniff their type (``QAbstractFileIconProvider.type``).
  So the dialog here is Qt's own with an icon provider that names types by suffix alone, and
  shows the database's folder without touching a file in it (``tests/ui/test_files.py`` reads
  ``/proc/locks``). On Windows, where locks belong to the handle, it is the native dialog.
  (The app's own lock, ``core.lock``, is a ``flock`` that no other descriptor can release, so
  even a dialog that opened the database could not let a command write under the window.)

Tests patch ``ask_open``, ``ask_open_many``, ``ask_save`` and ``ask_folder`` (never a real
dialog), or the small per-page functions that call them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileInfo, QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

from . import focus
from .questions import ask_choice


@dataclass(frozen=True)
class FileKind:
    """A kind of file the app opens or saves. ``key`` names its remembered folder."""

    key: str
    #: Name filters offered, the first being the kind's own (Qt's "Label (*.a *.b)" form).
    filters: tuple[str, ...]
    #: Added to a saved name that has no suffix ("" for none).
    suffix: str = ""
    #: Name filters offered when opening, when they differ from ``filters`` (which saving
    #: offers: a return is read from .ods too but always written as .xlsx).
    open_filters: tuple[str, ...] = ()

    def filters_to_open(self) -> tuple[str, ...]:
        return self.open_filters or self.filters


ALL_FILES = "All files (*)"
XLSX = "Excel workbook (*.xlsx *.xlsm)"
#: What opening a spreadsheet offers: everything ``core.xlsx.open_workbook`` reads.
SPREADSHEETS = "Spreadsheet, Excel or LibreOffice (*.xlsx *.xlsm *.xls *.ods)"
EXCEL = "Excel workbook (*.xlsx *.xlsm *.xls)"
ODS = "LibreOffice spreadsheet (*.ods)"
CSV = "CSV text, one sheet (*.csv)"
WORKBOOK = FileKind("workbook", (XLSX, ALL_FILES), ".xlsx")
RETURN = FileKind("returns", (XLSX, ALL_FILES), ".xlsx", (SPREADSHEETS, EXCEL, ODS, ALL_FILES))
IMPORT = FileKind(
    "import",
    (XLSX, ALL_FILES),
    ".xlsx",
    (
        "Spreadsheet, Excel or LibreOffice (*.xlsx *.xlsm *.xls *.ods *.csv)",
        EXCEL,
        ODS,
        CSV,
        ALL_FILES,
    ),
)
STANDARDS = FileKind("standards", (XLSX, ALL_FILES), ".xlsx", (SPREADSHEETS, EXCEL, ODS, ALL_FILES))
PDF = FileKind("pdf", ("PDF document (*.pdf)", ALL_FILES), ".pdf")
BACKUP = FileKind("backup", ("Involvement Coordinator backup (*.db)", ALL_FILES), ".db")
EVIDENCE = FileKind("evidence", (ALL_FILES,))
#: A receipt for a payment's expenses (``core.payments.receipts.RECEIPT_SUFFIXES``).
RECEIPT = FileKind(
    "receipts",
    (
        "Receipt, a PDF or a picture "
        "(*.pdf *.jpg *.jpeg *.png *.heic *.heif *.gif *.bmp *.tif *.tiff *.webp)",
        ALL_FILES,
    ),
)
LOGO = FileKind("logo", ("Picture (*.png *.jpg *.jpeg *.gif *.bmp)", ALL_FILES))
DRAFTS = FileKind("drafts", ())
CALENDAR = FileKind("calendar", ("Calendar invitation (*.ics)", ALL_FILES), ".ics")

SETTINGS_PREFIX = "files/last_folder/"


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def last_folder(kind: FileKind) -> Path:
    """Where a question about ``kind`` starts: its last folder if it still exists, else
    Documents."""
    value = QSettings().value(SETTINGS_PREFIX + kind.key, "")
    folder = Path(str(value)) if value else None
    if folder is not None and folder.is_dir():
        return folder
    return documents_folder()


def remember(kind: FileKind, path: Path) -> None:
    folder = path if path.is_dir() else path.parent
    QSettings().setValue(SETTINGS_PREFIX + kind.key, str(folder))


def with_suffix(path: Path, kind: FileKind) -> Path:
    """``path`` with the kind's suffix added when it has no suffix of the kind's filters."""
    if not kind.suffix:
        return path
    accepted = {kind.suffix.lower()}
    for pattern in kind.filters[0].split("(", 1)[-1].rstrip(")").split():
        if pattern.startswith("*."):
            accepted.add(pattern[1:].lower())
    if path.suffix.lower() in accepted:
        return path
    return path.with_name(path.name + kind.suffix)


class _TypeByName(QFileIconProvider):
    """Describes a file by its suffix alone: the default provider opens each file the dialog
    lists to sniff its type, which drops the app's SQLite locks (module docstring)."""

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


def _dialog(
    parent: QWidget | None, title: str, start: Path, kind: FileKind, mode: QFileDialog.FileMode
) -> QFileDialog:
    focus.use_ring_style()
    dialog = QFileDialog(parent, title, str(start))
    dialog.setFileMode(mode)
    opening = mode in (QFileDialog.FileMode.ExistingFile, QFileDialog.FileMode.ExistingFiles)
    filters = kind.filters_to_open() if opening else kind.filters
    if filters and mode != QFileDialog.FileMode.Directory:
        dialog.setNameFilters(list(filters))
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(_TypeByName())
    return dialog


def _run(dialog: QFileDialog) -> list[Path]:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    return [Path(name) for name in dialog.selectedFiles()]


def ask_open(parent: QWidget | None, kind: FileKind, title: str) -> Path | None:
    """Ask for one existing file of ``kind``; None when cancelled."""
    chosen = _run(
        _dialog(parent, title, last_folder(kind), kind, QFileDialog.FileMode.ExistingFile)
    )
    if not chosen:
        return None
    remember(kind, chosen[0])
    return chosen[0]


def ask_open_many(parent: QWidget | None, kind: FileKind, title: str) -> list[Path]:
    """Ask for one or more existing files of ``kind``; [] when cancelled."""
    chosen = _run(
        _dialog(parent, title, last_folder(kind), kind, QFileDialog.FileMode.ExistingFiles)
    )
    if chosen:
        remember(kind, chosen[0])
    return chosen


def ask_save(
    parent: QWidget | None,
    kind: FileKind,
    title: str,
    suggested: str | Path,
) -> Path | None:
    """Ask where to save a file of ``kind``; None when cancelled. ``suggested`` is a name (put in
    the kind's last folder) or a full path. The answer carries the kind's suffix."""
    suggested = Path(suggested)
    start = suggested if suggested.is_absolute() else last_folder(kind) / suggested
    dialog = _dialog(parent, title, start.parent, kind, QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(start.name)
    if kind.suffix:
        dialog.setDefaultSuffix(kind.suffix.lstrip("."))
    chosen = _run(dialog)
    if not chosen:
        return None
    path = with_suffix(chosen[0], kind)
    remember(kind, path)
    return path


def ask_folder(
    parent: QWidget | None, kind: FileKind, title: str, start: Path | None = None
) -> Path | None:
    """Ask for a folder; None when cancelled. Starts at ``start`` or the kind's last folder."""
    begin = start if start is not None and start.is_dir() else last_folder(kind)
    chosen = _run(_dialog(parent, title, begin, kind, QFileDialog.FileMode.Directory))
    if not chosen:
        return None
    remember(kind, chosen[0])
    return chosen[0]


def open_in_system(path: Path) -> bool:
    """Open ``path`` (a file in its program, a folder in the file manager); False if nothing
    took it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.fspath(path)))


def offer_to_open(parent: QWidget | None, path: Path, what: str, detail: str = "") -> bool:
    """Say "Saved <what> as <path>. <detail>" and offer to open it now. True when the user
    chose to open it (and it opened). Tests patch this (``tests/ui/conftest.py`` records every
    offer)."""
    extra = f" {detail}" if detail else ""
    choices = ["&Open it", "&Close"]
    return ask_choice(
        parent, "Saved", f"Saved {what} as {path}.{extra}\n\nOpen it now?", choices
    ) == 0 and open_in_system(path)
