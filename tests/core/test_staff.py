"""The staff list: action owners as people with an address, so reminders reach them (#29)."""

from __future__ import annotations

from datetime import date

import pytest

from coordinator_app.core import actions, meetings, people, reminders, staff
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError
from coordinator_app.core.privacy import redactor_of
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category

TODAY = date(2026, 11, 20)


def test_staff_list_is_kept_and_checked(db: Database) -> None:
    rhian = staff.save_staff(db, "  Rhian   Llewelyn ", "rhian@nhs.example")
    staff.save_staff(db, "Ade Obi", "")
    assert [(r.name, r.email) for r in staff.list_staff(db)] == [
        ("Ade Obi", ""),
        ("Rhian Llewelyn", "rhian@nhs.example"),
    ]
    with pytest.raises(ValidationError, match="already on the staff list"):
        staff.save_staff(db, "rhian llewelyn", "")
    with pytest.raises(ValidationError, match="email address"):
        staff.save_staff(db, "Sam Lee", "not an address")
    staff.save_staff(db, "Rhian Llewelyn", "rhian@nhs.example", staff_id=rhian, active=False)
    assert [r.name for r in staff.list_staff(db)] == ["Ade Obi"]
    assert len(staff.list_staff(db, include_set_aside=True)) == 2


def test_reminders_go_to_the_owner_on_the_staff_list_and_never_name_a_service_user(
    db: Database, tmp_path
) -> None:
    complete_first_run(db, trust_name="Trust", coordinator_name="Sam", localities=["Rugby"])
    loc = meetings.list_localities(db)[0].id
    people.create_participant(
        db, people.ParticipantInput(name="Gareth Hughes", category=Category.SERVICE_USER)
    )
    staff.save_staff(db, "Rhian Llewelyn", "rhian@nhs.example")
    for owner in ("rhian llewelyn", "Gareth Hughes", "Head of ops"):
        actions.raise_action(
            db,
            locality_id=loc,
            data=ActionInput(title=f"Call back for {owner}", owner=owner, raised_on=TODAY),
        )
    assert staff.owner_choices(db)[0] == "Rhian Llewelyn"
    drafts = reminders.compose_reminders(
        actions.owner_reminders(db, TODAY),
        today=TODAY,
        redact=redactor_of(db),
        addresses=staff.addresses(db),
    )
    by_owner = {d.owner: d for d in drafts}
    assert by_owner["rhian llewelyn"].to == "rhian@nhs.example"
    assert by_owner["Head of ops"].to == ""
    assert "[service user]" in by_owner
    assert all("Gareth" not in d.body + d.subject + d.owner for d in drafts)
    assert reminders.mailto_url(by_owner["rhian llewelyn"]).startswith("mailto:rhian@nhs.example?")
    written = reminders.write_eml_drafts(drafts, tmp_path)
    texts = [p.read_bytes() for p in written]
    assert sum(b"To: rhian@nhs.example" in t for t in texts) == 1
    assert all(b"Gareth" not in t for t in texts)
