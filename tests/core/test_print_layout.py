"""Returns and consolidations print readably (issue #24 item 5; docs/monthly-return.md
#print-layout): never shrunk to fit, a header with trust, locality and month, "Page N of M" on
every page, charts from zero and a single month drawn as bars.

The print itself is measured in LibreOffice (``soffice --headless --convert-to pdf``, then
``pdftotext -bbox``: a word's box in its PDFs is about 1.16 times the type size); those tests
are skipped, saying why, where LibreOffice or poppler is not installed (.ci/run installs both).
Before: every sheet was fitted to one page wide, so the Actions sheet printed at 3.4 pt and the
consolidated Summary at 2 pt, with no header or page number."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from coordinator_app.core import actions, meetings
from coordinator_app.core.actions import ActionInput
from coordinator_app.core.consolidate import consolidate
from coordinator_app.core.db import Database
from coordinator_app.core.meetings import ExperienceInput, MeetingInput
from coordinator_app.core.returns import export_return
from coordinator_app.core.rules import Month
from coordinator_app.core.settings import complete_first_run
from coordinator_app.core.vocab import Category, ExperienceKind, ForumKind, MeetingStatus

TRUST = "Arden Valley NHS Trust"
LONG = (
    "Write to every carer on the list about the new assessment leaflet and the changes to "
    "the crisis line's opening hours, then report back to the forum with what they said"
)


def _month(db: Database, loc, forum, month: Month, actions_count: int) -> None:
    m = meetings.create_meeting(
        db,
        MeetingInput(
            forum_id=forum,
            meeting_date=date(month.year, month.month, 9),
            status=MeetingStatus.HELD,
        ),
    )
    meetings.set_unnamed(db, m, Category.SERVICE_USER, 300 + month.month)
    meetings.add_experience(
        db,
        m,
        ExperienceInput(ExperienceKind.CONCERN, theme="Crisis line", summary=LONG, response=LONG),
    )
    for n in range(actions_count):
        actions.raise_action(
            db,
            locality_id=loc,
            meeting_id=m,
            data=ActionInput(
                title=f"{LONG} ({n})",
                owner="Involvement manager",
                raised_on=date(month.year, month.month, 9),
            ),
        )


@pytest.fixture
def returns(db: Database, tmp_path: Path) -> list[Path]:
    """Rugby and Coventry, October and November 2026, with long text in every table."""
    complete_first_run(
        db, trust_name=TRUST, coordinator_name="Siân Evans", localities=["Rugby", "Coventry"]
    )
    written = []
    for loc in meetings.list_localities(db):
        forum = meetings.create_forum(
            db, locality_id=loc.id, name=f"{loc.name} Forum", kind=ForumKind.LOCALITY_FORUM
        )
        for month in (Month(2026, 10), Month(2026, 11)):
            _month(db, loc.id, forum, month, 25)
            written.append(
                export_return(
                    db,
                    locality=loc.name,
                    month=month,
                    target=tmp_path / f"Return-{loc.name}-{month}.xlsx",
                    app_version="test",
                )
            )
    return written


def test_no_sheet_is_fitted_to_a_page_and_each_says_whose_it_is(
    returns: list[Path], tmp_path: Path
) -> None:
    consolidated = consolidate(returns, tmp_path / "consolidated.xlsx").target
    for path, place in ((returns[0], "Coventry, October 2026"), (consolidated, "2 localities")):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            where = f"{path.name} {ws.title}"
            assert not ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.page_setup.orientation == "landscape", where
            assert ws.oddHeader.left.text == TRUST, where
            assert ws.oddHeader.center.text.startswith(place), where
            assert ws.oddFooter.right.text == "Page &P of &N", where
            if ws.title != "Charts":
                assert ws.print_title_rows == "$1:$1", where


def test_charts_start_at_zero_and_one_month_is_drawn_as_bars(
    returns: list[Path], tmp_path: Path
) -> None:
    one_month = consolidate(returns[::2], tmp_path / "one.xlsx").target  # October only
    two_months = consolidate(returns, tmp_path / "two.xlsx").target
    for path, trend_kind in ((one_month, "BarChart"), (two_months, "LineChart")):
        charts = openpyxl.load_workbook(path)["Charts"]._charts
        assert len(charts) == 5  # the Board report's four, then the localities' trend
        for chart in charts:
            assert chart.y_axis.scaling.min == 0, path.name
            assert chart.y_axis.delete is False and chart.x_axis.delete is False
        assert type(charts[4]).__name__ == trend_kind, path.name
    for chart in openpyxl.load_workbook(returns[0])["Summary"]._charts:
        assert chart.y_axis.scaling.min == 0


def printed(path: Path, folder: Path) -> Path:
    """``path`` printed to PDF by LibreOffice (every sheet, as its page setup says)."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip(
            "LibreOffice (soffice) or poppler (pdftotext) is not installed: "
            "apt-get install libreoffice-calc poppler-utils"
        )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{path.stem}.pdf"


def page_words(pdf: Path) -> list[list[tuple[float, str]]]:
    """Per page, each word's type size in points (box height / 1.16) and its text."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [
        [
            ((float(y2) - float(y1)) / 1.16, word)
            for y1, y2, word in re.findall(
                r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page
            )
        ]
        for page in out.split("<page ")[1:]
    ]


def test_libreoffice_prints_every_sheet_readably_with_a_page_number(
    returns: list[Path], tmp_path: Path
) -> None:
    """Nine words in ten at 8 pt or more (none shrunk), on every page of a return and of a
    consolidation, and "Page N of M" on each page."""
    consolidated = consolidate(returns, tmp_path / "consolidated.xlsx").target
    for path in (returns[-1], consolidated):
        pages = page_words(printed(path, tmp_path / "pdf"))
        assert pages, path.name
        sizes = [size for page in pages for size, _word in page]
        readable = sum(1 for size in sizes if size >= 8 - 0.05) / len(sizes)
        assert readable >= 0.9, f"{path.name}: {readable:.0%} of words at 8 pt or more"
        assert min(sizes) >= 6, path.name
        for number, page in enumerate(pages, start=1):
            text = " ".join(word for _size, word in page)
            assert re.search(r"Page \d+ of \d+", text), f"{path.name} page {number}"
            assert "Arden" in text, f"{path.name} page {number}: no trust in the header"
        everything = " ".join(word for page in pages for _s, word in page)
        assert "assessment" in everything and "leaflet" in everything  # long text wraps
