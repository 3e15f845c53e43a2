"""The private helpers the import's steps share: the types of the ``progress`` and
``cancelled`` callbacks, the size of a chunk of rows, the check for a cancel, and how names are
matched (any case, spaces collapsed).
"""

from __future__ import annotations

from collections.abc import Callable

from .rows import ImportCancelled

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_CHUNK = 500


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled()


def _fold(text: str) -> str:
    """Names and words matched "any case, spaces collapsed" (accents are kept: Zoe is not Zoë)."""
    return " ".join(text.split()).casefold()
