"""The writes of involvement payments beyond a meeting's own (issue #28): a claim's date, a
person's benefits answers, an involvement activity with its people and payments; and the
finance list, written off the GUI thread like any export. One ``Op`` each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ...core.payments import activities, claims, finance, rates, receipts, totals
from ...core.vocab import ActivityKind, RateUnit, ThresholdPeriod
from ..context import AppContext
from . import Op


def record_claim(
    parent: QWidget | None, ctx: AppContext, payment_id: uuid.UUID, claimed_on: date | None
) -> Op[None]:
    return Op(
        parent,
        lambda: claims.record_claim(ctx.db, payment_id, claimed_on),
        changed=lambda _v: ctx.events.meetingsChanged.emit(""),
    )


def set_benefits(
    parent: QWidget | None,
    ctx: AppContext,
    participant_id: uuid.UUID,
    *,
    benefits_advice_on: date | None,
    wants_vouchers: bool,
    wants_no_payment: bool,
) -> Op[None]:
    return Op(
        parent,
        lambda: totals.set_benefits(
            ctx.db,
            participant_id,
            benefits_advice_on=benefits_advice_on,
            wants_vouchers=wants_vouchers,
            wants_no_payment=wants_no_payment,
        ),
        changed=lambda _v: ctx.events.participantsChanged.emit(str(participant_id)),
    )


def record_activity(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    locality_id: uuid.UUID,
    kind: ActivityKind,
    activity_date: date | None,
    title: str,
    unit: RateUnit,
    quantity: float,
    cost_code: str,
    payments: Mapping[uuid.UUID, tuple[object, ...]],
    project_id: uuid.UUID | None = None,
    activity_id: uuid.UUID | None = None,
) -> Op[uuid.UUID]:
    """The activity and every person's payment, as one user action (one transaction);
    ``activities.PaymentGiven`` for each payment; ``activity_id`` to change one."""
    return Op(
        parent,
        lambda: activities.record_activity_with_payments(
            ctx.db,
            locality_id=locality_id,
            kind=kind,
            activity_date=activity_date,  # type: ignore[arg-type]
            title=title,
            unit=unit,
            quantity=quantity,
            cost_code=cost_code,
            project_id=project_id,
            payments=payments,
            activity_id=activity_id,
        ),
        changed=lambda _v: ctx.events.participantsChanged.emit(""),
    )


def add_receipt(
    parent: QWidget | None, ctx: AppContext, payment_id: uuid.UUID, path: Path
) -> Op[uuid.UUID]:
    """Attach a receipt (read and kept in the database off the GUI thread: up to 20 MB)."""
    return Op(
        parent,
        lambda: receipts.add_receipt(ctx.db, payment_id, path),
        title="Receipt not attached",
        changed=lambda _v: ctx.events.meetingsChanged.emit(""),
    )


def remove_receipt(parent: QWidget | None, ctx: AppContext, receipt_id: uuid.UUID) -> Op[None]:
    return Op(
        parent,
        lambda: receipts.remove_receipt(ctx.db, receipt_id),
        changed=lambda _v: ctx.events.meetingsChanged.emit(""),
    )


def write_payments_list(
    parent: QWidget | None,
    ctx: AppContext,
    start: date,
    end: date,
    target: Path,
    locality_ids: Iterable[uuid.UUID] | None = None,
) -> Op[tuple[Path, int]]:
    """Reads only; off the GUI thread like every export."""
    ids = None if locality_ids is None else list(locality_ids)
    return Op(
        parent,
        lambda: finance.write_payments_list(
            ctx.db, start, end, target, today=ctx.today(), locality_ids=ids
        ),
        title="Not written",
    )


def set_rate(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    kind: ActivityKind,
    unit: RateUnit,
    pence: int,
    starts_on: date,
    cost_code: str,
) -> Op[uuid.UUID]:
    return Op(
        parent,
        lambda: rates.set_rate(
            ctx.db, kind=kind, unit=unit, pence=pence, starts_on=starts_on, cost_code=cost_code
        ),
        changed=lambda _v: ctx.events.settingsChanged.emit(),
    )


def save_payment_settings(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    threshold_pence: int | None,
    threshold_period: ThresholdPeriod,
    unpaid_limit_days: int,
) -> Op[None]:
    return Op(
        parent,
        lambda: totals.save_payment_settings(
            ctx.db,
            threshold_pence=threshold_pence,
            threshold_period=threshold_period,
            unpaid_limit_days=unpaid_limit_days,
        ),
        changed=lambda _v: ctx.events.settingsChanged.emit(),
    )
