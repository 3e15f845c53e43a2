"""Add or edit a participant, with their consents.

Contact details are kept only with consent: email, phone and postal address are disabled and
cleared while "Consent to contact" is unticked (ticked again, what was there comes back). Saving
a withdrawal that deletes contact details held for the person asks first, once ("Withdrawing
consent to be contacted deletes Abena Evans's email address and phone number. Delete them?");
on Cancel nothing is saved and the consent and the details are shown as they were. The
placeholder of the emptied fields is whole at 1366x768 (issue #24's walk: "Only kept with
consent…" was cut). The postal address is where letters go (papers
to members, issue #29) for someone with no email; the accessible format is the papers' format.
A possible duplicate (same name or email) is pointed out in a notice under the name, never
blocked: two people may share a name.

Without consent the contact fields' Alt letters (Alt+E, Alt+H, Alt+R) lead to the consent box,
with a note under it ("Tick consent to be contacted first..."), instead of doing nothing while
what is typed next goes nowhere (issue #24's walk); the fields stay disabled. Ticking a consent
puts today in an empty consent date (editable), so the record says when consent was given.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ...core import people, projects
from ...core.meetings import list_localities
from ...core.payments.totals import Benefits
from ...core.people import ParticipantInput
from ...core.vocab import AccessibleFormat, Category
from .. import widgets
from ..context import AppContext
from ..drafts import DraftAbout
from ..operations import people as people_ops
from .record_dialog import FieldProblem, RecordDialog, parse_field

#: Shown in the contact fields while there is no consent to contact (short: the phone field is
#: narrow; ``_contact_row`` keeps both fields wide enough for it).
NO_CONSENT = "Needs consent to contact"
#: Shown under the consent box when a contact field's Alt letter is pressed without consent.
TICK_CONSENT_FIRST = (
    "Tick consent to be contacted first: an email address, phone number or postal address is "
    "kept only with consent."
)


class ParticipantDialog(RecordDialog):
    """``result_value`` is the participant's id once saved."""

    #: C is "Consent to be contacted", L Locality, N Name, E Email (and A is free for Cancel
    #: only because Active takes W).
    cancel_text = "C&ancel"

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        participant_id: uuid.UUID | None = None,
        name: str = "",
        locality_id: uuid.UUID | None = None,
        category: Category | None = None,
    ) -> None:
        title = "Edit participant" if participant_id else "New participant"
        super().__init__(ctx, title, parent)
        self.participant_id = participant_id
        #: The version loaded (None for a new participant): saves are checked against it.
        self.version: int | None = None
        #: The consent and contact details as saved (what a withdrawal would delete).
        self._saved_contact: tuple[bool, str, str, str] = (False, "", "", "")
        #: What unticking consent emptied, put back if it is ticked again before saving.
        self._withheld: dict[QWidget, str] = {}
        #: The labels whose Alt letter leads to the consent box while there is no consent.
        self._contact_labels: list[QWidget] = []
        add = self.errors.add_row

        self.name_edit = add(self.form, "&Name", "name", QLineEdit())
        self.duplicate_notice = QLabel()
        self.duplicate_notice.setWordWrap(True)
        self.duplicate_notice.setAccessibleDescription("Possible duplicate")
        self.duplicate_notice.hide()
        self.form.addRow(self.duplicate_notice)
        self.also_known_as_edit = add(self.form, "Also &known as", "also_known_as", QLineEdit())
        self.also_known_as_edit.setToolTip(
            "Other names they go by (a short name, a maiden name), separated by commas: "
            "hidden like their name in returns and printouts."
        )
        self.category_combo = add(self.form, "Cate&gory", "category", QComboBox())
        widgets.fill_combo(self.category_combo, [(c.label, c) for c in Category], keep=False)
        self.locality_combo = add(self.form, "&Locality", "locality", QComboBox())
        widgets.fill_combo(
            self.locality_combo,
            [("Not set", None), *((loc.name, loc.id) for loc in list_localities(ctx.db))],
            keep=False,
        )
        self.organisation_edit = add(self.form, "&Organisation", "organisation", QLineEdit())
        self.consent_check = QCheckBox("Consent to be &contacted (email, phone or post)")
        self.form.addRow("", self.consent_check)
        self.consent_note = QLabel(TICK_CONSENT_FIRST)
        self.consent_note.setWordWrap(True)
        self.consent_note.setAccessibleDescription("Consent needed")
        self.form.addRow("", self.consent_note)
        self.form.setRowVisible(self.consent_note, False)
        self.email_edit, self.phone_edit = self._contact_row()
        postal = widgets.plain_text_edit("Postal address", lines=3)
        postal.setToolTip("Where letters go when they have no email: lines as on an envelope.")
        self.postal_edit = add(self.form, "Postal add&ress", "postal_address", postal)
        self.minutes_check = QCheckBox("Consent to be named in &minutes")
        self.minutes_check.setAccessibleName("Consent to be named in minutes")
        self.form.addRow("", self.minutes_check)
        self.consent_date_edit = add(
            self.form, "Consent &date", "consent_date", widgets.DateEdit(today=ctx.today())
        )
        self.format_combo = add(self.form, "Accessible &format", "accessible_format", QComboBox())
        widgets.fill_combo(self.format_combo, [(f.label, f) for f in AccessibleFormat], keep=False)
        notes = widgets.plain_text_edit("Notes", lines=2)
        self.notes_edit = add(self.form, "No&tes", "notes", notes)
        self._add_benefits(participant_id)
        self.active_check = QCheckBox("Active (takes part no&w)")
        self.active_check.setChecked(True)
        self.form.addRow("", self.active_check)
        #: Read-only: the improvement projects this person is involved in (edited on the
        #: Projects page).
        self.projects_list = QListWidget()
        self.projects_list.setAccessibleName("Improvement projects")
        self.projects_list.setMaximumHeight(self.fontMetrics().height() * 4)
        if participant_id is not None:
            self._fill_projects(participant_id)
            self.form.addRow("Improvement projects", self.projects_list)
        else:
            self.projects_list.hide()
        #: Equality monitoring opens in its own dialog (special-category data, never a draft).
        self.monitoring_button = QPushButton("Equality mon&itoring…")
        self.monitoring_button.setAccessibleName("Equality monitoring")
        self.monitoring_button.clicked.connect(self._monitoring)
        if participant_id is not None:
            self.form.addRow("", self.monitoring_button)
        else:
            self.monitoring_button.hide()

        self.consent_check.toggled.connect(self._consent_toggled)
        postal_row = self.postal_edit.parentWidget()
        assert postal_row is not None
        self._contact_labels.append(self.form.labelForField(postal_row))
        for label in self._contact_labels:
            label.installEventFilter(self)
        # A consent given now is dated today (clicked: the coordinator's tick, not a load).
        self.consent_check.clicked.connect(self._date_consent)
        self.minutes_check.clicked.connect(self._date_consent)
        self.name_edit.editingFinished.connect(self.check_duplicates)
        self.email_edit.editingFinished.connect(self.check_duplicates)

        if participant_id is not None:
            self._load(people.get_participant(ctx.db, participant_id))
            self._load_benefits(participant_id)
        else:
            self.name_edit.setText(" ".join(name.split()))
            widgets.select_data(self.locality_combo, locality_id)
            if category is not None:
                widgets.select_data(self.category_combo, category)
        self._consent_toggled(self.consent_check.isChecked())
        if self.name_edit.text():
            self.check_duplicates()
        self.mark_clean()

    def _contact_row(self) -> tuple[QLineEdit, QLineEdit]:
        """Email and phone side by side, each with its problem under it: one row less, so the
        form with the postal address still fits a 1366x768 screen."""
        email, phone = QLineEdit(), QLineEdit()
        email.setAccessibleName("Email")
        phone.setAccessibleName("Phone")
        for edit in (email, phone):  # the placeholder whole (text margins and frame: 16 px)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(NO_CONSENT) + 16)
        phone_label = QLabel("P&hone")
        phone_label.setBuddy(phone)
        email_label = QLabel("&Email")
        self._contact_labels += [email_label, phone_label]
        self.errors.add_pair(
            self.form, email_label, ("email", email), phone_label, ("phone", phone), (3, 2)
        )
        return email, phone

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        participant_id: uuid.UUID | None = None,
        name: str = "",
        locality_id: uuid.UUID | None = None,
    ) -> uuid.UUID | None:
        """Show the dialog modally; the saved participant's id, or None when cancelled."""
        return cls(
            ctx, parent, participant_id=participant_id, name=name, locality_id=locality_id
        ).run()

    def draft_about(self) -> DraftAbout:
        """A participant's draft is named without their name (it is in the fields)."""
        if self.participant_id is None:
            return DraftAbout("a new participant")
        return DraftAbout(
            "a participant's details",
            ("participants", self.participant_id),
            editing=True,
            reopen={"participant_id": self.participant_id},
        )

    def reload_record(self) -> None:
        assert self.participant_id is not None
        self._load(people.get_participant(self.ctx.db, self.participant_id))
        self._consent_toggled(self.consent_check.isChecked())
        self._fill_projects(self.participant_id)

    def _load(self, row: people.ParticipantRow) -> None:
        self.version = row.version
        self._withheld.clear()
        self._saved_contact = (row.consent_to_contact, row.email, row.phone, row.postal_address)
        self.name_edit.setText(row.name)
        self.also_known_as_edit.setText(row.also_known_as)
        widgets.select_data(self.category_combo, row.category)
        widgets.select_data(self.locality_combo, row.locality_id)
        self.organisation_edit.setText(row.organisation)
        self.consent_check.setChecked(row.consent_to_contact)
        self.email_edit.setText(row.email)
        self.phone_edit.setText(row.phone)
        self.postal_edit.setPlainText(row.postal_address)
        self.minutes_check.setChecked(row.name_in_minutes)
        self.consent_date_edit.set_value(row.consent_date)
        widgets.select_data(self.format_combo, row.accessible_format)
        self.notes_edit.setPlainText(row.notes)
        self.active_check.setChecked(row.active)

    def _add_benefits(self, participant_id: uuid.UUID | None) -> None:
        """Payments and benefits (issue #28): advice offered, vouchers, no payment, and what
        they are paid this week, month and tax year against the trust's threshold."""
        self.benefits_date_edit = self.errors.add_row(
            self.form,
            "&Benefits advice offered on",
            "benefits_advice_on",
            widgets.DateEdit(today=self.ctx.today()),
        )
        self.vouchers_check = QCheckBox("Asked to be paid in &vouchers")
        self.vouchers_check.setAccessibleName("Asked to be paid in vouchers")
        self.form.addRow("", self.vouchers_check)
        self.no_payment_check = QCheckBox("Asked to be &paid nothing")
        self.no_payment_check.setAccessibleName("Asked to be paid nothing")
        self.errors.add_row(self.form, "", "wants_no_payment", self.no_payment_check)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setAccessibleDescription("Payments so far")  # the value is read: no name
        self.form.addRow("Payments so far", self.totals_label)
        if participant_id is None:
            self.totals_label.setText("None yet.")

    def _load_benefits(self, participant_id: uuid.UUID) -> None:
        from ...core.payments.totals import (
            benefits_of,
            payment_settings,
            running_totals,
        )

        answers = benefits_of(self.ctx.db, participant_id)
        self.benefits_date_edit.set_value(answers.benefits_advice_on)
        self.vouchers_check.setChecked(answers.wants_vouchers)
        self.no_payment_check.setChecked(answers.wants_no_payment)
        totals = running_totals(self.ctx.db, participant_id, self.ctx.today())
        text = (
            f"£{totals.week_pence / 100:,.2f} this week, £{totals.month_pence / 100:,.2f} "
            f"this month, £{totals.tax_year_pence / 100:,.2f} this tax year (offered, claimed "
            "or paid; not expenses)."
        )
        settings = payment_settings(self.ctx.db)
        if settings.threshold_pence is not None:
            period = settings.threshold_period
            if totals.of(period) >= settings.threshold_pence:
                text += (
                    f" Warning: at or over the trust's threshold of "
                    f"£{settings.threshold_pence / 100:,.2f} a {period.label.lower()}; "
                    "payments can affect benefits."
                )
        self.totals_label.setText(text)

    def _fill_projects(self, participant_id: uuid.UUID) -> None:
        self.projects_list.clear()
        rows = projects.projects_for_participant(self.ctx.db, participant_id)
        for row in rows:
            self.projects_list.addItem(
                f"{row.title} ({row.locality_name}): {row.role.label}, {row.status.label.lower()}"
            )
        if not rows:
            self.projects_list.addItem("Not involved in any improvement project.")

    def _monitoring(self) -> None:
        from .monitoring_dialog import EqualityMonitoringDialog

        assert self.participant_id is not None
        EqualityMonitoringDialog.ask(self.ctx, self.participant_id, self.name_edit.text(), self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A contact field's Alt letter without consent: to the consent box, with the note."""
        if (
            event.type() == QEvent.Type.Shortcut
            and watched in self._contact_labels
            and not self.consent_check.isChecked()
        ):
            self.consent_check.setAccessibleDescription(TICK_CONSENT_FIRST)
            self.form.setRowVisible(self.consent_note, True)
            self.consent_check.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
            return True
        return super().eventFilter(watched, event)

    def _date_consent(self, ticked: bool) -> None:
        if ticked and not self.consent_date_edit.text().strip():
            self.consent_date_edit.set_value(self.ctx.today())

    def _consent_toggled(self, on: bool) -> None:
        for edit in (self.email_edit, self.phone_edit, self.postal_edit):
            text = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
            if not on:
                if text:
                    self._withheld[edit] = text
                edit.clear()
                edit.setPlaceholderText(NO_CONSENT)
            else:
                edit.setPlaceholderText("")
                kept = self._withheld.pop(edit, "")
                if kept and not text:
                    if isinstance(edit, QPlainTextEdit):
                        edit.setPlainText(kept)
                    else:
                        edit.setText(kept)
            edit.setEnabled(on)
        if on:
            self.form.setRowVisible(self.consent_note, False)
            self.consent_check.setAccessibleDescription("")
            for key in ("email", "phone", "postal_address"):
                self.errors.clear(key)

    def check_duplicates(self) -> None:
        """Point out people with the same name or email (a notice, never a block)."""
        name = self.name_edit.text().strip()
        email = self.email_edit.text().strip()
        found = (
            people.possible_duplicates(self.ctx.db, name, email, exclude_id=self.participant_id)
            if name or email
            else []
        )
        if not found:
            self.duplicate_notice.clear()
            self.duplicate_notice.hide()
            return
        described = "; ".join(
            f"{row.name} ("
            + ", ".join(p for p in (row.category.label, row.locality_name, row.email) if p)
            + ")"
            for row in found[:3]
        )
        self.duplicate_notice.setText(
            f"Note: this may be someone already here: {described}. "
            "You can still save if this is a different person."
        )
        self.duplicate_notice.show()

    def input(self) -> ParticipantInput:
        problems: dict[str, str] = {}
        consent_date = parse_field(problems, "consent_date", self.consent_date_edit.value)
        advice_on = parse_field(problems, "benefits_advice_on", self.benefits_date_edit.value)
        if problems:
            raise FieldProblem(problems)
        return ParticipantInput(
            name=self.name_edit.text(),
            category=self.category_combo.currentData(),
            locality_id=self.locality_combo.currentData(),
            organisation=self.organisation_edit.text(),
            email=self.email_edit.text() if self.consent_check.isChecked() else "",
            phone=self.phone_edit.text() if self.consent_check.isChecked() else "",
            postal_address=(
                self.postal_edit.toPlainText() if self.consent_check.isChecked() else ""
            ),
            consent_to_contact=self.consent_check.isChecked(),
            name_in_minutes=self.minutes_check.isChecked(),
            consent_date=consent_date,
            accessible_format=self.format_combo.currentData(),
            notes=self.notes_edit.toPlainText(),
            active=self.active_check.isChecked(),
            also_known_as=self.also_known_as_edit.text(),
            benefits=Benefits(
                advice_on, self.vouchers_check.isChecked(), self.no_payment_check.isChecked()
            ),
        )

    def try_save(self) -> bool:
        """Save (``RecordDialog.try_save``), asking first when it withdraws consent and so
        deletes contact details held for the person; on Cancel nothing is saved and consent
        is ticked again, the details back in their fields."""
        if not self._erasure_agreed():
            self.consent_check.setChecked(True)
            return False
        return super().try_save()

    def _erasure_agreed(self) -> bool:
        consented, email, phone, postal = self._saved_contact
        if self.participant_id is None or not consented or self.consent_check.isChecked():
            return True
        held = [
            what
            for what, value in (
                ("email address", email),
                ("phone number", phone),
                ("postal address", postal),
            )
            if value.strip()
        ]
        if not held:
            return True
        listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
        name = " ".join(self.name_edit.text().split()) or "this person"
        return widgets.confirm(
            self,
            "Withdraw consent to contact",
            f"Withdrawing consent to be contacted deletes {name}'s {listed}. "
            f"Delete {'it' if len(held) == 1 else 'them'}?",
            yes="&Delete and save",
        )

    def save(self) -> uuid.UUID:
        data = self.input()
        if self.participant_id is None:
            self.participant_id = people_ops.create_participant(self, self.ctx, data).call()
        else:
            self.version = people_ops.update_participant(
                self, self.ctx, self.participant_id, data, expected_version=self.version
            ).call()
        return self.participant_id
