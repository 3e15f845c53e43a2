"""The meeting editor: details, agenda, attendance register, payments, experience, actions raised,
matters arising and quick polls of one meeting. This module is the shell (the header, the tabs,
the save state, the meeting's version, conflicts and drafts); each tab is its own module here
(``details``, ``agenda``, ``register``, ``payments``, ``experience``, ``actions``, ``matters``,
``polls``), a ``base.Tab`` that sees the shell only as a ``base.Host``.

The saving model, the operations, the drafts and the two-instances rules are the package's
(``views/meeting/__init__.py``); this module holds the state they turn on: the meeting's
version, the idle timer, the drafts written, the conflict question.

The tabs' widgets and actions stay reachable from the editor (``editor.find_edit``,
``editor.save_details()``): the page, the recovery and the tests use them (``FORWARDED``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ....core import drafts, invitation_updates, meetings
from ....core.drafts import Draft
from ....core.errors import ConflictError, CoordinatorError, NotFoundError
from ....core.meetings import MeetingDetail
from ....core.vocab import MeetingStatus
from ... import operations, widgets
from ...announce import announce
from ...context import AppContext
from ...drafts import IDLE_MS, apply_fields, read_fields
from ...operations import meetings as meeting_ops
from .actions import ActionsTab
from .agenda import AgendaTab
from .details import DetailsTab
from .drafts import DRAFT_FORM, PART_AGENDA, PART_DETAILS, PART_NEW_ITEM, PART_POLL, DraftBook
from .experience import ExperienceTab
from .matters import MattersTab
from .papers import PapersTab
from .papers import made_words as papers_made_words
from .payments import PaymentsTab
from .polls import PollsTab
from .register import RegisterTab

TAB_DETAILS = 0
TAB_AGENDA = 1
TAB_REGISTER = 2
TAB_PAYMENTS = 3
TAB_EXPERIENCE = 4
TAB_ACTIONS = 5
TAB_MATTERS = 6
TAB_POLLS = 7

#: The status line after a routine save (then the time).
SAVED = "All changes saved"
CONFLICT_LATER = (
    "this meeting was changed since you opened it; you will be asked what to do when you leave "
    "the field."
)


class MeetingEditor(QWidget):
    """Edits one meeting. ``load(id)`` shows it; ``reload_parts()`` re-reads the lists."""

    backRequested = Signal()
    #: Emitted with the new meeting's id after "Plan next meeting" (or a meeting to open).
    openRequested = Signal(uuid.UUID)
    deleted = Signal(uuid.UUID)
    #: Emitted with a new improvement project's id (the window may open the Projects page).
    projectStarted = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: uuid.UUID | None = None
        self.detail: MeetingDetail | None = None
        self._loading = False
        #: The meeting's version the fields stand for (see the package's docstring).
        self._version: int | None = None
        #: "Mark it held?" asked already for the meeting shown (asked once per opening).
        self._held_offered = False
        #: True while a conflict is being answered (focus moving to the question must not
        #: start another save).
        self._resolving = False
        #: A save changed the meeting since the invitation was last checked
        #: (``check_invitation``); the facts of an update the coordinator said "not now" to.
        self._invitation_due = False
        self._invitation_declined = ""
        self.draft_book = DraftBook(self, ctx)
        #: The one idle timer: every keystroke restarts it, a pause saves (``save_typing``).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_MS)
        self.idle_timer.timeout.connect(self.save_typing)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.back_button = QPushButton("← All meetings")
        widgets.say_more(self.back_button, "Back to all meetings")
        self.back_button.setToolTip("Back to the list of meetings (Alt+Left)")
        self.back_button.setShortcut("Alt+Left")
        top.addWidget(self.back_button)
        self.title_label = QLabel()
        self.title_label.setAccessibleDescription("Meeting")
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.title_label, 1)
        self.plan_next_button = QPushButton("Plan &next meeting")
        self.plan_next_button.setAccessibleName("Plan next meeting")
        self.plan_next_button.setToolTip(
            "Make the forum's next meeting, copying venue and format; open actions come up as "
            "matters arising."
        )
        self.delete_button = QPushButton("Delete meeting…")
        self.delete_button.setAccessibleName("Delete meeting")
        top.addWidget(self.plan_next_button)
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        self.save_state = QLabel()
        self.save_state.setAccessibleDescription("Save status")
        self.save_state.setWordWrap(True)
        layout.addWidget(self.save_state)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the meeting")
        layout.addWidget(self.tabs, 1)
        self.details_tab = DetailsTab(self)
        self.agenda_tab = AgendaTab(self)
        self.register_tab = RegisterTab(self)
        self.payments_tab = PaymentsTab(self)
        self.experience_tab = ExperienceTab(self)
        self.actions_tab = ActionsTab(self)
        self.matters_tab = MattersTab(self)
        self.polls_tab = PollsTab(self)
        self.papers_tab = PapersTab(self)
        for tab, text in (
            (self.details_tab, "&Details"),
            (self.agenda_tab, "A&genda"),
            (self.register_tab, "Regis&ter"),
            (self.payments_tab, "Pa&yments"),
            (self.experience_tab, "E&xperience"),
            (self.actions_tab, "A&ctions"),
            (self.matters_tab, "&Matters arising"),
            (self.polls_tab, "Pol&ls"),
            (self.papers_tab, "Papers && lin&k"),  # its papers and its online link
        ):
            self.tabs.addTab(tab, text)
            tab.openRequested.connect(self.openRequested)
            tab.projectStarted.connect(self.projectStarted)
        # The Papers tab's note that the invitation is out of date, seen from every tab (above
        # them): moving the meeting on Details shows it at once, and nothing is asked until the
        # meeting is left (``offer_update``).
        layout.insertWidget(layout.indexOf(self.tabs), self.papers_tab.update_box)

        self.back_button.clicked.connect(self.backRequested)
        self.plan_next_button.clicked.connect(self.plan_next)
        self.delete_button.clicked.connect(self.delete_meeting)
        ctx.events.peopleAnonymised.connect(self.forget_names)

    # === what the tabs see of the shell (base.Host) ============================================

    @property
    def version(self) -> int | None:
        return self._version

    @version.setter
    def version(self, value: int | None) -> None:
        self._version = value

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def resolving(self) -> bool:
        return self._resolving

    def typed(self, *_args: object) -> None:
        """Every keystroke in a text box restarts the idle timer (programmatic fills of the
        multi-line boxes do too; a pause with nothing changed writes nothing)."""
        if not self._loading:
            self.idle_timer.start()

    def set_save_state(self, text: str) -> None:
        """Show ``text`` on the status line. A screen reader is told when the state changes
        (not saved, or saved again after that), not of every routine save: the editor saves
        on each pause in typing, and "All changes saved" each minute would talk over it."""
        said = self.save_state.text()
        self.save_state.setText(text)
        self.save_state.setVisible(bool(text))
        routine = text.startswith(f"{SAVED} (") and said.startswith(SAVED)
        if text != said and not routine:
            announce(self.save_state, text)

    def saved(self) -> None:
        self.set_save_state(f"{SAVED} ({datetime.now():%H:%M}).")

    def offer_to_mark_held(self) -> None:
        """Once per opening, when someone is marked present or offered a payment at a meeting
        still planned whose day has come: today's included, the register being typed up the
        same evening (journey step 6), so the meeting is not left out of the return."""
        detail = self.detail
        if (
            detail is None
            or self._held_offered
            or detail.status != MeetingStatus.PLANNED
            or detail.meeting_date > self.ctx.today()
        ):
            return
        self._held_offered = True
        if not widgets.confirm(
            self,
            "Mark the meeting held?",
            f"This meeting was on {widgets.format_date(detail.meeting_date)} and is still "
            "marked planned. Mark it held? Only held meetings count in the month's return.",
            yes="&Mark held",
        ):
            return
        widgets.select_data(self.details_tab.status_combo, MeetingStatus.HELD)
        self.details_tab.save_details()

    def check_invitation(self, *, wrote: bool, idle: bool) -> None:
        """See ``base.Host``: a save that changed the meeting shows (or hides) the note that
        its invitation is out of date; nothing is asked here, after each field (a coordinator
        moving a meeting changes the start, the end and the venue in a row: issue #29's walk
        was asked three times and could send three half-updated invitations). The question
        comes once, when the meeting is left (``offer_update``)."""
        if not wrote or self.meeting_id is None:
            return
        self._invitation_due = True
        self.papers_tab.refresh_resend()

    def offer_update(self) -> None:
        """The coordinator is leaving the meeting (another meeting, the list, another page, the
        window closing): if this opening changed the invitation's facts and it is still out of
        date, ask once (core's rule: ``invitation_updates.needs_resending``). "Not now" holds
        for these facts, and the note stays (it shows whenever the meeting is opened)."""
        from ...dialogs.papers_dialog import send_invitation_update

        meeting_id = self.meeting_id
        if not self._invitation_due or meeting_id is None or self._resolving:
            return
        self._invitation_due = False
        resend = operations.read(  # quiet: the meeting went meanwhile (a save says so)
            self,
            "Meeting invitation",
            lambda: invitation_updates.needs_resending(self.ctx.db, meeting_id),
            quiet=True,
        )
        if resend is None or resend.facts == self._invitation_declined:
            return
        if send_invitation_update(self, self.ctx, resend):
            self.set_save_state(papers_made_words(self.ctx, meeting_id))
        else:
            self._invitation_declined = resend.facts
            self.set_save_state(
                "All changes saved. The meeting's invitation is out of date: the note above "
                "the tabs offers the update."
            )
        self.reload_parts()

    def not_saved(
        self, part: str, exc: CoordinatorError, *, idle: bool, title: str = "Not saved"
    ) -> None:
        """A save of ``part`` refused by someone else's change or with a sentence (a broken
        rule is each save's own): from the idle timer, the status line says so and it is kept
        as a draft (``unsaved``); else it is kept as a draft and the conflict asked
        (``conflict``) or the sentence shown."""
        if idle:
            self.unsaved(part, CONFLICT_LATER if isinstance(exc, ConflictError) else str(exc))
            return
        self.keep_draft(part)
        if isinstance(exc, ConflictError):
            self.conflict(exc)
        else:
            widgets.inform(self, title, str(exc))

    def unsaved(self, part: str, problem: str) -> bool:
        """The idle save could not save ``part``: keep it as a draft and say so on the status
        line only (no question and no red field while typing). Returns False."""
        self.keep_draft(part)
        self.set_save_state(f"Not saved yet, kept as a draft ({datetime.now():%H:%M}): {problem}")
        return False

    def conflict(self, exc: ConflictError) -> None:
        """The meeting was saved since it was opened (by someone else, or by anonymising
        someone); nothing of this save was written. Reload
        shows the saved meeting (dropping what is typed here); Keep editing leaves it all on
        screen, unsaved, and the next save meets the same question."""
        if self._resolving or self.meeting_id is None:
            return
        meeting_id = self.meeting_id
        self._resolving = True
        try:
            if not widgets.ask_conflict(self, str(exc)):
                self.set_save_state(
                    "Not saved: this meeting was changed since you opened it. Your edits are "
                    "still here; reload to see it as saved."
                )
                return
            self.drop_drafts()  # Reload throws what was typed here away, on purpose
            try:
                self.load(meeting_id)
            except NotFoundError as gone:  # a read: deleted by them; said here, then let go
                widgets.inform(self, "Meeting gone", str(gone))
                self._let_go()
                self.ctx.events.meetingsChanged.emit(str(meeting_id))
                self.deleted.emit(meeting_id)
                return
            self.set_save_state("Reloaded: this is the meeting as saved now.")
            self.ctx.events.meetingsChanged.emit(str(meeting_id))
        finally:
            self._resolving = False

    # === nothing typed is lost =================================================================

    def save_typing(self) -> None:
        """The typing paused: save what is typed as leaving its field would, through the same
        save functions, asking nothing; what cannot be saved yet is kept as a draft."""
        self.idle_timer.stop()
        if self.meeting_id is None or self._loading or not self.isVisible():
            # Hidden, nothing is being typed: whatever hid the editor (leaving the meeting,
            # another page, the window closing) saved or kept the typing first (the page's
            # ``commit_pending``). Pitfall: a save here would wait in a local event loop, where
            # a closed editor's pending deletion may run under it.
            return
        if operations.waiting():
            # A save is under way (this fired in its wait): one made now would carry the
            # version that save is about to change. Try again after another pause.
            self.idle_timer.start()
            return
        if self.details_tab.pending():
            self.details_tab.save(idle=True)
        if self.agenda_tab.agenda_dirty():
            self.agenda_tab.save(idle=True)
        if self.polls_tab.poll_dirty():
            self.polls_tab.save(idle=True)
        if self.agenda_tab.agenda_new_edit.text().strip():
            self.keep_draft(PART_NEW_ITEM)
        else:
            self.drop_draft(self.draft_key(PART_NEW_ITEM))

    def _part_fields(self, part: str) -> dict[str, QWidget]:
        if part == PART_DETAILS:
            return self.details_tab.fields()
        if part == PART_AGENDA:
            return self.agenda_tab.item_fields()
        if part == PART_POLL:
            return self.polls_tab.fields()
        return self.agenda_tab.new_item_fields()

    def draft_key(self, part: str) -> str | None:
        """The key of ``part``'s draft as the editor stands (None when there is nothing)."""
        if self.meeting_id is None:
            return None
        if part == PART_DETAILS:
            return f"{DRAFT_FORM}:meetings:{self.meeting_id}"
        if part == PART_AGENDA:
            item = self.agenda_tab.item_id
            return None if item is None else f"{DRAFT_FORM}:agenda_items:{item}"
        if part == PART_POLL:
            if self.polls_tab.poll_id is not None:
                return f"{DRAFT_FORM}:polls:{self.polls_tab.poll_id}"
            return f"{DRAFT_FORM}:new_poll:{self.meeting_id}"
        return f"{DRAFT_FORM}:new_agenda_item:{self.meeting_id}"

    def keep_draft(self, part: str) -> None:
        """Keep what is typed in ``part`` as a draft: it could not be saved yet. Never raises
        (a draft the database will not take is tried again at the next pause)."""
        key = self.draft_key(part)
        if key is None or self.detail is None:
            return
        at = drafts.meeting_words(self.detail.forum_name, self.detail.meeting_date)
        record: tuple[str, uuid.UUID] = ("meetings", self.detail.id)
        context: dict[str, Any] = {"part": part, "meeting_id": self.meeting_id}
        label = f"the details of {at}"
        if part == PART_AGENDA and self.agenda_tab.item_id is not None:
            label = f"the minutes of {at}{self.agenda_tab.item_label()}"
            record = ("agenda_items", self.agenda_tab.item_id)
            context["item_id"] = self.agenda_tab.item_id
        elif part == PART_POLL:
            label = f"a quick poll at {at}"
            if self.polls_tab.poll_id is not None:
                record = ("polls", self.polls_tab.poll_id)
            context["poll_id"] = self.polls_tab.poll_id
        elif part == PART_NEW_ITEM:
            label = f"a new agenda item for {at}"
        fields = read_fields(self._part_fields(part))
        self.draft_book.keep(key, part, label=label, fields=fields, context=context, record=record)

    def drop_draft(self, key: str | None) -> None:
        """Drop a draft this editor wrote (its text was saved). Costs nothing when none was."""
        self.draft_book.drop(key)

    def drop_drafts(self) -> None:
        """What was typed here is thrown away on purpose (Reload, "Leave without saving", the
        meeting deleted): its drafts go too."""
        self.idle_timer.stop()
        self.draft_book.drop_all()

    def discard(self) -> None:
        """What was typed here is thrown away on purpose ("Leave without saving"): its drafts
        go, and the fields show the meeting as saved again, so nothing saves or keeps the
        typing later (hiding the page, closing the window). A meeting gone meanwhile is let
        go (whoever deleted it says so)."""
        self.drop_drafts()
        meeting_id = self.meeting_id
        if meeting_id is None:
            return
        # Quiet: gone, or the database away; nothing stands for it here then.
        if not operations.attempt(self, "Meeting", lambda: self.load(meeting_id), quiet=True):
            self._let_go()

    def forget_names(self, scrub: Callable[[str], str]) -> None:
        """People were anonymised from this app (``DataEvents.peopleAnonymised``, with the
        redactor that hid them in the records): their names go from every box being typed in
        and from what the boxes were loaded with; the rest of the typing stays, to be saved.
        When anonymising changed this meeting's own row and nothing else did (its version one
        on, its details as loaded but for the names), the editor takes the new version: the
        next save is not refused as a change made elsewhere."""
        if self.meeting_id is None:
            return
        meeting_id = self.meeting_id
        named_them = self.details_tab.forget_names(scrub)
        self.agenda_tab.forget_names(scrub)
        self.polls_tab.forget_names(scrub)
        detail = operations.read(  # quiet: gone, or the database away; the next save says so
            self, "Meeting", lambda: meetings.get_meeting(self.ctx.db, meeting_id), quiet=True
        )
        if detail is None:
            return
        if (
            named_them
            and self._version is not None
            and detail.version == self._version + 1
            and self.details_tab.saved_as(detail)
        ):
            self._version = detail.version
        self._show_parts(detail)  # the lists as scrubbed too

    def apply_draft(self, draft: Draft) -> bool:
        """Put a recovered draft of the loaded meeting back where it was typed and save it
        through the same save function as leaving the field: a problem then shows at the
        field and the draft stays until it is put right. False when its item has gone."""
        part = str(draft.context.get("part", ""))
        named = self._part_fields(part)
        if part == PART_AGENDA:
            item_id = uuid.UUID(str(draft.context.get("item_id")))
            if self.agenda_tab.agenda_model.row_of(item_id) < 0:
                return False
            self.tabs.setCurrentIndex(TAB_AGENDA)
            self.agenda_tab.select(item_id)
        elif part == PART_POLL:
            self.tabs.setCurrentIndex(TAB_POLLS)
            poll_id = draft.context.get("poll_id")
            if poll_id:
                if not self.polls_tab.select(uuid.UUID(str(poll_id))):
                    return False
            else:
                self.polls_tab.new_poll()
        elif part == PART_NEW_ITEM:
            self.tabs.setCurrentIndex(TAB_AGENDA)
        elif part == PART_DETAILS:
            self.tabs.setCurrentIndex(TAB_DETAILS)
        else:
            return False
        apply_fields(named, draft.fields, only_changed=False)
        self.draft_book.adopt(draft.key, part)
        if part == PART_DETAILS:
            self.details_tab.save_details()
        elif part == PART_AGENDA:
            self.agenda_tab.save_agenda_item()
        elif part == PART_POLL:
            self.polls_tab.save_poll()
        else:
            self.agenda_tab.add_agenda_item()
        return True

    # === loading ===============================================================================

    def load(self, meeting_id: uuid.UUID) -> None:
        """Show ``meeting_id`` (every field and list re-read from core). Raises
        ``NotFoundError`` when it is not in the database (the caller says so)."""
        self.meeting_id = meeting_id
        self._held_offered = False
        self._invitation_due, self._invitation_declined = False, ""
        self.agenda_tab.reset()
        self.details_tab.details_errors.clear()
        self.register_tab.reset()
        self.payments_tab.reset()
        self.polls_tab.show_poll(None)
        self._show_parts(meetings.get_meeting(self.ctx.db, meeting_id))
        self._version = self.detail.version if self.detail is not None else None
        if self.detail is not None:
            self.details_tab.fill(self.detail)
        self.agenda_tab.load_item(self.agenda_tab.agenda_table.current_row())
        self.set_save_state("")

    def reload_parts(self) -> None:
        """Re-read the meeting's lists and header; the fields being typed in are left alone.

        A meeting deleted meanwhile leaves them as they are: whoever deleted it says so (this
        editor's Delete, whose announcement comes before the editor lets the meeting go, or,
        for someone else, the next save's "no longer in the database")."""
        if self.meeting_id is None:
            return
        try:
            detail = meetings.get_meeting(self.ctx.db, self.meeting_id)
        except NotFoundError:  # a read: the meeting went; see above for who says so
            return
        self._show_parts(detail)

    def _show_parts(self, detail: MeetingDetail) -> None:
        """Show the header and every tab's lists of ``detail`` (never the fields being typed
        in); the tabs' list signals do nothing meanwhile (``loading``)."""
        self._loading = True
        try:
            self.detail = detail
            esc = widgets.as_rich_text
            self.title_label.setText(
                f"<b>{esc(detail.forum_name)}</b> — {widgets.format_date(detail.meeting_date)}"
                f" — {esc(detail.status.label)} <span>({esc(detail.reference)},"
                f" {esc(detail.locality_name)})</span>"
            )
            self.title_label.setAccessibleDescription(self.title_label.text())
            for tab in (
                self.agenda_tab,
                self.register_tab,
                self.payments_tab,
                self.experience_tab,
                self.actions_tab,
                self.matters_tab,
                self.polls_tab,
                self.papers_tab,
            ):
                tab.show_parts(detail)
            self.tabs.setTabText(TAB_REGISTER, f"Regis&ter ({len(detail.register)})")
            self.tabs.setTabText(TAB_EXPERIENCE, f"E&xperience ({len(detail.experience)})")
            self.tabs.setTabText(TAB_ACTIONS, f"A&ctions ({len(detail.actions)})")
            self.tabs.setTabText(TAB_MATTERS, f"&Matters arising ({len(detail.matters_arising)})")
            self.tabs.setTabText(TAB_POLLS, f"Pol&ls ({len(detail.polls)})")
        finally:
            self._loading = False

    def _let_go(self) -> None:
        """The meeting has gone (deleted here or by someone else): nothing stands for it."""
        self.meeting_id = None
        self.detail = None
        self.details_tab.forget()
        self.agenda_tab.item_id = None

    # === the whole meeting =====================================================================

    def commit_pending(self) -> bool:
        """Save whatever is still being typed. False when something could not be saved (the
        problem is shown at its field)."""
        if self.meeting_id is None:
            return True
        ok = True
        if self.details_tab.pending():
            ok = self.details_tab.save_details() and ok
        if self.agenda_tab.agenda_dirty():
            ok = self.agenda_tab.save_agenda_item() and ok
        if self.polls_tab.poll_dirty():
            ok = self.polls_tab.save_poll() and ok
        return ok

    def plan_next(self) -> None:
        """Plan the forum's next sitting; first, when one is planned already within eight
        weeks, ask whether to open that one instead (Alt+N made a duplicate without a word)."""
        if self.meeting_id is None or not self.commit_pending():
            return
        planned = meetings.already_planned(self.ctx.db, self.meeting_id)
        if planned is not None:
            answer = widgets.ask_choice(
                self,
                "Already planned",
                f"{planned.forum_name} already has a meeting planned on "
                f"{widgets.format_date(planned.meeting_date)} ({planned.reference}).",
                [f"Open {planned.reference}", "Plan another anyway", "Cancel"],
                default=0,
            )
            if answer == 0:
                self.openRequested.emit(planned.id)
            if answer != 1:
                return
        outcome = meeting_ops.plan_next_meeting(self, self.ctx, self.meeting_id).wait()
        if outcome.ok and outcome.value is not None:
            self.openRequested.emit(outcome.value)

    def delete_meeting(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        if not widgets.confirm(
            self,
            "Delete meeting?",
            f"Delete the meeting of {detail.forum_name} on "
            f"{widgets.format_date(detail.meeting_date)} ({detail.reference}) with its register, "
            "agenda and payments? Actions and experience raised there are kept.",
        ):
            return
        outcome = (
            meeting_ops.delete_meeting(self, self.ctx, detail.id, expected_version=self._version)
            .conflict(self.conflict)
            .wait()
        )
        if not outcome.ok:
            return
        self.drop_drafts()
        self._let_go()
        self.deleted.emit(detail.id)


class _Forward:
    """One tab's attribute (a widget or a method), reachable as the editor's own."""

    def __init__(self, tab: str, name: str) -> None:
        self.tab = tab
        self.name = name

    def __get__(self, editor: Any, _owner: Any = None) -> Any:
        if editor is None:
            return self
        return getattr(getattr(editor, self.tab), self.name)


#: The tabs' widgets and actions the page, the recovery dialog and the tests reach through the
#: editor (``editor.find_edit``), as they did before the tabs had modules of their own; by tab.
FORWARDED: dict[str, tuple[str, ...]] = {
    "details_tab": (
        *("forum_combo", "date_edit", "start_edit", "end_edit", "venue_edit", "format_combo"),
        *("status_combo", "chair_edit", "minute_taker_edit", "notes_edit", "details_errors"),
        *("details_dirty", "save_details"),
    ),
    "agenda_tab": (
        *("agenda_new_edit", "agenda_new_error", "agenda_add_button", "agenda_table"),
        *("agenda_model", "agenda_up_button", "agenda_down_button", "agenda_remove_button"),
        *("agenda_errors", "item_title_edit", "item_discussion_edit", "item_decisions_edit"),
        *("agenda_dirty", "save_agenda_item", "add_agenda_item", "move_agenda_item"),
        "remove_agenda_item",
    ),
    "register_tab": (
        *("find_edit", "suggestions", "register_feedback", "register_table", "register_model"),
        *("present_button", "apologies_button", "absent_button", "remove_button"),
        *("new_person_button", "register_counts", "unnamed_spins", "register_enter"),
        *("set_attendance", "mark_selected", "remove_selected", "set_unnamed", "new_person"),
        "undo_last",
    ),
    "payments_tab": (
        *("rate_label", "payments_table", "payments_model", "payment_offer_button"),
        *("payment_paid_button", "payment_add_button", "payment_edit_button"),
        *("payment_remove_button", "offer_payments", "mark_offered_paid"),
        *("add_payment", "edit_payment", "remove_payment"),
    ),
    "experience_tab": (
        *("experience_table", "experience_model", "experience_add_button"),
        *("experience_edit_button", "experience_delete_button", "experience_project_button"),
        *("add_experience", "edit_experience", "delete_experience"),
        *("experience_action_button", "raise_action_from_experience"),
        "start_project_from_experience",
    ),
    "actions_tab": (
        *("actions_table", "actions_model", "action_raise_button", "action_edit_button"),
        *("action_project_button", "raise_action", "edit_action", "start_project_from_action"),
    ),
    "matters_tab": ("matters_table", "matters_model", "matters_update_button", "update_matter"),
    "polls_tab": (
        *("polls_table", "polls_model", "poll_new_button", "poll_delete_button", "poll_errors"),
        *("poll_question_edit", "poll_answers_edit", "poll_save_button", "poll_compare_button"),
        *("poll_chart", "poll_trend_box", "poll_trend_note", "poll_trend_model"),
        *("poll_trend_table", "poll_dirty", "new_poll", "save_poll", "delete_poll"),
        "compare_poll",
    ),
}
for _tab, _names in FORWARDED.items():
    for _name in _names:
        setattr(MeetingEditor, _name, _Forward(_tab, _name))
#: The one private name a test reaches for (choosing an agenda item and showing it).
MeetingEditor._select_agenda = _Forward("agenda_tab", "select")  # type: ignore[attr-defined]
