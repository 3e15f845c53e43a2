"""The Board report (docs/printouts.md#the-board-report): the Trust view (``core/board.py``) as
a printout for the Board's quality and standards committee, in the one document model, set by
the one renderer as a tagged PDF/UA-1 (``core/typeset.py``).

What it holds, in order: a one-page summary (the months and localities, the engagement group's
narrative, the exceptions first, the targets' ratings, each a word with its colour name), then
the trust's totals with change against last month and last year, the measures by locality for
the latest month with bar charts drawn from zero, the trust month by month, what people said,
"You said, we did" (the completed actions the group featured), reach and accreditation across
localities.

Contracts and pitfalls:
- The narrative is free text the group typed: it goes through the redactor (``redact``; by
  default one that hides every contact detail, since consolidation opens no database; the app
  passes the group's database's redactor, which also hides its service users and carers).
  The featured actions' titles and outcomes go through it too. Everything else comes from
  returns, which hold no names.
- Every chart's figures are also in a table (a screen reader reads the table; the drawing is
  an artifact).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .board import (
    LOCALITY_CHARTS,
    MEDIAN_DAYS,
    NONE,
    NOT_SENT,
    TRUST,
    TRUST_CHART,
    Target,
    TrustPicture,
    change_shown,
    compared_with,
    shown,
    trust_picture,
)
from .document import (
    BarChart,
    Column,
    Document,
    Facts,
    Group,
    Heading,
    ItemList,
    Paragraph,
    Span,
    Table,
    spans,
)
from .errors import CoordinatorError
from .figures import SUMMARY_MEASURES
from .files import atomic_write
from .privacy import Redact, Redactor
from .return_format import ReturnData
from .rules import Month
from .xlsx import month_name

if TYPE_CHECKING:
    from .consolidate import ConsolidationSummary  # openpyxl: loaded when a file is written

#: The trust's measures the report lists, in order: the return's Summary rows that add up
#: across localities (not cancelled meetings, the accreditation result or standards met), with
#: the median days from raised to completed after the overdue actions.
_SUMMED = [
    m
    for m in SUMMARY_MEASURES
    if m not in ("Meetings cancelled", "Accreditation result", "Standards met (%)")
]
_AFTER = _SUMMED.index("Actions overdue at month end") + 1
TRUST_MEASURES: tuple[str, ...] = (*_SUMMED[:_AFTER], MEDIAN_DAYS, *_SUMMED[_AFTER:])
#: The measures by locality, two tables of them (a landscape page holds six columns readably).
LOCALITY_MEASURES: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("Attendances", "Attendances"),
        ("Distinct named participants", "Distinct people"),
        ("New participants", "New people"),
        ("Experience items", "Experience items"),
        ("Involvement payments (GBP)", "Payments (GBP)"),
        ("Improvement projects active", "Improvement projects"),
    ),
    (
        ("Actions raised", "Actions raised"),
        ("Actions completed", "Actions completed"),
        ("Actions open at month end", "Open at month end"),
        ("Actions overdue at month end", "Overdue at month end"),
        (MEDIAN_DAYS, "Median days from raised to completed"),
    ),
)


def _span(months: Sequence[Month]) -> str:
    if not months:
        return ""
    span = month_name(months[0])
    if months[-1] != months[0]:
        span += f" to {month_name(months[-1])}"
    return span


def _rating_of(picture: TrustPicture, measure: str, locality: str) -> str:
    for rated in picture.ratings:
        if rated.target.measure == measure and rated.locality == locality:
            return rated.rating.word if rated.rating else "not rated (no figure)"
    return ""


def _summary_page(picture: TrustPicture, narrative: str, redact: Redact) -> list[Any]:
    latest = picture.latest
    blocks: list[Any] = [
        Heading(1, "Board report: involvement across the trust"),
        Facts(
            (
                ("Months", spans(_span(picture.months))),
                ("Localities", spans(", ".join(picture.localities) or NONE)),
                ("Latest month", spans(month_name(latest) if latest else NONE)),
            )
        ),
        Heading(2, "The engagement group's summary"),
    ]
    text = redact(narrative.strip()) if narrative.strip() else ""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    blocks += [Paragraph(spans(p)) for p in paragraphs] or [
        Paragraph(spans("The engagement group wrote no summary for this report."))
    ]
    blocks.append(Heading(2, "Exceptions"))
    if picture.exceptions:
        blocks.append(ItemList(tuple(spans(e.text) for e in picture.exceptions), numbered=False))
    else:
        none = (
            f"None: every locality sent its returns, no action is {picture.overdue_days} days "
            "overdue and every locality held a forum."
        )
        blocks.append(Paragraph(spans(none)))
    missing = [f"{locality} ({month})" for locality, month in picture.missing]
    blocks.append(
        Paragraph(spans(Span("Returns not received: ", strong=True), ", ".join(missing) or NONE))
    )
    blocks.append(Heading(2, "Against the group's targets"))
    if picture.ratings:
        blocks.append(
            Table(
                (
                    Column("Measure", 3),
                    Column("Target", 2.2),
                    Column("Locality", 1.6),
                    Column("Value", 1, align="right"),
                    Column("Rating", 2),
                ),
                tuple(
                    (
                        spans(r.target.measure),
                        spans(r.target.describe()),
                        spans(r.locality),
                        spans(shown(r.target.measure, r.value)),
                        spans(r.rating.word if r.rating else "not rated (no figure)"),
                    )
                    for r in picture.ratings
                ),
            )
        )
    else:
        blocks.append(Paragraph(spans("The group has set no targets.")))
    return blocks


def _trust_table(picture: TrustPicture, latest: Month) -> Table:
    """The trust's totals, with a Rating column only when a target rates the trust (an empty
    column says nothing)."""
    ratings = {m: _rating_of(picture, m, TRUST) for m in TRUST_MEASURES}
    rated = any(ratings.values())
    rows = []
    for measure in TRUST_MEASURES:
        change = picture.change(TRUST, latest, measure)
        rows.append(
            (
                spans(measure),
                spans(shown(measure, change.value)),
                spans(change_shown(measure, change, "previous")),
                spans(change_shown(measure, change, "last year")),
                *((spans(ratings[measure]),) if rated else ()),
            )
        )
    return Table(
        (
            Column("Measure", 3.4),
            Column(month_name(latest), 1.2, align="right"),
            Column("Change from the month before", 1.4, align="right"),
            Column("Change from a year before", 1.4, align="right"),
            *((Column("Rating", 1.8),) if rated else ()),
        ),
        tuple(rows),
    )


def _locality_table(
    picture: TrustPicture, latest: Month, measures: Sequence[tuple[str, str]]
) -> Table:
    rows = []
    for locality in (*picture.localities, TRUST):
        sent = (locality, latest) in picture.values
        rows.append(
            (
                spans(locality),
                *(
                    spans(shown(m, picture.value(locality, latest, m)) if sent else NOT_SENT)
                    for m, _ in measures
                ),
            )
        )
    return Table(
        (
            Column("Locality", 1.6),
            *(Column(header, 1.2, align="right") for _, header in measures),
        ),
        tuple(rows),
    )


def _chart(picture: TrustPicture, latest: Month, measure: str, title: str) -> BarChart | Paragraph:
    """A bar per locality, its axes named; a sentence instead when every bar is zero (a chart
    of nothing, its scale "0 to 0", only puzzles the reader)."""
    bars = []
    for locality in picture.localities:
        value = picture.value(locality, latest, measure)
        sent = (locality, latest) in picture.values
        number = value if isinstance(value, int | float) else 0
        bars.append((locality, float(number), shown(measure, value) if sent else NOT_SENT))
    heading = f"{title}, {month_name(latest)}"
    if not any(value > 0 for _label, value, _shown in bars):
        return Paragraph(
            spans(Span(f"{heading}: ", strong=True), "no chart, as every locality's figure is 0.")
        )
    return BarChart(f"{heading} (bars from zero)", tuple(bars), measure, "Locality")


def _months_table(picture: TrustPicture) -> Table:
    measures = (
        "Attendances",
        "Experience items",
        "Actions raised",
        "Actions completed",
        "Actions overdue at month end",
        MEDIAN_DAYS,
    )
    rows = []
    for month in picture.months:
        sent = sum((locality, month) in picture.values for locality in picture.localities)
        rows.append(
            (
                spans(month_name(month)),
                spans(f"{sent} of {len(picture.localities)}"),
                *(spans(shown(m, picture.value(TRUST, month, m))) for m in measures),
            )
        )
    return Table(
        (
            Column("Month", 1.6),
            Column("Returns", 1, align="right"),
            *(Column(m, 1.2, align="right") for m in measures),
        ),
        tuple(rows),
    )


def _themes_table(picture: TrustPicture, latest: Month) -> Table | Paragraph:
    themes = [t for t in picture.themes if t.month == latest]
    if not themes:
        return Paragraph(spans("No experience items were recorded this month."))
    return Table(
        (
            Column("Theme", 2),
            Column("Kind", 1.4),
            Column("Items", 0.8, align="right"),
            Column("Localities", 3),
        ),
        tuple(
            (spans(t.theme), spans(t.kind), spans(str(t.items)), spans(", ".join(t.localities)))
            for t in themes
        ),
    )


def _you_said_we_did(picture: TrustPicture, redact: Redact) -> list[Any]:
    """The completed actions the group featured: what was raised and what was done, redacted
    like all the report's text."""
    heading = Heading(2, "You said, we did")
    if not picture.featured:
        return [heading, Paragraph(spans("The engagement group featured no completed actions."))]
    table = Table(
        (
            Column("Locality", 1.3),
            Column("You said (the action)", 3),
            Column("We did (its outcome)", 3),
            Column("Completed", 1.2),
        ),
        tuple(
            (
                spans(a.locality),
                spans(redact(a.title) or NONE),
                spans(redact(a.outcome) or "not said"),
                spans(
                    f"{a.closed_on.day} {month_name(Month.of(a.closed_on))}"
                    if a.closed_on
                    else "not said"
                ),
            )
            for a in picture.featured
        ),
    )
    # A few rows: kept on one page with their heading (a long list still breaks, header again).
    return [Group((heading, table), keep_together=len(picture.featured) <= 12)]


def _reach_blocks(picture: TrustPicture, latest: Month) -> list[Any]:
    """Reach across the trust for the latest month, where its returns carry it."""
    rows = [r for r in picture.reach if r[0] == str(latest)]
    if not rows:
        return []
    return [
        _section(
            Heading(2, f"Reach across the trust, the 12 months ending {month_name(latest)}"),
            Paragraph(
                spans(
                    "People who gave equality monitoring answers, by group, added up over the "
                    "localities' returns that carry reach; a count under 5 is shown as <5 and the "
                    "next smallest as *, as in the returns."
                ),
                small=True,
            ),
            Table(
                (
                    Column("Characteristic", 1.6),
                    Column("Group", 2),
                    Column("People", 1, align="right"),
                    Column("Share (%)", 1, align="right"),
                    Column("Returns", 0.8, align="right"),
                ),
                tuple(
                    (
                        spans(str(characteristic)),
                        spans(str(group)),
                        spans(shown("", people)),
                        spans(shown("", share)),
                        spans(str(returns)),
                    )
                    for _month, characteristic, group, people, share, returns in rows
                ),
            ),
            rows=len(rows),
        )
    ]


def _accreditation_table(picture: TrustPicture) -> Table:
    rows = []
    for a in picture.accreditation:
        earlier = "; ".join(f"{month}: {shown('', met)}" for month, met in a.earlier) or NONE
        rows.append(
            (
                spans(a.locality),
                spans(a.result),
                spans(shown("", a.standards_met)),
                spans(
                    f"{a.assessed_on.day} {month_name(Month.of(a.assessed_on))}"
                    if a.assessed_on
                    else NONE
                ),
                spans(str(a.month)),
                spans(earlier),
            )
        )
    return Table(
        (
            Column("Locality", 1.5),
            Column("Result", 1.3),
            Column("Standards met (%)", 1, align="right"),
            Column("Assessed on", 1.4),
            Column("As of return", 1),
            Column("Standards met (%) in earlier months", 2.4),
        ),
        tuple(rows),
    )


#: A section of at most this many table rows is kept on one page with its heading (a landscape
#: page holds about 25); a longer one breaks, its header row printed again.
KEEP_ROWS = 24


def _section(heading: Heading, *blocks: Any, rows: int) -> Group:
    """``heading`` and its ``blocks``, never split when ``rows`` (their table rows) fit a page."""
    return Group((heading, *blocks), keep_together=rows <= KEEP_ROWS)


def board_document(
    picture: TrustPicture,
    *,
    narrative: str = "",
    redact: Redact | None = None,
    large_print: bool = False,
) -> Document:
    """The Board report of ``picture`` (module docstring). ``narrative``: the group's summary,
    paragraphs separated by a blank line, redacted by ``redact``."""
    redact = redact or Redactor()
    blocks: list[Any] = _summary_page(picture, narrative, redact)
    latest = picture.latest
    rest: list[Any] = []
    if latest is not None:
        places = len(picture.localities) + 1  # and the trust's row
        rest += [
            # Each section's heading with its table on one page, where the table is short
            # enough to move whole (a long one breaks, its header row printed again).
            _section(
                Heading(2, f"The trust's totals, {month_name(latest)}"),
                Paragraph(
                    spans(
                        "Counts and pounds are the localities' added up (a person involved in "
                        "two localities counts in each); accreditation is each locality's own, "
                        "below." + (f" {note}" if (note := compared_with(picture, latest)) else "")
                    ),
                    small=True,
                ),
                _trust_table(picture, latest),
                rows=len(TRUST_MEASURES),
            ),
            _section(
                Heading(2, f"Measures by locality, {month_name(latest)}"),
                *(_locality_table(picture, latest, measures) for measures in LOCALITY_MEASURES),
                rows=places * len(LOCALITY_MEASURES),
            ),
            *(_chart(picture, latest, measure, title) for measure, title in LOCALITY_CHARTS),
            _section(
                Heading(2, "The trust month by month"),
                _months_table(picture),
                rows=len(picture.months),
            ),
            BarChart(
                f"{TRUST_CHART} (bars from zero)",
                tuple(
                    (
                        month_name(m),
                        float(picture.value(TRUST, m, "Attendances") or 0),
                        shown("Attendances", picture.value(TRUST, m, "Attendances")),
                    )
                    for m in picture.months
                ),
                "Attendances",
                "Month",
            ),
            _section(
                Heading(2, f"What people said, {month_name(latest)}: experience by theme"),
                _themes_table(picture, latest),
                rows=len([t for t in picture.themes if t.month == latest]),
            ),
            *_you_said_we_did(picture, redact),
            *_reach_blocks(picture, latest),
            _section(
                Heading(2, "Accreditation across localities"),
                _accreditation_table(picture),
                rows=2 * len(picture.localities),  # earlier months may take two lines
            ),
        ]
    blocks.append(Group(tuple(rest), keep_together=False, new_page=True))
    span = _span(picture.months)
    return Document(
        title=f"Board report, {span}" if span else "Board report",
        blocks=tuple(blocks),
        trust_name=picture.trust_name,
        large_print=large_print,
        landscape=True,
    )


def write_board_report(
    returns: Sequence[ReturnData],
    target: str | os.PathLike[str],
    *,
    targets: Sequence[Target] = (),
    narrative: str = "",
    redact: Redact | None = None,
) -> Path:
    """Write the Board report of ``returns`` as a tagged PDF at ``target`` (atomically)."""
    from .typeset import write_pdf

    picture = trust_picture(returns, targets)
    return write_pdf(board_document(picture, narrative=narrative, redact=redact), target)


def consolidate_with_report(
    paths: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    report: str | os.PathLike[str],
    *,
    targets: Sequence[Target] = (),
    narrative: str = "",
    redact: Redact | None = None,
    picture_of: Callable[[list[ReturnData]], TrustPicture] | None = None,
) -> tuple[ConsolidationSummary, Path]:
    """``consolidate`` with the Board report: ``consolidate RETURN... -o FILE.xlsx --report
    FILE.pdf``. The returns are checked and the report typeset before anything is written, and
    neither target may be read-only, so a refused return, a typesetting failure or a read-only
    target writes neither file. (The returns are read twice: once here, once by
    ``consolidate``, which keeps ``core/consolidate.py`` as it is.) ``picture_of``: the
    picture of the returns read (by default theirs alone, rated against ``targets``;
    ``--keep`` passes the kept returns' with them, ``kept_returns.picture``)."""
    from .consolidate import check_returns, consolidate
    from .returns import refuse_read_only
    from .typeset import pdf_bytes

    paths = list(paths)
    if not paths:
        raise CoordinatorError("Choose at least one monthly return to consolidate.")
    workbook_path = Path(output).expanduser().resolve()
    report_path = Path(report).expanduser().resolve()
    if workbook_path == report_path:
        raise CoordinatorError(
            "The Board report and the consolidated workbook need different file names."
        )
    refuse_read_only(workbook_path)
    refuse_read_only(report_path)
    if not report_path.parent.is_dir():
        raise CoordinatorError(
            f"The folder {report_path.parent} does not exist; the Board report was not written."
        )
    found, _set_aside = check_returns(paths)
    picture = picture_of(found) if picture_of is not None else trust_picture(found, targets)
    data = pdf_bytes(board_document(picture, narrative=narrative, redact=redact))
    summary = consolidate(paths, workbook_path)
    written = atomic_write(report_path, lambda temp: temp.write_bytes(data))
    return summary, written
