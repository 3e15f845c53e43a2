"""Which rows hold a word, without reading every row's text per keystroke: a letter-pair index.

With "All localities" chosen on a trust-wide database (288,000 actions), a filter's first letters
match most rows, and looking for a word in that many texts takes 20-38 ms however it is done in
Python (``table.matching_rows``: ``str.__contains__`` over 29 MB of folded text; a two-letter
word must be looked for in every byte). ``TextIndex`` is built once per load, off the GUI
thread: for every byte and every pair of adjacent bytes of the texts (UTF-8), the set of rows
holding it, kept as a bitmap (one bit per row, numpy; 630 pairs and 60 letters: ~25 MB at
288,000 rows), and the texts themselves as one array of bytes (29 MB). A word of one or two
bytes is then one bitmap (exact, under 1 ms: the rows come back as a numpy array, ``found``,
never as a Python int per row). A longer word is found where it starts in the bytes: where its
first three bytes are (three comparisons over the array, ~8 ms), with the row of each place,
then, a byte at a time, which of those places go on with the next byte; the places of the words
asked for (and of their beginnings) are kept, so typing a letter more or deleting one only looks
at them (~1-2 ms). Before, the rows holding every pair were read with ``str.__contains__`` (15-23
ms for "car", "care" and "carer"). Pitfalls:
- Built over UTF-8 bytes: a word's bytes are found only at the start of a character, so byte
  pairs give the same answer as characters (no case or accent here: the texts and words are
  already ``table.fold``-ed).
- Words never hold white space (``str.split``), so a pair across two rows' texts (joined by a
  newline) is never asked for.
- Rows are numbered in the order the index was built (``keys``, ``id`` of each row); the filter
  maps them to the source's row numbers after a sort (``rows``' ``order``).
- numpy is imported here, on the worker thread that builds the index, never at start-up (it is
  shipped for Home's charts: pyqtgraph).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, pairwise, repeat
from operator import contains
from typing import Any

#: Rows per slice while building (a slice's bytes-by-rows table stays a few MB).
_SLICE = 8192
#: Bytes compared at a time when looking for a pair of bytes in the texts. Pitfall: comparing
#: the whole 29 MB at once makes two 29 MB arrays per keystroke, and a machine short of memory
#: then takes 50-150 ms (fresh pages) where two reused 1 MB arrays take ~11 ms.
_BLOCK = 1 << 20
#: A longer word is read in the texts of the rows that may hold it (~0.2 µs a row) when there
#: are at most this many, rather than found in all the bytes (~8 ms whatever the rows).
#: Tried: listing a two-byte word's places at its own keystroke, so that the letter typed next
#: only narrows them: "ca" (184,000 places) then took as long as finding "car" in the bytes.
_FEW = 40_000
#: ``_block_rows``' blocks are of ``1 << _SHIFT`` bytes.
_SHIFT = 6


class TextIndex:
    """Bitmaps of the rows holding each byte and each pair of bytes of ``texts``."""

    def __init__(self, keys: Sequence[int], texts: Sequence[str]) -> None:
        import numpy as np

        self._np = np
        count = len(texts)
        self.size = count
        self.keys = list(keys)
        self._where = dict(zip(self.keys, range(count), strict=True))
        #: Rows replaced since the index was built (``replace``): their text now.
        self._edited: dict[int, str] = {}
        #: Where words asked for start in ``_data`` and the row of each place (two arrays):
        #: the words last asked for and the beginnings of them asked for before (typing on
        #: narrows them, deleting a letter finds them again).
        self._places: dict[bytes, tuple[Any, Any]] = {}
        encoded = list(map(str.encode, texts))
        data = np.frombuffer(b"\n".join(encoded) + b"\n", dtype=np.uint8)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=count) + 1
        ends = np.cumsum(lengths)
        starts = ends - lengths
        self._data, self._ends = data, ends
        #: The row holding the first byte of each block of ``1 << _SHIFT`` bytes: a place's row
        #: is found from it in a step or two (``_rows_at``) rather than by a binary search.
        self._block_rows = np.searchsorted(
            ends, np.arange(0, len(data), 1 << _SHIFT), side="right"
        ).astype(np.int32)
        slices = [(lo, min(count, lo + _SLICE)) for lo in range(0, count, _SLICE)]

        def pairs_of(lo: int, hi: int) -> Any:
            """The pairs starting in rows ``lo``..``hi - 1`` (each text's last byte paired with
            the newline after it, so every byte of a text starts one of its pairs)."""
            chunk = data[starts[lo] : ends[hi - 1]]
            return (chunk[:-1].astype(np.uint16) << 8) | chunk[1:]

        seen = np.zeros(65536, dtype=bool)
        for lo, hi in slices:
            seen |= np.bincount(pairs_of(lo, hi), minlength=65536) > 0
        self._slot2 = np.full(65536, -1, dtype=np.int64)
        self._slot2[seen] = np.arange(int(seen.sum()))
        width = (count + 7) // 8
        self._bits2 = np.zeros((int(seen.sum()), width), dtype=np.uint8)
        for lo, hi in slices:
            # One flat bool table per slice (pairs by rows), set in one scatter, then packed.
            size = hi - lo
            rows = np.repeat(np.arange(size), lengths[lo:hi])[:-1]
            table = np.zeros(len(self._bits2) * size, dtype=bool)
            table[self._slot2[pairs_of(lo, hi)] * size + rows] = True
            packed = np.packbits(table.reshape(-1, size), axis=1, bitorder="little")
            self._bits2[:, lo // 8 : (hi + 7) // 8] = packed
        # A byte's rows: those of every pair it starts.
        firsts = seen.reshape(256, 256)
        present = np.flatnonzero(firsts.any(axis=1))
        self._slot1 = np.full(256, -1, dtype=np.int64)
        self._slot1[present] = np.arange(len(present))
        self._bits1 = np.zeros((len(present), width), dtype=np.uint8)
        for slot, byte in enumerate(present):
            codes = (int(byte) << 8) | np.flatnonzero(firsts[byte])
            np.bitwise_or.reduce(self._bits2[self._slot2[codes]], axis=0, out=self._bits1[slot])

    # --- asking -----------------------------------------------------------------------------

    def order(self, keys: list[int]) -> Any:
        """For ``rows``: the index's row of each of ``keys`` (the rows' ``id`` in the source's
        order), or None when they are in the index's own order; False when some row is not here
        (the index is then of other rows)."""
        if keys == self.keys:
            return None
        if len(keys) != self.size:
            return False
        where = self._where.get
        found = list(map(where, keys))
        if None in found:
            return False
        return self._np.array(found, dtype=self._np.int64)

    def _bitmap(self, word: bytes) -> Any:
        """The rows that may hold ``word`` (exactly those when it is one or two bytes), packed;
        None when no row does."""
        if len(word) == 1:
            slots = self._slot1[[word[0]]]
            bits = self._bits1
        else:
            codes = [(a << 8) | b for a, b in pairwise(word)]
            slots = self._slot2[codes]
            bits = self._bits2
        if (slots < 0).any():
            return None
        found = bits[slots[0]].copy()
        for slot in slots[1:]:
            found &= bits[slot]
        return found

    def rows(self, words: list[str], texts: list[str], order: Any = None) -> list[int]:
        """The row numbers (ascending) whose text in ``texts`` (by row number) holds every one
        of ``words``. ``order[n]`` is the index's row of row number ``n`` (None: the same)."""
        return self.found(words, texts, order).tolist()  # type: ignore[no-any-return]

    def found(self, words: list[str], texts: list[str], order: Any = None) -> Any:
        """As ``rows``, as a numpy array (int64): a keystroke matching 280,000 rows makes no
        Python int per row (``tolist`` and freeing the list again took 3-5 ms)."""
        np = self._np
        found: Any = None
        longer = []
        for word in words:
            encoded = word.encode()
            bitmap = self._bitmap(encoded)
            if bitmap is None:
                return np.zeros(0, dtype=np.int64)
            found = bitmap if found is None else found & bitmap
            if len(encoded) > 2:
                longer.append(encoded)
        if found is None:
            return np.arange(len(texts), dtype=np.int64)
        held = np.unpackbits(found, count=self.size, bitorder="little").view(bool)
        places: dict[bytes, tuple[Any, Any]] = {}
        unread = []
        # The words going on from one asked for last first (a byte or so to look at), then
        # the others: found in the bytes while many rows may hold them, else read in the texts
        # of the few that may (after the others have made them fewer).
        longer.sort(key=lambda w: not any(w.startswith(k) for k in self._places))
        for encoded in longer:
            known = any(encoded.startswith(k) for k in self._places)
            if not known and np.count_nonzero(held) <= _FEW:
                unread.append(encoded.decode())
                continue
            places[encoded] = self._places_of(encoded)
            held &= self._holding(encoded, places[encoded][1])
        # Kept: the words asked for now and the beginnings of them asked for before.
        for before, found_at in self._places.items():
            if before not in places and any(w.startswith(before) for w in places):
                places[before] = found_at
        self._places = places
        if order is not None:
            held = held[order]
        result = np.flatnonzero(held)
        for word in unread:
            has = map(contains, map(texts.__getitem__, result.tolist()), repeat(word))
            result = np.fromiter(compress(result, has), dtype=np.int64)
        return result

    def _holding(self, word: bytes, rows: Any) -> Any:
        """A row mask: the ``rows`` (where ``word`` was found in the bytes), an edited row
        by its text now (the bytes are of the text before)."""
        np = self._np
        mask = np.zeros(self.size, dtype=bool)
        mask[rows] = True
        for row, text in self._edited.items():
            mask[row] = word.decode() in text
        return mask

    def _places_of(self, word: bytes) -> tuple[Any, Any]:
        """Where ``word`` (three bytes or more) starts in the texts' bytes and the row of each
        place: from those of the longest word asked for that it goes on from, else from every
        place of its first three bytes."""
        data = self._data
        start = max((w for w in self._places if word.startswith(w)), key=len, default=b"")
        if start:
            at, rows = self._places[start]
        else:
            start = word[:3]
            at = self._start_places(start)
            rows = self._rows_at(at)
        for offset in range(len(start), len(word)):
            keep = at + offset < len(data)
            at, rows = at[keep], rows[keep]
            keep = data[at + offset] == word[offset]
            at, rows = at[keep], rows[keep]
        return at, rows

    def _rows_at(self, at: Any) -> Any:
        """The row holding each byte ``at`` (ascending or not): the row of its block, then
        the rows after it while the byte is past their end (``np.searchsorted`` over the rows'
        ends took ~3 ms for 100,000 places)."""
        np = self._np
        ends = self._ends
        rows = self._block_rows[at >> _SHIFT].astype(np.int64)
        for _step in range(8):
            past = ends[rows] <= at
            if not past.any():
                return rows
            rows += past
        return np.searchsorted(ends, at, side="right")  # many short texts in one block

    def _start_places(self, start: bytes) -> Any:
        """Where the bytes ``start`` (two or three) are side by side in the texts, ascending:
        each byte compared with its place in a block at a time, into the same arrays. Three
        bytes at once: finding the places of the first two and then keeping those followed by
        the third took twice as long (there are many more of them to list)."""
        np = self._np
        data = self._data
        last = len(data) - len(start) + 1  # the word starts before here
        if last <= 0:
            return np.zeros(0, dtype=np.int64)
        hits = np.empty(min(_BLOCK, last), dtype=bool)
        byte = np.empty_like(hits)
        found = []
        for lo in range(0, last, _BLOCK):
            size = min(_BLOCK, last - lo)
            into, each = hits[:size], byte[:size]
            np.equal(data[lo : lo + size], start[0], out=into)
            for offset in range(1, len(start)):
                np.equal(data[lo + offset : lo + offset + size], start[offset], out=each)
                np.logical_and(into, each, out=into)
            found.append(np.flatnonzero(into) + lo)
        return np.concatenate(found)

    # --- keeping up -------------------------------------------------------------------------

    def replace(self, old_key: int, new_key: int, text: str) -> bool:
        """Row ``old_key`` now reads ``text`` and is ``new_key`` (an edited row re-read); False
        when ``old_key`` is not here."""
        row = self._where.pop(old_key, None)
        if row is None:
            return False
        np = self._np
        self._edited[row] = text
        self.keys[row] = new_key
        self._where[new_key] = row
        byte, bit = row >> 3, np.uint8(1 << (row & 7))
        self._bits1[:, byte] &= ~bit
        self._bits2[:, byte] &= ~bit
        encoded = text.encode()
        for code in set(encoded):
            self._bits1, self._slot1 = self._set(self._bits1, self._slot1, code, byte, bit)
        for code in {(a << 8) | b for a, b in pairwise(encoded)}:
            self._bits2, self._slot2 = self._set(self._bits2, self._slot2, code, byte, bit)
        return True

    def _set(self, bits: Any, slots: Any, code: int, byte: int, bit: Any) -> tuple[Any, Any]:
        np = self._np
        if slots[code] < 0:  # a byte or pair no row had: a new bitmap
            slots[code] = len(bits)
            bits = np.vstack([bits, np.zeros((1, bits.shape[1]), dtype=np.uint8)])
        bits[slots[code], byte] |= bit
        return bits, slots
