"""The payments list for finance (issue #28; docs/command-line.md#payments-list).

Who is to be paid what, for which activity, on which date and cost code, how many receipts
the coordinator keeps for its expenses (never a receipt itself), with the claim's stage and
days waiting: one row per payment not declined whose work was done in the period (the
meeting's or activity's date, both ends included). Bank details stay in finance's own system.

It is **personal data**: its own workbook, written only when asked (the command line's
``payments-list``, File > Payments list for finance...), never part of the return. The sheet
says so in a title row above the table and in its printed page header. The payee's name is
there on purpose; free text written about the work (an activity's title) goes through the one
redactor (``privacy.redactor_for``), so nobody else's name leaves with it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import schema
from ..db import Database
from ..errors import ValidationError
from ..vocab import ActivityKind, ExpenseKind, PaymentMethod, PaymentStatus, RateUnit
from .claims import (
    WORK_DATE,
    WORK_LOCALITY,
    A,
    M,
    P,
    days_waiting,
    occasion_label,
    stage,
    with_occasion,
)
from .receipts import receipt_counts

SHEET = "Payments for finance"
PERSONAL_DATA = "PERSONAL DATA"
HEADERS: tuple[str, ...] = (
    "Name",
    "Locality",
    "Activity",
    "Date",
    "Cost code",
    "Method",
    "Amount (GBP)",
    "Travel (GBP)",
    "Care cover (GBP)",
    "Subsistence (GBP)",
    "Other expenses (GBP)",
    "Total (GBP)",
    "Receipts",
    "Status",
    "Claimed on",
    "Paid on",
    "Days waiting",
    "Payment reference",
)
MONEY_COLUMNS = tuple(i for i, h in enumerate(HEADERS, start=1) if h.endswith("(GBP)"))


@dataclass(frozen=True)
class FinanceRow:
    name: str
    locality: str
    activity: str
    work_date: date
    cost_code: str
    method: PaymentMethod
    amount_pence: int
    expenses: dict[ExpenseKind, int]
    status: str
    claimed_on: date | None
    paid_on: date | None
    days_waiting: int | None
    payment_id: uuid.UUID
    #: How many receipts the coordinator keeps for it (never the receipts themselves).
    receipts: int = 0

    @property
    def total_pence(self) -> int:
        return self.amount_pence + sum(self.expenses.values())


def check_period(start: date | None, end: date | None) -> None:
    """Both dates given and ``start`` not after ``end`` (else ``ValidationError``)."""
    if start is None or end is None:
        raise ValidationError({"period": "Give the first and last day of the period."})
    if start > end:
        raise ValidationError(
            {"period": f"The period starts ({start:%d/%m/%Y}) after it ends ({end:%d/%m/%Y})."}
        )


def finance_rows(
    db: Database,
    start: date,
    end: date,
    *,
    today: date | None = None,
    locality_ids: list[uuid.UUID] | None = None,
) -> list[FinanceRow]:
    """The payments not declined for work done from ``start`` to ``end`` (both included), by
    date then name. Cost code: the activity's, else that of the trust's rate in force for the
    kind (a meeting's: kind meeting, per session) on the date."""
    from ..privacy import redactor_for

    check_period(start, end)
    today = today or date.today()
    people, localities = schema.participants, schema.localities
    expenses = schema.payment_expenses
    with db.session() as session:
        redact = redactor_for(session)
        query = (
            with_occasion(
                select(
                    P.c.id,
                    people.c.name,
                    localities.c.name.label("locality"),
                    M.c.reference,
                    A.c.kind,
                    A.c.unit,
                    A.c.title,
                    A.c.cost_code,
                    WORK_DATE.label("work_date"),
                    P.c.method,
                    P.c.status,
                    P.c.amount_pence,
                    P.c.expenses_pence,
                    P.c.claimed_on,
                    P.c.paid_on,
                ).join(people, people.c.id == P.c.participant_id)
            )
            .outerjoin(localities, localities.c.id == WORK_LOCALITY)
            .where(
                P.c.status != PaymentStatus.DECLINED,
                WORK_DATE.between(start, end),
            )
            .order_by(WORK_DATE, people.c.name, P.c.id)
        )
        if locality_ids is not None:
            query = query.where(WORK_LOCALITY.in_(locality_ids))
        rows = session.execute(query).all()
        by_kind: dict[uuid.UUID, dict[ExpenseKind, int]] = {}
        receipts: dict[uuid.UUID, int] = {}
        ids = [r.id for r in rows]
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            receipts.update(receipt_counts(session, chunk))
            for e in session.execute(
                select(expenses.c.payment_id, expenses.c.kind, expenses.c.pence).where(
                    expenses.c.payment_id.in_(chunk)
                )
            ):
                by_kind.setdefault(e.payment_id, {})[ExpenseKind(e.kind)] = e.pence
        codes = _rate_codes(session)
        result = []
        for r in rows:
            kinds = dict(by_kind.get(r.id, {}))
            rest = r.expenses_pence - sum(v for k, v in kinds.items() if k != ExpenseKind.OTHER)
            if rest > 0:
                kinds[ExpenseKind.OTHER] = rest
            kind = ActivityKind(r.kind) if r.kind else ActivityKind.MEETING
            unit = RateUnit(r.unit) if r.unit else RateUnit.SESSION
            code = r.cost_code or _code_on(codes, kind, unit, r.work_date)
            result.append(
                FinanceRow(
                    r.name,
                    r.locality or "",
                    redact(occasion_label(r.reference, r.kind, r.title)),
                    r.work_date,
                    code,
                    PaymentMethod(r.method),
                    r.amount_pence,
                    kinds,
                    stage(r.status, r.claimed_on).label,
                    r.claimed_on,
                    r.paid_on,
                    days_waiting(r.claimed_on, r.paid_on, today),
                    r.id,
                    receipts.get(r.id, 0),
                )
            )
    return result


def _rate_codes(session: Any) -> list[tuple[str, str, date, str]]:
    rates = schema.payment_rates
    return [
        (r.kind, r.unit, r.starts_on, r.cost_code)
        for r in session.execute(
            select(rates.c.kind, rates.c.unit, rates.c.starts_on, rates.c.cost_code).order_by(
                rates.c.starts_on
            )
        )
    ]


def _code_on(codes: list[tuple[str, str, date, str]], kind: str, unit: str, day: date) -> str:
    found = ""
    for k, u, starts_on, code in codes:
        if k == kind and u == unit and starts_on <= day:
            found = code
    return found


def _pounds(pence: int | None) -> Decimal | None:
    return None if not pence else Decimal(pence) / 100


def write_payments_list(
    db: Database,
    start: date,
    end: date,
    target: str | Path,
    *,
    today: date | None = None,
    locality_ids: list[uuid.UUID] | None = None,
) -> tuple[Path, int]:
    """Write the finance list for the period to ``target`` (atomically: a temporary file beside
    it, renamed into place); returns where and how many payments. Reads only."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..files import atomic_write
    from ..settings import get_settings
    from ..xlsx import print_setup, set_cell, write_table

    check_period(start, end)
    rows = finance_rows(db, start, end, today=today, locality_ids=locality_ids)
    trust = get_settings(db).trust_name
    period = f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
    title = (
        f"{PERSONAL_DATA}: involvement payments for finance, {period}. Names and amounts "
        "paid to people: keep it secure, send it only to finance, delete it when paid."
    )

    def write(path: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        count = write_table(
            ws,
            HEADERS,
            (
                (
                    r.name,
                    r.locality,
                    r.activity,
                    r.work_date,
                    r.cost_code,
                    r.method.label,
                    Decimal(r.amount_pence) / 100,
                    _pounds(r.expenses.get(ExpenseKind.TRAVEL)),
                    _pounds(r.expenses.get(ExpenseKind.CARE_COVER)),
                    _pounds(r.expenses.get(ExpenseKind.SUBSISTENCE)),
                    _pounds(r.expenses.get(ExpenseKind.OTHER)),
                    Decimal(r.total_pence) / 100,
                    r.receipts,
                    r.status,
                    r.claimed_on,
                    r.paid_on,
                    r.days_waiting,
                    str(r.payment_id),
                )
                for r in rows
            ),
        )
        ws.insert_rows(1)
        set_cell(ws, 1, 1, title)
        ws.cell(row=1, column=1).font = Font(bold=True)
        for column in MONEY_COLUMNS:
            for row in range(3, count + 3):
                ws.cell(row=row, column=column).number_format = "#,##0.00"
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{ws.cell(row=2, column=len(HEADERS)).column_letter}{count + 2}"
        print_setup(
            ws,
            trust=trust or "Involvement payments",
            place=PERSONAL_DATA,
            title=f"Payments {period}",
            title_rows="1:2",
        )
        wb.save(path)

    return atomic_write(target, write), len(rows)
