"""The one redactor: what hides names and contact details in everything that leaves the app
(docs/monthly-return.md#what-it-holds-and-what-it-never-holds, docs/printouts.md#names-and-privacy).

Every export and printout asks ``redactor_for`` for a ``Redactor`` once, then calls it on each
piece of free text: the monthly return, minutes, agenda, sign-in sheet, open-actions log,
"you said, we did", reminder e-mails (``core/reminders.py``). Anonymising and the
subject-access export use the same class for one person (``person_matcher``), and the privacy
review (``core/review.py``) reads what it hid (``Redactor.hidden``) and what still looks like a
name (``looks_like_names``). Consolidation, which opens no database, uses the contact patterns
and ``looks_like_names`` on every cell.

What it hides, for every service user and carer (in minutes and the other printouts: those
who have not agreed to be named; anonymised people have no name left):

- every word of their name and of their "also known as" ("Bobby", a maiden name) on its own:
  first name alone, surname alone, any case, with or without accents, with invisible
  characters inside (zero-width spaces, soft hyphens, direction marks), with a possessive
  ("Bob's", "Smiths");
- the forms built from those words, as one placeholder: "Bob Smith", "Smith, Bob", "Bob-Smith",
  "bob_smith", "Bob\\nSmith", a title ("Mr Smith", "Dr. Smith"), an initial ("B. Smith",
  "Bob S."), a particle ("O'Neill", "van der Berg"), two words run together as in a hashtag
  ("#BobSmith", only where the text writes it with a capital inside or after # or @);
- each as the category of whoever could have it (``core/placeholders.py``): "[carer]" for a
  full name only carers have, though a service user shares a word of it;
- every e-mail address and every phone number pattern, whoever's it is ("[contact details
  removed]"): +44 or 0044 numbers, numbers starting with 0 of 9 to 12 digits in any grouping
  with spaces, hyphens, dots or brackets, and other runs of 10 to 15 digits in at most four
  groups (so dates, times, amounts, years and references stay).

What it keeps as written, although a word of it is a protected person's:

- a word written straight after "St", "St." or "Saint" in any case: a saint, so a place ("St
  Andrew's Church Hall, Rugby", "Saint Michael's Hospital, Warwick" stay while a service user
  is called Andrew or Michael), unless it goes on a name begun before ("Mary St John");
- the full name, written in full (its first and last words together, or every word of it, with
  only particles and initials between, any case or accents, a possessive allowed: "Michael
  Sharma", "ellie woodhouse's"), of someone who may be named there: every staff member on the
  staff list (``core/staff.py``) everywhere, and, in minutes and the other printouts
  (``redactor_for(..., for_minutes=True)``), every participant who agreed to be named. So
  "Chair: Ellie Woodhouse" stays in the minutes although another, non-consenting, person is
  called Ellie, and "Michael Sharma" stays as an action's owner in the return although a
  service user is Michael Tran. Ambiguity hides: when a protected person could be called the
  same (their name or "also known as" holds both words), the full name is hidden. A word of
  it alone ("Ellie said", "Sharma, Michael") is hidden as any other;
- a title and a staff member's surname ("Dr Patel", "Mrs. Sharma") when no protected person
  has that surname (the last word of their name, or any word of their "also known as"):
  "Dr Patel will attend" stays while Patel is only a service user's first or middle name, and
  is hidden while one is called Priya Patel.

The privacy review neither lists these as names hidden nor flags them (``Redactor.kept``).

Pitfalls, said plainly to coordinators by the privacy review:

- A name that is also an ordinary word ("Will", "Hope", "Ward") is hidden wherever the word is
  written, in any case: "the ward will reopen" leaves as "the [service user] [service user]
  reopen" while a service user is called Will Ward. The review lists each piece so the
  coordinator can reword it. Anonymising, which rewrites the records for good, is gentler
  (``careful``): such a word is replaced only where written with a capital or beside another
  word of the person's name.
- Placeholders are not words the redactor hides again, but a name typed inside square brackets
  is hidden like any other.

Cost: the names are folded into ONE dictionary of words (``word -> placeholder``) when the
redactor is built, and each text is read once, word by word: the cost of a text does not grow
with the number of people (tests/benchmarks/bench_redactor.py). Building reads each protected
person's name once (twice when names may be written: to find who they could be read as). The
full names that may be written are one dictionary too (first word -> the name's words): a word
of the text is looked up once, and only a name's first word leads to reading the next few.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import String, select, text, type_coerce

from . import schema
from .folding import (
    _BRIDGE_GAP,
    _FOLD,
    _INITIAL_GAP,
    _MERGE_GAP,
    _PARTICLE_GAP,
    _SAINT,
    _TITLE_GAP,
    _WORD,
    _fold_with_positions,
    _keyed,
    fold,
    name_words,
    names_words,
)
from .name_words import GIVEN_NAMES, ORDINARY_WORDS, PARTICLES, TITLES, words
from .placeholders import CATEGORY_PLACEHOLDERS, SERVICE_USER_PLACEHOLDER, Holders
from .vocab import Category

if TYPE_CHECKING:
    from .db import Database, Reader

#: What every e-mail address and phone number becomes.
CONTACT_PLACEHOLDER = "[contact details removed]"

#: Kinds of what ``Redactor.hidden`` finds.
NAME, EMAIL, PHONE = "name", "email", "phone"

# --- Contact details --------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
#: A run that may hold phone numbers: digits with spaces, hyphens, dots and brackets between.
_PHONE_RUN = re.compile(r"(?<![\w+.])\+?\(?\d(?:[\d().\-]|[^\S\r\n]|\r?\n(?=[\d(+]))*\d\)?")
_GROUP = re.compile(r"\S+")
_NOT_DIGIT = re.compile(r"\D")
_DATE_LIKE = re.compile(
    r"\(?\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}\)?|\d{4}-\d{2}-\d{2}|\d{1,2}[.:]\d{2}", re.ASCII
)


def phone_key(text: str) -> str:
    """The digits of a phone number, with a UK +44 (or 0044) written as the leading 0."""
    digits = _NOT_DIGIT.sub("", text)
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and text.lstrip().startswith(("+", "00")):
            rest = digits[len(prefix) :]
            return rest if rest.startswith("0") else "0" + rest  # "+44 (0)7700 ..."
    return digits


def looks_like_phone(text: str, groups: int = 1) -> bool:
    """Whether ``text`` (one candidate, ``groups`` groups of digits) is a phone number pattern:
    +... of 8 to 15 digits, 00... of 10 to 15, 0... of 9 to 12 in any grouping, or 10 to 15
    digits in at most four groups; never a date, a time or a list of years."""
    digits = _NOT_DIGIT.sub("", text)
    count = len(digits)
    parts = text.split()
    if any(_DATE_LIKE.fullmatch(part) for part in parts):
        return False
    start = text.lstrip("(")
    if start.startswith("+"):
        return 8 <= count <= 15
    if start.startswith("00"):
        return 10 <= count <= 15
    if start.startswith("0"):
        return 9 <= count <= 12
    if all(len(p) == 4 and p.isdigit() and 1800 <= int(p) <= 2199 for p in parts):
        return False  # "2019 2020 2021"
    return 10 <= count <= 15 and groups <= 4


def _phone_spans(folded: str, accept: Any) -> list[tuple[int, int]]:
    """Where phone numbers are in ``folded``: each run of digits is split into its groups and
    the longest run of groups (at most six) that ``accept(text, groups)`` takes wins."""
    spans: list[tuple[int, int]] = []
    for run in _PHONE_RUN.finditer(folded):
        groups = [(m.start(), m.end()) for m in _GROUP.finditer(run.group())]
        base = run.start()
        i = 0
        while i < len(groups):
            found = None
            for j in range(min(len(groups), i + 6) - 1, i - 1, -1):
                piece = run.group()[groups[i][0] : groups[j][1]]
                if accept(piece, j - i + 1):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            spans.append((base + groups[i][0], base + groups[found][1]))
            i = found + 1
    return spans


# --- The redactor -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Where a piece of free text that leaves the app comes from: the record and field the
    privacy review shows it under and can rewrite it in.

    ``record_id`` is the row of ``table``; a row known only by its parent and its text (an
    action's latest progress note, a poll's answer) has ``parent_id`` instead. A piece with
    neither (the coordinator's name from the settings) is shown, not rewritten there.
    ``names_expected``: a field that holds a staff name or role (owner, chair, minute taker),
    where a name is no cause for a flag of its own. ``vocabulary``: a name from the trust's own
    lists (an equality monitoring characteristic or group): a word of a person's name that is
    also an ordinary word is the word there ("White", "Black" in "Mixed: White and Black
    Caribbean"), neither hidden nor flagged, unless written beside another word of that name;
    any other word of a name is hidden as everywhere. ``staff_id``: the text is the name of
    that staff member, chosen from the staff list and kept by id (an action's owner:
    ``actions.owner_staff_id``): it is that person, whoever else shares the name, so no word of
    it is hidden as a name (contact details still are) and nothing in it is guessed at.
    """

    table: str
    column: str
    record_id: uuid.UUID | None
    label: str
    field: str
    names_expected: bool = False
    parent_id: uuid.UUID | None = None
    vocabulary: bool = False
    staff_id: uuid.UUID | None = None

    @property
    def editable(self) -> bool:
        return self.record_id is not None or self.parent_id is not None


class Redact(Protocol):
    """What export code calls on each piece of free text: a ``Redactor``, or the privacy
    review's ``review.Recorder`` standing in for one."""

    def __call__(self, text: str, where: Piece | None = None) -> str: ...


@dataclass(frozen=True)
class Hidden:
    """One thing the redactor hides: ``text[start:end]`` becomes ``replacement``."""

    start: int
    end: int
    kind: str
    replacement: str


class Redactor:
    """Hides names and contact details in free text; ``redactor(text)`` is the text as it
    leaves, ``redactor.hidden(text)`` what was hidden where (see the module docstring).

    ``people`` are ``(name, also_known_as, placeholder)``. With ``every_contact`` (what leaves
    the app) every e-mail address and phone number pattern is hidden; without, only the
    ``contacts`` given (one person's, for anonymising and subject access). ``careful``: names
    that are ordinary words only where written with a capital or beside a word of a name that
    is not an ordinary word (anonymising). ``named`` and ``staff``: the full names that may be
    written as they are (people who agreed to be named, staff members), and for ``staff`` the
    surnames a title may go before (see the module docstring). ``where`` is accepted and
    ignored, so export code can pass the record a piece of text comes from to whatever stands
    in for a redactor (the privacy review's ``Recorder``).
    """

    def __init__(
        self,
        people: Iterable[tuple[str, str, str]] = (),
        *,
        every_contact: bool = True,
        contacts: Iterable[str] = (),
        careful: bool = False,
        contact_placeholder: str = CONTACT_PLACEHOLDER,
        named: Iterable[str] = (),
        staff: Iterable[str] = (),
    ) -> None:
        people = list(people)
        self._words: dict[str, str] = {}
        # All the names of one placeholder are folded and split as one text (one pass in C
        # over every name, not a Python loop per word): building is cheap for many people.
        by_placeholder: dict[str, list[str]] = {}
        for name, also_known_as, placeholder in people:
            by_placeholder.setdefault(placeholder, []).extend((name or "", also_known_as or ""))
        for placeholder in sorted(by_placeholder, key=lambda p: p == SERVICE_USER_PLACEHOLDER):
            names = by_placeholder[placeholder]
            plain = "\n".join(n for n in names if n.isascii())
            other = "\n".join(n for n in names if not n.isascii())
            found = set(_WORD.findall(fold(plain))) | set(_WORD.findall(fold(other)))
            for word in _keyed(found):
                self._words[word] = placeholder  # a service user's placeholder wins: last
        self._holders = Holders(people)  # several words: who could have them all
        self.every_contact = every_contact
        self.careful = careful
        self.contact_placeholder = contact_placeholder
        self._emails: set[str] = set()
        self._phones: set[str] = set()
        for contact in contacts:
            clean = " ".join((contact or "").split())
            if "@" in clean:
                self._emails.add(fold(clean))
            elif len(key := phone_key(clean)) >= 6:
                self._phones.add(key)
        self._may_name, self._title_surnames = _may_be_named(
            people, (*named, *staff), staff, self._words.keys()
        )

    def add(self, name: str, also_known_as: str, placeholder: str) -> None:
        """Hide the words of ``name`` and ``also_known_as`` as ``placeholder`` (a service user's
        placeholder wins over a carer's for a word both have)."""
        for word in (*name_words(name or ""), *name_words(also_known_as or "")):
            if self._words.get(word) != SERVICE_USER_PLACEHOLDER:
                self._words[word] = placeholder
        self._holders.add(name, also_known_as, placeholder)
        if self._may_name or self._title_surnames:
            theirs = _Theirs(name_words(name or ""), name_words(also_known_as or ""))
            theirs.forbid(self._may_name)
            self._title_surnames -= theirs.surnames

    @property
    def words(self) -> frozenset[str]:
        """The folded words hidden as names."""
        return frozenset(self._words)

    def kept(self, text: str, *, vocabulary: bool = False) -> list[tuple[int, int]]:
        """Where ``text`` names, as written, someone who may be named (a full name of ``named``
        or ``staff``, a title and a staff surname): what the redactor keeps although a word of
        it is a protected person's, and what the privacy review does not flag. In order."""
        if not text or not (self._may_name or self._title_surnames):
            return []
        folded, origin = _fold_with_positions(text)
        kept: list[tuple[int, int]] = []
        self._names(text, folded, origin, [], vocabulary, kept)
        return [_original_span(text, origin, start, end) for start, end in sorted(kept)]

    def __bool__(self) -> bool:
        return bool(self._words or self.every_contact or self._emails or self._phones)

    def __call__(self, text: str, where: Piece | None = None) -> str:
        if not text:
            return text
        return apply(text, self.hidden_in(text, where))

    # --- finding ---------------------------------------------------------------------------

    def hidden_in(self, text: str, where: Piece | None = None) -> list[Hidden]:
        """``hidden`` for a piece from ``where``: a staff member's name kept by id
        (``Piece.staff_id``) has only its contact details hidden."""
        if where is None:
            return self.hidden(text)
        return self.hidden(text, vocabulary=where.vocabulary, staff=where.staff_id is not None)

    def hidden(self, text: str, *, vocabulary: bool = False, staff: bool = False) -> list[Hidden]:
        """What this redactor hides in ``text``, in order, as positions in ``text``;
        ``vocabulary``: ``text`` is a name from the trust's own lists (``Piece.vocabulary``);
        ``staff``: ``text`` is a staff member's name kept by id (``Piece.staff_id``): no name
        in it is hidden."""
        if not text:
            return []
        folded, origin = _fold_with_positions(text)
        found: list[tuple[int, int, str, str]] = []
        if "@" in folded and (self.every_contact or self._emails):
            for m in _EMAIL.finditer(folded):
                if self.every_contact or m.group().strip(".") in self._emails:
                    found.append((m.start(), m.end(), EMAIL, self.contact_placeholder))
        if self.every_contact or self._phones:
            accept = looks_like_phone if self.every_contact else self._known_phone
            emails = list(found)
            for start, end in _phone_spans(folded, accept):
                if not any(s < end and start < e for s, e, _k, _r in emails):
                    found.append((start, end, PHONE, self.contact_placeholder))
        found.sort()
        if self._words and not staff:
            found = _merge_sorted(found, self._names(text, folded, origin, found, vocabulary))
        return [
            Hidden(*_original_span(text, origin, start, end), kind, replacement)
            for start, end, kind, replacement in found
        ]

    def _known_phone(self, piece: str, _groups: int) -> bool:
        key = phone_key(piece)
        return len(key) >= 6 and key in self._phones

    def _names(
        self,
        text: str,
        folded: str,
        origin: list[int] | None,
        contacts: list[tuple[int, int, str, str]],
        vocabulary: bool = False,
        kept: list[tuple[int, int]] | None = None,
    ) -> list[tuple[int, int, str, str]]:
        words = self._words
        may_name = self._may_name
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
        # [first token, last token, placeholder, anchored, key, every key]
        hits: list[list[Any]] = []
        blocked = iter(contacts)
        block = next(blocked, None)
        named_until = -1
        for i, (start, end, word) in enumerate(tokens):
            if i <= named_until:
                continue  # inside a full name that may be written
            while block is not None and block[1] <= start:
                block = next(blocked, None)
            if block is not None and block[0] < end:
                continue  # inside an e-mail address or a phone number
            if word in may_name and (last_token := _full_name_at(may_name, folded, tokens, i)):
                named_until = last_token
                if kept is not None:
                    kept.append((start, tokens[last_token][1]))
                continue
            found = words.get(word)
            key = word
            if found is None and len(word) > 3 and word[-1] == "s":
                key = word[:-1]
                found = words.get(key)  # "Smiths", "Bobs"
            if found is None and len(word) >= 4 and _joined(text, folded, origin, start, end):
                found = self._split(word)
                key = ""
            if found is None:
                continue
            if vocabulary:  # the trust's word ("White"), unless beside another word of a name
                anchored = key not in ORDINARY_WORDS
            else:
                anchored = (
                    not self.careful
                    or key not in ORDINARY_WORDS
                    or _capitalised(text, origin, start)
                )
            if hits and _one_name(folded, tokens, hits[-1][0], hits[-1][1], i):
                last = hits[-1]
                last[1] = i
                if found == SERVICE_USER_PLACEHOLDER:
                    last[2] = found
                last[3] = last[3] or anchored
                last[5].append(key)
                continue
            if i and _after_saint(folded, tokens, i):
                continue  # "St Andrew's Church Hall": a place
            hits.append([i, i, found, anchored, key, [key]])
        spans: list[tuple[int, int, str, str]] = []
        previous_end = -1
        for hit_first, hit_last, placeholder, anchored, key, keys in hits:
            if not anchored:
                continue
            if hit_last > hit_first:  # the category of whoever could have all its words
                placeholder = self._holders.of(keys, placeholder)
            if (
                hit_first == hit_last
                and key in self._title_surnames
                and _after_title(folded, tokens, hit_first)
            ):
                if kept is not None:  # "Dr Patel": a staff member
                    kept.append((tokens[hit_first - 1][0], tokens[hit_first][1]))
                continue
            first = self._extend_left(text, folded, origin, tokens, hit_first, previous_end)
            end = self._extend_right(text, folded, origin, tokens, hit_last)
            previous_end = end
            spans.append((tokens[first][0], tokens[end][1], NAME, placeholder))
        return spans

    def _split(self, word: str) -> str | None:
        """Two name words run together ("bobsmith", "bobsmiths"): the placeholder, else None."""
        words = self._words
        for cut in range(2, len(word) - 1):
            first = words.get(word[:cut])
            if first is None:
                continue
            rest = word[cut:]
            second = words.get(rest) or (words.get(rest[:-1]) if rest.endswith("s") else None)
            if second is not None:
                return (
                    SERVICE_USER_PLACEHOLDER
                    if SERVICE_USER_PLACEHOLDER in (first, second)
                    else first
                )
        return None

    @staticmethod
    def _extend_left(
        text: str,
        folded: str,
        origin: list[int] | None,
        tokens: list[tuple[int, int, str]],
        first: int,
        stop: int,
    ) -> int:
        """Take in a title, particle or initial written just before a name."""
        while first - 1 > stop:
            start, end, word = tokens[first - 1]
            gap = folded[end : tokens[first][0]]
            if (
                (word in TITLES and _TITLE_GAP.fullmatch(gap))
                or (len(word) > 1 and word in PARTICLES and _PARTICLE_GAP.fullmatch(gap))
                or (
                    len(word) == 1
                    and word.isalpha()
                    and _INITIAL_GAP.fullmatch(gap)
                    and (
                        "'" in gap
                        or "." in gap
                        or (_capitalised(text, origin, start) and word not in ("i", "a"))
                    )
                )
            ):
                first -= 1
            else:
                break
        return first

    @staticmethod
    def _extend_right(
        text: str,
        folded: str,
        origin: list[int] | None,
        tokens: list[tuple[int, int, str]],
        last: int,
    ) -> int:
        """Take in an initial written just after a name ("Bob S.")."""
        if last + 1 >= len(tokens):
            return last
        start, end, word = tokens[last + 1]
        gap = folded[tokens[last][1] : start]
        if (
            len(word) == 1
            and word.isalpha()
            and gap.isspace()
            and folded[end : end + 1] == "."
            and _capitalised(text, origin, start)
        ):
            return last + 1
        return last


def _one_name(
    folded: str, tokens: list[tuple[int, int, str]], first: int, previous: int, i: int
) -> bool:
    """Whether the name words at tokens ``previous`` (of a name begun at ``first``) and ``i``
    are one name: next to each other ("Bob Smith", "Bob-Smith"), with only particles and
    initials between ("Zoë O'Neill", "Bob J. Smith", "Ludwig van der Berg"), or "Smith, Bob"
    (a comma joins two words only, not a list: "Zoë, Jones, Priya" stays three)."""
    if i - previous > 4:
        return False
    for k in range(previous + 1, i + 1):
        gap = folded[tokens[k - 1][1] : tokens[k][0]]
        if not (_MERGE_GAP.fullmatch(gap) or _BRIDGE_GAP.fullmatch(gap)):
            return False
        if "," in gap:
            after = folded[tokens[i][1] : tokens[i + 1][0]] if i + 1 < len(tokens) else ""
            if first != previous or k != i or "," in after:
                return False
        if k < i:
            word = tokens[k][2]
            if not (word in PARTICLES or (len(word) == 1 and word.isalpha())):
                return False
    return True


def _after_saint(folded: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    """Whether token ``i`` is written straight after "St", "St." or "Saint" (a place: "St
    Andrew's Church Hall"); the same pattern as ``looks_like_names``."""
    start, _end, word = tokens[i - 1]
    return word in ("st", "saint") and _SAINT.search(folded, start, tokens[i][0]) is not None


def _after_title(folded: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    """Whether token ``i`` is written straight after a title ("Dr Patel", "Mrs. Sharma")."""
    return (
        i > 0
        and tokens[i - 1][2] in TITLES
        and _TITLE_GAP.fullmatch(folded[tokens[i - 1][1] : tokens[i][0]]) is not None
    )


def _next_word_of_name(folded: str, tokens: list[tuple[int, int, str]], k: int) -> int | None:
    """The next token after ``k`` that may be a word of the same name, only particles and
    initials between (as ``_one_name`` joins them, without a comma), else None."""
    for n in range(k + 1, min(len(tokens), k + 5)):
        gap = folded[tokens[n - 1][1] : tokens[n][0]]
        if "," in gap or not (_MERGE_GAP.fullmatch(gap) or _BRIDGE_GAP.fullmatch(gap)):
            return None
        word = tokens[n][2]
        if not (word in PARTICLES or (len(word) == 1 and word.isalpha())):
            return n
    return None


def _full_name_at(
    may_name: dict[str, set[tuple[str, ...]]],
    folded: str,
    tokens: list[tuple[int, int, str]],
    i: int,
) -> int | None:
    """The last token of a full name that may be written begun at token ``i`` ("Ellie
    Woodhouse", "ellie woodhouse's", "Ellie Woodhouses", "Ludwig van der Berg"), else None."""
    best: int | None = None
    for form in may_name[tokens[i][2]]:
        k: int | None = i
        for position, wanted in enumerate(form[1:], 2):
            k = _next_word_of_name(folded, tokens, k) if k is not None else None
            if k is None:
                break
            word = tokens[k][2]
            if word != wanted and not (position == len(form) and word == wanted + "s"):
                k = None
                break
        if k is not None and (best is None or k > best):
            best = k
    return best


class _Theirs:
    """The words of one protected person's name and "also known as": the full names that may be
    written they could be read as, and the words that may be their surname."""

    def __init__(self, own: list[str], other: list[str]) -> None:
        self.words = {*own, *other}
        self.surnames = {*own[-1:], *other}

    def forbid(self, may_name: dict[str, set[tuple[str, ...]]]) -> None:
        """Ambiguity hides: drop each full name whose first and last words are both theirs."""
        for first in self.words & may_name.keys():
            forms = may_name[first]
            forms.difference_update([form for form in forms if form[-1] in self.words])
            if not forms:
                del may_name[first]


def _may_be_named(
    people: list[tuple[str, str, str]],
    allowed: Iterable[str],
    staff: Iterable[str],
    hidden_words: Collection[str],
) -> tuple[dict[str, set[tuple[str, ...]]], set[str]]:
    """The full names that may be written (first word -> each name's words, and its first and
    last words alone) and the staff surnames a title may go before, less whatever a protected
    person of ``people`` (whose words are ``hidden_words``) could be called. Their names are
    read again only when a word of those is one of theirs."""
    may_name: dict[str, set[tuple[str, ...]]] = {}
    for found in names_words([name or "" for name in allowed]):
        if len(found) > 1:
            may_name.setdefault(found[0], set()).update({tuple(found), (found[0], found[-1])})
    surnames = {found[-1] for found in names_words([n or "" for n in staff]) if len(found) > 1}
    wanted = {word for forms in may_name.values() for form in forms for word in form}
    wanted = {word for word in wanted | surnames if word in hidden_words}
    if wanted:
        own = names_words([name or "" for name, _aka, _p in people])
        other = names_words([aka or "" for _name, aka, _p in people])
        for words_of_name, words_of_aka in zip(own, other, strict=True):
            if wanted.isdisjoint(words_of_name) and wanted.isdisjoint(words_of_aka):
                continue
            theirs = _Theirs(words_of_name, words_of_aka)
            theirs.forbid(may_name)
            surnames -= theirs.surnames
    return may_name, surnames


def _joined(text: str, folded: str, origin: list[int] | None, start: int, end: int) -> bool:
    """Whether a word may be two names run together: after # or @, or with a capital inside."""
    if start > 0 and folded[start - 1] in "#@":
        return True
    if origin is None:
        inside = text[start + 1 : end]
    else:
        inside = text[origin[start] + 1 : origin[end - 1] + 1]
    return inside != inside.lower()


def _capitalised(text: str, origin: list[int] | None, start: int) -> bool:
    index = start if origin is None else origin[start]
    return text[index].isupper()


def _original_span(text: str, origin: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if origin is None:
        return start, end
    first, last = origin[start], origin[end - 1] + 1
    # Keep combining marks and invisible characters that belonged to the last letter with it.
    while last < len(text) and (unicodedata.combining(text[last]) or not _FOLD[ord(text[last])]):
        if text[last].isspace():
            break
        last += 1
    return first, last


def _merge_sorted(
    contacts: list[tuple[int, int, str, str]], names: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    return sorted([*contacts, *names])


def apply(text: str, hidden: Iterable[Hidden]) -> str:
    """``text`` with each of ``hidden`` (in order, not overlapping) replaced."""
    pieces: list[str] = []
    last = 0
    for item in hidden:
        if item.start < last:
            continue
        pieces.append(text[last : item.start])
        pieces.append(item.replacement)
        last = item.end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


# --- Who is hidden ----------------------------------------------------------------------------


def protected_people(session: Reader, *, for_minutes: bool = False) -> list[tuple[str, str, str]]:
    """``(name, also known as, placeholder)`` of every service user and carer who is not
    anonymised; with ``for_minutes``, only those who have not agreed to be named in minutes.
    A staff member who shares a word of a name with a service user is hidden too where that word
    is written alone: privacy wins (``redactor_for`` lets staff names be written in full).

    On a trust server the names come from ``involvement_protected_people`` (migration 0005):
    the redactor must hide every service user's and carer's name, trust-wide, while the
    signed-in login may read only its own localities' people, or no names at all (the
    engagement group); the function gives these three columns and nothing else
    (docs/engineering-notes.md#access-on-a-trust-server)."""
    if _dialect(session) == "postgresql":
        rows = session.execute(
            text("SELECT name, also_known_as, category FROM involvement_protected_people(:m)"),
            {"m": for_minutes},
        )
        return [
            (name or "", aka or "", CATEGORY_PLACEHOLDERS[Category(category)])
            for name, aka, category in rows
        ]
    people = schema.participants.c
    # The category as stored (its value), mapped by a dict: 46,000 people at 16x the large demo
    # were read row by row through the enum type and made into Category members one by one.
    stmt = select(people.name, people.also_known_as, type_coerce(people.category, String)).where(
        people.category.in_(tuple(CATEGORY_PLACEHOLDERS)), people.anonymised_at.is_(None)
    )
    if for_minutes:
        stmt = stmt.where(people.name_in_minutes.is_(False))
    placeholders = {category.value: words for category, words in CATEGORY_PLACEHOLDERS.items()}
    found = session.execute(stmt).all()
    # The same name twice (two people, or one person in two localities' records) is one entry.
    return list(
        dict.fromkeys(
            (name or "", aka or "", placeholders[category]) for name, aka, category in found
        )
    )


def _dialect(session: Reader) -> str:
    """The dialect's name of a Core connection or an ORM session."""
    dialect = getattr(session, "dialect", None)
    if dialect is None:
        dialect = session.get_bind().dialect  # type: ignore[union-attr]
    return str(dialect.name)


def named_people(session: Reader, protected: list[tuple[str, str, str]]) -> list[str]:
    """The names of the participants who agreed to be named in minutes (not anonymised), given
    the printouts' ``protected`` people (``protected_people(..., for_minutes=True)``).

    On a trust server a login may not read every participant's name, so there they are the
    service users and carers ``involvement_protected_people`` gives for the return and not for
    the printouts (a name given by both, two people of one name, is not among them)."""
    if _dialect(session) == "postgresql":
        hidden = set(protected)
        return [name for name, aka, p in protected_people(session) if (name, aka, p) not in hidden]
    people = schema.participants.c
    stmt = select(people.name).where(
        people.name_in_minutes.is_(True), people.anonymised_at.is_(None)
    )
    return list(dict.fromkeys(name or "" for name in session.scalars(stmt)))


def staff_names(session: Reader) -> list[str]:
    """The name of every staff member on the staff list (``core/staff.py``), set aside or not."""
    return list(dict.fromkeys(session.scalars(select(schema.staff.c.name))))


def redactor_for(session: Reader, *, for_minutes: bool = False) -> Redactor:
    """THE redactor of an export or printout: build it once per document, call it on every
    piece of free text. ``for_minutes``: the printouts' rule (people who agreed to be named in
    minutes are not hidden, and their full names may be written); otherwise the return's
    (every service user and carer). Staff on the staff list may be named in full everywhere."""
    protected = protected_people(session, for_minutes=for_minutes)
    named = named_people(session, protected) if for_minutes else []
    return Redactor(protected, named=named, staff=staff_names(session))


def redactor_of(db: Database, *, for_minutes: bool = False) -> Redactor:
    """``redactor_for`` in a short read of its own, for a page that prints or copies (the UI
    holds no session)."""
    with db.reading() as conn:
        return redactor_for(conn, for_minutes=for_minutes)


def person_matcher(
    name: str,
    also_known_as: str = "",
    contacts: Iterable[str] = (),
    placeholder: str = SERVICE_USER_PLACEHOLDER,
    *,
    careful: bool = False,
) -> Redactor:
    """The redactor for one person: their name's words, their "also known as" and their own
    e-mail address and phone number (in any spelling) only. Subject access finds their
    mentions with it; anonymising (``careful``) replaces them."""
    return Redactor(
        [(name, also_known_as, placeholder)],
        every_contact=False,
        contacts=contacts,
        careful=careful,
    )


# --- What still looks like a name (the privacy review, consolidation) -------------------------


@dataclass(frozen=True)
class Flag:
    """Something in a text that looks like it names someone: ``text[start:end]``, and why."""

    start: int
    end: int
    reason: str


_NAME_WORD = r"([A-Z][^\W\d_]*(?:['\u2019\-][A-Za-z][^\W\d_]*)*)"
_AFTER_VERB = re.compile(r"\b(said|told)\s+(?:to\s+|that\s+)?" + _NAME_WORD)
_AFTER_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\b\.?\s+" + _NAME_WORD)
_LETTERS = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
#: Capitalised words that follow "said" or "told" without being names.
_NOT_NAMES = words(
    "i the a an we they he she it you that this there then yes no our my their his her "
    "everyone someone somebody everybody staff nothing all some most many one two it's "
    "service carer carers members people"
)
#: Words after a first name that make it a place ("Florence Ward", "Oliver House").
_PLACE_WORDS = words(
    "ward wards house unit centre center court lodge clinic hospital team street road suite "
    "wing building hall school surgery practice place close way avenue drive gardens park "
    "room rooms trust"
)


def looks_like_names(text: str) -> list[Flag]:
    """What in ``text`` still looks like it names someone: a capitalised word after "said",
    "told", "Mr", "Mrs", "Ms", "Miss", "Mx" or "Dr", and a common first name written with a
    capital (``name_words.GIVEN_NAMES``, not one that is also an ordinary word, and not a
    place such as "Florence Ward" or "St Anne's"). Placeholders in square brackets are never
    flagged. In order, not overlapping."""
    if not text:
        return []
    flags: list[Flag] = []
    for pattern in (_AFTER_VERB, _AFTER_TITLE):
        for m in pattern.finditer(text):
            word = m.group(2)
            if fold(word) in _NOT_NAMES:
                continue
            flags.append(Flag(m.start(2), m.end(2), f'a capitalised word after "{m.group(1)}"'))
    for m in _LETTERS.finditer(text):
        word = m.group()
        if not word[0].isupper() or fold(word).split("'")[0] not in GIVEN_NAMES:
            continue
        before = text[max(0, m.start() - 7) : m.start()]
        after = _LETTERS.search(text, m.end())
        if _SAINT.search(before):
            continue
        if (
            after is not None
            and not text[m.end() : after.start()].strip()
            and fold(after.group()) in _PLACE_WORDS
        ):
            continue
        flags.append(Flag(m.start(), m.end(), "a first name"))
    flags.sort(key=lambda f: (f.start, -f.end))
    kept: list[Flag] = []
    for flag in flags:
        if kept and flag.start < kept[-1].end:
            continue
        kept.append(flag)
    return kept


def contact_flags(text: str) -> list[Flag]:
    """Every e-mail address and phone number pattern in ``text`` (what ``Redactor`` with
    ``every_contact`` hides), as flags: consolidation refuses a cell holding one."""
    return [
        Flag(h.start, h.end, "an e-mail address" if h.kind == EMAIL else "a phone number")
        for h in Redactor().hidden(text)
    ]


__all__ = [
    "CATEGORY_PLACEHOLDERS",
    "CONTACT_PLACEHOLDER",
    "Flag",
    "Hidden",
    "Piece",
    "Redact",
    "Redactor",
    "apply",
    "contact_flags",
    "fold",
    "looks_like_names",
    "looks_like_phone",
    "name_words",
    "named_people",
    "person_matcher",
    "phone_key",
    "protected_people",
    "redactor_for",
    "redactor_of",
    "staff_names",
]
