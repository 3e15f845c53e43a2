"""Access on a trust server: choosing one's own password at the first sign-in, and the
administrator's list of logins (Edit > Logins and access…), over ``core/access.py``.

Both write through ``ui/operations/access.py``. Pitfall: a password is only ever in a
password field (echo hidden), the operation's closure and the credential store; never in a
label, a message, the status bar or a log.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import access, connection
from ...core.access import MIN_PASSWORD_LENGTH
from ...core.errors import CoordinatorError
from ...core.vocab import AccessRole
from .. import operations, widgets
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import access as access_ops
from .buttons import letter_buttons


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setProperty("role", "field-error")
    label.setAccessibleDescription(name)
    label.hide()
    return label


class ChangePasswordDialog(Dialog):
    """Choose a new password for the signed-in login (asked at the first sign-in after
    ``access add``: until then the server shows the login nothing personal)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, first: bool) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Choose your password")
        layout = QVBoxLayout(self)
        login = ctx.signed_in.login if ctx.signed_in is not None else ""
        intro = QLabel(
            (
                f"You are signed in as {login} with the first password you were given. Choose "
                "your own now: until you do, the server shows you nobody's records."
                if first
                else f"Choose a new password for {login}."
            )
            + f" It needs at least {MIN_PASSWORD_LENGTH} characters; a few words you will "
            "remember are best."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.password = _password_field("New password")
        self.again = _password_field("New password again")
        for text, field in (("&New password:", self.password), ("&Again:", self.again)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.remember = QCheckBox("&Remember it on this computer (in its password store)")
        self.remember.setChecked(connection.keyring_available())
        self.remember.setEnabled(connection.keyring_available())
        layout.addWidget(self.remember)
        self.problem = _problem_label("Why the password was not changed")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(buttons)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _say(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()

    def save(self) -> None:
        password = self.password.text()
        if password != self.again.text():
            self._say("The two passwords differ; type the same one twice.")
            return
        outcome = (
            access_ops.change_own_password(self, self.ctx, password)
            .validation(lambda exc: self._say(str(exc)))
            .failure(lambda exc: self._say(str(exc)))
            .wait()
        )
        if not outcome.ok:
            return
        if self.remember.isChecked():  # not kept there: said, and the change stands
            url = self.ctx.db.url
            operations.attempt(
                self,
                "Password changed",
                lambda: connection.store_password(connection.choice_from_url(url), password),
                on_refused=lambda exc: widgets.inform(
                    self, "Password changed", f"Your password is changed. {exc}"
                ),
            )
        self.ctx.signed_in = access.signed_in(self.ctx.db)
        self.accept()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None, *, first: bool) -> bool:
        return cls(ctx, parent, first=first).exec() == QDialog.DialogCode.Accepted


class AddLoginDialog(Dialog):
    """A new login: its name, its role, a coordinator's localities and the first password."""

    def __init__(self, ctx: AppContext, localities: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Add a login")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.login = QLineEdit()
        self.login.setAccessibleName("Login name")
        self.login.setPlaceholderText("for example sian.evans")
        form.addRow("&Login:", self.login)
        roles = QVBoxLayout()
        self.roles = QButtonGroup(self)
        self.role_buttons: dict[AccessRole, QRadioButton] = {}
        for role, words in (
            (AccessRole.COORDINATOR, "&Coordinator of the localities ticked below"),
            (AccessRole.ENGAGEMENT_GROUP, "&Engagement group (figures and returns, no details)"),
            (AccessRole.ADMINISTRATOR, "A&dministrator (logins, localities and access)"),
        ):
            button = QRadioButton(words)
            button.setAccessibleName(role.label)
            self.roles.addButton(button)
            self.role_buttons[role] = button
            roles.addWidget(button)
        self.role_buttons[AccessRole.COORDINATOR].setChecked(True)
        form.addRow("Role:", roles)
        self.localities = QListWidget()
        self.localities.setAccessibleName("Localities")
        for name in localities:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.localities.addItem(item)
        form.addRow("Localities:", self.localities)
        self.password = _password_field("First password")
        self.again = _password_field("First password again")
        form.addRow("First &password:", self.password)
        form.addRow("&Again:", self.again)
        layout.addLayout(form)
        note = QLabel(
            "Give the person the first password in person or by phone; they choose their own "
            "when they first sign in."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = _problem_label("Why the login was not added")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(buttons, cancel="Ca&ncel")  # C is Coordinator, A Again, L Login
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_role(self) -> AccessRole:
        for role, button in self.role_buttons.items():
            if button.isChecked():
                return role
        return AccessRole.COORDINATOR

    def ticked(self) -> list[str]:
        return [
            self.localities.item(i).text()
            for i in range(self.localities.count())
            if self.localities.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        if self.password.text() != self.again.text():
            self.problem.setText("The two passwords differ; type the same one twice.")
            self.problem.show()
            return
        role = self.chosen_role()
        localities = self.ticked() if role is AccessRole.COORDINATOR else []

        def say(exc: CoordinatorError) -> None:
            self.problem.setText(str(exc))
            self.problem.show()

        outcome = (
            access_ops.add_login(
                self, self.ctx, self.login.text(), role, self.password.text(), localities
            )
            .validation(say)
            .failure(say)
            .wait()
        )
        if outcome.ok:
            self.accept()


class AccessDialog(Dialog):
    """Edit > Logins and access… (an administrator, or the database owner): who has a login
    and what each may see; add, change a coordinator's localities, remove."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Logins and access")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each person signs in to the trust server with their own login, and the server "
            "shows them only what their role needs."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Login", "Role", "Localities", "Password"])
        self.table.setAccessibleName("Logins")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.clicked.connect(self.add)
        self.localities_button = QPushButton("Change &localities…")
        self.localities_button.clicked.connect(self.change_localities)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove)
        for button in (self.add_button, self.localities_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        letter_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.entries: list[access.Access] = []
        self.refresh()

    def _locality_names(self) -> list[str]:
        from ...core.meetings import list_localities

        return [loc.name for loc in list_localities(self.ctx.db)]

    def refresh(self) -> None:
        self.entries = access.list_access(self.ctx.db)
        self.table.setRowCount(len(self.entries))
        for i, entry in enumerate(self.entries):
            values = (
                entry.login,
                entry.role.label,
                ", ".join(entry.localities),
                "must change" if entry.must_change_password else "chosen",
            )
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))

    def selected(self) -> access.Access | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def add(self) -> None:
        if AddLoginDialog(self.ctx, self._locality_names(), self).exec():
            self.refresh()

    def change_localities(self) -> None:
        entry = self.selected()
        if entry is None or entry.role is not AccessRole.COORDINATOR:
            widgets.inform(self, "Change localities", "Choose a coordinator's login first.")
            return
        chooser = QDialog(self)
        chooser.setWindowTitle(f"Localities of {entry.login}")
        box = QVBoxLayout(chooser)
        listed = QListWidget()
        listed.setAccessibleName("Localities")
        for name in self._locality_names():
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name in entry.localities
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            listed.addItem(item)
        box.addWidget(listed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        letter_buttons(buttons)
        buttons.accepted.connect(chooser.accept)
        buttons.rejected.connect(chooser.reject)
        box.addWidget(buttons)
        if not chooser.exec():
            return
        names = [
            listed.item(i).text()
            for i in range(listed.count())
            if listed.item(i).checkState() == Qt.CheckState.Checked
        ]
        outcome = access_ops.set_localities(self, self.ctx, entry.login, names).wait()
        if outcome.ok:
            self.refresh()

    def remove(self) -> None:
        entry = self.selected()
        if entry is None:
            widgets.inform(self, "Remove a login", "Choose a login first.")
            return
        if not widgets.confirm(
            self,
            "Remove a login",
            f"Remove {entry.login}? They will no longer be able to sign in.",
            yes="Remove",
        ):
            return
        outcome = access_ops.remove_login(self, self.ctx, entry.login).wait()
        if outcome.ok:
            self.refresh()
