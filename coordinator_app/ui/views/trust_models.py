"""The Trust view's tables (``ui/views/trust_view.py``): plain rows of ``core/board.py`` and
``core/kept_returns.py``, each value said in words (a rating's colour is a tint behind its
word; a featured action says "Featured" beside its tick)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...core.board import (
    ADDED_MEASURES,
    NOT_SENT,
    OWN_MEASURES,
    TRUST,
    BoardException,
    CompletedAction,
    RatedMeasure,
    Rating,
    Target,
    ThemeCount,
    TrendRow,
    TrustPicture,
    change_shown,
    shown,
)
from ...core.board_report import LOCALITY_MEASURES
from ...core.kept_returns import KeptReturn
from ...core.rules import Month
from ..models.table import Column, RowTableModel

#: The measures by locality, in two tables as the Board report has them (a laptop's width,
#: 1366 pixels less the page list, held all sixteen columns in one only by scrolling sideways).
#: The first, people and what they said, payments, projects and accreditation (Summary label,
#: header): a header of two words or more is on two lines (its "\n"), so that they fit; its
#: full meaning is its tooltip and accessible description (``PLACE_MEANINGS``).
SHOWN: tuple[tuple[str, str], ...] = (
    ("Attendances", "Attendances"),
    ("Distinct named participants", "Distinct\npeople"),
    ("New participants", "New\npeople"),
    ("Experience items", "Experience\nitems"),
    ("Involvement payments", "Payments"),
    ("Involvement payments (GBP)", "Payments\n(GBP)"),
    ("Improvement projects active", "Improvement\nprojects"),
    ("Accreditation result", "Accreditation"),
    ("Standards met (%)", "Standards\nmet (%)"),
)
#: The second, the actions: in the Board report's words, each header on one line.
ACTIONS_SHOWN: tuple[tuple[str, str], ...] = LOCALITY_MEASURES[1]
#: Every measure by locality, in the order of the two tables (the trend's measures).
MEASURES: tuple[str, ...] = tuple(m for m, _header in (*SHOWN, *ACTIONS_SHOWN))
#: The change columns' headers, short, and their full meaning.
CHANGE_ON_LAST_MONTH = "Change on last month"
CHANGE_ON_A_YEAR_AGO = "Change on a year ago"
CHANGE_MEANINGS = {
    CHANGE_ON_LAST_MONTH: 'The change from the month before ("no return" when that month\'s '
    "return was not kept or read)",
    CHANGE_ON_A_YEAR_AGO: 'The change from the same month a year before ("no return" when '
    "that month's return was not kept or read)",
}


def _meaning(measure: str) -> str:
    return (
        f"{measure} in the month shown"
        + (", added up for the trust" if measure in ADDED_MEASURES else "")
        + (" (never added up: each locality's own)" if measure in OWN_MEASURES else "")
    )


#: The locality tables' headers' full meanings, in column order.
PLACE_MEANINGS: tuple[str, ...] = (
    "The locality, or the trust's total of every locality",
    "Attendances in the month shown",
    "Attendances: t" + CHANGE_MEANINGS[CHANGE_ON_LAST_MONTH][1:],
    *(_meaning(measure) for measure, _header in SHOWN[1:]),
)
#: The actions table's headers' full meanings, in column order.
ACTIONS_MEANINGS: tuple[str, ...] = (
    PLACE_MEANINGS[0],
    *(_meaning(measure) for measure, _header in ACTIONS_SHOWN),
)


#: Light tints behind a rating's word (the word is always there; dark text on them).
TINTS = {Rating.GREEN: "#d4edda", Rating.AMBER: "#fff3cd", Rating.RED: "#f8d7da"}


@dataclass(frozen=True)
class PlaceRow:
    """One locality's (or the trust's) month: ``values`` by ``MEASURES``."""

    locality: str
    sent: bool
    values: tuple[str, ...]
    change: str


def place_rows(picture: TrustPicture, month: Month) -> list[PlaceRow]:
    """The localities' rows and the trust's for ``month``: "no return" where none was sent;
    the trust's accreditation "by locality" (never added up)."""
    rows = []
    for locality in (*picture.localities, TRUST):
        sent = (locality, month) in picture.values
        values = []
        for measure in MEASURES:
            if not sent:
                values.append(NOT_SENT)
            elif locality == TRUST and measure in OWN_MEASURES:
                values.append("by locality")
            else:
                values.append(shown(measure, picture.value(locality, month, measure)))
        change = picture.change(locality, month, "Attendances")
        rows.append(
            PlaceRow(
                locality,
                sent,
                tuple(values),
                change_shown("Attendances", change, "previous") if sent else NOT_SENT,
            )
        )
    return rows


class _Described:
    """A table whose headers are short: each header's full meaning (``meanings``, by column)
    is its tooltip and its accessible description, and its name is read on one line."""

    meanings: tuple[str, ...] = ()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        header = super().headerData(section, orientation)  # type: ignore[misc]
        if orientation != Qt.Orientation.Horizontal or header is None:
            return super().headerData(section, orientation, role)  # type: ignore[misc]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return self.meanings[section] if section < len(self.meanings) else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " ".join(str(header).split())
        return super().headerData(section, orientation, role)  # type: ignore[misc]


class _InOrder:
    """A table whose order is the point (worst first, localities then the trust, latest
    month first): a header click does not re-sort it."""

    def sort(self, column: int, order: Any = None) -> None:
        return


class ExceptionsModel(_InOrder, RowTableModel[BoardException]):
    columns = (
        Column[BoardException]("Locality", lambda e: e.locality),
        Column[BoardException]("Month", lambda e: str(e.month)),
        Column[BoardException]("Exception", lambda e: e.text),
    )
    id_attr = "text"


def _place_column(measure: str, header: str) -> Column[PlaceRow]:
    index = MEASURES.index(measure)
    return Column[PlaceRow](header, lambda r: r.values[index], align_right=True)


class PlacesModel(_Described, _InOrder, RowTableModel[PlaceRow]):
    columns = (
        Column[PlaceRow]("Locality", lambda r: r.locality),
        _place_column(*SHOWN[0]),
        Column[PlaceRow]("Change on\nlast month", lambda r: r.change, align_right=True),
        *(_place_column(measure, header) for measure, header in SHOWN[1:]),
    )
    id_attr = "locality"
    meanings = PLACE_MEANINGS


class PlaceActionsModel(_Described, _InOrder, RowTableModel[PlaceRow]):
    """The same rows' actions (the second table of the measures by locality)."""

    columns = (
        Column[PlaceRow]("Locality", lambda r: r.locality),
        *(_place_column(measure, header) for measure, header in ACTIONS_SHOWN),
    )
    id_attr = "locality"
    meanings = ACTIONS_MEANINGS


class ThemesModel(RowTableModel[ThemeCount]):
    columns = (
        Column[ThemeCount]("Theme", lambda t: t.theme),
        Column[ThemeCount]("Kind", lambda t: t.kind),
        Column[ThemeCount](
            "Items", lambda t: str(t.items), sort_key=lambda t: t.items, align_right=True
        ),
        Column[ThemeCount]("Localities", lambda t: ", ".join(t.localities)),
    )
    id_attr = "theme"


class TrendModel(_Described, _InOrder, RowTableModel[TrendRow]):
    columns = (
        Column[TrendRow]("Month", lambda r: str(r.month)),
        Column[TrendRow]("Value", lambda r: r.value, align_right=True),
        Column[TrendRow](CHANGE_ON_LAST_MONTH, lambda r: r.from_previous, align_right=True),
        Column[TrendRow](CHANGE_ON_A_YEAR_AGO, lambda r: r.from_last_year, align_right=True),
    )
    id_attr = "month"
    meanings = (
        "The month",
        "The measure chosen in that month",
        CHANGE_MEANINGS[CHANGE_ON_LAST_MONTH],
        CHANGE_MEANINGS[CHANGE_ON_A_YEAR_AGO],
    )


class RatingsModel(RowTableModel[RatedMeasure]):
    columns = (
        Column[RatedMeasure]("Measure", lambda r: r.target.measure),
        Column[RatedMeasure]("Target", lambda r: r.target.describe()),
        Column[RatedMeasure]("Locality", lambda r: r.locality),
        Column[RatedMeasure]("Value", lambda r: shown(r.target.measure, r.value), align_right=True),
        Column[RatedMeasure](
            "Rating", lambda r: r.rating.word if r.rating else "not rated (no figure)"
        ),
    )
    id_attr = "locality"

    def extra_data(self, item: RatedMeasure, column: int, role: int) -> Any:
        if column != 4 or item.rating is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(TINTS[item.rating])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#000000")
        return None


class TargetsModel(RowTableModel[Target]):
    columns = (
        Column[Target]("Measure", lambda t: t.measure),
        Column[Target]("Target", lambda t: t.describe()),
    )
    id_attr = "measure"


@dataclass(frozen=True)
class HighlightRow:
    """A completed action and whether the group features it."""

    action: CompletedAction
    featured: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.action.key


def _closed(row: HighlightRow) -> str:
    return row.action.closed_on.isoformat() if row.action.closed_on else "not said"


class HighlightsModel(RowTableModel[HighlightRow]):
    columns = (
        Column[HighlightRow]("In the Board report", lambda r: "Featured" if r.featured else ""),
        Column[HighlightRow]("Locality", lambda r: r.action.locality),
        Column[HighlightRow]("Reference", lambda r: r.action.reference),
        Column[HighlightRow]("You said (the action)", lambda r: r.action.title),
        Column[HighlightRow]("We did (its outcome)", lambda r: r.action.outcome or "not said"),
        Column[HighlightRow]("Closed on", _closed, sort_key=_closed),
    )
    id_attr = "key"

    def extra_data(self, item: HighlightRow, column: int, role: int) -> Any:
        if column == 0 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.featured else Qt.CheckState.Unchecked
        return None


def _stamp(value: Any) -> str:
    """A time as the return has it (no zone), or kept (UTC) in this computer's time."""
    if value is None:
        return "not said"
    return f"{value.astimezone() if value.tzinfo else value:%Y-%m-%d %H:%M}"


class KeptModel(RowTableModel[KeptReturn]):
    columns = (
        Column[KeptReturn]("Locality", lambda k: k.locality),
        Column[KeptReturn]("Month", lambda k: str(k.month)),
        Column[KeptReturn]("File", lambda k: k.source_file),
        Column[KeptReturn]("Generated at", lambda k: _stamp(k.generated_at)),
        Column[KeptReturn]("Kept at", lambda k: _stamp(k.kept_at)),
    )
    id_attr = "source_file"
