"""Reading a typed or imported value: dates, times, money, yes/no, counts, the words of the fixed
lists and the text of a spreadsheet cell. One parser per kind of value, whichever door the value
comes in by: a box on a screen (``ui.widgets``' date, time and pounds boxes call these) and a
cell of an import workbook (``core.importer``, ``core.standards``) accept exactly the same
things and refuse them for the same reason.

Contract:

- Each ``parse_*`` function takes what a user typed (text) or what openpyxl read from a cell
  (text, a number, a ``date``/``datetime``/``time``, a bool, None) and returns the value, or
  raises ``ParseError`` (a ``ValueError``) whose message is one sentence that starts with the
  value as the user sees it in quotes (``'31/02/2025' is not a date; ...``). A screen shows it
  at the field as it is; the importer puts the column's header in front
  (``Sheet 'Meetings' row 2: Date '31/02/2025' is not a date; ...``).
- Blank (None, or only spaces) is "not given": ``None`` for a date or a time, 0 pence, no.
- Dates are refused outside 1900-2100 (``FIRST_DAY``/``LAST_DAY``): a year typed as ``0001``
  or ``3025`` is a slip, and core services refuse such a ``date`` too (``date_problem``).

Pitfalls:

- No parsing here depends on the locale (month names are English, whatever ``setlocale`` a GUI
  toolkit has called), so the app and a command-line import on the same machine agree.
- A number from Excel is not a date (a date cell arrives as a ``datetime``); ``45000`` is refused
  rather than guessed at as a serial number.
- Excel keeps ``1.0`` typed in a cell as the number 1: ``version_text`` reads it back as text,
  and ``same_version`` lets a number match a loaded version of the same value (``1`` is the
  loaded ``1.0``), so a framework's version never splits in two for Excel's sake.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .vocab import MAX_PENCE, MAX_POUNDS_TEXT, Vocabulary

#: The first and last day a date may be (anything outside is a typing slip).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)

#: How a screen asks for a date or a time again (the import asks in its own words).
SCREEN_DATE_HINT = "please type it as day/month/year, e.g. 14/03/2025"
SCREEN_TIME_HINT = "please type it as 18:30"
#: How the import workbook asks for them (docs/import-workbook.md, the template's Notes sheet).
IMPORT_DATE_HINT = "write it as YYYY-MM-DD or DD/MM/YYYY"
IMPORT_TIME_HINT = "write it as HH:MM, e.g. 14:00"

E = TypeVar("E", bound=Vocabulary)


class ParseError(ValueError):
    """A value that is not what was asked for; the message is one sentence a user reads."""


# --- The text of a cell ---------------------------------------------------------------------


def blank(value: Any) -> bool:
    """None, or text of nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any, *, one_line: bool = True) -> str:
    """A value as the text a user sees in the cell: whole numbers without ``.0``, a date as
    ``YYYY-MM-DD``, TRUE/FALSE as Excel shows them, text trimmed; with ``one_line`` runs of
    spaces and line breaks become one space, else line breaks are kept (long text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return " ".join(text.split()) if one_line else text.strip()


# --- Dates --------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})$")
_SHIFTS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def _full_year(text: str) -> int:
    """A year as typed; two digits as ``strptime``'s ``%y`` reads them (69-99 are 1900s)."""
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 69 else 2000
    return year


def date_problem(day: date | None) -> str | None:
    """The sentence refusing a date outside 1900-2100, or None (None is no date: fine)."""
    if day is None or FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"'{day:%d/%m}/{day.year:04d}' is not a date from 1900 to 2100; check the year."


def parse_date(
    value: Any, *, today: date | None = None, hint: str = SCREEN_DATE_HINT
) -> date | None:
    """A date typed the British way or read from a cell; None when blank.

    Accepts ``14/03/2025``, ``14/3/25``, ``14-03-2025``, ``14.03.2025``, ``2025-03-14``,
    ``14 Mar 2025``, ``14 March 2025``, ``today``, ``tomorrow``, ``yesterday`` (from ``today``,
    else the real today), and an Excel date or date-and-time. Raises ``ParseError`` for anything
    else (31/02/2025, a number, a time), ``hint`` saying how to write it, and for a date outside
    1900-2100.
    """
    if blank(value):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        shown = cell_text(value)
        if not isinstance(value, str):  # a number, a bool or a time is not a date
            raise ParseError(f"'{shown}' is not a date; {hint}.")
        day = _date_from_text(shown, today, hint)
    problem = date_problem(day)
    if problem:
        raise ParseError(problem)
    return day


def _date_from_text(shown: str, today: date | None, hint: str) -> date:
    text = shown.lower()
    if text in _SHIFTS:
        return (today or date.today()) + timedelta(days=_SHIFTS[text])
    parts: tuple[int, int, int] | None = None
    if match := _ISO.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _DMY.match(text):
        parts = (_full_year(match[4]), int(match[3]), int(match[1]))
    elif (match := _D_MONTH_Y.match(text)) and match[2] in _MONTHS:
        parts = (_full_year(match[3]), _MONTHS[match[2]], int(match[1]))
    if parts is not None:
        try:
            return date(*parts)
        except ValueError:
            pass  # 31/02, month 13, year 0
    raise ParseError(f"'{shown}' is not a date; {hint}.")


# --- Times --------------------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2})(?:[:.](\d{2}))?)?(am|pm)?$")


def parse_time(value: Any, *, hint: str = SCREEN_TIME_HINT) -> time | None:
    """A time of day such as ``18:30``, ``18.30``, ``1830``, ``6pm``, ``6.30 pm``, ``18:30:00``
    (seconds are dropped), or an Excel time (a ``time``, a ``datetime``, or a fraction of a day
    left as a number); None when blank. Raises ``ParseError`` for anything else, ``hint``
    saying how to write it."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    shown = cell_text(value)
    problem = ParseError(f"'{shown}' is not a time; {hint}.")
    if isinstance(value, bool):
        raise problem
    if isinstance(value, int | float):
        if not 0 <= value < 1:  # only a fraction of a day is a time
            raise problem
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    match = _TIME.match(shown.lower().replace(" ", ""))
    if not match:
        raise problem
    hour, minute, half = int(match[1]), int(match[2] or 0), match[4]
    if half:
        if not 1 <= hour <= 12:
            raise problem
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or int(match[3] or 0) > 59:
        raise problem
    return time(hour, minute)


# --- Money --------------------------------------------------------------------------------------


def parse_pounds(value: Any) -> int:
    """Pounds to whole pence: ``25``, ``25.5``, ``£25.50``, ``1,025.00``, or a number from a
    cell; blank is 0. Raises ``ParseError`` for a negative amount, parts of a penny, more than
    ``MAX_POUNDS_TEXT`` or anything that is not a number.

    Pitfall: a number from Excel is a float; one within a millionth of a penny of whole pence
    (``27.500000000000004`` from a formula) is those pence, as Excel shows it; more decimals than
    that are refused, never rounded away."""
    if blank(value):
        return 0
    shown = cell_text(value)
    if isinstance(value, bool):
        raise ParseError(f"'{shown}' is not an amount in pounds, such as 25.00.")
    if isinstance(value, float):
        amount = Decimal(repr(value)) if value == value else Decimal("NaN")
        if amount.is_finite() and abs(value * 100 - round(value * 100)) < 1e-6:
            amount = Decimal(round(value * 100)) / 100
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        try:
            amount = Decimal(shown.replace("£", "").replace(",", "").replace(" ", ""))
        except InvalidOperation:
            raise ParseError(f"'{shown}' is not an amount in pounds, such as 25.00.") from None
    if not amount.is_finite():
        raise ParseError(f"'{shown}' is not an amount in pounds, such as 25.00.")
    if amount < 0:
        raise ParseError(f"'{shown}' is less than nothing; an amount is zero or more.")
    if amount * 100 > MAX_PENCE:  # before quantize, which fails on numbers past 28 digits
        raise ParseError(f"'{shown}' is more than {MAX_POUNDS_TEXT}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ParseError(f"'{shown}' has parts of a penny; give pounds and pence, such as 12.50.")
    return int(amount * 100)


def format_pounds(pence: int) -> str:
    """Pence as pounds for a box (``1,025.00``); ``parse_pounds`` reads it back."""
    return f"{pence / 100:,.2f}"


# --- Yes or no, counts, and the fixed lists ------------------------------------------------

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_yes_no(value: Any) -> bool:
    """Yes/Y/True/1 or No/N/False/0 in any case, or Excel's TRUE/FALSE; blank is no. Raises
    ``ParseError`` for anything else."""
    if blank(value):
        return False
    if isinstance(value, bool):
        return value
    shown = cell_text(value)
    if shown.lower() in _YES:
        return True
    if shown.lower() in _NO:
        return False
    raise ParseError(f"'{shown}' is not yes or no.")


def parse_count(value: Any) -> int:
    """A whole number of people, 0 or more (``3``, ``3.0`` from a cell). Raises
    ``ParseError`` for anything else; blank is not a count (the caller says what is missing)."""
    shown = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
    elif isinstance(value, str) and shown.isascii() and shown.isdigit():
        return int(shown)
    raise ParseError(f"'{shown}' is not a whole number of people.")


def parse_choice(enum_cls: type[E], value: Any) -> E:
    """A word of a fixed list (``vocab``): the member itself, its stored value, or its label
    in any case with spaces or hyphens for underscores ("Team/ward", "in progress"). Raises
    ``ParseError`` naming the allowed words."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        pass
    try:
        return enum_cls.parse(cell_text(value))  # type: ignore[return-value]
    except ValueError as exc:
        raise ParseError(f"{exc}.") from None


# --- Versions -----------------------------------------------------------------------------------

_FIXED_DECIMALS = re.compile(r"^[#,0]*0\.(0+)$")


def version_text(value: Any, number_format: str | None = None) -> str:
    """A framework version as text, whatever Excel made of it: text as typed (``1.10`` stays
    ``1.10``); a number as the cell shows it (``1.0`` with the number format ``0.0``), else as
    Python writes it (``1``, ``1.5``). Compare with ``same_version``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        match = _FIXED_DECIMALS.match(number_format or "")
        if match:
            return f"{value:.{len(match[1])}f}"
    return cell_text(value)


def same_version(loaded: str, given: str, *, given_as_number: bool) -> bool:
    """Whether the version ``given`` (read by ``version_text``) names the ``loaded`` one: the
    same text in any case; a version that was a number in its cell also names a loaded version
    of the same value (``1`` names ``1.0``: Excel keeps ``1.0`` as the number 1)."""
    if loaded.strip().casefold() == given.strip().casefold():
        return True
    if not given_as_number:
        return False
    try:
        return Decimal(loaded.strip()) == Decimal(given.strip())
    except InvalidOperation:
        return False


__all__ = [
    "FIRST_DAY",
    "IMPORT_DATE_HINT",
    "IMPORT_TIME_HINT",
    "LAST_DAY",
    "ParseError",
    "blank",
    "cell_text",
    "date_problem",
    "format_pounds",
    "parse_choice",
    "parse_count",
    "parse_date",
    "parse_pounds",
    "parse_time",
    "parse_yes_no",
    "same_version",
    "version_text",
]
