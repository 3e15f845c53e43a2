"""The command line (docs/command-line.md): a stable contract that tests and automation rely on.

Errors reach the user as one sentence on stderr with a non-zero exit; never a traceback. Heavy
modules (Qt, openpyxl, Alembic) are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from . import APP_NAME, __version__
from .cli_consolidate import add_command as add_consolidate_command
from .cli_papers import add_commands as add_papers_commands

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
#: A command for the other kind of database, so nothing was done: backup or restore asked of
#: a database on a server (the server's job), access asked of a laptop's SQLite file (no logins).
EXIT_SERVER_JOB = 3
EXIT_NOT_FOR_THIS_DATABASE = EXIT_SERVER_JOB

EXIT_CODES = (
    "exit codes: 0 done; 1 a problem with the database, the data or a file (one sentence on "
    "stderr); 2 a mistyped command; 3 backup or restore of a database on a server (PostgreSQL), "
    "where backups are the server's job, or access on a laptop's database, which has no "
    "logins, so nothing was done."
)

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad words on the command line; the message is one sentence."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one sentence instead of usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message[0].upper()}{message[1:]}. Try '{self.prog} --help'.")


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``with_commands=False``: its global options only (``_parse``)."""
    parser = _Parser(
        prog="coordinator-app",
        description=f"{APP_NAME}: forums, experience, actions and accreditation for NHS "
        "locality involvement coordinators. With no command, opens the desktop app.",
        epilog=EXIT_CODES,
        add_help=with_commands,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="the database file, or a server's URL such as "
        "postgresql+psycopg://user@host/database (the password from PGPASSWORD, a .pgpass file, "
        "the password store, or asked); default: the app's file in your data folder",
    )
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="open the main window with the data loaded, then exit (a smoke test and timing aid)",
    )
    parser.add_argument(
        "--exit-after-first-paint",
        action="store_true",
        help="exit as soon as the main window is first painted, before the data (timing aid)",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    db_after = db_option()

    demo = commands.add_parser(
        "demo",
        parents=[db_after],
        help="fill an empty database with realistic generated data to look around",
        description="Fill an empty database with realistic, generated demo data. Refuses a "
        "database that already holds records unless --force, which replaces everything in it.",
    )
    demo.add_argument(
        "--size",
        choices=["small", "large"],
        default="small",
        help="small (a couple of years, four localities) or large (about ten years "
        "of eight localities); default small",
    )
    demo.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    demo.add_argument(
        "--force", action="store_true", help="delete everything in the database first, then fill it"
    )
    demo.set_defaults(handler=_cmd_demo)

    backup = commands.add_parser(
        "backup",
        parents=[db_after],
        help="make a checked backup of the database now",
        description="Copy the database while it may be in use (SQLite's online backup), check "
        "the copy and put it in place. Without -o it goes into the backups folder, kept in "
        "rotation (7 daily, 4 weekly, 12 monthly). A database on a server is backed up by the "
        "server: this says so and exits 3.",
        epilog=EXIT_CODES,
    )
    backup.add_argument("-o", "--output", metavar="FILE", help="where to write the backup")
    backup.set_defaults(handler=_cmd_backup)

    restore = commands.add_parser(
        "restore",
        parents=[db_after],
        help="replace the database with a backup, keeping the current one aside",
        description="Check the backup (a database of this app, a known schema, sound), keep the "
        "current database aside, then put the backup in its place. A database on a server is "
        "restored by the server: this says so and exits 3.",
        epilog=EXIT_CODES,
    )
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.set_defaults(handler=_cmd_restore)

    check = commands.add_parser(
        "check",
        parents=[db_after],
        help="check that the database is sound and report its schema revision and counts",
        description="Check the database without changing it: soundness, schema revision and "
        "record counts. Exits 1 when it is not sound. On a server (PostgreSQL) it reports the "
        "schema revision and counts and says that integrity checks and backups are the "
        "server's job; it exits 0 when the schema is one this app knows, else 1.",
        epilog=EXIT_CODES,
    )
    check.set_defaults(handler=_cmd_check)

    imp = commands.add_parser(
        "import",
        parents=[db_after],
        help="import records from an import workbook (all or nothing)",
        description="Import an import workbook (docs/import-workbook.md). Everything is checked "
        "first; any problem refuses the whole workbook, listing each as Sheet 'X' row N. "
        "Importing the same workbook twice adds nothing the second time. Reads .xlsx, .xlsm, "
        ".xls (Excel), .ods (LibreOffice) and .csv (one sheet).",
    )
    imp.add_argument("workbook", metavar="SPREADSHEET")
    imp.add_argument(
        "--sheet",
        metavar="NAME",
        help="for a .csv: the import sheet it holds (default: its file name, e.g. Participants)",
    )
    imp.set_defaults(handler=_cmd_import)

    export = commands.add_parser(
        "export-return",
        parents=[db_after],
        help="write a locality's monthly return (Excel) for the engagement group",
        description="Write one locality's monthly return for one month (docs/monthly-return.md): "
        "counts, themes, experience summaries and actions, with no personal data.",
    )
    export.add_argument("--locality", required=True, metavar="NAME", help="the locality's name")
    export.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, e.g. 2026-10")
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="where to write")
    export.add_argument(
        "--prepared-by",
        metavar="NAME",
        help="who prepared it (default: the coordinator named in the settings)",
    )
    export.add_argument(
        "--review",
        action="store_true",
        help="print the privacy review first: every piece of free text the redactor changes or "
        "that still looks like it names someone",
    )
    export.add_argument(
        "--strict",
        action="store_true",
        help="refuse to write the return (exit 1) while the privacy review flags anything",
    )
    export.set_defaults(handler=_cmd_export_return)

    pay = commands.add_parser(
        "payments-list",
        parents=[db_after],
        help="write the payments list for finance (personal data)",
        description="Write who is to be paid what for work done in a period (both days "
        "included): activity, date, cost code, status and days waiting. It is personal data.",
    )
    pay.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day")
    pay.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day")
    pay.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="where to write")
    pay.set_defaults(handler=_cmd_payments_list)

    add_consolidate_command(commands, db_after)  # cli_consolidate.py (issue #30)

    minutes = commands.add_parser(
        "minutes",
        parents=[db_after],
        help="print a meeting's minutes to PDF",
        description="Write a meeting's minutes as an A4 PDF. Service users and carers appear by "
        "name only with their consent to be named in minutes.",
    )
    minutes.add_argument(
        "--meeting",
        required=True,
        metavar="ID",
        help="the meeting's reference (e.g. RUG-2610) or its UUID",
    )
    minutes.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="where to write")
    minutes.add_argument("--large-print", action="store_true", help="large print (16 pt and up)")
    minutes.set_defaults(handler=_cmd_minutes)
    add_papers_commands(commands, db_after)  # papers, invite (cli_papers.py, issue #29)

    standards = commands.add_parser(
        "standards",
        help="import or export a standards framework workbook",
        description="Import a standards framework workbook (docs/import-workbook.md) or export a "
        "loaded framework to one.",
    )
    standards_commands = standards.add_subparsers(
        dest="standards_command", metavar="import|export", parser_class=_Parser, required=True
    )
    std_import = standards_commands.add_parser(
        "import",
        parents=[db_after],
        help="load a framework workbook",
        description="Load a framework workbook. A framework whose name and version are already "
        "loaded is refused; a new version sits beside the old one.",
    )
    std_import.add_argument("file", metavar="SPREADSHEET")
    std_import.set_defaults(handler=_cmd_standards_import)
    std_export = standards_commands.add_parser(
        "export",
        parents=[db_after],
        help="write a loaded framework to a workbook",
        description="Write a loaded framework to a workbook (the newest loaded one unless "
        "--name and --framework-version say which).",
    )
    std_export.add_argument("file", metavar="FILE.xlsx")
    std_export.add_argument("--name", help="the framework's name")
    std_export.add_argument("--framework-version", metavar="VERSION", help="its version")
    std_export.set_defaults(handler=_cmd_standards_export)
    _add_access_commands(commands, db_after)
    return parser


def _add_access_commands(commands: Any, db_after: argparse.ArgumentParser) -> None:
    access = commands.add_parser(
        "access",
        help="who may see which localities on a trust server (PostgreSQL only)",
        description="Give people their own login on a trust server and say what each may see "
        "(docs/command-line.md). The server enforces it. On a laptop's database this says that "
        "access is for a server and exits 3.",
        epilog=EXIT_CODES,
    )
    access_commands = access.add_subparsers(
        dest="access_command", metavar="add|list|remove|set", parser_class=_Parser, required=True
    )
    add = access_commands.add_parser(
        "add",
        parents=[db_after],
        help="create a login and give it access",
        description="Create a login on the server and give it access: a coordinator of one or "
        "more localities, the engagement group, or an administrator. Its first password is "
        "read from standard input (asked twice, not shown, on a terminal); the person chooses "
        "a new one when they first sign in.",
        epilog=EXIT_CODES,
    )
    add.add_argument("login", metavar="LOGIN", help="the new login's name")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--locality",
        action="append",
        metavar="NAME",
        help="a coordinator of this locality (repeat for several)",
    )
    kind.add_argument(
        "--engagement-group",
        action="store_true",
        help="the engagement group: every locality's figures and returns, no personal details",
    )
    kind.add_argument(
        "--administrator",
        action="store_true",
        help="an administrator: keeps logins, localities and access",
    )
    add.set_defaults(handler=_cmd_access_add)
    listing = access_commands.add_parser(
        "list",
        parents=[db_after],
        help="list the logins and what each may see",
        description="List every login with access (tab-separated: login, role, localities, "
        "password), by name.",
    )
    listing.set_defaults(handler=_cmd_access_list)
    remove = access_commands.add_parser(
        "remove",
        parents=[db_after],
        help="take a login's access away and drop the login",
        description="Take the login's access away and drop it from the server (or, when it is "
        "used elsewhere on the server, keep it unable to sign in).",
    )
    remove.add_argument("login", metavar="LOGIN")
    remove.set_defaults(handler=_cmd_access_remove)
    change = access_commands.add_parser(
        "set",
        parents=[db_after],
        help="change a coordinator's localities",
        description="Replace the localities a coordinator sees.",
    )
    change.add_argument("login", metavar="LOGIN")
    change.add_argument(
        "--locality",
        action="append",
        required=True,
        metavar="NAME",
        help="a locality the coordinator sees (repeat for several)",
    )
    change.set_defaults(handler=_cmd_access_set)


def db_option() -> _Parser:
    """A parent parser so ``--db`` is also accepted after the command (``demo --db x.db``)."""
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="the database file or URL (the same as --db before the command)",
    )
    return parent


# Commands that only read (export-return, payments-list, minutes, standards export) open
# read-only: they take no lock, so they run beside the window, and a read-only connection can
# never delete the WAL the window is writing to (core/lock.py). They skip the whole-file
# quick_check (0.2 s on ten years of data): a damaged page they touch still fails with SQLite's
# own error, in one sentence. Commands that write (demo, import, standards import, restore)
# take the lock and are refused while the window or another writing command holds it.


def _collect_as_usual() -> None:
    """For a command that walks many records (demo, import, consolidate): once its modules are
    loaded, collect garbage as usual again, leaving those long-lived objects out of it.

    Only ``entry`` turns collection off; called with collection on (``main`` inside a test or
    another program) this changes nothing.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _cmd_demo(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.demo import generate_demo

    db = open_database(args.db)
    _collect_as_usual()
    try:
        summary = generate_demo(
            db,
            size=args.size,
            seed=args.seed,
            force=args.force,
            progress=lambda phase: print(f"  {phase}", file=sys.stderr),
        )
    finally:
        db.dispose()
    print(
        f"Demo data ({args.size}) written to {db.location}: {summary.localities} localities, "
        f"{summary.meetings} meetings, {summary.attendances} attendances, "
        f"{summary.actions} actions, {summary.participants} participants."
    )
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from .core.backup import make_backup

    path = make_backup(args.db, args.output)
    print(f"Backed up to {path}.")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from .core.backup import restore_backup

    result = restore_backup(args.db, Path(args.file))
    aside = (
        f" The database it replaced is kept at {result.kept_aside}." if result.kept_aside else ""
    )
    print(f"Restored {result.database} from {result.restored_from}.{aside}")
    if result.erasures_note:
        print(result.erasures_note)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from .core.backup import check_database

    report = check_database(args.db)
    print(f"Database: {report.location}")
    if report.on_server:
        print(f"Sound: {report.detail}" if report.sound else f"Schema: NOT KNOWN - {report.detail}")
    elif not report.checked:
        print(f"Sound: not checked - {report.detail}")
    else:
        sound = "yes" if report.sound else f"NO - {report.detail}"
        if report.read_only_disk:
            sound += " (on a read-only disk: checked without changing anything)"
        print(f"Sound: {sound}")
        if report.schema_problem:
            print(f"Schema: NOT KNOWN - {report.schema_problem}")
    print(f"Schema revision: {report.revision or 'none'} (this app: {report.app_revision})")
    print(f"Journal mode: {report.journal_mode}")
    for table, count in report.counts.items():
        print(f"  {table}: {count}")
    return EXIT_OK if report.ok else EXIT_ERROR


def _cmd_import(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.importer import import_workbook

    db = open_database(args.db)
    _collect_as_usual()
    try:
        summary = import_workbook(db, Path(args.workbook), sheet=args.sheet)
    finally:
        db.dispose()
    print(summary.sentence())
    return EXIT_OK


def _cmd_export_return(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.returns import export_return
    from .core.rules import Month

    try:
        month = Month.parse(args.month)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    db = open_database(args.db, check=False, read_only=True)
    try:
        if args.review or args.strict:
            _privacy_review(db, args.locality, month, show=args.review, strict=args.strict)
        path = export_return(
            db,
            locality=args.locality,
            month=month,
            target=Path(args.output),
            prepared_by=args.prepared_by,
            app_version=__version__,
        )
    finally:
        db.dispose()
    print(f"Monthly return for {args.locality}, {month}, written to {path}.")
    return EXIT_OK


def _day(option: str, text: str) -> date:
    """A command line's ``YYYY-MM-DD`` (anything else is a usage error, exit 2)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"{option} must be a date written YYYY-MM-DD, e.g. 2026-10-31, not '{text}'.")


def _cmd_payments_list(args: argparse.Namespace) -> int:
    """Read-only, like export-return: no lock (docs/command-line.md#payments-list)."""
    from .core.db import open_database
    from .core.payments.finance import write_payments_list

    start, end = _day("--from", args.start), _day("--to", args.end)
    if start > end:
        raise UsageError(f"--from ({start}) is after --to ({end}); give the first day first.")
    db = open_database(args.db, check=False, read_only=True)
    try:
        path, count = write_payments_list(db, start, end, Path(args.output))
    finally:
        db.dispose()
    print(f"{count} payments from {start} to {end} written to {path} (personal data).")
    return EXIT_OK


def _privacy_review(db: Any, locality: str, month: Any, *, show: bool, strict: bool) -> None:
    """``export-return --review`` prints the review; ``--strict`` refuses while it lists
    anything (docs/monthly-return.md#the-privacy-review)."""
    from .core.errors import CoordinatorError
    from .core.review import review_return

    items = review_return(db, locality=locality, month=month)
    if show:
        count = len(items)
        if not items:
            print(f"Privacy review of the {month} return: nothing flagged.")
        else:
            noun = "piece" if count == 1 else "pieces"
            print(f"Privacy review of the {month} return: {count} {noun} of free text flagged.")
            for item in items:
                print("\n".join(item.lines()))
    if strict and items:
        count = len(items)
        noun = "piece" if count == 1 else "pieces"
        raise CoordinatorError(
            f"The privacy review flags {count} {noun} of free text in the {month} return, so it "
            "was not written; see them with --review and reword them on the Returns page."
        )


def _cmd_minutes(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.meetings import resolve_meeting
    from .core.minutes import minutes_document
    from .core.typeset import write_pdf

    db = open_database(args.db, check=False, read_only=True)
    try:
        meeting_id = resolve_meeting(db, args.meeting)
        document = minutes_document(db, meeting_id, large_print=args.large_print)
    finally:
        db.dispose()
    # The app's own renderer (core/typeset.py, typst): no Qt and no screen needed.
    path = write_pdf(document, Path(args.output))
    print(f"Minutes of {args.meeting} written to {path}.")
    return EXIT_OK


def _cmd_standards_import(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.standards import import_framework

    db = open_database(args.db)
    try:
        info = import_framework(db, Path(args.file))
    finally:
        db.dispose()
    print(f"Loaded '{info.name}' version {info.version} with {info.standard_count} standards.")
    return EXIT_OK


def _cmd_standards_export(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.errors import CoordinatorError
    from .core.standards import export_framework, list_frameworks

    db = open_database(args.db, check=False, read_only=True)
    try:
        frameworks = list_frameworks(db)
        chosen = [
            f
            for f in frameworks
            if (args.name is None or f.name.lower() == args.name.lower())
            and (args.framework_version is None or f.version == args.framework_version)
        ]
        if not chosen:
            known = "; ".join(f"'{f.name}' version {f.version}" for f in frameworks) or "none"
            raise CoordinatorError(f"No loaded framework matches (loaded: {known}).")
        newest = max(chosen, key=lambda f: (f.issued_on or date.min, f.version))
        path = export_framework(db, newest.id, Path(args.file))
    finally:
        db.dispose()
    print(f"Wrote '{newest.name}' version {newest.version} to {path}.")
    return EXIT_OK


def _server_database(args: argparse.Namespace) -> Any:
    """The open server database for an access command; ``NotOnServerError`` (exit 3) for a
    SQLite file, which is neither created nor opened."""
    from .core.db import open_database, resolve_url
    from .core.errors import NotOnServerError

    if resolve_url(args.db).get_backend_name() != "postgresql":
        raise NotOnServerError()
    return open_database(args.db)


def read_new_password(login: str) -> str:
    """The first password of a new login: from standard input (its first line), or asked twice
    without echo when standard input is a terminal. Never printed. Tests patch this."""
    from .core.errors import CoordinatorError

    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"First password for {login}: ")
        if getpass.getpass("The same password again: ") != first:
            raise CoordinatorError("The two passwords differ, so nothing was changed.")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise CoordinatorError(
            f"No password for {login} came on standard input, so nothing was changed."
        )
    return password


def _cmd_access_add(args: argparse.Namespace) -> int:
    from .core import access
    from .core.vocab import AccessRole

    if args.engagement_group:
        role = AccessRole.ENGAGEMENT_GROUP
    elif args.administrator:
        role = AccessRole.ADMINISTRATOR
    else:
        role = AccessRole.COORDINATOR
    db = _server_database(args)
    try:
        password = read_new_password(args.login)
        entry = access.add_login(db, args.login, role, password, localities=args.locality or [])
    finally:
        db.dispose()
    print(
        f"Added {entry.login} ({entry.described()}); they choose a new password when they "
        "first sign in."
    )
    return EXIT_OK


def _cmd_access_list(args: argparse.Namespace) -> int:
    from .core import access

    db = _server_database(args)
    try:
        entries = access.list_access(db)
    finally:
        db.dispose()
    print("login\trole\tlocalities\tpassword")
    for entry in entries:
        password = "must change" if entry.must_change_password else "changed"
        print(f"{entry.login}\t{entry.role.value}\t{'; '.join(entry.localities)}\t{password}")
    return EXIT_OK


def _cmd_access_remove(args: argparse.Namespace) -> int:
    from .core import access

    db = _server_database(args)
    try:
        dropped = access.remove_login(db, args.login)
    finally:
        db.dispose()
    if dropped:
        print(f"Removed the access of {args.login} and the login itself.")
    else:
        print(
            f"Removed the access of {args.login}; the login is used elsewhere on the server, so "
            "it is kept there but can no longer sign in."
        )
    return EXIT_OK


def _cmd_access_set(args: argparse.Namespace) -> int:
    from .core import access

    db = _server_database(args)
    try:
        entry = access.set_localities(db, args.login, args.locality)
    finally:
        db.dispose()
    print(f"{entry.login} now sees {', '.join(entry.localities)}.")
    return EXIT_OK


def _complete_database(args: argparse.Namespace) -> None:
    """A server address without a password gets one from PGPASSWORD, .pgpass, the password
    store or a prompt on a terminal (``connection.complete_url``); one with a password is used
    and warned about on stderr. Files and addresses needing nothing are left alone."""
    target = getattr(args, "db", None)
    if target is not None and "://" not in str(target):
        # A file: nothing to complete, the preset is not read for nothing, and SQLAlchemy is
        # not imported (the window paints before it: ``ui/app.py``).
        return
    from .core.connection import complete_url, url_text_for_opening
    from .core.db import resolve_url

    url = resolve_url(target)
    if url.get_backend_name() != "postgresql":
        return

    def ask(prompt: str) -> str | None:
        if sys.stdin is None or not sys.stdin.isatty():
            return None
        import getpass

        return getpass.getpass(prompt) or None

    def warn(sentence: str) -> None:
        print(f"coordinator-app: {sentence}", file=sys.stderr)

    completed = complete_url(url, ask=ask, warn=warn)
    if completed is not url:
        args.db = url_text_for_opening(completed)


def _run_gui(args: argparse.Namespace) -> int:
    # Start-up allocates a million long-lived objects (ORM, Qt wrappers); collecting them over
    # and over while they are built is wasted time. The app turns collection back on (and
    # freezes these objects out of its way) once the window is up, or before asking anything.
    gc.disable()
    from .ui.app import run

    try:
        code = run(
            args.db,
            exit_after_startup=args.exit_after_startup,
            exit_after_first_paint=args.exit_after_first_paint,
        )
    except BaseException:
        gc.enable()
        raise
    if args.exit_after_startup or args.exit_after_first_paint:
        # The database is closed and the lock released: leave now. Tearing every Qt and ORM
        # object down one by one (about a quarter of a second) is work for nobody, and would be
        # counted as start-up by whoever times this. (Only ever run as its own process.) The
        # collector stays off: turned on here, it would at once go through the million objects
        # start-up made (30 to 40 ms) for a process about to end.
        import logging
        import os

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    gc.enable()
    return code


def entry() -> NoReturn:
    """The ``coordinator-app`` command and ``python -m coordinator_app``: one command, then exit.

    A command runs as its own short-lived process, so two costs of Python's garbage collector
    are work for nobody here: collecting the long-lived objects that loading SQLAlchemy, Qt and
    openpyxl makes, over and over while they load, and a last collection over every object
    when the process ends. Collection is off while a command loads and runs (a long one turns it
    back on, ``_collect_as_usual``; the desktop app once its window is up), and the process
    leaves with everything frozen out of that last collection. Every file and the database are
    closed by then; atexit handlers (logging) still run.
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    from .core.errors import (
        ACCESS_DENIED_READING,
        ConnectionLostError,
        CoordinatorError,
        NotOnServerError,
        ServerBackupError,
    )
    from .core.logfile import ensure_streams

    # Without a console (the windowed exe) stdout and stderr are None: errors then go to the log.
    ensure_streams()

    try:
        args = _parse(argv)
        from .core.lock import describe_this_process

        if args.command is None:
            describe_this_process("the desktop app")
            if args.db is not None:
                _complete_database(args)
            return _run_gui(args)
        words = [
            args.command,
            getattr(args, "standards_command", None),
            getattr(args, "access_command", None),
        ]
        describe_this_process(
            "the command 'coordinator-app " + " ".join(w for w in words if w) + "'"
        )
        for flag in ("exit_after_startup", "exit_after_first_paint"):
            if getattr(args, flag):
                option = "--" + flag.replace("_", "-")
                raise UsageError(f"{option} goes with no command (it opens the window).")
        handler: Handler = args.handler
        if args.command != "consolidate" or args.keep:  # consolidate opens none unless --keep
            _complete_database(args)
        return handler(args)
    except UsageError as exc:
        print(f"coordinator-app: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ServerBackupError, NotOnServerError) as exc:
        print(f"coordinator-app: {exc}", file=sys.stderr)
        return EXIT_NOT_FOR_THIS_DATABASE
    except CoordinatorError as exc:
        print(f"coordinator-app: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into something that stopped reading (``| head``)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("coordinator-app: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one sentence, details in the log
        from .core.db import is_connection_error
        from .core.storage import explain

        reason = explain(exc, _database_file(argv))
        if reason is not None:  # disk full, read-only, busy, gone: the disk's, not a bug
            _log_unexpected(exc)
            print(f"coordinator-app: {reason}", file=sys.stderr)
            return EXIT_ERROR
        from .core.db import is_access_denied

        if is_access_denied(exc):  # the server refused the login a read (its role's columns)
            print(f"coordinator-app: {ACCESS_DENIED_READING}", file=sys.stderr)
            return EXIT_ERROR
        if is_connection_error(exc):  # a server lost outside a transaction (reading)
            _log_unexpected(exc)
            print(f"coordinator-app: {ConnectionLostError()}", file=sys.stderr)
            return EXIT_ERROR
        log = _log_unexpected(exc)
        print(
            f"coordinator-app: something unexpected went wrong ({type(exc).__name__}); "
            f"the details are in {log}.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments. The window's start (no command, the usual case) is read by the global
    options alone: making every command's options took about 10 ms of each start. A command,
    help, or anything the global options do not take is read by the whole parser, whose
    sentences are the ones a mistake gets."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(words):
        try:
            args, rest = build_parser(with_commands=False).parse_known_args(words)
        except UsageError:
            rest = words
        if not rest:
            return args
    return build_parser().parse_args(words)


def _database_file(argv: Sequence[str] | None) -> Path | None:
    """The SQLite file ``--db`` names (or the default one), for an error's sentence; None when
    it cannot be told."""
    from .core.db import resolve_url, sqlite_path

    try:
        args, _ = build_parser().parse_known_args(argv)
        return sqlite_path(resolve_url(getattr(args, "db", None)))
    except (Exception, SystemExit):
        return None


def _log_unexpected(exc: BaseException) -> Path:
    """Write the traceback to the app's log file (never shown to the user) and return its path."""
    from .core.logfile import log_exception

    return log_exception(exc, "command line")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
