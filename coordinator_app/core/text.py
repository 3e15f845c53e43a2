"""Text helpers: accents removed for matching, one character at a time; a count with its noun
(``counted``).

Search (the lists' filters, ``people.fold``) and privacy (names hidden in free text) both
compare text with its accents removed: "Zoë" matches "zoe". A character's accent-free form is
its compatibility decomposition (NFKD) without the combining marks. That form is worked out
once per character and kept, so folding thousands of names is one ``str.translate`` pass each.
Removing marks character by character gives the same text as decomposing the whole string
first, because the marks that decomposition might reorder are the ones dropped.
"""

from __future__ import annotations

import unicodedata


class _Unaccented(dict[int, str]):
    """``str.translate`` table: each character without its accents, filled in on first use."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        plain = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return plain


_UNACCENTED = _Unaccented()


def unaccent(text: str) -> str:
    """``text`` without accents ("Siân Ó Briain" -> "Sian O Briain"); case and everything else
    stay. Plain ASCII is returned as it is."""
    return text if text.isascii() else text.translate(_UNACCENTED)


def counted(n: int, word: str, plural: str = "") -> str:
    """``n`` and ``word``, the plural for any number but one ("1 letter", "0 e-mail drafts",
    "2 members"); ``plural`` when it is not ``word`` + "s" ("1 person", "3 people")."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
