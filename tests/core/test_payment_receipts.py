"""Receipts for a payment's expenses (issue #28): kept inside the database (so a backup holds
them), at most 20 MB, a PDF or a picture; gone with the payment and with the person when they
are anonymised; never exported: the finance list shows only how many."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coordinator_app.core import anonymise
from coordinator_app.core.backup.restoring import SCHEMA_TABLES
from coordinator_app.core.db import Database
from coordinator_app.core.errors import CoordinatorError, NotFoundError
from coordinator_app.core.files import MAX_ATTACHED_BYTES
from coordinator_app.core.meetings.payments import remove_payment, set_payment
from coordinator_app.core.migrations import HEAD
from coordinator_app.core.models import AuditEntry, InvolvementPayment, PaymentReceipt
from coordinator_app.core.payments.activities import (
    record_activity,
    remove_activity,
    set_activity_payment,
)
from coordinator_app.core.payments.finance import HEADERS, finance_rows, write_payments_list
from coordinator_app.core.payments.receipts import (
    add_receipt,
    receipt_counts,
    receipts_of,
    remove_receipt,
    save_receipt_copy,
)
from coordinator_app.core.vocab import ExpenseKind, PaymentStatus
from tests.core.test_payments import World, _world

PDF = b"%PDF-1.4 a bus ticket, Rugby to Coventry, \xc2\xa36.40\n%%EOF"


def _paid(db: Database, w: World) -> object:
    return set_payment(
        db, w.meeting, w.ann, status=PaymentStatus.PAID, expenses={ExpenseKind.TRAVEL: 640}
    )


def _receipt(tmp_path: Path, name: str = "bus ticket.pdf", content: bytes = PDF) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(PaymentReceipt)) or 0


def test_a_receipt_is_kept_inside_the_database_and_copied_out_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    w = _world(db)
    payment = _paid(db, w)
    added = add_receipt(db, payment, _receipt(tmp_path))
    photo = add_receipt(db, payment, _receipt(tmp_path, "taxi.JPG", b"\xff\xd8\xff jpeg"))
    _receipt(tmp_path).unlink()  # the original may go: the database holds it
    (ticket, taxi) = receipts_of(db, payment)
    assert (ticket.id, ticket.filename, ticket.size_bytes) == (added, "bus ticket.pdf", len(PDF))
    assert taxi.id == photo
    copy = save_receipt_copy(db, added, tmp_path / "copy.pdf")
    assert copy.read_bytes() == PDF
    with db.session() as s:
        assert receipt_counts(s, [payment]) == {payment: 2}
        said = s.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "payment_receipt"))
        assert list(said) == ["Attached a receipt to an involvement payment."] * 2
    remove_receipt(db, photo)
    assert [r.filename for r in receipts_of(db, payment)] == ["bus ticket.pdf"]
    assert "payment_receipts" in SCHEMA_TABLES[HEAD]  # a backup must hold them to be restored


@pytest.mark.parametrize(
    ("name", "size", "says"),
    [
        ("scan.pdf", MAX_ATTACHED_BYTES + 1, "scan.pdf is 20.0 MB; a receipt can be at most 20 MB"),
        ("notes.docx", 10, "notes.docx is not a PDF or a picture"),
        ("missing.pdf", None, "There is no file at"),
    ],
)
def test_a_file_that_cannot_be_a_receipt_is_one_sentence_and_nothing_is_kept(
    db: Database, tmp_path: Path, name: str, size: int | None, says: str
) -> None:
    w = _world(db)
    payment = _paid(db, w)
    path = tmp_path / name
    if size is not None:
        with path.open("wb") as handle:
            handle.truncate(size)
    with pytest.raises(CoordinatorError, match=says):
        add_receipt(db, payment, path)
    assert _count(db) == 0


def test_a_receipt_for_a_payment_gone_is_refused(db: Database, tmp_path: Path) -> None:
    w = _world(db)
    payment = _paid(db, w)
    remove_payment(db, payment)
    with pytest.raises(NotFoundError, match="That payment is no longer in the database"):
        add_receipt(db, payment, _receipt(tmp_path))
    assert _count(db) == 0


def test_receipts_go_with_their_payment_and_their_activity(db: Database, tmp_path: Path) -> None:
    w = _world(db)
    add_receipt(db, _paid(db, w), _receipt(tmp_path))
    training = record_activity(
        db, locality_id=w.rugby, kind="training", activity_date=date(2026, 10, 1)
    )
    add_receipt(db, set_activity_payment(db, training, w.bob), _receipt(tmp_path))
    assert _count(db) == 2
    with db.session() as s:
        ann = s.scalar(
            select(InvolvementPayment.id).where(InvolvementPayment.participant_id == w.ann)
        )
    remove_payment(db, ann)
    assert _count(db) == 1
    remove_activity(db, training)
    assert _count(db) == 0


def test_anonymising_a_person_removes_their_receipts_and_keeps_their_payments(
    db: Database, tmp_path: Path
) -> None:
    w = _world(db)
    add_receipt(db, _paid(db, w), _receipt(tmp_path))
    bobs = set_payment(db, w.meeting, w.bob, status=PaymentStatus.PAID)
    add_receipt(db, bobs, _receipt(tmp_path))
    anonymise.anonymise_participants(db, [w.ann])
    with db.session() as s:
        kept = s.scalars(select(PaymentReceipt.payment_id)).all()
        assert kept == [bobs]  # Bob's stays
        assert s.scalar(select(func.count()).select_from(InvolvementPayment)) == 2


def test_the_finance_list_counts_receipts_and_never_holds_one(db: Database, tmp_path: Path) -> None:
    w = _world(db)
    payment = _paid(db, w)
    add_receipt(db, payment, _receipt(tmp_path, "Annwen Quill bus ticket.pdf"))
    add_receipt(db, payment, _receipt(tmp_path, "Annwen Quill taxi.pdf"))
    set_payment(db, w.meeting, w.bob, status=PaymentStatus.OFFERED)
    counted = {r.name: r.receipts for r in finance_rows(db, date(2026, 10, 1), date(2026, 10, 31))}
    assert counted == {"Annwen Quill": 2, "Bartholomew Vane": 0}
    target, _ = write_payments_list(db, date(2026, 10, 1), date(2026, 10, 31), tmp_path / "f.xlsx")
    with zipfile.ZipFile(target) as book:
        text = b"".join(book.read(n) for n in book.namelist())
    assert b"bus ticket" not in text and b"taxi" not in text and PDF[:20] not in text
    assert "Receipts" in HEADERS


def test_the_finance_columns_are_those_of_the_doc_in_order() -> None:
    """docs/command-line.md#payments-list names every column of the list, Receipts among them."""
    import re

    doc = (Path(__file__).parents[2] / "docs" / "command-line.md").read_text(encoding="utf-8")
    section = doc.split("### payments-list", 1)[1].split("It is **personal data**", 1)[0]
    named = re.findall(r"`([^`]+)`", section.split("Columns:", 1)[1])
    listed = [n for n in named if n in HEADERS]
    assert listed == list(HEADERS)
