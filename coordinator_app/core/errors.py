"""Errors a coordinator may see. Each message is one plain sentence, fit for a dialog or stderr."""

from __future__ import annotations


class CoordinatorError(Exception):
    """Base of every error that carries a message meant for the user."""


class DatabaseOpenError(CoordinatorError):
    """The database cannot be opened as it is (not a database, newer schema, no permission)."""


class ConnectionLostError(CoordinatorError):
    """The connection to the database server failed in the middle of a user action.

    The server rolls back a transaction whose connection is gone, so nothing is half saved;
    only a loss during the COMMIT itself leaves the outcome unknown, and the message says so.
    """

    def __init__(self, *, during_commit: bool = False) -> None:
        self.during_commit = during_commit
        if during_commit:
            message = (
                "The connection to the database server was lost while saving, so it is not "
                "known whether the change was saved; check it before trying again."
            )
        else:
            message = (
                "The connection to the database server was lost, so nothing of this change was "
                "saved; check the network and try again."
            )
        super().__init__(message)


SERVER_SENTENCE = (
    "This database is on a server, so backing it up and restoring it is the server's job; "
    "ask whoever runs the server."
)


class ServerBackupError(CoordinatorError):
    """Backup or restore asked of a database on a server (the command line exits 3)."""

    def __init__(self) -> None:
        super().__init__(SERVER_SENTENCE)


NOT_ON_SERVER = (
    "Access is for a database on a trust server (PostgreSQL); on this laptop's database one "
    "coordinator sees everything."
)


class NotOnServerError(CoordinatorError):
    """Access asked of a SQLite database, which has no logins (the command line exits 3)."""

    def __init__(self) -> None:
        super().__init__(NOT_ON_SERVER)


class AccessDeniedError(CoordinatorError):
    """The database server refused the signed-in login: a privilege it lacks, or a row-level
    security policy (a record of a locality it has no access to). Nothing was changed."""


ACCESS_DENIED_SAVING = (
    "The server did not let your login save this (a record of a locality you have no access "
    "to, or a change your role may not make), so nothing was saved."
)
ACCESS_DENIED_READING = (
    "The server did not let your login read this (details your role may not see), so it "
    "cannot be shown."
)


class NotFoundError(CoordinatorError):
    """A record named by the user does not exist."""


class ValidationError(CoordinatorError):
    """Input that breaks a rule. ``problems`` maps a field name to the sentence shown beside it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


class WorkbookError(CoordinatorError):
    """A workbook that cannot be taken in. ``problems`` lists every problem found, each as
    ``Sheet 'X' row N: ...`` (N as Excel numbers the row, the header being row 1)."""

    def __init__(self, summary: str, problems: list[str] | None = None) -> None:
        self.summary = summary
        self.problems = list(problems or [])
        text = summary if not self.problems else summary + "\n" + "\n".join(self.problems)
        super().__init__(text)


class ExportCancelled(CoordinatorError):
    """The user cancelled a long piece of work (export, consolidation, import); nothing was
    written."""

    def __init__(self, message: str = "Cancelled; nothing was written.") -> None:
        super().__init__(message)


class ConflictError(CoordinatorError):
    """The record was changed or deleted since the editor loaded it, so nothing was saved.
    ``what`` names the record ("meeting"). Someone else may have changed it (another app
    instance on a shared database), or this coordinator's own action elsewhere in the app
    (anonymising someone scrubs their name from every record that mentions them): the
    sentence is true either way, never naming who.

    The editor keeps what was typed on screen and offers to reload; it never retries blindly.
    """

    def __init__(self, what: str, *, deleting: bool = False) -> None:
        self.what = what
        if deleting:
            text = (
                f"This {what} was changed since you opened it, so it was not deleted. "
                "Reload to see it as saved now."
            )
        else:
            text = (
                f"This {what} was changed since you opened it. Reload to see it as saved now; "
                "your edits are kept on screen until you do."
            )
        super().__init__(text)
