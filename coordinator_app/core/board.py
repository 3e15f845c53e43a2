"""The Trust view: the engagement group's picture across localities and months, as plain data
(docs/monthly-return.md#the-trust-view), built from the returns a consolidation read
(``consolidate.check_returns``). No Qt, no database: what the Trust view shows and what the
Board report (``core/board_report.py``) prints.

Contracts and pitfalls:
- **Trust totals** add the localities' counts and pounds for a month (``trust_total``).
  Distinct named participants and new participants are added too: returns hold no names, so a
  person involved in two localities counts once in each (the docs say so). The accreditation
  result and standards met (%) are a locality's own and are never added: the trust's are None,
  and accreditation is shown by locality.
- **Change** is against the previous calendar month and the same month a year before, only
  when a return (or, for the trust, any return) for that month was read; otherwise None, never 0.
- **Median days from raised to completed** counts each completed action once (by locality and
  reference) in the month of its Closed on, from the Actions rows (Raised on, Closed on);
  cancelled actions are not "we did".
- **Exceptions** come first and are sorted worst first: returns missing for a month other
  localities sent (only the latest three months, of localities that sent one in the year up
  to the latest month: ``missing_returns``), actions more than ``overdue_days`` overdue (from
  each locality's latest return, so one action is listed once), and localities with no forum
  held in two months running.
- **Ratings** say a word with every colour (``Rating.word``): never colour alone.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from .consolidate_reach import trust_reach_rows
from .figures import SUMMARY_MEASURES
from .return_format import (
    ACCREDITATION_SHEET,
    ACTIONS_SHEET,
    EXPERIENCE_SHEET,
    HEADERS,
    MONEY_MEASURES,
    PERCENT_MEASURES,
    TEXT_MEASURES,
    ReturnData,
)
from .rules import Month

#: The name the trust's own row goes by (beside the localities' names).
TRUST = "Trust total"
#: Measures added up across localities for the trust (counts and pounds).
ADDED_MEASURES: tuple[str, ...] = tuple(
    m for m in SUMMARY_MEASURES if m not in TEXT_MEASURES and m not in PERCENT_MEASURES
)
#: A locality's own measures, never added up.
OWN_MEASURES: tuple[str, ...] = tuple(m for m in SUMMARY_MEASURES if m not in ADDED_MEASURES)
#: The median days from raised to completed, a measure of its own (not on a return's Summary).
MEDIAN_DAYS = "Median days from raised to completed"
#: Exceptions: an action this many days overdue or more is listed (the group may change it).
OVERDUE_DAYS = 90
#: Missing returns are chased for the latest month and the calendar months before it, this
#: many in all (``missing_returns``).
CHASED_MONTHS = 3
#: ... and only of localities that sent a return in this many months up to the latest.
ACTIVE_MONTHS = 12
#: Exceptions: this many months running with no meeting held is listed.
NO_FORUM_MONTHS = 2

_COMPLETED = "completed"
#: The charts the Board report draws, and the consolidated workbook's Charts sheet with it: the
#: measures compared across localities in the latest month (measure, title), then the trust's
#: attendances month by month (``TRUST_CHART``). Every one is drawn from zero.
LOCALITY_CHARTS: tuple[tuple[str, str], ...] = (
    ("Attendances", "Attendances by locality"),
    ("Actions overdue at month end", "Actions overdue by locality"),
    ("Experience items", "Experience items by locality"),
)
TRUST_CHART = "Attendances across the trust, month by month"


class Rating(Enum):
    """A measure against its target: a colour and always a word with it."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def word(self) -> str:
        """What is said (and printed) with the colour."""
        return {
            Rating.GREEN: "Green: on target",
            Rating.AMBER: "Amber: near target",
            Rating.RED: "Red: off target",
        }[self]


@dataclass(frozen=True)
class Target:
    """A target the engagement group sets for one measure.

    ``per`` is "locality" (each locality's month is rated) or "trust" (the trust total is
    rated). Amber is within ``amber_within`` of the target on the wrong side (by default a
    tenth of the target); beyond it, red."""

    measure: str
    value: float
    higher_is_better: bool = True
    per: str = "locality"
    amber_within: float | None = None

    def rate(self, value: Any) -> Rating | None:
        """The rating of ``value``, or None when there is no number to rate."""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        margin = abs(self.value) / 10 if self.amber_within is None else self.amber_within
        short = (self.value - value) if self.higher_is_better else (value - self.value)
        if short <= 0:
            return Rating.GREEN
        return Rating.AMBER if short <= margin else Rating.RED

    def describe(self) -> str:
        """ "at least 100 a locality", "at most 0 for the trust"."""
        bound = "at least" if self.higher_is_better else "at most"
        who = "a locality" if self.per == "locality" else "for the trust"
        return f"{bound} {self.value:g} {who}"


@dataclass(frozen=True)
class Change:
    """A value with the previous month's and the same month last year's (None: no return)."""

    value: Any
    previous: Any = None
    last_year: Any = None
    #: Whether a return for the month before / the same month last year was read (a value of
    #: None there is "none", not "no return").
    previous_sent: bool = False
    last_year_sent: bool = False

    @staticmethod
    def _delta(now: Any, then: Any) -> float | None:
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (now, then)):
            return None
        return now - then  # type: ignore[no-any-return]

    @property
    def from_previous(self) -> float | None:
        return self._delta(self.value, self.previous)

    @property
    def from_last_year(self) -> float | None:
        return self._delta(self.value, self.last_year)


@dataclass(frozen=True)
class BoardException:
    """One thing the group should look at first. ``kind`` is "missing", "overdue" or
    "no forum"; ``reference`` is the action's reference for "overdue"."""

    kind: str
    locality: str
    month: Month
    text: str
    reference: str = ""
    days: int = 0


@dataclass(frozen=True)
class RatedMeasure:
    """A measure's value for one locality (or the trust) in one month, rated."""

    target: Target
    locality: str
    month: Month
    value: Any
    rating: Rating | None


@dataclass(frozen=True)
class Accreditation:
    """A locality's accreditation as its latest return has it."""

    locality: str
    month: Month
    result: str
    standards_met: float | None
    assessed_on: date | None
    #: The standards met (%) in earlier months read, oldest first (for the trend).
    earlier: tuple[tuple[Month, float | None], ...] = ()


@dataclass(frozen=True)
class ThemeCount:
    """What people said in one month: the experience items of one theme and kind, across the
    localities named."""

    month: Month
    theme: str
    kind: str
    items: int
    localities: tuple[str, ...]


@dataclass(frozen=True)
class CompletedAction:
    """A completed action as its locality's latest return that lists it has it: what people
    said (its Title) and what was done (its Outcome), for "You said, we did"."""

    locality: str
    reference: str
    title: str
    outcome: str
    closed_on: date | None
    month: Month

    @property
    def key(self) -> tuple[str, str]:
        return (self.locality.casefold(), self.reference)


@dataclass(frozen=True)
class TrustPicture:
    """The Trust view's data. ``values[(locality, month)]`` is a return's Summary (plus
    ``MEDIAN_DAYS``); ``values[(TRUST, month)]`` the trust's totals."""

    localities: tuple[str, ...]
    months: tuple[Month, ...]
    values: dict[tuple[str, Month], dict[str, Any]]
    missing: tuple[tuple[str, Month], ...]
    exceptions: tuple[BoardException, ...]
    ratings: tuple[RatedMeasure, ...]
    accreditation: tuple[Accreditation, ...]
    trust_name: str = ""
    overdue_days: int = OVERDUE_DAYS
    #: Experience by theme and kind, each month's most frequent first.
    themes: tuple[ThemeCount, ...] = ()
    #: Reach across the trust where returns carry it (format version 2): the consolidated
    #: workbook's "Trust reach" rows (Month, Characteristic, Group, People, Share (%),
    #: Returns), suppressed as there (``consolidate_reach.trust_reach_rows``).
    reach: tuple[tuple[Any, ...], ...] = ()
    targets: tuple[Target, ...] = field(default=())
    #: Every action completed in the month of a return listing it, each once, latest closed
    #: first: as many as the returns' "Actions completed".
    completed: tuple[CompletedAction, ...] = ()
    #: The completed actions the group features in "You said, we did", in its order.
    featured: tuple[CompletedAction, ...] = ()

    @property
    def latest(self) -> Month | None:
        return self.months[-1] if self.months else None

    def value(self, locality: str, month: Month, measure: str) -> Any:
        """The value, or None when that locality's return for that month was not read."""
        return self.values.get((locality, month), {}).get(measure)

    def change(self, locality: str, month: Month, measure: str) -> Change:
        """The value with the previous month's and last year's, where those were read."""
        previous, last_year = month.previous(), Month(month.year - 1, month.month)
        return Change(
            self.value(locality, month, measure),
            self.value(locality, previous, measure),
            self.value(locality, last_year, measure),
            (locality, previous) in self.values,
            (locality, last_year) in self.values,
        )


#: What a value of a return not received, and an empty value, are shown as (Trust view, report).
NOT_SENT = "no return"
NONE = "none"


def shown(measure: str, value: Any) -> str:
    """A value as printed: pounds with two decimals, a median with at most one, "none"."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if measure in MONEY_MEASURES:
        return f"£{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def change_shown(measure: str, change: Change, then: str) -> str:
    """ "+16", "-3", "no change", or "no return" when that month was not read."""
    delta = change.from_previous if then == "previous" else change.from_last_year
    sent = change.previous_sent if then == "previous" else change.last_year_sent
    if not sent:
        return NOT_SENT
    if delta is None:
        return NONE
    if delta == 0:
        return "no change"
    text = shown(measure, abs(delta))
    return ("+" if delta > 0 else "-") + text


@dataclass(frozen=True)
class TrendRow:
    """One month of a measure's trend for one locality (or the trust)."""

    month: Month
    sent: bool
    value: str
    from_previous: str
    from_last_year: str


def trend_rows(picture: TrustPicture, locality: str, measure: str) -> list[TrendRow]:
    """``measure`` of ``locality`` (or ``TRUST``) month by month, latest first, each with its
    change from the month before and from a year before (``TrustPicture.change``)."""
    rows = []
    for month in reversed(picture.months):
        change = picture.change(locality, month, measure)
        if (locality, month) not in picture.values:
            rows.append(TrendRow(month, False, NOT_SENT, NOT_SENT, NOT_SENT))
        elif locality == TRUST and measure in OWN_MEASURES:  # never added up
            rows.append(TrendRow(month, True, "by locality", "", ""))
        else:
            rows.append(
                TrendRow(
                    month,
                    True,
                    shown(measure, change.value),
                    change_shown(measure, change, "previous"),
                    change_shown(measure, change, "last year"),
                )
            )
    return rows


def trust_total(returns: Sequence[ReturnData]) -> dict[str, Any]:
    """The trust's totals of returns of one month: counts and pounds added, the locality's own
    measures (accreditation result, standards met %) None."""
    totals: dict[str, Any] = {}
    for measure in SUMMARY_MEASURES:
        if measure in OWN_MEASURES:
            totals[measure] = None
            continue
        numbers = [r.measure(measure) for r in returns]
        numbers = [n for n in numbers if isinstance(n, int | float)]
        total = sum(numbers) if numbers else None
        if isinstance(total, float):
            total = round(total, 2)
        totals[measure] = total
    return totals


def trust_total_rows(returns: Sequence[ReturnData]) -> list[tuple[Any, ...]]:
    """The consolidated Summary's trust-total rows: one per month, (``TRUST``, "YYYY-MM",
    then ``trust_total`` in Summary order), oldest first."""
    months = sorted({r.month for r in returns})
    return [
        (TRUST, str(m), *trust_total([r for r in returns if r.month == m]).values()) for m in months
    ]


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _column(sheet: str, name: str) -> int:
    return HEADERS[sheet].index(name)


def _completions(returns: Sequence[ReturnData]) -> dict[tuple[str, Month], list[int]]:
    """Days from raised to completed, by locality and month closed, each action once."""
    raised_at, closed_at = _column(ACTIONS_SHEET, "Raised on"), _column(ACTIONS_SHEET, "Closed on")
    status_at, reference_at = _column(ACTIONS_SHEET, "Status"), _column(ACTIONS_SHEET, "Reference")
    seen: set[tuple[str, str]] = set()
    days: dict[tuple[str, Month], list[int]] = {}
    for data in returns:
        for row in data.tables.get(ACTIONS_SHEET, []):
            if str(row[status_at] or "").strip().casefold() != _COMPLETED:
                continue
            raised, closed = _day(row[raised_at]), _day(row[closed_at])
            key = (data.locality.casefold(), str(row[reference_at] or ""))
            if raised is None or closed is None or closed < raised or key in seen:
                continue
            seen.add(key)
            days.setdefault((data.locality, Month.of(closed)), []).append((closed - raised).days)
    return days


def _completed(returns: Sequence[ReturnData]) -> list[CompletedAction]:
    """Each action completed in the month of a return listing it (Closed on in that month, as
    the return's "Actions completed" counts it: an Actions row is as recorded when the return
    was made, so a November return can list an action closed in December, which is not
    November's), once by locality and reference, latest closed first."""
    at = {name: _column(ACTIONS_SHEET, name) for name in HEADERS[ACTIONS_SHEET]}
    found: dict[tuple[str, str], CompletedAction] = {}
    for data in sorted(returns, key=lambda r: r.month):
        for row in data.tables.get(ACTIONS_SHEET, []):
            if str(row[at["Status"]] or "").strip().casefold() != _COMPLETED:
                continue
            reference = str(row[at["Reference"]] or "").strip()
            closed = _day(row[at["Closed on"]])
            if not reference or closed is None or Month.of(closed) != data.month:
                continue
            action = CompletedAction(
                data.locality,
                reference,
                " ".join(str(row[at["Title"]] or "").split()),
                " ".join(str(row[at["Outcome"]] or "").split()),
                closed,
                data.month,
            )
            found[action.key] = action
    return sorted(
        found.values(),
        key=lambda a: (-(a.closed_on or date.min).toordinal(), a.locality.casefold(), a.reference),
    )


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def missing_returns(sent: Iterable[tuple[str, Month]]) -> tuple[tuple[str, Month], ...]:
    """The (locality, month) of the returns the group is chasing, by month then locality, from
    the (locality, month) of every return kept or read (docs/monthly-return.md#the-trust-view).

    Only the latest ``CHASED_MONTHS`` months are chased: the latest month any return is for
    and the calendar months just before it, each only when some return is for it (a month
    nobody sent is not listed). Only localities that sent a return in the ``ACTIVE_MONTHS``
    months up to that latest month are chased: one whose last return is older has stopped,
    and a year-old return kept for the comparison with last year lists nobody missing."""
    have = set(sent)
    if not have:
        return ()
    latest = max(month for _locality, month in have)
    active = [latest]
    while len(active) < ACTIVE_MONTHS:
        active.append(active[-1].previous())
    chased = active[:CHASED_MONTHS]
    present = {month for _locality, month in have}
    localities = sorted({locality for locality, month in have if month in active}, key=str.casefold)
    return tuple(
        (locality, month)
        for month in sorted(m for m in chased if m in present)
        for locality in localities
        if (locality, month) not in have
    )


def _exceptions(
    returns: Sequence[ReturnData],
    localities: Sequence[str],
    months: Sequence[Month],
    missing: Sequence[tuple[str, Month]],
    overdue_days: int,
) -> list[BoardException]:
    found = [
        BoardException(
            "missing",
            locality,
            month,
            f"{locality}: no return for {month} (other localities sent theirs).",
        )
        for locality, month in missing
    ]
    latest: dict[str, ReturnData] = {}
    for data in returns:
        if data.locality not in latest or latest[data.locality].month < data.month:
            latest[data.locality] = data
    ref_at, title_at = _column(ACTIONS_SHEET, "Reference"), _column(ACTIONS_SHEET, "Title")
    days_at = _column(ACTIONS_SHEET, "Days overdue")
    overdue: list[BoardException] = []
    for locality in localities:
        data = latest[locality]
        for row in data.tables.get(ACTIONS_SHEET, []):
            days = row[days_at]
            if not isinstance(days, int | float) or days < overdue_days:
                continue
            reference = str(row[ref_at] or "")
            overdue.append(
                BoardException(
                    "overdue",
                    locality,
                    data.month,
                    f"{locality}: action {reference} is {int(days)} days overdue at the end of "
                    f"{data.month} ({row[title_at] or 'no title'}).",
                    reference=reference,
                    days=int(days),
                )
            )
    overdue.sort(key=lambda e: (-e.days, e.locality.casefold(), e.reference))
    quiet: list[BoardException] = []
    by_key = {(r.locality, r.month): r for r in returns}
    for locality in localities:
        run: list[Month] = []
        for month in months:
            sent = by_key.get((locality, month))
            if sent is None:
                run = []  # a missing return is its own exception; it does not say "no forum"
                continue
            if (sent.measure("Meetings held") or 0) == 0:
                if run and run[-1] != month.previous():
                    run = []
                run.append(month)
            else:
                run = []
            if len(run) == NO_FORUM_MONTHS:
                quiet.append(
                    BoardException(
                        "no forum",
                        locality,
                        month,
                        f"{locality}: no forum meeting held in {run[0]} or {run[-1]}.",
                    )
                )
    return found + overdue + quiet


def _themes(returns: Sequence[ReturnData]) -> list[ThemeCount]:
    kind_at, theme_at = _column(EXPERIENCE_SHEET, "Kind"), _column(EXPERIENCE_SHEET, "Theme")
    found: dict[tuple[Month, str, str], list[str]] = {}
    spelt: dict[tuple[Month, str, str], tuple[str, str]] = {}
    for data in returns:
        for row in data.tables.get(EXPERIENCE_SHEET, []):
            theme = " ".join(str(row[theme_at] or "").split()) or "No theme"
            kind = " ".join(str(row[kind_at] or "").split()) or "Not said"
            key = (data.month, theme.casefold(), kind.casefold())  # "access" is "Access"
            spelt.setdefault(key, (theme, kind))
            found.setdefault(key, []).append(data.locality)
    counts = [
        ThemeCount(key[0], *spelt[key], len(places), tuple(sorted(set(places), key=str.casefold)))
        for key, places in found.items()
    ]
    counts.sort(key=lambda t: (t.month, -t.items, t.theme.casefold(), t.kind.casefold()))
    return counts


def _accreditation(returns: Sequence[ReturnData], localities: Sequence[str]) -> list[Accreditation]:
    assessed_at = _column(ACCREDITATION_SHEET, "Assessed on")
    found = []
    for locality in localities:
        own = sorted((r for r in returns if r.locality == locality), key=lambda r: r.month)
        data = own[-1]
        dates = [_day(row[assessed_at]) for row in data.tables.get(ACCREDITATION_SHEET, [])]
        known = [d for d in dates if d is not None]
        met = data.measure("Standards met (%)")
        found.append(
            Accreditation(
                locality,
                data.month,
                str(data.measure("Accreditation result") or "None"),
                met if isinstance(met, int | float) else None,
                max(known) if known else None,
                tuple((r.month, r.measure("Standards met (%)")) for r in own[:-1]),
            )
        )
    return found


def _ratings(
    values: Mapping[tuple[str, Month], Mapping[str, Any]],
    localities: Sequence[str],
    month: Month,
    targets: Sequence[Target],
) -> list[RatedMeasure]:
    rated = []
    for target in targets:
        who = [TRUST] if target.per == "trust" else list(localities)
        for locality in who:
            if (locality, month) not in values:
                continue
            value = values[(locality, month)].get(target.measure)
            rated.append(RatedMeasure(target, locality, month, value, target.rate(value)))
    return rated


def trust_picture(
    returns: Sequence[ReturnData],
    targets: Sequence[Target] = (),
    *,
    overdue_days: int = OVERDUE_DAYS,
    featured: Sequence[tuple[str, str]] = (),
) -> TrustPicture:
    """The Trust view of ``returns`` (any localities and months; one per locality and month, as
    ``consolidate.check_returns`` gives them). Ratings are for the latest month read. The months
    are those any return was read for; the returns missing are ``missing_returns``'.
    ``featured``: the (locality, reference) of completed actions the group features, in its
    order; one no return lists as completed is left out."""
    unknown = [t.measure for t in targets if t.measure not in (*SUMMARY_MEASURES, MEDIAN_DAYS)]
    if unknown:
        raise ValueError(f"There is no measure called {unknown[0]!r} to set a target for.")
    localities = tuple(sorted({r.locality for r in returns}, key=str.casefold))
    months = tuple(sorted({r.month for r in returns}))
    completions = _completions(returns)
    values: dict[tuple[str, Month], dict[str, Any]] = {}
    for data in returns:
        row = dict(data.summary)
        row[MEDIAN_DAYS] = _median(completions.get((data.locality, data.month), []))
        values[(data.locality, data.month)] = row
    for month in months:
        present = [r for r in returns if r.month == month]
        if not present:
            continue
        row = trust_total(present)
        row[MEDIAN_DAYS] = _median(
            [d for locality in localities for d in completions.get((locality, month), [])]
        )
        values[(TRUST, month)] = row
    missing = missing_returns((r.locality, r.month) for r in returns)
    trusts = list(dict.fromkeys(str(r.fields.get("Trust") or "").strip() for r in returns))
    completed = _completed(returns)
    by_key = {a.key: a for a in completed}
    chosen = [by_key.get((locality.casefold(), reference)) for locality, reference in featured]
    return TrustPicture(
        localities=localities,
        months=months,
        values=values,
        missing=missing,
        exceptions=tuple(_exceptions(returns, localities, months, missing, overdue_days)),
        ratings=tuple(_ratings(values, localities, months[-1], targets)) if months else (),
        accreditation=tuple(_accreditation(returns, localities)),
        themes=tuple(_themes(returns)),
        reach=tuple(trust_reach_rows(returns)),
        trust_name=trusts[0] if len(trusts) == 1 else "",
        overdue_days=overdue_days,
        targets=tuple(targets),
        completed=tuple(completed),
        featured=tuple(dict.fromkeys(a for a in chosen if a is not None)),
    )


def compared_with(picture: TrustPicture, latest: Month) -> str:
    """A sentence saying how many localities' returns the trust's changes compare with, when
    the month before or a year before had fewer or more than ``latest`` ("" when the same):
    a change from one locality's return a year ago is not the trust's growth. The Board report
    and the Trust view say it under the trust's figures."""
    from .xlsx import month_name

    def sent(month: Month) -> int:
        return sum((locality, month) in picture.values for locality in picture.localities)

    now, whole = sent(latest), len(picture.localities)
    then = [
        f"{sent(month)} of {whole} in {month_name(month)}"
        for month in (latest.previous(), Month(latest.year - 1, latest.month))
        if 0 < sent(month) != now
    ]
    if not then:
        return ""
    return (
        f"The changes compare with the returns then received ({' and '.join(then)}; "
        f"{now} of {whole} in {month_name(latest)})."
    )
