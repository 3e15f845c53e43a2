"""Edit > Organisation…: the trust's details, the localities and their forums, from the app.

Three tabs, each doing one thing at a time by keyboard:

- **Trust**: the trust's name and the coordinator's name (what the welcome asked), the rate
  offered per session, and the logo printed at the head of every paper.
- **Localities**: add, rename, mark as yours (the ones you coordinate), retire and restore.
- **Forums**: for a locality, add a forum or change one (name, kind, usual venue and format,
  usual day and times, standing agenda items), retire and restore.

Every button is one write through ``ui.operations.organisation``; a refused value is shown
under its box and nothing changes. Retiring keeps every meeting and paper: a retired locality
or forum is only left out of new work, and reads "(retired)" here.

Nothing typed is lost: choosing another locality or forum (or another locality above the
forums) while the form holds typing not saved asks Save, Discard or Cancel
(``record_dialog.ask_save_discard``). Save saves it as the form's own button does (Rename, Save
changes; Add when no row was chosen) and moves on, or stays put with the problem shown under
its box; Discard moves on; Cancel keeps the row chosen and the typing. Closing asks Discard or
Cancel (``reject``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import forum_usual, meetings, monitoring
from ...core.errors import ValidationError
from ...core.forum_usual import Usual
from ...core.meetings import ForumRow
from ...core.rows import LocalityRow, list_localities
from ...core.settings import get_logo, get_settings
from ...core.vocab import ForumKind, MeetingFormat
from .. import files, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import Op
from ..operations import organisation as org_ops
from .buttons import letter_buttons
from .monitoring_settings import (
    MonitoringListsPanel,
    PopulationSharesPanel,
    lists_text,
    parse_lists,
    parse_share,
)
from .record_dialog import (
    DISCARD,
    SAVE,
    ask_save_discard,
    confirm_discard,
    hint_label,
    parse_field,
)

ROLE_ID = Qt.ItemDataRole.UserRole
#: A logo is printed small: a bigger picture is scaled down to this before it is kept.
LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT = 600, 200


def _locality_text(row: LocalityRow) -> str:
    notes = []
    if row.coordinated:
        notes.append("yours")
    if not row.active:
        notes.append("retired")
    return row.name + (f" ({', '.join(notes)})" if notes else "")


def _forum_text(row: ForumRow) -> str:
    return f"{row.name} ({row.kind.label})" + ("" if row.active else " (retired)")


class OrganisationDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, tab: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: What each tab's boxes held when last filled from the database or saved, to tell
        #: typing not saved yet (asked about on closing: see ``unsaved``).
        self._filled: dict[str, tuple[Any, ...]] = {}
        #: True while the lists are filled again from the database: a row chosen then is not
        #: the user's choice, and asks nothing.
        self._refilling = False
        #: The locality whose forums are listed (to go back to it when Cancel is chosen).
        self._forums_of: uuid.UUID | None = None
        self.setWindowTitle("Organisation")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_trust(), "Tr&ust")
        self.tabs.addTab(self._build_localities(), "&Localities")
        self.tabs.addTab(self._build_forums(), "F&orums")
        from .papers_dialog import StaffPanel  # issue #29

        self.staff_panel = StaffPanel(ctx)
        self.tabs.addTab(self.staff_panel, "Staff (action o&wners)")
        # Equality monitoring (issue #27): population shares and the trust's lists.
        self.shares_panel = PopulationSharesPanel(ctx)
        self.tabs.addTab(self.shares_panel, "&Population shares")
        self.lists_panel = MonitoringListsPanel(ctx)
        self.tabs.addTab(self.lists_panel, "Monitoring &groups")
        layout.addWidget(self.tabs)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(close)
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
        self.rate_edit = self.trust_errors.add_row(
            form, "&Rate per session (£):", "default_payment_pence", widgets.PoundsEdit()
        )
        self.rate_edit.setToolTip("Filled in for each new involvement payment; it can be changed.")
        self.save_trust_button = QPushButton("&Save the trust's details")
        self.save_trust_button.clicked.connect(self.save_trust)
        form.addRow("", self.save_trust_button)
        self.trust_status = QLabel()
        self.trust_status.setAccessibleDescription("Trust details message")
        form.addRow("", self.trust_status)
        logo_row = QWidget()
        logo_box = QHBoxLayout(logo_row)
        logo_box.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel()
        self.logo_preview.setWordWrap(True)
        self.choose_logo_button = QPushButton("C&hoose a logo…")
        self.remove_logo_button = QPushButton("Remo&ve the logo")
        logo_box.addWidget(self.logo_preview, 1)
        logo_box.addWidget(self.choose_logo_button)
        logo_box.addWidget(self.remove_logo_button)
        logo_row.setFocusProxy(self.choose_logo_button)
        self.logo_errors = widgets.FormErrors()
        self.logo_errors.add_row(form, "Logo:", "logo", logo_row)
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(self.remove_logo)
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
        self.locality_list.currentItemChanged.connect(self._locality_changing)
        self.locality_list.itemSelectionChanged.connect(
            lambda: _highlight_chosen(self.locality_list)
        )
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
        self.forum_locality.currentIndexChanged.connect(self._forum_locality_changing)
        label = QLabel("Localit&y:")  # C is Close
        label.setBuddy(self.forum_locality)
        top.addRow(label, self.forum_locality)
        box.addLayout(top)
        self.forum_list = QListWidget()
        self.forum_list.setAccessibleName("Forums of the locality")
        self.forum_list.currentItemChanged.connect(self._forum_changing)
        self.forum_list.itemSelectionChanged.connect(lambda: _highlight_chosen(self.forum_list))
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
        self.forum_week = QComboBox()
        self.forum_week.setAccessibleName("Usual week of the month")
        widgets.fill_combo(
            self.forum_week,
            [("No usual day", None)]
            + [(f"{word} of the month", n) for n, word in forum_usual.WEEK_WORDS.items()],
        )
        self.forum_weekday = QComboBox()
        self.forum_weekday.setAccessibleName("Usual day of the week")
        widgets.fill_combo(
            self.forum_weekday, [(day, n) for n, day in enumerate(forum_usual.DAY_WORDS)]
        )
        self.forum_week.currentIndexChanged.connect(self._week_chosen)
        self.forum_weekday.setEnabled(False)  # until a week is chosen
        self.forum_errors.add_row(
            form, "Usual &day:", "usual_day", _pair(self.forum_week, "", self.forum_weekday)
        )
        self.forum_start = widgets.TimeEdit()
        self.forum_start.setAccessibleName("Usual start time")
        self.forum_end = widgets.TimeEdit()
        self.forum_end.setAccessibleName("Usual end time")
        self.forum_errors.add_row(
            form, "Usual ti&mes:", "usual_end", _pair(self.forum_start, "to", self.forum_end)
        )
        self.forum_items = widgets.plain_text_edit("Standing agenda items", lines=4)
        self.forum_items.setPlaceholderText(
            "One per line, e.g.\nWelcome and introductions\nApologies\nMatters arising"
        )
        self.forum_items.setToolTip(
            "Every meeting planned in the app starts its agenda with these, in this order "
            "(Plan next meeting adds Matters arising first unless it is one of them)."
        )
        self.forum_errors.add_row(
            form, "Standing agenda &items:", "standing_items", self.forum_items
        )
        box.addLayout(form)
        row = QHBoxLayout()
        self.add_forum_button = QPushButton("&Add as a new forum")
        self.save_forum_button = QPushButton("&Save changes")
        self.retire_forum_button = QPushButton("Re&tire")
        self.members_button = QPushButton("M&embers…")
        self.members_button.setAccessibleName("Members of the forum")
        for button in (
            self.add_forum_button,
            self.save_forum_button,
            self.retire_forum_button,
            self.members_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.add_forum_button.clicked.connect(self.add_forum)
        self.save_forum_button.clicked.connect(self.save_forum)
        self.retire_forum_button.clicked.connect(self.toggle_forum_retired)
        self.members_button.clicked.connect(self.show_members)
        return page

    def show_members(self) -> None:
        """The forum's members, how each gets papers, and its online link (issue #29)."""
        from .papers_dialog import ForumMembersDialog

        forum = self.current_forum()
        if forum is not None:
            ForumMembersDialog.ask(self.ctx, forum, self)

    # --- reading ---------------------------------------------------------------------------

    def reload(self, *, locality: uuid.UUID | None = None, forum: uuid.UUID | None = None) -> None:
        was, self._refilling = self._refilling, True
        try:
            self._reload(locality, forum)
        finally:
            self._refilling = was

    def _reload(self, locality: uuid.UUID | None, forum: uuid.UUID | None) -> None:
        typed = self._typing()
        self._refill_from_database(locality, forum, keep_forums="forum" in typed)
        # A save on one tab fills every tab again: typing not saved on the same record stays.
        for tab, (record, held) in typed.items():
            if self._record(tab) == record:
                for box, value in zip(self._boxes(tab), held, strict=True):
                    _put(box, value)

    def _refill_from_database(
        self, locality: uuid.UUID | None, forum: uuid.UUID | None, *, keep_forums: bool
    ) -> None:
        """``locality`` chosen on both tabs (unless ``keep_forums``: a forum holds typing not
        saved, so its locality's forums stay listed), ``forum`` on the Forums tab."""
        settings = get_settings(self.ctx.db)
        self.trust_name.setText(settings.trust_name)
        self.coordinator_name.setText(settings.coordinator_name)
        self.rate_edit.set_value(settings.default_payment_pence)
        self._mark_filled("trust")
        self._show_logo()
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
        widgets.select_data(self.forum_locality, shown if keep_forums else locality or shown)
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
            self._mark_filled("locality")
            return
        self.locality_name.setText(row.name)
        self._mark_filled("locality")
        self.yours_button.setText("Not &mine" if row.coordinated else "&Mark as yours")
        self.retire_locality_button.setText("Res&tore" if not row.active else "Re&tire")

    def _fill_forums(self, select: uuid.UUID | None = None) -> None:
        was, self._refilling = self._refilling, True
        try:
            self._fill_forum_list(select)
        finally:
            self._refilling = was

    def _fill_forum_list(self, select: uuid.UUID | None) -> None:
        locality = self.forum_locality.currentData()
        self._forums_of = locality
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
        if self.forum_list.currentItem() is None and self.forum_list.count():
            # The first forum's details show, ready to change and save (a blank form with
            # "Save changes" greyed read as broken, and Alt+S typed an "s").
            self.forum_list.setCurrentRow(0)
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
        self.members_button.setEnabled(row is not None)
        if row is None:
            self._mark_filled("forum")
            return
        self.forum_name.setText(row.name)
        widgets.select_data(self.forum_kind, row.kind)
        self.forum_venue.setText(row.default_venue)
        widgets.select_data(self.forum_format, row.default_format)
        widgets.select_data(self.forum_week, row.usual.week)
        if row.usual.weekday is not None:
            widgets.select_data(self.forum_weekday, row.usual.weekday)
        self.forum_start.set_value(row.usual.start)
        self.forum_end.set_value(row.usual.end)
        self.forum_items.setPlainText("\n".join(row.usual.standing_items))
        self._week_chosen()
        self.retire_forum_button.setText("Res&tore" if not row.active else "Re&tire")
        self._mark_filled("forum")

    # --- choosing another row with typing not saved ----------------------------------------

    def _locality_changing(self, current: QListWidgetItem | None, previous: Any) -> None:
        if self._refilling or not self._typed("locality"):
            self._locality_chosen()
            return
        target = _id_of(current)
        _choose_quietly(self.locality_list, _id_of(previous))  # the row the typing is about
        if self._leave_locality():
            _choose_quietly(self.locality_list, target)
            self._locality_chosen()

    def _forum_changing(self, current: QListWidgetItem | None, previous: Any) -> None:
        if self._refilling or not self._typed("forum"):
            self._forum_chosen()
            return
        target = _id_of(current)
        _choose_quietly(self.forum_list, _id_of(previous))
        if self._leave_forum():
            _choose_quietly(self.forum_list, target)
            self._forum_chosen()

    def _forum_locality_changing(self, _index: int) -> None:
        chosen = self.forum_locality.currentData()
        if self._refilling or not self._typed("forum"):
            self._fill_forums()
            return
        self.forum_locality.blockSignals(True)
        widgets.select_data(self.forum_locality, self._forums_of)
        self.forum_locality.blockSignals(False)
        if self._leave_forum():
            self.forum_locality.blockSignals(True)
            widgets.select_data(self.forum_locality, chosen)
            self.forum_locality.blockSignals(False)
            self._fill_forums()

    def _typed(self, tab: str) -> bool:
        return self._held(tab) != self._filled.get(tab)

    def _leave_locality(self) -> bool:
        """Ask about the locality's name typed and not saved, if any: True when it may be left
        (saved, or discarded: the boxes show the row chosen as saved), False to stay."""
        if not self._typed("locality"):
            return True
        row = self._locality_row()
        typed = self.locality_name.text().strip()
        if row is not None:
            text = (
                f"You changed the name of {row.name} to “{typed}” and have not saved it. "
                "Save it first?"
            )
        else:
            text = f"You typed “{typed}” as a new locality and have not added it. Add it first?"
        if not self._settle(text, self.rename_locality if row is not None else self._add_locality):
            return False
        self._locality_chosen()
        return True

    def _leave_forum(self) -> bool:
        """As ``_leave_locality``, for the forum's boxes."""
        if not self._typed("forum"):
            return True
        row = self._forum_row()
        if row is not None:
            text = f"You changed {row.name} and have not saved the changes. Save them first?"
            settled = self._settle(text, self.save_forum)
        else:
            typed = self.forum_name.text().strip()
            text = f"You typed the forum “{typed}” and have not added it. Add it first?"
            settled = self._settle(text, self._add_forum)
        if not settled:
            return False
        self._forum_chosen()
        return True

    def _settle(self, text: str, save: Callable[[], bool]) -> bool:
        """Ask Save, Discard or Cancel about the typing of the row still chosen: True to move
        on (saved, or thrown away), False to stay (Cancel, or the save refused: the problem
        is shown under its box and the typing stays)."""
        answer = ask_save_discard(self, text)
        if answer == DISCARD:
            return True
        return answer == SAVE and save()

    def _add_locality(self) -> bool:
        return self.add_locality() is not None

    def _add_forum(self) -> bool:
        return self.add_forum() is not None

    # --- writing -----------------------------------------------------------------------------

    def _do(self, op: Op[Any], errors: widgets.FormErrors, fallback: str = "name") -> Any:
        errors.clear()

        def show(exc: ValidationError) -> None:
            errors.show(exc.problems, fallback=fallback)

        outcome = op.validation(show).wait()
        return outcome.value if outcome.ok else None

    def save_trust(self) -> bool:
        problems: dict[str, str] = {}
        rate = parse_field(problems, "default_payment_pence", self.rate_edit.value)
        if problems:
            self.trust_errors.show(problems)
            return False
        op = org_ops.save_trust(
            self,
            self.ctx,
            trust_name=self.trust_name.text(),
            coordinator_name=self.coordinator_name.text(),
            default_payment_pence=rate,
        )
        if self._do(op, self.trust_errors, "trust_name") is None:
            return False
        self.trust_status.setText("Saved.")
        self._mark_filled("trust")
        return True

    def _show_logo(self) -> None:
        logo = get_logo(self.ctx.db)
        self.remove_logo_button.setEnabled(logo is not None)
        if logo is None:
            # Read by its text: no name (a name is read instead of a label's text).
            self.logo_preview.setAccessibleName("")
            self.logo_preview.setAccessibleDescription("")
            self.logo_preview.setText("No logo: the papers are headed with the trust's name.")
            return
        image = QImage.fromData(logo)
        height = self.fontMetrics().height() * 3
        self.logo_preview.setPixmap(
            QPixmap.fromImage(
                image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
            )
        )
        self.logo_preview.setAccessibleName("The logo")  # a picture: it has no text to hide
        self.logo_preview.setAccessibleDescription(f"The logo, {image.width()} by {image.height()}")

    def choose_logo(self) -> bool:
        path = files.ask_open(self, files.LOGO, "Choose the trust's logo")
        if path is None:
            return False
        return self.set_logo_from(path)

    def set_logo_from(self, path: Any) -> bool:
        """Keep the picture at ``path`` as the logo: read by Qt (PNG, JPEG, GIF or BMP), made
        no bigger than it prints, kept as PNG."""
        image = QImage(str(path))
        if image.isNull():
            self.logo_errors.show(
                {"logo": "That file is not a picture Qt can read (PNG, JPEG, GIF or BMP)."}
            )
            return False
        if image.width() > LOGO_MAX_WIDTH or image.height() > LOGO_MAX_HEIGHT:
            image = image.scaled(
                LOGO_MAX_WIDTH,
                LOGO_MAX_HEIGHT,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; only str works
        buffer.close()
        png = bytes(data.data())
        self.logo_errors.clear()
        outcome = (
            org_ops.set_logo(self, self.ctx, png)
            .validation(lambda exc: self.logo_errors.show(exc.problems, fallback="logo"))
            .wait()
        )
        if not outcome.ok:
            return False
        self._show_logo()
        self.trust_status.setText("Logo saved: it heads every paper printed from now on.")
        return True

    def remove_logo(self) -> None:
        op = org_ops.set_logo(self, self.ctx, None)
        if op.wait().ok:
            self._show_logo()
            self.trust_status.setText("Logo removed.")

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

    def _week_chosen(self, *_args: Any) -> None:
        self.forum_weekday.setEnabled(self.forum_week.currentData() is not None)

    def _forum_values(self) -> dict[str, Any] | None:
        """What the forum boxes hold, or None when a time cannot be read (shown at it)."""
        problems: dict[str, str] = {}
        start = parse_field(problems, "usual_end", self.forum_start.value)
        end = parse_field(problems, "usual_end", self.forum_end.value)
        if problems:
            self.forum_errors.show(problems)
            return None
        week = self.forum_week.currentData()
        return {
            "name": self.forum_name.text(),
            "kind": self.forum_kind.currentData(),
            "default_venue": self.forum_venue.text(),
            "default_format": self.forum_format.currentData(),
            "usual": Usual(
                week=week,
                weekday=self.forum_weekday.currentData() if week is not None else None,
                start=start,
                end=end,
                standing_items=forum_usual.items_from_text(self.forum_items.toPlainText()),
            ),
        }

    def add_forum(self) -> uuid.UUID | None:
        locality = self.forum_locality.currentData()
        if locality is None:
            return None
        self.forum_errors.clear()
        values = self._forum_values()
        if values is None:
            return None
        op = org_ops.add_forum(self, self.ctx, locality_id=locality, **values)
        added = self._do(op, self.forum_errors)
        if added is not None:
            self.reload(locality=locality, forum=added)
        return added

    def save_forum(self) -> bool:
        row = self._forum_row()
        if row is None:
            return False
        self.forum_errors.clear()
        values = self._forum_values()
        if values is None:
            return False
        op = org_ops.update_forum(self, self.ctx, row.id, **values)
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

    # --- closing with typing not saved ----------------------------------------------------------

    def _boxes(self, tab: str) -> tuple[QWidget, ...]:
        if tab == "trust":
            return (self.trust_name, self.coordinator_name, self.rate_edit)
        if tab == "locality":
            return (self.locality_name,)
        return (
            self.forum_name,
            self.forum_kind,
            self.forum_venue,
            self.forum_format,
            self.forum_week,
            self.forum_weekday,
            self.forum_start,
            self.forum_end,
            self.forum_items,
        )

    def _held(self, tab: str) -> tuple[Any, ...]:
        return tuple(_held(box) for box in self._boxes(tab))

    def _record(self, tab: str) -> uuid.UUID | None:
        """The record a tab's boxes are about (None for the trust's details)."""
        if tab == "locality":
            return self.current_locality()
        return self.current_forum() if tab == "forum" else None

    def _typing(self) -> dict[str, tuple[uuid.UUID | None, tuple[Any, ...]]]:
        """The record and the boxes of each tab holding typing not saved yet."""
        return {
            tab: (self._record(tab), self._held(tab))
            for tab in ("trust", "locality", "forum")
            if tab in self._filled and self._held(tab) != self._filled[tab]
        }

    def _mark_filled(self, tab: str) -> None:
        self._filled[tab] = self._held(tab)

    def unsaved(self) -> list[str]:
        """The tabs whose boxes hold typing not saved yet (a forum's venue typed but not
        saved, a staff member typed but not added, ...), by tab name."""
        tabs = [
            self.tabs.tabText(i).replace("&", "")
            for i, key in enumerate(("trust", "locality", "forum"))
            if self._held(key) != self._filled.get(key)
        ]
        staff = self.staff_panel
        member = staff.current()
        saved = (member.name, member.email) if member is not None else ("", "")
        if (staff.name_edit.text().strip(), staff.email_edit.text().strip()) != saved:
            tabs.append(self.tabs.tabText(3).replace("&", ""))
        if self._shares_unsaved():
            tabs.append(self.tabs.tabText(4).replace("&", ""))
        typed_lists = parse_lists(self.lists_panel.editor.toPlainText())
        if typed_lists != parse_lists(lists_text(monitoring.read_characteristics(self.ctx.db))):
            tabs.append(self.tabs.tabText(5).replace("&", ""))
        return tabs

    def _shares_unsaved(self) -> bool:
        panel = self.shares_panel
        locality_id = panel.locality()
        if locality_id is None:
            return False
        with self.ctx.db.reading() as conn:
            saved = monitoring.population_shares(conn, locality_id)
        for group_id, edit in panel.edits.items():
            try:
                typed = parse_share(edit.text())
            except ValueError:
                return True  # not even a number: certainly not saved
            if typed != saved.get(group_id):
                return True
        return False

    def reject(self) -> None:
        """Esc, Close and the window's X (QDialog's closeEvent calls this, and stays open when
        it did not close) ask before throwing typing away; Cancel keeps the dialog open."""
        if self.unsaved() and not confirm_discard(self):
            return
        super().reject()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None, *, tab: int = 0) -> None:
        """Show the dialog (tests build it and press its buttons instead)."""
        dialog = cls(ctx, parent, tab=tab)
        dialog.exec()
        dialog.deleteLater()


def _held(box: QWidget) -> Any:
    """What a box holds, to compare with what it held when filled."""
    if isinstance(box, QComboBox):
        return box.currentIndex()
    if isinstance(box, QPlainTextEdit):
        return box.toPlainText()
    if isinstance(box, QLineEdit):
        return box.text()
    raise TypeError(f"no value for {type(box).__name__}")


def _highlight_chosen(shown: QListWidget) -> None:
    """Keep the row chosen highlighted. A click chooses the row under the mouse, tells the
    form (which may choose the first row again: Cancel), then highlights the row clicked."""
    chosen = shown.currentItem()
    if chosen is not None and shown.selectedItems() not in ([], [chosen]):
        _choose_quietly(shown, _id_of(chosen))


def _id_of(item: QListWidgetItem | None) -> uuid.UUID | None:
    return item.data(ROLE_ID) if item is not None else None


def _choose_quietly(shown: QListWidget, record: uuid.UUID | None) -> None:
    """Choose the row of ``record`` in ``shown`` (none when it is None or not listed: the
    list may have been filled again by a save) without filling the form from it."""
    rows = [shown.item(i) for i in range(shown.count())]
    found = next(
        (item for item in rows if record is not None and item.data(ROLE_ID) == record), None
    )
    shown.blockSignals(True)
    if found is None:
        shown.setCurrentRow(-1)
    else:
        shown.setCurrentItem(found)
    shown.blockSignals(False)


def _put(box: QWidget, value: Any) -> None:
    """Give a box back what it held (``_held``)."""
    if isinstance(box, QComboBox):
        box.setCurrentIndex(value)
    elif isinstance(box, QPlainTextEdit):
        box.setPlainText(value)
    elif isinstance(box, QLineEdit):
        box.setText(value)


def _pair(first: QWidget, between: str, second: QWidget) -> QWidget:
    """Two boxes on one row of a form (the week and the day, the start and the end)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first)
    if between:
        row.addWidget(QLabel(between))
    row.addWidget(second)
    row.addStretch(1)
    holder.setFocusProxy(first)
    # A label's Alt+letter focuses its buddy only when the buddy itself takes focus: without
    # a focus policy of its own the holder ignored "Usual &day" and "Usual ti&mes" (a widget
    # with a focus proxy is never a Tab stop itself, so Tab still goes box to box).
    holder.setFocusPolicy(first.focusPolicy())
    return holder
