"""The printouts' one document model: what core builds and the typesetter (``core/typeset.py``)
prints, previews and saves as a tagged PDF (docs/printouts.md).

Every printout (minutes, agenda, sign-in sheet, open-actions log, "you said, we did", the
accreditation assessment report) is a ``Document``: a title, the trust's name and logo, a size
(standard or large print), an orientation and a list of blocks: headings, paragraphs, lists,
facts (label and value), tables with a header row, and groups kept together on one page. No Qt
here and no markup: the text is plain Python strings, exactly as typed (after the redactor).

Contracts and pitfalls:
- **User text is never markup.** The model is handed to typst as JSON data
  (``Document.to_json``), which the template ``resources/templates/printout.typ`` reads with
  ``json()``; a string from data is set as text, so a name with ``#``, ``*``, ``$``, ``\\``,
  ``[``, ``]``, ``<``, ``>``, ``@`` or ``"`` prints as typed (``tests/core/test_typeset.py``).
  Never build typst source from user text.
- Line breaks inside a ``Span``'s text ("\\n") print as line breaks.
- ``Table.reflow``: in large print such a table is printed as one record per row (each cell
  under its column's header) instead of narrow columns, so 16 pt text never has to break a word;
  a table whose layout matters on paper (the sign-in sheet) sets it False.
- ``Group(keep_together=True)`` never breaks across pages, and ``with_previous`` keeps it on
  one page with the block before it: the minutes' signature block sits in one with the date of
  the next meeting, after the actions agreed, so it is never alone on a page.
- ``Document.text()`` is the plain text a reader gets, in reading order (what the tests and the
  privacy review read).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: The documents' language (the PDF's /Lang and the language a screen reader reads in).
LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Span:
    """A run of text in one style. ``small`` is the small print of the standard size (large
    print never goes below its body size)."""

    text: str
    strong: bool = False
    emph: bool = False
    small: bool = False


Inline = tuple[Span, ...]


def spans(*parts: str | Span) -> Inline:
    """Text and spans as one inline run (plain strings become plain spans)."""
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts if p != "")


def plain(inline: Iterable[Span]) -> str:
    return "".join(s.text for s in inline)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    content: Inline
    small: bool = False


@dataclass(frozen=True)
class ItemList:
    """A list (numbered or bulleted) of one-line or wrapped items."""

    items: tuple[Inline, ...]
    numbered: bool = True


@dataclass(frozen=True)
class Facts:
    """Labelled values ("Date: Thursday 20 March 2025"), tagged as a list of terms."""

    rows: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True)
class Column:
    """A table column: its header and its share of the width in standard and large print
    (relative numbers; ``large`` None: as standard)."""

    header: str
    width: float
    large: float | None = None
    #: "left", "center" or "right".
    align: str = "left"


@dataclass(frozen=True)
class Table:
    """A table whose first row holds the column headers (tagged as header cells and repeated on
    every page)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Inline, ...], ...]
    #: In large print, one record per row instead of columns (module docstring).
    reflow: bool = True
    #: The least height of a body row, in ems (room to sign).
    row_height: float = 0.0


@dataclass(frozen=True)
class Signature:
    """Lines to sign on (label and a rule), and a note under them."""

    labels: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class BarChart:
    """Bars drawn from zero, one a label (the Board report's charts). Each bar's length is its
    value over the largest, so the axis always starts at zero and the scale is printed under
    the bars ("0" to the largest). The title is read as text; the drawing is an artifact a
    screen reader skips: the figures must also be in a table of the document (the caller's
    duty). ``bars`` are ``(label, value, shown)``: ``shown`` is the value as printed."""

    title: str
    bars: tuple[tuple[str, float, str], ...]
    #: The axes' names: what the bars measure (printed under the scale, "Attendances") and
    #: what each bar is ("Locality", printed over the labels).
    value_axis: str = ""
    label_axis: str = ""


@dataclass(frozen=True)
class Group:
    """Blocks printed together; ``keep_together`` never breaks them across pages, and
    ``with_previous`` keeps the block before the group on the group's page (a table that
    would end just before a page break moves over with it)."""

    blocks: tuple[Block, ...]
    keep_together: bool = True
    with_previous: bool = False
    #: Start the group on a new page (a letter per person in one PDF).
    new_page: bool = False
    #: Print the group in large print within a standard document (a large-print reader's
    #: letter among others).
    large_print: bool = False


Block = Heading | Paragraph | ItemList | Facts | Table | Signature | BarChart | Group


@dataclass(frozen=True)
class Document:
    """One printout. ``title`` names the PDF (its metadata) and is in every page's footer."""

    title: str
    blocks: tuple[Block, ...]
    trust_name: str = ""
    logo_png: bytes | None = None
    large_print: bool = False
    landscape: bool = False
    #: The document's language (BCP 47), the PDF's /Lang.
    language: str = LANGUAGE
    #: Easy read (``core/easy_read.py``): larger type than large print, short lines (wide
    #: margins), more space, and each group set apart by a rule at its left.
    easy_read: bool = False

    def text(self) -> str:
        """The document's text in reading order, one block a line (tables: one row a line, the
        cells separated by " | "); the footer is left out."""
        lines = [self.trust_name] if self.trust_name else []
        lines += list(_block_lines(self.blocks))
        return "\n".join(lines)

    def to_json(self) -> str:
        """The model as the JSON the template reads (``resources/templates/printout.typ``)."""
        return json.dumps(
            {
                "title": self.title,
                "trust_name": self.trust_name,
                "logo": list(self.logo_png) if self.logo_png else None,
                "large_print": self.large_print or self.easy_read,
                "easy_read": self.easy_read,
                "landscape": self.landscape,
                "lang": self.language.split("-")[0],
                "region": self.language.split("-")[1] if "-" in self.language else None,
                "blocks": [_block_json(b) for b in self.blocks],
            },
            ensure_ascii=False,
        )


def _inline_json(inline: Inline) -> list[dict[str, Any]]:
    return [{"text": s.text, "strong": s.strong, "emph": s.emph, "small": s.small} for s in inline]


def _block_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "content": _inline_json(block.content), "small": block.small}
    if isinstance(block, ItemList):
        return {
            "kind": "list",
            "numbered": block.numbered,
            "items": [_inline_json(i) for i in block.items],
        }
    if isinstance(block, Facts):
        return {"kind": "facts", "rows": [[k, _inline_json(v)] for k, v in block.rows]}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "headers": [c.header for c in block.columns],
            "widths": [c.width for c in block.columns],
            "large_widths": [c.large if c.large is not None else c.width for c in block.columns],
            "align": [c.align for c in block.columns],
            "rows": [[_inline_json(cell) for cell in row] for row in block.rows],
            "reflow": block.reflow,
            "row_height": block.row_height,
        }
    if isinstance(block, Signature):
        return {"kind": "signature", "labels": list(block.labels), "note": block.note}
    if isinstance(block, BarChart):
        top = max((max(value, 0) for _, value, _ in block.bars), default=0)
        return {
            "kind": "bars",
            "title": block.title,
            "bars": [[label, max(value, 0), shown] for label, value, shown in block.bars],
            "top": top,
            "top_shown": f"{top:,.2f}".rstrip("0").rstrip("."),
            "value_axis": block.value_axis,
            "label_axis": block.label_axis,
        }
    if isinstance(block, Group):
        return {
            "kind": "group",
            "keep_together": block.keep_together,
            "with_previous": block.with_previous,
            "new_page": block.new_page,
            "large_print": block.large_print,
            "blocks": [_block_json(b) for b in block.blocks],
        }
    raise TypeError(f"not a block: {block!r}")


def _block_lines(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, Paragraph):
            yield plain(block.content)
        elif isinstance(block, ItemList):
            for number, item in enumerate(block.items, start=1):
                yield (f"{number}. " if block.numbered else "- ") + plain(item)
        elif isinstance(block, Facts):
            for label, value in block.rows:
                yield f"{label}: {plain(value)}"
        elif isinstance(block, Table):
            yield " | ".join(c.header for c in block.columns)
            for row in block.rows:
                yield " | ".join(plain(cell) for cell in row)
        elif isinstance(block, Signature):
            yield from block.labels
            if block.note:
                yield block.note
        elif isinstance(block, BarChart):
            yield block.title
            for label, _value, shown in block.bars:
                yield f"{label}: {shown}"
        elif isinstance(block, Group):
            yield from _block_lines(block.blocks)
