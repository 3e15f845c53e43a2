"""Edit > Organisation…: the trust's details, the localities and their forums, from the app.

Three tabs, each doing one thing at a time by keyboard:

- **Trust**: the trust's name and the coordinator's name (what the welcome asked).
- **Localities**: add, rename, mark as yours (the ones you coordinate), retire and restore.
- **Forums**: for a locality, add a forum or change one (name, kind, usual venue and format),
  retire and restore.

Every button is one write through ``ui.operations.organisation``; a refused value is shown
under its box and nothing changes. Retiring keeps every meeting and paper: a retired locality
or forum is only left out of new work, and reads "(retired)" here.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import meetings
from ...core.errors import ValidationError
from ...core.meetings import ForumRow
from ...core.rows import LocalityRow, list_localities
from ...core.settings import get_settings
from ...core.vocab import ForumKind, MeetingFormat
from .. import widgets
from ..context import AppContext
from ..operations import Op
from ..operations import organisation as org_ops
from .record_dialog import hint_label

ROLE_ID = Qt.ItemDataRole.UserRole


def _locality_text(row: LocalityRow) -> str:
    notes = []
    if row.coordinated:
        notes.append("yours")
    if not row.active:
        notes.append("retired")
    return row.name + (f" ({', '.join(notes)})" if notes else "")


def _forum_text(row: ForumRow) -> str:
    return f"{row.name} ({row.kind.label})" + ("" if row.active else " (retired)")


class OrganisationDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, tab: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Organisation")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_trust(), "Tr&ust")
        self.tabs.addTab(self._build_localities(), "&Localities")
        self.tabs.addTab(self._build_forums(), "F&orums")
        layout.addWidget(self.tabs)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.reload()
        self.tabs.setCurrentIndex(tab)

    # --- building --------------------------------------------------------------------------

    def _build_trust(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.trust_errors = widgets.FormErrors()
        self.trust_name = self.trust_errors.add_row(form, "The &trust:", "trust_name", QLineEdit())
        self.coordinator_name = self.trust_errors.add_row(
            form, "&Your name:", "coordinator_name", QLineEdit()
        )
        self.save_trust_button = QPushButton("&Save the trust's details")
        self.save_trust_button.clicked.connect(self.save_trust)
        form.addRow("", self.save_trust_button)
        self.trust_status = QLabel()
        form.addRow("", self.trust_status)
        return page

    def _build_localities(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(
            hint_label(
                "Your localities are the ones you coordinate: Home and the lists start with them. "
                "Retiring a locality keeps all its meetings and returns; it is only left out of "
                "new work."
            )
        )
        self.locality_list = QListWidget()
        self.locality_list.setAccessibleName("Localities")
        self.locality_list.currentItemChanged.connect(self._locality_chosen)
        box.addWidget(self.locality_list, 1)
        form = QFormLayout()
        self.locality_errors = widgets.FormErrors()
        self.locality_name = self.locality_errors.add_row(form, "&Name:", "name", QLineEdit())
        self.locality_name.setPlaceholderText("e.g. South Warwickshire")
        box.addLayout(form)
        row = QHBoxLayout()
        self.add_locality_button = QPushButton("&Add as a new locality")
        self.rename_locality_button = QPushButton("&Rename")
        self.yours_button = QPushButton("&Mark as yours")
        self.retire_locality_button = QPushButton("Re&tire")
        for button in (
            self.add_locality_button,
            self.rename_locality_button,
            self.yours_button,
            self.retire_locality_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.add_locality_button.clicked.connect(self.add_locality)
        self.rename_locality_button.clicked.connect(self.rename_locality)
        self.yours_button.clicked.connect(self.toggle_yours)
        self.retire_locality_button.clicked.connect(self.toggle_locality_retired)
        self.locality_name.returnPressed.connect(self.add_locality)
        return page

    def _build_forums(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        top = QFormLayout()
        self.forum_locality = QComboBox()
        self.forum_locality.setAccessibleName("Locality of the forums")
        self.forum_locality.currentIndexChanged.connect(lambda _i: self._fill_forums())
        label = QLabel("Lo&cality:")
        label.setBuddy(self.forum_locality)
        top.addRow(label, self.forum_locality)
        box.addLayout(top)
        self.forum_list = QListWidget()
        self.forum_list.setAccessibleName("Forums of the locality")
        self.forum_list.currentItemChanged.connect(self._forum_chosen)
        box.addWidget(self.forum_list, 1)
        form = QFormLayout()
        self.forum_errors = widgets.FormErrors()
        self.forum_name = self.forum_errors.add_row(form, "&Name:", "name", QLineEdit())
        self.forum_name.setPlaceholderText("e.g. Rugby Locality Forum")
        self.forum_kind = self.forum_errors.add_row(form, "&Kind:", "kind", QComboBox())
        widgets.fill_combo(self.forum_kind, [(k.label, k) for k in ForumKind])
        self.forum_venue = self.forum_errors.add_row(
            form, "Usual &venue:", "default_venue", QLineEdit()
        )
        self.forum_format = self.forum_errors.add_row(
            form, "Usual &format:", "default_format", QComboBox()
        )
        widgets.fill_combo(self.forum_format, [(f.label, f) for f in MeetingFormat])
        box.addLayout(form)
        row = QHBoxLayout()
        self.add_forum_button = QPushButton("&Add as a new forum")
        self.save_forum_button = QPushButton("&Save changes")
        self.retire_forum_button = QPushButton("Re&tire")
        for button in (self.add_forum_button, self.save_forum_button, self.retire_forum_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.add_forum_button.clicked.connect(self.add_forum)
        self.save_forum_button.clicked.connect(self.save_forum)
        self.retire_forum_button.clicked.connect(self.toggle_forum_retired)
        return page

    # --- reading ---------------------------------------------------------------------------

    def reload(self, *, locality: uuid.UUID | None = None, forum: uuid.UUID | None = None) -> None:
        settings = get_settings(self.ctx.db)
        self.trust_name.setText(settings.trust_name)
        self.coordinator_name.setText(settings.coordinator_name)
        self.localities = list_localities(self.ctx.db)
        keep = locality or self.current_locality()
        self.locality_list.clear()
        for row in self.localities:
            item = QListWidgetItem(_locality_text(row))
            item.setData(ROLE_ID, row.id)
            self.locality_list.addItem(item)
            if row.id == keep:
                self.locality_list.setCurrentItem(item)
        shown = self.forum_locality.currentData()
        self.forum_locality.blockSignals(True)
        widgets.fill_combo(
            self.forum_locality, [(_locality_text(r), r.id) for r in self.localities]
        )
        widgets.select_data(self.forum_locality, locality or shown)
        self.forum_locality.blockSignals(False)
        self._fill_forums(forum)
        self._locality_chosen()

    def current_locality(self) -> uuid.UUID | None:
        item = self.locality_list.currentItem()
        return item.data(ROLE_ID) if item is not None else None

    def _locality_row(self) -> LocalityRow | None:
        chosen = self.current_locality()
        return next((r for r in self.localities if r.id == chosen), None)

    def _locality_chosen(self, *_args: Any) -> None:
        row = self._locality_row()
        for button in (self.rename_locality_button, self.yours_button, self.retire_locality_button):
            button.setEnabled(row is not None)
        if row is None:
            return
        self.locality_name.setText(row.name)
        self.yours_button.setText("Not &mine" if row.coordinated else "&Mark as yours")
        self.retire_locality_button.setText("Res&tore" if not row.active else "Re&tire")

    def _fill_forums(self, select: uuid.UUID | None = None) -> None:
        locality = self.forum_locality.currentData()
        self.forums = (
            meetings.list_forums(self.ctx.db, locality, include_inactive=True) if locality else []
        )
        keep = select or self.current_forum()
        self.forum_list.clear()
        for row in self.forums:
            item = QListWidgetItem(_forum_text(row))
            item.setData(ROLE_ID, row.id)
            self.forum_list.addItem(item)
            if row.id == keep:
                self.forum_list.setCurrentItem(item)
        self.add_forum_button.setEnabled(locality is not None)
        self._forum_chosen()

    def current_forum(self) -> uuid.UUID | None:
        item = self.forum_list.currentItem()
        return item.data(ROLE_ID) if item is not None else None

    def _forum_row(self) -> ForumRow | None:
        chosen = self.current_forum()
        return next((r for r in self.forums if r.id == chosen), None)

    def _forum_chosen(self, *_args: Any) -> None:
        row = self._forum_row()
        self.save_forum_button.setEnabled(row is not None)
        self.retire_forum_button.setEnabled(row is not None)
        if row is None:
            return
        self.forum_name.setText(row.name)
        widgets.select_data(self.forum_kind, row.kind)
        self.forum_venue.setText(row.default_venue)
        widgets.select_data(self.forum_format, row.default_format)
        self.retire_forum_button.setText("Res&tore" if not row.active else "Re&tire")

    # --- writing -----------------------------------------------------------------------------

    def _do(self, op: Op[Any], errors: widgets.FormErrors, fallback: str = "name") -> Any:
        errors.clear()

        def show(exc: ValidationError) -> None:
            errors.show(exc.problems, fallback=fallback)

        outcome = op.validation(show).wait()
        return outcome.value if outcome.ok else None

    def save_trust(self) -> bool:
        op = org_ops.save_trust(
            self,
            self.ctx,
            trust_name=self.trust_name.text(),
            coordinator_name=self.coordinator_name.text(),
        )
        if self._do(op, self.trust_errors, "trust_name") is None:
            return False
        self.trust_status.setText("Saved.")
        return True

    def add_locality(self) -> uuid.UUID | None:
        added = self._do(
            org_ops.add_locality(self, self.ctx, self.locality_name.text()), self.locality_errors
        )
        if added is not None:
            self.reload(locality=added)
        return added

    def rename_locality(self) -> bool:
        row = self._locality_row()
        if row is None:
            return False
        op = org_ops.rename_locality(self, self.ctx, row.id, self.locality_name.text())
        if not op.validation(lambda e: self.locality_errors.show(e.problems)).wait().ok:
            return False
        self.reload(locality=row.id)
        return True

    def toggle_yours(self) -> None:
        row = self._locality_row()
        if (
            row is not None
            and org_ops.set_locality_coordinated(self, self.ctx, row.id, not row.coordinated)
            .wait()
            .ok
        ):
            self.reload(locality=row.id)

    def toggle_locality_retired(self) -> None:
        row = self._locality_row()
        if row is None:
            return
        if row.active and not widgets.confirm(
            self,
            "Retire the locality?",
            f"Retire {row.name}? Its meetings, actions and returns are kept; its forums are no "
            "longer offered for new meetings. You can restore it at any time.",
            yes="Retire",
        ):
            return
        if org_ops.set_locality_active(self, self.ctx, row.id, not row.active).wait().ok:
            self.reload(locality=row.id)

    def _forum_values(self) -> dict[str, Any]:
        return {
            "name": self.forum_name.text(),
            "kind": self.forum_kind.currentData(),
            "default_venue": self.forum_venue.text(),
            "default_format": self.forum_format.currentData(),
        }

    def add_forum(self) -> uuid.UUID | None:
        locality = self.forum_locality.currentData()
        if locality is None:
            return None
        op = org_ops.add_forum(self, self.ctx, locality_id=locality, **self._forum_values())
        added = self._do(op, self.forum_errors)
        if added is not None:
            self.reload(locality=locality, forum=added)
        return added

    def save_forum(self) -> bool:
        row = self._forum_row()
        if row is None:
            return False
        op = org_ops.update_forum(self, self.ctx, row.id, **self._forum_values())
        self.forum_errors.clear()
        if not op.validation(lambda e: self.forum_errors.show(e.problems)).wait().ok:
            return False
        self.reload(locality=row.locality_id, forum=row.id)
        return True

    def toggle_forum_retired(self) -> None:
        row = self._forum_row()
        if row is None:
            return
        if row.active and not widgets.confirm(
            self,
            "Retire the forum?",
            f"Retire {row.name}? Its meetings and papers are kept; it is no longer offered for "
            "new meetings. You can restore it at any time.",
            yes="Retire",
        ):
            return
        if org_ops.set_forum_active(self, self.ctx, row.id, not row.active).wait().ok:
            self.reload(locality=row.locality_id, forum=row.id)

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None, *, tab: int = 0) -> None:
        """Show the dialog (tests build it and press its buttons instead)."""
        dialog = cls(ctx, parent, tab=tab)
        dialog.exec()
        dialog.deleteLater()
