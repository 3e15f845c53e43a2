"""``text.unaccent``: accents removed character by character, the same as decomposing the whole
string first (search and privacy both rely on it)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from coordinator_app.core.text import unaccent


def whole_string(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Zoë", "Zoe"),
        ("Siân Ó Briain", "Sian O Briain"),
        ("a\u0308", "a"),  # a letter and a separate combining mark
        ("Łukasz Øster", "Łukasz Øster"),  # letters with no decomposition stay
        ("ﬁ Ⅳ", "fi IV"),  # compatibility forms
        ("plain ASCII 'text'", "plain ASCII 'text'"),
        ("", ""),
    ],
)
def test_unaccent(text: str, plain: str) -> None:
    assert unaccent(text) == plain


def test_unaccent_equals_decomposing_the_whole_string() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + [
        "\u0301", "\u0308", "\u0327", "\u1e9e", "\u2019", "\ufb01", "\u2163", "\uac00", "\u1100",
    ]  # fmt: skip
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert unaccent(text) == whole_string(text), repr(text)
