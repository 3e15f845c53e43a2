"""Table models for the other parts of a meeting: agenda, payments, experience heard, actions
raised and matters arising."""

from __future__ import annotations

from datetime import date

from ...core.actions import ActionRow
from ...core.meetings import AgendaItemRow, ExperienceRow, PaymentRow
from ...core.vocab import PaymentStatus
from ..widgets import format_date, format_pounds
from .table import Column, RowTableModel

# Agenda
COL_AGENDA_NUMBER = 0
COL_AGENDA_TITLE = 1
COL_AGENDA_DECISIONS = 2

# Payments
COL_PAY_NAME = 0
COL_PAY_STATUS = 1
COL_PAY_AMOUNT = 2
COL_PAY_EXPENSES = 3
COL_PAY_PAID_ON = 4

# Experience
COL_EXP_KIND = 0
COL_EXP_THEME = 1
COL_EXP_SERVICE = 2
COL_EXP_SUMMARY = 3
COL_EXP_RESPONSE = 4

# Actions (raised here, and matters arising)
COL_ACT_REFERENCE = 0
COL_ACT_TITLE = 1
COL_ACT_OWNER = 2
COL_ACT_DUE = 3
COL_ACT_STATUS = 4
COL_ACT_LEVEL = 5
COL_ACT_PRIORITY = 6
COL_ACT_PROGRESS = 5  # matters arising only


def one_line(text: str) -> str:
    return " ".join(text.split())


def action_status_text(row: ActionRow) -> str:
    """Status as words; "overdue" is said, not only coloured."""
    return f"{row.status.label} (overdue)" if row.overdue else row.status.label


class AgendaModel(RowTableModel[AgendaItemRow]):
    columns = (
        Column("No.", lambda r: str(r.position), lambda r: r.position, True),
        Column("Item", lambda r: r.title),
        Column("Decisions", lambda r: one_line(r.decisions)),
    )


def _offered(r: PaymentRow) -> int:
    """What the payment amounts to: nothing once declined (the rate offered is not owed)."""
    return 0 if r.status is PaymentStatus.DECLINED else r.amount_pence


class PaymentsModel(RowTableModel[PaymentRow]):
    columns = (
        Column("Name", lambda r: r.name),
        Column("Status", lambda r: r.status.label),
        Column(
            "Payment (£)",
            lambda r: "" if r.status is PaymentStatus.DECLINED else format_pounds(r.amount_pence),
            _offered,
            True,
        ),
        Column("Paid in", lambda r: r.method.label),
        Column(
            "Expenses (£)",
            lambda r: format_pounds(r.expenses_pence),
            lambda r: r.expenses_pence,
            True,
        ),
        Column(
            "Receipts", lambda r: str(r.receipts) if r.receipts else "", lambda r: r.receipts, True
        ),
        Column("Claimed on", lambda r: format_date(r.claimed_on), lambda r: r.claimed_on),
        Column("Paid on", lambda r: format_date(r.paid_on), lambda r: r.paid_on),
        Column(
            "Days waiting",
            lambda r: _waiting_text(r),
            lambda r: _waiting(r) if _waiting(r) is not None else -1,
            True,
        ),
    )


def _waiting(row: PaymentRow) -> int | None:
    """Days from the claim to the payment, or to today while unpaid (``claims.days_waiting``)."""
    from ...core.payments.claims import days_waiting

    if row.status == PaymentStatus.DECLINED:
        return None
    return days_waiting(row.claimed_on, row.paid_on, date.today())


def _waiting_text(row: PaymentRow) -> str:
    days = _waiting(row)
    return "" if days is None else str(days)


class ExperienceModel(RowTableModel[ExperienceRow]):
    columns = (
        Column("Kind", lambda r: r.kind.label),
        Column("Theme", lambda r: r.theme),
        Column("Service or team", lambda r: r.service),
        Column("Summary", lambda r: one_line(r.summary)),
        Column("Response", lambda r: one_line(r.response) or "No response yet"),
        Column("Actions", lambda r: ", ".join(r.actions)),
    )


class ActionsModel(RowTableModel[ActionRow]):
    columns = (
        Column("Reference", lambda r: r.reference),
        Column("Action", lambda r: one_line(r.title)),
        Column("Owner", lambda r: r.owner),
        Column("Due", lambda r: format_date(r.due_on), lambda r: r.due_on),
        Column("Status", action_status_text),
        Column("Level", lambda r: r.level.label),
        Column("Priority", lambda r: r.priority_name),
    )


class MattersArisingModel(RowTableModel[ActionRow]):
    columns = (
        Column("Reference", lambda r: r.reference),
        Column("Action", lambda r: one_line(r.title)),
        Column("Owner", lambda r: r.owner),
        Column("Due", lambda r: format_date(r.due_on), lambda r: r.due_on),
        Column("Status", action_status_text),
        Column("Latest progress", lambda r: one_line(r.latest_progress) or "No progress noted"),
    )
