"""Logs never contain personal data: a failing statement's error (which ends up in a traceback
in the log) names no value, and audit summaries name records, never people."""

from __future__ import annotations

import traceback

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordinator_app.core import people
from coordinator_app.core.anonymise import anonymise_participant, withdraw_consent_to_contact
from coordinator_app.core.db import Database
from coordinator_app.core.models import AuditEntry, Locality
from coordinator_app.core.vocab import Category


def test_sql_errors_do_not_carry_the_values(db: Database) -> None:
    with db.transaction() as session:
        session.add(Locality(name="Zoë's Place", code="ZOE"))
    with pytest.raises(IntegrityError) as caught, db.transaction() as session:
        session.add(Locality(name="Zoë's Place", code="ZOE"))
    text = "".join(traceback.format_exception(caught.value))
    # SQLite names the column; PostgreSQL names the constraint (and its DETAIL line, which
    # repeats the values, is dropped by the engine).
    assert "UNIQUE constraint failed" in text or "uq_localities_" in text
    assert "DETAIL" not in text
    assert "Zoë" not in text and "ZOE" not in text


def test_audit_summaries_never_name_a_person(db: Database) -> None:
    zoe = people.create_participant(
        db,
        people.ParticipantInput(
            name="Zoë O'Neill",
            category=Category.SERVICE_USER,
            email="zoe@example.org",
            consent_to_contact=True,
        ),
    )
    people.update_participant(
        db,
        zoe,
        people.ParticipantInput(name="Zoë O'Neill-Smith", category=Category.SERVICE_USER),
    )
    withdraw_consent_to_contact(db, zoe)
    anonymise_participant(db, zoe)
    with db.session() as session:
        entries = session.scalars(select(AuditEntry)).all()
    assert len(entries) == 4
    for entry in entries:
        assert "Zo" not in entry.summary and "Neill" not in entry.summary
        assert "example.org" not in entry.summary
