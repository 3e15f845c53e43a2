"""The import workbook's Participants sheet with the papers' format and the postal address
(issue #29; docs/import-workbook.md "Participants"): both optional, the address only with
consent to contact, the whole workbook refused with nothing changed on a bad value."""

from __future__ import annotations

from pathlib import Path

from test_importer import TODAY, _book, _counts, _refused

from coordinator_app.core import members, people
from coordinator_app.core.db import Database
from coordinator_app.core.importer import import_workbook
from coordinator_app.core.vocab import AccessibleFormat

HEADERS = [
    "Name", "Category", "Consent to contact", "Email", "Accessible format", "Postal address",
]  # fmt: skip


def _by_name(db: Database) -> dict[str, people.ParticipantRow]:
    rows = people.list_participants(db, active=None)
    return {r.name: people.get_participant(db, r.id) for r in rows}


def test_the_format_and_a_postal_address_are_imported(db: Database, tmp_path: Path) -> None:
    path = _book(
        tmp_path / "people.xlsx",
        {
            "Participants": [
                HEADERS,
                ["Dev Dale", "Service user", "Yes", "", "large-print", "1 High  Street\nRugby\n"],
                ["Cai Clear", "Carer", "Yes", "cai@example.org", "Easy read", None],
                ["Eve Elm", "Service user", "No", None, None, None],
            ]
        },
    )
    summary = import_workbook(db, path, today=TODAY)
    assert summary.added["Participants"] == 3
    found = _by_name(db)
    dev, cai, eve = found["Dev Dale"], found["Cai Clear"], found["Eve Elm"]
    assert dev.postal_address == "1 High Street\nRugby"
    assert dev.accessible_format == AccessibleFormat.LARGE_PRINT
    assert members.delivery(dev.consent_to_contact, dev.email, dev.postal_address).how == "letter"
    assert cai.accessible_format == AccessibleFormat.EASY_READ and cai.postal_address == ""
    assert eve.accessible_format == AccessibleFormat.STANDARD and eve.postal_address == ""


def test_bad_formats_and_addresses_refuse_the_workbook_changing_nothing(
    db: Database, tmp_path: Path
) -> None:
    too_long = "x" * (members.POSTAL_ADDRESS_MAX + 1)
    path = _book(
        tmp_path / "bad.xlsx",
        {
            "Participants": [
                HEADERS,
                ["Ann Able", "Service user", "Yes", "", "Braille", None],
                ["Eve Elm", "Service user", "No", "", "", "2 Low Road\nRugby"],
                ["Fay Fern", "Carer", "Yes", "", "", too_long],
                ["Gus Grey", "Carer", "Yes", "", "Standard", "3 Mill Lane"],
            ]
        },
    )
    before = _counts(db)
    problems = _refused(db, path)
    assert _counts(db) == before
    assert len(problems) == 3
    assert problems[0].startswith("Sheet 'Participants' row 2: Accessible format")
    assert "Braille" in problems[0]
    assert problems[1] == (
        "Sheet 'Participants' row 3: Postal address: A postal address is kept only for someone "
        "who has consented to be contacted."
    )
    assert problems[2] == (
        "Sheet 'Participants' row 4: Postal address: A postal address can be at most "
        f"{members.POSTAL_ADDRESS_MAX} characters."
    )
    assert people.list_participants(db, active=None) == []


def test_a_workbook_without_the_new_columns_still_imports(db: Database, tmp_path: Path) -> None:
    path = _book(
        tmp_path / "old.xlsx",
        {"Participants": [["Name", "Category"], ["Zoë Hart", "Service user"]]},
    )
    import_workbook(db, path, today=TODAY)
    (zoe,) = _by_name(db).values()
    assert zoe.accessible_format == AccessibleFormat.STANDARD and zoe.postal_address == ""
