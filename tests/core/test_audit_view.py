"""The audit log viewer's queries: filters narrow, newest first, nothing is ever written."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coordinator_app.core import people
from coordinator_app.core.anonymise import anonymise_participant
from coordinator_app.core.audit_view import AuditFilter, audit_count, audit_entities, list_audit
from coordinator_app.core.db import Database
from coordinator_app.core.models import AuditEntry
from coordinator_app.core.settings import save_settings
from coordinator_app.core.vocab import AuditOperation, Category


def _person(db: Database, name: str) -> object:
    return people.create_participant(
        db, people.ParticipantInput(name=name, category=Category.CARER)
    )


def test_filters_by_operation_entity_who_text_and_dates(db: Database) -> None:
    save_settings(db, coordinator_name="Siân Evans")
    zoe = _person(db, "Zoë Smith")
    _person(db, "Seán Murphy")
    anonymise_participant(db, zoe)
    with db.transaction() as session:
        session.add(
            AuditEntry(
                at=datetime(2020, 5, 1, 12, tzinfo=UTC),
                actor="Old Hand",
                os_user="ohand",
                operation=AuditOperation.IMPORT,
                entity="workbook",
                summary="Imported 3 meetings",
            )
        )
    everything = list_audit(db)
    assert len(everything) == audit_count(db) == 5
    assert everything[-1].summary == "Imported 3 meetings"  # newest first
    assert [
        r.operation for r in list_audit(db, AuditFilter(operation=AuditOperation.ANONYMISE))
    ] == [AuditOperation.ANONYMISE]
    assert {r.entity for r in list_audit(db, AuditFilter(entity="participant"))} == {"participant"}
    assert len(list_audit(db, AuditFilter(who="sian"))) == 4  # accents and case ignored
    assert len(list_audit(db, AuditFilter(who="ohand"))) == 1
    assert len(list_audit(db, AuditFilter(text="imported meetings"))) == 1
    assert len(list_audit(db, AuditFilter(until=date(2020, 5, 1)))) == 1
    assert len(list_audit(db, AuditFilter(since=date(2020, 5, 2)))) == 4
    assert len(list_audit(db, AuditFilter(entity_id=zoe))) == 2
    assert audit_entities(db) == ["participant", "settings", "workbook"]
    assert list_audit(db)[0].who.startswith("Siân Evans")
    assert len(list_audit(db, limit=2)) == 2


@pytest.mark.sqlite_only
def test_reading_the_log_writes_nothing(db: Database, db_path: Path) -> None:
    _person(db, "Zoë Smith")
    db.dispose()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    from coordinator_app.core.db import open_database

    reopened = open_database(db_path)
    try:
        list_audit(reopened, AuditFilter(who="zoë", text="added"))
        audit_entities(reopened)
    finally:
        reopened.dispose()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
