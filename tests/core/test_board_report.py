"""The Board report (core/board_report.py): the hand-worked four localities of test_board.py as
a tagged PDF/UA-1 through the one renderer, with the totals, the missing return, the
exceptions, the ratings in words and bar charts from zero."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coordinator_app.core.board import MEDIAN_DAYS, Target, trust_picture
from coordinator_app.core.board_report import board_document, change_shown, write_board_report
from coordinator_app.core.db import Database
from coordinator_app.core.document import BarChart, Group
from coordinator_app.core.privacy import Redactor
from coordinator_app.core.typeset import write_pdf
from tests.core.test_board import OCT, _returns
from tests.core.test_consolidate import _fill
from tests.core.test_consolidate import _returns as _exported
from tests.core.test_typeset import pdf_info, pdf_text, structure

TARGETS = [
    Target("Attendances", 10),
    Target("Actions overdue at month end", 0, higher_is_better=False, per="trust", amber_within=1),
]
NARRATIVE = (
    "Attendance rose in October.\n\nCall Zoë Price on 07700 900123 or zoe@example.org if "
    "you want to know more."
)


def test_the_document_holds_the_totals_exceptions_ratings_and_narrative() -> None:
    picture = trust_picture(_returns(), TARGETS)
    redactor = Redactor([("Zoë Price", "", "[service user]")])
    text = board_document(picture, narrative=NARRATIVE, redact=redactor).text()
    assert "Attendance rose in October." in text
    assert "Call [service user] on [contact details removed]" in text
    assert "Zoë" not in text and "07700" not in text and "example.org" not in text
    # Avon's year-old return (kept for last year's figures) lists nobody missing for 2025-10.
    assert "Returns not received: Dorset (2026-09)\n" in text
    assert "Avon: action A-1 is 123 days overdue at the end of 2026-10 (Fix A-1)." in text
    assert "Calne: no forum meeting held in 2026-09 or 2026-10." in text
    # The trust's October attendances, up 16 on September and 37 on last October (Avon's 9).
    assert "Attendances | 46 | +16 | +37 | Green: on target" not in text  # rated per locality
    assert "Attendances | 46 | +16 | +37 | " in text
    assert "Actions overdue at month end | 2 | +1 | +2 | Red: off target" in text
    # September was read but nothing was completed in it: "none", not "no return".
    assert f"{MEDIAN_DAYS} | 40 | none | none | " in text
    assert "Attendances | at least 10 a locality | Dorset | 9 | Amber: near target" in text
    assert "Attendances | at least 10 a locality | Calne | 0 | Red: off target" in text
    # By locality: Dorset sent October; the trust row adds up; money in pounds.
    assert "Trust total | 46 | 46 | 0 | 0 | £0.00 | 0" in text
    assert "Trust total | 0 | 3 | 0 | 2 | 40" in text
    assert "Bath | 0 | 2 | 0 | 1 | 40.5" in text
    assert "Avon | Accredited | 90 | 15 September 2026 | 2026-10 | 2025-10: none;" in text
    assert "Access | Concern | 4 | Avon, Bath" in text
    # Exceptions come before the measures, on the first page.
    assert text.index("Exceptions") < text.index("The trust's totals")


def test_every_chart_starts_from_zero_and_its_figures_are_in_a_table() -> None:
    picture = trust_picture(_returns(), TARGETS)
    document = board_document(picture)
    rest = next(b for b in document.blocks if isinstance(b, Group))
    charts = [b for b in rest.blocks if isinstance(b, BarChart)]
    assert len(charts) == 3  # the experience items are 0 everywhere: a sentence, no chart
    attendances = charts[0]
    assert attendances.bars == (
        ("Avon", 15.0, "15"),
        ("Bath", 22.0, "22"),
        ("Calne", 0.0, "0"),
        ("Dorset", 9.0, "9"),
    )
    assert all("from zero" in c.title for c in charts)
    data = document.to_json()
    # The scale runs from 0 to the largest value (no cut axis): Bath's 22 is the full bar.
    assert '"top": 22.0, "top_shown": "22"' in data


@pytest.fixture
def four_returns(db: Database, tmp_path: Path) -> list[Path]:
    """Returns exported by the app: Coventry and Rugby, 2026-09 and 2026-10."""
    _fill(db)
    return _exported(db, tmp_path)


def test_the_board_report_typesets_in_large_print() -> None:
    from coordinator_app.core.typeset import pdf_bytes

    picture = trust_picture(_returns(), TARGETS)
    data = pdf_bytes(board_document(picture, narrative=NARRATIVE, large_print=True))
    assert data.startswith(b"%PDF")


def test_change_says_no_return_rather_than_zero() -> None:
    picture = trust_picture(_returns())
    assert change_shown("Attendances", picture.change("Dorset", OCT, "Attendances"), "previous") \
        == "no return"  # fmt: skip
    assert change_shown("Attendances", picture.change("Avon", OCT, "Attendances"), "last year") \
        == "+6"  # fmt: skip


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; .ci/run installs it",
)
def test_the_board_report_is_a_tagged_pdf_with_the_totals_and_the_missing_return(
    tmp_path: Path,
) -> None:
    target = tmp_path / "board.pdf"
    written = write_board_report(_returns(), target, targets=TARGETS, narrative=NARRATIVE)
    assert written == target.resolve()
    info = pdf_info(target)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Board report, October 2025 to October 2026"
    assert b"pdfuaid:part" in target.read_bytes()
    text = " ".join(pdf_text(target).split())
    first = " ".join(pdf_text(target, page=1).split())
    assert "Dorset (2026-09)" in first
    assert "Red: off target" in first and "Amber: near target" in first
    assert "Trust total" in text and "46" in text
    assert "Accreditation across localities" in text
    assert "07700" not in text
    assert "Table" in structure(target) or "TH" in structure(target)


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; .ci/run installs it",
)
def test_the_command_line_writes_the_workbook_and_the_board_report(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Returns the app exported (Coventry and Rugby, September and October), Rugby's
    September left out: the report names it missing."""
    from coordinator_app import cli

    sent = [p for p in four_returns if p.name != "Rugby-2026-09.xlsx"]
    workbook, report = tmp_path / "all.xlsx", tmp_path / "board.pdf"
    argv = ["consolidate", *map(str, sent), "-o", str(workbook), "--report", str(report)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert f"Wrote the Board report to {report.resolve()}." in out
    assert workbook.exists()
    assert pdf_info(report)["Tagged"] == "yes"
    first = " ".join(pdf_text(report, page=1).split())
    assert "Rugby: no return for 2026-09 (other localities sent theirs)." in first
    text = " ".join(pdf_text(report, raw=True).split())
    # October: Coventry 4 attendances (Zoë and 3 carers), Rugby 2 (Zoë and 1 carer).
    assert "Trust total 6 2 0 0 £0.00 0" in text
    assert "Zoë" not in text


def test_a_refused_return_or_one_name_for_both_writes_neither(
    four_returns: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coordinator_app import cli

    workbook, report = tmp_path / "all.xlsx", tmp_path / "board.pdf"
    same = ["consolidate", *map(str, four_returns), "-o", str(report), "--report", str(report)]
    assert cli.main(same) == 1
    assert "need different file names" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    argv = ["consolidate", *map(str, four_returns), str(broken), "-o", str(workbook)]
    assert cli.main([*argv, "--report", str(report)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not workbook.exists() and not report.exists()


def test_reach_across_the_trust_where_returns_carry_it() -> None:
    """Avon and Bath's October returns (format version 2) carry Reach: 6 + 5 people aged 18-24,
    7 + 8 aged 25-34, so 11 (42.3%) and 15 (57.7%) of the 26 who said."""
    returns = _returns()
    for data in returns:
        if data.month == OCT and data.locality in ("Avon", "Bath"):
            avon = data.locality == "Avon"
            data.tables["Reach"] = [
                ("Age", "18-24", 6 if avon else 5, None, None),
                ("Age", "25-34", 7 if avon else 8, None, None),
            ]
    text = board_document(trust_picture(returns)).text()
    assert "Reach across the trust, the 12 months ending October 2026" in text
    assert "Age | 18-24 | 11 | 42.3 | 2" in text
    assert "Age | 25-34 | 15 | 57.7 | 2" in text
    # Without reach in any return, there is no such section.
    assert "Reach across" not in board_document(trust_picture(_returns())).text()


def test_you_said_we_did_prints_the_featured_actions_redacted_in_the_groups_order() -> None:
    import dataclasses

    returns = _returns()
    avon = next(r for r in returns if r.locality == "Avon" and r.month == OCT)
    row = list(avon.tables["Actions"][1])  # A-2, completed 11 October 2026
    row[3], row[11] = "Ring Zoë Price on 07700 900123 back", "Zoë Price rang back"
    tables = {**avon.tables, "Actions": [avon.tables["Actions"][0], tuple(row)]}
    returns[returns.index(avon)] = dataclasses.replace(avon, tables=tables)
    picture = trust_picture(returns, featured=[("bath", "B-2"), ("Avon", "A-2"), ("Avon", "A-1")])
    redactor = Redactor([("Zoë Price", "", "[service user]")])
    text = board_document(picture, redact=redactor).text()
    section = text[text.index("You said, we did") :]
    assert "Bath | Fix B-2 | not said | 2 October 2026" in section
    assert (
        "Avon | Ring [service user] on [contact details removed] back | [service user] rang "
        "back | 11 October 2026" in section
    )
    assert section.index("Fix B-2") < section.index("Ring [service user]")  # the group's order
    assert "Fix A-1" not in section.split("Accreditation across")[0]  # not completed: not shown
    assert "Zoë" not in text and "07700" not in text
    assert text.index("What people said") < text.index("You said, we did")


def test_you_said_we_did_says_so_when_the_group_featured_none() -> None:
    text = board_document(trust_picture(_returns())).text()
    section = text[text.index("You said, we did") :]
    assert section.index("The engagement group featured no completed actions.") < section.index(
        "Accreditation across localities"
    )


def test_charts_name_their_axes_and_a_chart_of_nothing_is_a_sentence() -> None:
    document = board_document(trust_picture(_returns(), TARGETS))
    rest = next(b for b in document.blocks if isinstance(b, Group))
    charts = [b for b in rest.blocks if isinstance(b, BarChart)]
    assert [(c.label_axis, c.value_axis) for c in charts] == [
        ("Locality", "Attendances"),
        ("Locality", "Actions overdue at month end"),
        ("Month", "Attendances"),
    ]
    assert '"value_axis": "Attendances", "label_axis": "Locality"' in document.to_json()
    text = document.text()
    assert (
        "Experience items by locality, October 2026: no chart, as every locality's figure is 0."
        in text
    )
    assert "Experience items by locality, October 2026 (bars from zero)" not in text


def test_the_trusts_changes_say_how_many_returns_they_compare_with() -> None:
    """October 2026: 4 of 4 returns; September 3 (Dorset's missing); last October only Avon's,
    so the trust's +37 on a year ago is one locality's then against four now."""
    text = board_document(trust_picture(_returns())).text()
    assert (
        "The changes compare with the returns then received (3 of 4 in September 2026 and 1 of "
        "4 in October 2025; 4 of 4 in October 2026)." in text
    )
    complete = [r for r in _returns() if r.month == OCT]
    assert "The changes compare" not in board_document(trust_picture(complete)).text()


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed; .ci/run installs it",
)
def test_each_sections_heading_stays_with_its_whole_table(tmp_path: Path) -> None:
    """Four localities over three months (and last October's one return), with targets,
    highlights and a narrative: the measures by locality printed a heading and one row at the
    foot of a page and the rest over the page."""
    from tests.core.test_typeset import word_heights

    target = tmp_path / "board.pdf"
    picture = trust_picture(_returns(), TARGETS, featured=[("Bath", "B-2"), ("Avon", "A-2")])
    write_pdf(board_document(picture, narrative=NARRATIVE), target)
    assert pdf_info(target)["Tagged"] == "yes"
    pages = [
        " ".join(pdf_text(target, page=n).split())
        for n in range(1, int(pdf_info(target)["Pages"]) + 1)
    ]
    sections = {
        "Measures by locality, October 2026": ["Avon", "Dorset", "Trust total", "40.5"],
        "The trust's totals, October 2026": ["Meetings held", "People involved in improvement"],
        "The trust month by month": ["October 2025", "October 2026"],
        "What people said, October 2026": ["Access", "Compliment"],
        "You said, we did": ["Fix B-2", "Fix A-2"],
        "Accreditation across localities": ["Avon", "Dorset"],
    }
    for heading, rows in sections.items():
        page = next(p for p in pages if heading in p)
        after = page[page.index(heading) :]
        assert all(row in after for row in rows), (heading, page)
    measures = next(p for p in pages if "Measures by locality, October 2026" in p)
    after = measures[measures.index("Measures by locality") :]
    assert after.count("Dorset") >= 2 and after.count("Trust total") >= 2  # both its tables
    # The charts' axes are named on the page (the drawing is an artifact; its words print).
    chart = next(p for p in pages if "Attendances by locality, October 2026" in p)
    assert "Locality Avon" in chart
    # Nothing printed smaller than the footer (9 pt; the small print is 9.5 pt).
    assert min(word_heights(target)) >= 8.9


def test_the_trusts_totals_have_a_rating_column_only_when_a_target_rates_the_trust() -> None:
    def header(targets: list[Target]) -> str:
        text = board_document(trust_picture(_returns(), targets)).text()
        section = text[text.index("The trust's totals") :]
        return next(line for line in section.splitlines() if line.startswith("Measure | "))

    whole = "Measure | October 2026 | Change from the month before | Change from a year before"
    assert header([]) == whole  # no empty "Rating" column
    assert header([Target("Attendances", 10)]) == whole  # rates each locality, not the trust
    assert header(TARGETS) == f"{whole} | Rating"
