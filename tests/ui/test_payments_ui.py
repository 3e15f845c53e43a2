"""Involvement payments in the window (issue #28): Home's claims unpaid too long, the claim
date in a meeting's payments, the person's benefits answers and running totals, an involvement
activity recorded with its people and payments, and File > Payments list for finance."""

from __future__ import annotations

from datetime import date

import pytest

from coordinator_app.core.meetings.payments import set_payment
from coordinator_app.core.payments.claims import record_claim
from coordinator_app.core.vocab import PaymentStatus
from coordinator_app.ui.main_window import MainWindow
from coordinator_app.ui.views.home import ROLE_ID

# TODAY in the UI fixtures is 20 March 2025.


def _texts(widget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


@pytest.fixture
def claims(ctx, place, add_meeting_at, add_person):
    """At the forum of 10 February: Ann claimed on 14 February (34 days on 20 March), Bob on
    1 March (19 days), Cat was paid; at Coventry's of 12 February Dev claimed on 12 February."""
    held = add_meeting_at(place.forum_id, date(2025, 2, 10))
    coventry = add_meeting_at(place.other_forum_id, date(2025, 2, 12))
    ann, bob, cat, dev = (
        add_person(name) for name in ("Ann Quill", "Bob Vane", "Cat Pryce", "Dev Okonjo")
    )
    for person, claimed in ((ann, date(2025, 2, 14)), (bob, date(2025, 3, 1))):
        payment = set_payment(ctx.db, held, person, status=PaymentStatus.OFFERED)
        record_claim(ctx.db, payment, claimed)
    set_payment(ctx.db, held, cat, status=PaymentStatus.PAID, paid_on=date(2025, 3, 1))
    payment = set_payment(ctx.db, coventry, dev, status=PaymentStatus.OFFERED)
    record_claim(ctx.db, payment, date(2025, 2, 12))
    return held


def test_home_lists_claims_unpaid_over_the_limit_on_the_right_people(
    qtbot, ctx, place, claims
) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    home = win.home
    listed = _texts(home.unpaid)
    assert len(listed) == 2, listed
    assert listed[0].startswith("36 days · Dev Okonjo · £25.00")
    assert listed[1].startswith("34 days · Ann Quill · £25.00 · Meeting ")
    assert not any("Bob Vane" in t or "Cat Pryce" in t for t in listed)
    assert "Claimed, unpaid over 30 days: 2" in home.unpaid_label.text()
    assert home.unpaid.item(1).data(ROLE_ID) == ("meeting", str(claims))
    with qtbot.waitSignal(home.openMeeting):
        home.unpaid.itemActivated.emit(home.unpaid.item(1))
    # One locality only: Coventry's claim goes.
    rugby = next(i for i in range(home.locality.count()) if home.locality.itemText(i) == "Rugby")
    home.locality.setCurrentIndex(rugby)
    assert [t.split(" · ")[1] for t in _texts(home.unpaid)] == ["Ann Quill"]


def test_home_says_so_when_no_claim_waits(qtbot, ctx, place, unnamed_controls) -> None:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert _texts(win.home.unpaid) == ["No claim waiting too long."]
    assert unnamed_controls(win.home) == []
