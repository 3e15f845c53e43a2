"""The first-run welcome: the trust's name, the coordinator's name and their localities, and
how to start (empty, or with demo data to look around)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME
from ...core.errors import ValidationError
from ..context import AppContext
from ..dialog_sizes import Dialog
from ..operations import importing


class WelcomeDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<h2>Welcome to {APP_NAME}</h2>"
            "<p>Keep your forums, who came, what people said, the actions agreed "
            "(“you said, we did”) and your locality's accreditation in one place, "
            "on this laptop, even with no network.</p>"
            "<p>A few questions to start. You can change every answer later, in Edit > "
            "Organisation.</p>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)

        form = QFormLayout()
        self.trust = QLineEdit()
        self.trust.setAccessibleName("Trust name")
        self.trust.setPlaceholderText("e.g. Arden Valley Partnership NHS Foundation Trust")
        self.coordinator = QLineEdit()
        self.coordinator.setAccessibleName("Your name")
        self.localities = QLineEdit()
        self.localities.setAccessibleName("Your localities, separated by commas")
        self.localities.setPlaceholderText("e.g. Rugby, North Warwickshire")
        self.forums = QPlainTextEdit()
        self.forums.setAccessibleName("Your forums, one a line: locality, colon, forum name")
        self.forums.setTabChangesFocus(True)
        lines = 4
        self.forums.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self._forums_typed = False
        self.localities.textChanged.connect(self._propose_forums)
        self.forums.textChanged.connect(self._forums_edited)
        self.errors: dict[str, QLabel] = {}
        for key, label, field in (
            ("trust_name", "&Trust:", self.trust),
            ("coordinator_name", "&Your name:", self.coordinator),
            ("localities", "Your &localities:", self.localities),
            ("forums", "Your f&orums:", self.forums),
        ):
            error = QLabel()
            error.setProperty("role", "field-error")
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(field)
            box.addWidget(error)
            form.addRow(label, box)
            label_widget = form.labelForField(box)
            if isinstance(label_widget, QLabel):
                label_widget.setBuddy(field)
        layout.addLayout(form)
        forums_hint = QLabel(
            "One forum a line, after its locality and a colon (one is proposed for each "
            "locality). Add or change forums later in Edit > Organisation."
        )
        forums_hint.setWordWrap(True)
        layout.addWidget(forums_hint)

        # Each choice has its own Alt letter (Trust, Your name, localities, forums, Start and
        # Cancel hold t, y, l, o, s and c).
        self.start_empty = QRadioButton("Start with my own data (an &empty database)")
        self.start_import = QRadioButton(
            "Start with my own data and bring in an existing s&preadsheet now"
        )
        self.start_demo = QRadioButton(
            "Load &demo data to look around (made-up people and meetings: for trying the app only)"
        )
        self.start_empty.setChecked(True)
        layout.addWidget(self.start_empty)
        layout.addWidget(self.start_import)
        layout.addWidget(self.start_demo)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start")
        # Qt names it "Cancel", with no Alt letter (tests/ui/test_mnemonics.py).
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        for label in self.errors.values():
            label.hide()
        if self.start_demo.isChecked():
            if not importing.load_demo(self, self.ctx):
                return
        else:
            outcome = (
                importing.complete_first_run(
                    self,
                    self.ctx,
                    trust_name=self.trust.text(),
                    coordinator_name=self.coordinator.text(),
                    localities=self.localities.text().split(","),
                    forums=self.forum_lines(),
                )
                .validation(self._show_problems)
                .wait()
            )
            if not outcome.ok:
                return
        super().accept()
        if self.start_import.isChecked():
            from .import_wizard import ImportWizard

            ImportWizard.ask(self.ctx, self.parentWidget())

    def _propose_forums(self, text: str) -> None:
        """While the forums box has not been typed in, propose a locality forum for each
        locality ("Rugby: Rugby Locality Forum")."""
        if self._forums_typed:
            return
        names = [" ".join(n.split()) for n in text.split(",") if n.strip()]
        self.forums.blockSignals(True)
        self.forums.setPlainText("\n".join(f"{n}: {n} Locality Forum" for n in names))
        self.forums.blockSignals(False)

    def _forums_edited(self) -> None:
        self._forums_typed = True

    def forum_lines(self) -> list[tuple[str, str]]:
        """``(locality, forum)`` from the forums box; a line without a colon belongs to the only
        locality when there is one, else to none (and is refused by name)."""
        names = [n.strip() for n in self.localities.text().split(",") if n.strip()]
        found = []
        for line in self.forums.toPlainText().splitlines():
            if not line.strip():
                continue
            place, colon, forum = line.partition(":")
            if not colon:
                place, forum = (names[0] if len(names) == 1 else ""), line
            found.append((place.strip(), forum.strip()))
        return found

    def _show_problems(self, exc: ValidationError) -> None:
        for key, sentence in exc.problems.items():
            if key in self.errors:
                self.errors[key].setText(sentence)
                self.errors[key].show()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> bool:
        """Show the welcome; True when the user finished it (tests patch this)."""
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
