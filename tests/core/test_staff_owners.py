"""Action owners on the staff list by id, not only by name (issue #29, core/staff.py): renaming a
staff member keeps their actions and their reminders; old rows fall back to the name."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from coordinator_app.core import actions, fields, meetings, reminders, schema, staff
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database, open_database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.privacy import redactor_of
from coordinator_app.core.settings import complete_first_run

TODAY = date(2026, 11, 20)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _locality(db: Database) -> uuid.UUID:
    complete_first_run(db, trust_name="Trust", coordinator_name="Sam", localities=["Rugby"])
    return meetings.list_localities(db)[0].id


def _raise(db: Database, loc: uuid.UUID, owner: str) -> uuid.UUID:
    return actions.raise_action(
        db, locality_id=loc, data=ActionInput(title=f"Call {owner}", owner=owner, raised_on=TODAY)
    )


def _owner_of(db: Database, action_id: uuid.UUID) -> tuple[str, uuid.UUID | None]:
    a = schema.actions
    with db.reading() as conn:
        row = conn.execute(select(a.c.owner, a.c.owner_staff_id).where(a.c.id == action_id)).one()
    return row.owner, row.owner_staff_id


def _recipients(db: Database) -> dict[str, str]:
    drafts = reminders.compose_reminders(
        actions.owner_reminders(db, TODAY),
        today=TODAY,
        redact=redactor_of(db),
        addresses=staff.addresses(db),
    )
    return {d.owner: d.to for d in drafts}


def test_an_owner_chosen_from_the_staff_list_is_kept_by_id(db: Database) -> None:
    loc = _locality(db)
    rhian = staff.save_staff(db, "Rhian Llewelyn", "rhian@nhs.example")
    chosen = _raise(db, loc, "rhian  LLEWELYN")
    other = _raise(db, loc, "Head of ops")
    assert _owner_of(db, chosen) == ("rhian LLEWELYN", rhian)
    assert _owner_of(db, other) == ("Head of ops", None)
    # Changed by hand to someone not on the list: the id goes with it.
    actions.update_action(db, chosen, ActionInput(title="Call", owner="Ops", raised_on=TODAY))
    assert _owner_of(db, chosen) == ("Ops", None)


def test_renaming_a_staff_member_keeps_their_actions_and_reminders(db: Database) -> None:
    loc = _locality(db)
    rhian = staff.save_staff(db, "Rhian Llewelyn", "rhian@nhs.example")
    mine = _raise(db, loc, "Rhian Llewelyn")
    # An action from before owners were kept by id (migration 0014 leaves none such for a
    # name on the list; one typed by another copy of the app might be).
    old = _raise(db, loc, "rhian llewelyn")
    with db.transaction() as session:
        a = schema.actions
        session.execute(a.update().where(a.c.id == old).values(owner_staff_id=None))
    version = actions.get_action(db, mine, TODAY).version

    staff.save_staff(db, "Rhian Evans", "rhian@nhs.example", staff_id=rhian)
    assert _owner_of(db, mine) == ("Rhian Evans", rhian)
    assert _owner_of(db, old) == ("Rhian Evans", rhian)
    assert actions.get_action(db, mine, TODAY).version > version  # an open editor is told
    assert _recipients(db) == {"Rhian Evans": "rhian@nhs.example"}


def test_reminders_go_by_id_and_fall_back_to_the_name(db: Database) -> None:
    loc = _locality(db)
    ade = staff.save_staff(db, "Ade Obi", "ade@nhs.example")
    staff.save_staff(db, "Sam Lee", "sam@nhs.example")
    by_id = _raise(db, loc, "Ade Obi")
    by_name = _raise(db, loc, "sam lee")
    a = schema.actions
    with db.transaction() as session:  # by id: the owner text no longer the name
        session.execute(a.update().where(a.c.id == by_id).values(owner="Dr A Obi"))
        session.execute(a.update().where(a.c.id == by_name).values(owner_staff_id=None))
    assert _owner_of(db, by_id) == ("Dr A Obi", ade)
    assert _recipients(db) == {"Dr A Obi": "ade@nhs.example", "sam lee": "sam@nhs.example"}


def test_a_rename_too_long_for_an_owner_is_refused_changing_nothing(db: Database) -> None:
    loc = _locality(db)
    rhian = staff.save_staff(db, "Rhian Llewelyn", "")
    mine = _raise(db, loc, "Rhian Llewelyn")
    with pytest.raises(ValidationError, match="owns actions"):
        staff.save_staff(db, "R" * (fields.OWNER_MAX + 1), "", staff_id=rhian)
    assert [r.name for r in staff.list_staff(db)] == ["Rhian Llewelyn"]
    assert _owner_of(db, mine) == ("Rhian Llewelyn", rhian)


def test_0014_links_the_actions_of_staff_named_as_owners(tmp_path: Path) -> None:
    path = shutil.copy(FIXTURES / "rev0010.db", tmp_path / "coordinator.db")
    staff_id = uuid.uuid4().hex
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO staff (id, name, email, active, created_at, updated_at, row_version) "
            "VALUES (?, 'Rhian Llewelyn', 'rhian@nhs.example', 1, '2026-01-01', '2026-01-01', 1)",
            (staff_id,),
        )
        conn.execute("UPDATE actions SET owner = ' rhian llewelyn'")
        conn.commit()
    db = open_database(path)
    try:
        a = schema.actions
        with db.reading() as conn:
            linked = conn.execute(select(a.c.owner_staff_id)).scalars().all()
        assert linked == [uuid.UUID(staff_id)]
    finally:
        db.dispose()
