"""The command ``consolidate`` (docs/command-line.md#consolidate): localities' monthly returns
into one workbook for the engagement group, with the Board report (``--report``) and, with
``--keep``, kept in the group's database between months
(docs/monthly-return.md#kept-between-months). Kept apart from ``cli.py`` (its size);
``cli.build_parser`` calls ``add_command``.

Without ``--keep`` it opens no database (``--db`` is then not used). The files to write (the
workbook, the report) are checked first (``consolidate.check_targets``: their folders there,
neither read-only, not the same file), so a refusal there creates and writes nothing and says
so. With ``--keep`` the database is then opened for writing (taking the lock, like every
command that writes) before any file is written, so a database that cannot be opened writes
nothing; a file that is not there yet is created, as ``import`` and ``demo`` create theirs: the
group's first ``--keep`` starts its database. Its returns are checked before it is started, so
a refused return starts none. The workbook and the report are written first and the returns
kept last, in one transaction (keeping the same returns again changes nothing, so running the
command again after a failure is safe). "Started the group's database at PATH." is said on the
first run that keeps into it: also when an earlier run started it and then failed (the report
could not be typeset or written) and left it empty. Such a file is not removed: between the
look for it and the lock, another process may have made it, and a file that may be someone's
database is never deleted on a failure path.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import Any

EXIT_OK = 0


def add_command(commands: Any, db_after: argparse.ArgumentParser) -> None:
    """Add ``consolidate`` to the sub-command parsers ``commands``."""
    merge = commands.add_parser(
        "consolidate",
        parents=[db_after],
        help="merge localities' monthly returns into one workbook for the engagement group",
        description="Check every return, then merge them into one workbook. If any return is "
        "malformed or holds what a return cannot hold (a formula, an impossible count, a sum "
        "that disagrees, a contact detail or a name), each problem is named by file, sheet and "
        "cell and nothing is written. Of two returns of one locality and month the one "
        "generated later is used and the other set aside, said on a line of its own. It opens "
        "no database unless --keep is given.",
    )
    merge.add_argument("returns", nargs="+", metavar="RETURN.xlsx", help="the returns to merge")
    merge.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="where to write")
    merge.add_argument(
        "--report",
        metavar="FILE.pdf",
        help="also write the Board report: an accessible PDF with the trust's totals, the "
        "measures by locality with charts, the exceptions and accreditation across localities",
    )
    merge.add_argument(
        "--keep",
        action="store_true",
        help="also keep the returns in the database (--db; started if it is not there yet), so "
        "the trust's picture builds up month by month; the Board report is then of the kept "
        "returns with these",
    )
    merge.set_defaults(handler=_cmd_consolidate)


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from .cli import _collect_as_usual
    from .core.consolidate import check_returns, check_targets, consolidate

    _collect_as_usual()
    paths = [Path(p) for p in args.returns]
    targets = [args.output] if args.report is None else [args.output, args.report]
    check_targets(*targets)  # before anything is created or written
    db = None
    started: Path | None = None  # a database file no run has kept into yet: said when kept
    if args.keep:
        from .core.db import open_database, resolve_url, sqlite_path
        from .core.kept_returns import holds_nothing

        path = sqlite_path(resolve_url(args.db))
        if path is not None and not path.exists():
            check_returns(paths)  # a refused return starts no database
        db = open_database(args.db)
    try:
        if db is not None and path is not None and holds_nothing(db):
            started = path
        report = None
        if args.report:
            from .core.board_report import consolidate_with_report

            picture_of = None
            if db is not None:  # the kept returns with these, the group's targets, highlights
                from .core.kept_returns import picture

                picture_of = partial(picture, db)
            summary, report = consolidate_with_report(
                paths, Path(args.output), Path(args.report), picture_of=picture_of
            )
        else:
            summary = consolidate(paths, Path(args.output))
        returns, localities, months = (
            summary.returns, len(summary.localities), len(summary.months)
        )  # fmt: skip
        print(
            f"Consolidated {returns} return{'' if returns == 1 else 's'} ({localities} "
            f"localit{'y' if localities == 1 else 'ies'}, "
            f"{months} month{'' if months == 1 else 's'}) into {summary.target}."
        )
        if report is not None:
            print(f"Wrote the Board report to {report}.")
        for sentence in summary.set_aside:
            print(f"Set aside {sentence}")
        if db is not None:
            from .core.kept_returns import keep

            result = keep(db, summary.used)
            if started is not None:
                print(f"Started the group's database at {started}.")
            print(result.sentence())
            for sentence in result.set_aside:
                print(f"Not kept {sentence}")
    finally:
        if db is not None:
            db.dispose()
    return EXIT_OK
