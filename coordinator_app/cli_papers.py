"""The commands ``papers`` and ``invite`` (issue #29; docs/command-line.md): papers to a
forum's members and a meeting's calendar invitation. Kept apart from ``cli.py`` (its size);
``cli.build_parser`` calls ``add_commands``.

``papers`` records the sending in the database, so it opens it for writing and takes the lock
like every command that writes; ``invite`` only reads, so it opens read-only and runs beside the
window.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

EXIT_OK = 0


def add_commands(commands: Any, db_after: argparse.ArgumentParser) -> None:
    """Add ``papers`` and ``invite`` to the sub-command parsers ``commands``."""
    papers = commands.add_parser(
        "papers",
        parents=[db_after],
        help="write a meeting's agenda or minutes for its forum's members: e-mail drafts, letters",
        description="Write one .eml e-mail draft per member of the meeting's forum who consented "
        "to be contacted and has an e-mail address (only their address, with the paper in their "
        "format: large print for those who asked for it), and one PDF of letters for those who "
        "consented but have no e-mail address; nothing for anyone else. The agenda's drafts "
        "carry the meeting's calendar invitation. The sending is recorded on the meeting. "
        "Inactive members get nothing. "
        "'--kind update', after the meeting moved or was cancelled, writes the updated "
        "invitation (or the cancellation) for those who had the agenda by e-mail, and a PDF of "
        "letters saying what changed for those who had it by letter, if they still consent and "
        "are active.",
    )
    papers.add_argument(
        "--meeting",
        required=True,
        metavar="ID",
        help="the meeting's reference (e.g. RUG-2610) or its UUID",
    )
    papers.add_argument(
        "--kind",
        required=True,
        choices=["agenda", "minutes", "update"],
        help="which papers to send (update: the invitation again after the meeting changed)",
    )
    papers.add_argument(
        "-o", "--output", required=True, metavar="FOLDER", help="the folder to write into"
    )
    papers.set_defaults(handler=_cmd_papers)

    invite = commands.add_parser(
        "invite",
        parents=[db_after],
        help="write a meeting's calendar invitation (.ics)",
        description="Write the meeting's calendar invitation (RFC 5545): its time in the "
        "Europe/London time zone, the venue or online link, the forum's name, no personal data. "
        "Its UID stays the same, so an invitation written again after the meeting moves, or is "
        "cancelled, replaces the one in people's calendars.",
    )
    invite.add_argument(
        "--meeting",
        required=True,
        metavar="ID",
        help="the meeting's reference (e.g. RUG-2610) or its UUID",
    )
    invite.add_argument("-o", "--output", required=True, metavar="FILE.ics", help="where to write")
    invite.set_defaults(handler=_cmd_invite)


def _cmd_papers(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.errors import CoordinatorError
    from .core.meetings import resolve_meeting
    from .core.papers import made_words, send_papers, sent_sentence
    from .core.vocab import PapersKind

    folder = Path(args.output).expanduser()
    if not folder.is_dir():
        raise CoordinatorError(f"The folder {folder} does not exist.")
    db = open_database(args.db, create=False)
    try:
        meeting_id = resolve_meeting(db, args.meeting)
        if args.kind == "update":
            from .core.invitation_updates import send_update

            update = send_update(db, meeting_id, folder)
            print(
                f"{update.kind.label} of {args.meeting}: "
                f"{made_words(len(update.drafts), update.letter_count)} written to "
                f"{update.folder}.{_also(update.left_out)}"
            )
            return EXIT_OK
        result = send_papers(db, meeting_id, PapersKind(args.kind), folder)
    finally:
        db.dispose()
    counts = sent_sentence(
        result.emails, result.letter_count, result.not_sent, inactive=result.inactive
    )
    print(
        f"{PapersKind(args.kind).label} of {args.meeting}: "
        f"{made_words(result.emails, result.letter_count)} written to {result.folder}. "
        f"{counts}."
    )
    return EXIT_OK


def _also(sentence: str) -> str:
    return f" {sentence}" if sentence else ""


def _cmd_invite(args: argparse.Namespace) -> int:
    from .core.db import open_database
    from .core.invitation import write_invitation
    from .core.meetings import resolve_meeting

    db = open_database(args.db, check=False, read_only=True)
    try:
        meeting_id = resolve_meeting(db, args.meeting)
        path = write_invitation(db, meeting_id, Path(args.output))
    finally:
        db.dispose()
    print(f"Invitation to {args.meeting} written to {path}.")
    return EXIT_OK
