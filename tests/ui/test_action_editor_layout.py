"""The action editor fits on a laptop screen without cutting off its own words.

At 72 characters wide the dialog needed more height than a 1366x860 screen gives it, so the
layout squeezed the hint under "Outcome (we did)" below the lines it needs and it was drawn cut
off at the top and bottom (seen under Xvfb), and a long action title scrolled out of its box.
"""

from __future__ import annotations

from coordinator_app.core import actions
from coordinator_app.core.vocab import ActionLevel
from coordinator_app.ui.dialogs.action_editor import ActionEditor

TITLE = "Introduce a 'waiting well' pack for people on the waiting list"


def test_the_outcome_hint_and_a_long_title_are_shown_whole_on_a_laptop_screen(qtbot, ctx, place):
    action_id = actions.raise_action(
        ctx.db,
        locality_id=place.locality_id,
        data=actions.ActionInput(
            title=TITLE,
            detail="Co-produce the pack with the service-user group.",
            owner="Trust carers lead",
            level=ActionLevel.STRATEGIC,
        ),
    )
    dialog = ActionEditor(ctx, action_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(dialog.minimumWidth(), 780)  # what an 860-pixel-high screen leaves it
    qtbot.waitUntil(lambda: dialog.height() == 780)
    hint = dialog.outcome_hint
    assert hint.height() >= hint.heightForWidth(hint.width())
    title = dialog.title_edit
    assert title.fontMetrics().horizontalAdvance(TITLE) < title.contentsRect().width()
