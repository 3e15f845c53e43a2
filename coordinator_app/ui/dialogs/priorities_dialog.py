"""Edit > Strategic priorities…: the trust names, orders and retires its own priorities.

Each button is one core call and one commit (``actions.create_priority``, ``rename_priority``,
``move_priority``, ``retire_priority``); there is nothing to "Save". A retired priority stays on
the actions that carry it (they still show its name) but is no longer offered for new ones.
Announces every change on ``ctx.events.settingsChanged``.

Two instances on one database: each row keeps the version it was listed with (``ROLE_VERSION``)
and rename, move and retire pass it. When someone else changed that priority first the core
refuses (``ConflictError``) and the dialog asks (``widgets.ask_conflict``): Reload lists the
priorities as saved (the name typed in the box stays there, so Rename can be pressed again
once their change has been seen); Keep editing leaves the list as it was, saves nothing, and
says so under the name box.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import actions
from ...core.errors import ConflictError
from .. import widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import Op
from ..operations import settings as settings_ops
from .buttons import letter_buttons

ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_RETIRED = Qt.ItemDataRole.UserRole + 2
ROLE_VERSION = Qt.ItemDataRole.UserRole + 3  #: the priority's version when listed


class PrioritiesDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Strategic priorities")
        self.setAccessibleName("Strategic priorities")
        self.errors = widgets.FormErrors()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Name your trust's own strategic priorities, in the order you report them. A retired "
            "priority stays on the actions that already have it but is not offered for new ones."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Strategic priorities, in order")
        body.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        self.retire_button = QPushButton("&Retire")
        self.retire_button.setAccessibleName("Retire or restore the selected priority")
        for button in (self.up_button, self.down_button, self.retire_button):
            side.addWidget(button)
        side.addStretch(1)
        body.addLayout(side)
        layout.addLayout(body, 1)

        grid = QGridLayout()
        label = QLabel("&Name:")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Priority name")
        label.setBuddy(self.name_edit)
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add a priority with this name")
        self.rename_button = QPushButton("Rena&me")
        self.rename_button.setAccessibleName("Rename the selected priority to this name")
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.name_edit, 0, 1)
        grid.addWidget(self.add_button, 0, 2)
        grid.addWidget(self.rename_button, 0, 3)
        self.name_error = widgets.FormErrors.error_label()
        grid.addWidget(self.name_error, 1, 1, 1, 3)
        self.errors.register("name", self.name_edit, self.name_error)
        layout.addLayout(grid)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.up_button.clicked.connect(lambda: self.move_priority(-1))
        self.down_button.clicked.connect(lambda: self.move_priority(1))
        self.retire_button.clicked.connect(self.toggle_retired)
        self.list.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.name_edit.returnPressed.connect(self.add)
        self.reload()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, parent)
        dialog.exec()
        dialog.deleteLater()

    # --- state --------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        current = select or self.selected_id()
        self.list.clear()
        for p in actions.list_priorities(self.ctx.db, include_retired=True):
            item = QListWidgetItem(f"{p.name} (retired)" if p.retired else p.name)
            item.setData(ROLE_ID, str(p.id))
            item.setData(ROLE_RETIRED, p.retired)
            item.setData(ROLE_VERSION, p.version)
            if p.retired:
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
            self.list.addItem(item)
            if current is not None and p.id == current:
                self.list.setCurrentItem(item)
        self._selection_changed()

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def selected_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return uuid.UUID(item.data(ROLE_ID)) if item is not None else None

    def selected_version(self) -> int | None:
        """The selected priority's version as listed (what its changes are checked against)."""
        item = self.list.currentItem()
        return int(item.data(ROLE_VERSION)) if item is not None else None

    def select_name(self, name: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).text().removesuffix(" (retired)") == name:
                self.list.setCurrentRow(i)
                return

    def _selection_changed(self) -> None:
        item = self.list.currentItem()
        has = item is not None
        for button in (self.up_button, self.down_button, self.retire_button, self.rename_button):
            button.setEnabled(has)
        if has:
            self.retire_button.setText("&Restore" if item.data(ROLE_RETIRED) else "&Retire")

    # --- one commit each ----------------------------------------------------------------

    def _do(self, op: Op[Any], select: uuid.UUID | None = None) -> bool:
        """Run one write (``ui.operations.settings``): its problem shows under the name box, a
        conflict asks Reload / Keep editing; done, the list is read again."""
        self.errors.clear()
        outcome = (
            op.validation(lambda exc: self.errors.show(exc.problems, fallback="name"))
            .conflict(lambda exc: self._conflict(exc, select))
            .failure(lambda exc: self.errors.show({"name": str(exc)}))
            .wait()
        )
        if outcome.ok:
            result = outcome.value
            self.reload(select or (result if isinstance(result, uuid.UUID) else None))
        return outcome.ok

    def _conflict(self, exc: ConflictError, select: uuid.UUID | None) -> None:
        """Someone else changed the priority first; nothing was saved. Reload lists the saved
        priorities (the typed name stays in its box); Keep editing leaves the list as shown."""
        if not widgets.ask_conflict(self, str(exc)):
            self.errors.show({"name": f"Not saved: {exc}"})
            return
        self.reload(select)
        self.errors.show(
            {"name": "Reloaded: this is the list as saved, with their changes; nothing was saved."}
        )

    def add(self) -> bool:
        name = self.name_edit.text()
        if self._do(settings_ops.create_priority(self, self.ctx, name)):
            self.name_edit.clear()
            return True
        return False

    def rename(self) -> bool:
        priority_id = self.selected_id()
        if priority_id is None:
            return False
        name, version = self.name_edit.text(), self.selected_version()
        if self._do(
            settings_ops.rename_priority(
                self, self.ctx, priority_id, name, expected_version=version
            ),
            priority_id,
        ):
            self.name_edit.clear()
            return True
        return False

    def move_priority(self, delta: int) -> bool:
        priority_id = self.selected_id()
        if priority_id is None:
            return False
        version = self.selected_version()
        return self._do(
            settings_ops.move_priority(
                self, self.ctx, priority_id, delta, expected_version=version
            ),
            priority_id,
        )

    def toggle_retired(self) -> bool:
        item = self.list.currentItem()
        priority_id = self.selected_id()
        if item is None or priority_id is None:
            return False
        retired = not bool(item.data(ROLE_RETIRED))
        version = self.selected_version()
        return self._do(
            settings_ops.retire_priority(
                self, self.ctx, priority_id, retired, expected_version=version
            ),
            priority_id,
        )
