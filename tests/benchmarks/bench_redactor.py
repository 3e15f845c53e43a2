"""The redactor's cost against the number of people it hides (issue "Private by construction").

    python tests/benchmarks/bench_redactor.py [--runs N]

Goal: the cost of redacting a document does not grow with the number of people. 1x is the
service users and carers of the large demo data (read from the cached demo database,
``common.large_database``); 2x, 4x, 8x and 16x add people made up here, each with a first name
of the demo and a surname of their own (new words, so the redactor's index really grows). The
text is a fixed corpus of about 200,000 characters (the large demo's experience summaries and
action titles of one locality's year, and the privacy corpus of ``tests/core``), the same for
every size.

Measured in one process, alternating with the baseline: for each size, ``Redactor(people)``
(building its word index: grows with the people, once per export) and ``redactor(text)`` on
every piece (the part that must stay flat), median of ``--runs``. The baseline is the least any
word-by-word scan does to the same pieces: case-fold each and split it into words. Reported:
milliseconds, and the ratio redaction / baseline per size (median of the pairs' ratios).
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "core"))

from common import large_database  # noqa: E402

from coordinator_app.core.demo import _FIRST_NAMES  # noqa: E402
from coordinator_app.core.privacy import CATEGORY_PLACEHOLDERS, Redactor  # noqa: E402
from coordinator_app.core.vocab import Category  # noqa: E402

_WORD = re.compile(r"[^\W_]+")
_SYLLABLES = tuple(
    [
        "ab",
        "ber",
        "ca",
        "dor",
        "el",
        "fen",
        "gar",
        "hol",
        "ist",
        "jon",
        "kel",
        "lor",
        "man",
        "nor",
        "ost",
        "pen",
        "quin",
        "ros",
        "sel",
        "tan",
        "ul",
        "ven",
        "wick",
        "yar",
    ]
)


def demo_people(db: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT name, also_known_as, category FROM participants "
            "WHERE category IN ('service_user', 'carer') AND anonymised_at IS NULL"
        ).fetchall()
    return [(n, a or "", CATEGORY_PLACEHOLDERS[Category(c)]) for n, a, c in rows]


def made_up_people(count: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    people = []
    while len(people) < count:
        surname = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        if surname in seen:
            continue
        seen.add(surname)
        people.append(
            (f"{rng.choice(_FIRST_NAMES)} {surname}", "", CATEGORY_PLACEHOLDERS[Category.CARER])
        )
    return people


def corpus(db: Path) -> list[str]:
    """The pieces every size redacts: a year of one locality's summaries and action titles,
    and the privacy corpus, about 200,000 characters."""
    from privacy_corpus import CORPUS  # tests/core, on the path above

    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        pieces = [
            r[0]
            for r in conn.execute(
                "SELECT e.summary FROM experience_items e JOIN localities l "
                "ON l.id = e.locality_id WHERE l.name = 'Rugby' ORDER BY e.received_on DESC"
            )
        ]
        pieces += [
            r[0]
            for r in conn.execute(
                "SELECT a.title FROM actions a JOIN localities l ON l.id = a.locality_id "
                "WHERE l.name = 'Rugby' ORDER BY a.raised_on DESC"
            )
        ]
    texts: list[str] = []
    size = 0
    for piece in [text for _form, text in CORPUS] + pieces:
        texts.append(piece)
        size += len(piece)
        if size >= 200_000:
            break
    return texts


def baseline(texts: list[str]) -> int:
    return sum(len(_WORD.findall(t.casefold())) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    db = large_database()
    base = demo_people(db)
    texts = corpus(db)
    chars = sum(len(t) for t in texts)
    print(f"1x = {len(base):,} service users and carers of the large demo; "
          f"{len(texts):,} pieces of text, {chars:,} characters")  # fmt: skip
    print(f"{'people':>10} {'words':>8} {'build ms':>9} {'redact ms':>10} {'base ms':>8} "
          f"{'ratio':>6}")  # fmt: skip
    first_ratio = None
    for factor in (1, 2, 4, 8, 16):
        people = base + made_up_people(len(base) * (factor - 1), seed=factor)
        builds, redacts, bases, ratios = [], [], [], []
        redactor = Redactor(people)
        for redact in redactor, redactor:  # warm up both
            [redact(t) for t in texts]
        baseline(texts)
        for _ in range(args.runs):
            started = time.perf_counter()
            redactor = Redactor(people)
            builds.append(time.perf_counter() - started)
            started = time.perf_counter()
            for text in texts:
                redactor(text)
            took = time.perf_counter() - started
            started = time.perf_counter()
            baseline(texts)
            floor = time.perf_counter() - started
            redacts.append(took)
            bases.append(floor)
            ratios.append(took / floor)
        ratio = statistics.median(ratios)
        first_ratio = first_ratio or ratio
        print(
            f"{len(people):>10,} {len(redactor.words):>8,} "
            f"{statistics.median(builds) * 1000:>9.0f} {statistics.median(redacts) * 1000:>10.1f} "
            f"{statistics.median(bases) * 1000:>8.1f} {ratio:>5.2f}x"
        )
    print(f"redaction / baseline at 16x over 1x: {ratio / first_ratio:.2f} (1.00 = flat)")


if __name__ == "__main__":
    main()
