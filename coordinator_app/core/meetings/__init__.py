"""Forums and their meetings: the register, agenda, payments, experience heard and the next
sitting. Every write is one transaction, validated before anything is written, and audited.

Deleting a meeting removes its agenda, register, unnamed counts, payments, polls and the
experience items recorded at it; it is refused while actions raised at the meeting exist (they
must stay on record: cancel the meeting instead). A meeting's reference (``RUG-2610``) is made
from its locality and month; it is renewed when an edit moves the meeting to another month or
locality, unless it was a reference brought in by import (any other shape), which is kept.

One service, split by topic: ``rows`` (what it takes and gives back), ``forums``, ``reading``,
``writing`` (create, save, delete, plan the next sitting), ``agenda``, ``register``,
``payments`` and ``experience``; ``common`` holds the private helpers they share. Callers use
the package (``meetings.get_meeting``, ``from ...core.meetings import MeetingInput``), never a
sub-module. Pitfall: a test that patches ``meetings.X`` replaces the package's name, which is
what the UI's operations call; a sub-module calling ``X`` still calls its own import of it.
"""

from __future__ import annotations

from ..rows import LocalityRow, MeetingRow, list_localities
from .agenda import add_agenda_item, delete_agenda_item, move_agenda_item, update_agenda_item
from .experience import (
    add_experience,
    add_experience_for_locality,
    delete_experience,
    experience_words,
    update_experience,
)
from .forums import create_forum, list_forums, set_usual, usual_of
from .payments import (
    NOT_OFFERED_PAYMENT,
    mark_offered_paid,
    mark_offered_paid_ids,
    offer_payments,
    offer_payments_ids,
    remove_payment,
    set_payment,
    unmark_paid,
    withdraw_offers,
)
from .reading import get_meeting, list_meetings, meeting_order, resolve_meeting
from .register import (
    EXPECTED_AFTER_DAYS,
    expected,
    regulars,
    remove_attendance,
    set_attendance,
    set_unnamed,
)
from .rows import (
    AgendaItemRow,
    ExpectedRow,
    ExperienceInput,
    ExperienceRow,
    ExperienceWords,
    ForumRow,
    MeetingDetail,
    MeetingInput,
    PaymentRow,
    PollRow,
    RegisterRow,
)
from .writing import (
    ALREADY_PLANNED_WITHIN,
    MATTERS_ARISING,
    already_planned,
    create_meeting,
    delete_meeting,
    next_sitting,
    plan_next_meeting,
    update_meeting,
)

__all__ = [
    "ALREADY_PLANNED_WITHIN",
    "EXPECTED_AFTER_DAYS",
    "MATTERS_ARISING",
    "NOT_OFFERED_PAYMENT",
    "AgendaItemRow",
    "ExpectedRow",
    "ExperienceInput",
    "ExperienceRow",
    "ExperienceWords",
    "ForumRow",
    "LocalityRow",
    "MeetingDetail",
    "MeetingInput",
    "MeetingRow",
    "PaymentRow",
    "PollRow",
    "RegisterRow",
    "add_agenda_item",
    "add_experience",
    "add_experience_for_locality",
    "already_planned",
    "create_forum",
    "create_meeting",
    "delete_agenda_item",
    "delete_experience",
    "delete_meeting",
    "expected",
    "experience_words",
    "get_meeting",
    "list_forums",
    "list_localities",
    "list_meetings",
    "mark_offered_paid",
    "mark_offered_paid_ids",
    "meeting_order",
    "move_agenda_item",
    "next_sitting",
    "offer_payments",
    "offer_payments_ids",
    "plan_next_meeting",
    "regulars",
    "remove_attendance",
    "remove_payment",
    "resolve_meeting",
    "set_attendance",
    "set_payment",
    "set_unnamed",
    "set_usual",
    "unmark_paid",
    "update_agenda_item",
    "update_experience",
    "update_meeting",
    "usual_of",
    "withdraw_offers",
]
