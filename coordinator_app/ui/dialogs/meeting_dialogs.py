"""Dialogs that add to a meeting: the meeting itself, an experience item, an action, a payment.

Each saves through one core function on Save (see ``record_dialog``) and announces the change
on ``ctx.events``.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...core import actions, drafts, forum_usual, meetings, staff
from ...core.actions import KEEP, ActionInput, ActionRow
from ...core.bank_holidays import bank_holiday
from ...core.errors import NotFoundError
from ...core.meetings import (
    ExperienceInput,
    ExperienceRow,
    MeetingInput,
)
from ...core.vocab import (
    ActionLevel,
    ActionStatus,
    ExperienceKind,
    MeetingFormat,
    MeetingStatus,
)
from .. import widgets
from ..context import AppContext
from ..drafts import DraftAbout
from ..operations import actions as action_ops
from ..operations import meetings as meeting_ops
from .payments.meeting import PaymentDialog, payment_choices  # noqa: F401 (moved, issue #28)
from .record_dialog import (
    FieldProblem,
    RecordDialog,
    answered_item,
    answers_choices,
    hint_label,
    parse_field,
)


def forum_choices(ctx: AppContext) -> list[tuple[str, object]]:
    """Active forums as "Locality: Forum (kind)", grouped by locality."""
    forums = sorted(meetings.list_forums(ctx.db), key=lambda f: (f.locality_name, f.name))
    return [(f"{f.locality_name}: {f.name} ({f.kind.label})", f.id) for f in forums]


class NewMeetingDialog(RecordDialog):
    """Plan a new meeting: forum, date, times, venue and format (the forum's defaults offered).
    ``result_value`` is the new meeting's id."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, forum_id: uuid.UUID | None = None
    ) -> None:
        super().__init__(ctx, "New meeting", parent)
        add = self.errors.add_row
        self._forums = {f.id: f for f in meetings.list_forums(ctx.db)}
        self.forum_combo = add(self.form, "&Forum", "forum", QComboBox())
        widgets.fill_combo(
            self.forum_combo, [("Choose a forum…", None), *forum_choices(ctx)], keep=False
        )
        today = ctx.today()
        self.date_edit = add(self.form, "&Date", "meeting_date", widgets.DateEdit(today=today))
        self.start_edit = add(self.form, "Start t&ime", "start_time", widgets.TimeEdit())
        self.end_edit = add(self.form, "&End time", "end_time", widgets.TimeEdit())
        self.venue_edit = add(self.form, "&Venue", "venue", QLineEdit())
        self.format_combo = add(self.form, "F&ormat", "format", QComboBox())
        widgets.fill_combo(self.format_combo, [(f.label, f) for f in MeetingFormat], keep=False)
        self.usual_hint = hint_label("")
        self.usual_hint.setAccessibleDescription("What the forum usually does")
        self.usual_hint.hide()
        self.form.addRow("", self.usual_hint)
        self.holiday_hint = hint_label("")
        self.holiday_hint.setAccessibleDescription("A bank holiday on the date")
        self.holiday_hint.hide()
        self.form.addRow("", self.holiday_hint)
        self.date_edit.textChanged.connect(self._say_holiday)
        #: The date last proposed from a forum's usual day (replaced when another forum is
        #: chosen, unless a date has been typed since).
        self._proposed: date | None = None  # the box starts empty
        self.forum_combo.currentIndexChanged.connect(self._forum_chosen)
        if forum_id is not None:
            widgets.select_data(self.forum_combo, forum_id)
        self.mark_clean()

    @classmethod
    def ask(
        cls, ctx: AppContext, parent: QWidget | None = None, *, forum_id: uuid.UUID | None = None
    ) -> uuid.UUID | None:
        return cls(ctx, parent, forum_id=forum_id).run()

    def draft_about(self) -> DraftAbout:
        return DraftAbout("a new meeting")

    def _forum_chosen(self) -> None:
        """The forum's usual venue, format, times and day offered (what was typed is kept), and
        what it usually does said under the boxes."""
        forum = self._forums.get(self.forum_combo.currentData())
        if forum is None:
            self.usual_hint.hide()
            return
        usual = forum.usual
        if not self.venue_edit.text().strip():
            self.venue_edit.setText(forum.default_venue)
        widgets.select_data(self.format_combo, forum.default_format)
        if not self.start_edit.text().strip() and usual.start is not None:
            self.start_edit.set_value(usual.start)
        if not self.end_edit.text().strip() and usual.end is not None:
            self.end_edit.set_value(usual.end)
        proposed = forum_usual.next_date(usual, self.ctx.today())
        typed = parse_field({}, "meeting_date", self.date_edit.value)
        if proposed is not None and typed == self._proposed:
            self.date_edit.set_value(proposed)
            self._proposed = proposed
        said = []
        if described := forum_usual.describe(usual):
            said.append(f"Usually {described}.")
        if count := len(usual.standing_items):
            items = "item" if count == 1 else "items"
            said.append(f"The agenda starts with its {count} standing {items}.")
        self.usual_hint.setText(" ".join(said))
        self.usual_hint.setVisible(bool(said))
        self._grow_to_fit()

    def _say_holiday(self) -> None:
        """A date on a bank holiday is pointed out under the boxes (Christmas Day is the fourth
        Friday of December 2026), never refused: some forums do meet then."""
        day = parse_field({}, "meeting_date", self.date_edit.value)  # None while half typed
        name = bank_holiday(day) if isinstance(day, date) else None
        self.holiday_hint.setText(f"{day:%-d %B %Y} is {name}, a bank holiday." if name else "")
        self.holiday_hint.setVisible(name is not None)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Taller if the words under the boxes need it (they wrap: never cut off)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, self.sizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def input(self) -> MeetingInput:
        problems: dict[str, str] = {}
        meeting_date = parse_field(problems, "meeting_date", self.date_edit.value)
        start = parse_field(problems, "start_time", self.start_edit.value)
        end = parse_field(problems, "end_time", self.end_edit.value)
        if problems:
            raise FieldProblem(problems)
        return MeetingInput(
            forum_id=self.forum_combo.currentData(),
            meeting_date=meeting_date,
            start_time=start,
            end_time=end,
            venue=self.venue_edit.text(),
            format=self.format_combo.currentData(),
            status=MeetingStatus.PLANNED,
        )

    def save(self) -> uuid.UUID:
        """Planned in the app: its agenda starts with the forum's standing items."""
        return meeting_ops.create_meeting(self, self.ctx, self.input(), standing_items=True).call()


class ExperienceDialog(RecordDialog):
    """Add or edit an experience item heard at a meeting."""

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        item: ExperienceRow | None = None,
    ) -> None:
        super().__init__(ctx, "Edit experience" if item else "Add experience", parent)
        self.meeting_id = meeting_id
        self.item = item
        add = self.errors.add_row
        self.kind_combo = add(self.form, "&Kind", "kind", QComboBox())
        widgets.fill_combo(self.kind_combo, [(k.label, k) for k in ExperienceKind], keep=False)
        self.theme_edit = add(self.form, "&Theme", "theme", QLineEdit())
        self.service_edit = add(self.form, "Ser&vice or team", "service", QLineEdit())
        words = meetings.experience_words(ctx.db)
        widgets.suggest(self.theme_edit, words.themes)
        widgets.suggest(self.service_edit, words.services)
        self.summary_edit = add(
            self.form, "S&ummary (what was said)", "summary", widgets.plain_text_edit("Summary")
        )
        self.response_edit = add(
            self.form,
            "&Response (we did)",
            "response",
            widgets.plain_text_edit("Response", lines=3),
        )
        self.responded_edit = add(
            self.form, "Responded &on", "responded_on", widgets.DateEdit(today=ctx.today())
        )
        self.set_intro(
            "Write what was said without naming service users or carers: the summary goes into "
            "the monthly return."
        )
        if item is not None:
            widgets.select_data(self.kind_combo, item.kind)
            self.theme_edit.setText(item.theme)
            self.service_edit.setText(item.service)
            self.summary_edit.setPlainText(item.summary)
            self.response_edit.setPlainText(item.response)
            self.responded_edit.set_value(item.responded_on)
        self.mark_clean()

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        meeting_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        item: ExperienceRow | None = None,
    ) -> uuid.UUID | None:
        return cls(ctx, meeting_id, parent, item=item).run()

    def draft_about(self) -> DraftAbout:
        at = drafts.meeting_title(self.ctx.db, self.meeting_id)
        if self.item is None:
            return DraftAbout(
                f"experience heard at {at}",
                ("meetings", self.meeting_id),
                reopen={"meeting_id": self.meeting_id},
            )
        return DraftAbout(
            f"the experience heard at {at}",
            ("experience_items", self.item.id),
            editing=True,
            reopen={"meeting_id": self.meeting_id, "item_id": self.item.id},
        )

    @classmethod
    def from_draft(
        cls, ctx: AppContext, reopen: dict[str, uuid.UUID | None], parent: QWidget | None
    ) -> ExperienceDialog:
        meeting_id = reopen["meeting_id"]
        assert meeting_id is not None
        item = None
        if reopen.get("item_id") is not None:
            detail = meetings.get_meeting(ctx.db, meeting_id)
            item = next((e for e in detail.experience if e.id == reopen["item_id"]), None)
            if item is None:
                raise NotFoundError("That experience item has been deleted.")
        return cls(ctx, meeting_id, parent, item=item)

    def input(self) -> ExperienceInput:
        problems: dict[str, str] = {}
        responded_on = parse_field(problems, "responded_on", self.responded_edit.value)
        if problems:
            raise FieldProblem(problems)
        return ExperienceInput(
            kind=self.kind_combo.currentData(),
            theme=self.theme_edit.text(),
            service=self.service_edit.text(),
            summary=self.summary_edit.toPlainText(),
            response=self.response_edit.toPlainText(),
            received_on=self.item.received_on if self.item else None,
            responded_on=responded_on,
        )

    def save(self) -> uuid.UUID:
        data = self.input()
        if self.item is None:
            return meeting_ops.add_experience(self, self.ctx, self.meeting_id, data).call()
        item_id = self.item.id
        meeting_ops.update_experience(self, self.ctx, self.meeting_id, item_id, data).call()
        return item_id


class ActionDialog(RecordDialog):
    """Raise an action at a meeting, or edit one (status and outcome only when editing)."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        locality_id: uuid.UUID,
        meeting_id: uuid.UUID | None = None,
        action: ActionRow | None = None,
        parent: QWidget | None = None,
        answers: uuid.UUID | None = None,
    ) -> None:
        super().__init__(ctx, "Edit action" if action else "Raise an action", parent)
        self.locality_id = locality_id
        self.meeting_id = meeting_id
        self.action = action
        add = self.errors.add_row
        self.title_edit = add(self.form, "&Action", "title", QLineEdit())
        self.detail_edit = add(
            self.form, "&Detail", "detail", widgets.plain_text_edit("Detail", lines=3)
        )
        self.owner_edit = add(self.form, "&Owner", "owner", QLineEdit())
        widgets.suggest(self.owner_edit, staff.owner_choices(ctx.db))
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
        self.status_combo = add(self.form, "&Status", "status", QComboBox())
        widgets.fill_combo(self.status_combo, [(s.label, s) for s in ActionStatus], keep=False)
        self.outcome_edit = add(
            self.form, "Ou&tcome (we did)", "outcome", widgets.plain_text_edit("Outcome", lines=3)
        )
        # What was said that this answers ("you said" -> "we will").
        self.answers_combo = add(self.form, "Answers w&hat was said", "answers", QComboBox())
        said = answers_choices(ctx, meeting_id)
        widgets.fill_combo(self.answers_combo, said, keep=False)
        holder = self.answers_combo.parentWidget()
        assert holder is not None
        self.form.setRowVisible(holder, bool(said))
        if action is not None:
            answers = answered_item(ctx, action.id)
        widgets.select_data(self.answers_combo, answers)
        if action is None:
            for w in (self.status_combo, self.outcome_edit):
                holder = w.parentWidget()
                assert holder is not None  # FormErrors.add_row's holder
                self.form.setRowVisible(holder, False)
        else:
            self.title_edit.setText(action.title)
            self.detail_edit.setPlainText(action.detail)
            self.owner_edit.setText(action.owner)
            self.due_edit.set_value(action.due_on)
            widgets.select_data(self.level_combo, action.level)
            widgets.select_data(self.priority_combo, action.strategic_priority_id)
            widgets.select_data(self.status_combo, action.status)
            self.outcome_edit.setPlainText(action.outcome)
        self.mark_clean()

    @classmethod
    def ask(
        cls,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locality_id: uuid.UUID,
        meeting_id: uuid.UUID | None = None,
        action: ActionRow | None = None,
        answers: uuid.UUID | None = None,
    ) -> uuid.UUID | None:
        return cls(
            ctx,
            locality_id=locality_id,
            meeting_id=meeting_id,
            action=action,
            parent=parent,
            answers=answers,
        ).run()

    def draft_about(self) -> DraftAbout:
        reopen = {"locality_id": self.locality_id, "meeting_id": self.meeting_id}
        if self.action is not None:
            return DraftAbout(
                f"the action {self.action.reference} {drafts.quoted(self.action.title)}",
                ("actions", self.action.id),
                editing=True,
                reopen={**reopen, "action_id": self.action.id},
            )
        if self.meeting_id is None:
            return DraftAbout("a new action", reopen=reopen)
        return DraftAbout(
            f"a new action at {drafts.meeting_title(self.ctx.db, self.meeting_id)}",
            ("meetings", self.meeting_id),
            reopen=reopen,
        )

    @classmethod
    def from_draft(
        cls, ctx: AppContext, reopen: dict[str, uuid.UUID | None], parent: QWidget | None
    ) -> ActionDialog:
        locality_id, action_id = reopen["locality_id"], reopen.get("action_id")
        assert locality_id is not None
        action = actions.get_action(ctx.db, action_id, today=ctx.today()) if action_id else None
        return cls(
            ctx,
            locality_id=locality_id,
            meeting_id=reopen.get("meeting_id"),
            action=action,
            parent=parent,
        )

    def input(self) -> ActionInput:
        problems: dict[str, str] = {}
        due_on = parse_field(problems, "due_on", self.due_edit.value)
        if problems:
            raise FieldProblem(problems)
        return ActionInput(
            title=self.title_edit.text(),
            detail=self.detail_edit.toPlainText(),
            owner=self.owner_edit.text(),
            level=self.level_combo.currentData(),
            strategic_priority_id=self.priority_combo.currentData(),
            raised_on=self.action.raised_on if self.action else None,
            due_on=due_on,
            status=self.status_combo.currentData() if self.action else ActionStatus.OPEN,
            answers=self.answers_combo.currentData() if self.answers_combo.count() else KEEP,
        )

    def save(self) -> uuid.UUID:
        data = self.input()
        if self.action is None:
            return action_ops.raise_action(
                self,
                self.ctx,
                locality_id=self.locality_id,
                data=data,
                meeting_id=self.meeting_id,
                today=self.ctx.today(),
            ).call()
        action_id = self.action.id
        action_ops.update_action(
            self,
            self.ctx,
            action_id,
            data,
            outcome=self.outcome_edit.toPlainText(),
            today=self.ctx.today(),
            meeting_id=self.meeting_id,
        ).call()
        return action_id
