"""Equality monitoring (issue #27): the trust's lists, answers only with consent, population
shares, the subject-access export."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from coordinator_app.core import meetings, monitoring, people, schema
from coordinator_app.core.anonymise import subject_access_export
from coordinator_app.core.db import Database
from coordinator_app.core.errors import ValidationError, WorkbookError
from coordinator_app.core.importer import import_workbook
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category

AGE_BANDS = (
    "Under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 to 74",
    "75 and over", "Prefer not to say", "Not asked",
)  # fmt: skip


@pytest.fixture
def person(db: Database) -> uuid.UUID:
    complete_first_run(db, trust_name="T", coordinator_name="Siân Evans", localities=["Rugby"])
    (rugby,) = [loc.id for loc in meetings.list_localities(db)]
    return people.create_participant(
        db, people.ParticipantInput(name="Zoë O'Neill", category=Category.CARER, locality_id=rugby)
    )


def _count(db: Database, table: object) -> int:
    with db.reading() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)))  # type: ignore[arg-type]


def test_the_defaults_are_the_issues(db: Database, person: uuid.UUID) -> None:
    known = {c.name: [g.name for g in c.groups] for c in monitoring.read_characteristics(db)}
    assert list(known) == [
        "Age band", "Sex", "Gender identity same as at birth", "Sexual orientation",
        "Ethnic group", "Religion or belief", "Disability", "Carer", "Armed forces",
    ]  # fmt: skip
    assert tuple(known["Age band"]) == AGE_BANDS
    assert "Asian, Asian British or Asian Welsh: Indian" in known["Ethnic group"]
    assert len(known["Ethnic group"]) == 19 + 2
    assert all(groups[-2:] == ["Prefer not to say", "Not asked"] for groups in known.values())


def test_an_empty_database_gets_the_defaults_once(db: Database) -> None:
    with db.transaction() as session:
        session.execute(schema.monitoring_characteristics.delete())
    assert _count(db, schema.monitoring_groups) == 0
    assert monitoring.read_characteristics(db) == []  # reading writes nothing
    with db.transaction() as session:
        assert monitoring.ensure_defaults(session) is True
    with db.transaction() as session:
        assert monitoring.ensure_defaults(session) is False
    assert _count(db, schema.monitoring_characteristics) == len(monitoring.DEFAULTS)


def test_answers_need_a_consent_date_and_nothing_is_saved_without(
    db: Database, person: uuid.UUID
) -> None:
    with pytest.raises(ValidationError) as caught:
        monitoring.record_answers(
            db, person, consent_date=None, consent_how="Paper form", answers={"Sex": "Female"}
        )
    assert "consent" in caught.value.problems["consent_date"]
    with pytest.raises(ValidationError) as caught:
        monitoring.record_answers(
            db,
            person,
            consent_date=date(2026, 1, 5),
            consent_how="Paper form",
            answers={"Sex": "Female", "age band": "Twenty-something"},
        )
    assert caught.value.problems == {
        "Age band": "Twenty-something is not on the list for Age band."
    }
    with pytest.raises(ValidationError):
        monitoring.record_answers(
            db, person, consent_date=date(2026, 1, 5), consent_how=" ", answers={"Sex": "Male"}
        )
    assert _count(db, schema.monitoring_records) == 0
    assert _count(db, schema.monitoring_answers) == 0


def test_answers_are_recorded_replaced_and_removed(db: Database, person: uuid.UUID) -> None:
    monitoring.record_answers(
        db,
        person,
        consent_date=date(2026, 1, 5),
        consent_how=" on the  paper form ",
        answers={"sex": " female ", "Ethnic group": "White: Irish", "Carer": ""},
    )
    found = monitoring.read_answers(db, person)
    assert found == monitoring.Answers(
        date(2026, 1, 5), "on the paper form", {"Sex": "Female", "Ethnic group": "White: Irish"}
    )
    monitoring.record_answers(
        db, person, consent_date=date(2026, 2, 1), consent_how="Phone", answers={"Carer": "Yes"}
    )
    assert monitoring.read_answers(db, person) == monitoring.Answers(
        date(2026, 2, 1), "Phone", {"Carer": "Yes"}
    )
    with db.reading() as conn:
        summaries = list(conn.scalars(select(schema.audit_log.c.summary)))
    assert "Equality monitoring answers recorded" in summaries
    assert not any("Yes" in s or "Irish" in s for s in summaries)
    assert monitoring.remove_answers(db, person) is True
    assert monitoring.read_answers(db, person) is None
    assert monitoring.remove_answers(db, person) is False


def test_the_trust_changes_its_lists_but_keeps_answered_groups(
    db: Database, person: uuid.UUID
) -> None:
    monitoring.record_answers(
        db, person, consent_date=date(2026, 1, 5), consent_how="Form", answers={"Carer": "Yes"}
    )
    lists = [(c.name, [g.name for g in c.groups]) for c in monitoring.read_characteristics(db)]
    changed = [(n, g) for n, g in lists if n != "Armed forces"]
    changed[0] = ("Age band", ["Under 18", "18 to 64", "65 and over"])
    changed.append(("First language", ["English", "Welsh", "Other"]))
    monitoring.save_characteristics(db, changed)
    known = {c.name: [g.name for g in c.groups] for c in monitoring.read_characteristics(db)}
    assert "Armed forces" not in known
    assert known["First language"] == [
        "English",
        "Welsh",
        "Other",
        "Prefer not to say",
        "Not asked",
    ]
    assert known["Age band"][:3] == ["Under 18", "18 to 64", "65 and over"]
    before = known
    carer_gone = [(n, ["No"] if n == "Carer" else g) for n, g in changed]
    with pytest.raises(ValidationError, match="Yes has answers"):
        monitoring.save_characteristics(db, carer_gone)
    with pytest.raises(ValidationError, match="twice"):
        monitoring.save_characteristics(db, [*changed, ("carer", ["Yes"])])
    after = {c.name: [g.name for g in c.groups] for c in monitoring.read_characteristics(db)}
    assert after == before
    assert monitoring.read_answers(db, person).answers == {"Carer": "Yes"}  # type: ignore[union-attr]


def test_population_shares_are_checked(db: Database, person: uuid.UUID) -> None:
    (rugby,) = [loc.id for loc in meetings.list_localities(db)]
    sex = next(c for c in monitoring.read_characteristics(db) if c.name == "Sex")
    female, male = sex.groups[0].id, sex.groups[1].id
    monitoring.save_population_shares(db, rugby, {female: 51.2, male: 48.8})
    with pytest.raises(ValidationError, match="over 100"):
        monitoring.save_population_shares(db, rugby, {male: 60.0})
    with pytest.raises(ValidationError, match="from 0 to 100"):
        monitoring.save_population_shares(db, rugby, {male: -1.0})
    with db.reading() as conn:
        assert monitoring.population_shares(conn, rugby) == {female: 51.2, male: 48.8}
    monitoring.save_population_shares(db, rugby, {female: None})
    with db.reading() as conn:
        assert monitoring.population_shares(conn, rugby) == {male: 48.8}


def test_the_subject_access_export_holds_the_answers(
    db: Database, person: uuid.UUID, tmp_path: Path
) -> None:
    monitoring.record_answers(
        db,
        person,
        consent_date=date(2026, 1, 5),
        consent_how="Paper form",
        answers={"Sex": "Female", "Religion or belief": "Sikh"},
    )
    target = tmp_path / "SAR.xlsx"
    subject_access_export(db, person, target)
    sheet = load_workbook(target)["Equality monitoring"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Equality monitoring consent given"] == "Paper form"
    assert rows["Equality monitoring consent date"].date() == date(2026, 1, 5)
    assert rows["Sex"] == "Female" and rows["Religion or belief"] == "Sikh"


# --- from the import workbook ------------------------------------------------------------------


def _workbook(tmp_path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Participants"
    ws.append(
        ["Name", "Category", "Locality", "Equality monitoring consent date", "Age band",
         "ethnic group", "Favourite colour"]
    )  # fmt: skip
    for row in rows:
        ws.append(row)
    path = tmp_path / "people.xlsx"
    wb.save(path)
    return path


def test_the_import_takes_answers_with_their_consent_date(
    db: Database, person: uuid.UUID, tmp_path: Path
) -> None:
    path = _workbook(
        tmp_path,
        [
            ["Asha Patel", "Carer", "Rugby", date(2026, 2, 3), "25 to 34",
             "Asian, Asian British or Asian Welsh: Indian", "Blue"],
            ["Ben Cole", "Service user", "Rugby", None, None, None, "Red"],
        ],
    )  # fmt: skip
    import_workbook(db, path, today=date(2026, 11, 1))
    with db.reading() as conn:
        asha = conn.scalar(
            select(schema.participants.c.id).where(schema.participants.c.name == "Asha Patel")
        )
        ben = conn.scalar(
            select(schema.participants.c.id).where(schema.participants.c.name == "Ben Cole")
        )
    assert monitoring.read_answers(db, asha) == monitoring.Answers(
        date(2026, 2, 3),
        "Recorded in an import workbook",
        {"Age band": "25 to 34", "Ethnic group": "Asian, Asian British or Asian Welsh: Indian"},
    )
    assert monitoring.read_answers(db, ben) is None
    import_workbook(db, path, today=date(2026, 11, 1))  # twice: nothing added
    assert _count(db, schema.monitoring_records) == 1


def test_the_import_refuses_answers_without_consent_and_changes_nothing(
    db: Database, person: uuid.UUID, tmp_path: Path
) -> None:
    path = _workbook(
        tmp_path,
        [
            ["Asha Patel", "Carer", "Rugby", None, "25 to 34", None, None],
            ["Ben Cole", "Service user", "Rugby", date(2026, 2, 3), "Twenties", None, None],
        ],
    )
    with pytest.raises(WorkbookError) as caught:
        import_workbook(db, path, today=date(2026, 11, 1))
    problems = caught.value.problems
    assert problems[0].startswith(
        "Sheet 'Participants' row 2: Equality monitoring consent date is blank: Equality "
        "monitoring answers are recorded only with the person's consent"
    )
    assert problems[1] == ("Sheet 'Participants' row 3: Twenties is not on the list for Age band.")
    assert _count(db, schema.participants) == 1  # Zoë only
    assert _count(db, schema.monitoring_records) == 0


def test_the_printed_form_asks_for_consent_first_and_lists_every_group(
    db: Database, person: uuid.UUID, tmp_path: Path
) -> None:
    import subprocess

    from coordinator_app.core import typeset
    from coordinator_app.core.monitoring_form import monitoring_form_document

    for large_print in (False, True):
        document = monitoring_form_document(db, large_print=large_print)
        text = document.text()
        assert text.index("Your consent") < text.index("Age band") < text.index("Ethnic group")
        assert "Zoë" not in text  # a blank form: no name printed
        assert "Not asked" not in text and "Prefer not to say" in text
        pdf = typeset.write_pdf(document, tmp_path / f"form-{large_print}.pdf")
        printed = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
        flat = " ".join(printed.split())
        assert "Asian, Asian British or Asian Welsh: Indian" in flat
        assert "75 and over" in flat and "Armed forces" in flat
