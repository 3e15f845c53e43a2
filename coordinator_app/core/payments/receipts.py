"""Receipts for a payment's expenses (issue #28): a PDF or a picture attached to a payment,
kept inside the database (``payment_receipts``) so a backup holds it, as an evidence file is
(``accreditation.add_evidence_file``; the same reading and the same 20 MB limit,
``files.read_attached``).

A receipt is personal data. It never leaves in the return or any export: the finance list
shows only how many a payment has (docs/command-line.md#payments-list). It goes with its
payment (ON DELETE CASCADE) and when its person is anonymised or erased
(``anonymise``). A copy is written only when the coordinator asks for one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..db import Database
from ..errors import CoordinatorError, NotFoundError
from ..files import atomic_write, read_attached
from ..models import InvolvementPayment, PaymentReceipt
from ..vocab import AuditOperation

#: What a receipt may be: a PDF or a picture (a photo or a scan).
RECEIPT_SUFFIXES: tuple[str, ...] = (
    ".pdf", ".jpg", ".jpeg", ".png", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff", ".webp",
)  # fmt: skip


@dataclass(frozen=True)
class ReceiptInfo:
    """A receipt without its content (lists never load the bytes)."""

    id: uuid.UUID
    filename: str
    size_bytes: int
    added_at: datetime


def add_receipt(db: Database, payment_id: uuid.UUID, path: str | os.PathLike[str]) -> uuid.UUID:
    """Attach the file at ``path`` (a PDF or a picture, at most 20 MB) to the payment as a
    receipt for its expenses; one transaction. Anything else is one sentence and nothing is
    kept."""
    name = Path(path).name
    if Path(path).suffix.lower() not in RECEIPT_SUFFIXES:
        raise CoordinatorError(
            f"{name} is not a PDF or a picture; attach the receipt as a PDF, or a photo or "
            "scan of it (.jpg, .png ...)."
        )
    filename, content = read_attached(
        path, "a receipt", "attach a smaller copy (a scan or photo at a lower resolution)"
    )
    with db.transaction() as session:
        if session.get(InvolvementPayment, payment_id) is None:
            raise NotFoundError("That payment is no longer in the database.")
        receipt = PaymentReceipt(
            payment_id=payment_id, filename=filename, size_bytes=len(content), content=content
        )
        session.add(receipt)
        session.flush()
        audit.record(
            session,
            AuditOperation.CREATE,
            "payment_receipt",
            receipt.id,
            "Attached a receipt to an involvement payment.",
        )
        return receipt.id


def receipts_of(db: Database, payment_id: uuid.UUID) -> list[ReceiptInfo]:
    """The payment's receipts, oldest first; their content is not read."""
    with db.session() as session:
        rows = session.execute(
            select(
                PaymentReceipt.id,
                PaymentReceipt.filename,
                PaymentReceipt.size_bytes,
                PaymentReceipt.created_at,
            )
            .where(PaymentReceipt.payment_id == payment_id)
            .order_by(PaymentReceipt.created_at, PaymentReceipt.filename)
        ).all()
        return [ReceiptInfo(*row) for row in rows]


def receipt_counts(session: Session, payment_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many receipts each of ``payment_ids`` has (those with none are left out)."""
    ids = list(payment_ids)
    if not ids:
        return {}
    return dict(
        session.execute(  # type: ignore[arg-type]
            select(PaymentReceipt.payment_id, func.count(PaymentReceipt.id))
            .where(PaymentReceipt.payment_id.in_(ids))
            .group_by(PaymentReceipt.payment_id)
        ).all()
    )


def save_receipt_copy(db: Database, receipt_id: uuid.UUID, path: str | os.PathLike[str]) -> Path:
    """Write a copy of a receipt to ``path`` (beside it, then renamed into place)."""
    with db.session() as session:
        receipt = session.get(PaymentReceipt, receipt_id)
        if receipt is None:
            raise NotFoundError("That receipt is no longer in the database.")
        content = bytes(receipt.content)
    return atomic_write(path, lambda temp: Path(temp).write_bytes(content))


def remove_receipt(db: Database, receipt_id: uuid.UUID) -> None:
    """Delete a receipt attached by mistake; one transaction (gone already: nothing to do)."""
    with db.transaction() as session:
        receipt = session.get(PaymentReceipt, receipt_id)
        if receipt is None:
            return
        session.delete(receipt)
        audit.record(
            session,
            AuditOperation.DELETE,
            "payment_receipt",
            receipt_id,
            "Removed a receipt from an involvement payment.",
        )


def forget_receipts(session: Session, participant_ids: Iterable[uuid.UUID]) -> int:
    """Delete every receipt of these people's payments, in the caller's transaction (their
    anonymisation or erasure, ``anonymise``); returns how many went. The payments stay: the
    figures count them."""
    ids = list(dict.fromkeys(participant_ids))
    gone = 0
    for start in range(0, len(ids), 500):
        theirs = select(InvolvementPayment.id).where(
            InvolvementPayment.participant_id.in_(ids[start : start + 500])
        )
        found = session.scalars(
            select(PaymentReceipt).where(PaymentReceipt.payment_id.in_(theirs))
        ).all()
        for receipt in found:
            session.delete(receipt)
        gone += len(found)
    session.flush()
    return gone
