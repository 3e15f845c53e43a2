"""File > Database…: "This laptop" or a trust server, and the choice at start-up.

The dialog edits a ``core.connection.ConnectionChoice`` (saved as JSON in the config folder,
never with a password); the password goes to the operating system's credential store when
"Remember password on this computer" is ticked, else it is asked for at each start. The app opens
the chosen database at its next start (the one open now holds the one-app-per-database lock and
may have unsaved edits in other windows, so it is not swapped underneath them).

"Test connection" runs ``connection.test_connection`` on the app's background executor
(``ui.tasks``): the dialog stays responsive while a server that is down takes its few seconds to
time out. The sentence it returns (or the error's sentence) is shown under the form.

Pitfall: the password is only ever in the password field, the credential store and memory; it is
never put in a label, a message, the status bar or a log.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...core import connection
from ...core.connection import ConnectionChoice, NoCredentialStoreError
from ...core.errors import CoordinatorError, ValidationError
from .. import focus, tasks, widgets
from ..dialog_sizes import Dialog
from .buttons import letter_buttons

TITLE = "Database"


class DatabaseSettingsDialog(Dialog):
    """Choose the database the app opens at its next start, and test a server connection."""

    def __init__(self, parent: QWidget | None = None, *, folder=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName("Database settings")
        self._folder = folder  # tests point this at a temporary config folder
        self._test_task: tasks.Task | None = None
        self.saved_choice: ConnectionChoice | None = None

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose where the app keeps its data. Most coordinators use this laptop; your IT "
            "team tells you when a trust server is ready, and its details."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.laptop = QRadioButton("This &laptop (works offline; the file is in your data folder)")
        self.server = QRadioButton("A trust &server (needs the trust's network or VPN)")
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.laptop)
        self._kinds.addButton(self.server)
        layout.addWidget(self.laptop)
        layout.addWidget(self.server)

        self.server_box = QGroupBox("Trust server")
        form = QFormLayout(self.server_box)
        self.host = QLineEdit()
        self.host.setAccessibleName("Server name or address")
        self.host.setPlaceholderText("for example db.trust.nhs.uk")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = QLineEdit()
        self.database.setAccessibleName("Database name")
        self.user = QLineEdit()
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.remember = QCheckBox("&Remember password on this computer")
        self.remember.setAccessibleName("Remember password on this computer")
        form.addRow("Server &name or address:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User name:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow("", self.remember)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            shown = label.widget() if label is not None else None
            buddy = field.widget() if field is not None else None
            if isinstance(shown, QLabel) and buddy is not None:
                shown.setBuddy(buddy)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setAccessibleDescription("About remembering the password")
        form.addRow(self.keyring_note)
        test_row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.start_test)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow(test_row)
        layout.addWidget(self.server_box)

        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setAccessibleDescription("Connection test result")
        self.outcome.hide()  # until there is something to say (an empty stop a click could take)
        layout.addWidget(self.outcome)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.laptop.toggled.connect(self._kind_changed)
        self._load()

    # --- showing the saved choice ---------------------------------------------------------

    def _load(self) -> None:
        try:
            choice = connection.load_choice(self._folder)
        except CoordinatorError as exc:
            choice = ConnectionChoice()
            self._say(str(exc), problem=True)
        self.host.setText(choice.host)
        self.port.setValue(choice.port)
        self.database.setText(choice.database)
        self.user.setText(choice.user)
        self._stored: ConnectionChoice | None = None
        self.keyring_ok = connection.keyring_available()
        if self.keyring_ok:
            self.remember.setChecked(choice.remember_password or not choice.is_server)
            self.keyring_note.setText("The password is kept in this computer's password store.")
            if choice.is_server and choice.remember_password:
                try:
                    if connection.load_password(choice) is not None:
                        self._stored = choice
                        self.password.setPlaceholderText("remembered on this computer")
                except NoCredentialStoreError:
                    pass
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.keyring_note.setText(connection.NO_KEYRING)
        (self.server if choice.is_server else self.laptop).setChecked(True)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.server_box.setEnabled(self.server.isChecked())

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))
        self.outcome.setProperty("role", "field-error" if problem else "")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)

    # --- reading the form -----------------------------------------------------------------

    def choice(self) -> ConnectionChoice:
        """What the form says (validated only on use)."""
        return ConnectionChoice(
            kind=connection.SERVER if self.server.isChecked() else connection.LAPTOP,
            host=self.host.text(),
            port=self.port.value(),
            database=self.database.text(),
            user=self.user.text(),
            remember_password=self.remember.isChecked(),
        )

    def _password_for(self, choice: ConnectionChoice) -> str | None:
        """The typed password, else the remembered one for this very server (or None)."""
        typed = self.password.text()
        if typed:
            return typed
        if self._stored is not None and self._stored.keyring_username == choice.keyring_username:
            try:
                return connection.load_password(choice)
            except NoCredentialStoreError:
                return None
        return None

    # --- testing ------------------------------------------------------------------------

    def start_test(self) -> None:
        """Test the server in the form on the background executor; the answer shows below."""
        try:
            choice = connection.validate(self.choice())
        except ValidationError as exc:
            self._say(str(exc), problem=True)
            return
        password = self._password_for(choice)
        self.test_button.setEnabled(False)
        self._say(f"Testing the connection to {choice.described()}…")

        def work(_progress: tasks.Progress, _cancelled: tasks.Cancelled) -> str:
            return connection.test_connection(choice, password)

        task = tasks.Task(work)
        task.signals.finished.connect(self._tested)
        task.signals.failed.connect(self._test_failed)
        task.signals.cancelled.connect(self._test_failed)
        self._test_task = task
        tasks.submit(task)

    def _tested(self, sentence: object) -> None:
        self._test_task = None
        self.test_button.setEnabled(True)
        self._say(str(sentence))

    def _test_failed(self, sentence: str = "The test was stopped.") -> None:
        self._test_task = None
        self.test_button.setEnabled(True)
        self._say(sentence, problem=True)

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        """Save the choice (and the password in the credential store), then say what happens
        next. Stays open with the reason when the form is not complete."""
        try:
            choice = connection.validate(self.choice())
        except ValidationError as exc:
            self._say(str(exc), problem=True)
            return
        previous = self._stored
        note = ""
        if choice.is_server:
            password = self.password.text()
            if choice.remember_password and password:
                try:
                    connection.store_password(choice, password)
                except NoCredentialStoreError as exc:
                    choice = ConnectionChoice(**{**choice.__dict__, "remember_password": False})
                    note = f" {exc}"
            elif not choice.remember_password:
                previous = choice  # forget what may be remembered for this very server too
                note = " The app will ask for the password when it starts."
            elif self._stored is None or self._stored.keyring_username != (choice.keyring_username):
                note = " The app will ask for the password when it starts."
        if previous is not None and (
            previous.keyring_username != choice.keyring_username
            or not choice.is_server
            or not choice.remember_password
        ):
            try:
                connection.forget_password(previous)
            except CoordinatorError as exc:
                note += f" {exc}"
        try:
            connection.save_choice(choice, self._folder)
        except CoordinatorError as exc:
            self._say(str(exc), problem=True)
            return
        self.saved_choice = choice
        where = "the database on this laptop" if not choice.is_server else choice.described()
        widgets.inform(
            self,
            TITLE,
            f"Saved: the app will open {where} the next time it starts.{note}",
        )
        self.accept()

    def done(self, result: int) -> None:
        if self._test_task is not None:
            self._test_task.cancel()  # a connection attempt ends by itself within its timeout
            self._test_task = None
        super().done(result)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        return cls(parent).exec() == QDialog.DialogCode.Accepted


# --- at start-up ----------------------------------------------------------------------------


def ask_password(choice: ConnectionChoice, reason: str) -> str | None:
    """Ask for the server's password at start (echo hidden); None when the user cancels.
    Tests patch this."""
    focus.use_ring_style()
    text, ok = QInputDialog.getText(None, APP_NAME, reason, QLineEdit.EchoMode.Password, "")
    return text if ok and text else None


def offer_laptop_instead(sentence: str) -> bool:
    """The server cannot be used: offer this laptop's database or quit; True to open the
    laptop's. Tests patch this."""
    focus.use_ring_style()
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, sentence, QMessageBox.StandardButton.NoButton
    )
    box.setInformativeText(
        "You can open the database on this laptop instead, or quit and try again later "
        "(File > Database… changes which database the app opens)."
    )
    laptop = box.addButton("Open this &laptop's database", QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(laptop)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is laptop


def keep_asked_password(choice: ConnectionChoice, password: str | None) -> None:
    """A password asked at start that opened the server is kept in the credential store when
    the person chose "Remember password on this computer" and none is kept yet (the store was
    emptied, or this is another computer). Never raises: without a store it is asked again."""
    if not password or not choice.is_server or not choice.remember_password:
        return
    try:
        if connection.load_password(choice) is None:
            connection.store_password(choice, password)
    except CoordinatorError:
        return


def target_at_startup(*, exit_after_startup: bool = False, folder=None) -> tuple[bool, str | None]:
    """What ``app.run`` opens when no ``--db`` was given: ``(True, None)`` for this laptop's
    database, ``(True, url_text)`` for a server that answered, ``(False, None)`` to quit.

    A server that cannot be used (no password, refused, down, newer schema) is explained in one
    sentence; the user may open this laptop's database instead. With ``exit_after_startup``
    nothing is asked: the sentence goes to stderr and the app quits (exit code 1).
    """
    try:
        url = connection.configured_target(
            None if exit_after_startup else ask_password, folder=folder
        )
        if url is None:
            return True, None
        connection.check_server(url)
        keep_asked_password(connection.load_choice(folder), url.password)
    except CoordinatorError as exc:
        if exit_after_startup:
            print(f"coordinator-app: {exc}", file=sys.stderr)
            return False, None
        if offer_laptop_instead(str(exc)):
            return True, None
        return False, None
    return True, connection.url_text_for_opening(url)
