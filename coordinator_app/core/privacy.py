"""Keeping names out of what leaves the app (DESIGN.md section 6 and section 8).

A monthly return carries free text (experience summaries and responses, action titles and
outcomes, poll questions) as written, except that the name of every participant who is a service
user or carer is replaced by their category in brackets ("[service user]", "[carer]"). Minutes
apply the same replacement, with their own map, to anyone who has not consented to be named.

Matching is whole-word and forgiving, because people type names as they please: any case,
accents or none ("Zoe" finds "Zoë", and so does a decomposed "Zoe\u0308"), straight or curly
apostrophes ("O’Neill" finds "O'Neill"), any run of spaces between words; the longest name wins
where names overlap ("Mary Ann Smith" before "Mary Ann"). Only the whole stored name is replaced:
a first name on its own is not (it would blank out words such as "Will" or "Hope"), which is the
pitfall to tell coordinators about.

The pattern is a trie over the folded names, compiled once per map (``compile_replacements``);
with a few thousand names it still costs microseconds per text, where a plain alternation of
names would try every name at every character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Participant
from .vocab import Category

#: What a protected participant's name becomes in a return.
CATEGORY_PLACEHOLDERS: dict[Category, str] = {
    Category.SERVICE_USER: "[service user]",
    Category.CARER: "[carer]",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})


def name_replacements(session: Session) -> dict[str, str]:
    """Map the name of every service user and carer to "[service user]" or "[carer]".

    Anonymised participants have no name left to hide and blank names are skipped. When a staff
    member shares a name with a service user, the name is still replaced: privacy wins.
    """
    rows = session.execute(
        select(Participant.name, Participant.category).where(
            Participant.category.in_(tuple(CATEGORY_PLACEHOLDERS))
        )
    )
    found: dict[str, str] = {}
    for name, category in rows:
        clean = " ".join((name or "").split())
        # A service user's bracket wins over a carer's when two people share a name.
        if clean and found.get(clean) != CATEGORY_PLACEHOLDERS[Category.SERVICE_USER]:
            found[clean] = CATEGORY_PLACEHOLDERS[Category(category)]
    return found


def fold(text: str) -> str:
    """The matching form of a name: no accents, case-folded, one kind of apostrophe, single
    spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


class Redactor:
    """A compiled replacement map: ``redactor(text)`` returns the text with every name replaced."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self._lookup: dict[str, str] = {}
        for name, replacement in sorted(replacements.items(), key=lambda kv: -len(kv[0])):
            key = fold(name)
            if key and key not in self._lookup:
                self._lookup[key] = replacement
        self._pattern = _trie_pattern(self._lookup) if self._lookup else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        folded, origin = _fold_with_positions(text)
        pieces: list[str] = []
        last = 0
        for match in self._pattern.finditer(folded):
            start = origin[match.start()]
            end = origin[match.end() - 1] + 1
            # Keep combining marks that belonged to the last letter of the name with it.
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            if start < last:
                continue
            replacement = self._lookup.get(" ".join(match.group().split()))
            if replacement is None:  # cannot happen: every path in the trie ends at a name
                continue
            pieces.append(text[last:start])
            pieces.append(replacement)
            last = end
        if last == 0:
            return text
        pieces.append(text[last:])
        return "".join(pieces)


def compile_replacements(replacements: Mapping[str, str] | Redactor) -> Redactor:
    """A ``Redactor`` for the map (compile once, then call it for each text)."""
    if isinstance(replacements, Redactor):
        return replacements
    return _cached_redactor(frozenset(replacements.items()))


@lru_cache(maxsize=8)
def _cached_redactor(items: frozenset[tuple[str, str]]) -> Redactor:
    return Redactor(dict(items))


def redact(text: str, replacements: Mapping[str, str] | Redactor) -> str:
    """Replace each name of ``replacements`` in ``text`` (whole words, any case or accents, the
    longest name first) by its replacement. For many texts, pass a ``compile_replacements``
    result rather than the dict."""
    if not text:
        return text
    return compile_replacements(replacements)(text)


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` character by character, remembering where each folded character came from.

    Whitespace is kept as it is (the pattern matches any run of it), so positions map back.
    """
    if text.isascii():
        lowered = text.translate(_APOSTROPHES).lower()
        return lowered, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if ch.isspace():
            piece = ch
        else:
            decomposed = unicodedata.normalize("NFKD", ch.translate(_APOSTROPHES))
            piece = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        out.append(piece)
        origin.extend([index] * len(piece))
    return "".join(out), origin


def _trie_pattern(keys: Mapping[str, str]) -> re.Pattern[str]:
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    body = _trie_regex(trie)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _trie_regex(node: dict[str, dict]) -> str:
    """Longer continuations come first; the end of a shorter name is the last choice, so the
    longest name that is followed by a word boundary wins."""
    branches = []
    ends_here = False
    for ch in sorted(node):
        if ch == "":
            ends_here = True
            continue
        atom = r"\s+" if ch == " " else re.escape(ch)
        branches.append(atom + _trie_regex(node[ch]))
    if ends_here:
        branches.append("")
    if not branches:
        return ""
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
