"""How the redactor reads names (``core/privacy.py``): the matching form of a text (``fold``:
no accents, case-folded, one kind of apostrophe and hyphen, invisible characters gone), the
words of a name as it keys them (``name_words``), and the gaps it reads between the words of
one name. Split out of ``core/privacy.py``, which re-exports ``fold`` and ``name_words``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from .name_words import PARTICLES, TITLES, words
from .text import unaccent

# --- Folding: the matching form of a character ---------------------------------------------

_APOSTROPHES = dict.fromkeys((0x2019, 0x2018, 0x60, 0x2BC, 0xB4, 0x2032, 0xFF07), "'")
_HYPHENS = dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63, 0xFF0D), "-")
_WHITESPACE_CONTROLS = {0x09, 0x0A, 0x0D}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _FoldTable(dict[int, str]):
    """``str.translate`` table: each character's matching form, worked out on first use.

    Control characters, format characters (zero-width spaces and joiners, soft hyphens,
    direction marks, the byte-order mark) and lone combining marks vanish; dashes read as "-",
    apostrophe-like marks as "'"; whitespace stays as it is (so positions map back); anything
    else loses its accents (NFKD without combining marks) and is case-folded.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if code in _APOSTROPHES:
            folded = "'"
        elif code in _HYPHENS:
            folded = "-"
        elif ch.isspace() or code in _WHITESPACE_CONTROLS:
            folded = ch
        elif unicodedata.category(ch) in ("Cc", "Cf") or 0xFE00 <= code <= 0xFE0F:
            folded = ""
        else:
            folded = unaccent(ch).casefold()
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_ASCII_FOLD = str.maketrans({"`": "'"})


def _fold_with_positions(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded character by character, and where each folded character came from
    (None: the same place, the quick path for plain ASCII)."""
    if text.isascii() and not _CONTROL.search(text):
        return text.translate(_ASCII_FOLD).lower(), None
    if all(len(_FOLD[ord(ch)]) == 1 for ch in set(text)):
        return text.translate(_FOLD), None  # one character for one: the same places
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        piece = _FOLD[ord(ch)]
        if piece:
            out.append(piece)
            origin.extend([index] * len(piece))
    return "".join(out), origin


def fold(text: str) -> str:
    """The matching form of a name or word: no accents, case-folded, one kind of apostrophe and
    hyphen, invisible characters gone, single spaces."""
    if not text:
        return ""
    if text.isascii() and not _CONTROL.search(text):
        return " ".join(text.translate(_ASCII_FOLD).lower().split())
    return " ".join(text.translate(_FOLD).split())


#: A word of folded text: letters and digits (apostrophes, hyphens and underscores divide).
_WORD = re.compile(r"[^\W_]+")
#: Between two words of one name: spaces or a line break, a comma ("Smith, Bob"), a hyphen or
#: an underscore.
_MERGE_GAP = re.compile(r"\s*[,\-_]?\s*")
_BRIDGE_GAP = re.compile(r"'|\.\s*")
_TITLE_GAP = re.compile(r"\.?\s*")
_PARTICLE_GAP = re.compile(r"\s+|'|-")
_INITIAL_GAP = re.compile(r"\.?\s*|'")
#: "St", "St." or "Saint" just before a word: the word is a saint's, a place's name ("St
#: Andrew's Church Hall", "Saint Michael's"), not a person's.
_SAINT = re.compile(r"\b(?:st|saint)\.?\s*$", re.IGNORECASE)
#: Words an "also known as" field may hold that are not names.
_AKA_FILLER = words(
    "aka nee born formerly previously known as also called and or the of maiden name "
    "prefers preferred to be"
)


def name_words(text: str) -> list[str]:
    """The words of a name as the redactor keys them (folded; titles, particles, initials,
    numbers and the filler of an "also known as" field left out)."""
    return _keyed(_WORD.findall(fold(text)))


def names_words(names: Sequence[str]) -> list[list[str]]:
    """``name_words`` of each of ``names``, folded as one text (one pass in C over them all,
    not a Python call per name: cheap for many people)."""
    text = "\n".join(names)
    if text.count("\n") != len(names) - 1:  # a line break inside a name: one by one
        return [name_words(name) for name in names]
    if text.isascii() and not _CONTROL.search(text):
        folded = text.translate(_ASCII_FOLD).lower()
    else:
        folded = text.translate(_FOLD)  # whitespace, so line breaks, as it is
    return [_keyed(_WORD.findall(line)) for line in folded.split("\n")] if names else []


def _keyed(found: Iterable[str]) -> list[str]:
    return [
        w
        for w in found
        if len(w) > 1
        and not w.isdigit()
        and w not in TITLES
        and w not in PARTICLES
        and w not in _AKA_FILLER
    ]
