"""Dialogs of the Accreditation page: start a new assessment, and raise an action from a gap
(a standard rated partly met or not met).

Each saves through one core call on Save (see ``record_dialog``) and announces the change on
``ctx.events``. Pages open them through ``ask`` (tests patch it; nothing here is ``exec``ed in a
test).
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from ...core import accreditation, actions, staff, standards
from ...core.actions import ActionInput
from ...core.meetings import list_localities
from ...core.vocab import ActionLevel, ActionStatus, AssessmentKind
from .. import widgets
from ..context import AppContext
from ..drafts import DraftAbout
from ..operations import accreditation as accreditation_ops
from ..operations import actions as action_ops
from .record_dialog import FieldProblem, RecordDialog, parse_field

ASSESSORS_HINT = (
    "Names separated by commas. Peer reviewers may be service users or carers; write their names "
    "as they wish to be named."
)


class NewAssessmentDialog(RecordDialog):
    """Start an assessment: locality, framework, self-review or peer review, date, assessors.
    ``result_value`` is the new assessment's id."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(ctx, "New assessment", parent)
        add = self.errors.add_row
        self.locality_combo = add(self.form, "&Locality", "locality", QComboBox())
        widgets.fill_combo(
            self.locality_combo,
            [(loc.name, loc.id) for loc in list_localities(ctx.db) if loc.active],
            keep=False,
        )
        if locality_id is not None:
            widgets.select_data(self.locality_combo, locality_id)
        self.framework_combo = add(self.form, "&Framework", "framework", QComboBox())
        frameworks = standards.list_frameworks(ctx.db)
        # The newest issue first: a new assessment usually uses the latest version.
        frameworks.sort(key=lambda f: (f.issued_on is not None, f.issued_on), reverse=True)
        widgets.fill_combo(
            self.framework_combo,
            [(f"{f.title}, {f.standard_count} standards", f.id) for f in frameworks],
            keep=False,
        )
        self.kind_combo = add(self.form, "&Kind", "kind", QComboBox())
        widgets.fill_combo(self.kind_combo, [(k.label, k) for k in AssessmentKind], keep=False)
        self.date_edit = add(self.form, "&Date", "assessed_on", widgets.DateEdit(today=ctx.today()))
        self.date_edit.set_value(ctx.today())
        self.assessors_edit = add(self.form, "&Assessors", "assessors", QLineEdit())
        self.assessors_edit.setPlaceholderText("e.g. Zoë Smith, Siân O'Neill")
        self.assessors_edit.setToolTip(ASSESSORS_HINT)
        self.assessors_edit.setAccessibleDescription(ASSESSORS_HINT)
        hint = QLabel(ASSESSORS_HINT)
        hint.setWordWrap(True)
        self.form.addRow("", hint)
        if not frameworks:
            self.set_intro(
                "No standards framework is loaded yet: import one on the Frameworks tab first."
            )
        self.mark_clean()

    @classmethod
    def ask(
        cls, ctx: AppContext, parent: QWidget | None = None, *, locality_id: uuid.UUID | None = None
    ) -> uuid.UUID | None:
        return cls(ctx, parent, locality_id=locality_id).run()

    def draft_about(self) -> DraftAbout:
        return DraftAbout("a new assessment")

    def save(self) -> uuid.UUID:
        problems: dict[str, str] = {}
        assessed_on = parse_field(problems, "assessed_on", self.date_edit.value)
        if assessed_on is None and "assessed_on" not in problems:
            problems["assessed_on"] = "Give the date of the assessment."
        if self.locality_combo.currentData() is None:
            problems["locality"] = "Choose the locality being assessed."
        if self.framework_combo.currentData() is None:
            problems["framework"] = "Choose the standards framework to assess against."
        if problems:
            raise FieldProblem(problems)
        return accreditation_ops.start_assessment(
            self,
            self.ctx,
            locality_id=self.locality_combo.currentData(),
            framework_id=self.framework_combo.currentData(),
            kind=self.kind_combo.currentData(),
            assessed_on=assessed_on,
            assessors=self.assessors_edit.text().split(","),
        ).call()


class AssessmentActionDialog(RecordDialog):
    """Raise an action for a gap: pre-filled "Meet standard <code>: <title>", level locality,
    raised today, in the assessment's locality, and linked to the standard check.
    ``result_value`` is the new action's id."""

    def __init__(self, ctx: AppContext, check_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Raise an action for a standard", parent)
        self.check_id = check_id
        with ctx.db.session() as session:
            _, self.locality_id, code, title = accreditation.check_info(session, check_id)
        self.code = code
        locality = next(
            (loc.name for loc in list_localities(ctx.db) if loc.id == self.locality_id), ""
        )
        add = self.errors.add_row
        self.locality_label = add(self.form, "Locality", None, QLabel(locality))
        self.title_edit = add(self.form, "&Action", "title", QLineEdit())
        self.title_edit.setText(accreditation.action_title_for(code, title))
        self.detail_edit = add(
            self.form, "&Detail", "detail", widgets.plain_text_edit("Detail", lines=3)
        )
        self.owner_edit = add(self.form, "&Owner", "owner", QLineEdit())
        widgets.suggest(self.owner_edit, staff.owner_choices(ctx.db))
        self.raised_edit = add(
            self.form, "&Raised on", "raised_on", widgets.DateEdit(today=ctx.today())
        )
        self.raised_edit.set_value(ctx.today())
        self.due_edit = add(self.form, "D&ue on", "due_on", widgets.DateEdit(today=ctx.today()))
        self.level_combo = add(self.form, "&Level", "level", QComboBox())
        widgets.fill_combo(self.level_combo, [(lv.label, lv) for lv in ActionLevel], keep=False)
        widgets.select_data(self.level_combo, ActionLevel.LOCALITY)
        self.priority_combo = add(
            self.form, "Strategic &priority", "strategic_priority", QComboBox()
        )
        widgets.fill_combo(
            self.priority_combo,
            [("None", None), *((p.name, p.id) for p in actions.list_priorities(ctx.db))],
            keep=False,
        )
        self.set_intro(
            f"The action is raised in {locality} and linked to standard {code}, so the standard "
            "shows it until it is closed."
        )
        self.mark_clean()

    @classmethod
    def ask(
        cls, ctx: AppContext, check_id: uuid.UUID, parent: QWidget | None = None
    ) -> uuid.UUID | None:
        return cls(ctx, check_id, parent).run()

    def draft_about(self) -> DraftAbout:
        return DraftAbout(
            f"a new action for standard {self.code}",
            ("standard_checks", self.check_id),
            reopen={"check_id": self.check_id},
        )

    def save(self) -> uuid.UUID:
        problems: dict[str, str] = {}
        raised_on = parse_field(problems, "raised_on", self.raised_edit.value)
        due_on = parse_field(problems, "due_on", self.due_edit.value)
        if problems:
            raise FieldProblem(problems)
        action_id = action_ops.raise_action(
            self,
            self.ctx,
            locality_id=self.locality_id,
            data=ActionInput(
                title=self.title_edit.text(),
                detail=self.detail_edit.toPlainText(),
                owner=self.owner_edit.text(),
                level=self.level_combo.currentData(),
                strategic_priority_id=self.priority_combo.currentData(),
                raised_on=raised_on,
                due_on=due_on,
                status=ActionStatus.OPEN,
            ),
            standard_check_id=self.check_id,
            today=self.ctx.today(),
        ).call()
        return action_id
