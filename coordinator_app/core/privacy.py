"""Keeping names out of what leaves the app (docs/monthly-return.md, docs/printouts.md).

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

A map is compiled once (``compile_replacements``) into a dictionary of folded names; each text
is then read word by word, so thousands of names cost no more per text than a handful.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select

from . import schema
from .text import unaccent
from .vocab import Category

if TYPE_CHECKING:
    from .db import Reader

#: What a protected participant's name becomes in a return.
CATEGORY_PLACEHOLDERS: dict[Category, str] = {
    Category.SERVICE_USER: "[service user]",
    Category.CARER: "[carer]",
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})


def name_replacements(session: Reader, *, for_minutes: bool = False) -> dict[str, str]:
    """Map the name of every service user and carer to "[service user]" or "[carer]".

    Anonymised participants have no name left to hide and blank names are skipped. When a staff
    member shares a name with a service user, the name is still replaced: privacy wins. With
    ``for_minutes``, people who agreed to be named in minutes (and anonymised ones) are left
    out: the minutes and the other printouts may name them.
    """
    people = schema.participants.c
    stmt = select(people.name, people.category).where(
        people.category.in_(tuple(CATEGORY_PLACEHOLDERS))
    )
    if for_minutes:
        stmt = stmt.where(people.name_in_minutes.is_(False), people.anonymised_at.is_(None))
    rows = session.execute(stmt)
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
    return " ".join(unaccent(text.translate(_FOLD_TABLE)).casefold().split())


_TOKEN = re.compile(r"\w+(?:[-']\w+)*")
_NAME_GAP = re.compile(r"[\s.,]*\s[\s.,]*|[.,]")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|\()?\b\d[\d ()\-]{5,}\d\b")

#: Characters that change nothing a reader sees but would split a name: control characters,
#: soft hyphens and zero-width marks are dropped; other hyphens and dashes read as "-".
_INVISIBLE = {
    cp: None
    for cp in (
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        0x7F,
        0xAD,
        0x200B,
        0x200C,
        0x200D,
        0x2060,
        0xFEFF,
    )
}
_HYPHENS = dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2212), "-")
_NOT_DIGIT = re.compile(r"\D")
#: The three tables above in one (no key of one is a value of another): one pass per name.
_FOLD_TABLE = {**_APOSTROPHES, **_INVISIBLE, **_HYPHENS}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What contact details become in a return or in minutes.
CONTACT_PLACEHOLDER = "[contact details removed]"


class Redactor:
    """A compiled replacement map: ``redactor(text)`` returns the text with every name replaced.

    Names are looked up word by word in a dictionary of folded names (at each word that begins
    some name, the longest run of words that is a name wins), so compiling costs one pass over
    the names and each text costs one pass over its words, however many thousand names there are.
    """

    def __init__(
        self,
        replacements: Mapping[str, str],
        contacts: Iterable[str] = (),
        contact_placeholder: str = CONTACT_PLACEHOLDER,
    ) -> None:
        self._lookup: dict[str, str] = {}
        self._first_words: dict[str, int] = {}
        self._emails = {c.strip().casefold() for c in contacts if "@" in c}
        # Phone numbers are keyed (digits only, +44 as 0) the first time a text holds something
        # that looks like one: most texts hold none, and keying 4,000 numbers takes ~10 ms.
        self._phone_texts = [c for c in contacts if "@" not in c]
        self._phone_keys: set[str] | None = None
        self._contact_placeholder = contact_placeholder
        for name, replacement in sorted(replacements.items(), key=lambda kv: -len(kv[0])):
            # The name's words as the text will be read ("Mary J. Smith" -> mary j smith).
            key = " ".join(_TOKEN.findall(fold(name)))
            if not key or key in self._lookup:
                continue
            self._lookup[key] = replacement
            words = key.split(" ")
            self._first_words[words[0]] = max(self._first_words.get(words[0], 0), len(words))

    def __bool__(self) -> bool:
        return bool(self._lookup or self._emails or self._phones())

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._emails or self._phone_texts:
            text = self._hide_contacts(text)
        if not self._lookup:
            return text
        folded, origin = _fold_with_positions(text)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
        pieces: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            longest = self._first_words.get(tokens[i][2])
            found = self._match_at(folded, tokens, i, longest) if longest else None
            if found is None:
                i += 1
                continue
            count, end_in_folded, replacement = found
            start = origin[tokens[i][0]]
            end = origin[end_in_folded - 1] + 1
            # Keep combining marks that belonged to the last letter of the name with it.
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            pieces.append(text[last:start])
            pieces.append(replacement)
            last = end
            i += count
        if last == 0:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def _match_at(
        self, folded: str, tokens: list[tuple[int, int, str]], i: int, longest: int
    ) -> tuple[int, int, str] | None:
        """The longest name starting at token ``i``: (words used, end offset, replacement)."""
        words = [tokens[i][2]]
        candidates: list[tuple[int, int, str]] = [(1, tokens[i][1], words[0])]
        for j in range(i + 1, min(len(tokens), i + longest)):
            gap = folded[tokens[j - 1][1] : tokens[j][0]]
            # Spaces, or the full stop and comma of "Mary J. Smith" / "Smith, Mary".
            if not _NAME_GAP.fullmatch(gap):
                break
            words.append(tokens[j][2])
            candidates.append((j - i + 1, tokens[j][1], " ".join(words)))
        for count, end, key in reversed(candidates):
            replacement = self._lookup.get(key)
            if replacement is not None:
                return count, end, replacement
            # A possessive: "O'Neill's" hides the name and keeps the "'s".
            for suffix in ("'s", "'"):
                if key.endswith(suffix) and (hit := self._lookup.get(key[: -len(suffix)])):
                    return count, end - len(suffix), hit
        return None

    def _phones(self) -> set[str]:
        if self._phone_keys is None:
            keys = (phone_key(text) for text in self._phone_texts)
            self._phone_keys = {key for key in keys if len(key) >= 6}
        return self._phone_keys

    def _hide_contacts(self, text: str) -> str:
        """Replace any known e-mail address (any case) or phone number (any spacing, +44 or 0)."""

        def email(match: re.Match[str]) -> str:
            found = match.group(0)
            return self._contact_placeholder if found.casefold() in self._emails else found

        def phone(match: re.Match[str]) -> str:
            found = match.group(0)
            return self._contact_placeholder if phone_key(found) in self._phones() else found

        if self._emails and "@" in text:
            text = _EMAIL.sub(email, text)
        if self._phone_texts:
            text = _PHONE.sub(phone, text)
        return text


def phone_key(text: str) -> str:
    """The digits of a phone number, with a UK +44 (or 0044) written as the leading 0."""
    digits = _NOT_DIGIT.sub("", text)
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and text.lstrip().startswith(("+", "00")):
            rest = digits[len(prefix) :]
            return rest if rest.startswith("0") else "0" + rest  # "+44 (0)7700 ..."
    return digits


def compile_replacements(
    replacements: Mapping[str, str] | Redactor, contacts: Iterable[str] = ()
) -> Redactor:
    """A ``Redactor`` for the names map and contact details (compile once, then call it for
    each text)."""
    if isinstance(replacements, Redactor):
        return replacements
    return _cached_redactor(frozenset(replacements.items()), frozenset(contacts))


@lru_cache(maxsize=8)
def _cached_redactor(
    items: frozenset[tuple[str, str]], contacts: frozenset[str] = frozenset()
) -> Redactor:
    return Redactor(dict(items), contacts)


def contact_details(session: Reader) -> set[str]:
    """Every e-mail address and phone number held for anyone: none may leave the app in free
    text (a return "holds no contact detail"; minutes print none)."""
    found: set[str] = set()
    for email, phone in session.execute(
        select(schema.participants.c.email, schema.participants.c.phone)
    ):
        for contact in (email, phone):
            contact = " ".join((contact or "").split())
            if len(contact) >= 5:
                found.add(contact)
    return found


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
    if text.isascii() and not _CONTROL.search(text):
        lowered = text.translate(_APOSTROPHES).lower()
        return lowered, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if ord(ch) in _INVISIBLE:
            piece = ""  # dropped for matching; replaced with the name around it
        elif ord(ch) in _HYPHENS:
            piece = "-"
        elif ch.isspace():
            piece = ch
        else:
            piece = unaccent(ch.translate(_APOSTROPHES)).casefold()
        out.append(piece)
        origin.extend([index] * len(piece))
    return "".join(out), origin
