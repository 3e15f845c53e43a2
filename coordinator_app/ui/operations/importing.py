"""Bringing records in: the import workbook, the demo data and the welcome's first answers.

Long writes (an import, the demo data) run behind a cancellable progress dialog
(``tasks.run_with_progress``, the same single background thread as every ``Op``); the short one
(the welcome's answers) is an ``Op``. Each tells every page afterwards, once."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ...core.importer import ImportPlan, ImportSummary
from .. import tasks
from ..context import AppContext
from . import Op


def announce_everything(ctx: AppContext) -> None:
    """Every page reads again: records of every kind may have changed."""
    events = ctx.events
    for signal in (
        events.participantsChanged,
        events.meetingsChanged,
        events.actionsChanged,
        events.accreditationChanged,
        events.projectsChanged,
    ):
        signal.emit("")
    events.settingsChanged.emit()


def apply_import(
    parent: QWidget | None, ctx: AppContext, plan: ImportPlan, *, title: str
) -> ImportSummary | None:
    """Write a checked import plan in the background (progress, Cancel: nothing written);
    the summary, or None when cancelled or refused (the sentence has been shown)."""
    from ...core.importer import apply_import as write

    db = ctx.db

    def work(progress: tasks.Progress, cancelled: tasks.Cancelled) -> ImportSummary:
        return write(db, plan, progress=progress, cancelled=cancelled)

    summary = tasks.run_with_progress(parent, title, f"Importing {plan.path.name}…", work)
    if summary is not None:
        announce_everything(ctx)
    return summary


def load_demo(parent: QWidget | None, ctx: AppContext) -> bool:
    """Fill the (empty) database with the small demo data, behind a progress dialog."""
    from ...core.demo import generate_demo

    db = ctx.db

    def work(_progress: tasks.Progress, _cancelled: tasks.Cancelled) -> bool:
        generate_demo(db, size="small", seed=1)
        return True

    done = tasks.run_with_progress(parent, "Demo data", "Making the demo data…", work)
    if done:
        announce_everything(ctx)
    return bool(done)


def complete_first_run(
    parent: QWidget | None,
    ctx: AppContext,
    *,
    trust_name: str,
    coordinator_name: str,
    localities: Sequence[str],
    forums: Sequence[tuple[str, str]] = (),
) -> Op[None]:
    from ...core.settings import complete_first_run as write

    names, made = list(localities), list(forums)
    return Op(
        parent,
        lambda: write(
            ctx.db,
            trust_name=trust_name,
            coordinator_name=coordinator_name,
            localities=names,
            forums=made,
        ),
        title="Welcome",
        changed=lambda _none: ctx.events.settingsChanged.emit(),
    )
