"""What a hidden name becomes (``core/privacy.py``): the category of the protected people who
could have it, in brackets (docs/monthly-return.md#what-it-holds-and-what-it-never-holds).
Split out of ``core/privacy.py``, which re-exports the placeholders.

A word of a name is keyed to one placeholder when the redactor is built: a service user's when
any service user has the word, else a carer's. Several words written as one name ("Alex
Stewart") are one placeholder, that of the people whose name and "also known as" hold every one
of those words: ``[carer]`` when they are all carers, even though a service user is called Alex
too. When they are of both categories, or no one person has all the words (a service user's
first name written before a carer's surname), the service user's placeholder wins, as for one
word. Before, a staff member who shares a full name with a carer was hidden as "[service
user]" wherever a service user shared their first name.
"""

from __future__ import annotations

from collections.abc import Sequence

from .folding import names_words
from .vocab import Category

#: What a protected participant's name becomes in what leaves the app.
CATEGORY_PLACEHOLDERS: dict[Category, str] = {
    Category.SERVICE_USER: "[service user]",
    Category.CARER: "[carer]",
}
SERVICE_USER_PLACEHOLDER = CATEGORY_PLACEHOLDERS[Category.SERVICE_USER]


class Holders:
    """Who could have a name of several words: each protected person's words (their name's and
    their "also known as"'s, as the redactor keys them) and placeholder, indexed by word on
    first use (most texts name no one in full, and one category alone needs no index)."""

    def __init__(self, people: Sequence[tuple[str, str, str]]) -> None:
        self._people = list(people)
        self._mixed = len({placeholder for _n, _a, placeholder in self._people}) > 1
        self._words: list[frozenset[str]] = []
        self._index: dict[str, list[int]] | None = None

    def add(self, name: str, also_known_as: str, placeholder: str) -> None:
        self._people.append((name, also_known_as, placeholder))
        self._mixed = self._mixed or placeholder != self._people[0][2]
        self._index = None

    def _indexed(self) -> dict[str, list[int]]:
        if self._index is None:
            own = names_words([name or "" for name, _aka, _p in self._people])
            other = names_words([aka or "" for _name, aka, _p in self._people])
            self._words = [frozenset((*a, *b)) for a, b in zip(own, other, strict=True)]
            self._index = {}
            for person, found in enumerate(self._words):
                for word in found:
                    self._index.setdefault(word, []).append(person)
        return self._index

    def of(self, keys: Sequence[str], merged: str) -> str:
        """The placeholder of a name written with the words ``keys`` (as the redactor keys
        them; "" for a word it cannot tell), ``merged`` being what its words' own placeholders
        give: the one placeholder of everyone whose words hold them all; else ``merged``."""
        wanted = set(keys)
        if not self._mixed or len(wanted) < 2 or "" in wanted:
            return merged
        index = self._indexed()
        rarest = min(wanted, key=lambda word: len(index.get(word, ())))
        found = {
            self._people[person][2]
            for person in index.get(rarest, ())
            if wanted <= self._words[person]
        }
        return found.pop() if len(found) == 1 else merged
