"""The monthly return against a bare openpyxl script, side by side (whole processes).

    python tests/benchmarks/bench_return.py [--runs N]

Goal (issue 6): `export-return` on the large demo data takes at most 1.2 x a bare script that
imports SQLAlchemy's ORM and openpyxl and saves six small sheets.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BARE_RETURN, large_database, side_by_side


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = large_database()
    with tempfile.TemporaryDirectory() as tmp:
        out_app = os.path.join(tmp, "return.xlsx")
        out_bare = os.path.join(tmp, "bare.xlsx")
        app = [
            sys.executable,
            "-m",
            "coordinator_app",
            "--db",
            str(db),
            "export-return",
            "--locality",
            "Rugby",
            "--month",
            "2026-10",
            "-o",
            out_app,
        ]
        bare = [sys.executable, "-c", BARE_RETURN, out_bare]
        t_app, t_bare, ratio = side_by_side(app, bare, runs=args.runs)
    print(f"{'measure':44} {'figure':>12}  goal")
    print(f"{'export-return, large demo (median)':44} {t_app * 1000:9.0f} ms")
    print(f"{'bare ORM + openpyxl, six sheets (median)':44} {t_bare * 1000:9.0f} ms")
    print(f"{'ratio return / bare (median of pairs)':44} {ratio:11.2f}x  <= 1.2x")


if __name__ == "__main__":
    main()
