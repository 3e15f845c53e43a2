"""Errors a coordinator may see. Each message is one plain sentence, fit for a dialog or stderr."""

from __future__ import annotations


class CoordinatorError(Exception):
    """Base of every error that carries a message meant for the user."""


class DatabaseOpenError(CoordinatorError):
    """The database cannot be opened as it is (not a database, newer schema, no permission)."""


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
    """Someone else (another app instance on a shared database) changed or deleted the record
    since the editor loaded it, so nothing was saved. ``what`` names the record ("meeting").

    The editor keeps what was typed on screen and offers to reload; it never retries blindly.
    """

    def __init__(self, what: str, *, deleting: bool = False) -> None:
        self.what = what
        if deleting:
            text = (
                f"Someone else changed this {what} since you opened it, so it was not deleted. "
                "Reload to see their changes."
            )
        else:
            text = (
                f"Someone else changed this {what} since you opened it. Reload to see their "
                "changes; your edits are kept on screen until you do."
            )
        super().__init__(text)
