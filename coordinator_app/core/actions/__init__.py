"""Actions ("you said, we did"): raising, updating, progress notes, the tracker's list, the
"you said, we did" pairs, owners' reminders and the trust's strategic priorities.

Every status change goes through ``rules.apply_action_status`` so ``closed_on`` stays true to the
rule; closing an action requires an outcome (the "we did"). ``action_rows`` is the one query
that turns actions into ``ActionRow``s; meetings, Home and search reuse it with their own filters.
``tracker_rows`` is the lean twin for the tracker's 20,000-row list: the rule flags (open now,
overdue today, due within seven days) are computed by the database from ``rules``, never in
Python, so the tracker, Home and the return agree.

One package, split by topic: ``editing`` (one action: ``ActionInput``, raising, reading and
updating it, its progress notes, where it came from and its status), ``tracker`` (the tracker's
list, its owners and the owners' reminders), ``pairs`` (the "you said, we did" pairs, printed and
copied) and ``priorities`` (the trust's strategic priorities). Callers use the package
(``actions.raise_action``, ``from ...core.actions import ActionInput``), never a sub-module.
Pitfall: a test that patches ``actions.X`` replaces the package's name, which is what the UI's
operations call; a sub-module calling ``X`` (``set_status`` calls ``update_action``) still calls
its own import of it, and a sub-module's setting (``tracker._CHECKPOINT_ROWS``) is patched there.
"""

from __future__ import annotations

from ..rows import ActionRow, to_key
from .editing import (
    KEEP,
    ActionInput,
    ActionSource,
    ProgressRow,
    action_sources,
    add_progress,
    get_action,
    list_actions,
    progress_log,
    raise_action,
    set_status,
    update_action,
)
from .pairs import (
    PAIR_COLUMNS,
    PAIR_HEADERS,
    PairRow,
    experience_themes,
    pair_cells,
    you_said_we_did,
    you_said_we_did_document,
    you_said_we_did_table_html,
    you_said_we_did_text,
)
from .priorities import (
    PRIORITY_WHAT,
    PriorityRow,
    create_priority,
    list_priorities,
    move_priority,
    rename_priority,
    retire_priority,
)
from .tracker import DUE_SOON_DAYS, TrackerRow, owner_reminders, owners, tracker_rows

__all__ = [
    "DUE_SOON_DAYS",
    "KEEP",
    "PAIR_COLUMNS",
    "PAIR_HEADERS",
    "PRIORITY_WHAT",
    "ActionInput",
    "ActionRow",
    "ActionSource",
    "PairRow",
    "PriorityRow",
    "ProgressRow",
    "TrackerRow",
    "action_sources",
    "add_progress",
    "create_priority",
    "experience_themes",
    "get_action",
    "list_actions",
    "list_priorities",
    "move_priority",
    "owner_reminders",
    "owners",
    "pair_cells",
    "progress_log",
    "raise_action",
    "rename_priority",
    "retire_priority",
    "set_status",
    "to_key",
    "tracker_rows",
    "update_action",
    "you_said_we_did",
    "you_said_we_did_document",
    "you_said_we_did_table_html",
    "you_said_we_did_text",
]
