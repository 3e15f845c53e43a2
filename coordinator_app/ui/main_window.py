"""The main window: navigation between the pages, menus, the find box and the status bar.

Built in two steps so that it paints before the database and SQLAlchemy are loaded
(``ui/app.py``): ``MainWindow()`` is the frame, the navigation, the menus and Home's empty cards;
``attach(ctx)`` gives it the data (Home fills in, the page remembered from last time is shown,
the status bar says where the data is). ``MainWindow(ctx)`` does both. Pitfall: a page, a menu
command or the find box needs ``ctx``; before ``attach`` no event reaches them (start-up runs no
event loop between the first paint and ``attach``, only modal questions).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from .. import APP_NAME, __version__
from .navigation import SectionsList

if TYPE_CHECKING:
    from .context import AppContext

KEY_GEOMETRY = "main_window/geometry"
KEY_STATE = "main_window/state"
KEY_PAGE = "main_window/page"

(
    PAGE_HOME,
    PAGE_MEETINGS,
    PAGE_PARTICIPANTS,
    PAGE_ACTIONS,
    PAGE_PROJECTS,
    PAGE_ACCREDITATION,
    PAGE_RETURNS,
) = range(7)
PAGE_TITLES = (
    "Home",
    "Meetings",
    "Participants",
    "Actions",
    "Projects",
    "Accreditation",
    "Returns",
)
#: The pages in the View menu, each with a letter of its own.
VIEW_MENU_TITLES = (
    "&Home",
    "&Meetings",
    "&Participants",
    "&Actions",
    "Pr&ojects",
    "A&ccreditation",
    "Re&turns",
)
PAGE_ICONS = (
    QStyle.StandardPixmap.SP_DirHomeIcon,
    QStyle.StandardPixmap.SP_FileDialogDetailedView,
    QStyle.StandardPixmap.SP_DirIcon,
    QStyle.StandardPixmap.SP_DialogApplyButton,
    QStyle.StandardPixmap.SP_FileDialogContentsView,
    QStyle.StandardPixmap.SP_FileDialogInfoView,
    QStyle.StandardPixmap.SP_DialogSaveButton,
)

#: Pixels before each of the status bar's parts after the first (the database, who signed in).
STATUS_GAP = 12

ROLE_KIND = Qt.ItemDataRole.UserRole + 1
ROLE_ID = Qt.ItemDataRole.UserRole + 2


class Page(Protocol):
    def refresh(self) -> None: ...


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext = None  # type: ignore[assignment]  # set by ``attach``
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(900, 600))

        self.nav = SectionsList()  # paints itself and its ring (ui/navigation.py)
        self.nav.setAccessibleName("Sections")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.panel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.nav.panel.setFixedWidth(self.fontMetrics().horizontalAdvance("Accreditation") + 80)
        for title, icon in zip(PAGE_TITLES, PAGE_ICONS, strict=True):
            item = QListWidgetItem(self.style().standardIcon(icon), title)
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 8))
            self.nav.addItem(item)

        self.pages = QStackedWidget()
        self._build_pages()

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav.panel)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_find_bar()
        self._build_menus()
        # The status bar's parts say what they are in their text ("Last backup: …"); an
        # accessible name would be read instead of it (issue #24), so they have descriptions.
        self.backup_label = QLabel()
        self.backup_label.setAccessibleDescription("Last backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.db_label = QLabel()
        self.db_label.setAccessibleDescription("Database location")
        self.db_label.setObjectName("status_part")
        self.db_label.setContentsMargins(STATUS_GAP, 0, 0, 0)  # set well apart from the backup
        self.statusBar().addPermanentWidget(self.db_label)
        #: Who is signed in to the server (``core/access.py``); not shown on this laptop.
        self.login_label = QLabel()
        self.login_label.setAccessibleDescription("Signed in as")
        self.login_label.setObjectName("status_part")
        self.login_label.setContentsMargins(STATUS_GAP, 0, 0, 0)
        self.statusBar().addPermanentWidget(self.login_label)
        self.login_label.setVisible(False)  # until ``attach`` knows who signed in
        #: The automatic backup running in the background (kept alive until it ends).
        self.backup_task: object | None = None
        #: "Version 1.2 is available from …" once a check found one (``check_for_updates``).
        self.update_notice = ""
        #: The damage check the opening deferred, running beside the window (kept alive).
        self.soundness_watch: object | None = None

        #: The page shown when ``attach`` gives the window its data (remembered from last time).
        self._page_to_show = self._restore_settings()
        self.nav.currentRowChanged.connect(self._show_page)
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext, *, backup_status: bool = True) -> None:
        """Give the window its data: Home fills in, the page remembered from last time shows
        (built then), the status bar says where the data is and when it was last backed up
        (``backup_status`` False: the caller calls ``refresh_backup_status`` later, as the app
        does once Home is shown). Called again after a failed first attempt, it fills Home
        again."""
        first = self.ctx is None
        self.ctx = ctx
        self.home.attach(ctx)
        self._show_server_commands(ctx)
        if backup_status:
            self.refresh_backup_status()
        else:
            self._show_where(ctx)
        if first:
            ctx.events.settingsChanged.connect(self.refresh_backup_status)
        # The engagement group's database opens on its Trust view (the Returns page's tab). Home
        # has just listed the localities: a database with one is a locality's, with no query.
        index = self._page_to_show
        if self.home.locality.count() == 0:
            from ..core.settings import is_group_database

            index = PAGE_RETURNS if is_group_database(ctx.db) else index
        if index != PAGE_HOME:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(PAGE_HOME)
            self.nav.blockSignals(False)
            self.show_page(index)

    def _show_server_commands(self, ctx: AppContext) -> None:
        """On a trust server only (core/access.py): who is signed in, one's own password, and
        (for an administrator) who may see what."""
        signed = ctx.signed_in
        self.login_label.setVisible(signed is not None)
        self.act_password.setVisible(signed is not None)
        self.act_access.setVisible(
            signed is not None
            and (
                signed.sees_everything
                or (signed.access is not None and signed.access.role.value == "administrator")
            )
        )

    # --- building -----------------------------------------------------------------------

    def _build_pages(self) -> None:
        from .views.home import HomePage

        self.home = HomePage()
        self.home.openMeeting.connect(self.open_meeting)
        self.home.openAction.connect(self.open_action)
        self.home.openProject.connect(self.open_project)
        # Every other page is built when first shown, so start-up only pays for Home.
        self._built: dict[int, QWidget] = {PAGE_HOME: self.home}
        self.pages.addWidget(self.home)
        for _index in range(1, len(PAGE_TITLES)):
            self.pages.addWidget(QWidget())

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built on first use."""
        page = self._built.get(index)
        if page is None:
            page = self._install(index, self._make_page(index))
            self._built[index] = page
        return page

    def _make_page(self, index: int) -> QWidget:
        if index == PAGE_MEETINGS:
            from .views.meetings import MeetingsPage

            page = MeetingsPage(self.ctx)
            page.editor.projectStarted.connect(self.open_project)
            return page
        if index == PAGE_PARTICIPANTS:
            from .views.participants import ParticipantsPage

            return ParticipantsPage(self.ctx)
        if index == PAGE_RETURNS:
            from .views.returns import ReturnsPage

            return ReturnsPage(self.ctx)
        if index == PAGE_PROJECTS:
            from .views.projects import ProjectsPage

            return ProjectsPage(self.ctx)
        if index == PAGE_ACTIONS:
            from .views.actions import ActionsPage

            actions_page = ActionsPage(self.ctx)
            actions_page.openMeeting.connect(self.open_meeting)
            actions_page.openAssessment.connect(self.open_assessment)
            return actions_page
        from .views.accreditation import AccreditationPage

        return AccreditationPage(self.ctx)

    @property
    def meetings(self) -> QWidget:
        return self.page(PAGE_MEETINGS)

    @property
    def participants(self) -> QWidget:
        return self.page(PAGE_PARTICIPANTS)

    @property
    def returns(self) -> QWidget:
        return self.page(PAGE_RETURNS)

    def _install(self, index: int, page: QWidget) -> QWidget:
        """Put a page built on first use in its place in the stack."""
        current = self.pages.currentIndex()
        placeholder = self.pages.widget(index)
        self.pages.insertWidget(index, page)
        if placeholder is not None:
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        self.pages.setCurrentIndex(current)
        return page

    def _build_find_bar(self) -> None:
        bar = QToolBar("Find")
        bar.setObjectName("find_bar")
        bar.setMovable(False)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find people, meetings and actions (Ctrl+F)")
        self.find_box.setAccessibleName("Find people, meetings and actions")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 24)
        self.find_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        self._find_model = QStandardItemModel(self)
        completer = QCompleter(self._find_model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated[QModelIndex].connect(self._find_chosen)  # type: ignore[index]
        self.find_box.setCompleter(completer)
        self._find_timer = QTimer(self)
        self._find_timer.setSingleShot(True)
        self._find_timer.setInterval(120)
        self._find_timer.timeout.connect(self._run_find)
        self.find_box.textEdited.connect(lambda _text: self._find_timer.start())
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.find_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.act_new_meeting = self._action(
            "&New meeting…", QKeySequence.StandardKey.New, self._new_meeting
        )
        self.act_new_person = self._action(
            "New parti&cipant…", "Ctrl+Shift+N", self._new_participant
        )
        self.act_print = self._action("&Print…", QKeySequence.StandardKey.Print, self._print)
        self.act_quit = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        # Involvement beyond meetings and the list for finance (issue #28; journeys 11, 12).
        self.act_activity = self._action(
            "Record an involvement &activity…", None, self._record_activity
        )
        self.act_payments_list = self._action(
            "Payments list for &finance…", None, self._payments_list
        )
        for act in (self.act_new_meeting, self.act_new_person, self.act_activity):
            file_menu.addAction(act)
        file_menu.addSeparator()
        self.act_import = self._action("&Import from a spreadsheet…", None, self._import)
        self.act_template = self._action("Save import &template…", None, self._save_template)
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_template)
        file_menu.addSeparator()
        file_menu.addAction(self.act_print)
        file_menu.addAction(self.act_payments_list)
        file_menu.addSeparator()
        self.act_backup = self._action("&Back up now…", None, self._back_up_now)
        self.act_restore = self._action("&Restore from a backup…", None, self._restore)
        file_menu.addAction(self.act_backup)
        file_menu.addAction(self.act_restore)
        file_menu.addSeparator()
        self.act_database = self._action("&Database…", None, self._database_settings)
        file_menu.addAction(self.act_database)
        # On a trust server only (core/access.py): one's own password, and who may see what.
        self.act_password = self._action("Change my &password…", None, self._change_password)
        self.act_password.setVisible(False)  # shown by ``attach`` on a server
        file_menu.addAction(self.act_password)
        self.act_access = self._action("&Logins and access…", None, self._access)
        self.act_access.setVisible(False)  # shown by ``attach`` to an administrator
        file_menu.addAction(self.act_access)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)

        edit_menu = menu.addMenu("&Edit")
        # One meaning per page: Ctrl+F finds in the page's own list (its filter); where a
        # page has none (Home), and with Ctrl+Shift+F anywhere, the find box above the pages.
        # (Each list page also had a Ctrl+F of its own: Qt called both "ambiguous" and did
        # nothing, and the next typing went into whatever had the focus.)
        self.act_find = self._action("&Find…", QKeySequence.StandardKey.Find, self.focus_find)
        edit_menu.addAction(self.act_find)
        self.act_find_everywhere = self._action(
            "Find &everywhere…", "Ctrl+Shift+F", self.focus_find_everywhere
        )
        edit_menu.addAction(self.act_find_everywhere)
        edit_menu.addSeparator()
        self.act_organisation = self._action(
            "&Organisation (trust, localities, forums)…", None, self._organisation
        )
        edit_menu.addAction(self.act_organisation)
        self.act_priorities = self._action("Strategic &priorities…", None, self._priorities)
        edit_menu.addAction(self.act_priorities)
        self.act_rates = self._action("Payment &rates and limits…", None, self._rates)
        edit_menu.addAction(self.act_rates)
        self.act_backups_folder = self._action("&Backups folder…", None, self._backups_folder)
        edit_menu.addAction(self.act_backups_folder)

        privacy_menu = menu.addMenu("P&rivacy")
        self.act_sar = self._action(
            "&Export what we hold about this person…", None, self._subject_access
        )
        self.act_withdraw = self._action(
            "&Withdraw this person's consent to contact…", None, self._withdraw
        )
        self.act_anonymise = self._action("&Anonymise this person…", None, self._anonymise)
        self.act_bulk = self._action(
            "Anonymise &inactive participants…", None, self._anonymise_inactive
        )
        for act in (self.act_sar, self.act_withdraw, self.act_anonymise):
            privacy_menu.addAction(act)
        privacy_menu.addSeparator()
        privacy_menu.addAction(self.act_bulk)
        privacy_menu.addSeparator()
        self.act_audit = self._action("Au&dit log…", None, self._audit_log)
        privacy_menu.addAction(self.act_audit)

        view_menu = menu.addMenu("&View")
        # One letter each in the View menu (Actions and Accreditation, Participants and Projects,
        # Returns and Refresh shared their first letters).
        for index, title in enumerate(VIEW_MENU_TITLES):
            act = self._action(
                title, f"Ctrl+{index + 1}", lambda _=False, i=index: self.show_page(i)
            )
            view_menu.addAction(act)
        view_menu.addSeparator()
        self.act_refresh = self._action(
            "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh_current
        )
        view_menu.addAction(self.act_refresh)

        help_menu = menu.addMenu("&Help")
        self.act_updates = self._action("Check for &updates…", None, self.check_for_updates)
        help_menu.addAction(self.act_updates)
        self.act_about = self._action(f"&About {APP_NAME}", None, self.show_about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.act_about)

    def _action(self, text: str, shortcut: object, slot: object) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    # --- navigation ---------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    @Slot(int)
    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        leaving = self.pages.currentWidget()
        finish = getattr(leaving, "finish_editing", None)
        if index != self.pages.currentIndex() and callable(finish) and not finish():
            # Something typed on the page being left could not be saved: stay there.
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.pages.currentIndex())
            self.nav.blockSignals(False)
            return
        self.page(index)
        self.pages.setCurrentIndex(index)
        page = self.pages.currentWidget()
        refresh = getattr(page, "refresh_if_stale", None)
        if callable(refresh):
            refresh()

    def refresh_current(self) -> None:
        page = self.pages.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def open_meeting(self, meeting_id: uuid.UUID) -> None:
        self.show_page(PAGE_MEETINGS)
        opener = getattr(self.meetings, "open_meeting", None)
        if callable(opener):
            opener(meeting_id)

    def open_assessment(self, assessment_id: uuid.UUID) -> None:
        self.show_page(PAGE_ACCREDITATION)
        self.page(PAGE_ACCREDITATION).open_assessment(assessment_id)  # type: ignore[attr-defined]

    def open_action(self, action_id: uuid.UUID) -> None:
        self.show_page(PAGE_ACTIONS)
        self.page(PAGE_ACTIONS).open_action(action_id)  # type: ignore[attr-defined]

    def open_project(self, project_id: uuid.UUID) -> None:
        self.show_page(PAGE_PROJECTS)
        self.page(PAGE_PROJECTS).show_project(project_id)  # type: ignore[attr-defined]

    def open_participant(self, participant_id: uuid.UUID) -> None:
        self.show_page(PAGE_PARTICIPANTS)
        opener = getattr(self.participants, "open_participant", None)
        if callable(opener):
            opener(participant_id)

    def _new_meeting(self) -> None:
        self.show_page(PAGE_MEETINGS)
        creator = getattr(self.meetings, "new_meeting", None)
        if callable(creator):
            creator()

    def _new_participant(self) -> None:
        self.show_page(PAGE_PARTICIPANTS)
        creator = getattr(self.participants, "new_participant", None)
        if callable(creator):
            creator()

    def recover_drafts(self) -> None:
        """Offer what was being typed when the app last stopped (a crash, a kill, a power
        cut): start-up calls this once the window shows (``dialogs.recovery_dialog``)."""
        from .dialogs.recovery_dialog import offer_recovered

        offer_recovered(self)

    # --- backups and privacy ------------------------------------------------------------

    def set_backup_status(self, text: str) -> None:
        self.backup_label.setText(text)
        self.backup_label.setVisible(bool(text))

    def refresh_backup_status(self) -> None:
        from ..core.backup import status_text

        self.set_backup_status(status_text(self.ctx.db))
        self._show_where(self.ctx)

    def _show_where(self, ctx: AppContext) -> None:
        """The status bar's database, and the server login signed in."""
        self.db_label.setText(f"Database: {database_shown(ctx)}")
        if ctx.signed_in is not None:
            self.login_label.setText(f"Signed in as {ctx.signed_in.described()}")

    def _back_up_now(self) -> None:
        from .dialogs.backup_dialogs import back_up_now

        back_up_now(self.ctx, self)
        self.refresh_backup_status()

    def _restore(self) -> None:
        from .dialogs.backup_dialogs import restore_from_backup

        if restore_from_backup(self.ctx, self) is not None:
            self.refresh_backup_status()
            for page in self._built.values():
                refresh = getattr(page, "refresh", None)
                if callable(refresh):
                    refresh()

    def _backups_folder(self) -> None:
        from .dialogs.backup_dialogs import BackupsFolderDialog

        if BackupsFolderDialog.ask(self.ctx, self):
            self.refresh_backup_status()

    def _database_settings(self) -> None:
        from .dialogs.database_settings import DatabaseSettingsDialog

        DatabaseSettingsDialog.ask(self)  # takes effect at the next start (it says so)

    def _change_password(self) -> None:
        from .dialogs.access_dialogs import ChangePasswordDialog

        if ChangePasswordDialog.ask(self.ctx, self, first=False):
            self.refresh_backup_status()

    def _access(self) -> None:
        from .dialogs.access_dialogs import AccessDialog

        AccessDialog(self.ctx, self).exec()

    def _current_participant(self) -> uuid.UUID | None:
        """The person in hand on the Participants page, or None with a word to the user."""
        from . import widgets

        person = None
        if self.pages.currentIndex() == PAGE_PARTICIPANTS:
            person = self.participants.current_participant_id()  # type: ignore[attr-defined]
        if person is None:
            widgets.inform(self, "Privacy", "Choose a person on the Participants page first.")
        return person

    def _subject_access(self) -> None:
        from .dialogs.privacy_dialogs import subject_access_export

        if (person := self._current_participant()) is not None:
            subject_access_export(self.ctx, person, self)

    def _withdraw(self) -> None:
        from .dialogs.privacy_dialogs import withdraw_consent

        if (person := self._current_participant()) is not None:
            withdraw_consent(self.ctx, person, self)

    def _anonymise(self) -> None:
        from .dialogs.privacy_dialogs import anonymise_one

        if (person := self._current_participant()) is not None:
            anonymise_one(self.ctx, person, self)

    def _anonymise_inactive(self) -> None:
        from .dialogs.privacy_dialogs import BulkAnonymiseDialog

        BulkAnonymiseDialog.ask(self.ctx, self)

    def _audit_log(self) -> None:
        from .dialogs.audit_viewer import AuditViewer

        AuditViewer.show_for(self.ctx.db, self)

    def _organisation(self) -> None:
        from .dialogs.organisation_dialog import OrganisationDialog

        OrganisationDialog.ask(self.ctx, self)

    def _priorities(self) -> None:
        from .dialogs.priorities_dialog import PrioritiesDialog

        PrioritiesDialog.ask(self.ctx, self)

    def _import(self) -> None:
        from .dialogs.import_wizard import ImportWizard

        ImportWizard.ask(self.ctx, self)

    def _save_template(self) -> None:
        from .dialogs.import_wizard import save_import_template

        save_import_template(self)

    def _record_activity(self) -> None:
        from .dialogs.payments_dialogs import ActivityDialog

        ActivityDialog.ask(self.ctx, self)

    def _rates(self) -> None:
        from .dialogs.payments_dialogs import RatesDialog

        RatesDialog.ask(self.ctx, self)

    def _payments_list(self) -> None:
        from .dialogs.payments_dialogs import PaymentsListDialog

        PaymentsListDialog.ask(self.ctx, self)

    def _print(self) -> None:
        """Print what belongs to the meeting in hand: minutes, sign-in sheet or action log."""
        from .dialogs.print_dialog import PrintChooser

        meeting_id = None
        if self.pages.currentIndex() == PAGE_MEETINGS:
            meeting_id = self.meetings.current_meeting_id()  # type: ignore[attr-defined]
        PrintChooser.ask(self.ctx, meeting_id, self)

    # --- find ---------------------------------------------------------------------------

    def focus_find(self) -> None:
        """Ctrl+F: the current page's filter when it has one, else the find box."""
        focus_filter = getattr(self.pages.currentWidget(), "focus_filter", None)
        if callable(focus_filter) and focus_filter():
            return
        self.focus_find_everywhere()

    def focus_find_everywhere(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    def _run_find(self) -> None:
        from ..core.search import find_everything

        text = self.find_box.text().strip()
        self._find_model.clear()
        if len(text) < 2:
            return
        results = find_everything(self.ctx.db, text, limit=8)
        for kind, rows, label in (
            ("participant", results.participants, lambda r: f"Person · {r.name}"),
            (
                "meeting",
                results.meetings,
                lambda r: f"Meeting · {r.reference} · {r.forum_name} · {r.meeting_date:%d %b %Y}",
            ),
            ("action", results.actions, lambda r: f"Action · {r.reference} · {r.title}"),
        ):
            for row in rows:
                item = QStandardItem(label(row))
                item.setData(kind, ROLE_KIND)
                item.setData(str(row.id), ROLE_ID)
                item.setEditable(False)
                self._find_model.appendRow(item)
        completer = self.find_box.completer()
        completer.setCompletionPrefix("")
        completer.complete()

    def _find_chosen(self, index: QModelIndex) -> None:
        kind = index.data(ROLE_KIND)
        ident = uuid.UUID(index.data(ROLE_ID))
        QTimer.singleShot(0, self.find_box.clear)
        if kind == "participant":
            self.open_participant(ident)
        elif kind == "meeting":
            self.open_meeting(ident)
        else:
            self.open_action(ident)

    # --- about, settings, closing -------------------------------------------------------

    def show_about(self) -> None:
        signed_in = self.ctx.signed_in.described() if self.ctx.signed_in is not None else ""
        QMessageBox.about(
            self, f"About {APP_NAME}", about_text(database_shown(self.ctx), signed_in)
        )

    def check_for_updates(self, *, quietly: bool = False) -> object | None:
        """Look for a newer version where IT says (``core/policy.py``), on a thread of its own.
        ``quietly`` (start-up): only a newer version is told, in the status bar; else the answer
        is shown whatever it is. Returns the running check (tests wait on it), or None when no
        place is set."""
        from ..core.errors import CoordinatorError
        from ..core.policy import load
        from .updates import NO_SOURCE, UpdateCheck

        try:
            source = load().update_source
        except CoordinatorError as exc:  # IT's policy file is wrong: say so when asked
            if not quietly:
                QMessageBox.information(self, "Check for updates", str(exc))
            return None
        if not source:
            if not quietly:
                QMessageBox.information(self, "Check for updates", NO_SOURCE)
            return None
        check = UpdateCheck(source, self)

        def tell(sentence: str, found: bool) -> None:
            if found:
                self.update_notice = sentence
                self.statusBar().showMessage(sentence)
            if not quietly:
                QMessageBox.information(self, "Check for updates", sentence)

        check.finished.connect(tell)
        check.start()
        self._update_check = check
        return check

    def _restore_settings(self) -> int:
        """Size, place and toolbars as they were; Home selected in the navigation. Returns the
        page shown last time, for ``attach`` to show (building a page needs the data)."""
        from . import widgets

        settings = QSettings()
        geometry = settings.value(KEY_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            # Saved on a bigger screen (a docking station at the office): fit this one.
            widgets.fit_to_screen(self, self.width(), self.height())
        else:
            widgets.fit_to_screen(self, 1200, 800)
        state = settings.value(KEY_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        page = settings.value(KEY_PAGE, PAGE_HOME)
        try:
            index = int(page)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            index = PAGE_HOME
        self.nav.setCurrentRow(PAGE_HOME)
        return index if 0 <= index < len(PAGE_TITLES) else PAGE_HOME

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx is None:  # closed before it had its data: nothing to keep
            super().closeEvent(event)
            return
        for page in self._built.values():
            finish = getattr(page, "finish_editing", None)
            if callable(finish) and not finish():
                event.ignore()
                return
        from . import tasks

        tasks.shutdown()  # cancel a running export cleanly: the old file stays as it was
        settings = QSettings()
        settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        settings.setValue(KEY_STATE, self.saveState())
        settings.setValue(KEY_PAGE, self.pages.currentIndex())
        super().closeEvent(event)


def database_shown(ctx: AppContext) -> str:
    """The open database in words: its file, or ``user@host/database`` (never a password)."""
    from ..core.db import describe_url  # not core.connection's import: 2 ms on the way to Home

    return describe_url(ctx.db.url, ctx.db.path)


def about_text(location: str, signed_in: str = "") -> str:
    import html
    import platform

    import openpyxl
    import PySide6
    import sqlalchemy

    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Forums, attendance, experience, actions and accreditation for NHS locality "
        "involvement coordinators.</p>"
        f"<p><b>Your data is kept in:</b><br>{location}</p>"
        + (f"<p><b>Signed in as:</b><br>{html.escape(signed_in)}</p>" if signed_in else "")
        + "<p><b>Built with</b> (and grateful to):<br>"
        f"Qt for Python (PySide6) {PySide6.__version__}, LGPL v3<br>"
        f"SQLAlchemy {sqlalchemy.__version__} and Alembic, MIT licence<br>"
        f"openpyxl {openpyxl.__version__}, MIT licence<br>"
        "platformdirs, MIT licence; DejaVu fonts, free licence<br>"
        f"Python {platform.python_version()}, PSF licence</p>"
    )
