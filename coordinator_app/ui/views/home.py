"""Home: what needs attention today, this month's figures and the accreditation result.

Home is built in two steps: its cards, empty, with the window's first paint (before the database
and SQLAlchemy are loaded, ``ui/app.py``), then filled once the database is open (``attach``).
Pitfall: nothing here may import SQLAlchemy at module level (``tests/cli/test_without_orm.py``
paints the window and checks).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import focus
from ..widgets import FocusScrollArea, as_rich_text, find_data, fit_list_rows

if TYPE_CHECKING:
    from ..context import AppContext

ROLE_ID = Qt.ItemDataRole.UserRole + 1
ALL_MINE = "__mine__"


#: The seldom-heard card when the trust has named none: what that means and where to name them.
NO_SELDOM_HEARD = (
    "No seldom-heard groups are set yet, so there is no progress to show. To follow a group "
    "the trust wants to hear from more (for example people aged 16 to 24), choose Edit, "
    "Organisation, open the Monitoring groups tab and type * at the start of that group's line."
)


class Card(QFrame):
    """A titled panel on Home: the fields' colour inside a 1-pixel border in the palette's mid
    colour, its corners rounded. It paints itself (no style sheet: docs/engineering-notes.md,
    "Where start-up goes"), so it looks the same on plain Fusion as under the focus ring's style.
    """

    #: The border's width and its corners' radius.
    BORDER, RADIUS = 1, 8

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)  # the border is painted here
        layout = QVBoxLayout(self)
        across, down = 14 + self.BORDER, 12 + self.BORDER
        layout.setContentsMargins(across, down, across, down)
        self.title = QLabel(title)
        self.title.setProperty("role", "card-title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.body = layout

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), self.BORDER))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        half = self.BORDER / 2
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(half, half, -half, -half), self.RADIUS, self.RADIUS
        )
        painter.end()


class HomePage(QWidget):
    """Home, filled synchronously from core queries (each a single aggregate query).

    ``HomePage()`` is the empty cards (what the window paints first); ``attach(ctx)`` fills
    them and follows the data from then on. ``HomePage(ctx)`` does both at once."""

    openMeeting = Signal(uuid.UUID)
    openAction = Signal(uuid.UUID)
    openProject = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext = None  # type: ignore[assignment]  # set by ``attach``
        self._stale = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # Not a Tab stop of its own (it had no name and showed no focus): Tab goes from one
        # control on Home to the next, and the one focused is scrolled into view.
        scroll = FocusScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area = scroll
        outer.addWidget(scroll)
        content = QWidget()
        scroll.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(14)

        header = QHBoxLayout()
        self.greeting = QLabel()
        font = self.greeting.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.greeting.setFont(font)
        header.addWidget(self.greeting, 1)
        locality_label = QLabel("&Locality:")
        self.locality = QComboBox()
        self.locality.setAccessibleName("Locality shown on Home")
        self.locality.setMinimumContentsLength(18)
        locality_label.setBuddy(self.locality)
        header.addWidget(locality_label)
        header.addWidget(self.locality)
        self.email_owners = QPushButton("E&mail owners…")
        self.email_owners.setToolTip(
            "Write one email per action owner listing their open actions (works offline)"
        )
        self.email_owners.clicked.connect(self._email_owners)
        header.addWidget(self.email_owners)
        layout.addLayout(header)

        self.meetings_card = Card("Next meetings")
        self.next_meetings = self._list("Next meetings; press Enter to open one")
        self.meetings_card.body.addWidget(self.next_meetings)
        self.attention_card = Card("Needs attention")
        self.overdue_label = QLabel()
        # Fewer rows than the lists elsewhere (then they scroll; the label gives the count):
        # the whole card stays in view at 1366x768 with a taskbar, whatever is listed.
        self.overdue = self._list("Overdue actions; press Enter to open one", most_rows=7)
        # The warning icon at the text's height: rows as compact as the other lists'.
        side = self.fontMetrics().height()
        self.overdue.setIconSize(QSize(side, side))
        self.due_label = QLabel()
        self.due = self._list("Actions due in the next seven days", most_rows=5)
        # Payments claimed and still unpaid beyond the trust's limit (issue #28; journey 11).
        self.unpaid_label = QLabel()
        self.unpaid = self._list(
            "Payments claimed and unpaid too long; Enter opens the meeting or activity",
            most_rows=3,
        )
        for widget in (
            self.overdue_label,
            self.overdue,
            self.due_label,
            self.due,
            self.unpaid_label,
            self.unpaid,
        ):
            self.attention_card.body.addWidget(widget)
        self.month_card = Card("This month")
        self.month_form = QFormLayout()
        self.month_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.month_card.body.addLayout(self.month_form)
        self.month_card.body.addStretch(1)
        self.accreditation_card = Card("Accreditation")
        self.accreditation_text = QLabel()
        self.accreditation_text.setWordWrap(True)
        self.accreditation_card.body.addWidget(self.accreditation_text)
        self.accreditation_card.body.addStretch(1)

        # Issue #27: progress towards the seldom-heard groups the trust aims to reach.
        self.seldom_card = Card("Seldom-heard groups (the last twelve months)")
        self.seldom_text = QLabel()
        self.seldom_text.setWordWrap(True)
        self.seldom_text.setAccessibleDescription("Seldom-heard groups reached")
        self.seldom_card.body.addWidget(self.seldom_text)
        self.seldom_card.body.addStretch(1)

        self.projects_card = Card("Improvement projects under way")
        self.projects = self._list("Active improvement projects", most_rows=5)
        self.projects_card.body.addWidget(self.projects)

        # Charts load after the window is up (pyqtgraph costs about half a second to import).
        from ..charts import HomeCharts

        self.charts = HomeCharts()
        self.charts.loaded.connect(self._charts_in_tab_order)
        self.charts_card = Card("The last twelve months")
        self.charts_card.body.addWidget(self.charts)
        # What a coordinator opens Home for (journey 1), in view at 1366x768 with a taskbar:
        # the next meetings and what needs attention on the left, the month so far and the
        # rest of the picture on the right. Two columns that stack on their own (a card is as
        # tall as what it holds, not as its neighbour); then the charts across the page, one
        # scroll down. Reading order, and so Tab's, is the left column, then the right.
        columns = QHBoxLayout()
        columns.setSpacing(14)
        for cards in (
            (self.meetings_card, self.attention_card),
            (self.month_card, self.accreditation_card, self.seldom_card, self.projects_card),
        ):
            column = QVBoxLayout()
            column.setSpacing(14)
            for card in cards:
                column.addWidget(card)
            column.addStretch(1)
            columns.addLayout(column, 1)
        layout.addLayout(columns)
        layout.addWidget(self.charts_card)
        layout.addStretch(1)
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """Fill the cards from ``ctx``'s database and follow its changes from now on (called
        again after a failed first filling, it fills them again)."""
        first = self.ctx is None
        self.ctx = ctx
        if not first:
            self._fill_localities()
            self.refresh()
            return
        self.locality.currentIndexChanged.connect(lambda _i: self.refresh())
        for signal in (
            ctx.events.meetingsChanged,
            ctx.events.actionsChanged,
            ctx.events.participantsChanged,
            ctx.events.accreditationChanged,
            ctx.events.projectsChanged,
        ):
            signal.connect(self._mark_stale)
        ctx.events.settingsChanged.connect(self._fill_localities)
        self._fill_localities()
        self.refresh()
        # Last: the charts' delay (``charts.LOAD_DELAY_MS``) counts from Home filled, so
        # --exit-after-startup leaves before they load, as it always did.
        self.charts.attach(ctx)

    def _list(self, accessible_name: str, most_rows: int = 9) -> QListWidget:
        widget = QListWidget()
        focus.outline(widget)  # a box on the card in dark palettes too (not left to polish)
        widget.setAccessibleName(accessible_name)
        widget.setAlternatingRowColors(True)
        widget.setProperty("most_rows", most_rows)
        self._fit_rows(widget)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setTextElideMode(Qt.TextElideMode.ElideRight)
        widget.setUniformItemSizes(True)
        widget.itemActivated.connect(self._activated)
        return widget

    # --- data ---------------------------------------------------------------------------

    def _fill_localities(self) -> None:
        from ...core.rows import list_localities

        current = self.locality.currentData()
        localities = [loc for loc in list_localities(self.ctx.db) if loc.active]
        mine = [loc for loc in localities if loc.coordinated]
        self.locality.blockSignals(True)
        self.locality.clear()
        if len(mine) > 1:
            self.locality.addItem("All my localities", ALL_MINE)
        for loc in mine or localities:
            self.locality.addItem(loc.name, str(loc.id))
        for loc in localities:
            if mine and loc not in mine:
                self.locality.addItem(loc.name, str(loc.id))
        index = find_data(self.locality, current) if current is not None else -1
        self.locality.setCurrentIndex(max(index, 0))
        self.locality.blockSignals(False)
        if current is not None:
            self.refresh()

    def _locality_ids(self) -> list[uuid.UUID] | None:
        data = self.locality.currentData()
        if data is None or data == ALL_MINE:
            return None
        return [uuid.UUID(data)]

    def _mark_stale(self, *_args: object) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        from ...core.home import home_summary
        from ...core.settings import get_settings

        if self.ctx is None:
            return  # the empty cards, until ``attach``

        self._stale = False
        today = self.ctx.today()
        settings = get_settings(self.ctx.db)
        first_name = settings.coordinator_name.split(" ")[0] if settings.coordinator_name else ""
        self.greeting.setText(
            f"Hello{', ' + first_name if first_name else ''}. Today is {today:%A %-d %B %Y}."
        )
        summary = home_summary(self.ctx.db, locality_ids=self._locality_ids(), today=today)
        self._fill_meetings(summary.next_meetings, today)
        self._fill_actions(summary.overdue, summary.due_this_week, summary.counts, today)
        self._fill_unpaid(summary.locality_ids, today)
        self._fill_month(summary.locality_ids, today)
        self._fill_projects(summary.locality_ids, today)
        self.charts.set_localities(summary.locality_ids)
        self._fill_accreditation(summary.locality_ids)
        self._fill_seldom_heard(summary.locality_ids, today)

    def _fill_meetings(self, meetings: list, today: date) -> None:
        self.next_meetings.clear()
        if not meetings:
            self._placeholder(self.next_meetings, "No meetings planned. Press Ctrl+N to plan one.")
        for row in meetings:
            days = (row.meeting_date - today).days
            when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
            time_text = f" {row.start_time:%H:%M}" if row.start_time else ""
            venue = f" · {row.venue}" if row.venue else ""
            text = f"{row.meeting_date:%a %-d %b}{time_text} ({when}) · {row.forum_name}{venue}"
            self._add(self.next_meetings, text, row.id, "meeting")
        self._fit_rows(self.next_meetings)

    def _fill_actions(self, overdue: list, due: list, counts: dict, today: date) -> None:
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        total_overdue = counts.get("overdue", len(overdue))
        total_due = counts.get("due_this_week", len(due))
        open_now = counts.get("open_actions")
        open_text = f" of {open_now} open" if open_now is not None else ""
        self.overdue_label.setText(f"<b>Overdue today: {total_overdue}</b>{open_text}")
        self.due_label.setText(f"<b>Due in the next seven days: {total_due}</b>")
        self.overdue.clear()
        self.due.clear()
        if not overdue:
            self._placeholder(self.overdue, "Nothing overdue.")
        for row in overdue:
            late = (today - row.due_on).days
            owner = f" · {row.owner}" if row.owner else ""
            item = self._add(
                self.overdue,
                f"Overdue {late} day{'s' if late != 1 else ''} · {row.reference} · "
                f"{row.title}{owner}",
                row.id,
                "action",
            )
            item.setIcon(warn)
        if not due:
            self._placeholder(self.due, "Nothing due this week.")
        for row in due:
            owner = f" · {row.owner}" if row.owner else ""
            self._add(
                self.due,
                f"Due {row.due_on:%a %-d %b} · {row.reference} · {row.title}{owner}",
                row.id,
                "action",
            )
        self._fit_rows(self.overdue)
        self._fit_rows(self.due)

    def _fill_unpaid(self, locality_ids: list[uuid.UUID], today: date) -> None:
        """Claimed, unpaid over the trust's limit (``payments.claims.claims_waiting``)."""
        from ...core.payments.claims import claims_waiting, unpaid_limit_days

        with self.ctx.db.reading() as conn:
            limit = unpaid_limit_days(conn)
        rows = claims_waiting(self.ctx.db, today, locality_ids=locality_ids or None)
        self.unpaid_label.setText(f"<b>Claimed, unpaid over {limit} days: {len(rows)}</b>")
        self.unpaid.clear()
        if not rows:
            self._placeholder(self.unpaid, "No claim waiting too long.")
        for row in rows:
            pounds = (row.amount_pence + row.expenses_pence) / 100
            text = (
                f"{row.days_waiting} days · {row.name} · £{pounds:,.2f} · {row.occasion} "
                f"({row.work_date:%-d %b}) · claimed {row.claimed_on:%-d %b}"
            )
            if row.meeting_id is not None:
                self._add(self.unpaid, text, row.meeting_id, "meeting")
            elif row.activity_id is not None:
                self._add(self.unpaid, text, row.activity_id, "activity")
        self._fit_rows(self.unpaid)

    def _fill_month(self, locality_ids: list[uuid.UUID], today: date) -> None:
        from ...core.figures import activity_figures
        from ...core.rules import Month

        # The month so far. Open and overdue at month end would be a forecast for the current
        # month, so Home shows those as of today in "Needs attention" instead.
        month = Month.of(today)
        self.month_card.title.setText(f"This month so far ({today:%B %Y})")
        totals: dict[str, int] = {}
        with self.ctx.db.reading() as conn:
            for locality_id in locality_ids:
                figures = activity_figures(conn, locality_id, month)
                for key in (
                    "meetings_held",
                    "attendances",
                    "distinct_participants",
                    "new_participants",
                    "experience_items",
                    "actions_raised",
                    "actions_completed",
                ):
                    totals[key] = totals.get(key, 0) + int(getattr(figures, key))
        while self.month_form.rowCount():
            self.month_form.removeRow(0)
        for label, key in (
            ("Meetings held", "meetings_held"),
            ("Attendances", "attendances"),
            ("People taking part", "distinct_participants"),
            ("New participants", "new_participants"),
            ("Experience heard", "experience_items"),
            ("Actions raised", "actions_raised"),
            ("Actions completed", "actions_completed"),
        ):
            # No accessible name: it would be read instead of the figure (issue #24). The row's
            # label is the figure's buddy (labelled-by) and its description.
            value = QLabel(str(totals.get(key, 0)))
            value.setAccessibleDescription(label)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.month_form.addRow(label, value)

    def _fill_projects(self, locality_ids: list[uuid.UUID], today: date) -> None:
        from ...core.rows import active_projects

        self.projects.clear()
        rows = active_projects(self.ctx.db, locality_ids, today)
        if not rows:
            self._placeholder(self.projects, "No improvement project is active.")
        for row in rows:
            lead = f" · led by {row.lead}" if row.lead else ""
            people = f" · {row.people_count} involved" if row.people_count else ""
            since = f" · since {row.started_on:%b %Y}" if row.started_on else ""
            self._add(self.projects, f"{row.title}{lead}{people}{since}", row.id, "project")
        self._fit_rows(self.projects)

    def _fill_accreditation(self, locality_ids: list[uuid.UUID]) -> None:
        from ...core.accreditation_result import locality_result
        from ...core.rows import list_localities

        names = {loc.id: loc.name for loc in list_localities(self.ctx.db)}
        lines = []
        with self.ctx.db.reading() as conn:
            for locality_id in locality_ids:
                result = locality_result(conn, locality_id)
                name = names.get(locality_id, "")
                if result.assessment_id is None:
                    lines.append(f"<b>{name}</b>: no submitted assessment yet.")
                    continue
                pct = "" if result.met_percent is None else f", {result.met_percent:.1f}% met"
                lines.append(
                    f"<b>{name}</b>: {result.result.value}{pct} "
                    f"(assessed {result.assessed_on:%-d %B %Y})"
                )
        self.accreditation_text.setText("<br>".join(lines) or "No locality yet.")

    def _fill_seldom_heard(self, locality_ids: list[uuid.UUID], today: date) -> None:
        """Each seldom-heard group the trust named, by locality: the people who took part (small
        numbers hidden, as in the return) against the population share."""
        from ...core.reach import seldom_heard_progress

        with self.ctx.db.reading() as conn:
            rows = seldom_heard_progress(conn, locality_ids, today)
        lines = []
        for row in rows:
            if isinstance(row.people, str):
                people = "fewer than 5 people" if row.people == "<5" else "some people (hidden)"
            else:
                people = f"{row.people} {'person' if row.people == 1 else 'people'}"
                if row.share is not None:
                    people += f", {row.share:.1f}%"
            population = (
                "" if row.population_share is None else f" (population {row.population_share:.1f}%)"
            )
            locality, group = as_rich_text(row.locality), as_rich_text(row.group)
            lines.append(f"<b>{locality}</b>: {group}: {people}{population}")
        self.seldom_text.setText("<br>".join(lines) or NO_SELDOM_HEARD)

    def _email_owners(self) -> None:
        from ..dialogs.email_owners import EmailOwnersDialog

        EmailOwnersDialog.ask(self.ctx, self, locality_ids=self._locality_ids())

    # --- helpers ------------------------------------------------------------------------

    def _charts_in_tab_order(self) -> None:
        """The charts are made when they first load, after every other widget of the window, so
        Tab reached them after the find box at the top of the window: put them right after the
        projects list, where they are on the screen (again after each load: a no-op then)."""
        previous: QWidget = self.projects
        for plot in (self.charts.attendance_plot, self.charts.actions_plot):
            if plot is not None:
                QWidget.setTabOrder(previous, plot)
                previous = plot

    def _fit_rows(self, widget: QListWidget) -> None:
        """As tall as its rows, from two up to its most (then it scrolls): three meetings take
        three lines, not nine, so what follows on Home moves up into view."""
        fit_list_rows(widget, 2, int(widget.property("most_rows")))

    def _add(self, widget: QListWidget, text: str, ident: uuid.UUID, kind: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(ROLE_ID, (kind, str(ident)))
        item.setToolTip(text)
        widget.addItem(item)
        return item

    def _placeholder(self, widget: QListWidget, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        data = item.data(ROLE_ID)
        if not data:
            return
        kind, ident = data
        if kind == "meeting":
            self.openMeeting.emit(uuid.UUID(ident))
        elif kind == "project":
            self.openProject.emit(uuid.UUID(ident))
        elif kind == "activity":
            from ..dialogs.payments_dialogs import ActivityDialog

            if ActivityDialog.open_activity(self.ctx, uuid.UUID(ident), self):
                self.refresh()
        else:
            self.openAction.emit(uuid.UUID(ident))
